//! The member's sessions (A4): where they are signed in, ending any of the others.

use gatehouse_domain::{profile::SessionView, Id};
use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{device_text, sessions_ended, use_locale, Key},
    layout::{
        form_error::FormError,
        format::Time,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
};

#[component]
pub fn SessionsCard(
    /// Bumped when something else here ended sessions (a new password, a second factor).
    changed: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let sessions = Remote::new(move || {
        changed.track();
        session.call(api.sessions())
    });
    // One line says what the last act did, whichever button it was.
    let act = Submission::new();
    let count = RwSignal::new(None::<u64>);
    let end = Callback::new(move |id: Id| {
        count.set(None);
        act.run(session.call(api.end_session(id)), move |()| {
            sessions.refetch()
        });
    });
    let refused = Signal::derive(move || act.error());
    let ended = move || count.get().filter(|_| act.succeeded());
    let show_accounts = move || session.with_me(|me| me.accounts.len() > 1).unwrap_or(false);
    let others = move || {
        sessions
            .get()
            .and_then(Result::ok)
            .is_some_and(|list| list.iter().any(|s| !s.current))
    };

    view! {
        <section class="card" aria-labelledby="sessions-title" data-testid="sessions">
            <div class="card-header">
                <h2 id="sessions-title">{locale.text(Key::Sessions)}</h2>
                <button
                    type="button"
                    class="button button-outline button-small"
                    data-testid="sessions-end-others"
                    disabled=move || !others() || act.pending().get()
                    on:click=move |_| {
                        act.run(session.call(api.end_other_sessions()), move |done| {
                            count.set(Some(done.ended));
                            sessions.refetch();
                        });
                    }
                >
                    {locale.text(Key::EndOtherSessions)}
                </button>
            </div>
            <p class="muted">{locale.text(Key::SessionsText)}</p>
            <FormError refused=refused/>
            {move || {
                ended()
                    .map(|count| {
                        view! {
                            <div class="alert alert-success" role="status" data-testid="sessions-ended">
                                {move || sessions_ended(locale.lang(), count)}
                            </div>
                        }
                    })
            }}
            {move || match sessions.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| sessions.refetch()/> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ul class="rows">
                            {list
                                .into_iter()
                                .map(|item| {
                                    view! { <SessionRow item=item show_account=show_accounts() end=end busy=act.pending()/> }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn SessionRow(
    item: SessionView,
    show_account: bool,
    end: Callback<Id>,
    busy: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let SessionView {
        id,
        current,
        account,
        created_at,
        last_seen_at,
        ip,
        browser,
        os,
        device,
        ..
    } = item;
    let title = format!("{browser} · {os}");
    view! {
        <li class="row" data-testid="session-row" data-current=current.to_string()>
            <div class="row-main">
                <div class="row-title">
                    <span>{title}</span>
                    <span class="badge">{move || device_text(locale.lang(), &device)}</span>
                    {current
                        .then(|| {
                            view! {
                                <span class="badge badge-accent" data-testid="session-current">
                                    {locale.text(Key::ThisDevice)}
                                </span>
                            }
                        })}
                </div>
                <div class="row-meta">
                    <span>
                        <span class="muted">{locale.text(Key::IpAddress)}": "</span>
                        <span data-testid="session-ip">{ip}</span>
                    </span>
                    <span>
                        <span class="muted">{locale.text(Key::SignedInAt)}": "</span>
                        <Time at=created_at/>
                    </span>
                    <span>
                        <span class="muted">{locale.text(Key::LastSeen)}": "</span>
                        <Time at=last_seen_at/>
                    </span>
                    {show_account
                        .then(|| {
                            view! {
                                <span>
                                    <span class="muted">{locale.text(Key::Account)}": "</span>
                                    {account.name}
                                </span>
                            }
                        })}
                </div>
            </div>
            {(!current)
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-outline button-small"
                            data-testid="session-end"
                            disabled=busy
                            on:click=move |_| end.run(id)
                        >
                            {locale.text(Key::EndSession)}
                        </button>
                    }
                })}
        </li>
    }
}
