//! The users list (`/users`, U4, U9, U10): the seat counter always in sight, the filters, order
//! by column, pages, and bulk acts on the ticked members or on every member matching the filters.

use std::collections::BTreeSet;

use gatehouse_domain::{
    groups::Group,
    roles::Role,
    users::{
        BulkAction, BulkRequest, Selection, UserFilter, UserQuery, UserRow, UserSort, UserStatus,
        UsersPage,
    },
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::components::A;

use crate::{
    auth::session::use_session,
    i18n::{
        all_matching_text, bulk_done_text, page_selected_text, select_all_matching_text,
        selected_text, total_found, use_locale, Key,
    },
    layout::{
        admin_only::AdminOnly,
        field::{Alert, Field, SelectField},
        form_error::FormError,
        format::{local_day_start, Time},
        loading::{LoadFailed, Loading},
        open_page,
        pagination::Pagination,
        remote::{Remote, Submission},
    },
    users::{group_name, group_options, load_groups, load_roles, role_options, SeatCounter},
};

const PER_PAGE: u64 = 50;

#[component]
pub fn UsersListPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <UsersList/>
        </AdminOnly>
    }
}

/// The filters as chosen; the search text applies on submit, the rest at once.
#[derive(Clone, Copy)]
struct Filters {
    status: RwSignal<String>,
    group: RwSignal<String>,
    role: RwSignal<String>,
    q: RwSignal<String>,
    two_factor: RwSignal<String>,
    after: RwSignal<String>,
    before: RwSignal<String>,
}

impl Filters {
    fn new() -> Self {
        Self {
            status: RwSignal::new("active".to_owned()),
            group: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            q: RwSignal::new(String::new()),
            two_factor: RwSignal::new(String::new()),
            after: RwSignal::new(String::new()),
            before: RwSignal::new(String::new()),
        }
    }

    fn filter(&self) -> UserFilter {
        let q = self.q.get_untracked().trim().to_owned();
        UserFilter {
            status: STATUSES
                .iter()
                .find(|(code, _, _)| *code == self.status.get_untracked())
                .map(|(_, status, _)| *status),
            group_id: self.group.get_untracked().parse().ok(),
            role_id: self.role.get_untracked().parse().ok(),
            q: (!q.is_empty()).then_some(q),
            two_factor: self.two_factor.get_untracked().parse().ok(),
            last_login_after: local_day_start(&self.after.get_untracked(), 0),
            last_login_before: local_day_start(&self.before.get_untracked(), 0),
        }
    }

    fn clear(&self) {
        self.status.set("active".to_owned());
        for field in [
            self.group,
            self.role,
            self.q,
            self.two_factor,
            self.after,
            self.before,
        ] {
            field.set(String::new());
        }
    }
}

const STATUSES: [(&str, UserStatus, Key); 5] = [
    ("active", UserStatus::Active, Key::StatusActive),
    ("inactive", UserStatus::Inactive, Key::StatusInactive),
    ("all", UserStatus::All, Key::StatusAll),
    ("admins", UserStatus::Admins, Key::StatusAdmins),
    ("free", UserStatus::Free, Key::StatusFree),
];

/// Which members a bulk act is for: those ticked, or every one matching the filters.
#[derive(Clone, Copy)]
struct Picked {
    ids: RwSignal<BTreeSet<Id>>,
    all_matching: RwSignal<bool>,
}

impl Picked {
    fn clear(&self) {
        self.ids.set(BTreeSet::new());
        self.all_matching.set(false);
    }
}

