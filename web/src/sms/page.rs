//! The SMS screen (`/settings/sms`, K2): the account's providers — the outbox, HTTP gateways
//! with their request format, timeout, retries and a secret header that is never shown again —
//! a test message through one of them, and the log.

use gatehouse_domain::{
    problem::FieldError,
    sms::{
        SmsProvider, SmsProviderInput, SmsProviderKind, SmsTestInput, WebhookFormat, WebhookInput,
        WebhookSettings,
    },
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
    layout::{
        admin_only::AdminOnly,
        dialog::ConfirmDialog,
        field::Alert,
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
    sms::{
        form::{Choice, Input, Tick},
        log::SmsLog,
        texts::{field_error_text, format_words, kind_words, pick, say, words, Text, Words},
        Problems,
    },
};

/// A new gateway's settings until the administrator changes them: the field names most
/// gateways use, a timeout well under the client's patience, two retries.
const DEFAULT_TIMEOUT_MS: u32 = 5000;
const DEFAULT_RETRIES: u8 = 2;

#[component]
pub fn SmsPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <Sms/>
        </AdminOnly>
    }
}

/// The account's SMS providers, for this screen and the cabinet's settings.
#[must_use]
pub fn load_providers() -> Remote<Vec<SmsProvider>> {
    let session = use_session();
    let api = session.api();
    Remote::new(move || session.call(api.sms_providers()))
}

/// What the screen's parts share.
#[derive(Clone, Copy)]
struct Screen {
    providers: Remote<Vec<SmsProvider>>,
    /// The provider being changed; adding one when `None`.
    editing: RwSignal<Option<SmsProvider>>,
    /// Counts saves, so that the form starts afresh after each.
    saves: RwSignal<u32>,
    /// What the last act on the providers did, shown above their list.
    done: RwSignal<Option<Words>>,
    /// Counts test messages, so that the log reads again after each.
    tests: RwSignal<u32>,
}

#[component]
fn Sms() -> impl IntoView {
    let locale = use_locale();
    let screen = Screen {
        providers: load_providers(),
        editing: RwSignal::new(None),
        saves: RwSignal::new(0),
        done: RwSignal::new(None),
        tests: RwSignal::new(0),
    };
    let done = Signal::derive(move || screen.done.get().map(|w| pick(locale.lang(), w).to_owned()));
    view! {
        <div class="page page-wide page-sms" data-testid="sms">
            <header class="page-header">
                <h1>{say(locale, words(Text::Title))}</h1>
                <A href="/settings/cabinet" attr:class="button button-outline" attr:data-testid="sms-to-cabinet">
                    {say(locale, words(Text::BackToCabinet))}
                </A>
            </header>
            <p class="muted page-lead">{say(locale, words(Text::Lead))}</p>
            <section class="card" aria-labelledby="sms-providers" data-testid="sms-providers">
                <h2 id="sms-providers">{say(locale, words(Text::Providers))}</h2>
                <Alert message=done testid="sms-provider-done" success=true/>
                {move || match screen.providers.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => {
                        view! { <LoadFailed error=error retry=move |()| screen.providers.refetch()/> }.into_any()
                    }
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="muted" data-testid="sms-no-providers">{say(locale, words(Text::NoProviders))}</p> }
                            .into_any()
                    }
                    Some(Ok(list)) => view! {
                        <ul class="rows">
                            {list.into_iter().map(|provider| view! { <ProviderRow provider=provider screen=screen/> }).collect_view()}
                        </ul>
                    }
                        .into_any(),
                }}
            </section>
            {move || {
                screen.saves.track();
                view! { <ProviderForm editing=screen.editing.get() screen=screen/> }
            }}
            <TestCard screen=screen/>
            <SmsLog again=screen.tests/>
        </div>
    }
}

