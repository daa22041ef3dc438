//! The records of a fill, written in batches: companies, contacts, then leads with their
//! contacts, participants, timelines and tasks — each batch of leads with everything about them
//! in one short transaction, so readers of the account are never held up for long and a fill
//! can be watched as it goes. Ids are reserved before a batch is made, so the next batch is
//! made while the last is written.
//!
//! Leads are made oldest first over the last eighteen months: the older a lead, the likelier it
//! is won or lost; open ones crowd the first stages. Each lead's timeline runs from its creation
//! to its last change, and open leads mostly have a task due around now.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use gatehouse_domain::{crm::EventKind, Id};
use rand::{distributions::Distribution, distributions::WeightedIndex, Rng};
use sea_orm::{DatabaseConnection, Value};
use serde_json::json;

use super::{
    batch::{reserve_ids, Batch, Batches, Rows, Written},
    names::{self, Tongue},
    structure::{Cast, Seller},
    Counts, DemoError, Progress,
};

/// Leads per transaction, with their links, events and tasks (about five rows each).
const LEADS_PER_BATCH: usize = 2_000;
/// Companies or contacts per transaction.
const RECORDS_PER_BATCH: usize = 5_000;
/// How far back the account's history goes.
const HISTORY_DAYS: i64 = 540;

const COMPANY_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "name",
    "name_folded",
    "responsible_id",
    "custom",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
];
const CONTACT_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "name",
    "name_folded",
    "phones",
    "emails",
    "company_id",
    "responsible_id",
    "custom",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
];
const LEAD_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "name",
    "name_folded",
    "price",
    "pipeline_id",
    "stage_id",
    "responsible_id",
    "company_id",
    "custom",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
];
const LEAD_CONTACT_COLUMNS: &[&str] = &["lead_id", "contact_id"];
const PARTICIPANT_COLUMNS: &[&str] = &["lead_id", "membership_id"];
const EVENT_COLUMNS: &[&str] = &[
    "account_id",
    "lead_id",
    "kind",
    "payload",
    "author_id",
    "author_name",
    "created_at",
];
const TASK_COLUMNS: &[&str] = &[
    "account_id",
    "text",
    "due_at",
    "entity_type",
    "entity_id",
    "responsible_id",
    "completed_at",
    "custom",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
];

struct CompanyRef {
    id: Id,
    responsible: Id,
    name: String,
}

struct ContactRef {
    id: Id,
    company: Option<usize>,
    name: String,
    phone: String,
}

/// What the fill has made so far, for choosing what new records refer to.
struct Made {
    companies: Vec<CompanyRef>,
    contacts: Vec<ContactRef>,
}

