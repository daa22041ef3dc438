//! Mail (P5): every message goes into the outbox table first; with an SMTP server configured a
//! background task delivers it (with retries) and then drops its text, which may hold a
//! single-use link; without one it stays in the outbox for administrators to read, so a fresh
//! install works without a mail server.

pub mod routes;
pub mod service;
pub mod templates;

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use gatehouse_domain::{mail::MailStatus, Id};
use lettre::{
    message::{header::ContentType, Mailbox},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, Set,
};

use crate::entities::outbox_messages;

/// How many times delivery is tried before a message is marked failed.
const ATTEMPTS: i32 = 3;

/// A message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The account whose administrators may read it in the outbox; `None` for mail about an
    /// identity that belongs to several accounts (no single account's administrators may read
    /// a reset link that opens the others).
    pub account_id: Option<Id>,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// A message from one of the [`templates`].
    #[must_use]
    pub fn new(account_id: Option<Id>, to: &str, text: templates::Text) -> Self {
        Self {
            account_id,
            to: to.to_owned(),
            subject: text.subject,
            body: text.body,
        }
    }
}

#[derive(Clone)]
pub struct Mailer {
    smtp: Option<Arc<Smtp>>,
}

struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// Mail into the outbox only.
    #[must_use]
    pub fn outbox() -> Self {
        Self { smtp: None }
    }

    /// Delivery through the SMTP server at `url` (`smtp://host:port` for plain or STARTTLS
    /// when offered, `smtps://` for TLS, with `user:password@` when the server wants them).
    ///
    /// # Errors
    /// When the URL or the sender address is invalid.
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("invalid SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("invalid sender address {from:?}: {e}"))?;
        Ok(Self {
            smtp: Some(Arc::new(Smtp { transport, from })),
        })
    }

    /// Puts the message in the outbox (in the caller's transaction, so it is sent only if the
    /// act it reports is committed) and returns its id for [`Mailer::deliver`].
    ///
    /// # Errors
    /// Database errors only.
    pub async fn queue(&self, db: &impl ConnectionTrait, mail: Mail) -> Result<Id, DbErr> {
        let status = if self.smtp.is_some() {
            MailStatus::Queued
        } else {
            MailStatus::Outbox
        };
        let row = outbox_messages::ActiveModel {
            account_id: Set(mail.account_id),
            created_at: Set(Utc::now()),
            to_address: Set(mail.to),
            subject: Set(mail.subject),
            body: Set(Some(mail.body)),
            status: Set(status.as_str().to_owned()),
            attempts: Set(0),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(row.id)
    }

    /// Queues and, once the caller's data is committed, delivers.
    ///
    /// # Errors
    /// Database errors only.
    pub async fn send(&self, db: &DatabaseConnection, mail: Mail) -> Result<(), DbErr> {
        let id = self.queue(db, mail).await?;
        self.deliver(db, &[id]);
        Ok(())
    }

    /// Hands queued messages to the SMTP server in the background; nothing to do without one.
    pub fn deliver(&self, db: &DatabaseConnection, ids: &[Id]) {
        let Some(smtp) = self.smtp.clone() else {
            return;
        };
        for &id in ids {
            let smtp = Arc::clone(&smtp);
            let db = db.clone();
            tokio::spawn(async move {
                if let Err(err) = deliver_one(&smtp, &db, id).await {
                    tracing::error!(%err, message_id = id, "mail delivery bookkeeping failed");
                }
            });
        }
    }
}

async fn deliver_one(smtp: &Smtp, db: &DatabaseConnection, id: Id) -> Result<(), DbErr> {
    let Some(row) = outbox_messages::Entity::find_by_id(id).one(db).await? else {
        return Ok(());
    };
    let message = match build(smtp, &row) {
        Ok(message) => message,
        Err(err) => return finish(db, id, Err(err), ATTEMPTS).await,
    };
    let mut last_error = String::new();
    for attempt in 1..=ATTEMPTS {
        match smtp.transport.send(message.clone()).await {
            Ok(_) => return finish(db, id, Ok(()), attempt).await,
            Err(err) => {
                last_error = err.to_string();
                tracing::warn!(message_id = id, attempt, error = %last_error, "SMTP delivery failed");
                if !err.is_transient() && !err.is_timeout() && attempt > 1 {
                    break;
                }
                tokio::time::sleep(Duration::from_secs(2u64.pow(attempt.unsigned_abs()))).await;
            }
        }
    }
    finish(db, id, Err(last_error), ATTEMPTS).await
}

fn build(smtp: &Smtp, row: &outbox_messages::Model) -> Result<Message, String> {
    let to = row
        .to_address
        .parse::<Mailbox>()
        .map_err(|e| format!("invalid recipient: {e}"))?;
    Message::builder()
        .from(smtp.from.clone())
        .to(to)
        .subject(row.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(row.body.clone().unwrap_or_default())
        .map_err(|e| format!("cannot build the message: {e}"))
}

async fn finish(
    db: &DatabaseConnection,
    id: Id,
    outcome: Result<(), String>,
    attempts: i32,
) -> Result<(), DbErr> {
    let update = outbox_messages::Entity::update_many()
        .col_expr(outbox_messages::Column::Attempts, Expr::value(attempts))
        .filter(outbox_messages::Column::Id.eq(id));
    let update = match outcome {
        // Delivered: the text, which may hold a single-use link, is not kept.
        Ok(()) => update
            .col_expr(
                outbox_messages::Column::Status,
                Expr::value(MailStatus::Sent.as_str()),
            )
            .col_expr(outbox_messages::Column::SentAt, Expr::value(Utc::now()))
            .col_expr(
                outbox_messages::Column::Body,
                Expr::value(Option::<String>::None),
            ),
        Err(error) => update
            .col_expr(
                outbox_messages::Column::Status,
                Expr::value(MailStatus::Failed.as_str()),
            )
            .col_expr(outbox_messages::Column::Error, Expr::value(error)),
    };
    update.exec(db).await?;
    Ok(())
}
