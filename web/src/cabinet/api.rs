//! The cabinet's own typed client of the API (`/api/v1/cabinet/…`, same origin), on the
//! browser's `fetch`: reqwest and its URL and HTTP crates would be a tenth of the download.
//!
//! The cabinet token is kept in `localStorage` under a key per account, so a client who comes
//! back on the same phone is still signed in (the session itself ends on the server after a
//! week unused, K3). It is forgotten on sign-out, after erasure and whenever the server says the
//! session is over. Every error body is read by one function into [`CabinetError`].

use futures::future::{FutureExt, LocalBoxFuture};
use gatehouse_domain::{
    cabinet::{
        CabinetAppearance, CabinetHome, CabinetLeadDetail, CabinetSession, CabinetSignIn,
        ChatInput, ChatMessage, CodeRequest, CodeSent, ErasureConfirm,
    },
    people::Language,
    problem::{ErrorCode, Problem},
    Id,
};
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen_futures::JsFuture;
use web_sys::wasm_bindgen::{JsCast, JsValue};

use super::texts::{clock, t, Key};

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CabinetError {
    /// The server refused with a problem+json body.
    Problem {
        problem: Box<Problem>,
        /// Seconds from the `Retry-After` header of a 429.
        retry_after: Option<u64>,
    },
    /// No answer: offline, server down, request aborted.
    Network,
    /// An answer this build cannot read.
    Unexpected { status: u16 },
}

impl CabinetError {
    #[must_use]
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Self::Problem { problem, .. } => Some(problem.code),
            Self::Network | Self::Unexpected { .. } => None,
        }
    }

    /// Whether the cabinet session is gone, so the client must sign in again. A wrong SMS
    /// code is a 401 too, but the session it was typed in goes on.
    #[must_use]
    pub fn ends_session(&self) -> bool {
        matches!(
            self.code(),
            Some(ErrorCode::Unauthenticated | ErrorCode::InvalidToken | ErrorCode::SessionEnded)
        )
    }

    /// The message for the client, in `lang`. Codes the cabinet does not expect still show,
    /// in the server's (English) words.
    #[must_use]
    pub fn message(&self, lang: Language) -> String {
        let problem = match self {
            Self::Network => return t(lang, Key::NetworkError).to_owned(),
            Self::Unexpected { status } => {
                return format!("{} (HTTP {status})", t(lang, Key::UnexpectedError));
            }
            Self::Problem { problem, .. } => problem,
        };
        let key = match problem.code {
            ErrorCode::RateLimited => {
                let mut text = t(lang, Key::TooManyAttempts).to_owned();
                if let Some(seconds) = self.retry_after() {
                    text = format!("{text} {} {}.", t(lang, Key::TryAgainIn), clock(seconds));
                }
                return text;
            }
            ErrorCode::InvalidSmsCode => Key::WrongCode,
            ErrorCode::CabinetUnavailable => Key::ClosedTitle,
            ErrorCode::Unauthenticated | ErrorCode::InvalidToken | ErrorCode::SessionEnded => {
                Key::SessionEnded
            }
            ErrorCode::Forbidden => Key::SwitchedOff,
            ErrorCode::NotFound => Key::NotFound,
            ErrorCode::ServerBusy | ErrorCode::ServiceUnavailable | ErrorCode::Internal => {
                Key::UnexpectedError
            }
            ErrorCode::ValidationFailed => match problem.errors.first() {
                Some(error) => {
                    return field_text(lang, &error.code)
                        .map_or_else(|| error.message.clone(), str::to_owned)
                }
                None => return problem.title.clone(),
            },
            _ => return problem.title.clone(),
        };
        t(lang, key).to_owned()
    }

    fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Problem { retry_after, .. } => *retry_after,
            Self::Network | Self::Unexpected { .. } => None,
        }
    }
}

/// The client's words for the field codes the cabinet's forms can get.
#[must_use]
pub fn field_text(lang: Language, code: &str) -> Option<&'static str> {
    let key = match code {
        "phone_invalid" => Key::PhoneInvalid,
        "text_too_long" => Key::MessageTooLong,
        _ => return None,
    };
    Some(t(lang, key))
}

