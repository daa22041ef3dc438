//! Sign-in, refresh with rotation and reuse detection, sign-out, account switching.

use chrono::{DateTime, Duration, Utc};
use gatehouse_domain::{
    accounts::AccountSummary,
    auth::{LoginRequest, SecondFactorRequest, SecondFactorRequired, SignedIn},
    people::{Email, Language, Password},
    problem::ErrorCode,
    security::{AuthMethod, AuthOutcome},
    Id,
};
use sea_orm::{
    sea_query::{
        Alias, Expr, IntoCondition, JoinType, Order, Query, QueryStatementBuilder, SelectStatement,
        SimpleExpr,
    },
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic,
    Iterable, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::{
    sessions::{self, RevokeReason},
    tokens::{random_token, token_hash},
    two_factor, Member,
};
use crate::{
    entities::{
        accounts, identities, memberships, refresh_tokens, sessions as session_rows,
        sign_in_tickets,
    },
    error::{ApiError, ApiResult},
    http::client::ClientInfo,
    mail::{templates, Mail},
    security::{
        auth_log::{self, Attempt},
        throttle,
    },
    state::AppState,
};

/// Tokens just issued: the response body, and the refresh token for the cookie or the body.
pub struct Issued {
    pub signed_in: SignedIn,
    pub refresh_token: String,
}

/// What the password step leads to.
pub enum LoginOutcome {
    Tokens(Issued),
    SecondFactor(SecondFactorRequired),
}

/// How long the second step of a two-factor sign-in may take.
const TICKET_MINUTES: i64 = 5;

/// Signs in with e-mail and password (A1, A5, A7, S1, S3, T2).
///
/// In order, each refusal logged: a locked e-mail or IP is refused before anything else; the
/// account's IP allowlist is checked before any hashing; an unknown e-mail costs one hash like
/// a wrong password and gets the same answer, and both count toward the locks. Only once the
/// password is verified does the answer say more (deactivated, not a member), or ask for the
/// second factor.
///
/// # Errors
/// 422 for a malformed e-mail or an over-long password, 401 `invalid_credentials`,
/// 403 `member_deactivated` / `not_a_member` / `ip_not_allowed`, 429 `sign_in_locked`,
/// 503 `server_busy`.
pub async fn login(
    state: &AppState,
    request: LoginRequest,
    client: &ClientInfo,
) -> ApiResult<LoginOutcome> {
    let email = Email::parse(&request.email).map_err(|e| ApiError::field("email", e))?;
    let password =
        Password::parse(&request.password).map_err(|e| ApiError::field("password", e))?;
    let method = if client.is_web {
        AuthMethod::Web
    } else {
        AuthMethod::Api
    };
    let mut attempt = Attempt {
        email: email.as_str(),
        account_id: None,
        membership_id: None,
        identity_id: None,
        method,
        outcome: AuthOutcome::Locked,
        client,
    };
    let (lock, identity) = Memberships::signing_in(&state.db, email.as_str(), client.ip).await?;
    if let Some(until) = lock {
        auth_log::record(&state.db, attempt).await?;
        return Err(locked(until));
    }
    let (identity, memberships) =
        identity.map_or((None, Memberships::default()), |(i, m)| (Some(i), m));
    let chosen = memberships.choose(request.account_id);
    if let (Some(identity), Ok(membership)) = (&identity, &chosen) {
        attempt.identity_id = Some(identity.id);
        attempt.account_id = Some(membership.account_id);
        attempt.membership_id = Some(membership.id);
        let policy = state.policies.get(&state.db, membership.account_id).await?;
        if policy.is_some_and(|p| !p.admits(client.ip, membership.allowlist_exempt, false)) {
            attempt.outcome = AuthOutcome::IpNotAllowed;
            auth_log::record(&state.db, attempt).await?;
            return Err(ErrorCode::IpNotAllowed.into());
        }
    }
    let hash = identity.as_ref().and_then(|i| i.password_hash.as_deref());
    let verified = state.hasher.verify(password, hash).await?;
    let identity = match identity {
        Some(identity) if verified => identity,
        identity => {
            attempt.outcome = if identity.is_some() {
                AuthOutcome::WrongPassword
            } else {
                AuthOutcome::UnknownEmail
            };
            fail(state, attempt, identity.as_ref()).await?;
            return Err(ErrorCode::InvalidCredentials.into());
        }
    };
    let membership = match chosen {
        Ok(membership) => membership,
        Err(err) => {
            attempt.outcome = match err.code() {
                ErrorCode::MemberDeactivated => AuthOutcome::MemberDeactivated,
                _ => AuthOutcome::NotAMember,
            };
            auth_log::record(&state.db, attempt).await?;
            return Err(err);
        }
    };
    if identity.totp_secret.is_some() {
        let (ticket, ticket_hash) = random_token();
        let now = Utc::now();
        let txn = state.db.begin().await?;
        sign_in_tickets::Entity::insert(sign_in_tickets::ActiveModel {
            token_hash: Set(ticket_hash),
            identity_id: Set(identity.id),
            membership_id: Set(membership.id),
            method: Set(method.as_str().to_owned()),
            created_at: Set(now),
            expires_at: Set(now + Duration::minutes(TICKET_MINUTES)),
            ..Default::default()
        })
        .exec_without_returning(&txn)
        .await?;
        attempt.outcome = AuthOutcome::SecondFactorRequired;
        auth_log::record(&txn, attempt).await?;
        txn.commit().await?;
        return Ok(LoginOutcome::SecondFactor(SecondFactorRequired {
            second_factor_required: true,
            ticket,
            expires_in: u64::try_from(TICKET_MINUTES * 60).unwrap_or(300),
        }));
    }
    attempt.outcome = AuthOutcome::Success;
    let issued = start_session(
        state,
        &identity,
        &membership,
        &memberships,
        client,
        Some(attempt),
    )
    .await?;
    Ok(LoginOutcome::Tokens(issued))
}

/// The second step of a two-factor sign-in (T2): the ticket of the password step and a TOTP or
/// recovery code. Wrong codes count toward the same locks as wrong passwords (A5).
///
/// # Errors
/// 401 `invalid_ticket` or `invalid_second_factor`, 429 `sign_in_locked`, 403 when the
/// membership was deactivated in between.
pub async fn second_factor(
    state: &AppState,
    request: SecondFactorRequest,
    client: &ClientInfo,
) -> ApiResult<Issued> {
    let now = Utc::now();
    let ticket = sign_in_tickets::Entity::find()
        .filter(sign_in_tickets::Column::TokenHash.eq(token_hash(request.ticket.trim())))
        .one(&state.db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > now)
        .ok_or(ApiError::Code(ErrorCode::InvalidTicket))?;
    let identity = identities::Entity::find_by_id(ticket.identity_id)
        .one(&state.db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::InvalidTicket))?;
    let mut attempt = Attempt {
        email: &identity.email,
        account_id: None,
        membership_id: Some(ticket.membership_id),
        identity_id: Some(identity.id),
        method: AuthMethod::SecondFactor,
        outcome: AuthOutcome::Locked,
        client,
    };
    let memberships = Memberships::load(&state.db, identity.id).await?;
    let membership = memberships.by_id(ticket.membership_id)?;
    attempt.account_id = Some(membership.account_id);
    if let Some(until) = throttle::locked_until(&state.db, &identity.email, client.ip).await? {
        auth_log::record(&state.db, attempt).await?;
        return Err(locked(until));
    }
    if !two_factor::verify(&state.db, &identity, &request.code).await? {
        attempt.outcome = AuthOutcome::WrongSecondFactor;
        fail(state, attempt, Some(&identity)).await?;
        return Err(ErrorCode::InvalidSecondFactor.into());
    }
    let claimed = sign_in_tickets::Entity::update_many()
        .col_expr(sign_in_tickets::Column::UsedAt, Expr::value(now))
        .filter(sign_in_tickets::Column::Id.eq(ticket.id))
        .filter(sign_in_tickets::Column::UsedAt.is_null())
        .exec(&state.db)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(ErrorCode::InvalidTicket.into());
    }
    attempt.outcome = AuthOutcome::Success;
    start_session(
        state,
        &identity,
        &membership,
        &memberships,
        client,
        Some(attempt),
    )
    .await
}

