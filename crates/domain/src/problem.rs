use serde::{Deserialize, Serialize};

/// Declares [`ErrorCode`] from one table: variant, wire code, HTTP status, English title.
macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $title:literal;)*) => {
        /// Every error the API can answer with, by its stable machine-readable code.
        ///
        /// The codes are a contract with integrators and with the web app, which translates them:
        /// a code, once published, keeps its meaning and its one HTTP status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $(#[doc = $title] $variant,)*
        }

        impl ErrorCode {
            /// Every code, for exhaustive checks (translations, documentation).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as it appears on the wire.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status this code is always sent with.
            #[must_use]
            pub const fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* }
            }

            /// The short English title of the problem (RFC 9457 `title`).
            #[must_use]
            pub const fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title,)* }
            }
        }
    };
}

error_codes! {
    MalformedJson = "malformed_json", 400, "The request body is not valid JSON";
    InvalidBody = "invalid_body", 400, "The request body does not match the expected shape";
    InvalidPath = "invalid_path", 400, "A path parameter is invalid";
    InvalidQuery = "invalid_query", 400, "A query parameter is invalid";
    Unauthenticated = "unauthenticated", 401, "Sign-in is required";
    InvalidToken = "invalid_token", 401, "The access token is invalid or expired";
    InvalidCredentials = "invalid_credentials", 401, "Wrong e-mail or password";
    SessionEnded = "session_ended", 401, "The session has ended; sign in again";
    InvalidRefreshToken = "invalid_refresh_token", 401, "The refresh token is invalid or expired";
    InvalidSecondFactor = "invalid_second_factor", 401, "The code is wrong or was already used";
    InvalidTicket = "invalid_ticket", 401, "The sign-in step has expired; enter your password again";
    RefreshTokenReused = "refresh_token_reused", 401, "The refresh token was already used; the session has been ended";
    InvalidSmsCode = "invalid_sms_code", 401, "The code is wrong or has expired; ask for a new one";
    Forbidden = "forbidden", 403, "You do not have the right to do this";
    MemberDeactivated = "member_deactivated", 403, "This user is deactivated in the account";
    NotAMember = "not_a_member", 403, "You are not a member of this account";
    IpNotAllowed = "ip_not_allowed", 403, "Sign-in from this IP address is not allowed in this account";
    PasswordChangeRequired = "password_change_required", 403, "Choose a new password before going on";
    TwoFactorEnrolmentRequired = "two_factor_enrolment_required", 403, "Turn on two-factor authentication before going on";
    InvalidResetToken = "invalid_reset_token", 400, "The password reset link is invalid, used or expired";
    InvalidInvitation = "invalid_invitation", 400, "The invitation link is invalid, used or expired";
    NotFound = "not_found", 404, "Not found";
    CabinetUnavailable = "cabinet_unavailable", 404, "This client cabinet is not open";
    RouteNotFound = "route_not_found", 404, "No such endpoint";
    MethodNotAllowed = "method_not_allowed", 405, "This method is not allowed on this endpoint";
    Conflict = "conflict", 409, "The request conflicts with the current state";
    EmailTaken = "email_taken", 409, "This e-mail is already in use";
    IdentityExists = "identity_exists", 409, "A person with this e-mail already exists; add them as they are";
    AlreadyMember = "already_member", 409, "This person is already a member of the account";
    SeatsExhausted = "seats_exhausted", 409, "All licence seats are taken";
    LastAdmin = "last_admin", 409, "The account must keep at least one active administrator";
    SelfDemotion = "self_demotion", 409, "This takes away your own administrator rights; confirm to go on";
    SelfDeactivation = "self_deactivation", 409, "You cannot deactivate yourself; another administrator can";
    GroupNotEmpty = "group_not_empty", 409, "The group has members; move them to another group first";
    DefaultGroupLocked = "default_group_locked", 409, "The default group cannot be renamed or deleted";
    RoleInUse = "role_in_use", 409, "Members have this role; give them another role first";
    NameTaken = "name_taken", 409, "This name is already used";
    IdentityInOtherAccounts = "identity_in_other_accounts", 409, "This person also belongs to other accounts; send them a reset link instead";
    AllowlistLocksYouOut = "allowlist_locks_you_out", 409, "This list would shut you out: your address is not on it";
    TwoFactorAlreadyEnabled = "two_factor_already_enabled", 409, "Two-factor authentication is already on";
    TwoFactorNotEnabled = "two_factor_not_enabled", 409, "Two-factor authentication is off";
    TwoFactorNotPending = "two_factor_not_pending", 409, "Start the enrolment first";
    TwoFactorRequired = "two_factor_required", 409, "The account requires two-factor authentication; it cannot be turned off";
    PayloadTooLarge = "payload_too_large", 413, "The request body is too large";
    UnsupportedMediaType = "unsupported_media_type", 415, "Unsupported content type; send application/json";
    ValidationFailed = "validation_failed", 422, "Some values are invalid";
    RateLimited = "rate_limited", 429, "Too many requests; try again later";
    SignInLocked = "sign_in_locked", 429, "Too many failed sign-ins; try again later";
    Internal = "internal", 500, "Internal error";
    ServerBusy = "server_busy", 503, "The server is busy; try again in a moment";
    ServiceUnavailable = "service_unavailable", 503, "The service is temporarily unavailable";
}

/// One invalid field of a request, with its own stable code (e.g. `name_too_long`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as in the request body.
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    #[must_use]
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// The RFC 9457 problem+json body of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Always `about:blank`: the `code` is the machine-readable type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With `seats_exhausted`: the seats used and in total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats: Option<crate::accounts::Seats>,
    /// With `identity_exists`: the person's name, as they set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// With `group_not_empty` and `role_in_use`: how many members stand in the way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
}

impl Problem {
    #[must_use]
    pub fn new(code: ErrorCode) -> Self {
        Self {
            kind: "about:blank".to_owned(),
            title: code.title().to_owned(),
            status: code.status(),
            detail: None,
            code,
            errors: Vec::new(),
            seats: None,
            name: None,
            count: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case_on_the_wire() {
        let json = serde_json::to_string(&ErrorCode::RefreshTokenReused).unwrap();
        assert_eq!(json, "\"refresh_token_reused\"");
        assert_eq!(
            ErrorCode::RefreshTokenReused.as_str(),
            "refresh_token_reused"
        );
        assert_eq!(ErrorCode::MalformedJson.as_str(), "malformed_json");
    }

    #[test]
    fn wire_codes_agree_with_serde_and_statuses_are_errors() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert!((400..600).contains(&code.status()), "{code:?}");
        }
    }
}
