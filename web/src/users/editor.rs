//! Adding (`/users/new`, U5, U6) and editing (`/users/{id}`, U7) a member: who they are, how
//! they get in (a password or an invitation), their group, role or own rights, standing,
//! language, phone and menu sections. A person who already has a login elsewhere is added as
//! they are (`identity_exists`); taking away one's own administrator rights is confirmed.

use gatehouse_domain::{
    groups::Group,
    people::{Email, Language, PersonError, PersonName, Phone},
    pipelines::Pipeline,
    problem::{ErrorCode, FieldError},
    rights::{Narrowing, Rights, Section},
    roles::Role,
    users::{NewUser, UpdateUser, User, UserSaved},
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::{components::A, hooks::use_params_map};

use crate::{
    api::ApiError,
    auth::session::{use_session, PasswordOwner},
    i18n::{field_code_text, fill, use_locale, Key},
    layout::{
        admin_only::AdminOnly,
        dialog::ConfirmDialog,
        field::{Alert, Check, Field, SavedNote, SelectField},
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
    rights::{matrix::RightsMatrix, sections::SectionsPicker, NarrowedList},
    security::new_password::{NewPassword, NewPasswordFields},
    users::{group_options, load_groups, load_pipelines, load_roles, loaded, role_options},
};

#[component]
pub fn NewUserPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <UserEditor id=None/>
        </AdminOnly>
    }
}

#[component]
pub fn EditUserPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<Id>().ok())));
    view! {
        <AdminOnly>
            {move || view! { <UserEditor id=id.get()/> }}
        </AdminOnly>
    }
}

/// The team data every member form needs.
#[derive(Clone, Copy)]
struct Team {
    groups: Remote<Vec<Group>>,
    roles: Remote<Vec<Role>>,
    pipelines: Remote<Vec<Pipeline>>,
}

#[component]
fn UserEditor(id: Option<Id>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let team = Team {
        groups: load_groups(),
        roles: load_roles(),
        pipelines: load_pipelines(),
    };
    let body = match id {
        None => view! { <UserForm user=None team=team/> }.into_any(),
        Some(id) => {
            let user = Remote::new(move || session.call(api.user(id)));
            (move || match user.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| user.refetch()/> }.into_any()
                }
                Some(Ok(found)) => view! { <UserForm user=Some(found) team=team/> }.into_any(),
            })
            .into_any()
        }
    };
    view! {
        <div class="page page-wide" data-testid="user-editor">
            <A href="/users" attr:class="back-link" attr:data-testid="back-to-users">
                {locale.text(Key::BackToUsers)}
            </A>
            {body}
        </div>
    }
}

/// The languages a person can have (U1), in their own names.
fn language_options(account_default: bool) -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        let mut options = Vec::new();
        if account_default {
            options.push((String::new(), locale.t(Key::AccountLanguage).to_owned()));
        }
        options.extend(Language::ALL.into_iter().map(|language| {
            let name = match language {
                Language::Ru => "Русский",
                Language::En => "English",
                Language::Es => "Español",
                Language::Pt => "Português",
            };
            (language.code().to_owned(), name.to_owned())
        }));
        options
    })
}

/// The form's fields, as typed.
#[derive(Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    email: RwSignal<String>,
    invite: RwSignal<bool>,
    group: RwSignal<String>,
    role: RwSignal<String>,
    rights: RwSignal<Rights>,
    is_admin: RwSignal<bool>,
    is_free: RwSignal<bool>,
    language: RwSignal<String>,
    phone: RwSignal<String>,
    hidden: RwSignal<Vec<Section>>,
}