/// Logs a failed attempt and counts it; the failure that locks the e-mail is logged as such
/// and the member is told by mail (A5).
async fn fail(
    state: &AppState,
    mut attempt: Attempt<'_>,
    identity: Option<&identities::Model>,
) -> ApiResult<()> {
    let locked_now = throttle::record_failure(&state.db, attempt.email, attempt.client.ip).await?;
    if locked_now {
        attempt.outcome = AuthOutcome::LockedNow;
    }
    let account_id = attempt.account_id;
    auth_log::record(&state.db, attempt).await?;
    if let (true, Some(identity)) = (locked_now, identity) {
        let text = templates::sign_in_locked(
            Language::from_code(&identity.language).unwrap_or_default(),
            &identity.name,
            throttle::EMAIL_WINDOW_MINUTES,
        );
        let account_id = match account_id {
            Some(id) if Memberships::load(&state.db, identity.id).await?.0.len() == 1 => Some(id),
            _ => None,
        };
        state
            .mailer
            .send(&state.db, Mail::new(account_id, &identity.email, text))
            .await?;
    }
    Ok(())
}

fn locked(until: chrono::DateTime<Utc>) -> ApiError {
    let seconds = (until - Utc::now()).num_seconds().max(1);
    ApiError::RetryAfter {
        code: ErrorCode::SignInLocked,
        seconds: u64::try_from(seconds).unwrap_or(1),
    }
}

