//! Groups (`/groups`, R5): the list with member counts, adding, renaming and deleting. The
//! default group is neither renamed nor deleted; a group with members is not deleted.

use gatehouse_domain::{
    groups::{parse_title, Group, GroupInput},
    problem::FieldError,
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::ApiError,
    auth::session::use_session,
    i18n::{fill, title_error_text, use_locale, users_count, Key},
    layout::{
        admin_only::AdminOnly,
        dialog::ConfirmDialog,
        field::{Alert, Field},
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::Submission,
    },
    users::{group_name, load_groups},
};

#[component]
pub fn GroupsPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <Groups/>
        </AdminOnly>
    }
}

/// A name typed for a group or a role, checked with the domain's rules before it is sent.
#[derive(Clone, Copy)]
pub struct Title {
    pub value: RwSignal<String>,
    problem: RwSignal<Option<FieldError>>,
}

impl Title {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self {
            value: RwSignal::new(value),
            problem: RwSignal::new(None),
        }
    }

    /// The name to send, or `None` with its problem shown.
    #[must_use]
    pub fn parsed(&self) -> Option<String> {
        match parse_title(&self.value.get_untracked()) {
            Ok(name) => {
                self.problem.set(None);
                Some(name)
            }
            Err(problem) => {
                self.problem.set(Some(problem));
                None
            }
        }
    }

    /// What is wrong with the name: found here, or the server's verdict on `name`.
    pub fn error(self, refused: Signal<Option<ApiError>>) -> Signal<Option<String>> {
        let locale = use_locale();
        Signal::derive(move || {
            let lang = locale.lang();
            let local = self.problem.get().map(|p| (p.code, p.message));
            let remote = || {
                refused.get().and_then(|error| {
                    error
                        .field_errors("name")
                        .first()
                        .map(|p| (p.code.clone(), p.message.clone()))
                })
            };
            local
                .or_else(remote)
                .map(|(code, message)| title_error_text(lang, &code).unwrap_or(message))
        })
    }
}

/// What the last act on a group did.
type Outcome = String;