#[component]
fn UsersList() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let filters = Filters::new();
    let applied = RwSignal::new(filters.filter());
    let sort = RwSignal::new(UserSort::Name);
    let page = RwSignal::new(1u64);
    let picked = Picked {
        ids: RwSignal::new(BTreeSet::new()),
        all_matching: RwSignal::new(false),
    };
    let apply = Callback::new(move |()| {
        page.set(1);
        applied.set(filters.filter());
    });
    let users = Remote::new(move || {
        let query = UserQuery {
            filter: applied.get(),
            sort: Some(sort.get()),
            page: Some(page.get()),
            per_page: Some(PER_PAGE),
        };
        async move { session.call(api.users(&query)).await }
    });
    // Another page, order or filter is another list: nothing stays ticked out of sight.
    Effect::new(move |_| {
        applied.track();
        sort.track();
        page.track();
        picked.clear();
    });
    let groups = load_groups();
    let roles = load_roles();
    let loaded = move |read: fn(&UsersPage) -> u64| {
        Signal::derive(move || {
            users.with(|users| users.and_then(|u| u.as_ref().ok()).map_or(0, read))
        })
    };
    let total = loaded(|page| page.total);
    let seats = Signal::derive(move || {
        users
            .with(|users| users.and_then(|u| u.as_ref().ok()).map(|page| page.seats))
            .or_else(|| session.with_me(|me| me.seats).flatten())
    });
    let page_ids = Memo::new(move |_| {
        users.with(|users| {
            users
                .and_then(|u| u.as_ref().ok())
                .map(|page| page.items.iter().map(|row| row.id).collect::<Vec<Id>>())
                .unwrap_or_default()
        })
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        apply.run(());
    };
    let status_options = Signal::derive(move || {
        STATUSES
            .iter()
            .map(|(code, _, key)| ((*code).to_owned(), locale.t(*key).to_owned()))
            .collect()
    });
    let two_factor_options = Signal::derive(move || {
        [("", Key::Any), ("true", Key::On), ("false", Key::Off)]
            .into_iter()
            .map(|(value, key)| (value.to_owned(), locale.t(key).to_owned()))
            .collect()
    });

    view! {
        <div class="page page-wide" data-testid="users">
            <header class="page-header">
                <h1>{locale.text(Key::Users)}</h1>
                <div class="page-header-aside">
                    <SeatCounter seats=seats/>
                    <A href="/users/new" attr:class="button button-primary" attr:data-testid="users-add">
                        {locale.text(Key::AddUser)}
                    </A>
                </div>
            </header>
            <form class="card filters" on:submit=on_submit novalidate=true aria-label=locale.text(Key::Filters)>
                <SelectField id="users-status" label=Key::Status value=filters.status options=status_options on_change=apply/>
                <SelectField
                    id="users-group"
                    label=Key::Group
                    value=filters.group
                    options=group_options(groups, Some(Key::AnyGroup))
                    on_change=apply
                />
                <SelectField
                    id="users-role"
                    label=Key::Role
                    value=filters.role
                    options=role_options(roles, Some(Key::AnyRole))
                    on_change=apply
                />
                <SelectField
                    id="users-two-factor"
                    label=Key::TwoFactorShort
                    value=filters.two_factor
                    options=two_factor_options
                    on_change=apply
                />
                <Field
                    id="users-search"
                    label=Key::Search
                    kind="search"
                    value=filters.q
                    prompt=Key::SearchPrompt
                    error=Signal::stored(None::<String>)
                />
                <Field
                    id="users-login-after"
                    label=Key::LastSignInAfter
                    kind="date"
                    value=filters.after
                    error=Signal::stored(None::<String>)
                    on_change=apply
                />
                <Field
                    id="users-login-before"
                    label=Key::LastSignInBefore
                    kind="date"
                    value=filters.before
                    error=Signal::stored(None::<String>)
                    on_change=apply
                />
                <div class="filters-actions">
                    <button type="submit" class="button button-primary" data-testid="users-apply">
                        {locale.text(Key::Apply)}
                    </button>
                    <button
                        type="button"
                        class="button button-quiet"
                        data-testid="users-clear"
                        on:click=move |_| {
                            filters.clear();
                            apply.run(());
                        }
                    >
                        {locale.text(Key::ClearFilters)}
                    </button>
                </div>
            </form>
            <section class="card" aria-labelledby="users-results">
                <div class="card-header">
                    <h2 id="users-results">{locale.text(Key::Members)}</h2>
                    <span class="muted" data-testid="users-total">{move || total_found(locale.lang(), total.get())}</span>
                </div>
                <SelectionBanner picked=picked page_ids=page_ids total=total/>
                <BulkBar picked=picked applied=applied total=total groups=groups roles=roles done=Callback::new(move |()| users.refetch())/>
                {move || match users.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => {
                        view! { <LoadFailed error=error retry=move |()| users.refetch()/> }.into_any()
                    }
                    Some(Ok(found)) if found.items.is_empty() => {
                        view! { <p class="muted" data-testid="users-empty">{locale.text(Key::NothingFound)}</p> }
                            .into_any()
                    }
                    Some(Ok(found)) => {
                        view! { <UsersTable rows=found.items picked=picked page_ids=page_ids sort=sort/> }.into_any()
                    }
                }}
                <Pagination page=page total=total per_page=PER_PAGE testid="users-pages"/>
            </section>
        </div>
    }
}