/// An identity's memberships with their accounts, loaded once per sign-in in one query: the
/// membership to sign in to is chosen from them and the account list of the answer built
/// from them.
#[derive(Default)]
pub(crate) struct Memberships(Vec<(memberships::Model, accounts::Model)>);

impl Memberships {
    /// The identity that `which` picks (by e-mail, by id) with its memberships and their
    /// accounts, in one read: sign-in and `/me` need all three and run often.
    pub(crate) async fn with_identity(
        db: &impl ConnectionTrait,
        which: impl IntoCondition,
    ) -> ApiResult<Option<(identities::Model, Self)>> {
        Ok(Self::read(db, which, None).await?.1)
    }

    /// Sign-in's one read before the hash: when a lock on the e-mail or the IP ends (if one is
    /// on), and the identity with its memberships and their accounts.
    async fn signing_in(
        db: &impl ConnectionTrait,
        email: &str,
        ip: Option<std::net::IpAddr>,
    ) -> ApiResult<(Option<DateTime<Utc>>, Option<(identities::Model, Self)>)> {
        Self::read(
            db,
            identities::Column::Email.eq(email),
            Some(throttle::lock_end(email, ip)),
        )
        .await
    }

    /// The identity that `which` picks, its memberships and their accounts, and with `lock`
    /// (a one-row, one-column query) that value as a column of the same rows. The rows hang off
    /// a one-row probe by a left join, so a `which` that picks nobody still gives one row, with
    /// the lock and no identity: at sign-in, known and unknown e-mails cost the same read (A7).
    async fn read(
        db: &impl ConnectionTrait,
        which: impl IntoCondition,
        lock: Option<SelectStatement>,
    ) -> ApiResult<(Option<DateTime<Utc>>, Option<(identities::Model, Self)>)> {
        // Imported here only: implemented for every value, it would clash with `Ord::max`
        // elsewhere in this file.
        use sea_orm::ExprTrait;

        let mut query = Query::select();
        query
            .from_subquery(
                Query::select()
                    .expr_as(Expr::val(1), Alias::new("one"))
                    .take(),
                Alias::new("probe"),
            )
            .join(JoinType::LeftJoin, identities::Entity, which)
            .join(
                JoinType::LeftJoin,
                memberships::Entity,
                Expr::col((memberships::Entity, memberships::Column::IdentityId))
                    .equals((identities::Entity, identities::Column::Id)),
            )
            .join(
                JoinType::LeftJoin,
                accounts::Entity,
                Expr::col((accounts::Entity, accounts::Column::Id))
                    .equals((memberships::Entity, memberships::Column::AccountId)),
            )
            .order_by((memberships::Entity, memberships::Column::Id), Order::Asc);
        let with_lock = lock.is_some();
        if let Some(lock) = lock {
            query.expr_as(
                SimpleExpr::SubQuery(None, Box::new(lock.into_sub_query_statement())),
                Alias::new(LOCK),
            );
        }
        prefixed_columns::<identities::Entity>(&mut query, IDENTITY);
        prefixed_columns::<memberships::Entity>(&mut query, MEMBERSHIP);
        prefixed_columns::<accounts::Entity>(&mut query, ACCOUNT);
        let rows = db.query_all(&query).await?;
        let mut lock = None;
        let mut identity = None;
        let mut memberships = Vec::new();
        for row in &rows {
            if with_lock {
                lock = row.try_get("", LOCK)?;
            }
            if identity.is_none() {
                identity = identities::Model::from_query_result_optional(row, IDENTITY)?;
            }
            if let (Some(membership), Some(account)) = (
                memberships::Model::from_query_result_optional(row, MEMBERSHIP)?,
                accounts::Model::from_query_result_optional(row, ACCOUNT)?,
            ) {
                memberships.push((membership, account));
            }
        }
        Ok((lock, identity.map(|i| (i, Self(memberships)))))
    }

