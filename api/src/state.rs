//! What every request handler can reach: the database, the token keys, the hashing pool, the
//! session cache. Shared as `web::Data<AppState>`.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::{
    auth::{password::PasswordHasher, sessions::SessionCache, tokens::TokenKeys},
    http::client::ClientIpConfig,
    mail::Mailer,
    security::policy::PolicyCache,
};

pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: Arc<TokenKeys>,
    pub hasher: PasswordHasher,
    pub sessions: SessionCache,
    pub policies: PolicyCache,
    pub mailer: Mailer,
    /// Runs the jobs that move deactivated members' records.
    pub reassignments: crate::deactivation::job::Runner,
    /// Wakes the SMS delivery worker.
    pub sms: crate::sms::Courier,
    pub client_ip: ClientIpConfig,
    /// Where people reach Gatehouse, for links in mail (no trailing slash).
    pub public_url: String,
    /// Refresh cookies are `Secure` unless Gatehouse is served over plain HTTP on a
    /// non-loopback host (where browsers would drop them).
    pub secure_cookies: bool,
}
