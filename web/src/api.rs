//! The typed client of the Gatehouse API (same origin, `/api/v1`).
//!
//! The access token lives only in memory; the refresh token is an HttpOnly cookie this code never
//! sees (A2), so a reload restores the session with [`Api::refresh`]. Every error body, whatever
//! the endpoint, is decoded by one function into [`ApiError`].

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gatehouse_domain::{
    auth::{
        LoginRequest, RefreshRequest, SignedIn, SwitchAccountRequest, CLIENT_HEADER, WEB_CLIENT,
    },
    problem::{ErrorCode, FieldError, Problem},
    profile::{Me, UpdateMe},
    Id,
};
use leptos::prelude::*;
use reqwest::{Method, Response};
use serde::{de::DeserializeOwned, Serialize};

use crate::i18n::{error_text, field_error_text, person_error, t, Key, Lang};

/// Why an API call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The server refused with a problem+json body and a stable code.
    Problem(Problem),
    /// No answer at all: offline, server down, request aborted.
    Network,
    /// An answer this build cannot read: a proxy's error page, or a code newer than this build.
    Unexpected { status: u16 },
}

impl ApiError {
    #[must_use]
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Problem(problem) => Some(problem.code),
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
            )
        )
    }

    /// The message for the person, in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Problem(problem) => error_text(lang, problem.code).to_owned(),
            Self::Network => t(lang, Key::NetworkError).to_owned(),
            Self::Unexpected { status } => {
                format!("{} (HTTP {status})", t(lang, Key::UnexpectedError))
            }
        }
    }

    /// The message for what is wrong with `field`, if the server named it. A code this build
    /// does not know still shows, in the server's (English) words.
    #[must_use]
    pub fn field_message(&self, field: &str, lang: Lang) -> Option<String> {
        let Self::Problem(problem) = self else {
            return None;
        };
        problem
            .errors
            .iter()
            .find(|error| error.field == field)
            .map(|error: &FieldError| {
                person_error(&error.code).map_or_else(
                    || error.message.clone(),
                    |known| field_error_text(lang, known).to_owned(),
                )
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

const LOGIN: &str = "/api/v1/auth/login";
const REFRESH: &str = "/api/v1/auth/refresh";
const LOGOUT: &str = "/api/v1/auth/logout";
const SWITCH_ACCOUNT: &str = "/api/v1/auth/switch-account";
const ME: &str = "/api/v1/me";

impl Api {
    #[must_use]
    pub fn new() -> Self {
        Self {
            access_token: StoredValue::new(None),
            refreshing: StoredValue::new_local(None),
        }
    }

    /// Signs in with e-mail and password; the server sets the refresh cookie.
    ///
    /// # Errors
    /// `invalid_credentials`, `member_deactivated`, `not_a_member`, `validation_failed`,
    /// `rate_limited`, `server_busy`, or a network failure.
    pub async fn login(self, request: &LoginRequest) -> Result<SignedIn, ApiError> {
        let response = send(Method::POST, LOGIN, Some(request), None).await?;
        let signed_in: SignedIn = read(response).await?;
        self.access_token
            .set_value(Some(signed_in.access_token.clone()));
        Ok(signed_in)
    }

    /// Trades the refresh cookie for a new access token (and a new cookie).
    ///
    /// # Errors
    /// `invalid_refresh_token`, `refresh_token_reused` or `session_ended` when there is no live
    /// session to restore, or a network failure.
    pub async fn refresh(self) -> Result<SignedIn, ApiError> {
        let in_flight = match self.refreshing.get_value() {
            Some(in_flight) => in_flight,
            None => {
                let in_flight = async move {
                    let result = match send(
                        Method::POST,
                        REFRESH,
                        Some(&RefreshRequest::default()),
                        None,
                    )
                    .await
                    {
                        Ok(response) => read::<SignedIn>(response).await,
                        Err(error) => Err(error),
                    };
                    self.access_token.set_value(
                        result
                            .as_ref()
                            .ok()
                            .map(|signed_in| signed_in.access_token.clone()),
                    );
                    self.refreshing.set_value(None);
                    result
                }
                .boxed_local()
                .shared();
                self.refreshing.set_value(Some(in_flight.clone()));
                in_flight
            }
        };
        in_flight.await
    }

    /// Ends the session on the server and clears the refresh cookie. The token is forgotten
    /// here only when the server confirmed, or when the session was already over.
    ///
    /// # Errors
    /// A network failure or a server error: the session may still be live.
    pub async fn logout(self) -> Result<(), ApiError> {
        match self.authorized(Method::POST, LOGOUT, None::<&()>).await {
            Ok(_) => {
                self.forget();
                Ok(())
            }
            Err(error) if error.ends_session() => {
                self.forget();
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// The signed-in member as they see themselves.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn me(self) -> Result<Me, ApiError> {
        read(self.authorized(Method::GET, ME, None::<&()>).await?).await
    }

    /// Changes the member's own name or language.
    ///
    /// # Errors
    /// `validation_failed` with field errors (`name_empty`, `name_too_long`, …), or any error of
    /// an authorized call.
    pub async fn update_me(self, changes: &UpdateMe) -> Result<Me, ApiError> {
        read(self.authorized(Method::PATCH, ME, Some(changes)).await?).await
    }

    /// Gets tokens for another account of the same identity (A6).
    ///
    /// # Errors
    /// `not_a_member`, `member_deactivated`, or any error of an authorized call.
    pub async fn switch_account(self, account_id: Id) -> Result<SignedIn, ApiError> {
        let request = SwitchAccountRequest { account_id };
        let signed_in: SignedIn = read(
            self.authorized(Method::POST, SWITCH_ACCOUNT, Some(&request))
                .await?,
        )
        .await?;
        self.access_token
            .set_value(Some(signed_in.access_token.clone()));
        Ok(signed_in)
    }

    /// Drops the access token, e.g. once the server said the session is over.
    pub fn forget(self) {
        self.access_token.set_value(None);
    }

    /// A call with the access token; an expired token is refreshed once and the call retried.
    async fn authorized<B: Serialize>(
        self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<Response, ApiError> {
        let token = match self.access_token.get_value() {
            Some(token) => token,
            None => self.refresh().await?.access_token,
        };
        match send(method.clone(), path, body, Some(&token)).await {
            Err(ApiError::Problem(problem)) if problem.code == ErrorCode::InvalidToken => {
                // Another call may have refreshed while this one was under way.
                let fresh = match self.access_token.get_value() {
                    Some(current) if current != token => current,
                    _ => self.refresh().await?.access_token,
                };
                send(method, path, body, Some(&fresh)).await
            }
            other => other,
        }
    }
}

impl Default for Api {
    fn default() -> Self {
        Self::new()
    }
}

/// One request to the same-origin API; any non-2xx answer becomes an [`ApiError`].
async fn send<B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
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
            "application/json, application/problem+json",
        )
        // The refresh cookie must travel with auth requests; same origin is all it needs.
        .fetch_credentials_same_origin();
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
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
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem(problem),
        Err(_) => ApiError::Unexpected { status },
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status().as_u16();
    response
        .json::<T>()
        .await
        .map_err(|_| ApiError::Unexpected { status })
}
