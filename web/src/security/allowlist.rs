//! The IP allowlist (S3): on or off, for sign-ins only or for every request, the addresses and
//! ranges, the members exempt from it, and a confirmation before a list that shuts out the
//! administrator saving it.

use std::net::IpAddr;

use gatehouse_domain::{
    problem::{ErrorCode, FieldError},
    security::{Allowlist, AllowlistEntry, AllowlistView, IpRange, SaveAllowlist},
    users::MemberSecurity,
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    auth::session::use_session,
    i18n::{allowlist_error_text, use_locale, Key},
    layout::{
        dialog::Dialog,
        field::{Field, SavedNote},
        form_error::FormError,
        loading::{LoadFailed, Loading},
        remote::{Remote, Submission},
    },
};

#[component]
pub fn AllowlistCard(members: Remote<Vec<MemberSecurity>>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let allowlist = Remote::new(move || session.call(api.allowlist()));
    view! {
        <section class="card" aria-labelledby="allowlist-title" data-testid="allowlist">
            <h2 id="allowlist-title">{locale.text(Key::IpAllowlist)}</h2>
            <p class="muted">{locale.text(Key::IpAllowlistText)}</p>
            {move || match allowlist.get() {
                None => view! { <Loading inline=true/> }.into_any(),
                Some(Err(error)) => {
                    view! { <LoadFailed error=error retry=move |()| allowlist.refetch()/> }.into_any()
                }
                Some(Ok(saved)) => view! { <AllowlistForm saved=saved members=members/> }.into_any(),
            }}
        </section>
    }
}

/// One editable line of the list; `key` keeps its inputs in place while others come and go.
#[derive(Clone, Copy)]
struct Row {
    key: u64,
    range: RwSignal<String>,
    note: RwSignal<String>,
}

