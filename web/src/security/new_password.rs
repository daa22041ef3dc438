//! Choosing a new password: the field, its confirmation, the strength meter and the rules still
//! unmet, live while typing (P2). The same piece serves changing one's own password, a reset
//! from a mailed link, and an administrator setting a member's password. The rules are the
//! domain's, the very ones the server judges with.

use gatehouse_domain::security::{strength, PasswordPolicy, PasswordRule, Strength};
use leptos::prelude::*;

use crate::{
    api::ApiError,
    auth::session::PasswordOwner,
    i18n::{field_code_text, password_rule, password_rule_text, strength_text, use_locale, Key},
    layout::field::Field,
};

/// A new password being chosen, and what it is checked against.
#[derive(Clone, Copy)]
pub struct NewPassword {
    pub password: RwSignal<String>,
    pub confirm: RwSignal<String>,
    // Problems show from the first submit on, not while the person is still typing.
    attempted: RwSignal<bool>,
    rules: Signal<(PasswordPolicy, PasswordOwner)>,
}

impl NewPassword {
    #[must_use]
    pub fn new(rules: Signal<(PasswordPolicy, PasswordOwner)>) -> Self {
        Self {
            password: RwSignal::new(String::new()),
            confirm: RwSignal::new(String::new()),
            attempted: RwSignal::new(false),
            rules,
        }
    }

    /// The rules the password breaks (tracked).
    fn broken(&self) -> Vec<PasswordRule> {
        let password = self.password.get();
        self.rules
            .with(|(policy, owner)| policy.check(&password, owner.context()))
    }

    fn strength(&self) -> Strength {
        let password = self.password.get();
        self.rules
            .with(|(policy, owner)| strength(&password, policy, owner.context()))
    }

    fn mismatch(&self) -> bool {
        self.password
            .with(|password| self.confirm.with(|confirm| password != confirm))
    }

    /// Marks a submit, after which problems show, and says whether the password may be sent.
    #[must_use]
    pub fn ready(&self) -> bool {
        self.attempted.set(true);
        untrack(|| self.broken().is_empty() && !self.mismatch())
    }

    /// Empties both fields, e.g. once the password was saved.
    pub fn clear(&self) {
        self.password.set(String::new());
        self.confirm.set(String::new());
        self.attempted.set(false);
    }
}

/// The new password and its confirmation. Ids and test ids are `{prefix}-new` and
/// `{prefix}-confirm`; the meter and the rules are `password-strength` and `password-rules`.
#[component]
pub fn NewPasswordFields(
    new_password: NewPassword,
    prefix: &'static str,
    /// The request field the server names in its verdict on the new password.
    field: &'static str,
    /// The form's last refusal, for that verdict.
    #[prop(into)]
    refused: Signal<Option<ApiError>>,
    #[prop(default = Key::NewPassword)] label: Key,
) -> impl IntoView {
    let locale = use_locale();
    let new_id = format!("{prefix}-new");
    let confirm_id = format!("{prefix}-confirm");
    let strength_id = format!("{prefix}-strength");
    let rules_id = format!("{prefix}-rules");
    let min_length = move || new_password.rules.with(|(policy, _)| policy.min_length);

    let error = move || {
        let lang = locale.lang();
        if new_password.attempted.get() && !new_password.broken().is_empty() {
            return Some(locale.t(Key::PasswordBreaksRules).to_owned());
        }
        // The server's verdict, one sentence per broken rule, in the reader's language.
        let refusal = refused.get()?;
        let texts: Vec<String> = refusal
            .field_errors(field)
            .into_iter()
            .map(|error| match password_rule(&error.code) {
                Some(rule) => password_rule_text(lang, rule, Some(min_length())),
                None => field_code_text(lang, &error.code).unwrap_or_else(|| error.message.clone()),
            })
            .collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    };
    let confirm_error = move || {
        let typed_enough = new_password.confirm.with(|confirm| !confirm.is_empty())
            && new_password.confirm.with(String::len) >= new_password.password.with(String::len);
        ((new_password.attempted.get() || typed_enough) && new_password.mismatch())
            .then(|| locale.t(Key::PasswordsDiffer))
    };
    let score = move || {
        if new_password.password.with(String::is_empty) {
            None
        } else {
            Some(new_password.strength())
        }
    };

    view! {
        <Field
            id=new_id
            label=label
            kind="password"
            autocomplete="new-password"
            value=new_password.password
            error=Signal::derive(error)
            described_by=format!("{strength_id} {rules_id}")
        >
            <div
                class="strength"
                id=strength_id
                data-testid="password-strength"
                data-score=move || score().map_or(String::new(), |s| s.score().to_string())
                aria-live="polite"
            >
                <span class="strength-bar" aria-hidden="true">
                    {(0..5u8)
                        .map(|n| {
                            view! {
                                <span
                                    class="strength-step"
                                    class:strength-on=move || score().is_some_and(|s| s.score() >= n)
                                ></span>
                            }
                        })
                        .collect_view()}
                </span>
                <span class="strength-label">
                    {move || {
                        score()
                            .map(|s| format!("{}: {}", locale.t(Key::PasswordStrength), strength_text(locale.lang(), s)))
                            .unwrap_or_default()
                    }}
                </span>
            </div>
            <ul class="rules" id=rules_id data-testid="password-rules" aria-label=locale.text(Key::PasswordRulesLeft)>
                {move || {
                    let lang = locale.lang();
                    let min = min_length();
                    // Nothing typed yet: nothing to point at.
                    if new_password.password.with(String::is_empty) {
                        return Vec::new();
                    }
                    new_password
                        .broken()
                        .into_iter()
                        .map(|rule| {
                            view! {
                                <li class="rule" data-rule=rule.code()>
                                    {password_rule_text(lang, rule, Some(min))}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Field>
        <Field
            id=confirm_id
            label=Key::RepeatPassword
            kind="password"
            autocomplete="new-password"
            value=new_password.confirm
            error=Signal::derive(move || confirm_error().map(str::to_owned))
        />
    }
}