impl Draft {
    fn new(user: Option<&User>) -> Self {
        let row = user.map(|user| &user.row);
        Self {
            name: RwSignal::new(row.map(|r| r.name.clone()).unwrap_or_default()),
            email: RwSignal::new(row.map(|r| r.email.clone()).unwrap_or_default()),
            invite: RwSignal::new(false),
            group: RwSignal::new(
                row.and_then(|r| r.group.as_ref())
                    .map(|g| g.id.to_string())
                    .unwrap_or_default(),
            ),
            role: RwSignal::new(
                row.and_then(|r| r.role.as_ref())
                    .map(|r| r.id.to_string())
                    .unwrap_or_default(),
            ),
            rights: RwSignal::new(user.map_or_else(Rights::all, |u| u.rights.clone())),
            is_admin: RwSignal::new(row.is_some_and(|r| r.is_admin)),
            is_free: RwSignal::new(row.is_some_and(|r| r.is_free)),
            language: RwSignal::new(
                row.map(|r| r.language.code().to_owned())
                    .unwrap_or_default(),
            ),
            phone: RwSignal::new(row.and_then(|r| r.phone.clone()).unwrap_or_default()),
            hidden: RwSignal::new(user.map(|u| u.hidden_sections.clone()).unwrap_or_default()),
        }
    }

    fn role_id(&self) -> Option<Id> {
        self.role.get_untracked().parse().ok()
    }

    fn phone(&self) -> Option<String> {
        let phone = self.phone.get_untracked().trim().to_owned();
        (!phone.is_empty()).then_some(phone)
    }

    fn new_user(&self, password: Option<String>) -> NewUser {
        let role_id = self.role_id();
        let mut hidden = self.hidden.get_untracked();
        hidden.sort();
        NewUser {
            name: self.name.get_untracked().trim().to_owned(),
            email: self.email.get_untracked().trim().to_owned(),
            password: if self.invite.get_untracked() {
                None
            } else {
                password
            },
            invite: self.invite.get_untracked(),
            add_existing: false,
            group_id: self.group.get_untracked().parse().ok(),
            role_id,
            rights: role_id.is_none().then(|| self.rights.get_untracked()),
            hidden_sections: hidden,
            is_admin: self.is_admin.get_untracked(),
            is_free: self.is_free.get_untracked(),
            language: Language::from_code(&self.language.get_untracked()),
            phone: self.phone(),
        }
    }

    /// The rules a new member's name, e-mail and phone break.
    fn person_problems(&self) -> Vec<FieldError> {
        let mut problems = Vec::new();
        let mut check = |field: &str, result: Result<(), PersonError>| {
            if let Err(e) = result {
                problems.push(FieldError::new(field, e.code(), e.to_string()));
            }
        };
        check(
            "name",
            PersonName::parse(&self.name.get_untracked()).map(drop),
        );
        check("email", Email::parse(&self.email.get_untracked()).map(drop));
        if let Some(phone) = self.phone() {
            check("phone", Phone::parse(&phone).map(drop));
        }
        problems
    }

    /// What differs from `before`, and the rules the typed values break.
    fn changes(&self, before: &User) -> (UpdateUser, Vec<FieldError>) {
        let mut problems = Vec::new();
        let mut report = |field: &str, error: PersonError| {
            problems.push(FieldError::new(field, error.code(), error.to_string()));
        };
        let row = &before.row;
        let name = self.name.get_untracked();
        let name = (name.trim() != row.name)
            .then(|| PersonName::parse(&name).map_err(|e| report("name", e)).ok())
            .flatten()
            .map(|name| name.as_str().to_owned());
        let email = self.email.get_untracked();
        let email = (email.trim() != row.email)
            .then(|| Email::parse(&email).map_err(|e| report("email", e)).ok())
            .flatten()
            .map(|email| email.as_str().to_owned());
        let phone = match self.phone() {
            None => (row.phone.is_some()).then_some(None),
            Some(raw) => match Phone::parse(&raw) {
                Ok(phone) if row.phone.as_deref() == Some(phone.as_str()) => None,
                Ok(phone) => Some(Some(phone.as_str().to_owned())),
                Err(e) => {
                    report("phone", e);
                    None
                }
            },
        };
        let role_id = self.role_id();
        let rights = self.rights.get_untracked();
        let mut hidden = self.hidden.get_untracked();
        hidden.sort();
        let mut hidden_before = before.hidden_sections.clone();
        hidden_before.sort();
        let group_id = self.group.get_untracked().parse().ok();
        let language = Language::from_code(&self.language.get_untracked());
        let changes = UpdateUser {
            name,
            email,
            group_id: group_id.filter(|id| Some(*id) != row.group.as_ref().map(|g| g.id)),
            role_id: (role_id != row.role.as_ref().map(|r| r.id)).then_some(role_id),
            rights: (role_id.is_none() && rights != before.rights).then_some(rights),
            hidden_sections: (hidden != hidden_before).then_some(hidden),
            is_admin: Some(self.is_admin.get_untracked()).filter(|v| *v != row.is_admin),
            is_free: Some(self.is_free.get_untracked()).filter(|v| *v != row.is_free),
            language: language.filter(|l| *l != row.language),
            phone,
            confirm_self_demotion: false,
        };
        (changes, problems)
    }
}