#[component]
fn AllowlistForm(saved: AllowlistView, members: Remote<Vec<MemberSecurity>>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let your_ip = saved.your_ip.clone();
    let enabled = RwSignal::new(saved.allowlist.enabled);
    let apply_to_tokens = RwSignal::new(saved.allowlist.apply_to_tokens);
    let next_key = StoredValue::new(0u64);
    let new_row = move |range: String, note: String| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        Row {
            key,
            range: RwSignal::new(range),
            note: RwSignal::new(note),
        }
    };
    let rows = RwSignal::new(
        saved
            .allowlist
            .entries
            .iter()
            .map(|entry| new_row(entry.range.clone(), entry.note.clone()))
            .collect::<Vec<_>>(),
    );
    let exempt = RwSignal::new(saved.allowlist.exempt_member_ids.clone());
    let problems = RwSignal::new(Vec::<FieldError>::new());
    let confirming = RwSignal::new(false);

    let save = Submission::new();
    let refused = Signal::derive(move || {
        save.error()
            .filter(|error| error.code() != Some(ErrorCode::AllowlistLocksYouOut))
    });
    let done = move || save.succeeded();
    // What the server kept (normalised ranges) replaces what was typed.
    let saved = move |view: AllowlistView| {
        confirming.set(false);
        enabled.set(view.allowlist.enabled);
        apply_to_tokens.set(view.allowlist.apply_to_tokens);
        rows.set(
            view.allowlist
                .entries
                .iter()
                .map(|entry| new_row(entry.range.clone(), entry.note.clone()))
                .collect(),
        );
        exempt.set(view.allowlist.exempt_member_ids);
    };

    let typed = move || Allowlist {
        enabled: enabled.get_untracked(),
        apply_to_tokens: apply_to_tokens.get_untracked(),
        entries: rows
            .get_untracked()
            .iter()
            .map(|row| AllowlistEntry {
                range: row.range.get_untracked().trim().to_owned(),
                note: row.note.get_untracked().trim().to_owned(),
            })
            .collect(),
        exempt_member_ids: exempt.get_untracked(),
    };
    let send = move |confirm_lockout: bool| {
        if save.pending().get_untracked() {
            return;
        }
        let allowlist = typed();
        let found = allowlist.ranges().err().unwrap_or_default();
        let clean = found.is_empty();
        problems.set(found);
        save.clear();
        if clean {
            let request = SaveAllowlist {
                allowlist,
                confirm_lockout,
            };
            save.run(
                async move {
                    let result = session.call(api.save_allowlist(&request)).await;
                    if let Err(error) = &result {
                        if error.code() == Some(ErrorCode::AllowlistLocksYouOut) {
                            confirming.set(true);
                        }
                    }
                    result
                },
                saved,
            );
        }
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send(false);
    };

    let error_of = move |field: String| {
        let lang = locale.lang();
        let text =
            |problem: &FieldError| allowlist_error_text(lang, &problem.code, &problem.message);
        problems
            .with(|problems| problems.iter().find(|p| p.field == field).map(text))
            .or_else(|| {
                save.error()
                    .and_then(|error| error.field_errors(&field).first().map(|p| text(p)))
            })
    };

    let ip = your_ip.parse::<IpAddr>().ok();
    let covered = move || {
        ip.is_some_and(|ip| {
            rows.with(|rows| {
                rows.iter().any(|row| {
                    row.range
                        .with(|range| IpRange::parse(range).is_ok_and(|range| range.contains(ip)))
                })
            })
        })
    };
    let add_ip = your_ip.clone();
    let add_mine = move |_| {
        let note = locale.t(Key::MyAddressNote).to_owned();
        let row = new_row(add_ip.clone(), note);
        rows.update(|rows| rows.push(row));
    };
    let add_row = move |_| {
        let row = new_row(String::new(), String::new());
        rows.update(|rows| rows.push(row));
    };

    let members_list = move || members.get().and_then(Result::ok).unwrap_or_default();
    let dialog_ip = your_ip.clone();

    view! {
        <form class="form" on:submit=on_submit novalidate=true>
            <FormError refused=refused testid="allowlist-error"/>
            <div class="checks">
                <label class="choice" for="allowlist-enabled">
                    <input id="allowlist-enabled" type="checkbox" data-testid="allowlist-enabled" bind:checked=enabled/>
                    <span>{locale.text(Key::AllowlistEnabled)}</span>
                </label>
                <label class="choice" for="allowlist-tokens">
                    <input id="allowlist-tokens" type="checkbox" data-testid="allowlist-tokens" bind:checked=apply_to_tokens/>
                    <span>{locale.text(Key::AllowlistTokens)}</span>
                </label>
            </div>
            <div class="your-ip">
                <span>
                    {locale.text(Key::YourIp)}": "
                    <code data-testid="allowlist-your-ip">{your_ip.clone()}</code>
                </span>
                <button
                    type="button"
                    class="button button-outline button-small"
                    data-testid="allowlist-add-my-ip"
                    disabled=covered
                    on:click=add_mine
                >
                    {move || locale.t(if covered() { Key::YourIpListed } else { Key::AddMyIp })}
                </button>
            </div>
            <table class="table table-compact">
                <thead>
                    <tr>
                        <th scope="col">{locale.text(Key::IpRange)}</th>
                        <th scope="col">{locale.text(Key::Note)}</th>
                        <th scope="col"><span class="sr-only">{locale.text(Key::Actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=move || rows.get()
                        key=|row| row.key
                        children=move |row| {
                            let index = move || rows.with(|rows| rows.iter().position(|r| r.key == row.key).unwrap_or(0));
                            let range_error = move || error_of(format!("entries[{}].range", index()));
                            let note_error = move || error_of(format!("entries[{}].note", index()));
                            let range_id = format!("allowlist-range-{}", row.key);
                            let note_id = format!("allowlist-note-{}", row.key);
                            view! {
                                <tr data-testid="allowlist-row">
                                    <td>
                                        <Field
                                            id=range_id.clone()
                                            testid="allowlist-range"
                                            label=Key::IpRange
                                            label_hidden=true
                                            placeholder="203.0.113.0/24"
                                            value=row.range
                                            error=Signal::derive(range_error)
                                        />
                                    </td>
                                    <td>
                                        <Field
                                            id=note_id.clone()
                                            testid="allowlist-note"
                                            label=Key::Note
                                            label_hidden=true
                                            maxlength=100
                                            value=row.note
                                            error=Signal::derive(note_error)
                                        />
                                    </td>
                                    <td class="cell-actions">
                                        <button
                                            type="button"
                                            class="button button-quiet button-small"
                                            data-testid="allowlist-remove"
                                            aria-label=move || format!("{} {}", locale.t(Key::Remove), row.range.get())
                                            on:click=move |_| {
                                                // Errors name rows by position, which this shifts.
                                                problems.set(Vec::new());
                                                save.clear();
                                                rows.update(|rows| rows.retain(|r| r.key != row.key));
                                            }
                                        >
                                            {locale.text(Key::Remove)}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
            {move || {
                rows.with(Vec::is_empty)
                    .then(|| view! { <p class="muted" data-testid="allowlist-empty">{locale.text(Key::AllowlistEmpty)}</p> })
            }}
            <div>
                <button type="button" class="button button-outline button-small" data-testid="allowlist-add" on:click=add_row>
                    {locale.text(Key::AddRange)}
                </button>
            </div>
            <fieldset class="fieldset">
                <legend>{locale.text(Key::ExemptMembers)}</legend>
                <p class="field-hint">{locale.text(Key::ExemptMembersHint)}</p>
                <div class="member-checks">
                    {move || {
                        members_list()
                            .into_iter()
                            .map(|member| {
                                let id: Id = member.id;
                                let input_id = format!("allowlist-exempt-{id}");
                                view! {
                                    <label class="choice" for=input_id.clone()>
                                        <input
                                            id=input_id.clone()
                                            type="checkbox"
                                            data-testid="allowlist-exempt"
                                            data-member=member.email.clone()
                                            prop:checked=move || exempt.with(|ids| ids.contains(&id))
                                            on:change=move |event| {
                                                let on = event_target_checked(&event);
                                                exempt.update(|ids| {
                                                    ids.retain(|other| *other != id);
                                                    if on {
                                                        ids.push(id);
                                                    }
                                                });
                                            }
                                        />
                                        <span>{member.name}" "<span class="muted">{member.email}</span></span>
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </div>
            </fieldset>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button button-primary"
                    data-testid="allowlist-save"
                    disabled=save.pending()
                >
                    {locale.text_when(save.pending(), Key::Saving, Key::Save)}
                </button>
                <SavedNote when=Signal::derive(done) testid="allowlist-saved"/>
            </div>
        </form>
        <Dialog open=confirming labelledby="lockout-title" testid="allowlist-lockout">
            <h2 id="lockout-title">{locale.text(Key::LockoutTitle)}</h2>
            <p>{locale.text(Key::LockoutText)}" "<code>{dialog_ip.clone()}</code></p>
            <div class="dialog-actions">
                <button
                    type="button"
                    class="button button-primary button-danger"
                    data-testid="allowlist-confirm-lockout"
                    on:click=move |_| send(true)
                >
                    {locale.text(Key::SaveAnyway)}
                </button>
                <button
                    type="button"
                    class="button button-outline"
                    data-testid="allowlist-cancel-lockout"
                    on:click=move |_| confirming.set(false)
                >
                    {locale.text(Key::Cancel)}
                </button>
            </div>
        </Dialog>
    }
}
