//! The typed client of the Gatehouse API (same origin, `/api/v1`), one module per API area.
//!
//! The access token lives only in memory; the refresh token is an HttpOnly cookie this code never
//! sees (A2), so a reload restores the session with [`Api::refresh`]. Every error body, whatever
//! the endpoint, is decoded by one function into [`ApiError`].

/// Sign-in, second factor, refresh, sign-out, account switch, forgotten passwords.
mod auth;
/// The client cabinet's settings and logo, and the lead's chat with its client.
mod cabinet;
/// The CRM: the members' directory, leads, contacts, companies, tasks, timelines.
pub mod crm;
/// Deactivating members and the jobs handing their records over.
mod deactivation;
/// The mail outbox.
mod mail;
/// The member's own profile: password, sessions, second factor.
mod profile;
/// The administrator's security pages: settings, allowlist, members, authorization log.
mod security;
/// SMS providers, their test messages and the SMS log.
mod sms;
/// Groups, roles, pipelines and the audit log.
mod team;
/// Members as administrators manage them, and accepting an invitation.
mod users;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gatehouse_domain::{
    auth::{SignedIn, CLIENT_HEADER, WEB_CLIENT},
    problem::{ErrorCode, FieldError, Problem},
};
use leptos::prelude::*;
use reqwest::{Method, Response};
use serde::{de::DeserializeOwned, Serialize};

use crate::i18n::{field_code_text, problem_text, retry_text, t, Key, Lang};

/// Why an API call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server refused with a problem+json body and a stable code.
    Problem {
        // Boxed: the body is large and errors travel in every `Result`.
        problem: Box<Problem>,
        /// Seconds from the `Retry-After` header of a 429 or 503.
        retry_after: Option<u64>,
    },
    /// No answer at all: offline, server down, request aborted.
    Network,
    /// An answer this build cannot read: a proxy's error page, or a code newer than this build.
    Unexpected { status: u16 },
}

impl ApiError {
    #[must_use]
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Problem { problem, .. } => Some(problem.code),
            Self::Network | Self::Unexpected { .. } => None,
        }
    }

    /// Whether the access this app had is gone for good, so the only way on is signing in again.
    #[must_use]
    pub fn ends_session(&self) -> bool {
        matches!(
            self.code(),
            Some(
                ErrorCode::Unauthenticated
                    | ErrorCode::InvalidToken
                    | ErrorCode::SessionEnded
                    | ErrorCode::InvalidRefreshToken
                    | ErrorCode::RefreshTokenReused
                    | ErrorCode::MemberDeactivated
                    | ErrorCode::NotAMember
                    | ErrorCode::IpNotAllowed
            )
        )
    }

    /// Whether the server holds the member at a step (new password, second factor) before
    /// anything else, so the app must reload who they are and show that step.
    #[must_use]
    pub fn needs_pending_step(&self) -> bool {
        matches!(
            self.code(),
            Some(ErrorCode::PasswordChangeRequired | ErrorCode::TwoFactorEnrolmentRequired)
        )
    }

    /// The message for the person, in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Problem {
                problem,
                retry_after,
            } => {
                let text = problem_text(lang, problem);
                match retry_after {
                    Some(seconds) => format!("{text} {}", retry_text(lang, *seconds)),
                    None => text,
                }
            }
            Self::Network => t(lang, Key::NetworkError).to_owned(),
            Self::Unexpected { status } => {
                format!("{} (HTTP {status})", t(lang, Key::UnexpectedError))
            }
        }
    }

    /// Every field error of `field` (a password may break several rules at once).
    #[must_use]
    pub fn field_errors(&self, field: &str) -> Vec<&FieldError> {
        match self {
            Self::Problem { problem, .. } => problem
                .errors
                .iter()
                .filter(|error| error.field == field)
                .collect(),
            Self::Network | Self::Unexpected { .. } => Vec::new(),
        }
    }

    /// The message for what is wrong with `field`, if the server named it. A code this build
    /// does not know still shows, in the server's (English) words.
    #[must_use]
    pub fn field_message(&self, field: &str, lang: Lang) -> Option<String> {
        self.field_errors(field).first().map(|error| {
            field_code_text(lang, &error.code).unwrap_or_else(|| error.message.clone())
        })
    }
}

type RefreshInFlight = Shared<LocalBoxFuture<'static, Result<SignedIn, ApiError>>>;

/// The API as seen from the signed-in (or not yet signed-in) browser tab.
#[derive(Clone, Copy)]
pub struct Api {
    access_token: StoredValue<Option<String>>,
    // Refresh tokens rotate and a reused one ends the whole session (A2), so concurrent callers
    // that all found their access token expired must share one refresh, not race several.
    refreshing: StoredValue<Option<RefreshInFlight>, LocalStorage>,
}

