//! Adding (`/roles/new`) and editing (`/roles/{id}`) a role (R4): its name, the rights matrix
//! its members get, and the menu sections it hides. A change reaches the role's members at once.

use gatehouse_domain::{
    rights::{Narrowing, Rights, Section},
    roles::{Role, RoleInput, RoleSaved},
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_params_map},
};

use crate::{
    auth::session::use_session,
    groups::Title,
    i18n::{fill, use_locale, users_count, Key},
    layout::{
        admin_only::AdminOnly,
        field::{Field, SavedNote},
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
        replace,
    },
    rights::{matrix::RightsMatrix, sections::SectionsPicker, NarrowedList},
    users::{load_pipelines, loaded},
};

#[component]
pub fn NewRolePage() -> impl IntoView {
    view! {
        <AdminOnly>
            <RoleEditor id=None/>
        </AdminOnly>
    }
}

#[component]
pub fn EditRolePage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<Id>().ok())));
    view! {
        <AdminOnly>
            {move || view! { <RoleEditor id=id.get()/> }}
        </AdminOnly>
    }
}

#[component]
fn RoleEditor(id: Option<Id>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let body = match id {
        None => view! { <RoleForm role=None/> }.into_any(),
        Some(id) => {
            let role = Remote::new(move || session.call(api.role(id)));
            (move || match role.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| role.refetch()/> }.into_any()
                }
                Some(Ok(found)) => view! { <RoleForm role=Some(found)/> }.into_any(),
            })
            .into_any()
        }
    };
    view! {
        <div class="page page-wide" data-testid="role-editor">
            <A href="/roles" attr:class="back-link" attr:data-testid="back-to-roles">
                {locale.text(Key::BackToRoles)}
            </A>
            {body}
        </div>
    }
}

#[component]
fn RoleForm(role: Option<Role>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let id = StoredValue::new(role.as_ref().map(|r| r.id));
    let members = role.as_ref().map(|r| r.members);
    let title = Title::new(role.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let heading = RwSignal::new(role.as_ref().map(|r| r.name.clone()));
    let rights = RwSignal::new(role.as_ref().map_or_else(Rights::all, |r| r.rights.clone()));
    let hidden = RwSignal::new(role.map(|r| r.hidden_sections).unwrap_or_default());
    let pipelines = loaded(load_pipelines());
    let narrowed = RwSignal::new(Vec::<Narrowing>::new());
    let save = Submission::new();
    let refused = Signal::derive(move || save.error());
    let navigate = use_navigate();
    // A role just created opens here, under its own address.
    let created = RwSignal::new(session.take_flash(Key::RoleCreated));

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        save.clear();
        created.set(false);
        narrowed.set(Vec::new());
        let Some(name) = title.parsed() else { return };
        let mut sections: Vec<Section> = hidden.get_untracked();
        sections.sort();
        let input = RoleInput {
            name,
            rights: rights.get_untracked(),
            hidden_sections: sections,
        };
        let creating = id.get_value().is_none();
        let navigate = navigate.clone();
        let role_id = id.get_value();
        let request = async move { session.call(api.save_role(role_id, &input)).await };
        save.run(request, move |saved: RoleSaved| {
            if creating {
                session.announce(Key::RoleCreated);
                navigate(&format!("/roles/{}", saved.role.id), replace());
                return;
            }
            narrowed.set(saved.narrowed);
            rights.set(saved.role.rights);
            heading.set(Some(saved.role.name));
            id.set_value(Some(saved.role.id));
        });
    };

    view! {
        <form class="page" on:submit=on_submit novalidate=true data-testid="role-form">
            <header class="page-header">
                <h1 data-testid="role-title">
                    {move || heading.get().unwrap_or_else(|| locale.t(Key::NewRole).to_owned())}
                </h1>
                {members.map(|n| view! { <span class="badge">{move || users_count(locale.lang(), n)}</span> })}
            </header>
            <section class="card" aria-labelledby="role-general">
                <h2 id="role-general" class="sr-only">{locale.text(Key::RoleName)}</h2>
                <Field
                    id="role-name"
                    label=Key::RoleName
                    value=title.value
                    error=title.error(refused)
                    maxlength=100
                    class="field-medium"
                />
                {members
                    .filter(|n| *n > 0)
                    .map(|n| {
                        view! {
                            <p class="field-hint">
                                {move || fill(locale.t(Key::RoleChangeReachesMembers), &[("count", &users_count(locale.lang(), n))])}
                            </p>
                        }
                    })}
            </section>
            <section class="card" aria-labelledby="role-rights">
                <h2 id="role-rights">{locale.text(Key::Rights)}</h2>
                <RightsMatrix rights=rights pipelines=pipelines prefix="rights"/>
                <SectionsPicker hidden=hidden prefix="role"/>
            </section>
            <FormError refused=refused testid="role-error"/>
            <NarrowedList narrowed=narrowed rights=rights pipelines=pipelines testid="role-narrowed"/>
            <div class="form-actions">
                <button type="submit" class="button button-primary" data-testid="role-save" disabled=save.pending()>
                    {locale.text_when(save.pending(), Key::Saving, Key::Save)}
                </button>
                <A href="/roles" attr:class="button button-outline">{locale.text(Key::Cancel)}</A>
                <SavedNote when=Signal::derive(move || created.get() || save.succeeded()) testid="role-saved"/>
            </div>
        </form>
    }
}
