//! Roles (`/roles`, R4): named rights templates. The list with member counts and deleting;
//! the editor of one role.

/// Adding and editing a role.
pub mod editor;

use gatehouse_domain::roles::Role;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    auth::session::use_session,
    i18n::{fill, use_locale, users_count, Key},
    layout::{
        admin_only::AdminOnly,
        dialog::ConfirmDialog,
        field::Alert,
        loading::{LoadFailed, Loading},
        remote::Submission,
    },
    users::load_roles,
};

#[component]
pub fn RolesPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <Roles/>
        </AdminOnly>
    }
}

#[component]
fn Roles() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let roles = load_roles();
    let deleting = RwSignal::new(None::<Role>);
    let delete_open = RwSignal::new(false);
    let delete = Submission::new();
    let deleted = RwSignal::new(None::<String>);
    let remove = move |role: Role| {
        deleted.set(None);
        let name = role.name;
        delete.run(session.call(api.delete_role(role.id)), move |()| {
            deleted.set(Some(name));
            roles.refetch();
        });
    };
    let done = Signal::derive(move || {
        deleted
            .get()
            .map(|name| fill(locale.t(Key::RoleDeleted), &[("name", &name)]))
    });
    view! {
        <div class="page" data-testid="roles">
            <header class="page-header">
                <h1>{locale.text(Key::Roles)}</h1>
                <A href="/roles/new" attr:class="button button-primary" attr:data-testid="roles-add">
                    {locale.text(Key::AddRole)}
                </A>
            </header>
            <p class="muted">{locale.text(Key::RolesText)}</p>
            <Alert message=done testid="role-done" success=true/>
            <Alert
                message=Signal::derive(move || {
                    let name = deleting.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default());
                    delete.error().map(|error| format!("{name}: {}", error.message(locale.lang())))
                })
                testid="role-error"
            />
            <section class="card" aria-labelledby="roles-title">
                <h2 id="roles-title">{locale.text(Key::Roles)}</h2>
                {move || match roles.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => view! { <LoadFailed error=error retry=move |()| roles.refetch()/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="muted" data-testid="roles-empty">{locale.text(Key::NoRoles)}</p> }.into_any()
                    }
                    Some(Ok(list)) => {
                        view! {
                            <ul class="rows">
                                {list
                                    .into_iter()
                                    .map(|role| {
                                        let stored = StoredValue::new(role.clone());
                                        let members = role.members;
                                        let row_name = role.name.clone();
                                        view! {
                                            <li class="row" data-testid="role-row" data-name=row_name>
                                                <div class="row-main">
                                                    <A href=format!("/roles/{}", role.id) attr:class="row-title link" attr:data-testid="role-link">
                                                        {role.name}
                                                    </A>
                                                    <span class="muted small" data-testid="role-members">
                                                        {move || users_count(locale.lang(), members)}
                                                    </span>
                                                </div>
                                                <div class="inline-actions">
                                                    <A href=format!("/roles/{}", role.id) attr:class="button button-quiet button-small">
                                                        {locale.text(Key::Edit)}
                                                    </A>
                                                    <button
                                                        type="button"
                                                        class="button button-quiet button-small text-danger"
                                                        data-testid="role-delete"
                                                        on:click=move |_| {
                                                            deleting.set(Some(stored.get_value()));
                                                            delete_open.set(true);
                                                        }
                                                    >
                                                        {locale.text(Key::Delete)}
                                                    </button>
                                                </div>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }}
            </section>
        </div>
        <ConfirmDialog
            open=delete_open
            title=Signal::derive(move || {
                let name = deleting.with(|r| r.as_ref().map(|r| r.name.clone()).unwrap_or_default());
                fill(locale.t(Key::DeleteRoleTitle), &[("name", &name)])
            })
            text=Signal::derive(move || locale.t(Key::CannotBeUndone).to_owned())
            confirm=Key::Delete
            danger=true
            testid="role-delete-dialog"
            on_confirm=Callback::new(move |()| {
                if let Some(role) = deleting.get_untracked() {
                    remove(role);
                }
            })
        />
    }
}
