//! The account's security settings (P2, T4, A4, S1): password policy, who needs a second
//! factor, session lifetimes, how long the authorization log is kept.

use gatehouse_domain::{
    problem::FieldError,
    security::{PasswordPolicy, SecuritySettings, TwoFactorPolicy},
};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::ApiError,
    auth::session::use_session,
    i18n::{settings_error_text, use_locale, Key},
    layout::{
        field::{Check, Field, SavedNote},
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
};

#[component]
pub fn SettingsCard() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let settings = Remote::new(move || session.call(api.security_settings()));
    view! {
        <section class="card" aria-labelledby="settings-title" data-testid="security-settings">
            <h2 id="settings-title">{locale.text(Key::SecuritySettings)}</h2>
            {move || match settings.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| settings.refetch()/> }.into_any()
                }
                Some(Ok(saved)) => view! { <SettingsForm saved=saved/> }.into_any(),
            }}
        </section>
    }
}

/// Minutes in each unit a lifetime can be typed in.
const UNITS: [(u32, Key); 3] = [(1, Key::Minutes), (60, Key::Hours), (24 * 60, Key::Days)];

/// A lifetime as typed: a number and a unit.
#[derive(Clone, Copy)]
struct Lifetime {
    amount: RwSignal<String>,
    unit: RwSignal<u32>,
}

impl Lifetime {
    /// The largest unit that shows `minutes` as a whole number.
    fn new(minutes: u32) -> Self {
        let unit = UNITS
            .iter()
            .rev()
            .map(|(unit, _)| *unit)
            .find(|unit| minutes.is_multiple_of(*unit))
            .unwrap_or(1);
        Self {
            amount: RwSignal::new((minutes / unit).to_string()),
            unit: RwSignal::new(unit),
        }
    }

    fn minutes(&self) -> Option<u32> {
        let amount: u32 = self.amount.get_untracked().trim().parse().ok()?;
        amount.checked_mul(self.unit.get_untracked())
    }
}

