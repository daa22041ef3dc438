//! The member's own profile (`/profile`): who they are, their place in the account, their name
//! and language.

use gatehouse_domain::{
    people::{PersonError, PersonName},
    profile::UpdateMe,
};
use leptos::{ev::SubmitEvent, html, prelude::*};

use crate::{
    auth::session::use_session,
    i18n::{field_error_text, use_locale, Key},
    layout::{focus_when_mounted, language_select::LanguageSelect, remote::Submission},
    profile::tabs::ProfileHeader,
};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let field = move |read: fn(&gatehouse_domain::profile::Me) -> String| {
        move || session.with_me(read).unwrap_or_default()
    };
    let email = field(|me| me.identity.email.clone());
    let account = field(|me| me.membership.account.name.clone());
    let member_since = field(|me| me.membership.created_at.date_naive().to_string());
    let is_admin = move || {
        session
            .with_me(|me| me.membership.is_admin)
            .unwrap_or(false)
    };
    let is_free = move || session.with_me(|me| me.membership.is_free).unwrap_or(false);
    let group = move || {
        session
            .with_me(|me| {
                me.membership.group.as_ref().map(|group| {
                    // The default group is named in the account's language; show the reader's.
                    if group.is_default {
                        locale.t(Key::DefaultGroup).to_owned()
                    } else {
                        group.name.clone()
                    }
                })
            })
            .flatten()
    };

    view! {
        <div class="page">
            <ProfileHeader/>
            <section class="card" aria-labelledby="personal-details">
                <h2 id="personal-details">{locale.text(Key::PersonalDetails)}</h2>
                <dl class="details">
                    <div class="detail">
                        <dt>{locale.text(Key::Name)}</dt>
                        <dd>
                            <NameEditor/>
                        </dd>
                    </div>
                    <div class="detail">
                        <dt>{locale.text(Key::Email)}</dt>
                        <dd data-testid="profile-email">{email}</dd>
                    </div>
                    <div class="detail">
                        <dt aria-hidden="true">{locale.text(Key::Language)}</dt>
                        <dd>
                            <LanguageSelect id="profile-language" testid="profile-language" compact=true/>
                        </dd>
                    </div>
                </dl>
            </section>
            <section class="card" aria-labelledby="account-membership">
                <h2 id="account-membership">{locale.text(Key::AccountMembership)}</h2>
                <dl class="details">
                    <div class="detail">
                        <dt>{locale.text(Key::Account)}</dt>
                        <dd data-testid="profile-account">{account}</dd>
                    </div>
                    <div class="detail">
                        <dt>{locale.text(Key::Role)}</dt>
                        <dd class="badges">
                            <span class="badge" class:badge-accent=is_admin data-testid="profile-role">
                                {move || locale.t(if is_admin() { Key::Administrator } else { Key::User })}
                            </span>
                            {move || {
                                session
                                    .with_me(|me| me.membership.role.as_ref().map(|role| role.name.clone()))
                                    .flatten()
                                    .map(|role| view! { <span class="badge" data-testid="profile-role-name">{role}</span> })
                            }}
                            <Show when=is_free>
                                <span class="badge badge-muted" data-testid="profile-free">
                                    {locale.text(Key::FreeUser)}
                                </span>
                            </Show>
                        </dd>
                    </div>
                    <div class="detail">
                        <dt>{locale.text(Key::Group)}</dt>
                        <dd data-testid="profile-group">
                            {move || group().unwrap_or_else(|| locale.t(Key::NoGroup).to_owned())}
                        </dd>
                    </div>
                    <div class="detail">
                        <dt>{locale.text(Key::MemberSince)}</dt>
                        <dd>
                            <time>{member_since}</time>
                        </dd>
                    </div>
                </dl>
            </section>
        </div>
    }
}

/// The name, with an inline form to change it (U5 rules, checked here and by the server).
#[component]
fn NameEditor() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let name = move || {
        session
            .with_me(|me| me.identity.name.clone())
            .unwrap_or_default()
    };
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let rule = RwSignal::new(None::<PersonError>);
    let input = NodeRef::<html::Input>::new();

    let save = Submission::new();
    let refused = move || save.error();
    let error = move || {
        let lang = locale.lang();
        if let Some(rule) = rule.get() {
            return Some(field_error_text(lang, rule).to_owned());
        }
        refused().map(|error| {
            error
                .field_message("name", lang)
                .unwrap_or_else(|| error.message(lang))
        })
    };

    focus_when_mounted(input);

    let start = move |_| {
        draft.set(name());
        rule.set(None);
        save.clear();
        editing.set(true);
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        save.clear();
        match PersonName::parse(&draft.get_untracked()) {
            Ok(parsed) => {
                rule.set(None);
                let changes = UpdateMe {
                    name: Some(parsed.as_str().to_owned()),
                    language: None,
                };
                save.run(session.update_me(changes), move |()| editing.set(false));
            }
            Err(broken) => rule.set(Some(broken)),
        }
    };

    move || {
        if editing.get() {
            view! {
                <form class="inline-form" on:submit=on_submit novalidate=true>
                    <div class="field" class:field-invalid=move || error().is_some()>
                        <label for="profile-name-input" class="sr-only">{locale.text(Key::Name)}</label>
                        <input
                            id="profile-name-input"
                            type="text"
                            autocomplete="name"
                            maxlength="100"
                            data-testid="profile-name-input"
                            node_ref=input
                            bind:value=draft
                            aria-invalid=move || if error().is_some() { "true" } else { "false" }
                            aria-describedby="profile-name-error"
                            on:keydown=move |event| {
                                if event.key() == "Escape" {
                                    editing.set(false);
                                }
                            }
                        />
                        <p class="field-error" id="profile-name-error" data-testid="profile-name-error">
                            {error}
                        </p>
                    </div>
                    <div class="inline-actions">
                        <button
                            type="submit"
                            class="button button-primary"
                            data-testid="profile-name-save"
                            disabled=save.pending()
                        >
                            {locale.text_when(save.pending(), Key::Saving, Key::Save)}
                        </button>
                        <button type="button" class="button button-quiet" on:click=move |_| editing.set(false)>
                            {locale.text(Key::Cancel)}
                        </button>
                    </div>
                </form>
            }
                .into_any()
        } else {
            view! {
                <div class="inline-value">
                    <span class="name" data-testid="profile-name">{name}</span>
                    <button
                        type="button"
                        class="button button-quiet button-small"
                        data-testid="profile-name-edit"
                        aria-label=locale.text(Key::EditName)
                        on:click=start
                    >
                        {locale.text(Key::Edit)}
                    </button>
                </div>
            }
            .into_any()
        }
    }
}