/// "All 50 on this page are selected. Select all 312 matching" — and back.
#[component]
fn SelectionBanner(picked: Picked, page_ids: Memo<Vec<Id>>, total: Signal<u64>) -> impl IntoView {
    let locale = use_locale();
    let whole_page = move || {
        page_ids.with(|ids| {
            !ids.is_empty()
                && picked
                    .ids
                    .with(|picked| ids.iter().all(|id| picked.contains(id)))
        })
    };
    move || {
        let lang = locale.lang();
        if picked.all_matching.get() {
            Some(view! {
                <div class="selection-banner" role="status" data-testid="users-all-matching">
                    <span>{all_matching_text(lang, total.get())}</span>
                    <button type="button" class="button button-quiet button-small" data-testid="users-clear-selection" on:click=move |_| picked.clear()>
                        {locale.text(Key::ClearSelection)}
                    </button>
                </div>
            }.into_any())
        } else if whole_page() && total.get() > page_ids.with(Vec::len) as u64 {
            Some(
                view! {
                    <div class="selection-banner" role="status">
                        <span>{page_selected_text(lang, page_ids.with(Vec::len) as u64)}</span>
                        <button
                            type="button"
                            class="button button-outline button-small"
                            data-testid="users-select-all-matching"
                            on:click=move |_| picked.all_matching.set(true)
                        >
                            {move || select_all_matching_text(locale.lang(), total.get())}
                        </button>
                    </div>
                }
                .into_any(),
            )
        } else {
            None
        }
    }
}

/// The bulk acts (U10) on the selection, with how many members each changed.
#[component]
fn BulkBar(
    picked: Picked,
    applied: RwSignal<UserFilter>,
    total: Signal<u64>,
    groups: Remote<Vec<Group>>,
    roles: Remote<Vec<Role>>,
    done: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let action = RwSignal::new("activate".to_owned());
    let target = RwSignal::new(String::new());
    let affected = RwSignal::new(None::<u64>);
    let act = Submission::new();
    let count = move || {
        if picked.all_matching.get() {
            total.get()
        } else {
            picked.ids.with(|ids| ids.len() as u64)
        }
    };
    let action_options = Signal::derive(move || {
        // Deactivation names its members: it is for those ticked, not for a whole filter.
        let deactivate = (!picked.all_matching.get()).then_some(("deactivate", Key::Deactivate));
        [
            Some(("activate", Key::Activate)),
            deactivate,
            Some(("set_group", Key::ChangeGroup)),
            Some(("set_role", Key::ChangeRole)),
        ]
        .into_iter()
        .flatten()
        .map(|(value, key)| (value.to_owned(), locale.t(key).to_owned()))
        .collect()
    });
    let group_choices = group_options(groups, None);
    let role_choices = role_options(roles, Some(Key::OwnRights));
    // A new act starts from its own first choice.
    let pick_action = Callback::new(move |()| {
        let first = match action.get_untracked().as_str() {
            "set_group" => group_choices.with_untracked(|o| o.first().map(|(v, _)| v.clone())),
            _ => None,
        };
        target.set(first.unwrap_or_default());
    });
    let run = move |_| {
        let select = if picked.all_matching.get_untracked() {
            Selection::Filter(applied.get_untracked())
        } else {
            Selection::Ids(picked.ids.get_untracked().into_iter().collect())
        };
        let chosen = target.get_untracked();
        if action.get_untracked() == "deactivate" {
            // The hand-over is a page of the CRM workspace (crate::deactivation says why).
            let members: Vec<String> = picked
                .ids
                .get_untracked()
                .into_iter()
                .map(|id| id.to_string())
                .collect();
            open_page(&format!("/crm/hand-over?members={}", members.join(",")));
            return;
        }
        let action = match action.get_untracked().as_str() {
            "set_group" => match chosen.parse() {
                Ok(group_id) => BulkAction::SetGroup { group_id },
                Err(_) => return,
            },
            "set_role" => BulkAction::SetRole {
                role_id: chosen.parse().ok(),
            },
            _ => BulkAction::Activate,
        };
        let request = BulkRequest { select, action };
        affected.set(None);
        let call = async move { session.call(api.bulk_users(&request)).await };
        act.run(call, move |result| {
            affected.set(Some(result.affected));
            picked.clear();
            done.run(());
        });
    };
    let refused = Signal::derive(move || act.error());
    view! {
        <Alert
            message=Signal::derive(move || affected.get().map(|n| bulk_done_text(locale.lang(), n)))
            testid="users-bulk-done"
            success=true
        />
        <FormError refused=refused testid="users-bulk-error"/>
        {move || {
            (count() > 0)
                .then(|| {
                    view! {
                        <div class="bulk-bar" role="group" aria-label=locale.text(Key::BulkActions) data-testid="users-bulk">
                            <strong data-testid="users-selected">{move || selected_text(locale.lang(), count())}</strong>
                            <SelectField id="users-bulk-action" label=Key::BulkAction value=action options=action_options on_change=pick_action/>
                            {move || match action.get().as_str() {
                                "set_group" => view! {
                                    <SelectField id="users-bulk-group" label=Key::Group value=target options=group_choices/>
                                }.into_any(),
                                "set_role" => view! {
                                    <SelectField id="users-bulk-role" label=Key::Role value=target options=role_choices/>
                                }.into_any(),
                                _ => ().into_any(),
                            }}
                            <button
                                type="button"
                                class="button button-primary"
                                data-testid="users-bulk-apply"
                                disabled=act.pending()
                                on:click=run
                            >
                                {locale.text(Key::Apply)}
                            </button>
                        </div>
                    }
                })
        }}
    }
}

