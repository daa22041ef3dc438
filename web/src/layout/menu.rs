//! The left menu: one entry per section that exists, the administrators' ones only for them,
//! and none of the sections hidden for the member (R6).

use gatehouse_domain::rights::Section;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key, Lang},
    layout::Bundle,
};

/// An entry's name: from the shared texts, or (the CRM workspace's cabinet and SMS settings)
/// its own English and Russian words, which keep the shared table, and so the admin app's
/// download, as they are.
#[derive(Clone, Copy)]
enum Label {
    Shared(Key),
    Own(&'static str, &'static str),
}

/// One entry of the menu.
struct Entry {
    href: &'static str,
    testid: &'static str,
    label: Label,
    /// The icon's outline, one SVG path.
    icon: &'static str,
    /// Only this address, not the ones below it (which have entries of their own).
    exact: bool,
    admins_only: bool,
    /// The section of the app (R6) the entry belongs to, when it can be hidden.
    section: Option<Section>,
}

const ENTRIES: [Entry; 14] = [
    Entry {
        href: "/profile",
        testid: "menu-profile",
        label: Label::Shared(Key::Profile),
        icon: "M8 8a4 4 0 1 0 8 0a4 4 0 1 0-8 0M4 21c0-4.4 3.6-8 8-8s8 3.6 8 8",
        exact: false,
        admins_only: false,
        section: None,
    },
    Entry {
        href: "/leads",
        testid: "menu-leads",
        label: Label::Shared(Key::Leads),
        icon: "M3 5h5v14H3zM10 5h5v9h-5zM17 5h4v6h-4z",
        exact: false,
        admins_only: false,
        section: Some(Section::Leads),
    },
    Entry {
        href: "/contacts",
        testid: "menu-contacts",
        label: Label::Shared(Key::Contacts),
        icon: "M4 4h16v16H4zM9 10a3 3 0 1 0 6 0a3 3 0 1 0-6 0M7.5 17c.8-1.8 2.5-3 4.5-3s3.7 1.2 4.5 3",
        exact: false,
        admins_only: false,
        section: Some(Section::Contacts),
    },
    Entry {
        href: "/companies",
        testid: "menu-companies",
        label: Label::Shared(Key::Companies),
        icon: "M4 21V5l8-2v18M12 8h8v13M7 8h2M7 12h2M7 16h2M15 12h2M15 16h2M2 21h20",
        exact: false,
        admins_only: false,
        section: Some(Section::Companies),
    },
    Entry {
        href: "/tasks",
        testid: "menu-tasks",
        label: Label::Shared(Key::Tasks),
        icon: "M9 6h11M9 12h11M9 18h11M4 5.5l1 1 2-2M4 11.5l1 1 2-2M4 17.5l1 1 2-2",
        exact: false,
        admins_only: false,
        section: Some(Section::Tasks),
    },
    Entry {
        href: "/users",
        testid: "menu-users",
        label: Label::Shared(Key::Users),
        icon: "M5 7a4 4 0 1 0 8 0a4 4 0 1 0-8 0M2 21c0-3.9 3.1-7 7-7s7 3.1 7 7M16 3.3a4 4 0 0 1 0 7.4M22 21c0-3-1.8-5.6-4.5-6.6",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/groups",
        testid: "menu-groups",
        label: Label::Shared(Key::Groups),
        icon: "M3 4h7v7H3zM14 4h7v7h-7zM3 15h7v6H3zM14 15h7v6h-7z",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/roles",
        testid: "menu-roles",
        label: Label::Shared(Key::Roles),
        icon: "M3 6h18v13H3zM6 11a2 2 0 1 0 4 0a2 2 0 1 0-4 0M5 16.5c.6-1.4 1.7-2.2 3-2.2s2.4.8 3 2.2M14 10h4M14 14h4",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/security",
        testid: "menu-security",
        label: Label::Shared(Key::Security),
        icon: "M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6zM9 12l2 2 4-4",
        // The logs below have entries of their own.
        exact: true,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/security/auth-log",
        testid: "menu-auth-log",
        label: Label::Shared(Key::AuthLog),
        icon: "M6 3h9l4 4v14H6zM9 11h7M9 15h7M9 7h3",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/security/audit-log",
        testid: "menu-audit-log",
        label: Label::Shared(Key::AuditLog),
        icon: "M9 3h6v3H9zM7 4.5H5V21h14V4.5h-2M8.5 12.5l2 2 4-4M8.5 17.5h7",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/outbox",
        testid: "menu-outbox",
        label: Label::Shared(Key::Outbox),
        icon: "M5 5h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2zM3 7l9 6 9-6",
        exact: false,
        admins_only: true,
        section: Some(Section::Mail),
    },
    Entry {
        href: "/settings/cabinet",
        testid: "menu-cabinet-settings",
        label: Label::Own("Client cabinet", "Кабинет клиента"),
        icon: "M7 3h10a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM10 18h4M9 8a3 3 0 1 0 6 0a3 3 0 1 0-6 0M8.5 14c.7-1.2 2-2 3.5-2s2.8.8 3.5 2",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
    Entry {
        href: "/settings/sms",
        testid: "menu-sms",
        label: Label::Own("SMS", "SMS"),
        icon: "M4 5h16v11H9l-5 4zM8 9h8M8 12h5",
        exact: false,
        admins_only: true,
        section: Some(Section::Settings),
    },
];

#[component]
pub fn Menu() -> impl IntoView {
    let locale = use_locale();
    let session = use_session();
    // Which entries show: a memo, so that a renamed member does not redraw the menu.
    let shown = Memo::new(move |_| {
        session
            .with_me(|me| {
                let admin = me.membership.is_admin;
                let hidden = &me.access.hidden_sections;
                ENTRIES
                    .iter()
                    .map(|entry| {
                        (admin || !entry.admins_only)
                            && entry
                                .section
                                .is_none_or(|section| !hidden.contains(&section))
                    })
                    .collect::<Vec<bool>>()
            })
            .unwrap_or_default()
    });
    view! {
        <nav class="menu" aria-label=locale.text(Key::Sections)>
            <ul>
                {move || {
                    shown
                        .get()
                        .into_iter()
                        .zip(ENTRIES.iter())
                        .filter(|(show, _)| *show)
                        .map(|(_, entry)| {
                            let label = entry.label;
                            let inner = view! {
                                <svg class="menu-icon" viewBox="0 0 24 24" aria-hidden="true">
                                    <path d=entry.icon></path>
                                </svg>
                                <span>
                                    {move || match label {
                                        Label::Shared(key) => locale.t(key),
                                        Label::Own(en, ru) => if locale.lang() == Lang::Ru { ru } else { en },
                                    }}
                                </span>
                            };
                            // The other bundle's sections load as a page of their own.
                            let link = if Bundle::serves(entry.href) {
                                view! {
                                    <A href=entry.href exact=entry.exact attr:class="menu-item" attr:data-testid=entry.testid>
                                        {inner}
                                    </A>
                                }
                                .into_any()
                            } else {
                                view! {
                                    <a href=entry.href rel="external" class="menu-item" data-testid=entry.testid>
                                        {inner}
                                    </a>
                                }
                                .into_any()
                            };
                            view! { <li>{link}</li> }
                        })
                        .collect_view()
                }}
            </ul>
        </nav>
    }
}