/// The field's problem: the one found here first, else the server's.
fn field_problem(
    problems: RwSignal<Vec<FieldError>>,
    refused: Signal<Option<ApiError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let locale = use_locale();
    Signal::derive(move || {
        let lang = locale.lang();
        problems
            .with(|problems| {
                problems
                    .iter()
                    .find(|p| p.field == field)
                    .map(|p| field_code_text(lang, &p.code).unwrap_or_else(|| p.message.clone()))
            })
            .or_else(|| refused.get().and_then(|e| e.field_message(field, lang)))
    })
}

#[component]
fn UserForm(user: Option<User>, team: Team) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let creating = user.is_none();
    let draft = Draft::new(user.as_ref());
    let heading = RwSignal::new(user.as_ref().map(|u| u.row.name.clone()));
    let before = StoredValue::new(user);
    let editing =
        move || before.with_value(|user| user.as_ref().map(|u| (u.row.id, u.in_other_accounts)));
    let id = editing().map(|(id, _)| id);
    let identity_locked = editing().is_some_and(|(_, others)| others);

    // A new member joins the default group unless another is chosen.
    Effect::new(move |_| {
        if draft.group.with_untracked(String::is_empty) {
            let default = team.groups.with(|groups| {
                groups.and_then(|g| g.as_ref().ok()).and_then(|groups| {
                    groups
                        .iter()
                        .find(|g| g.is_default)
                        .map(|g| g.id.to_string())
                })
            });
            if let Some(default) = default {
                draft.group.set(default);
            }
        }
    });

    let account_name = session
        .with_me(|me| me.membership.account.name.clone())
        .unwrap_or_default();
    let new_password = NewPassword::new(Signal::derive(move || {
        (
            session.password_rules().0,
            PasswordOwner {
                email: draft.email.get(),
                name: draft.name.get(),
                account_name: account_name.clone(),
            },
        )
    }));

    let problems = RwSignal::new(Vec::<FieldError>::new());
    let save = Submission::new();
    let refused = Signal::derive(move || save.error());
    // Answers that ask a question are asked in a dialog, not shown as a failure.
    let shown_refusal = Signal::derive(move || {
        save.error().filter(|e| {
            !matches!(
                e.code(),
                Some(ErrorCode::IdentityExists | ErrorCode::SelfDemotion)
            )
        })
    });
    let narrowed = RwSignal::new(Vec::<Narrowing>::new());
    let created = RwSignal::new(None::<(UserSaved, bool)>);
    let last_new = StoredValue::new(None::<NewUser>);
    let last_changes = StoredValue::new(None::<UpdateUser>);
    let existing = RwSignal::new(None::<String>);
    let existing_open = RwSignal::new(false);
    let demotion_open = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(ApiError::Problem { problem, .. }) = save.error() {
            match problem.code {
                ErrorCode::IdentityExists => {
                    existing.set(Some(problem.name.unwrap_or_default()));
                    existing_open.set(true);
                }
                ErrorCode::SelfDemotion => demotion_open.set(true),
                _ => {}
            }
        }
    });

    let send_new = move |request: NewUser| {
        last_new.set_value(Some(request.clone()));
        let existing_person = request.add_existing;
        let call = async move { session.call(api.create_user(&request)).await };
        save.run(call, move |saved: UserSaved| {
            narrowed.set(saved.narrowed.clone());
            created.set(Some((saved, existing_person)));
        });
    };
    let send_changes = move |changes: UpdateUser| {
        let Some(id) = id else { return };
        last_changes.set_value(Some(changes.clone()));
        let call = async move { session.call(api.update_user(id, &changes)).await };
        save.run(call, move |saved: UserSaved| {
            narrowed.set(saved.narrowed.clone());
            // The server's word on the rights (normalised) is what the form shows now.
            draft.rights.set(saved.user.rights.clone());
            heading.set(Some(saved.user.row.name.clone()));
            // Editing oneself changes who one is: the menu's sections, the name at the top.
            if session.with_me(|me| me.membership.id) == Some(saved.user.row.id) {
                session.run(session.reload());
            }
            before.set_value(Some(saved.user));
        });
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        save.clear();
        narrowed.set(Vec::new());
        match before.get_value() {
            None => {
                let request = draft.new_user(Some(new_password.password.get_untracked()));
                // The domain's rules for each field; the password has its own live rules (the
                // account's policy) beside its field.
                let found = draft.person_problems();
                let password_ready = draft.invite.get_untracked() || new_password.ready();
                let clean = found.is_empty();
                problems.set(found);
                if clean && password_ready {
                    send_new(request);
                }
            }
            Some(user) => {
                let (changes, found) = draft.changes(&user);
                let clean = found.is_empty();
                problems.set(found);
                if clean {
                    send_changes(changes);
                }
            }
        }
    };

    let add_another = move |_| {
        created.set(None);
        narrowed.set(Vec::new());
        save.clear();
        for field in [draft.name, draft.email, draft.phone] {
            field.set(String::new());
        }
        new_password.clear();
    };

    let title = move || {
        heading
            .get()
            .unwrap_or_else(|| locale.t(Key::NewUser).to_owned())
    };
    let role_rights = move || {
        let role_id: Id = draft.role.get().parse().ok()?;
        team.roles.with(|roles| {
            roles
                .and_then(|r| r.as_ref().ok())
                .and_then(|roles| roles.iter().find(|r| r.id == role_id).cloned())
        })
    };
    let role_hidden =
        Signal::derive(move || role_rights().map(|r| r.hidden_sections).unwrap_or_default());
    let pipelines = loaded(team.pipelines);
    let error = move |field| field_problem(problems, refused, field);

    view! {
        {move || {
            created
                .get()
                .map(|(saved, existing_person)| {
                    view! { <Created saved=saved existing=existing_person narrowed=narrowed pipelines=pipelines add_another=add_another/> }
                })
        }}
        <form
            class="page"
            class:hidden=move || created.with(Option::is_some)
            on:submit=on_submit
            novalidate=true
            data-testid="user-form"
        >
            <header class="page-header">
                <h1 data-testid="user-title">{title}</h1>
                {before
                    .with_value(|user| {
                        user.as_ref()
                            .map(|user| {
                                let row = &user.row;
                                view! {
                                    <div class="badges">
                                        {row.is_admin.then(|| view! { <span class="badge badge-accent">{locale.text(Key::Administrator)}</span> })}
                                        {row.is_free.then(|| view! { <span class="badge badge-muted">{locale.text(Key::FreeUser)}</span> })}
                                        {(!row.is_active).then(|| view! { <span class="badge">{locale.text(Key::Inactive)}</span> })}
                                    </div>
                                }
                            })
                    })}
            </header>
            {id.filter(|_| before.with_value(|u| u.as_ref().is_some_and(|u| u.row.invitation_pending)))
                .map(|id| view! { <InvitationPending id=id/> })}
            <section class="card" aria-labelledby="user-person">
                <h2 id="user-person">{locale.text(Key::PersonalDetails)}</h2>
                {identity_locked.then(|| view! { <p class="alert alert-warning" data-testid="user-identity-locked">{locale.text(Key::IdentityLocked)}</p> })}
                <div class="field-row">
                    <Field
                        id="user-name"
                        label=Key::Name
                        value=draft.name
                        autocomplete="off"
                        maxlength=50
                        disabled=identity_locked
                        error=error("name")
                    />
                    <Field
                        id="user-email"
                        label=Key::Email
                        kind="email"
                        inputmode="email"
                        autocomplete="off"
                        value=draft.email
                        disabled=identity_locked
                        error=error("email")
                    />
                </div>
                {creating
                    .then(|| {
                        view! {
                            <fieldset class="fieldset">
                                <legend>{locale.text(Key::HowTheyGetIn)}</legend>
                                <div class="choices">
                                    <label class="choice" for="user-credential-password">
                                        <input
                                            id="user-credential-password"
                                            type="radio"
                                            name="user-credential"
                                            data-testid="user-credential-password"
                                            prop:checked=move || !draft.invite.get()
                                            on:change=move |_| draft.invite.set(false)
                                        />
                                        <span>{locale.text(Key::SetPasswordNow)}</span>
                                    </label>
                                    <label class="choice" for="user-credential-invite">
                                        <input
                                            id="user-credential-invite"
                                            type="radio"
                                            name="user-credential"
                                            data-testid="user-credential-invite"
                                            prop:checked=move || draft.invite.get()
                                            on:change=move |_| draft.invite.set(true)
                                        />
                                        <span>{locale.text(Key::SendInvitationInstead)}</span>
                                    </label>
                                </div>
                                <Show
                                    when=move || !draft.invite.get()
                                    fallback=move || view! { <p class="field-hint">{locale.text(Key::InvitationHint)}</p> }
                                >
                                    <NewPasswordFields
                                        new_password=new_password
                                        prefix="user-password"
                                        field="password"
                                        refused=refused
                                        label=Key::Password
                                    />
                                </Show>
                            </fieldset>
                        }
                    })}
                <div class="field-row">
                    <SelectField
                        id="user-language"
                        label=Key::Language
                        value=draft.language
                        options=language_options(creating)
                    />
                    <Field
                        id="user-phone"
                        label=Key::Phone
                        kind="tel"
                        inputmode="tel"
                        autocomplete="off"
                        value=draft.phone
                        error=error("phone")
                    />
                </div>
            </section>
            <section class="card" aria-labelledby="user-membership">
                <h2 id="user-membership">{locale.text(Key::AccountMembership)}</h2>
                <SelectField
                    id="user-group"
                    label=Key::Group
                    value=draft.group
                    options=group_options(team.groups, None)
                    error=error("group_id")
                    class="field-medium"
                />
                <div class="checks">
                    <Check id="user-admin" checked=draft.is_admin label=Key::Administrator/>
                    <Check id="user-free" checked=draft.is_free label=Key::FreeUser/>
                </div>
                <p class="field-hint">{locale.text(Key::StandingHint)}</p>
            </section>
            <section class="card" aria-labelledby="user-rights">
                <h2 id="user-rights">{locale.text(Key::Rights)}</h2>
                <SelectField
                    id="user-role"
                    label=Key::Role
                    value=draft.role
                    options=role_options(team.roles, Some(Key::OwnRights))
                    hint=Key::RoleHint
                    error=error("role_id")
                    class="field-medium"
                />
                {move || {
                    (draft.is_admin.get() || draft.is_free.get())
                        .then(|| {
                            let key = if draft.is_free.get() { Key::FreeOverrides } else { Key::AdminOverrides };
                            view! { <p class="alert alert-warning" data-testid="user-standing-note">{locale.text(key)}</p> }
                        })
                }}
                <p class="field-error" data-testid="user-rights-error">{move || error("rights").get()}</p>
                {move || match role_rights() {
                    None => view! { <RightsMatrix rights=draft.rights pipelines=pipelines prefix="rights"/> }.into_any(),
                    Some(role) => {
                        let name = role.name.clone();
                        view! {
                            <p class="field-hint" data-testid="user-role-rights">
                                {move || fill(locale.t(Key::RightsOfRole), &[("name", &name)])}
                            </p>
                            <RightsMatrix rights=RwSignal::new(role.rights) pipelines=pipelines prefix="role-rights" locked=true/>
                        }
                        .into_any()
                    }
                }}
                <SectionsPicker hidden=draft.hidden prefix="user" also_hidden=role_hidden/>
            </section>
            <FormError refused=shown_refusal testid="user-error"/>
            <NarrowedList
                narrowed=narrowed
                rights=draft.rights
                pipelines=pipelines
                testid="user-narrowed"
            />
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="user-save" disabled=save.pending()>
                    {move || {
                        locale
                            .t(
                                if save.pending().get() {
                                    Key::Saving
                                } else if creating {
                                    Key::AddUser
                                } else {
                                    Key::Save
                                },
                            )
                    }}
                </button>
                <A href="/users" attr:class="button button-outline">{locale.text(Key::Cancel)}</A>
                <SavedNote when=Signal::derive(move || !creating && save.succeeded()) testid="user-saved"/>
            </div>
        </form>
        <ConfirmDialog
            open=existing_open
            title=Signal::derive(move || locale.t(Key::ExistingPersonTitle).to_owned())
            text=Signal::derive(move || {
                fill(locale.t(Key::ExistingPersonText), &[("name", &existing.get().unwrap_or_default())])
            })
            confirm=Key::AddAsTheyAre
            testid="user-existing-dialog"
            on_confirm=Callback::new(move |()| {
                if let Some(request) = last_new.get_value() {
                    send_new(NewUser {
                        add_existing: true,
                        name: String::new(),
                        password: None,
                        invite: false,
                        ..request
                    });
                }
            })
        />
        <ConfirmDialog
            open=demotion_open
            title=Signal::derive(move || locale.t(Key::SelfDemotionTitle).to_owned())
            text=Signal::derive(move || locale.t(Key::SelfDemotionText).to_owned())
            confirm=Key::Confirm
            danger=true
            testid="user-demotion-dialog"
            on_confirm=Callback::new(move |()| {
                if let Some(changes) = last_changes.get_value() {
                    send_changes(UpdateUser { confirm_self_demotion: true, ..changes });
                }
            })
        />
    }
}

