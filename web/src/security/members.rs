//! The members as security sees them (P3, T3, T4, A4, A5): who has a second factor, who is
//! locked out, how many sessions; and what an administrator does about it.

use gatehouse_domain::{
    problem::ErrorCode,
    users::{MemberSecurity, SetPassword},
};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    api::ApiError,
    auth::session::{use_session, PasswordOwner},
    i18n::{fill, use_locale, Key},
    layout::{
        dialog::Dialog,
        field::Alert,
        form_error::FormError,
        format::{now, Time},
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
    security::new_password::{NewPassword, NewPasswordFields},
};

/// What an administrator does to a member's sign-in from this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    SetPassword,
    SendResetLink,
    ResetTwoFactor,
    EndSessions,
    Unlock,
}

impl Act {
    /// What the act did, `{name}` and `{count}` filled in.
    const fn done(self) -> Key {
        match self {
            Self::SetPassword => Key::MemberPasswordSet,
            Self::SendResetLink => Key::MemberResetLinkSent,
            Self::ResetTwoFactor => Key::MemberTwoFactorReset,
            Self::EndSessions => Key::MemberSessionsEnded,
            Self::Unlock => Key::MemberUnlocked,
        }
    }
}

/// The members with their sign-in security, for the pages that list or choose them.
pub fn load_members() -> Remote<Vec<MemberSecurity>> {
    let session = use_session();
    let api = session.api();
    Remote::new(move || session.call(api.member_security()))
}

/// Members as `(id, "name (e-mail)")` options after "Everyone", for the logs' filters.
pub fn member_options(members: Remote<Vec<MemberSecurity>>) -> Signal<Vec<(String, String)>> {
    let locale = use_locale();
    Signal::derive(move || {
        let mut options = vec![(String::new(), locale.t(Key::Everyone).to_owned())];
        members.with(|members| {
            if let Some(Ok(members)) = members {
                options.extend(
                    members
                        .iter()
                        .map(|m| (m.id.to_string(), format!("{} ({})", m.name, m.email))),
                );
            }
        });
        options
    })
}

/// The last act and how it went: which act, on whom, and the sessions it ended if any.
type Outcome = (Act, String, Result<Option<u64>, ApiError>);

