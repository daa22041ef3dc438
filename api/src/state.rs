//! What every request handler can reach: the database, the token keys, the hashing pool, the
//! session cache. Shared as `web::Data<AppState>`.

use std::sync::Arc;

use sea_orm::DatabaseConnection;

use crate::auth::{password::PasswordHasher, sessions::SessionCache, tokens::TokenKeys};

pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: Arc<TokenKeys>,
    pub hasher: PasswordHasher,
    pub sessions: SessionCache,
    /// Refresh cookies are `Secure` unless Gatehouse is served over plain HTTP on a
    /// non-loopback host (where browsers would drop them).
    pub secure_cookies: bool,
}