/// The cabinet of one account as seen from this browser.
#[derive(Clone, Copy)]
pub struct CabinetApi {
    account: Id,
    token: RwSignal<Option<String>>,
}

impl CabinetApi {
    /// The client of `account`'s cabinet, signed in when this browser kept a token for it.
    #[must_use]
    pub fn new(account: Id) -> Self {
        let token = storage().and_then(|s| s.get_item(&token_key(account)).ok().flatten());
        Self {
            account,
            token: RwSignal::new(token),
        }
    }

    #[must_use]
    pub const fn account(self) -> Id {
        self.account
    }

    /// Whether a cabinet token is held (tracked).
    #[must_use]
    pub fn signed_in(self) -> bool {
        self.token.with(Option::is_some)
    }

    fn keep(self, token: Option<String>) {
        if let Some(storage) = storage() {
            let key = token_key(self.account);
            let _ = match &token {
                Some(token) => storage.set_item(&key, token),
                None => storage.remove_item(&key),
            };
        }
        self.token.try_set(token);
    }

    /// Forgets the token, without telling the server (it already ended the session).
    pub fn forget(self) {
        self.keep(None);
    }

    /// `GET /api/v1/cabinet/{account}`.
    pub async fn appearance(self) -> Result<CabinetAppearance, CabinetError> {
        let path = format!("/api/v1/cabinet/{}", self.account);
        decode(self.call("GET", path, None, false).await?)
    }

    /// Sends a sign-in code to `phone`.
    pub async fn send_code(self, phone: String) -> Result<CodeSent, CabinetError> {
        let path = format!("/api/v1/cabinet/{}/codes", self.account);
        let body = json(&CodeRequest { phone })?;
        decode(self.call("POST", path, Some(body), false).await?)
    }

    /// Signs in with the SMS code and keeps the session's token.
    pub async fn sign_in(self, phone: String, code: String) -> Result<(), CabinetError> {
        let path = format!("/api/v1/cabinet/{}/sessions", self.account);
        let body = json(&CabinetSignIn { phone, code })?;
        let session: CabinetSession = decode(self.call("POST", path, Some(body), false).await?)?;
        self.keep(Some(session.token));
        Ok(())
    }

    /// Ends the session on the server; the token is forgotten whatever the answer, so the
    /// client is signed out here even offline.
    pub async fn sign_out(self) {
        let _ = self
            .call("DELETE", "/api/v1/cabinet/session".to_owned(), None, true)
            .await;
        self.forget();
    }

    pub async fn home(self) -> Result<CabinetHome, CabinetError> {
        decode(
            self.call("GET", "/api/v1/cabinet/me".to_owned(), None, true)
                .await?,
        )
    }

    pub async fn lead(self, id: Id) -> Result<CabinetLeadDetail, CabinetError> {
        let path = format!("/api/v1/cabinet/leads/{id}");
        decode(self.call("GET", path, None, true).await?)
    }

    /// The chat's messages after `after` (without it, the latest ones); with `wait`, the
    /// server holds the answer up to that many seconds until there is one (a long poll).
    pub async fn messages(
        self,
        lead: Id,
        after: Option<Id>,
        wait: u32,
    ) -> Result<Vec<ChatMessage>, CabinetError> {
        let path = match after {
            Some(after) => {
                format!("/api/v1/cabinet/leads/{lead}/messages?after={after}&wait={wait}")
            }
            None => format!("/api/v1/cabinet/leads/{lead}/messages?wait={wait}"),
        };
        decode(self.call("GET", path, None, true).await?)
    }

    pub async fn write(self, lead: Id, text: String) -> Result<ChatMessage, CabinetError> {
        let path = format!("/api/v1/cabinet/leads/{lead}/messages");
        let body = json(&ChatInput { text })?;
        decode(self.call("POST", path, Some(body), true).await?)
    }