/// Writes `leads` leads and the companies, contacts, tasks and events around them.
///
/// # Errors
/// Database errors. Batches already committed stay.
pub async fn write(
    db: &DatabaseConnection,
    account_id: Id,
    cast: &Cast,
    leads: u64,
    rng: &mut impl Rng,
    now: DateTime<Utc>,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Counts, DemoError> {
    let leads = usize::try_from(leads).unwrap_or(usize::MAX);
    let (companies, contacts) = if leads == 0 {
        (0, 0)
    } else {
        ((leads / 10).max(5), (leads * 2 / 5).max(10))
    };
    let mut made = Made {
        companies: Vec::with_capacity(companies),
        contacts: Vec::with_capacity(contacts),
    };
    let writer = Writer {
        account_id,
        cast,
        now,
    };
    let mut tally = Tally {
        counts: Counts::default(),
        totals: [
            ("companies", companies),
            ("contacts", contacts),
            ("leads", leads),
        ],
        done: [0; 3],
        progress,
    };
    let mut batches = Batches::new(db);
    // Each kind is committed before the next refers to it.
    let mut done = 0;
    while done < companies {
        let n = RECORDS_PER_BATCH.min(companies - done);
        let ids = reserve_ids(db, account_id, "companies", n).await?;
        let batch = writer.companies(rng, &mut made, &ids, done, companies);
        tally.add(batches.submit(batch).await?);
        done += n;
    }
    tally.add(batches.drain().await?);
    let mut done = 0;
    while done < contacts {
        let n = RECORDS_PER_BATCH.min(contacts - done);
        let ids = reserve_ids(db, account_id, "contacts", n).await?;
        let batch = writer.contacts(rng, &mut made, &ids, done, contacts);
        tally.add(batches.submit(batch).await?);
        done += n;
    }
    tally.add(batches.drain().await?);
    let mut done = 0;
    while done < leads {
        let n = LEADS_PER_BATCH.min(leads - done);
        let ids = reserve_ids(db, account_id, "leads", n).await?;
        let batch = writer.leads(rng, &made, &ids, done, leads);
        tally.add(batches.submit(batch).await?);
        done += n;
    }
    tally.add(batches.drain().await?);
    Ok(tally.counts)
}

/// Rows committed so far, told to the caller batch by batch.
struct Tally<'a> {
    counts: Counts,
    totals: [(&'static str, usize); 3],
    done: [u64; 3],
    progress: &'a (dyn Fn(Progress) + Send + Sync),
}

impl Tally<'_> {
    fn add(&mut self, written: Vec<Written>) {
        for batch in written {
            for (table, rows) in batch.rows {
                self.counts.add(table, rows);
            }
            if let Some(k) = self.totals.iter().position(|(what, _)| *what == batch.what) {
                self.done[k] += batch.records;
                (self.progress)(Progress {
                    what: batch.what,
                    done: self.done[k],
                    total: self.totals[k].1 as u64,
                });
            }
        }
    }
}

struct Writer<'a> {
    account_id: Id,
    cast: &'a Cast,
    now: DateTime<Utc>,
}

