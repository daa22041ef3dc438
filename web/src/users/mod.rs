//! The account's members as administrators manage them (U3–U10): the list with its filters,
//! seats and bulk acts, and the editor of one member.

/// Adding and editing a member.
pub mod editor;
/// The users list (`/users`).
pub mod list;

use gatehouse_domain::{accounts::Seats, groups::Group, pipelines::Pipeline, roles::Role};
use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{seats_text, t, use_locale, Key, Lang},
    layout::remote::Remote,
};

/// The account's groups, for pickers and filters.
pub fn load_groups() -> Remote<Vec<Group>> {
    let session = use_session();
    let api = session.api();
    Remote::new(move || session.call(api.groups()))
}

/// The account's roles with their rights.
pub fn load_roles() -> Remote<Vec<Role>> {
    let session = use_session();
    let api = session.api();
    Remote::new(move || session.call(api.roles()))
}

/// The account's pipelines, for stage rights.
pub fn load_pipelines() -> Remote<Vec<Pipeline>> {
    let session = use_session();
    let api = session.api();
    Remote::new(move || session.call(api.pipelines()))
}

/// What has loaded of a list, empty until then.
pub fn loaded<T: Clone + Send + Sync + 'static>(list: Remote<Vec<T>>) -> Signal<Vec<T>> {
    Signal::derive(move || list.get().and_then(Result::ok).unwrap_or_default())
}

/// A group's name for the reader: the default group is named in the account's language by
/// the server, and in the reader's here.
#[must_use]
pub fn group_name(lang: Lang, name: &str, is_default: bool) -> String {
    if is_default {
        t(lang, Key::DefaultGroup).to_owned()
    } else {
        name.to_owned()
    }
}

/// Groups as `(id, name)` options, after `first` (e.g. "Any group") when given.
pub fn group_options(
    groups: Remote<Vec<Group>>,
    first: Option<Key>,
) -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        let mut options: Vec<(String, String)> = first
            .map(|key| (String::new(), locale.t(key).to_owned()))
            .into_iter()
            .collect();
        groups.with(|groups| {
            if let Some(Ok(groups)) = groups {
                options.extend(groups.iter().map(|g| {
                    (
                        g.id.to_string(),
                        group_name(locale.lang(), &g.name, g.is_default),
                    )
                }));
            }
        });
        options
    })
}

/// Roles as `(id, name)` options, after `first` (e.g. "Own rights") when given.
pub fn role_options(roles: Remote<Vec<Role>>, first: Option<Key>) -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        let mut options: Vec<(String, String)> = first
            .map(|key| (String::new(), locale.t(key).to_owned()))
            .into_iter()
            .collect();
        roles.with(|roles| {
            if let Some(Ok(roles)) = roles {
                options.extend(roles.iter().map(|r| (r.id.to_string(), r.name.clone())));
            }
        });
        options
    })
}

/// "Seats used 3 / 5", always in sight on the users list (U4); warned when none is free.
#[component]
pub fn SeatCounter(#[prop(into)] seats: Signal<Option<Seats>>) -> impl IntoView {
    let locale = use_locale();
    move || {
        seats.get().map(|seats| {
            let full = seats.free() == 0;
            view! {
                <div
                    class="seats"
                    class:seats-full=full
                    data-testid="seats"
                    data-used=seats.used
                    data-total=seats.total
                    title=move || seats_text(locale.lang(), &seats)
                >
                    <span class="seats-label">{locale.text(Key::SeatsUsed)}</span>
                    <strong class="seats-value" data-testid="seats-value">
                        {format!("{} / {}", seats.used, seats.total)}
                    </strong>
                    {full.then(|| view! { <span class="seats-note">{locale.text(Key::NoSeatFree)}</span> })}
                </div>
            }
        })
    }
}