#[component]
pub fn MembersCard(members: Remote<Vec<MemberSecurity>>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let last = RwSignal::new(None::<Outcome>);
    let report = move |outcome: Outcome| {
        last.set(Some(outcome));
        members.refetch();
    };

    let act = Submission::new();
    let perform = move |kind: Act, member: MemberSecurity| {
        let (id, name) = (member.id, member.name);
        let request = async move {
            let result = match kind {
                Act::SendResetLink => session
                    .call(api.send_member_reset_link(id))
                    .await
                    .map(|()| None),
                Act::ResetTwoFactor => session
                    .call(api.reset_member_two_factor(id))
                    .await
                    .map(|()| None),
                Act::EndSessions => session
                    .call(api.end_member_sessions(id))
                    .await
                    .map(|ended| Some(ended.ended)),
                Act::Unlock => session.call(api.unlock_member(id)).await.map(|()| None),
                // Carries a password: sent by its own form.
                Act::SetPassword => Ok(None),
            };
            report((kind, name, result));
            Ok(())
        };
        act.run(request, |()| {});
    };

    // Acts that cannot be undone are confirmed first.
    let confirming = RwSignal::new(None::<(Act, MemberSecurity)>);
    let confirm_open = RwSignal::new(false);
    let password_for = RwSignal::new(None::<MemberSecurity>);
    let password_open = RwSignal::new(false);
    let request = Callback::new(move |(kind, member): (Act, MemberSecurity)| match kind {
        Act::SetPassword => {
            password_for.set(Some(member));
            password_open.set(true);
        }
        Act::ResetTwoFactor | Act::EndSessions => {
            confirming.set(Some((kind, member)));
            confirm_open.set(true);
        }
        Act::SendResetLink | Act::Unlock => perform(kind, member),
    });

    let message = move || {
        last.get().map(|(kind, name, result)| match result {
            Ok(count) => Ok(fill(
                locale.t(kind.done()),
                &[("name", &name), ("count", &count.unwrap_or(0).to_string())],
            )),
            Err(error) => Err(format!("{name}: {}", error.message(locale.lang()))),
        })
    };

    view! {
        <section class="card" aria-labelledby="members-title" data-testid="members">
            <div class="card-header">
                <h2 id="members-title">{locale.text(Key::MembersSecurity)}</h2>
                <button
                    type="button"
                    class="button button-quiet button-small"
                    data-testid="members-refresh"
                    on:click=move |_| members.refetch()
                >
                    {locale.text(Key::Refresh)}
                </button>
            </div>
            <Alert
                message=Signal::derive(move || message().and_then(Result::ok))
                testid="member-act-done"
                success=true
            />
            <Alert message=Signal::derive(move || message().and_then(Result::err)) testid="member-act-error"/>
            {move || match members.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| members.refetch()/> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{locale.text(Key::Member)}</th>
                                        <th scope="col">{locale.text(Key::TwoFactorShort)}</th>
                                        <th scope="col">{locale.text(Key::LockedUntil)}</th>
                                        <th scope="col">{locale.text(Key::LiveSessions)}</th>
                                        <th scope="col">{locale.text(Key::LastSignIn)}</th>
                                        <th scope="col">{locale.text(Key::Actions)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list
                                        .into_iter()
                                        .map(|member| view! { <MemberRow member=member request=request busy=act.pending()/> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }
            }}
        </section>
        <Dialog open=confirm_open labelledby="member-confirm-title" testid="member-confirm-dialog">
            {move || {
                confirming
                    .get()
                    .map(|(kind, member)| {
                        let (title, text) = match kind {
                            Act::ResetTwoFactor => (Key::ResetTwoFactorTitle, Key::ResetTwoFactorText),
                            _ => (Key::EndSessionsTitle, Key::EndSessionsText),
                        };
                        let name = member.name.clone();
                        view! {
                            <h2 id="member-confirm-title">{move || fill(locale.t(title), &[("name", &name)])}</h2>
                            <p>{locale.text(text)}</p>
                            <div class="dialog-actions">
                                <button
                                    type="button"
                                    class="button button-primary button-danger"
                                    data-testid="member-confirm"
                                    on:click=move |_| {
                                        confirm_open.set(false);
                                        perform(kind, member.clone());
                                    }
                                >
                                    {locale.text(Key::Confirm)}
                                </button>
                                <button
                                    type="button"
                                    class="button button-outline"
                                    on:click=move |_| confirm_open.set(false)
                                >
                                    {locale.text(Key::Cancel)}
                                </button>
                            </div>
                        }
                    })
            }}
        </Dialog>
        <Dialog open=password_open labelledby="member-password-title" testid="member-password-dialog">
            {move || {
                password_for
                    .get()
                    .map(|member| {
                        view! {
                            <SetPasswordForm
                                member=member
                                done=Callback::new(move |outcome: Outcome| {
                                    password_open.set(false);
                                    report(outcome);
                                })
                                close=Callback::new(move |()| password_open.set(false))
                            />
                        }
                    })
            }}
        </Dialog>
    }
}

#[component]
fn MemberRow(
    member: MemberSecurity,
    request: Callback<(Act, MemberSecurity)>,
    busy: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let now = now();
    let locked = member.locked_until.filter(|until| *until > now);
    // Setting a password belongs to the person when they are in other accounts too (P3).
    let can_set_password = !member.in_other_accounts;
    let button = move |kind: Act, label: Key, testid: &'static str, member: &MemberSecurity| {
        let member = member.clone();
        view! {
            <button
                type="button"
                class="button button-quiet button-small"
                data-testid=testid
                disabled=busy
                on:click=move |_| request.run((kind, member.clone()))
            >
                {locale.text(label)}
            </button>
        }
    };
    let actions = view! {
        {can_set_password.then(|| button(Act::SetPassword, Key::SetPassword, "member-set-password", &member))}
        {button(Act::SendResetLink, Key::SendResetLink, "member-send-reset", &member)}
        {member
            .two_factor_enabled
            .then(|| button(Act::ResetTwoFactor, Key::ResetTwoFactor, "member-reset-2fa", &member))}
        {(member.live_sessions > 0)
            .then(|| button(Act::EndSessions, Key::EndSessions, "member-end-sessions", &member))}
        {locked.is_some().then(|| button(Act::Unlock, Key::Unlock, "member-unlock", &member))}
    };
    let MemberSecurity {
        name,
        email,
        is_admin,
        is_active,
        two_factor_enabled,
        two_factor_required,
        live_sessions,
        last_login_at,
        ..
    } = member;
    let missing_factor = two_factor_required && !two_factor_enabled;
    let row_email = email.clone();
    view! {
        <tr data-testid="member-row" data-email=row_email class:row-inactive=!is_active>
            <td>
                <div class="cell-title">{name}</div>
                <div class="muted">{email}</div>
                <div class="badges">
                    {is_admin.then(|| view! { <span class="badge badge-accent">{locale.text(Key::Administrator)}</span> })}
                    {(!is_active).then(|| view! { <span class="badge">{locale.text(Key::Inactive)}</span> })}
                </div>
            </td>
            <td>
                <span class="badge" class:badge-success=two_factor_enabled class:badge-muted=missing_factor data-testid="member-2fa">
                    {locale.text(if two_factor_enabled { Key::On } else { Key::Off })}
                </span>
                // Whether the account's policy asks it of this member (T4).
                {two_factor_required
                    .then(|| view! { <div class="muted small" data-testid="member-2fa-required">{locale.text(Key::Required)}</div> })}
            </td>
            <td data-testid="member-locked">
                {match locked {
                    Some(until) => view! {
                        <Time at=until class="text-danger"/>
                    }
                    .into_any(),
                    None => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </td>
            <td data-testid="member-sessions">{live_sessions}</td>
            <td>
                {match last_login_at {
                    Some(at) => view! { <Time at=at/> }.into_any(),
                    None => view! { <span class="muted">{locale.text(Key::Never)}</span> }.into_any(),
                }}
            </td>
            <td class="cell-actions">
                <div class="actions-list">{actions}</div>
            </td>
        </tr>
    }
}

#[component]
fn SetPasswordForm(
    member: MemberSecurity,
    done: Callback<Outcome>,
    close: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let owner = PasswordOwner {
        email: member.email.clone(),
        name: member.name.clone(),
        account_name: session
            .with_me(|me| me.membership.account.name.clone())
            .unwrap_or_default(),
    };
    // The member's own data, not the administrator's, is what their password must not contain.
    let new_password = NewPassword::new(Signal::derive(move || {
        (session.password_rules().0, owner.clone())
    }));
    // An administrator's password is a temporary one by default: the member chooses their own.
    let must_change = RwSignal::new(true);
    let id = member.id;
    let name = StoredValue::new(member.name.clone());
    let save = Submission::new();
    let send_link = Submission::new();
    let refused = Signal::derive(move || save.error().or_else(|| send_link.error()));
    let other_accounts = move || {
        refused.get().and_then(|error| error.code()) == Some(ErrorCode::IdentityInOtherAccounts)
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        save.clear();
        if new_password.ready() {
            let request = SetPassword {
                password: new_password.password.get_untracked(),
                must_change: must_change.get_untracked(),
            };
            let name = name.get_value();
            save.run(
                async move { session.call(api.set_member_password(id, &request)).await },
                move |()| done.run((Act::SetPassword, name, Ok(None))),
            );
        }
    };

    view! {
        <h2 id="member-password-title">{move || fill(locale.t(Key::SetPasswordFor), &[("name", &name.get_value())])}</h2>
        <form class="form" on:submit=on_submit novalidate=true>
            <FormError refused=refused testid="member-password-error"/>
            {move || {
                other_accounts()
                    .then(|| {
                        view! {
                <button
                    type="button"
                    class="button button-outline"
                    data-testid="member-password-send-reset"
                    disabled=send_link.pending()
                    on:click=move |_| {
                        let name = name.get_value();
                        send_link.run(session.call(api.send_member_reset_link(id)), move |()| {
                            done.run((Act::SendResetLink, name, Ok(None)));
                        });
                    }
                >
                    {locale.text(Key::SendResetLink)}
                </button>
                        }
                    })
            }}
            <NewPasswordFields new_password=new_password prefix="member-password" field="password" refused=refused/>
            <label class="choice" for="member-password-must-change">
                <input
                    id="member-password-must-change"
                    type="checkbox"
                    data-testid="member-password-must-change"
                    bind:checked=must_change
                />
                <span>{locale.text(Key::MustChangePassword)}</span>
            </label>
            <p class="field-hint">{locale.text(Key::SetPasswordEndsSessions)}</p>
            <div class="dialog-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="member-password-submit"
                    disabled=save.pending()
                >
                    {locale.text_when(save.pending(), Key::Saving, Key::SetPassword)}
                </button>
                <button type="button" class="button button-outline" on:click=move |_| close.run(())>
                    {locale.text(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}
