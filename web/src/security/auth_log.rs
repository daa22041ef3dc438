//! The authorization log page (`/security/auth-log`, S1): every sign-in attempt, filtered by
//! member, outcome, address and period, a page at a time, and exported as CSV.

use gatehouse_domain::{
    page::Page,
    security::{AuthLogEntry, AuthLogQuery, AuthOutcome},
    Id,
};
use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    auth::session::use_session,
    i18n::{method_text, outcome_text, total_found, use_locale, Key},
    layout::{
        admin_only::AdminOnly,
        download::save_file,
        field::{Field, SelectField},
        form_error::FormError,
        format::{local_day_start, now, Time},
        loading::{LoadFailed, Loading},
        pagination::Pagination,
        remote::{Remote, Submission},
    },
    security::members::{load_members, member_options},
};

const PER_PAGE: u64 = 50;

#[component]
pub fn AuthLogPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <AuthLog/>
        </AdminOnly>
    }
}

/// The filters as typed; they apply on submit, and the selects and dates at once.
#[derive(Clone, Copy)]
struct Filters {
    member: RwSignal<String>,
    outcome: RwSignal<String>,
    ip: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
}

impl Filters {
    fn query(&self) -> AuthLogQuery {
        let ip = self.ip.get_untracked().trim().to_owned();
        AuthLogQuery {
            member_id: self.member.get_untracked().parse::<Id>().ok(),
            outcome: AuthOutcome::parse(&self.outcome.get_untracked()),
            ip: (!ip.is_empty()).then_some(ip),
            from: local_day_start(&self.from.get_untracked(), 0),
            // The "to" day is included: the query's bound is the start of the next one.
            to: local_day_start(&self.to.get_untracked(), 1),
            page: None,
            per_page: Some(PER_PAGE),
        }
    }
}

