//! The caller's network facts, for sign-in checks, sessions and the authorization log.

use std::{
    future::{ready, Ready},
    net::IpAddr,
};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use gatehouse_domain::{
    auth::{CLIENT_HEADER, WEB_CLIENT},
    security::{allows, IpRange},
};

use crate::{error::ApiError, state::AppState};

/// Longest user agent kept; beyond that it is cut (it is only shown, never parsed for rights).
const MAX_USER_AGENT: usize = 512;

/// Where the client's address comes from (S3). By default the TCP peer; behind a reverse
/// proxy, the proxy's header — but only on connections from the configured proxies, so a
/// client-sent `X-Forwarded-For` changes nothing.
#[derive(Debug, Clone, Default)]
pub struct ClientIpConfig {
    pub trusted_proxies: Vec<IpRange>,
    /// `X-Forwarded-For` (its last address not itself a trusted proxy is taken) or a header
    /// holding one address, such as `X-Real-IP`.
    pub header: String,
}

impl ClientIpConfig {
    #[must_use]
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr().map(|addr| addr.ip())?;
        if !allows(&self.trusted_proxies, peer) {
            return Some(peer);
        }
        let forwarded = req
            .headers()
            .get(self.header.as_str())
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(',')
                    .filter_map(|part| part.trim().parse::<IpAddr>().ok())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        // The rightmost address that is not one of our proxies is the one the first trusted
        // proxy saw; anything left of it was written by the client.
        Some(
            forwarded
                .into_iter()
                .rev()
                .find(|ip| !allows(&self.trusted_proxies, *ip))
                .unwrap_or(peer),
        )
    }
}

#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    /// The web app asked for its refresh token as an HttpOnly cookie.
    pub is_web: bool,
}

impl ClientInfo {
    /// The address as stored and shown.
    #[must_use]
    pub fn ip_text(&self) -> String {
        self.ip.map(|ip| ip.to_string()).unwrap_or_default()
    }
}

impl FromRequest for ClientInfo {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

impl ClientInfo {
    #[must_use]
    pub fn of(req: &HttpRequest) -> Self {
        let ip = match req.app_data::<web::Data<AppState>>() {
            Some(state) => state.client_ip.client_ip(req),
            None => req.peer_addr().map(|addr| addr.ip()),
        };
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
        Self {
            ip,
            user_agent,
            is_web,
        }
    }
}
