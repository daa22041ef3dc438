//! The live refresh token kept on its session (A2): sign-in writes a session and its first token
//! in one statement, and a refresh claims and rotates the token in one conditional UPDATE of the
//! session. `refresh_tokens` keeps the spent tokens, which reuse detection looks up: a spent
//! token presented again ends its session.

use sea_orm_migration::prelude::*;

use crate::columns::opt_text;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "sessions_refresh_token";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    // SHA-256 of the live refresh token, hex; the token itself is never stored.
                    .add_column(opt_text(Sessions::RefreshTokenHash))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Sessions::Table)
                    .col(Sessions::RefreshTokenHash)
                    .unique()
                    .take(),
            )
            .await?;
        // Each session's unspent token moves to it; what stays behind is spent.
        let live = Query::select()
            .column(RefreshTokens::TokenHash)
            .from(RefreshTokens::Table)
            .and_where(
                Expr::col((RefreshTokens::Table, RefreshTokens::SessionId))
                    .equals((Sessions::Table, Sessions::Id)),
            )
            .and_where(Expr::col(RefreshTokens::UsedAt).is_null())
            .order_by(RefreshTokens::Id, Order::Desc)
            .limit(1)
            .take();
        manager
            .exec_stmt(
                Query::update()
                    .table(Sessions::Table)
                    .value(
                        Sessions::RefreshTokenHash,
                        Expr::SubQuery(None, Box::new(live.into_sub_query_statement())),
                    )
                    .take(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::delete()
                    .from_table(RefreshTokens::Table)
                    .and_where(Expr::col(RefreshTokens::UsedAt).is_null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The live tokens move back, issued (as far as is known) when their session was last seen.
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(RefreshTokens::Table)
                    .columns([
                        RefreshTokens::SessionId,
                        RefreshTokens::TokenHash,
                        RefreshTokens::CreatedAt,
                    ])
                    .select_from(
                        Query::select()
                            .columns([
                                Sessions::Id,
                                Sessions::RefreshTokenHash,
                                Sessions::LastSeenAt,
                            ])
                            .from(Sessions::Table)
                            .and_where(Expr::col(Sessions::RefreshTokenHash).is_not_null())
                            .take(),
                    )
                    .map_err(|e| DbErr::Migration(e.to_string()))?
                    .take(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name(INDEX).table(Sessions::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::RefreshTokenHash)
                    .take(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    LastSeenAt,
    RefreshTokenHash,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    CreatedAt,
    UsedAt,
}