#[component]
fn UsersTable(
    rows: Vec<UserRow>,
    picked: Picked,
    page_ids: Memo<Vec<Id>>,
    sort: RwSignal<UserSort>,
) -> impl IntoView {
    let locale = use_locale();
    let whole_page = move || {
        page_ids.with(|ids| {
            !ids.is_empty()
                && picked
                    .ids
                    .with(|picked| ids.iter().all(|id| picked.contains(id)))
        })
    };
    view! {
        <div class="table-wrap">
            <table class="table users-table">
                <thead>
                    <tr>
                        <th scope="col" class="cell-check">
                            <input
                                type="checkbox"
                                data-testid="users-pick-page"
                                aria-label=locale.text(Key::SelectPage)
                                disabled=move || picked.all_matching.get()
                                prop:checked=move || picked.all_matching.get() || whole_page()
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let ids = page_ids.get_untracked();
                                    picked.ids.update(|picked| {
                                        for id in ids {
                                            if on { picked.insert(id); } else { picked.remove(&id); }
                                        }
                                    });
                                }
                            />
                        </th>
                        // Name and e-mail share a column (the table fits the page), each with its
                        // own order.
                        <th scope="col" aria-sort=move || aria_sort(sort.get(), &[UserSort::Name, UserSort::Email])>
                            <SortButton label=Key::Name up=UserSort::Name down=UserSort::NameDesc sort=sort/>
                            <span class="muted" aria-hidden="true">" · "</span>
                            <SortButton label=Key::Email up=UserSort::Email down=UserSort::EmailDesc sort=sort/>
                        </th>
                        <th scope="col">{locale.text(Key::Group)}</th>
                        <th scope="col">{locale.text(Key::Role)}</th>
                        <th scope="col">{locale.text(Key::TwoFactorShort)}</th>
                        <th scope="col" aria-sort=move || aria_sort(sort.get(), &[UserSort::LastLogin])>
                            <SortButton label=Key::LastSignIn up=UserSort::LastLoginDesc down=UserSort::LastLogin sort=sort/>
                        </th>
                        <th scope="col" aria-sort=move || aria_sort(sort.get(), &[UserSort::Created])>
                            <SortButton label=Key::Added up=UserSort::CreatedDesc down=UserSort::Created sort=sort/>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <UserLine row=row picked=picked/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// How the list is ordered by a column's values (`ascending` sorts are the ones listed), for
/// its header's `aria-sort`.
fn aria_sort(current: UserSort, ascending: &[UserSort]) -> &'static str {
    let reversed = |sort: UserSort| match sort {
        UserSort::Name => UserSort::NameDesc,
        UserSort::Email => UserSort::EmailDesc,
        UserSort::LastLogin => UserSort::LastLoginDesc,
        _ => UserSort::CreatedDesc,
    };
    if ascending.contains(&current) {
        "ascending"
    } else if ascending.iter().any(|sort| reversed(*sort) == current) {
        "descending"
    } else {
        "none"
    }
}