#[component]
fn AuthLog() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let filters = Filters {
        member: RwSignal::new(String::new()),
        outcome: RwSignal::new(String::new()),
        ip: RwSignal::new(String::new()),
        from: RwSignal::new(String::new()),
        to: RwSignal::new(String::new()),
    };
    let applied = RwSignal::new(filters.query());
    let page = RwSignal::new(1u64);
    let apply = Callback::new(move |()| {
        page.set(1);
        applied.set(filters.query());
    });
    let members = load_members();
    let entries = Remote::new(move || {
        let query = AuthLogQuery {
            page: Some(page.get()),
            ..applied.get()
        };
        async move { session.call(api.auth_log(&query)).await }
    });
    let total = Signal::derive(move || {
        entries
            .get()
            .and_then(Result::ok)
            .map_or(0, |page: Page<AuthLogEntry>| page.total)
    });

    let export = Submission::new();
    let start_export = move || {
        let query = AuthLogQuery {
            page: None,
            per_page: None,
            ..applied.get_untracked()
        };
        let request = async move { session.call(api.export_auth_log(&query)).await };
        export.run(request, |csv| {
            let name = format!("gatehouse-authorization-log-{}.csv", now().date_naive());
            // A browser that cannot save files has nothing more to tell than that it failed.
            let _ = save_file(&name, "text/csv", &csv);
        });
    };
    let export_refused = Signal::derive(move || export.error());

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        apply.run(());
    };
    let clear = move |_| {
        for field in [
            filters.member,
            filters.outcome,
            filters.ip,
            filters.from,
            filters.to,
        ] {
            field.set(String::new());
        }
        apply.run(());
    };

    view! {
        <div class="page page-wide" data-testid="auth-log">
            <header class="page-header">
                <h1>{locale.text(Key::AuthLog)}</h1>
                <button
                    type="button"
                    class="button button-outline"
                    data-testid="auth-log-export"
                    disabled=export.pending()
                    on:click=move |_| {
                        start_export();
                    }
                >
                    {locale.text_when(export.pending(), Key::Exporting, Key::ExportCsv)}
                </button>
            </header>
            <FormError refused=export_refused testid="auth-log-export-error"/>
            <form class="card filters" on:submit=on_submit novalidate=true aria-label=locale.text(Key::Filters)>
                <SelectField
                    id="auth-log-member"
                    testid="auth-log-member-filter"
                    label=Key::Member
                    value=filters.member
                    options=member_options(members)
                    on_change=apply
                />
                <SelectField
                    id="auth-log-outcome"
                    testid="auth-log-outcome-filter"
                    label=Key::Outcome
                    value=filters.outcome
                    options=Signal::derive(move || {
                        let lang = locale.lang();
                        let mut options = vec![(String::new(), locale.t(Key::AnyOutcome).to_owned())];
                        options.extend(
                            AuthOutcome::ALL
                                .into_iter()
                                .map(|outcome| (outcome.as_str().to_owned(), outcome_text(lang, outcome).to_owned())),
                        );
                        options
                    })
                    on_change=apply
                />
                <Field
                    id="auth-log-ip"
                    testid="auth-log-ip-filter"
                    label=Key::IpAddress
                    value=filters.ip
                    error=Signal::stored(None::<String>)
                />
                <Field
                    id="auth-log-from"
                    label=Key::DateFrom
                    kind="date"
                    value=filters.from
                    error=Signal::stored(None::<String>)
                    on_change=apply
                />
                <Field
                    id="auth-log-to"
                    label=Key::DateTo
                    kind="date"
                    value=filters.to
                    error=Signal::stored(None::<String>)
                    on_change=apply
                />
                <div class="filters-actions">
                    <button type="submit" class="button button-primary" data-testid="auth-log-apply">
                        {locale.text(Key::Apply)}
                    </button>
                    <button type="button" class="button button-quiet" data-testid="auth-log-clear" on:click=clear>
                        {locale.text(Key::ClearFilters)}
                    </button>
                </div>
            </form>
            <section class="card" aria-labelledby="auth-log-results">
                <div class="card-header">
                    <h2 id="auth-log-results">{locale.text(Key::Attempts)}</h2>
                    <span class="muted" data-testid="auth-log-total">
                        {move || total_found(locale.lang(), total.get())}
                    </span>
                </div>
                {move || match entries.get() {
                    None => view! { <Loading inline=true/> }.into_any(),
                    Some(Err(error)) => {
                        view! { <LoadFailed error=error retry=move |()| entries.refetch()/> }.into_any()
                    }
                    Some(Ok(found)) if found.items.is_empty() => {
                        view! { <p class="muted" data-testid="auth-log-empty">{locale.text(Key::NothingFound)}</p> }
                            .into_any()
                    }
                    Some(Ok(found)) => view! { <EntriesTable entries=found.items/> }.into_any(),
                }}
                <Pagination page=page total=total per_page=PER_PAGE testid="auth-log-pages"/>
            </section>
        </div>
    }
}

#[component]
fn EntriesTable(entries: Vec<AuthLogEntry>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{locale.text(Key::Time)}</th>
                        <th scope="col">{locale.text(Key::Member)}</th>
                        <th scope="col">{locale.text(Key::Method)}</th>
                        <th scope="col">{locale.text(Key::Outcome)}</th>
                        <th scope="col">{locale.text(Key::IpAddress)}</th>
                        <th scope="col">{locale.text(Key::Browser)}</th>
                        <th scope="col">{locale.text(Key::OperatingSystem)}</th>
                    </tr>
                </thead>
                <tbody>
                    {entries
                        .into_iter()
                        .map(|entry| {
                            let at = entry.at;
                            let outcome = entry.outcome;
                            let method = entry.method;
                            let failed = !matches!(
                                outcome,
                                AuthOutcome::Success | AuthOutcome::SecondFactorRequired
                            );
                            view! {
                                <tr data-testid="auth-log-row" data-outcome=outcome.as_str()>
                                    <td class="nowrap">
                                        <Time at=at/>
                                    </td>
                                    <td>
                                        {entry.member_name.map(|name| view! { <div class="cell-title">{name}</div> })}
                                        <div class="muted">{entry.email}</div>
                                    </td>
                                    <td>{move || method_text(locale.lang(), method)}</td>
                                    <td>
                                        <span
                                            class="badge"
                                            class:badge-success=outcome == AuthOutcome::Success
                                            class:badge-danger=failed
                                        >
                                            {move || outcome_text(locale.lang(), outcome)}
                                        </span>
                                    </td>
                                    <td><code>{entry.ip}</code></td>
                                    <td>{entry.browser}</td>
                                    <td>{entry.os}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
