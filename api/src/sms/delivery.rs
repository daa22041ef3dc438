//! The SMS delivery worker: carries queued messages to their HTTP gateways, with a timeout per
//! try and a growing pause between tries, and drops each text (it holds a code) once the
//! gateway has it or every try is spent.
//!
//! Several Gatehouse instances may run it on one database: a message is taken by one
//! conditional UPDATE that pushes its `next_attempt_at` past the try's end (a lease), so only
//! the instance whose UPDATE changed the row sends it, and a crash mid-try leaves it to be
//! taken again once the lease runs out.

use std::{collections::HashMap, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use gatehouse_domain::{
    sms::{SmsStatus, WebhookFormat},
    Id,
};
use sea_orm::{
    sea_query::Expr, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::Semaphore;

use super::{service::Webhook, Courier};
use crate::entities::{sms_messages, sms_providers};

/// How often the worker looks for due messages when nobody wakes it (retries come due so).
const ROUND: Duration = Duration::from_secs(1);
/// Messages in flight at once, so one slow gateway does not hold up the others.
const IN_FLIGHT: usize = 16;
/// Due messages looked at per round.
const BATCH: u64 = 32;
/// Added to the try's timeout for the lease, for the bookkeeping after it.
const LEASE_MARGIN_MS: i64 = 30_000;
/// The longest pause between two tries.
const MAX_PAUSE_SECONDS: i64 = 60;
/// How much of a gateway's refusal is kept in `error`.
const ANSWER_CHARS: usize = 200;

/// Starts the worker; `courier` (the one in `AppState`) wakes it when a message is queued.
pub fn start(db: DatabaseConnection, courier: Courier) {
    tokio::spawn(async move {
        let client = match reqwest::Client::builder()
            // A gateway's redirect is its answer, not a place to post the code to.
            .redirect(reqwest::redirect::Policy::none())
            .build()
        {
            Ok(client) => client,
            Err(err) => {
                tracing::error!(%err, "the SMS delivery worker cannot start");
                return;
            }
        };
        let slots = Arc::new(Semaphore::new(IN_FLIGHT));
        loop {
            tokio::select! {
                () = courier.woken() => {}
                () = tokio::time::sleep(ROUND) => {}
            }
            if let Err(err) = round(&db, &client, &slots).await {
                tracing::warn!(%err, "SMS delivery round failed");
            }
        }
    });
}

/// Takes every due message it can and sends each in a task of its own.
async fn round(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    slots: &Arc<Semaphore>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let due = sms_messages::Entity::find()
        .filter(sms_messages::Column::Status.eq(SmsStatus::Queued.as_str()))
        .filter(sms_messages::Column::NextAttemptAt.lte(now))
        .order_by_asc(sms_messages::Column::NextAttemptAt)
        .limit(BATCH)
        .all(db)
        .await?;
    let mut providers: HashMap<Id, Option<sms_providers::Model>> = HashMap::new();
    for message in due {
        let Ok(slot) = Arc::clone(slots).try_acquire_owned() else {
            // Every slot is busy: the rest wait for the next round.
            break;
        };
        let provider = match message.provider_id {
            Some(id) => match providers.get(&id) {
                Some(found) => found.clone(),
                None => {
                    let found = sms_providers::Entity::find_by_id(id).one(db).await?;
                    providers.insert(id, found.clone());
                    found
                }
            },
            None => None,
        };
        let webhook = provider.as_ref().and_then(Webhook::of);
        let timeout_ms = webhook.as_ref().map_or(0, |w| i64::from(w.timeout_ms));
        if !claim(db, message.id, now, timeout_ms).await? {
            continue;
        }
        let db = db.clone();
        let client = client.clone();
        tokio::spawn(async move {
            let outcome = match (&provider, webhook) {
                (Some(provider), Some(webhook)) => match &message.body {
                    Some(body) => try_once(&client, provider, &webhook, &message.to_phone, body)
                        .await
                        .map_err(|error| (error, webhook.retries)),
                    None => Err(("the message has no text".to_owned(), 0)),
                },
                (Some(_), None) => Err(("the provider's settings are unreadable".to_owned(), 0)),
                (None, _) => Err(("the provider was deleted".to_owned(), 0)),
            };
            if let Err(err) = record(&db, &message, outcome).await {
                tracing::warn!(%err, message_id = message.id, "SMS delivery bookkeeping failed");
            }
            drop(slot);
        });
    }
    Ok(())
}

/// Takes the message for one try, unless another worker took it first.
async fn claim(
    db: &DatabaseConnection,
    id: Id,
    now: DateTime<Utc>,
    timeout_ms: i64,
) -> Result<bool, DbErr> {
    let lease = now + chrono::Duration::milliseconds(timeout_ms + LEASE_MARGIN_MS);
    let taken = sms_messages::Entity::update_many()
        .col_expr(sms_messages::Column::NextAttemptAt, Expr::value(lease))
        .filter(sms_messages::Column::Id.eq(id))
        .filter(sms_messages::Column::Status.eq(SmsStatus::Queued.as_str()))
        .filter(sms_messages::Column::NextAttemptAt.lte(now))
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// One try: the gateway's 2xx is success; anything else is the error to keep.
async fn try_once(
    client: &reqwest::Client,
    provider: &sms_providers::Model,
    webhook: &Webhook,
    to: &str,
    text: &str,
) -> Result<(), String> {
    let mut fields = vec![
        (webhook.phone_field.as_str(), to),
        (webhook.text_field.as_str(), text),
    ];
    if let Some(sender) = webhook.sender.as_deref() {
        fields.push(("sender", sender));
    }
    let mut request = client
        .post(&webhook.url)
        .timeout(Duration::from_millis(u64::from(webhook.timeout_ms)));
    request = match webhook.format {
        WebhookFormat::Json => request.json(
            &fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v)))
                .collect::<serde_json::Map<_, _>>(),
        ),
        WebhookFormat::Form => request.form(&fields),
    };
    if let Some(header) = provider.authorization.as_deref() {
        request = request.header(reqwest::header::AUTHORIZATION, header);
    }
    let failed = |err: reqwest::Error| describe(&err, webhook.timeout_ms);
    let mut response = request.send().await.map_err(failed)?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    // The start of the answer says why; the rest is not read (within the same timeout).
    let mut answer = Vec::new();
    while answer.len() < ANSWER_CHARS * 4 {
        match response.chunk().await {
            Ok(Some(chunk)) => answer.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    let answer: String = String::from_utf8_lossy(&answer)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(ANSWER_CHARS)
        .collect();
    let answer = answer.trim();
    Err(if answer.is_empty() {
        format!("HTTP {}", status.as_u16())
    } else {
        format!("HTTP {}: {answer}", status.as_u16())
    })
}

/// What went wrong, in the words of its deepest cause — without the URL, which may carry the
/// gateway's key.
fn describe(err: &reqwest::Error, timeout_ms: u32) -> String {
    if err.is_timeout() {
        return format!("no answer within {timeout_ms} ms");
    }
    let mut cause: &dyn std::error::Error = err;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let cause = cause.to_string();
    if err.is_connect() {
        format!("cannot connect to the gateway: {cause}")
    } else {
        format!("the request failed: {cause}")
    }
}

/// Records a try: sent, another try after a pause, or failed for good. The text goes once
/// nothing more will be sent.
async fn record(
    db: &DatabaseConnection,
    message: &sms_messages::Model,
    outcome: Result<(), (String, u8)>,
) -> Result<(), DbErr> {
    let attempts = message.attempts + 1;
    let now = Utc::now();
    let mut update = sms_messages::Entity::update_many()
        .col_expr(sms_messages::Column::Attempts, Expr::value(attempts))
        .filter(sms_messages::Column::Id.eq(message.id))
        .filter(sms_messages::Column::Status.eq(SmsStatus::Queued.as_str()));
    update = match outcome {
        Ok(()) => update
            .col_expr(
                sms_messages::Column::Status,
                Expr::value(SmsStatus::Sent.as_str()),
            )
            .col_expr(sms_messages::Column::SentAt, Expr::value(now))
            .col_expr(sms_messages::Column::Error, Expr::value(no_text()))
            .col_expr(sms_messages::Column::Body, Expr::value(no_text()))
            .col_expr(sms_messages::Column::NextAttemptAt, Expr::value(no_time())),
        Err((error, retries)) if attempts <= i32::from(retries) => {
            let pause = 1i64
                .checked_shl(u32::try_from(attempts - 1).unwrap_or(u32::MAX))
                .unwrap_or(MAX_PAUSE_SECONDS)
                .min(MAX_PAUSE_SECONDS);
            update
                .col_expr(sms_messages::Column::Error, Expr::value(error))
                .col_expr(
                    sms_messages::Column::NextAttemptAt,
                    Expr::value(now + chrono::Duration::seconds(pause)),
                )
        }
        Err((error, _)) => update
            .col_expr(
                sms_messages::Column::Status,
                Expr::value(SmsStatus::Failed.as_str()),
            )
            .col_expr(sms_messages::Column::Error, Expr::value(error))
            .col_expr(sms_messages::Column::Body, Expr::value(no_text()))
            .col_expr(sms_messages::Column::NextAttemptAt, Expr::value(no_time())),
    };
    update.exec(db).await?;
    Ok(())
}

fn no_text() -> sea_orm::Value {
    sea_orm::Value::String(None)
}

fn no_time() -> sea_orm::Value {
    sea_orm::Value::ChronoDateTimeUtc(None)
}
