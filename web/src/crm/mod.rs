//! The CRM screens (W2): the pipeline board, the lead card, and one list that serves contacts,
//! companies and tasks. Every action shows only when the domain's rights evaluation — the one
//! the server applies — allows it to the member; the server still decides.

/// The pipeline board (`/leads`).
pub mod board;
/// The lead's chat with its client, on the lead card.
pub mod chat;
/// The form that adds and changes records.
pub mod form;
/// The lead card (`/leads/:id`).
pub mod lead;
/// The lists of contacts, companies and tasks.
pub mod records;

use futures::future::LocalBoxFuture;
use gatehouse_domain::{
    crm::{Colleague, Slice},
    problem::{ErrorCode, FieldError, Problem},
    rights::{self, Action, Entity, Record, Subject},
    Id,
};
use leptos::{prelude::*, task::spawn_local};
use web_sys::{js_sys, wasm_bindgen::JsValue};

use crate::{
    api::ApiError,
    auth::session::use_session,
    i18n::{use_locale, Key},
    layout::remote::Remote,
};

/// The account's members: who is responsible for what, in words, and who may receive records.
#[derive(Clone, Copy)]
pub struct Directory(Remote<Vec<Colleague>>);

impl Directory {
    #[must_use]
    pub fn load() -> Self {
        let session = use_session();
        let api = session.api();
        Self(Remote::new(move || session.call(api.members())))
    }

    fn find<R>(&self, id: Id, read: impl FnOnce(&Colleague) -> R) -> Option<R> {
        self.0.with(|members| {
            members
                .and_then(|m| m.as_ref().ok())
                .and_then(|m| m.iter().find(|c| c.id == id))
                .map(read)
        })
    }

    /// The member's name (tracked); empty until the directory is in.
    #[must_use]
    pub fn name(&self, id: Id) -> String {
        self.find(id, |c| c.name.clone()).unwrap_or_default()
    }