#[component]
fn SettingsForm(saved: SecuritySettings) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let policy = saved.password_policy;
    let min_length = RwSignal::new(policy.min_length.to_string());
    let require_upper = RwSignal::new(policy.require_upper);
    let require_lower = RwSignal::new(policy.require_lower);
    let require_digit = RwSignal::new(policy.require_digit);
    let require_symbol = RwSignal::new(policy.require_symbol);
    let two_factor = RwSignal::new(saved.two_factor_policy);
    let idle = Lifetime::new(saved.session_idle_minutes);
    let absolute = Lifetime::new(saved.session_absolute_minutes);
    let retention = RwSignal::new(saved.auth_log_retention_days.to_string());
    // Problems found here, with the same rules as the server's (`validate`).
    let problems = RwSignal::new(Vec::<FieldError>::new());

    let save = Submission::new();
    let refused = Signal::derive(move || save.error());
    let done = move || save.succeeded();

    let error = move |field: &'static str| {
        move || {
            let lang = locale.lang();
            let local = problems.with(|problems| {
                problems
                    .iter()
                    .find(|problem| problem.field == field)
                    .map(|problem| {
                        settings_error_text(lang, field, &problem.code, &problem.message)
                    })
            });
            local.or_else(|| {
                refused.get().and_then(|error: ApiError| {
                    error.field_errors(field).first().map(|problem| {
                        settings_error_text(lang, field, &problem.code, &problem.message)
                    })
                })
            })
        }
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        save.clear();
        let mut found = Vec::new();
        let mut number = |field: &str, value: Option<u32>| {
            if value.is_none() {
                found.push(FieldError::new(
                    field,
                    "not_a_number",
                    "enter a whole number",
                ));
            }
            value.unwrap_or(0)
        };
        let min = number(
            "password_policy.min_length",
            min_length
                .get_untracked()
                .trim()
                .parse::<u16>()
                .ok()
                .map(u32::from),
        );
        let idle_minutes = number("session_idle_minutes", idle.minutes());
        let absolute_minutes = number("session_absolute_minutes", absolute.minutes());
        let days = number(
            "auth_log_retention_days",
            retention.get_untracked().trim().parse().ok(),
        );
        let settings = SecuritySettings {
            password_policy: PasswordPolicy {
                min_length: u16::try_from(min).unwrap_or(u16::MAX),
                require_upper: require_upper.get_untracked(),
                require_lower: require_lower.get_untracked(),
                require_digit: require_digit.get_untracked(),
                require_symbol: require_symbol.get_untracked(),
            },
            two_factor_policy: two_factor.get_untracked(),
            session_idle_minutes: idle_minutes,
            session_absolute_minutes: absolute_minutes,
            auth_log_retention_days: days,
        };
        // A field that is not a number is reported as such, not also as out of range.
        let typed: Vec<String> = found.iter().map(|f| f.field.clone()).collect();
        found.extend(
            settings
                .validate()
                .into_iter()
                .filter(|problem| !typed.contains(&problem.field)),
        );
        let clean = found.is_empty();
        problems.set(found);
        if clean {
            save.run(
                async move {
                    let saved = session.call(api.save_security_settings(&settings)).await?;
                    // The password forms read the policy from `/me`.
                    let _ = session.reload().await;
                    Ok(saved)
                },
                |_| {},
            );
        }
    };

    let min_error = error("password_policy.min_length");
    let idle_error = error("session_idle_minutes");
    let absolute_error = error("session_absolute_minutes");
    let retention_error = error("auth_log_retention_days");

    view! {
        <form class="form" on:submit=on_submit novalidate=true>
            <FormError refused=refused testid="settings-error"/>
            <fieldset class="fieldset">
                <legend>{locale.text(Key::PasswordPolicy)}</legend>
                <Field
                    id="settings-min-length"
                    label=Key::MinLength
                    kind="number"
                    inputmode="numeric"
                    class="field-short"
                    value=min_length
                    error=Signal::derive(min_error)
                    hint=Key::MinLengthHint
                />
                <p class="field-hint">{locale.text(Key::CompositionHint)}</p>
                <div class="checks">
                    <Check id="settings-require-upper" checked=require_upper label=Key::RequireUpper/>
                    <Check id="settings-require-lower" checked=require_lower label=Key::RequireLower/>
                    <Check id="settings-require-digit" checked=require_digit label=Key::RequireDigit/>
                    <Check id="settings-require-symbol" checked=require_symbol label=Key::RequireSymbol/>
                </div>
            </fieldset>
            <fieldset class="fieldset">
                <legend>{locale.text(Key::TwoFactorPolicy)}</legend>
                <div class="choices">
                    {[
                        (TwoFactorPolicy::Optional, Key::TwoFactorOptional),
                        (TwoFactorPolicy::Admins, Key::TwoFactorAdmins),
                        (TwoFactorPolicy::Everyone, Key::TwoFactorEveryone),
                    ]
                        .into_iter()
                        .map(|(choice, label)| {
                            let id = format!("settings-two-factor-{}", choice.as_str());
                            view! {
                                <label class="choice" for=id.clone()>
                                    <input
                                        id=id.clone()
                                        type="radio"
                                        name="two-factor-policy"
                                        value=choice.as_str()
                                        data-testid=id.clone()
                                        prop:checked=move || two_factor.get() == choice
                                        on:change=move |_| two_factor.set(choice)
                                    />
                                    <span>{locale.text(label)}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <p class="field-hint">{locale.text(Key::TwoFactorPolicyHint)}</p>
            </fieldset>
            <fieldset class="fieldset">
                <legend>{locale.text(Key::SessionLifetimes)}</legend>
                <div class="field-row">
                    <LifetimeField
                        id="settings-idle"
                        label=Key::IdleLifetime
                        hint=Key::IdleLifetimeHint
                        lifetime=idle
                        error=Signal::derive(idle_error)
                    />
                    <LifetimeField
                        id="settings-absolute"
                        label=Key::AbsoluteLifetime
                        hint=Key::AbsoluteLifetimeHint
                        lifetime=absolute
                        error=Signal::derive(absolute_error)
                    />
                </div>
            </fieldset>
            <fieldset class="fieldset">
                <legend>{locale.text(Key::AuthLog)}</legend>
                <Field
                    id="settings-retention"
                    label=Key::RetentionDays
                    kind="number"
                    inputmode="numeric"
                    class="field-short"
                    value=retention
                    error=Signal::derive(retention_error)
                />
            </fieldset>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="settings-save"
                    disabled=save.pending()
                >
                    {locale.text_when(save.pending(), Key::Saving, Key::Save)}
                </button>
                <SavedNote when=Signal::derive(done) testid="settings-saved"/>
            </div>
        </form>
    }
}

#[component]
fn LifetimeField(
    id: &'static str,
    label: Key,
    hint: Key,
    lifetime: Lifetime,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let locale = use_locale();
    let amount_id = format!("{id}-value");
    let unit_id = format!("{id}-unit");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=amount_id.clone()>{locale.text(label)}</label>
            <div class="amount-unit">
                <input
                    id=amount_id.clone()
                    type="number"
                    inputmode="numeric"
                    min="1"
                    data-testid=amount_id.clone()
                    bind:value=lifetime.amount
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=format!("{hint_id} {error_id}")
                />
                <select
                    id=unit_id.clone()
                    data-testid=unit_id.clone()
                    aria-label=locale.text(Key::Unit)
                    prop:value=move || lifetime.unit.get().to_string()
                    on:change=move |event| {
                        if let Ok(unit) = event_target_value(&event).parse() {
                            lifetime.unit.set(unit);
                        }
                    }
                >
                    {UNITS
                        .into_iter()
                        .map(|(unit, name)| {
                            view! {
                                <option value=unit.to_string() selected=move || lifetime.unit.get() == unit>
                                    {locale.text(name)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="field-hint" id=hint_id.clone()>{locale.text(hint)}</p>
            <p class="field-error" id=error_id.clone()>{move || error.get()}</p>
        </div>
    }
}
