//! The API's one error type and its one mapping to `application/problem+json` (RFC 9457).
//!
//! Handlers and services return [`ApiError`]; actix's own failures (bad JSON, wrong content
//! type, bad path or query, unknown route, wrong method, body too large) are rewritten into the
//! same shape by the handlers in [`extractor_errors`] and by [`problem_for_bare_errors`], so
//! no response of this server is an error without a `code`.

use actix_web::{
    body::{BoxBody, MessageBody},
    dev::ServiceResponse,
    http::{header, StatusCode},
    middleware::ErrorHandlerResponse,
    HttpResponse, ResponseError,
};
use gatehouse_domain::{
    people::PersonError,
    problem::{ErrorCode, FieldError, Problem},
};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A client error fully described by its code.
    #[error("{}", .0.as_str())]
    Code(ErrorCode),
    /// A client error with a sentence saying what exactly was wrong.
    #[error("{}: {detail}", code.as_str())]
    Detailed { code: ErrorCode, detail: String },
    /// A client error whose problem carries more than a code: the seats of `seats_exhausted`,
    /// the name of `identity_exists`, the count of `group_not_empty`.
    #[error("{}", .0.code.as_str())]
    Described(Box<Problem>),
    /// 422 with one entry per invalid field.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    /// 429 or 503, with the seconds to wait in `Retry-After`.
    #[error("{}: retry after {seconds}s", code.as_str())]
    RetryAfter { code: ErrorCode, seconds: u64 },
    /// 405, with the methods the path does accept.
    #[error("method not allowed; allowed: {allow:?}")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// A server fault. The text is logged, never sent.
    #[error("internal: {0}")]
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    #[must_use]
    pub fn detailed(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self::Detailed {
            code,
            detail: detail.into(),
        }
    }

    #[must_use]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }

    /// 409 `seats_exhausted`, naming used and total seats (U3).
    #[must_use]
    pub fn seats_exhausted(seats: gatehouse_domain::accounts::Seats) -> Self {
        let mut problem = Problem::new(ErrorCode::SeatsExhausted);
        problem.detail = Some(format!(
            "all {} licence seats are taken ({} used of {})",
            seats.total, seats.used, seats.total
        ));
        problem.seats = Some(seats);
        Self::Described(Box::new(problem))
    }

    /// 409 `identity_exists`, with the person's name (U5, seed 001).
    #[must_use]
    pub fn identity_exists(name: &str) -> Self {
        let mut problem = Problem::new(ErrorCode::IdentityExists);
        problem.detail = Some(format!(
            "{name} already has a Gatehouse login; add them with add_existing: their name and password stay theirs"
        ));
        problem.name = Some(name.to_owned());
        Self::Described(Box::new(problem))
    }

    /// A conflict caused by `count` members (`group_not_empty`, `role_in_use`).
    #[must_use]
    pub fn counted(code: ErrorCode, count: u64) -> Self {
        let mut problem = Problem::new(code);
        problem.detail = Some(format!("{count} member(s) stand in the way"));
        problem.count = Some(count);
        Self::Described(Box::new(problem))
    }

    /// A unique index refused the row (two requests created the same thing at once, or a name
    /// is taken): `code`, not a 500. Other database errors stay what they are.
    #[must_use]
    pub fn unique_as(err: sea_orm::DbErr, code: ErrorCode) -> Self {
        match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => code.into(),
            _ => err.into(),
        }
    }

    /// A single invalid field with a code of its own.
    #[must_use]
    pub fn invalid(field: &str, code: &str, message: &str) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A single invalid field.
    #[must_use]
    pub fn field(field: &str, error: PersonError) -> Self {
        Self::Validation(vec![FieldError::new(
            field,
            error.code(),
            error.to_string(),
        )])
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Code(code) | Self::Detailed { code, .. } | Self::RetryAfter { code, .. } => *code,
            Self::Described(problem) => problem.code,
            Self::Validation(_) => ErrorCode::ValidationFailed,
            Self::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            Self::Database(err) if is_unavailable(err) => ErrorCode::ServiceUnavailable,
            Self::Database(_) | Self::Internal(_) => ErrorCode::Internal,
        }
    }

    fn problem(&self) -> Problem {
        if let Self::Described(problem) = self {
            return (**problem).clone();
        }
        let mut problem = Problem::new(self.code());
        match self {
            Self::Detailed { detail, .. } => problem.detail = Some(detail.clone()),
            Self::Validation(errors) => problem.errors.clone_from(errors),
            _ => {}
        }
        problem
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::Code(code)
    }
}