    pub(crate) async fn load(db: &impl ConnectionTrait, identity_id: Id) -> ApiResult<Self> {
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

    /// A membership of the identity by id, if still active.
    fn by_id(&self, id: Id) -> ApiResult<memberships::Model> {
        match self.0.iter().map(|(m, _)| m).find(|m| m.id == id) {
            None => Err(ErrorCode::NotAMember.into()),
            Some(m) if !m.is_active => Err(ErrorCode::MemberDeactivated.into()),
            Some(m) => Ok(m.clone()),
        }
    }

    /// A membership of the identity with its account, whatever its standing.
    pub(crate) fn find(&self, membership_id: Id) -> Option<&(memberships::Model, accounts::Model)> {
        self.0.iter().find(|(m, _)| m.id == membership_id)
    }

    /// How many accounts the identity belongs to (active or not).
    pub(crate) fn count(&self) -> usize {
        self.0.len()
    }

    /// The one account of an identity that belongs to exactly one: whose administrators may
    /// read mail about the identity in their outbox.
    pub(crate) fn single_account(&self) -> Option<Id> {
        match self.0.as_slice() {
            [(m, _)] => Some(m.account_id),
            _ => None,
        }
    }

    /// The most recently used account, for rules (password policy) that need one.
    pub(crate) fn first_account(&self) -> Option<Id> {
        self.0
            .iter()
            .map(|(m, _)| m)
            .max_by_key(|m| (m.is_active, m.last_login_at, -m.id))
            .map(|m| m.account_id)
    }

    /// The accounts where the membership is active, by name.
    pub(crate) fn active_accounts(&self) -> Vec<AccountSummary> {
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

/// The column prefixes of [`Memberships::read`]'s three models, and its lock column.
const IDENTITY: &str = "i_";
const MEMBERSHIP: &str = "m_";
const ACCOUNT: &str = "a_";
const LOCK: &str = "lock_ends";

/// Every column of `E`, each named by `prefix` and its own name, as a model is read back with
/// `FromQueryResult::from_query_result(row, prefix)`.
fn prefixed_columns<E: EntityTrait>(query: &mut SelectStatement, prefix: &str) {
    for column in E::Column::iter() {
        query.expr_as(
            column.select_as(Expr::col((E::default(), column))),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}

async fn start_session(
    state: &AppState,
    identity: &identities::Model,
    membership: &memberships::Model,
    memberships: &Memberships,
    client: &ClientInfo,
    attempt: Option<Attempt<'_>>,
) -> ApiResult<Issued> {
    let now = Utc::now();
    let (refresh_token, refresh_hash) = random_token();
    let absolute_minutes = match state.policies.get(&state.db, membership.account_id).await? {
        Some(policy) => i64::from(policy.settings.session_absolute_minutes),
        None => sessions::ABSOLUTE_LIFETIME_DAYS * 24 * 60,
    };
    let txn = state.db.begin().await?;
    let session = session_rows::ActiveModel {
        account_id: Set(membership.account_id),
        identity_id: Set(identity.id),
        membership_id: Set(membership.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::minutes(absolute_minutes)),
        user_agent: Set(client.user_agent.clone()),
        ip: Set(Some(client.ip_text())),
        refresh_token_hash: Set(Some(refresh_hash)),
        ..Default::default()
    }
    // The membership's `last_login_at` becomes the session's start by a trigger on `sessions`
    // (migration m0007), in the same statement.
    .insert(&txn)
    .await?;
    if let Some(attempt) = attempt {
        auth_log::record(&txn, attempt).await?;
    }
    txn.commit().await?;
    issue(
        state,
        &session,
        refresh_token,
        memberships.active_accounts(),
    )
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

/// Signs in a member who has just accepted their invitation (U6), to the invited account.
///
/// # Errors
/// 403 `member_deactivated` when the membership was deactivated meanwhile.
pub async fn sign_in_after_invitation(
    state: &AppState,
    identity: &identities::Model,
    membership_id: Id,
    client: &ClientInfo,
) -> ApiResult<Issued> {
    let memberships = Memberships::load(&state.db, identity.id).await?;
    let membership = memberships.by_id(membership_id)?;
    let attempt = Attempt {
        email: &identity.email,
        account_id: Some(membership.account_id),
        membership_id: Some(membership.id),
        identity_id: Some(identity.id),
        method: AuthMethod::Invitation,
        outcome: AuthOutcome::Success,
        client,
    };
    start_session(
        state,
        identity,
        &membership,
        &memberships,
        client,
        Some(attempt),
    )
    .await
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
    let (refresh_token, refresh_hash) = random_token();
    let txn = state.db.begin().await?;
    // The claim is the transaction's first statement: on SQLite a transaction that reads first
    // and writes later cannot upgrade its lock while another writer is active and fails at once,
    // whereas one that writes first waits for the lock like any writer. It rotates the token in
    // the same conditional UPDATE, so of two uses of one token exactly one matches; only a token
    // that matched no session is looked up among the spent ones, to tell reuse from a token that
    // never existed.
    let claimed = session_rows::Entity::update_many()
        .col_expr(
            session_rows::Column::RefreshTokenHash,
            Expr::value(refresh_hash.as_str()),
        )
        .filter(session_rows::Column::RefreshTokenHash.eq(hash.as_str()))
        .exec_with_returning(&txn)
        .await?;
    let (session, fresh) = match claimed.into_iter().next() {
        Some(session) => (session, true),
        None => {
            let spent = refresh_tokens::Entity::find()
                .filter(refresh_tokens::Column::TokenHash.eq(hash.as_str()))
                .one(&txn)
                .await?
                .ok_or(ApiError::Code(ErrorCode::InvalidRefreshToken))?;
            let session = session_rows::Entity::find_by_id(spent.session_id)
                .one(&txn)
                .await?
                .ok_or(ApiError::Code(ErrorCode::InvalidRefreshToken))?;
            (session, false)
        }
    };
    // Returning early rolls the claim back.
    let within_policy = state
        .policies
        .get(&txn, session.account_id)
        .await?
        .is_some_and(|p| p.session_within_lifetimes(session.created_at, session.last_seen_at, now));
    if !sessions::is_live(&session) || !within_policy {
        return Err(ErrorCode::SessionEnded.into());
    }
    if !fresh {
        sessions::revoke(&txn, &[session.id], RevokeReason::RefreshTokenReused).await?;
        txn.commit().await?;
        state.sessions.forget(&[session.id]);
        tracing::warn!(
            session_id = session.id,
            "refresh token reused; session ended"
        );
        return Err(ErrorCode::RefreshTokenReused.into());
    }
    // The session's membership and the account list of the answer, in one read.
    let memberships = Memberships::load(&txn, session.identity_id).await?;
    let membership_active = memberships
        .find(session.membership_id)
        .is_some_and(|(m, _)| m.is_active);
    if !membership_active {
        return Err(ErrorCode::SessionEnded.into());
    }
    // The token just exchanged is kept as spent, for reuse detection.
    refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
        session_id: Set(session.id),
        token_hash: Set(hash),
        created_at: Set(now),
        used_at: Set(Some(now)),
        ..Default::default()
    })
    .exec_without_returning(&txn)
    .await?;
    let mut touched: session_rows::ActiveModel = session.into();
    touched.last_seen_at = Set(now);
    touched.ip = Set(Some(client.ip_text()));
    touched.user_agent = Set(client.user_agent.clone());
    let session = touched.update(&txn).await?;
    txn.commit().await?;
    issue(
        state,
        &session,
        refresh_token,
        memberships.active_accounts(),
    )
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
    let issued = start_session(state, &identity, &membership, &memberships, client, None).await?;
    sessions::revoke(
        &state.db,
        &[member.session_id],
        RevokeReason::SwitchedAccount,
    )
    .await?;
    state.sessions.forget(&[member.session_id]);
    Ok(issued)
}
