//! The outbox as administrators read it.

use gatehouse_domain::{
    mail::{MailStatus, OutboxMessage},
    page::{Page, PageRequest},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::{auth::Member, entities::outbox_messages, error::ApiResult};

/// The account's messages, newest first.
///
/// # Errors
/// 403 for non-administrators; database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    admin: &Member,
    page: PageRequest,
) -> ApiResult<Page<OutboxMessage>> {
    admin.require_admin()?;
    let select = outbox_messages::Entity::find()
        .filter(outbox_messages::Column::AccountId.eq(admin.account_id))
        .order_by_desc(outbox_messages::Column::Id);
    let total = select.clone().count(db).await?;
    let rows = select
        .offset(page.offset())
        .limit(page.per_page)
        .all(db)
        .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(|r| OutboxMessage {
                id: r.id,
                created_at: r.created_at,
                to: r.to_address,
                subject: r.subject,
                body: r.body,
                status: MailStatus::parse(&r.status).unwrap_or(MailStatus::Outbox),
                error: r.error,
            })
            .collect(),
        total,
        page: page.page,
        per_page: page.per_page,
    })
}