/// After adding a member: who was added, what the rules narrowed, and where to go next.
#[component]
fn Created(
    saved: UserSaved,
    existing: bool,
    narrowed: RwSignal<Vec<Narrowing>>,
    pipelines: Signal<Vec<Pipeline>>,
    add_another: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let locale = use_locale();
    let row = saved.user.row;
    let (name, email) = (row.name.clone(), row.email.clone());
    let how = if existing {
        Key::AddedExisting
    } else if row.invitation_pending {
        Key::AddedInvited
    } else {
        Key::AddedWithPassword
    };
    view! {
        <section class="card" data-testid="user-created" aria-labelledby="user-created-title">
            <div class="alert alert-success" role="status">
                <h2 id="user-created-title">{move || fill(locale.t(Key::UserAdded), &[("name", &name)])}</h2>
                <p>{move || fill(locale.t(how), &[("email", &email)])}</p>
            </div>
            <NarrowedList narrowed=narrowed rights=saved.user.rights pipelines=pipelines testid="user-created-narrowed"/>
            <div class="form-actions">
                <A href=format!("/users/{}", row.id) attr:class="button button-primary" attr:data-testid="user-created-open">
                    {locale.text(Key::OpenUser)}
                </A>
                <button type="button" class="button button-outline" data-testid="user-add-another" on:click=add_another>
                    {locale.text(Key::AddAnother)}
                </button>
                <A href="/users" attr:class="button button-quiet">{locale.text(Key::BackToUsers)}</A>
            </div>
        </section>
    }
}

/// An invitation not yet accepted, and mailing it again (U6).
#[component]
fn InvitationPending(id: Id) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let resend = Submission::new();
    let sent = Signal::derive(move || {
        resend
            .succeeded()
            .then(|| locale.t(Key::InvitationResent).to_owned())
    });
    view! {
        <div class="alert alert-warning alert-row" data-testid="user-invitation-pending">
            <span>{locale.text(Key::InvitationPending)}</span>
            <button
                type="button"
                class="button button-outline button-small"
                data-testid="user-invitation-resend"
                disabled=resend.pending()
                on:click=move |_| resend.run(session.call(api.resend_invitation(id)), |()| {})
            >
                {locale.text(Key::ResendInvitation)}
            </button>
        </div>
        <Alert message=sent testid="user-invitation-sent" success=true/>
        <FormError refused=Signal::derive(move || resend.error()) testid="user-invitation-error"/>
    }
}