#[component]
fn Groups() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let groups = load_groups();
    let last = RwSignal::new(None::<Outcome>);
    let report = Callback::new(move |outcome: Outcome| {
        last.set(Some(outcome));
        groups.refetch();
    });

    let title = Title::new(String::new());
    let add = Submission::new();
    let add_refused = Signal::derive(move || add.error());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        add.clear();
        last.set(None);
        if let Some(name) = title.parsed() {
            let request = async move {
                session
                    .call(api.save_group(None, &GroupInput { name }))
                    .await
            };
            add.run(request, move |group| {
                title.value.set(String::new());
                report.run(fill(locale.t(Key::GroupAdded), &[("name", &group.name)]));
            });
        }
    };

    let deleting = RwSignal::new(None::<Group>);
    let delete_open = RwSignal::new(false);
    let delete = Submission::new();
    let remove = move |id: Id, name: String| {
        last.set(None);
        delete.run(session.call(api.delete_group(id)), move |()| {
            report.run(fill(locale.t(Key::GroupDeleted), &[("name", &name)]));
        });
    };
    let done = Signal::derive(move || last.get());
    // Which group could not be deleted, and why.
    let failed = Signal::derive(move || {
        let name = deleting.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());
        delete
            .error()
            .map(|error| format!("{name}: {}", error.message(locale.lang())))
    });

    view! {
        <div class="page" data-testid="groups">
            <header class="page-header">
                <h1>{locale.text(Key::Groups)}</h1>
            </header>
            <p class="muted">{locale.text(Key::GroupsText)}</p>
            <form class="card inline-form" on:submit=on_submit novalidate=true aria-label=locale.text(Key::AddGroup)>
                <Field id="group-new-name" label=Key::NewGroupName value=title.value error=title.error(add_refused) maxlength=100/>
                <button type="submit" class="button button-primary align-end" data-testid="group-add" disabled=add.pending()>
                    {locale.text(Key::AddGroup)}
                </button>
            </form>
            <FormError refused=Signal::derive(move || add.error()) testid="group-add-error"/>
            <Alert message=done testid="group-done" success=true/>
            <Alert message=failed testid="group-error"/>
            <section class="card" aria-labelledby="groups-title">
                <h2 id="groups-title">{locale.text(Key::Groups)}</h2>
                {move || match groups.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => view! { <LoadFailed error=error retry=move |()| groups.refetch()/> }.into_any(),
                    Some(Ok(list)) => {
                        view! {
                            <ul class="rows">
                                {list
                                    .into_iter()
                                    .map(|group| {
                                        view! {
                                            <GroupRow
                                                group=group
                                                report=report
                                                delete=Callback::new(move |group: Group| {
                                                    deleting.set(Some(group));
                                                    delete_open.set(true);
                                                })
                                            />
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
                let name = deleting.with(|g| g.as_ref().map(|g| g.name.clone()).unwrap_or_default());
                fill(locale.t(Key::DeleteGroupTitle), &[("name", &name)])
            })
            text=Signal::derive(move || locale.t(Key::CannotBeUndone).to_owned())
            confirm=Key::Delete
            danger=true
            testid="group-delete-dialog"
            on_confirm=Callback::new(move |()| {
                if let Some(group) = deleting.get_untracked() {
                    remove(group.id, group.name);
                }
            })
        />
    }
}

#[component]
fn GroupRow(group: Group, report: Callback<Outcome>, delete: Callback<Group>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let editing = RwSignal::new(false);
    let title = Title::new(group.name.clone());
    let rename = Submission::new();
    let refused = Signal::derive(move || rename.error());
    let id = group.id;
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        rename.clear();
        if let Some(name) = title.parsed() {
            let request = async move {
                session
                    .call(api.save_group(Some(id), &GroupInput { name }))
                    .await
            };
            rename.run(request, move |group| {
                editing.set(false);
                report.run(fill(locale.t(Key::GroupRenamed), &[("name", &group.name)]));
            });
        }
    };
    let stored = StoredValue::new(group.clone());
    let Group {
        name,
        is_default,
        members,
        ..
    } = group;
    let shown = name.clone();
    view! {
        <li class="row" data-testid="group-row" data-name=name.clone() data-default=is_default.to_string()>
            {move || {
                if editing.get() {
                    view! {
                        <form class="inline-form grow" on:submit=on_submit novalidate=true>
                            <Field
                                id=format!("group-{id}-name")
                                testid="group-rename-input"
                                label=Key::GroupName
                                label_hidden=true
                                value=title.value
                                error=title.error(refused)
                                maxlength=100
                            />
                            <div class="inline-actions">
                                <button type="submit" class="button button-primary" data-testid="group-rename-save" disabled=rename.pending()>
                                    {locale.text(Key::Save)}
                                </button>
                                <button type="button" class="button button-quiet" on:click=move |_| editing.set(false)>
                                    {locale.text(Key::Cancel)}
                                </button>
                            </div>
                            <FormError refused=refused testid="group-rename-error"/>
                        </form>
                    }
                        .into_any()
                } else {
                    let shown = shown.clone();
                    view! {
                        <div class="row-main">
                            <div class="row-title">
                                <span data-testid="group-name">{move || group_name(locale.lang(), &shown, is_default)}</span>
                                {is_default.then(|| view! { <span class="badge">{locale.text(Key::Default)}</span> })}
                            </div>
                            <span class="muted small" data-testid="group-members">{move || users_count(locale.lang(), members)}</span>
                        </div>
                        <div class="inline-actions">
                            {if is_default {
                                view! { <span class="muted small">{locale.text(Key::DefaultGroupFixed)}</span> }.into_any()
                            } else {
                                view! {
                                    <button
                                        type="button"
                                        class="button button-quiet button-small"
                                        data-testid="group-rename"
                                        on:click=move |_| {
                                            rename.clear();
                                            title.value.set(stored.with_value(|g| g.name.clone()));
                                            editing.set(true);
                                        }
                                    >
                                        {locale.text(Key::Rename)}
                                    </button>
                                    <button
                                        type="button"
                                        class="button button-quiet button-small text-danger"
                                        data-testid="group-delete"
                                        on:click=move |_| delete.run(stored.get_value())
                                    >
                                        {locale.text(Key::Delete)}
                                    </button>
                                }
                                    .into_any()
                            }}
                        </div>
                    }
                        .into_any()
                }
            }}
        </li>
    }
}
