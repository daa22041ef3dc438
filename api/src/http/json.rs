//! A JSON body that may be left out entirely (e.g. the web app's refresh call, whose token is in
//! a cookie). Present bodies get the same checks as `web::Json`.

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use gatehouse_domain::problem::ErrorCode;
use serde::de::DeserializeOwned;

use crate::error::{extractor_errors::body_error, ApiError};

pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(Self(None));
            }
            if !is_json {
                return Err(ApiError::Code(ErrorCode::UnsupportedMediaType).into());
            }
            // Syntax first, shape second: a truncated body is malformed JSON even when its first
            // key is already unknown.
            let value: serde_json::Value =
                serde_json::from_slice(&bytes).map_err(|e| body_error(&e))?;
            serde_json::from_value(value)
                .map(|v| Self(Some(v)))
                .map_err(|e| body_error(&e).into())
        })
    }
}
