//! The deactivation hand-over (D1–D3): who receives the leavers' records — one member, one per
//! record type, or a group evenly — what would move (a dry run), and, once confirmed, the job
//! handing the records over with its progress until it is done.

use std::time::Duration;

use gatehouse_domain::{
    deactivation::{DeactivationRequest, JobState, Reassignment, ReassignmentJob, RecordCounts},
    rights::Entity,
    Id,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_query_map;

use crate::{
    api::ApiError,
    auth::session::{use_session, Session},
    crm::{refusal, Directory},
    i18n::{deactivate_title, field_code_text, job_failed_text, use_locale, Key},
    layout::{
        admin_only::AdminOnly,
        field::{Alert, SelectField},
        form_error::FormError,
        leave_for,
        remote::Submission,
    },
    users::{group_options, load_groups},
};

/// How often a running job is asked how far it is.
const POLL: Duration = Duration::from_millis(500);

/// The record types in the order the dialog lists them, with their names.
const TYPES: [(Entity, Key); 4] = [
    (Entity::Leads, Key::Leads),
    (Entity::Contacts, Key::Contacts),
    (Entity::Companies, Key::Companies),
    (Entity::Tasks, Key::OpenTasks),
];

/// The hand-over page (`/crm/hand-over?members=1,2`), which the users list opens for the members
/// ticked there. It is the CRM workspace's: what it hands over are CRM records, and it works from
/// the account's directory, so the admin app's download stays within its budget (Q4). Closing it
/// returns to the users list.
#[component]
pub fn HandOverPage() -> impl IntoView {
    let leavers: Vec<Id> = use_query_map()
        .with_untracked(|query| query.get("members"))
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    let open = RwSignal::new(true);
    Effect::new(move |_| {
        if !open.get() {
            leave_for("/users");
        }
    });
    view! {
        <AdminOnly>
            <div class="page">
                <section class="card hand-over" data-testid="deactivation" aria-labelledby="deactivation-title">
                    <Deactivation leavers=leavers.clone() open=open done=Callback::new(|()| {})/>
                </section>
            </div>
        </AdminOnly>
    }
}

#[component]
fn Deactivation(leavers: Vec<Id>, open: RwSignal<bool>, done: Callback<()>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let directory = Directory::load();
    let groups = load_groups();
    let how = RwSignal::new("one".to_owned());
    // One receiver per record type; "one member" uses the first.
    let receivers = [(); 4].map(|()| RwSignal::new(String::new()));
    let group = RwSignal::new(String::new());
    let counts = RwSignal::new(None::<RecordCounts>);
    let job = RwSignal::new(None::<ReassignmentJob>);
    let finished = RwSignal::new(false);
    let sending = Submission::new();
    let count = leavers.len();
    let leavers = StoredValue::new(leavers);
    // A new choice needs a new count before it is confirmed.
    let changed = Callback::new(move |()| counts.set(None));
    let choose = move |mut options: Vec<(String, String)>| {
        options.insert(0, (String::new(), "—".to_owned()));
        options
    };
    let choices =
        Signal::derive(move || choose(leavers.with_value(|ids| directory.receivers(ids))));
    let group_choices = {
        let groups = group_options(groups, None);
        Signal::derive(move || choose(groups.get()))
    };

    // The request as chosen, or the refusal of a choice left open.
    let request = move |dry_run: bool| {
        let id = |signal: RwSignal<String>| signal.get_untracked().parse::<Id>().ok();
        let missing = || refusal("reassign_to", "receiver_missing");
        let [leads, contacts, companies, tasks] = receivers.map(id);
        let reassign_to = match how.get_untracked().as_str() {
            "per_entity" => Reassignment::PerEntity {
                leads: leads.ok_or_else(missing)?,
                contacts: contacts.ok_or_else(missing)?,
                companies: companies.ok_or_else(missing)?,
                tasks: tasks.ok_or_else(missing)?,
            },
            "group" => Reassignment::Group {
                group_id: id(group).ok_or_else(missing)?,
            },
            _ => Reassignment::One {
                member_id: leads.ok_or_else(missing)?,
            },
        };
        Ok(DeactivationRequest {
            member_ids: leavers.get_value(),
            reassign_to,
            dry_run,
        })
    };
    let poll = move |id: Id| {
        follow(Watch {
            session,
            id,
            job,
            finished,
            done,
        })
    };
    let check = move |_| {
        let request = request(true);
        let call = async move { session.call(api.deactivate(&request?)).await };
        sending.run(call, move |result| counts.set(Some(result.counts)));
    };
    let confirm = move |_| {
        let request = request(false);
        let call = async move { session.call(api.deactivate(&request?)).await };
        sending.run(call, move |result| {
            done.run(());
            match result.job {
                Some(started) => {
                    let (id, state) = (started.id, started.state);
                    job.set(Some(started));
                    match state {
                        JobState::Running => poll(id),
                        JobState::Done => finished.set(true),
                        // The job's error shows; what it moved stays moved.
                        JobState::Failed => {}
                    }
                }
                None => finished.set(true),
            }
        });
    };
    let refused = Signal::derive(move || sending.error());
    // The server's objections to the choice, each in words.
    let objections = Signal::derive(move || {
        let lang = locale.lang();
        match refused.get() {
            Some(ApiError::Problem { problem, .. }) if !problem.errors.is_empty() => Some(
                problem
                    .errors
                    .iter()
                    .map(|e| field_code_text(lang, &e.code).unwrap_or_else(|| e.message.clone()))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    });
    let ways = Signal::derive(move || {
        [
            ("one", Key::ReassignOne),
            ("per_entity", Key::ReassignPerEntity),
            ("group", Key::ReassignGroup),
        ]
        .into_iter()
        .map(|(value, key)| (value.to_owned(), locale.t(key).to_owned()))
        .collect()
    });
    let started = move || job.with(Option::is_some) || finished.get();

    view! {
        <h2 id="deactivation-title">{move || deactivate_title(locale.lang(), count)}</h2>
            <p>{locale.text(Key::DeactivateText)}</p>
            <fieldset class="fieldset" disabled=started>
                <legend>{locale.text(Key::ReassignTo)}</legend>
                <SelectField id="deactivation-how" label=Key::ReassignHow value=how options=ways on_change=changed/>
                {move || match how.get().as_str() {
                    "per_entity" => TYPES
                        .iter()
                        .zip(receivers)
                        .map(|((entity, key), receiver)| view! {
                            <SelectField id=format!("deactivation-{}", entity.code()) label=*key value=receiver options=choices on_change=changed/>
                        })
                        .collect_view()
                        .into_any(),
                    "group" => view! {
                        <SelectField id="deactivation-group" label=Key::Group value=group options=group_choices on_change=changed/>
                    }.into_any(),
                    _ => view! {
                        <SelectField id="deactivation-member" label=Key::Member value=receivers[0] options=choices on_change=changed/>
                    }.into_any(),
                }}
            </fieldset>
            {move || counts.get().map(|counts| view! {
                <div class="counts" data-testid="deactivation-counts" role="status">
                    <strong>{locale.text(Key::WillMove)}</strong>
                    <dl class="details">
                        {TYPES.iter().map(|(entity, key)| view! {
                            <div class="detail">
                                <dt>{locale.text(*key)}</dt>
                                <dd data-testid=format!("deactivation-count-{}", entity.code())>{counts.get(*entity)}</dd>
                            </div>
                        }).collect_view()}
                    </dl>
                </div>
            })}
            {move || job.get().map(|job| view! { <Progress job=job/> })}
            {move || finished.get().then(|| view! {
                <div class="alert alert-success deactivation-status" role="status" data-testid="deactivation-done">{locale.text(Key::HandedOver)}</div>
            })}
            {move || job.with(|j| j.as_ref().filter(|j| j.state == JobState::Failed).map(|j| j.error.clone().unwrap_or_default())).map(|error| view! {
                <div class="alert alert-error deactivation-status" role="alert" data-testid="deactivation-failed">{move || job_failed_text(locale.lang(), &error)}</div>
            })}
            <FormError refused=refused testid="deactivation-error"/>
            <Alert message=objections testid="deactivation-invalid"/>
            <div class="dialog-actions">
                {move || if started() {
                    view! {
                        <button type="button" class="button button-primary" data-testid="deactivation-close" on:click=move |_| open.set(false)>
                            {locale.text(Key::Close)}
                        </button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button-outline" data-testid="deactivation-check" disabled=sending.pending() on:click=check>
                            {locale.text(Key::CountWhatMoves)}
                        </button>
                        <button
                            type="button"
                            class="button button-primary button-danger"
                            data-testid="deactivation-confirm"
                            disabled=move || sending.pending().get() || counts.with(Option::is_none)
                            on:click=confirm
                        >
                            {locale.text(Key::Deactivate)}
                        </button>
                        <button type="button" class="button button-quiet" on:click=move |_| open.set(false)>
                            {locale.text(Key::Cancel)}
                        </button>
                    }.into_any()
                }}
            </div>
    }
}

/// A running job the dialog follows.
#[derive(Clone, Copy)]
struct Watch {
    session: Session,
    id: Id,
    job: RwSignal<Option<ReassignmentJob>>,
    /// Set once every record has moved.
    finished: RwSignal<bool>,
    done: Callback<()>,
}

/// Asks how far the job is every [`POLL`] until it is no longer running.
fn follow(watch: Watch) {
    set_timeout(
        move || {
            spawn_local(async move {
                // The dialog may be gone: then nobody waits for the answer.
                if watch.job.is_disposed() {
                    return;
                }
                let session = watch.session;
                match session.call(session.api().reassignment_job(watch.id)).await {
                    Ok(now) => {
                        let state = now.state;
                        watch.job.try_set(Some(now));
                        if state == JobState::Running {
                            follow(watch);
                        } else {
                            watch.finished.try_set(state == JobState::Done);
                            watch.done.run(());
                        }
                    }
                    // A look that failed is tried again: the job itself goes on.
                    Err(error) if !error.ends_session() => follow(watch),
                    Err(_) => {}
                }
            });
        },
        POLL,
    );
}

/// The job's progress: a bar with its percent, and what has moved of each type.
#[component]
fn Progress(job: ReassignmentJob) -> impl IntoView {
    let locale = use_locale();
    let percent = job.percent;
    view! {
        <div class="progress" data-testid="deactivation-progress" data-state=job.state.code()>
            <label for="deactivation-bar">{locale.text(Key::HandingOver)}</label>
            <div class="progress-row">
                <progress
                    id="deactivation-bar"
                    max="100"
                    value=percent
                    aria-valuemin="0"
                    aria-valuemax="100"
                    aria-valuenow=percent
                    data-testid="deactivation-bar"
                ></progress>
                <strong data-testid="deactivation-percent">{format!("{percent} %")}</strong>
            </div>
            <ul class="progress-types">
                {TYPES.iter().map(|(entity, key)| view! {
                    <li data-testid=format!("deactivation-moved-{}", entity.code())>
                        {locale.text(*key)}": "{format!("{} / {}", job.moved.get(*entity), job.totals.get(*entity))}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    }
}