/// Orders the list by a column; a second click reverses the order. `up` is the first order a
/// click gives (A to Z for names, newest first for dates).
#[component]
fn SortButton(label: Key, up: UserSort, down: UserSort, sort: RwSignal<UserSort>) -> impl IntoView {
    let locale = use_locale();
    let mark = move || {
        let current = sort.get();
        if current == up {
            "▲"
        } else if current == down {
            "▼"
        } else {
            "↕"
        }
    };
    view! {
        <button
            type="button"
            class="sort-button"
            class:sort-active=move || { let c = sort.get(); c == up || c == down }
            data-testid=format!("users-sort-{}", serde_key(up))
            on:click=move |_| sort.update(|current| *current = if *current == up { down } else { up })
        >
            {locale.text(label)}
            <span class="sort-mark" aria-hidden="true">{mark}</span>
        </button>
    }
}

/// The column a sort is about, for test ids.
fn serde_key(sort: UserSort) -> &'static str {
    match sort {
        UserSort::Name | UserSort::NameDesc => "name",
        UserSort::Email | UserSort::EmailDesc => "email",
        UserSort::LastLogin | UserSort::LastLoginDesc => "last-login",
        UserSort::Created | UserSort::CreatedDesc => "created",
    }
}

#[component]
fn UserLine(row: UserRow, picked: Picked) -> impl IntoView {
    let locale = use_locale();
    let UserRow {
        id,
        name,
        email,
        phone,
        is_admin,
        is_free,
        is_active,
        group,
        role,
        two_factor_enabled,
        invitation_pending,
        last_login_at,
        created_at,
        ..
    } = row;
    let label_name = name.clone();
    let row_email = email.clone();
    view! {
        <tr data-testid="user-row" data-email=row_email data-id=id class:row-inactive=!is_active>
            <td class="cell-check">
                <input
                    type="checkbox"
                    data-testid="user-pick"
                    aria-label=move || format!("{}: {}", locale.t(Key::Select), label_name)
                    disabled=move || picked.all_matching.get()
                    prop:checked=move || picked.all_matching.get() || picked.ids.with(|ids| ids.contains(&id))
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        picked.ids.update(|ids| {
                            if on { ids.insert(id); } else { ids.remove(&id); }
                        });
                    }
                />
            </td>
            <td>
                <A href=format!("/users/{id}") attr:class="cell-title link" attr:data-testid="user-link">{name}</A>
                <div class="muted small">{email}</div>
                {phone.map(|phone| view! { <div class="muted small">{phone}</div> })}
                <div class="badges">
                    {is_admin.then(|| view! { <span class="badge badge-accent">{locale.text(Key::Administrator)}</span> })}
                    {is_free.then(|| view! { <span class="badge badge-muted">{locale.text(Key::FreeUser)}</span> })}
                    {(!is_active).then(|| view! { <span class="badge">{locale.text(Key::Inactive)}</span> })}
                    {invitation_pending.then(|| view! { <span class="badge">{locale.text(Key::Invited)}</span> })}
                </div>
            </td>
            <td data-testid="user-group">
                {group.map(|group| move || group_name(locale.lang(), &group.name, group.is_default))}
            </td>
            <td data-testid="user-role">
                {match role {
                    Some(role) => view! { <span>{role.name}</span> }.into_any(),
                    None => view! { <span class="muted">{locale.text(Key::OwnRights)}</span> }.into_any(),
                }}
            </td>
            <td>
                <span class="badge" class:badge-success=two_factor_enabled>
                    {locale.text(if two_factor_enabled { Key::On } else { Key::Off })}
                </span>
            </td>
            <td class="nowrap">
                {match last_login_at {
                    Some(at) => view! { <Time at=at/> }.into_any(),
                    None => view! { <span class="muted">{locale.text(Key::Never)}</span> }.into_any(),
                }}
            </td>
            <td class="nowrap"><Time at=created_at day_only=true/></td>
        </tr>
    }
}
