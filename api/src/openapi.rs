//! The OpenAPI document. Routes are registered through `utoipa-actix-web`, so the document
//! follows the router: a handler cannot be served without being described. The committed
//! `openapi/openapi.json` is checked against [`document`] by the test suite.

use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gatehouse API",
        description = "People and access for sales CRMs: accounts, members, sign-in, sessions.\n\n\
            Errors are `application/problem+json` (RFC 9457) with a stable `code`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    components(schemas(gatehouse_domain::problem::Problem, gatehouse_domain::problem::ErrorCode)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Sign-in, tokens, sessions"),
        (name = "profile", description = "The signed-in member: profile, password, two-factor, sessions"),
        (name = "security", description = "Account security settings, IP allowlist, authorization log (administrators)"),
        (name = "users", description = "Members as administrators manage them: list and seats, adding (with invitations), editing, bulk acts, sign-in acts"),
        (name = "deactivation", description = "Deactivating members with the reassignment of their records, and the jobs moving them (administrators)"),
        (name = "groups", description = "Groups of members (administrators)"),
        (name = "roles", description = "Roles: named rights templates (administrators)"),
        (name = "pipelines", description = "Pipelines and their stages"),
        (name = "leads", description = "Leads (deals) and their timelines, under the caller's rights"),
        (name = "contacts", description = "Contacts, under the caller's rights"),
        (name = "companies", description = "Companies, under the caller's rights"),
        (name = "tasks", description = "Tasks, under the caller's rights"),
        (name = "custom-fields", description = "Custom fields of leads, contacts and companies"),
        (name = "members", description = "The directory of the account's members, for every member"),
        (name = "audit", description = "The audit log of administrative acts (administrators)"),
        (name = "mail", description = "The mail outbox (administrators)"),
        (name = "sms", description = "SMS providers and the log of messages sent (administrators)"),
        (name = "cabinet-settings", description = "The client cabinet's settings (administrators)"),
        (name = "cabinet", description = "The client cabinet: the endpoints of the CRM's clients, with a cabinet session token (not a staff token)"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        // The client cabinet's principal: an opaque session token (`gc_…`) from
        // `POST /api/v1/cabinet/{account}/sessions`; staff JWTs are refused there and it is
        // refused everywhere else.
        components.add_security_scheme(
            "cabinet",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("opaque")
                    .description(Some(
                        "A cabinet session token from POST /api/v1/cabinet/{account}/sessions \
                         (opaque, not a JWT); it opens the cabinet's endpoints only",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as the router describes it.
#[must_use]
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = crate::startup::routes(actix_web::App::new()).split_for_parts();
    doc
}

/// The document as committed in `openapi/openapi.json`.
///
/// # Errors
/// Only if serialisation fails.
pub fn document_json() -> Result<String, serde_json::Error> {
    document().to_pretty_json()
}

/// Response sets shared by many endpoints.
pub mod responses {
    use gatehouse_domain::problem::Problem;
    use utoipa::IntoResponses;

    /// A body that is not JSON, not of the right shape, too large, or with invalid values.
    #[derive(IntoResponses)]
    pub enum BodyErrors {
        /// `malformed_json` or `invalid_body`
        #[response(status = 400, content_type = "application/problem+json")]
        Malformed(Problem),
        /// `payload_too_large`
        #[response(status = 413, content_type = "application/problem+json")]
        TooLarge(Problem),
        /// `unsupported_media_type`
        #[response(status = 415, content_type = "application/problem+json")]
        MediaType(Problem),
        /// `validation_failed`, with `errors` per field
        #[response(status = 422, content_type = "application/problem+json")]
        Invalid(Problem),
    }

    /// No valid access token, or its session has ended.
    #[derive(IntoResponses)]
    pub enum SessionErrors {
        /// `unauthenticated`, `invalid_token` or `session_ended`
        #[response(status = 401, content_type = "application/problem+json")]
        Unauthenticated(Problem),
    }

    /// The caller is not an administrator, or an object of another account was named.
    #[derive(IntoResponses)]
    pub enum AdminErrors {
        /// `forbidden` (the detail names the missing right), `ip_not_allowed`,
        /// `password_change_required` or `two_factor_enrolment_required`
        #[response(status = 403, content_type = "application/problem+json")]
        Forbidden(Problem),
        /// `not_found`: no such member in this account
        #[response(status = 404, content_type = "application/problem+json")]
        NotFound(Problem),
    }

    /// The caller's rights (R1–R3) do not admit the act.
    #[derive(IntoResponses)]
    pub enum RightsErrors {
        /// `forbidden`: the record is visible to the caller, the act is not theirs to do
        #[response(status = 403, content_type = "application/problem+json")]
        Forbidden(Problem),
        /// `not_found`: no such record in this account, or one the caller may not view
        #[response(status = 404, content_type = "application/problem+json")]
        NotFound(Problem),
    }

    /// The request conflicts with the current state; the code says how.
    #[derive(IntoResponses)]
    pub enum ConflictError {
        /// See the endpoint's description for its codes
        #[response(status = 409, content_type = "application/problem+json")]
        Conflict(Problem),
    }

    /// The password hashing queue is full; retry after `Retry-After` seconds.
    #[derive(IntoResponses)]
    pub enum BusyError {
        /// `server_busy`
        #[response(status = 503, content_type = "application/problem+json")]
        Busy(Problem),
    }
}
