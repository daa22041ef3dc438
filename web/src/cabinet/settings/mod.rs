//! The client cabinet's settings (`/settings/cabinet`, K1), for administrators, in the CRM
//! workspace: every item of seed 003 — on/off, the SMS provider, the two SMS templates with
//! their length counted live, the language, the sign-in header, the logo, the chat, what of a
//! lead is shown and under which names, personal-data deletion — checked in the browser by the
//! domain's rules before saving, and the one cabinet link once saved.

/// The logo: preview, upload, removal.
mod logo;
/// One SMS template's editor with its live length.
mod template;
/// The screen's texts.
pub mod texts;

use gatehouse_domain::{
    cabinet::{CabinetSettings, CabinetSettingsInput, ShownField, ShownStage, EVENT_KINDS},
    crm::{CustomField, EventKind},
    people::Language,
    pipelines::Pipeline,
    rights::Entity,
    sms::{SmsProvider, SmsProviderKind},
    Id,
};
use leptos::{ev::SubmitEvent, html, prelude::*};
use leptos_router::components::A;

use crate::{
    auth::session::use_session,
    cabinet::settings::{
        logo::LogoPicker,
        template::TemplateEditor,
        texts::{field_error_text, words, Text},
    },
    i18n::{event_kind_text, use_locale, Key, Lang, Locale},
    layout::{
        admin_only::AdminOnly,
        download::copy_text,
        field::Alert,
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
    sms::{
        form::{Choice, Input, Tick},
        texts::{kind_words, pick, say, Words},
        Problems,
    },
};

#[component]
pub fn CabinetSettingsPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <CabinetSettingsScreen/>
        </AdminOnly>
    }
}

/// What the screen needs: the settings, and what they choose from.
#[derive(Clone)]
struct Loaded {
    settings: CabinetSettings,
    providers: Vec<SmsProvider>,
    fields: Vec<CustomField>,
    pipelines: Vec<Pipeline>,
}

#[component]
fn CabinetSettingsScreen() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    // One pass through the session for the four reads: each pass is compiled on its own.
    let loaded = Remote::new(move || {
        session.call(async move {
            Ok(Loaded {
                settings: api.cabinet_settings().await?,
                providers: api.sms_providers().await?,
                fields: api.custom_fields(Entity::Leads).await?,
                pipelines: api.pipelines().await?,
            })
        })
    });
    view! {
        <div class="page page-wide cabinet-settings" data-testid="cabinet-settings">
            <header class="page-header">
                <h1>{say(locale, words(Text::Title))}</h1>
            </header>
            <p class="muted page-lead">{say(locale, words(Text::Lead))}</p>
            {move || match loaded.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => view! { <LoadFailed error=error retry=move |()| loaded.refetch()/> }.into_any(),
                Some(Ok(loaded)) => view! { <SettingsForm loaded=loaded/> }.into_any(),
            }}
        </div>
    }
}

/// A lead field the cabinet may show, as the form holds it.
#[derive(Clone)]
struct FieldRow {
    /// `name`, `price`, `created_at` or `custom.{id}`.
    key: String,
    name: FieldName,
    shown: RwSignal<bool>,
    alias: RwSignal<String>,
}

#[derive(Clone)]
enum FieldName {
    Own(Words),
    Custom(String),
}

impl FieldName {
    fn text(&self, lang: Lang) -> String {
        match self {
            Self::Own(words) => pick(lang, *words).to_owned(),
            Self::Custom(name) => name.clone(),
        }
    }
}

/// A stage the cabinet may show, as the form holds it.
#[derive(Clone)]
struct StageRow {
    id: Id,
    name: String,
    shown: RwSignal<bool>,
    alias: RwSignal<String>,
}

/// The rows sent with the last save, by their place in the form, so that the server's
/// `fields[1].alias` finds its row.
#[derive(Clone, Copy)]
struct Sent {
    fields: StoredValue<Vec<usize>>,
    stages: StoredValue<Vec<usize>>,
}