    /// Members who may be responsible for records — active, not free — but those in `except`,
    /// as `(id, name)` options (tracked).
    #[must_use]
    pub fn receivers(&self, except: &[Id]) -> Vec<(String, String)> {
        self.0.with(|members| {
            members
                .and_then(|m| m.as_ref().ok())
                .map(|m| {
                    m.iter()
                        .filter(|c| c.is_active && !c.is_free && !except.contains(&c.id))
                        .map(|c| (c.id.to_string(), c.name.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// May the member do `action` to a record of `entity` whose responsible member is
    /// `responsible_id` (in `stage_id`, for leads)? The domain's [`rights::allows`], fed with the
    /// responsible member's group from the directory (tracked).
    #[must_use]
    pub fn allows(
        &self,
        action: Action,
        entity: Entity,
        responsible_id: Id,
        stage_id: Option<Id>,
    ) -> bool {
        let record = Record {
            entity,
            responsible_id,
            responsible_group_id: self.find(responsible_id, |c| c.group_id).flatten(),
            stage_id,
            participant: false,
        };
        subject().is_some_and(|subject| rights::allows(&subject, action, &record))
    }
}

/// The signed-in member as the rights see them (tracked).
#[must_use]
pub fn subject() -> Option<Subject> {
    use_session().with_me(|me| me.access.subject(me.membership.id))
}

/// May the member add records of `entity` (tracked)?
#[must_use]
pub fn may_add(entity: Entity) -> bool {
    subject().is_some_and(|subject| rights::may_add(&subject, entity))
}

/// May the member export any record of `entity` (tracked)?
#[must_use]
pub fn may_export(entity: Entity) -> bool {
    subject()
        .is_some_and(|subject| !rights::list_filter(&subject, entity, Action::Export).is_nothing())
}

type Fetch<T> = Box<dyn Fn(Option<Id>) -> LocalBoxFuture<'static, Result<Slice<T>, ApiError>>>;

/// A list read in keyset slices (the API's `Slice`): the items so far and whether more
/// follow. It reads its first slice when created and again whenever a signal the fetcher reads
/// changes; [`Slices::more`] appends the next one.
pub struct Slices<T: 'static> {
    items: RwSignal<Vec<T>>,
    next: RwSignal<Option<Id>>,
    failed: RwSignal<Option<ApiError>>,
    loaded: RwSignal<bool>,
    fetch: StoredValue<Fetch<T>, LocalStorage>,
    // Only the answer to the latest request counts: filters may change while one is under way.
    latest: StoredValue<u32>,
}

impl<T: 'static> Clone for Slices<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Slices<T> {}

impl<T: Clone + Send + Sync + 'static> Slices<T> {
    pub fn new(
        fetch: impl Fn(Option<Id>) -> LocalBoxFuture<'static, Result<Slice<T>, ApiError>> + 'static,
    ) -> Self {
        let slices = Self {
            items: RwSignal::new(Vec::new()),
            next: RwSignal::new(None),
            failed: RwSignal::new(None),
            loaded: RwSignal::new(false),
            fetch: StoredValue::new_local(Box::new(fetch)),
            latest: StoredValue::new(0),
        };
        Effect::new(move |_| {
            let request = slices.fetch.with_value(|fetch| fetch(None));
            slices.answer(request, false);
        });
        slices
    }

    fn answer(self, request: LocalBoxFuture<'static, Result<Slice<T>, ApiError>>, append: bool) {
        let number = self.latest.get_value().wrapping_add(1);
        self.latest.set_value(number);
        spawn_local(async move {
            let result = request.await;
            if self.latest.try_get_value() != Some(number) {
                return;
            }
            match result {
                Ok(slice) => {
                    self.items.update(|items| {
                        if !append {
                            items.clear();
                        }
                        items.extend(slice.items);
                    });
                    self.next.set(slice.next_after);
                    self.failed.set(None);
                }
                Err(error) => self.failed.set(Some(error)),
            }
            self.loaded.set(true);
        });
    }

    /// Appends the next slice.
    pub fn more(self) {
        if let Some(after) = self.next.get_untracked() {
            let request = untrack(|| self.fetch.with_value(|fetch| fetch(Some(after))));
            self.answer(request, true);
        }
    }

    /// Reads the list again from its first slice.
    pub fn reload(self) {
        let request = untrack(|| self.fetch.with_value(|fetch| fetch(None)));
        self.answer(request, false);
    }

    /// The items so far (tracked).
    #[must_use]
    pub fn items(&self) -> Vec<T> {
        self.items.get()
    }

    /// The refusal of the last read (tracked).
    #[must_use]
    pub fn failed(&self) -> Option<ApiError> {
        self.failed.get()
    }

    /// The first slice has come (tracked).
    #[must_use]
    pub fn loaded(&self) -> bool {
        self.loaded.get()
    }

    /// Whether a next slice exists (tracked).
    #[must_use]
    pub fn has_more(&self) -> Signal<bool> {
        let next = self.next;
        Signal::derive(move || next.with(Option::is_some))
    }
}

/// "Show more" under a list that has more.
#[component]
pub fn More(
    #[prop(into)] shown: Signal<bool>,
    on_more: Callback<()>,
    testid: &'static str,
) -> impl IntoView {
    let locale = use_locale();
    move || {
        shown.get().then(|| {
            view! {
                <button type="button" class="button button-outline button-small more" data-testid=testid on:click=move |_| on_more.run(())>
                    {locale.text(Key::ShowMore)}
                </button>
            }
        })
    }
}

/// A refusal found before sending, shown by its field as the server's would be.
#[must_use]
pub fn refusal(field: &str, code: &str) -> ApiError {
    let mut problem = Problem::new(ErrorCode::ValidationFailed);
    problem
        .errors
        .push(FieldError::new(field, code, String::new()));
    ApiError::Problem {
        problem: Box::new(problem),
        retry_after: None,
    }
}

/// "1 250 000": whole amounts with their thousands apart, as both languages read them.
#[must_use]
pub fn amount(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            // A no-break space: an amount never breaks over two lines.
            out.push('\u{a0}');
        }
        out.push(digit);
    }
    out
}

/// The day of an instant in the browser's time zone as `<input type="date">` wants it.
#[must_use]
pub fn local_day(at: chrono::DateTime<chrono::Utc>) -> String {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

/// The page of a record that is not there for the member: never in the account, deleted, or
/// outside their rights — the API does not tell them apart, nor does this.
#[component]
pub fn Missing(back: &'static str, label: Key) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="card not-found" data-testid="not-found">
            <h1>{locale.text(Key::NotFoundTitle)}</h1>
            <p class="muted">{locale.text(Key::NotFoundText)}</p>
            <leptos_router::components::A href=back attr:class="button button-primary">{locale.text(label)}</leptos_router::components::A>
        </div>
    }
}