impl Writer<'_> {
    fn tongue(&self) -> Tongue {
        self.cast.tongue
    }

    /// When the `index`th of `total` records made in this fill was created: oldest first, over
    /// the account's history (and `lead_time` before it for companies and contacts).
    fn created(
        &self,
        rng: &mut impl Rng,
        index: usize,
        total: usize,
        lead_time: i64,
    ) -> DateTime<Utc> {
        let history = (HISTORY_DAYS + lead_time) * 86_400;
        let age = 1.0 - (index as f64 + 0.5) / total.max(1) as f64;
        let seconds = (age * history as f64) as i64 + rng.gen_range(0..3_600);
        self.now - Duration::seconds(seconds.max(60))
    }

    fn seller(&self, rng: &mut impl Rng) -> &Seller {
        &self.cast.sellers[self.cast.weights.sample(rng)]
    }

    fn companies(
        &self,
        rng: &mut impl Rng,
        made: &mut Made,
        ids: &[Id],
        first: usize,
        total: usize,
    ) -> Batch {
        let mut rows = Rows::new("companies", COMPANY_COLUMNS);
        let fields = &self.cast.fields;
        for (k, &id) in ids.iter().enumerate() {
            let names = names::company(rng, self.tongue());
            let responsible = self.seller(rng).id;
            let created = self.created(rng, first + k, total, 60);
            let mut custom = BTreeMap::new();
            if let Some((field, options)) = &fields.company_industry {
                if rng.gen_bool(0.8) {
                    custom.insert(*field, json!(names::pick(rng, options)));
                }
            }
            if let Some(field) = fields.company_site {
                if rng.gen_bool(0.5) {
                    custom.insert(field, json!(format!("https://{}", names.host)));
                }
            }
            rows.push([
                Value::from(id),
                Value::from(self.account_id),
                Value::from(names.name.clone()),
                Value::from(crate::db::fold(&names.name)),
                Value::from(responsible),
                Value::from(json!(custom).to_string()),
                Value::from(Some(responsible)),
                Value::from(Some(responsible)),
                Value::from(created),
                Value::from(created),
            ]);
            made.companies.push(CompanyRef {
                id,
                responsible,
                name: names.name,
            });
        }
        Batch {
            what: "companies",
            records: ids.len() as u64,
            tables: vec![rows],
        }
    }

    fn contacts(
        &self,
        rng: &mut impl Rng,
        made: &mut Made,
        ids: &[Id],
        first: usize,
        total: usize,
    ) -> Batch {
        let mut rows = Rows::new("contacts", CONTACT_COLUMNS);
        for (k, &id) in ids.iter().enumerate() {
            let person = names::person(rng, self.tongue());
            let company = (!made.companies.is_empty() && rng.gen_bool(0.75))
                .then(|| rng.gen_range(0..made.companies.len()));
            let responsible = match company {
                Some(c) if rng.gen_bool(0.7) => made.companies[c].responsible,
                _ => self.seller(rng).id,
            };
            let phone = names::phone(rng, self.tongue());
            let mut phones = vec![phone.clone()];
            if rng.gen_bool(0.1) {
                phones.push(names::phone(rng, self.tongue()));
            }
            let emails: Vec<String> = if rng.gen_bool(0.7) {
                let host = ["example.com", "example.org", "example.net"][rng.gen_range(0..3)];
                vec![format!(
                    "{}.{}{}@{host}",
                    person.first_latin,
                    person.last_latin,
                    first + k
                )]
            } else {
                Vec::new()
            };
            let mut custom = BTreeMap::new();
            if let Some(field) = self.cast.fields.contact_position {
                if rng.gen_bool(0.6) {
                    custom.insert(
                        field,
                        json!(names::text(rng, self.tongue(), names::POSITIONS)),
                    );
                }
            }
            let created = self.created(rng, first + k, total, 30);
            rows.push([
                Value::from(id),
                Value::from(self.account_id),
                Value::from(person.name.clone()),
                Value::from(crate::db::fold(&person.name)),
                Value::from(json!(phones).to_string()),
                Value::from(json!(emails).to_string()),
                Value::from(company.map(|c| made.companies[c].id)),
                Value::from(responsible),
                Value::from(json!(custom).to_string()),
                Value::from(Some(responsible)),
                Value::from(Some(responsible)),
                Value::from(created),
                Value::from(created),
            ]);
            made.contacts.push(ContactRef {
                id,
                company,
                name: person.name,
                phone,
            });
        }
        Batch {
            what: "contacts",
            records: ids.len() as u64,
            tables: vec![rows],
        }
    }

    /// One batch of leads, with everything about them: written in one transaction.
    fn leads(
        &self,
        rng: &mut impl Rng,
        made: &Made,
        ids: &[Id],
        first: usize,
        total: usize,
    ) -> Batch {
        let mut batch = LeadBatch {
            leads: Rows::new("leads", LEAD_COLUMNS),
            contacts: Rows::new("lead_contacts", LEAD_CONTACT_COLUMNS),
            participants: Rows::new("lead_participants", PARTICIPANT_COLUMNS),
            events: Rows::new("lead_events", EVENT_COLUMNS),
            tasks: Rows::new("tasks", TASK_COLUMNS),
        };
        for (k, &id) in ids.iter().enumerate() {
            // The fill's first lead shows every kind of timeline event.
            let every_kind = first + k == 0;
            self.lead(rng, made, id, first + k, total, every_kind, &mut batch);
        }
        Batch {
            what: "leads",
            records: ids.len() as u64,
            // Leads first: the others refer to them.
            tables: vec![
                batch.leads,
                batch.contacts,
                batch.participants,
                batch.events,
                batch.tasks,
            ],
        }
    }

    #[allow(clippy::too_many_arguments, clippy::too_many_lines)]
    fn lead(
        &self,
        rng: &mut impl Rng,
        made: &Made,
        id: Id,
        index: usize,
        total: usize,
        every_kind: bool,
        batch: &mut LeadBatch,
    ) {
        let tongue = self.tongue();
        let cast = self.cast;
        let created = self.created(rng, index, total, 0);
        let age = 1.0 - (index as f64 + 0.5) / total.max(1) as f64;
        let plan = &cast.pipelines[cast.pipeline_weights.sample(rng)];
        let closed =
            every_kind || rng.gen_bool((0.1 + 0.75 * age).clamp(0.0, 1.0)) || plan.open.is_empty();
        let (stage, outcome) = if closed && !(plan.won.is_empty() && plan.lost.is_empty()) {
            if !plan.won.is_empty() && (every_kind || plan.lost.is_empty() || rng.gen_bool(0.4)) {
                (*names::pick(rng, &plan.won), Some(true))
            } else {
                (*names::pick(rng, &plan.lost), Some(false))
            }
        } else {
            // Earlier stages hold more leads: weights n, n-1, …, 1.
            let weights: Vec<usize> = (1..=plan.open.len()).rev().collect();
            let k = WeightedIndex::new(weights).map_or(0, |w| w.sample(rng));
            (plan.open[k], None)
        };
        let pipeline_id = stage_pipeline(cast, stage);
        let seller = self.seller(rng);
        let (responsible, responsible_name) = (seller.id, Some(seller.name.clone()));
        let life = (self.now - created).num_seconds().max(120);
        let last_change = if outcome.is_some() {
            created + Duration::seconds(rng.gen_range(life / 10..life))
        } else {
            created + Duration::seconds(rng.gen_range(life / 2..life))
        };

        let mut contacts = Vec::new();
        if !made.contacts.is_empty() && rng.gen_bool(0.9) {
            contacts.push(rng.gen_range(0..made.contacts.len()));
            if rng.gen_bool(0.15) {
                let other = rng.gen_range(0..made.contacts.len());
                if other != contacts[0] {
                    contacts.push(other);
                }
            }
        }
        let company = contacts
            .first()
            .and_then(|&c| made.contacts[c].company)
            .or_else(|| {
                (!made.companies.is_empty() && rng.gen_bool(0.2))
                    .then(|| rng.gen_range(0..made.companies.len()))
            });
        let name = if rng.gen_bool(0.05) {
            names::unnamed_lead(tongue, id)
        } else {
            let product = names::product(rng, tongue);
            match (company, contacts.first()) {
                (Some(c), _) => format!("{product} — {}", made.companies[c].name),
                (None, Some(&c)) => format!("{product} — {}", made.contacts[c].name),
                (None, None) => product.to_owned(),
            }
        };
        let price: i64 = if rng.gen_bool(0.05) {
            0
        } else {
            let (low, high, round) = match tongue {
                Tongue::Russian => (4.0, 6.7, 100.0),
                Tongue::English => (2.7, 5.3, 10.0),
            };
            let price = 10_f64.powf(rng.gen_range(low..high));
            ((price / round).round() * round) as i64
        };
        let mut custom = BTreeMap::new();
        if let Some((field, options)) = &cast.fields.lead_source {
            if rng.gen_bool(0.7) {
                custom.insert(*field, json!(names::pick(rng, options)));
            }
        }
        if let Some(field) = cast.fields.lead_budget {
            if rng.gen_bool(0.3) {
                custom.insert(field, json!(true));
            }
        }
        batch.leads.push([
            Value::from(id),
            Value::from(self.account_id),
            Value::from(name.clone()),
            Value::from(crate::db::fold(&name)),
            Value::from(price),
            Value::from(pipeline_id),
            Value::from(stage),
            Value::from(responsible),
            Value::from(company.map(|c| made.companies[c].id)),
            Value::from(json!(custom).to_string()),
            Value::from(Some(responsible)),
            Value::from(Some(responsible)),
            Value::from(created),
            Value::from(last_change),
        ]);
        for &c in &contacts {
            batch
                .contacts
                .push([Value::from(id), Value::from(made.contacts[c].id)]);
        }
        if !cast.free.is_empty() && (every_kind || rng.gen_bool(0.03)) {
            batch
                .participants
                .push([Value::from(id), Value::from(*names::pick(rng, &cast.free))]);
        }

        // The timeline, in the order things happened.
        let phone = contacts.first().map_or_else(
            || names::phone(rng, tongue),
            |&c| made.contacts[c].phone.clone(),
        );
        let mut events: Vec<(DateTime<Utc>, EventKind, serde_json::Value, Option<Id>)> = Vec::new();
        let at = |rng: &mut dyn rand::RngCore| {
            created
                + Duration::seconds(
                    rng.gen_range(60..=(last_change - created).num_seconds().max(61)),
                )
        };
        let communications: Vec<EventKind> = if every_kind {
            vec![
                EventKind::IncomingCall,
                EventKind::OutgoingCall,
                EventKind::IncomingChatMessage,
                EventKind::OutgoingChatMessage,
                EventKind::IncomingSms,
                EventKind::OutgoingSms,
                EventKind::Email,
            ]
        } else {
            let count = COMMUNICATIONS.sample(rng);
            (0..count)
                .map(|_| COMMUNICATION_KINDS[KIND_WEIGHTS.sample(rng)])
                .collect()
        };
        for kind in communications {
            let outgoing = matches!(
                kind,
                EventKind::OutgoingCall | EventKind::OutgoingChatMessage | EventKind::OutgoingSms
            ) || (kind == EventKind::Email && rng.gen_bool(0.6));
            let payload = match kind {
                EventKind::IncomingCall | EventKind::OutgoingCall => {
                    let answered = outgoing || rng.gen_bool(0.8);
                    json!({
                        "phone": phone,
                        "duration": if answered { rng.gen_range(15..900) } else { 0 },
                    })
                }
                EventKind::IncomingChatMessage | EventKind::OutgoingChatMessage => json!({
                    "channel": names::text(rng, tongue, names::CHAT_CHANNELS),
                    "text": names::text(rng, tongue, if outgoing { names::OUTGOING_TEXTS } else { names::INCOMING_TEXTS }),
                }),
                EventKind::IncomingSms | EventKind::OutgoingSms => json!({
                    "phone": phone,
                    "text": names::text(rng, tongue, if outgoing { names::OUTGOING_TEXTS } else { names::INCOMING_TEXTS }),
                }),
                _ => json!({
                    "direction": if outgoing { "outgoing" } else { "incoming" },
                    "subject": names::text(rng, tongue, names::EMAIL_SUBJECTS),
                }),
            };
            events.push((at(rng), kind, payload, outgoing.then_some(responsible)));
        }
        let first_stage = plan.open.first().copied();
        if let Some(from) = first_stage.filter(|&s| s != stage) {
            // Won and lost are reached at the last change; open stages somewhere before it.
            let when = if outcome.is_some() {
                last_change
            } else {
                at(rng)
            };
            events.push((
                when,
                EventKind::StageChanged,
                json!({ "from": from, "to": stage }),
                Some(responsible),
            ));
        }
        if every_kind || rng.gen_bool(0.04) {
            let from = if !cast.former.is_empty() && (every_kind || rng.gen_bool(0.7)) {
                Some(*names::pick(rng, &cast.former))
            } else {
                // Another seller; with few of them a second draw makes that likelier.
                let other = self.seller(rng).id;
                let other = if other == responsible {
                    self.seller(rng).id
                } else {
                    other
                };
                (other != responsible).then_some(other)
            };
            if let Some(from) = from {
                events.push((
                    at(rng),
                    EventKind::ResponsibleChanged,
                    json!({ "from": from, "to": responsible }),
                    cast.admin.as_ref().map(|(id, _)| *id),
                ));
            }
        }
        events.sort_by_key(|e| e.0);
        for (when, kind, payload, author) in events {
            let author_name = match author {
                Some(a) if Some(a) == cast.admin.as_ref().map(|(id, _)| *id) => {
                    cast.admin.as_ref().map(|(_, name)| name.clone())
                }
                Some(_) => responsible_name.clone(),
                None => None,
            };
            batch.events.push([
                Value::from(self.account_id),
                Value::from(id),
                Value::from(kind.code().to_owned()),
                Value::from(payload.to_string()),
                Value::from(author),
                Value::from(author_name),
                Value::from(when),
            ]);
        }

        // Tasks: most open leads have one due around now; many leads had one done before.
        if outcome.is_none() && (every_kind || rng.gen_bool(0.65)) {
            let due = self.now + Duration::minutes(rng.gen_range(-3 * 24 * 60..14 * 24 * 60));
            let text = names::text(rng, tongue, names::OPEN_TASKS);
            self.task(
                batch,
                text,
                due,
                Some(("leads", id)),
                responsible,
                None,
                last_change,
            );
        }
        if every_kind || rng.gen_bool(0.4) {
            let due = at(rng);
            let done = (due + Duration::minutes(rng.gen_range(-120..24 * 60))).min(self.now);
            let text = names::text(rng, tongue, names::OPEN_TASKS);
            self.task(
                batch,
                text,
                due,
                Some(("leads", id)),
                responsible,
                Some(done),
                created,
            );
        }
        if let Some(&c) = contacts.first() {
            if rng.gen_bool(0.03) {
                let due = self.now + Duration::days(rng.gen_range(-10..30));
                let done = (due < self.now && rng.gen_bool(0.5)).then_some(due);
                let text = names::text(rng, tongue, names::CONTACT_TASKS);
                let contact = made.contacts[c].id;
                self.task(
                    batch,
                    text,
                    due,
                    Some(("contacts", contact)),
                    responsible,
                    done,
                    created,
                );
            }
        }
        if let Some(c) = company {
            if rng.gen_bool(0.02) {
                let due = self.now + Duration::days(rng.gen_range(-10..30));
                let done = (due < self.now && rng.gen_bool(0.5)).then_some(due);
                let text = names::text(rng, tongue, names::COMPANY_TASKS);
                let company = made.companies[c].id;
                self.task(
                    batch,
                    text,
                    due,
                    Some(("companies", company)),
                    responsible,
                    done,
                    created,
                );
            }
        }
        if index.is_multiple_of(500) {
            let due = self.now + Duration::days(rng.gen_range(1..7));
            self.task(
                batch,
                tongue.pick(names::OWN_TASK),
                due,
                None,
                responsible,
                None,
                self.now,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn task(
        &self,
        batch: &mut LeadBatch,
        text: &str,
        due: DateTime<Utc>,
        about: Option<(&str, Id)>,
        responsible: Id,
        completed: Option<DateTime<Utc>>,
        created: DateTime<Utc>,
    ) {
        let created = created.min(due).min(self.now);
        batch.tasks.push([
            Value::from(self.account_id),
            Value::from(text.to_owned()),
            Value::from(Some(due)),
            Value::from(about.map(|(entity, _)| entity.to_owned())),
            Value::from(about.map(|(_, id)| id)),
            Value::from(responsible),
            Value::from(completed),
            Value::from("{}".to_owned()),
            Value::from(Some(responsible)),
            Value::from(Some(responsible)),
            Value::from(created),
            Value::from(completed.unwrap_or(created).max(created)),
        ]);
    }
}

struct LeadBatch {
    leads: Rows,
    contacts: Rows,
    participants: Rows,
    events: Rows,
    tasks: Rows,
}

/// The pipeline a stage belongs to, by the cast's plans.
fn stage_pipeline(cast: &Cast, stage: Id) -> Id {
    cast.pipelines
        .iter()
        .find(|p| p.open.contains(&stage) || p.won.contains(&stage) || p.lost.contains(&stage))
        .map_or(0, |p| p.id)
}

const COMMUNICATION_KINDS: [EventKind; 7] = [
    EventKind::IncomingCall,
    EventKind::OutgoingCall,
    EventKind::IncomingChatMessage,
    EventKind::OutgoingChatMessage,
    EventKind::IncomingSms,
    EventKind::OutgoingSms,
    EventKind::Email,
];

/// How many communications a lead's timeline has: 0 to 4, mostly few.
static COMMUNICATIONS: std::sync::LazyLock<Weighted> =
    std::sync::LazyLock::new(|| Weighted::new(&[35, 30, 18, 10, 7]));
/// Calls and e-mails are the commonest, SMS the rarest.
static KIND_WEIGHTS: std::sync::LazyLock<Weighted> =
    std::sync::LazyLock::new(|| Weighted::new(&[18, 25, 12, 12, 5, 8, 20]));

/// A choice of an index by fixed weights.
struct Weighted(Option<WeightedIndex<u32>>);

impl Weighted {
    fn new(weights: &[u32]) -> Self {
        Self(WeightedIndex::new(weights).ok())
    }

    fn sample(&self, rng: &mut impl Rng) -> usize {
        self.0.as_ref().map_or(0, |w| w.sample(rng))
    }
}
