//! Sign-in, refresh with rotation and reuse detection, sign-out, account switching.

use chrono::{Duration, Utc};
use gatehouse_domain::{
    accounts::AccountSummary,
    auth::{LoginRequest, SignedIn},
    people::{Email, Password},
    problem::ErrorCode,
    Id,
};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::{
    sessions::{self, RevokeReason},
    tokens::{random_token, token_hash},
    Member,
};
use crate::{
    entities::{accounts, identities, memberships, refresh_tokens, sessions as session_rows},
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    state::AppState,
};

/// Tokens just issued: the response body, and the refresh token for the cookie or the body.
pub struct Issued {
    pub signed_in: SignedIn,
    pub refresh_token: String,
}

/// Signs in with e-mail and password (A1).
///
/// An unknown e-mail costs one hash like a wrong password and gets the same answer (A7). Only
/// once the password is verified does the answer say more (deactivated, not a member).
///
/// # Errors
/// 422 for a malformed e-mail or an over-long password, 401 `invalid_credentials`,
/// 403 `member_deactivated` / `not_a_member`, 503 `server_busy`.
pub async fn login(
    state: &AppState,
    request: LoginRequest,
    client: &ClientInfo,
) -> ApiResult<Issued> {
    let email = Email::parse(&request.email).map_err(|e| ApiError::field("email", e))?;
    let password =
        Password::parse(&request.password).map_err(|e| ApiError::field("password", e))?;
    let identity = identities::Entity::find()
        .filter(identities::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?;
    let hash = identity.as_ref().and_then(|i| i.password_hash.as_deref());
    let verified = state.hasher.verify(password, hash).await?;
    let identity = match identity {
        Some(identity) if verified => identity,
        _ => return Err(ErrorCode::InvalidCredentials.into()),
    };
    let memberships = Memberships::load(&state.db, identity.id).await?;
    let membership = memberships.choose(request.account_id)?;
    start_session(state, &identity, &membership, &memberships, client).await
}

/// An identity's memberships with their accounts, loaded once per sign-in in one query: the
/// membership to sign in to is chosen from them and the account list of the answer built
/// from them.
struct Memberships(Vec<(memberships::Model, accounts::Model)>);

impl Memberships {
    async fn load(db: &impl ConnectionTrait, identity_id: Id) -> ApiResult<Self> {
        let rows = memberships::Entity::find()
            .find_also_related(accounts::Entity)
            .filter(memberships::Column::IdentityId.eq(identity_id))
            .order_by_asc(memberships::Column::Id)
            .all(db)
            .await?;
        Ok(Self(
            rows.into_iter()
                .filter_map(|(m, a)| a.map(|a| (m, a)))
                .collect(),
        ))
    }

    /// The membership to sign in to: the one asked for, else the most recently used active
    /// one, else (all deactivated) the first, so that the answer says "deactivated".
    fn choose(&self, account_id: Option<Id>) -> ApiResult<memberships::Model> {
        let mut all = self.0.iter().map(|(m, _)| m);
        let chosen = match account_id {
            Some(account_id) => all.find(|m| m.account_id == account_id),
            None => all
                .clone()
                .filter(|m| m.is_active)
                .max_by_key(|m| (m.last_login_at, -m.id))
                .or_else(|| all.next()),
        };
        match chosen {
            None => Err(ErrorCode::NotAMember.into()),
            Some(m) if !m.is_active => Err(ErrorCode::MemberDeactivated.into()),
            Some(m) => Ok(m.clone()),
        }
    }

    /// The accounts where the membership is active, by name.
    fn active_accounts(&self) -> Vec<AccountSummary> {
        let mut accounts: Vec<AccountSummary> = self
            .0
            .iter()
            .filter(|(m, _)| m.is_active)
            .map(|(_, a)| AccountSummary {
                id: a.id,
                name: a.name.clone(),
            })
            .collect();
        accounts.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        accounts
    }
}

async fn start_session(
    state: &AppState,
    identity: &identities::Model,
    membership: &memberships::Model,
    memberships: &Memberships,
    client: &ClientInfo,
) -> ApiResult<Issued> {
    let now = Utc::now();
    let (refresh_token, refresh_hash) = random_token();
    let txn = state.db.begin().await?;
    let session = session_rows::ActiveModel {
        account_id: Set(membership.account_id),
        identity_id: Set(identity.id),
        membership_id: Set(membership.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::days(sessions::ABSOLUTE_LIFETIME_DAYS)),
        user_agent: Set(client.user_agent.clone()),
        ip: Set(client.ip.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_refresh_token(&txn, session.id, refresh_hash).await?;
    memberships::Entity::update_many()
        .col_expr(memberships::Column::LastLoginAt, Expr::value(now))
        .filter(memberships::Column::Id.eq(membership.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    issue(
        state,
        &session,
        refresh_token,
        memberships.active_accounts(),
    )
}

async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    session_id: Id,
    token_hash: String,
) -> ApiResult<()> {
    refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
        session_id: Set(session_id),
        token_hash: Set(token_hash),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn issue(
    state: &AppState,
    session: &session_rows::Model,
    refresh_token: String,
    accounts: Vec<AccountSummary>,
) -> ApiResult<Issued> {
    let access_token = state
        .keys
        .issue(session.identity_id, session.account_id, session.id)?;
    let account = accounts
        .iter()
        .find(|a| a.id == session.account_id)
        .cloned()
        .ok_or_else(|| {
            ApiError::internal("session's account is not among the identity's accounts")
        })?;
    Ok(Issued {
        signed_in: SignedIn {
            access_token,
            token_type: "Bearer".to_owned(),
            expires_in: state.keys.ttl_seconds(),
            refresh_token: None,
            account,
            accounts,
        },
        refresh_token,
    })
}

/// Every account where the identity is an active member, by name.
///
/// # Errors
/// Database errors only.
pub async fn active_accounts(
    db: &impl ConnectionTrait,
    identity_id: Id,
) -> ApiResult<Vec<AccountSummary>> {
    Ok(Memberships::load(db, identity_id).await?.active_accounts())
}

/// Exchanges a refresh token for new tokens (A2). Each token works once: the exchange marks it
/// used with a conditional update, so of two concurrent uses exactly one wins, and any later
/// use of a used token — a leaked copy — ends the whole session.
///
/// # Errors
/// 401 `invalid_refresh_token`, `refresh_token_reused` or `session_ended`.
pub async fn refresh(state: &AppState, token: &str, client: &ClientInfo) -> ApiResult<Issued> {
    let now = Utc::now();
    let hash = token_hash(token);
    let txn = state.db.begin().await?;
    // The claim is the transaction's first statement: on SQLite a transaction that reads first
    // and writes later cannot upgrade its lock while another writer is active and fails at once,
    // whereas one that writes first waits for the lock like any writer.
    let claimed = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now))
        .filter(refresh_tokens::Column::TokenHash.eq(hash.as_str()))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    let row = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash.as_str()))
        .one(&txn)
        .await?
        .ok_or(ApiError::Code(ErrorCode::InvalidRefreshToken))?;
    let session = session_rows::Entity::find_by_id(row.session_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::Code(ErrorCode::InvalidRefreshToken))?;
    // Returning early rolls the claim back.
    if !sessions::is_live(&session) {
        return Err(ErrorCode::SessionEnded.into());
    }
    if claimed.rows_affected == 0 {
        sessions::revoke(&txn, &[session.id], RevokeReason::RefreshTokenReused).await?;
        txn.commit().await?;
        state.sessions.forget(&[session.id]);
        tracing::warn!(
            session_id = session.id,
            "refresh token reused; session ended"
        );
        return Err(ErrorCode::RefreshTokenReused.into());
    }
    let membership_active = memberships::Entity::find_by_id(session.membership_id)
        .one(&txn)
        .await?
        .is_some_and(|m| m.is_active);
    if !membership_active {
        return Err(ErrorCode::SessionEnded.into());
    }
    let (refresh_token, refresh_hash) = random_token();
    insert_refresh_token(&txn, session.id, refresh_hash).await?;
    let mut touched: session_rows::ActiveModel = session.into();
    touched.last_seen_at = Set(now);
    touched.ip = Set(client.ip.clone());
    touched.user_agent = Set(client.user_agent.clone());
    let session = touched.update(&txn).await?;
    txn.commit().await?;
    let accounts = active_accounts(&state.db, session.identity_id).await?;
    issue(state, &session, refresh_token, accounts)
}

/// Ends the caller's session: its access and refresh tokens stop working at once.
///
/// # Errors
/// Database errors only.
pub async fn logout(state: &AppState, member: &Member) -> ApiResult<()> {
    sessions::revoke(&state.db, &[member.session_id], RevokeReason::Logout).await?;
    state.sessions.forget(&[member.session_id]);
    Ok(())
}

/// Moves the caller to another account of theirs (A6): a new session there, the old one ended.
///
/// # Errors
/// 403 `not_a_member` or `member_deactivated` for that account.
pub async fn switch_account(
    state: &AppState,
    member: &Member,
    account_id: Id,
    client: &ClientInfo,
) -> ApiResult<Issued> {
    let identity = identities::Entity::find_by_id(member.identity_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::SessionEnded))?;
    let memberships = Memberships::load(&state.db, identity.id).await?;
    let membership = memberships.choose(Some(account_id))?;
    let issued = start_session(state, &identity, &membership, &memberships, client).await?;
    sessions::revoke(
        &state.db,
        &[member.session_id],
        RevokeReason::SwitchedAccount,
    )
    .await?;
    state.sessions.forget(&[member.session_id]);
    Ok(issued)
}
