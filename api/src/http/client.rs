//! The caller's network facts, for sessions and (later) the authorization log.

use std::future::{ready, Ready};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use gatehouse_domain::auth::{CLIENT_HEADER, WEB_CLIENT};

use crate::error::ApiError;

/// Longest user agent kept; beyond that it is cut (it is only shown, never parsed for rights).
const MAX_USER_AGENT: usize = 512;

#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The web app asked for its refresh token as an HttpOnly cookie.
    pub is_web: bool,
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The peer address only: forwarded headers are trusted once a trusted proxy is
        // configured (S3), never by default.
        let ip = req.peer_addr().map(|addr| addr.ip().to_string());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect());
        let is_web = req
            .headers()
            .get(CLIENT_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case(WEB_CLIENT));
        ready(Ok(Self {
            ip,
            user_agent,
            is_web,
        }))
    }
}