#[component]
fn ProviderRow(provider: SmsProvider, screen: Screen) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let asking = RwSignal::new(false);
    let deleting = Submission::new();
    let id = provider.id;
    let name = provider.name.clone();
    let question = Signal::derive(move || pick(locale.lang(), words(Text::DeleteTitle)).to_owned());
    let named = Signal::stored(name.clone());
    let delete = Callback::new(move |()| {
        deleting.run(
            async move { session.call(api.delete_sms_provider(id)).await },
            move |()| {
                if screen
                    .editing
                    .with_untracked(|e| e.as_ref().is_some_and(|p| p.id == id))
                {
                    screen.editing.set(None);
                }
                screen.done.set(Some(words(Text::ProviderDeleted)));
                screen.providers.refetch();
            },
        );
    });
    let for_edit = provider.clone();
    view! {
        <li class="row row-stacked" data-testid="sms-provider" data-kind=provider.kind.as_str()>
            <div class="row-title">
                <span class="cell-title" data-testid="sms-provider-name">{name}</span>
                <span class="badge" class:badge-accent=provider.kind == SmsProviderKind::Outbox>
                    {say(locale, kind_words(provider.kind))}
                </span>
            </div>
            {provider.webhook.map(|webhook| view! { <WebhookSummary webhook=webhook/> })}
            <div class="inline-actions">
                <button
                    type="button"
                    class="button button-outline button-small"
                    data-testid="sms-provider-edit"
                    on:click=move |_| {
                        screen.done.set(None);
                        screen.editing.set(Some(for_edit.clone()));
                    }
                >
                    {locale.text(Key::Edit)}
                </button>
                // The outbox stays: it is what works without a gateway.
                {(provider.kind == SmsProviderKind::Http).then(|| view! {
                    <button
                        type="button"
                        class="button button-outline button-small"
                        data-testid="sms-provider-delete"
                        disabled=deleting.pending()
                        on:click=move |_| asking.set(true)
                    >
                        {locale.text(Key::Delete)}
                    </button>
                })}
            </div>
            <FormError refused=Signal::derive(move || deleting.error()) testid="sms-provider-delete-error"/>
            <ConfirmDialog
                open=asking
                title=question
                text=named
                confirm=Key::Delete
                danger=true
                testid="sms-provider-delete-dialog"
                on_confirm=delete
            />
        </li>
    }
}

#[component]
fn WebhookSummary(webhook: WebhookSettings) -> impl IntoView {
    let locale = use_locale();
    let WebhookSettings {
        url,
        format,
        phone_field,
        text_field,
        sender,
        timeout_ms,
        retries,
        has_authorization,
    } = webhook;
    view! {
        <div class="row-meta">
            <span class="overflow-anywhere" data-testid="sms-provider-url">{url}</span>
            <span>{say(locale, format_words(format))}": "{phone_field}", "{text_field}</span>
            {sender.map(|sender| view! { <span>{say(locale, words(Text::Sender))}": "{sender}</span> })}
            <span>{timeout_ms}" ms · "{say(locale, words(Text::Tries))}": "{u32::from(retries) + 1}</span>
            <span data-testid="sms-provider-authorization">
                {say(locale, words(if has_authorization { Text::AuthorizationSet } else { Text::AuthorizationNotSet }))}
            </span>
        </div>
    }
}