    /// Everything the account holds on the client, as the server wrote it (JSON).
    pub async fn personal_data(self) -> Result<String, CabinetError> {
        self.call("GET", "/api/v1/cabinet/data".to_owned(), None, true)
            .await
            .map(|(_, text)| text)
    }

    /// Sends the deletion SMS.
    pub async fn erasure_code(self) -> Result<CodeSent, CabinetError> {
        let path = "/api/v1/cabinet/erasure/codes".to_owned();
        decode(self.call("POST", path, None, true).await?)
    }

    /// Erases the client's personal data. The session ends with it on the server; the caller
    /// forgets the token once it has shown that the data is gone.
    pub async fn erase(self, code: String) -> Result<(), CabinetError> {
        let body = json(&ErasureConfirm { code })?;
        self.call(
            "POST",
            "/api/v1/cabinet/erasure".to_owned(),
            Some(body),
            true,
        )
        .await
        .map(drop)
    }

    /// One request; the status and the body of a 2xx answer. Boxed, so the typed calls share
    /// one compiled copy of it (SPEC Q4).
    fn call(
        self,
        method: &'static str,
        path: String,
        body: Option<String>,
        authorized: bool,
    ) -> LocalBoxFuture<'static, Result<(u16, String), CabinetError>> {
        async move {
            let token = if authorized {
                let token = self.token.try_get_untracked().flatten();
                // No token: the session is over as far as this browser knows.
                Some(token.ok_or_else(|| {
                    self.forget();
                    CabinetError::Problem {
                        problem: Box::new(Problem::new(ErrorCode::Unauthenticated)),
                        retry_after: None,
                    }
                })?)
            } else {
                None
            };
            let result = send(method, &path, body, token.as_deref()).await;
            if let Err(error) = &result {
                if authorized && error.ends_session() {
                    self.forget();
                }
            }
            result
        }
        .boxed_local()
    }
}

fn token_key(account: Id) -> String {
    format!("gatehouse.cabinet.{account}.token")
}

/// The browser's `localStorage`, when the page may use it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn json<B: Serialize>(body: &B) -> Result<String, CabinetError> {
    serde_json::to_string(body).map_err(|_| CabinetError::Unexpected { status: 0 })
}

fn decode<T: DeserializeOwned>((status, text): (u16, String)) -> Result<T, CabinetError> {
    serde_json::from_str(&text).map_err(|_| CabinetError::Unexpected { status })
}

/// Aborts its request when dropped: a poll whose chat left the page must not hold one of the
/// browser's few connections to the server for its remaining seconds.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// One request to the same-origin API with the browser's `fetch`; the status and body of a 2xx
/// answer, else the error it says.
async fn send(
    method: &str,
    path: &str,
    body: Option<String>,
    bearer: Option<&str>,
) -> Result<(u16, String), CabinetError> {
    let window = web_sys::window().ok_or(CabinetError::Network)?;
    let headers = web_sys::Headers::new().map_err(|_| CabinetError::Network)?;
    let _ = headers.set("Accept", "application/json, application/problem+json");
    if let Some(token) = bearer {
        let _ = headers.set("Authorization", &format!("Bearer {token}"));
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);
    let abort = AbortOnDrop(web_sys::AbortController::new().ok());
    if let Some(controller) = &abort.0 {
        init.set_signal(Some(&controller.signal()));
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .and_then(JsCast::dyn_into)
        .map_err(|_| CabinetError::Network)?;
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|t| t.as_string()),
        Err(_) => None,
    };
    drop(abort);
    if response.ok() {
        return text
            .map(|text| (status, text))
            .ok_or(CabinetError::Unexpected { status });
    }
    // Only whole seconds: the API never sends an HTTP date here.
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse::<u64>().ok());
    Err(
        match text.and_then(|text| serde_json::from_str::<Problem>(&text).ok()) {
            Some(problem) => CabinetError::Problem {
                problem: Box::new(problem),
                retry_after,
            },
            None => CabinetError::Unexpected { status },
        },
    )
}