impl Sent {
    /// The name of row `row`'s `part` as the last save called it (`fields[1].alias`).
    fn field(self, list: &'static str, row: usize, part: &str) -> Option<String> {
        let rows = if list == "fields" {
            self.fields
        } else {
            self.stages
        };
        rows.with_value(|rows| rows.iter().position(|r| *r == row))
            .map(|at| format!("{list}[{at}].{part}"))
    }
}

/// The problem of row `row`, on any of `parts`, in words (tracked).
fn row_error(
    problems: Problems,
    sent: Sent,
    locale: Locale,
    list: &'static str,
    row: usize,
    parts: &'static [&'static str],
) -> Signal<Option<String>> {
    Signal::derive(move || {
        // Tracked before the rows sent are looked up: the first read finds none sent yet.
        problems.local.track();
        problems.refused.track();
        parts.iter().find_map(|part| {
            let field = sent.field(list, row, part)?;
            problems
                .of(&field)
                .map(|(code, message)| field_error_text(locale.lang(), &code, &message))
        })
    })
}

#[component]
#[allow(clippy::too_many_lines)]
fn SettingsForm(loaded: Loaded) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let Loaded {
        settings,
        providers,
        fields,
        pipelines,
    } = loaded;
    // New aliases are the names clients would read, in the cabinet's language.
    let cabinet_lang = Lang::from_language(settings.language);

    let enabled = RwSignal::new(settings.enabled);
    let provider = RwSignal::new(
        settings
            .sms_provider_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
    );
    let login = RwSignal::new(settings.login_template.clone());
    let deletion = RwSignal::new(settings.deletion_template.clone());
    let language = RwSignal::new(settings.language.code().to_owned());
    let header = RwSignal::new(settings.header_text.clone());
    let logo = RwSignal::new(settings.logo_url.clone());
    let chat = RwSignal::new(settings.chat_enabled);
    let show_company = RwSignal::new(settings.show_company);
    let show_client_name = RwSignal::new(settings.show_client_name);
    let erasure = RwSignal::new(settings.deletion_enabled);
    let events: Vec<(EventKind, RwSignal<bool>)> = EVENT_KINDS
        .iter()
        .map(|kind| (*kind, RwSignal::new(settings.event_kinds.contains(kind))))
        .collect();
    let field_row = |key: String, name: FieldName| {
        let saved = settings.fields.iter().find(|f| f.field == key);
        FieldRow {
            shown: RwSignal::new(saved.is_some()),
            alias: RwSignal::new(
                saved.map_or_else(|| name.text(cabinet_lang), |f| f.alias.clone()),
            ),
            key,
            name,
        }
    };
    let own = [
        ("name", Text::LeadName),
        ("price", Text::LeadPrice),
        ("created_at", Text::LeadCreated),
    ];
    let field_rows: Vec<FieldRow> = own
        .into_iter()
        .map(|(key, text)| field_row(key.to_owned(), FieldName::Own(words(text))))
        .chain(
            fields
                .into_iter()
                .map(|f| field_row(format!("custom.{}", f.id), FieldName::Custom(f.name))),
        )
        .collect();
    let stage_rows: Vec<(String, Vec<StageRow>)> = pipelines
        .into_iter()
        .map(|pipeline| {
            let rows = pipeline
                .stages
                .into_iter()
                .map(|stage| {
                    let saved = settings.stages.iter().find(|s| s.stage_id == stage.id);
                    StageRow {
                        id: stage.id,
                        shown: RwSignal::new(saved.is_some()),
                        alias: RwSignal::new(
                            saved.map_or_else(|| stage.name.clone(), |s| s.name.clone()),
                        ),
                        name: stage.name,
                    }
                })
                .collect();
            (pipeline.name, rows)
        })
        .collect();
    let link = RwSignal::new(settings.updated_at.map(|_| settings.link.clone()));

    let saving = Submission::new();
    let refused = Signal::derive(move || saving.error());
    let problems = Problems::new(refused);
    let sent = Sent {
        fields: StoredValue::new(Vec::new()),
        stages: StoredValue::new(Vec::new()),
    };
    let error = move |field: &'static str| problems.text(locale, field, field_error_text);
    let link_card = NodeRef::<html::Section>::new();

    let held = StoredValue::new((
        events.clone(),
        field_rows.clone(),
        stage_rows
            .iter()
            .flat_map(|(_, rows)| rows.iter().cloned())
            .collect::<Vec<_>>(),
    ));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if saving.pending().get_untracked() {
            return;
        }
        saving.clear();
        let (events, field_rows, stage_rows) = held.get_value();
        let (shown_fields, field_map): (Vec<ShownField>, Vec<usize>) = field_rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.shown.get_untracked())
            .map(|(i, row)| {
                let alias = row.alias.get_untracked().trim().to_owned();
                (
                    ShownField {
                        field: row.key.clone(),
                        alias,
                    },
                    i,
                )
            })
            .unzip();
        let (shown_stages, stage_map): (Vec<ShownStage>, Vec<usize>) = stage_rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.shown.get_untracked())
            .map(|(i, row)| {
                let name = row.alias.get_untracked().trim().to_owned();
                (
                    ShownStage {
                        stage_id: row.id,
                        name,
                    },
                    i,
                )
            })
            .unzip();
        sent.fields.set_value(field_map);
        sent.stages.set_value(stage_map);
        let input = CabinetSettingsInput {
            enabled: enabled.get_untracked(),
            sms_provider_id: provider.get_untracked().parse().ok(),
            login_template: login.get_untracked(),
            deletion_template: deletion.get_untracked(),
            language: Language::from_code(&language.get_untracked()).unwrap_or_default(),
            header_text: header.get_untracked().trim().to_owned(),
            chat_enabled: chat.get_untracked(),
            show_company: show_company.get_untracked(),
            show_client_name: show_client_name.get_untracked(),
            event_kinds: events
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(kind, _)| *kind)
                .collect(),
            fields: shown_fields,
            stages: shown_stages,
            deletion_enabled: erasure.get_untracked(),
        };
        let found = input.validate().err().unwrap_or_default();
        let clean = found.is_empty();
        problems.local.set(found);
        if clean {
            saving.run(
                async move { session.call(api.save_cabinet_settings(&input)).await },
                move |saved: CabinetSettings| {
                    link.set(Some(saved.link));
                    logo.set(saved.logo_url);
                    // Saving shows the cabinet's link (seed 003).
                    request_animation_frame(move || {
                        if let Some(card) = link_card.get_untracked() {
                            card.scroll_into_view();
                        }
                    });
                },
            );
        }
    };

    let provider_options = Signal::derive(move || {
        let lang = locale.lang();
        std::iter::once((
            String::new(),
            pick(lang, words(Text::ChooseProvider)).to_owned(),
        ))
        .chain(providers.iter().map(|p| {
            let kind = pick(lang, kind_words(p.kind));
            let name = if p.kind == SmsProviderKind::Outbox && p.name.is_empty() {
                kind.to_owned()
            } else {
                format!("{} ({kind})", p.name)
            };
            (p.id.to_string(), name)
        }))
        .collect()
    });
    let languages = Signal::stored(
        Language::ALL
            .into_iter()
            .map(|l| (l.code().to_owned(), native_name(l).to_owned()))
            .collect::<Vec<_>>(),
    );
    let fix_fields = Signal::derive(move || {
        problems
            .any()
            .then(|| pick(locale.lang(), words(Text::FixFields)).to_owned())
    });
    let saved_note = Signal::derive(move || {
        saving
            .succeeded()
            .then(|| pick(locale.lang(), words(Text::Saved)).to_owned())
    });

    view! {
        {move || link.get().map(|url| view! { <LinkCard url=url node_ref=link_card/> })}
        <form class="form settings-form" on:submit=submit novalidate=true data-testid="cabinet-settings-form">
            <section class="card" aria-labelledby="cabinet-state-title">
                <h2 id="cabinet-state-title">{say(locale, words(Text::StateSection))}</h2>
                <Tick id="cabinet-enabled" checked=enabled label=words(Text::Enabled) hint=words(Text::EnabledHint)/>
            </section>

            <section class="card" aria-labelledby="cabinet-sms-title">
                <h2 id="cabinet-sms-title">{say(locale, words(Text::SignInSection))}</h2>
                <div class="provider-row">
                    <Choice
                        id="cabinet-provider"
                        label=words(Text::Provider)
                        value=provider
                        options=provider_options
                        error=error("sms_provider_id")
                        hint=words(Text::ProviderHint)
                        class="field-medium"
                    />
                    <A href="/settings/sms" attr:class="link provider-link" attr:data-testid="cabinet-to-sms">
                        {say(locale, words(Text::ManageProviders))}
                    </A>
                </div>
                <div class="templates">
                    <TemplateEditor id="cabinet-login-template" label=words(Text::LoginTemplate) value=login error=error("login_template")/>
                    <TemplateEditor id="cabinet-deletion-template" label=words(Text::DeletionTemplate) value=deletion error=error("deletion_template")/>
                </div>
            </section>

            <section class="card" aria-labelledby="cabinet-look-title">
                <h2 id="cabinet-look-title">{say(locale, words(Text::AppearanceSection))}</h2>
                <div class="field-row">
                    <Choice id="cabinet-language" label=words(Text::Language) value=language options=languages error=error("language")/>
                    <Input id="cabinet-header" label=words(Text::Header) hint=words(Text::HeaderHint) value=header maxlength=200 error=error("header_text")/>
                </div>
                <LogoPicker current=logo/>
            </section>

            <section class="card" aria-labelledby="cabinet-shown-title">
                <h2 id="cabinet-shown-title">{say(locale, words(Text::ShownSection))}</h2>
                <div class="ticks">
                    <Tick id="cabinet-chat" checked=chat label=words(Text::Chat) hint=words(Text::ChatHint)/>
                    <Tick id="cabinet-show-company" checked=show_company label=words(Text::ShowCompany)/>
                    <Tick id="cabinet-show-client-name" checked=show_client_name label=words(Text::ShowClientName)/>
                    <Tick id="cabinet-deletion" checked=erasure label=words(Text::Deletion) hint=words(Text::DeletionHint)/>
                </div>
                <fieldset class="fieldset">
                    <legend>{say(locale, words(Text::Events))}</legend>
                    <p class="field-hint">{say(locale, words(Text::EventsHint))}</p>
                    <div class="checks event-checks">
                        {events.into_iter().map(|(kind, on)| view! {
                            <label class="choice">
                                <input type="checkbox" data-testid="cabinet-event" data-kind=kind.code() bind:checked=on/>
                                <span>{move || event_kind_text(locale.lang(), kind)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                    <p class="field-error">{error("event_kinds")}</p>
                </fieldset>
            </section>

            <section class="card" aria-labelledby="cabinet-fields-title">
                <h2 id="cabinet-fields-title">{say(locale, words(Text::Fields))}</h2>
                <p class="field-hint">{say(locale, words(Text::FieldsHint))}</p>
                <div class="shown-head" aria-hidden="true">
                    <span>{say(locale, words(Text::Field))}</span>
                    <span>{say(locale, words(Text::Alias))}</span>
                </div>
                <ul class="shown-rows">
                    {field_rows.into_iter().enumerate().map(|(i, row)| {
                        let name = row.name.clone();
                        let label = Signal::derive(move || name.text(locale.lang()));
                        view! {
                            <ShownRow
                                id=format!("cabinet-field-{i}")
                                testid="cabinet-field"
                                key=row.key.clone()
                                name=label
                                shown=row.shown
                                alias=row.alias
                                error=row_error(problems, sent, locale, "fields", i, &["field", "alias"])
                            />
                        }
                    }).collect_view()}
                </ul>
            </section>

            <section class="card" aria-labelledby="cabinet-stages-title">
                <h2 id="cabinet-stages-title">{say(locale, words(Text::Stages))}</h2>
                <p class="field-hint">{say(locale, words(Text::StagesHint))}</p>
                {stage_rows.is_empty().then(|| view! { <p class="muted">{say(locale, words(Text::NoStages))}</p> })}
                {
                    let mut flat = 0usize;
                    stage_rows.into_iter().map(|(pipeline, rows)| {
                        let rows = rows.into_iter().map(|row| {
                            let i = flat;
                            flat += 1;
                            view! {
                                <ShownRow
                                    id=format!("cabinet-stage-{}", row.id)
                                    testid="cabinet-stage"
                                    key=row.id.to_string()
                                    name=Signal::stored(row.name.clone())
                                    shown=row.shown
                                    alias=row.alias
                                    error=row_error(problems, sent, locale, "stages", i, &["stage_id", "name"])
                                />
                            }
                        }).collect_view();
                        view! {
                            <fieldset class="fieldset">
                                <legend>{pipeline}</legend>
                                <ul class="shown-rows">{rows}</ul>
                            </fieldset>
                        }
                    }).collect_view()
                }
            </section>

            <div class="save-bar">
                <button type="submit" class="button button-primary" data-testid="cabinet-settings-save" disabled=saving.pending()>
                    {locale.text_when(saving.pending(), Key::Saving, Key::Save)}
                </button>
                <Alert message=saved_note testid="cabinet-settings-saved" success=true/>
                <Alert message=fix_fields testid="cabinet-settings-fix"/>
                <FormError refused=refused testid="cabinet-settings-error"/>
            </div>
        </form>
    }
}

/// One field or stage: whether it is shown, and its name in the cabinet.
#[component]
fn ShownRow(
    id: String,
    testid: &'static str,
    /// The field's key or the stage's id, for tests and the server's errors.
    key: String,
    name: Signal<String>,
    shown: RwSignal<bool>,
    alias: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let locale = use_locale();
    let alias_id = format!("{id}-alias");
    let error_id = format!("{id}-error");
    let check_id = id.clone();
    let invalid = Signal::derive(move || error.with(Option::is_some));
    let alias_label = move || {
        format!(
            "{}: {}",
            pick(locale.lang(), words(Text::Alias)),
            name.get()
        )
    };
    view! {
        <li class="shown-row" class:field-invalid=invalid data-testid=testid data-key=key.clone()>
            <label class="choice" for=id>
                <input id=check_id type="checkbox" data-testid=format!("{testid}-shown") bind:checked=shown/>
                <span>{move || name.get()}</span>
            </label>
            <div class="field">
                <label class="sr-only" for=alias_id.clone()>{alias_label}</label>
                <input
                    id=alias_id
                    type="text"
                    maxlength="60"
                    data-testid=format!("{testid}-alias")
                    disabled=move || !shown.get()
                    aria-invalid=move || if invalid.get() { "true" } else { "false" }
                    aria-describedby=error_id.clone()
                    bind:value=alias
                />
                <p class="field-error" id=error_id>{move || error.get()}</p>
            </div>
        </li>
    }
}

/// The one link all clients use, to copy or open.
#[component]
fn LinkCard(url: String, node_ref: NodeRef<html::Section>) -> impl IntoView {
    let locale = use_locale();
    let copied = RwSignal::new(None::<bool>);
    let to_copy = url.clone();
    let shown = url.clone();
    view! {
        <section class="card link-card" aria-labelledby="cabinet-link-title" node_ref=node_ref data-testid="cabinet-link-card">
            <h2 id="cabinet-link-title">{say(locale, words(Text::Link))}</h2>
            <p class="muted">{say(locale, words(Text::LinkHint))}</p>
            <div class="link-row">
                <code class="cabinet-link" data-testid="cabinet-link">{shown}</code>
                <button
                    type="button"
                    class="button button-outline button-small"
                    data-testid="cabinet-link-copy"
                    on:click=move |_| copied.set(Some(copy_text(&to_copy)))
                >
                    {locale.text(Key::Copy)}
                </button>
                <a class="button button-primary button-small" href=url target="_blank" rel="noopener noreferrer" data-testid="cabinet-link-open">
                    {say(locale, words(Text::Open))}
                </a>
                {move || copied.get().map(|ok| view! {
                    <span class=if ok { "saved" } else { "text-danger" } role="status">
                        {locale.text(if ok { Key::Copied } else { Key::CopyFailed })}
                    </span>
                })}
            </div>
        </section>
    }
}

/// A cabinet language's own name, so an administrator finds the clients' language whatever
/// their own is.
const fn native_name(language: Language) -> &'static str {
    match language {
        Language::Ru => "Русский",
        Language::En => "English",
        Language::Es => "Español",
        Language::Pt => "Português",
    }
}