/// The form that adds a provider, or changes the one being edited.
#[component]
fn ProviderForm(editing: Option<SmsProvider>, screen: Screen) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let id = editing.as_ref().map(|p| p.id);
    let webhook = editing.as_ref().and_then(|p| p.webhook.clone());
    let has_authorization = webhook.as_ref().is_some_and(|w| w.has_authorization);
    let name = RwSignal::new(editing.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    // The outbox is every account's from the start, so what is added is a gateway; a
    // provider's kind does not change.
    let kind = editing.as_ref().map_or(SmsProviderKind::Http, |p| p.kind);
    let is_http = kind == SmsProviderKind::Http;
    let text_of = |read: fn(&WebhookSettings) -> String, default: &str| {
        RwSignal::new(webhook.as_ref().map_or_else(|| default.to_owned(), read))
    };
    let url = text_of(|w| w.url.clone(), "");
    let format = text_of(
        |w| match w.format {
            WebhookFormat::Json => "json".to_owned(),
            WebhookFormat::Form => "form".to_owned(),
        },
        "json",
    );
    let phone_field = text_of(|w| w.phone_field.clone(), "phone");
    let text_field = text_of(|w| w.text_field.clone(), "text");
    let sender = text_of(|w| w.sender.clone().unwrap_or_default(), "");
    let timeout = text_of(
        |w| w.timeout_ms.to_string(),
        &DEFAULT_TIMEOUT_MS.to_string(),
    );
    let retries = text_of(|w| w.retries.to_string(), &DEFAULT_RETRIES.to_string());
    let authorization = RwSignal::new(String::new());
    let remove_authorization = RwSignal::new(false);

    let saving = Submission::new();
    let problems = Problems::new(Signal::derive(move || saving.error()));
    let error = move |field: &'static str| problems.text(locale, field, field_error_text);
    // "An HTTP provider needs its gateway's address" belongs to the address.
    let url_error = {
        let (url, webhook) = (error("webhook.url"), error("webhook"));
        Signal::derive(move || url.get().or_else(|| webhook.get()))
    };

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if saving.pending().get_untracked() {
            return;
        }
        saving.clear();
        let mut found = Vec::new();
        let mut number = |field: &str, text: RwSignal<String>| {
            let parsed = text.get_untracked().trim().parse::<u32>().ok();
            if parsed.is_none() {
                found.push(FieldError::new(
                    field,
                    "not_a_number",
                    "enter a whole number",
                ));
            }
            parsed.unwrap_or_default()
        };
        let webhook = is_http.then(|| {
            let timeout_ms = number("webhook.timeout_ms", timeout);
            let retries = number("webhook.retries", retries);
            let typed = authorization.get_untracked();
            WebhookInput {
                url: url.get_untracked().trim().to_owned(),
                format: if format.get_untracked() == "form" {
                    WebhookFormat::Form
                } else {
                    WebhookFormat::Json
                },
                phone_field: phone_field.get_untracked().trim().to_owned(),
                text_field: text_field.get_untracked().trim().to_owned(),
                sender: Some(sender.get_untracked().trim().to_owned()).filter(|s| !s.is_empty()),
                timeout_ms,
                retries: u8::try_from(retries).unwrap_or(u8::MAX),
                // Empty keeps the stored header; removing it is asked for by its own tick.
                authorization: if remove_authorization.get_untracked() {
                    Some(String::new())
                } else {
                    Some(typed.trim().to_owned()).filter(|a| !a.is_empty())
                },
            }
        });
        let input = SmsProviderInput {
            name: name.get_untracked().trim().to_owned(),
            kind,
            webhook,
        };
        let typed: Vec<String> = found.iter().map(|f| f.field.clone()).collect();
        if let Err(errors) = input.validate() {
            found.extend(errors.into_iter().filter(|e| !typed.contains(&e.field)));
        }
        let clean = found.is_empty();
        problems.local.set(found);
        if clean {
            saving.run(
                async move { session.call(api.save_sms_provider(id, &input)).await },
                move |_| {
                    screen.done.set(Some(words(Text::ProviderSaved)));
                    screen.providers.refetch();
                    screen.editing.set(None);
                    screen.saves.update(|n| *n = n.wrapping_add(1));
                },
            );
        }
    };

    let title = if id.is_some() {
        Text::ChangeProvider
    } else {
        Text::AddProvider
    };
    let formats = Signal::derive(move || {
        [("json", WebhookFormat::Json), ("form", WebhookFormat::Form)]
            .into_iter()
            .map(|(code, f)| {
                (
                    code.to_owned(),
                    pick(locale.lang(), format_words(f)).to_owned(),
                )
            })
            .collect()
    });
    // Opening a provider to change brings its form into view.
    let heading = NodeRef::<leptos::html::H2>::new();
    if id.is_some() {
        Effect::new(move |_| {
            if let Some(heading) = heading.get() {
                heading.scroll_into_view();
            }
        });
    }
    view! {
        <section class="card" aria-labelledby="sms-provider-form-title">
            <h2 id="sms-provider-form-title" node_ref=heading>{say(locale, words(title))}</h2>
            <form class="form" on:submit=submit novalidate=true data-testid="sms-provider-form">
                <Input id="sms-provider-name-input" label=words(Text::ProviderName) value=name error=error("name") maxlength=60 class="field-medium"/>
                <FieldNote problem=error("kind")/>
                {is_http.then(|| view! {
                    <Input
                        id="sms-provider-url"
                        label=words(Text::Url)
                        kind="url"
                        placeholder="https://sms.example.com/send"
                        value=url
                        error=url_error
                    />
                    <div class="field-row">
                        <Choice id="sms-provider-format" label=words(Text::Format) value=format options=formats/>
                        <Input id="sms-provider-phone-field" label=words(Text::PhoneField) hint=words(Text::PhoneFieldHint) value=phone_field error=error("webhook.phone_field")/>
                        <Input id="sms-provider-text-field" label=words(Text::MessageField) hint=words(Text::MessageFieldHint) value=text_field error=error("webhook.text_field")/>
                    </div>
                    <div class="field-row">
                        <Input id="sms-provider-sender" label=words(Text::Sender) hint=words(Text::SenderHint) value=sender maxlength=11 error=error("webhook.sender")/>
                        <Input id="sms-provider-timeout" label=words(Text::Timeout) kind="number" inputmode="numeric" value=timeout error=error("webhook.timeout_ms")/>
                        <Input id="sms-provider-retries" label=words(Text::Retries) hint=words(Text::RetriesHint) kind="number" inputmode="numeric" value=retries error=error("webhook.retries")/>
                    </div>
                    <Input
                        id="sms-provider-authorization"
                        label=words(Text::Authorization)
                        hint=words(Text::AuthorizationHint)
                        kind="password"
                        autocomplete="new-password"
                        placeholder=if has_authorization { "••••••••" } else { "Bearer …" }
                        value=authorization
                        error=error("webhook.authorization")
                    />
                    {has_authorization.then(|| view! {
                        <Tick id="sms-provider-remove-authorization" checked=remove_authorization label=words(Text::RemoveAuthorization)/>
                    })}
                })}
                <FormError refused=Signal::derive(move || saving.error()) testid="sms-provider-error"/>
                <div class="inline-actions">
                    <button type="submit" class="button button-primary" data-testid="sms-provider-save" disabled=saving.pending()>
                        {locale.text_when(saving.pending(), Key::Saving, Key::Save)}
                    </button>
                    {id.map(|_| view! {
                        <button type="button" class="button button-quiet" on:click=move |_| screen.editing.set(None)>
                            {locale.text(Key::Cancel)}
                        </button>
                    })}
                </div>
            </form>
        </section>
    }
}