/// The pool could not reach the database: the client may retry; nothing is wrong with the request.
fn is_unavailable(err: &sea_orm::DbErr) -> bool {
    // SQLite's busy timeout ran out under a burst of writers: the same, a moment's overload.
    err.to_string().contains("database is locked")
        || matches!(
            err,
            sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_)
        )
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        match self {
            // The cause stays in the log, under the request's span (and so its request id).
            Self::Database(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "request failed")
            }
            _ => tracing::debug!(error = %self, "request refused"),
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            Self::RetryAfter { seconds, .. } => {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
            Self::Database(err) if is_unavailable(err) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            Self::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        response.body(problem_body(&self.problem()))
    }
}

fn problem_body(problem: &Problem) -> String {
    // Serialising a struct of strings and numbers cannot fail; the fallback keeps it total.
    serde_json::to_string(problem).unwrap_or_else(|_| {
        r#"{"type":"about:blank","title":"Internal error","status":500,"code":"internal"}"#
            .to_owned()
    })
}

/// Error handlers for actix's extractors, so their failures speak problem+json too.
pub mod extractor_errors {
    use actix_web::{
        error::{JsonPayloadError, PathError, QueryPayloadError},
        HttpRequest,
    };

    use super::*;

    pub fn json(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
        let api = match &err {
            JsonPayloadError::ContentType => ApiError::Code(ErrorCode::UnsupportedMediaType),
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                ApiError::Code(ErrorCode::PayloadTooLarge)
            }
            JsonPayloadError::Deserialize(e) => body_error(e),
            _ => ApiError::detailed(
                ErrorCode::MalformedJson,
                "the request body could not be read",
            ),
        };
        api.into()
    }

    /// Syntax errors are malformed JSON; well-formed JSON of the wrong shape (unknown or
    /// missing field, wrong type) is an invalid body. serde's message names the field.
    pub fn body_error(e: &serde_json::Error) -> ApiError {
        use serde_json::error::Category;
        match e.classify() {
            Category::Data => {
                ApiError::detailed(ErrorCode::InvalidBody, strip_position(&e.to_string()))
            }
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::detailed(ErrorCode::MalformedJson, e.to_string())
            }
        }
    }

    fn strip_position(message: &str) -> String {
        message
            .split(" at line ")
            .next()
            .unwrap_or(message)
            .to_owned()
    }

    pub fn path(err: PathError, _req: &HttpRequest) -> actix_web::Error {
        ApiError::detailed(ErrorCode::InvalidPath, err.to_string()).into()
    }

    pub fn query(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
        ApiError::detailed(ErrorCode::InvalidQuery, err.to_string()).into()
    }
}

/// Middleware hook: any error response that is not already problem+json (actix's built-in
/// answers, a payload error raised before a handler ran) is rewritten into one with the code
/// its status means.
///
/// # Errors
/// Never; the signature is actix's.
pub fn problem_for_bare_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let code = match res.status().as_u16() {
        400 => ErrorCode::InvalidBody,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::RouteNotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::ServiceUnavailable,
        _ => ErrorCode::Internal,
    };
    let (req, res) = res.into_parts();
    let status = res.status();
    let mut response = HttpResponse::build(status);
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            response.append_header((name.clone(), value.clone()));
        }
    }
    let mut problem = Problem::new(code);
    problem.status = status.as_u16();
    let response = response
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .body(problem_body(&problem));
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}