impl Api {
    #[must_use]
    pub fn new() -> Self {
        Self {
            access_token: StoredValue::new(None),
            refreshing: StoredValue::new_local(None),
        }
    }

    /// Drops the access token, e.g. once the server said the session is over.
    pub fn forget(self) {
        self.access_token.set_value(None);
    }

    fn remember(self, signed_in: &SignedIn) {
        self.access_token
            .set_value(Some(signed_in.access_token.clone()));
    }

    /// A call with the access token; an expired token is refreshed once and the call retried.
    /// The body comes already encoded (see [`json`]): one compiled call for every request.
    /// Boxed, so the many typed calls above it share its code rather than each embedding it.
    fn authorized(
        self,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> LocalBoxFuture<'static, Result<Response, ApiError>> {
        let path = path.to_owned();
        async move {
            let token = match self.access_token.get_value() {
                Some(token) => token,
                None => self.refresh().await?.access_token,
            };
            match send(method.clone(), &path, body.clone(), Some(&token)).await {
                Err(error) if error.code() == Some(ErrorCode::InvalidToken) => {
                    // Another call may have refreshed while this one was under way.
                    let fresh = match self.access_token.get_value() {
                        Some(current) if current != token => current,
                        _ => self.refresh().await?.access_token,
                    };
                    send(method, &path, body, Some(&fresh)).await
                }
                other => other,
            }
        }
        .boxed_local()
    }

    /// An authorized GET whose JSON answer is read as `T`.
    async fn get<T: DeserializeOwned>(self, path: &str) -> Result<T, ApiError> {
        read(self.authorized(Method::GET, path, None).await?).await
    }
}

impl Default for Api {
    fn default() -> Self {
        Self::new()
    }
}

/// `path?name=value&…`, encoded as the browser would.
fn with_query(path: &str, params: &[(&str, String)]) -> String {
    let Ok(query) = web_sys::UrlSearchParams::new() else {
        return path.to_owned();
    };
    for (name, value) in params {
        query.append(name, value);
    }
    let encoded = String::from(query.to_string());
    if encoded.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{encoded}")
    }
}

/// Query parameters that are present, by name.
fn present(params: Vec<(&'static str, Option<String>)>) -> Vec<(&'static str, String)> {
    params
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect()
}

/// An instant as a query parameter.
#[allow(clippy::needless_pass_by_value)]
fn instant(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A request body as JSON.
fn json<B: Serialize>(body: &B) -> Result<String, ApiError> {
    // Only a map with non-string keys could fail, and no request body has one.
    serde_json::to_string(body).map_err(|_| ApiError::Unexpected { status: 0 })
}

/// One request to the same-origin API; any non-2xx answer becomes an [`ApiError`].
async fn send(
    method: Method,
    path: &str,
    body: Option<String>,
    bearer: Option<&str>,
) -> Result<Response, ApiError> {
    // reqwest needs an absolute URL even in the browser.
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or(ApiError::Network)?;
    let mut request = reqwest::Client::new()
        .request(method, format!("{origin}{path}"))
        .header(CLIENT_HEADER, WEB_CLIENT)
        .header(
            reqwest::header::ACCEPT,
            "application/json, application/problem+json, text/csv",
        )
        // The refresh cookie must travel with auth requests; same origin is all it needs.
        .fetch_credentials_same_origin();
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
    }
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(decode_error(response).await)
    }
}

/// The one place that reads error bodies: problem+json with a known code, or "unexpected".
async fn decode_error(response: Response) -> ApiError {
    let status = response.status().as_u16();
    // Only whole seconds: the API never sends an HTTP date here.
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok());
    let problem = match read_text(response).await {
        Ok(text) => serde_json::from_str::<Problem>(&text).ok(),
        Err(_) => None,
    };
    match problem {
        Some(problem) => ApiError::Problem {
            problem: Box::new(problem),
            retry_after,
        },
        None => ApiError::Unexpected { status },
    }
}

/// The JSON answer as `T`. The body is read as text first, so only the decoding is compiled
/// once per answer type.
async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status().as_u16();
    let text = read_text(response).await?;
    serde_json::from_str(&text).map_err(|_| ApiError::Unexpected { status })
}

fn read_text(response: Response) -> LocalBoxFuture<'static, Result<String, ApiError>> {
    let status = response.status().as_u16();
    async move {
        response
            .text()
            .await
            .map_err(|_| ApiError::Unexpected { status })
    }
    .boxed_local()
}