/// A field problem not shown by any input (the provider's kind).
#[component]
fn FieldNote(problem: Signal<Option<String>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|text| view! { <p class="field-error" role="alert">{text}</p> })
    }
}

/// A test message through one provider, which joins the log.
#[component]
fn TestCard(screen: Screen) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let chosen = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let sending = Submission::new();
    let problems = Problems::new(Signal::derive(move || sending.error()));
    let options = Signal::derive(move || {
        screen
            .providers
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let kind = pick(locale.lang(), kind_words(p.kind));
                (p.id.to_string(), format!("{} ({kind})", p.name))
            })
            .collect::<Vec<_>>()
    });
    // The first provider is chosen once they are in, and again when the chosen one is gone.
    Effect::new(move |_| {
        let options = options.get();
        let current = chosen.get_untracked();
        if !options.iter().any(|(id, _)| *id == current) {
            chosen.set(
                options
                    .first()
                    .map(|(id, _)| id.clone())
                    .unwrap_or_default(),
            );
        }
    });
    let send = move |event: SubmitEvent| {
        event.prevent_default();
        let Ok(id) = chosen.get_untracked().parse::<Id>() else {
            return;
        };
        let input = SmsTestInput {
            phone: phone.get_untracked().trim().to_owned(),
        };
        sending.run(
            async move { session.call(api.test_sms_provider(id, &input)).await },
            move |()| screen.tests.update(|n| *n = n.wrapping_add(1)),
        );
    };
    let sent = Signal::derive(move || {
        sending
            .succeeded()
            .then(|| pick(locale.lang(), words(Text::TestSent)).to_owned())
    });
    view! {
        <section class="card" aria-labelledby="sms-test-title" data-testid="sms-test">
            <h2 id="sms-test-title">{say(locale, words(Text::TestTitle))}</h2>
            <p class="muted">{say(locale, words(Text::TestLead))}</p>
            {move || if options.with(Vec::is_empty) {
                view! { <p class="muted">{say(locale, words(Text::NoProviders))}</p> }.into_any()
            } else {
                view! {
                    <form class="inline-form sms-test-form" on:submit=send novalidate=true>
                        <Choice id="sms-test-provider" label=words(Text::Provider) value=chosen options=options class="field-medium"/>
                        <Input
                            id="sms-test-phone"
                            label=words(Text::TestPhone)
                            kind="tel"
                            inputmode="tel"
                            autocomplete="tel"
                            placeholder="+7 912 345-67-89"
                            value=phone
                            class="field-medium"
                            error=problems.text(locale, "phone", field_error_text)
                        />
                        <button type="submit" class="button button-primary" data-testid="sms-test-send" disabled=sending.pending()>
                            {move || pick(locale.lang(), words(if sending.pending().get() { Text::Sending } else { Text::Send }))}
                        </button>
                    </form>
                }
                    .into_any()
            }}
            <FormError refused=Signal::derive(move || sending.error()) testid="sms-test-error"/>
            <Alert message=sent testid="sms-test-sent" success=true/>
        </section>
    }
}
