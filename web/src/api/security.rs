use gatehouse_domain::{
    page::Page,
    security::{AllowlistView, AuthLogEntry, AuthLogQuery, SaveAllowlist, SecuritySettings},
    users::{MemberSecurity, SessionsEnded, SetPassword},
    Id,
};

use super::{instant, json, present, read, read_text, with_query, Api, ApiError, Method};

const SETTINGS: &str = "/api/v1/security/settings";
const ALLOWLIST: &str = "/api/v1/security/allowlist";
const MEMBERS: &str = "/api/v1/security/members";
const AUTH_LOG: &str = "/api/v1/security/auth-log";
const AUTH_LOG_EXPORT: &str = "/api/v1/security/auth-log/export";
const USERS: &str = "/api/v1/users";

impl Api {
    /// The account's security settings (administrators only, as every call here).
    ///
    /// # Errors
    /// `forbidden` for members who are not administrators, or any error of an authorized call.
    pub async fn security_settings(self) -> Result<SecuritySettings, ApiError> {
        self.get(SETTINGS).await
    }

    /// Saves the security settings as a whole.
    ///
    /// # Errors
    /// `validation_failed` with field errors as in `SecuritySettings::validate`, or any error
    /// of an authorized call.
    pub async fn save_security_settings(
        self,
        settings: &SecuritySettings,
    ) -> Result<SecuritySettings, ApiError> {
        read(
            self.authorized(Method::PUT, SETTINGS, Some(json(settings)?))
                .await?,
        )
        .await
    }

    /// The IP allowlist and the administrator's own address as the server sees it.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn allowlist(self) -> Result<AllowlistView, ApiError> {
        self.get(ALLOWLIST).await
    }

    /// Saves the IP allowlist.
    ///
    /// # Errors
    /// `allowlist_locks_you_out` unless `confirm_lockout` is set, `validation_failed` with
    /// `entries[n].range` field errors, or any error of an authorized call.
    pub async fn save_allowlist(self, request: &SaveAllowlist) -> Result<AllowlistView, ApiError> {
        read(
            self.authorized(Method::PUT, ALLOWLIST, Some(json(request)?))
                .await?,
        )
        .await
    }

    /// Every member with their second factor, lock and sessions.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn member_security(self) -> Result<Vec<MemberSecurity>, ApiError> {
        self.get(MEMBERS).await
    }

    /// One page of the authorization log.
    ///
    /// # Errors
    /// `invalid_query`, or any error of an authorized call.
    pub async fn auth_log(self, query: &AuthLogQuery) -> Result<Page<AuthLogEntry>, ApiError> {
        self.get(&with_query(AUTH_LOG, &auth_log_params(query)))
            .await
    }

    /// The authorization log as CSV, with the same filters (paging ignored by the server).
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn export_auth_log(self, query: &AuthLogQuery) -> Result<String, ApiError> {
        let path = with_query(AUTH_LOG_EXPORT, &auth_log_params(query));
        read_text(self.authorized(Method::GET, &path, None).await?).await
    }

    /// Sets a member's password (P3); their sessions end.
    ///
    /// # Errors
    /// `identity_in_other_accounts` (only a reset link may be sent), `validation_failed` with
    /// `password` field errors, or any error of an authorized call.
    pub async fn set_member_password(
        self,
        member: Id,
        request: &SetPassword,
    ) -> Result<(), ApiError> {
        self.authorized(
            Method::PUT,
            &format!("{USERS}/{member}/password"),
            Some(json(request)?),
        )
        .await?;
        Ok(())
    }

    /// Mails the member a password reset link.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn send_member_reset_link(self, member: Id) -> Result<(), ApiError> {
        self.authorized(
            Method::POST,
            &format!("{USERS}/{member}/password-reset"),
            None,
        )
        .await?;
        Ok(())
    }

    /// Turns a member's second factor off, for one who lost their device (T3).
    ///
    /// # Errors
    /// `two_factor_not_enabled`, or any error of an authorized call.
    pub async fn reset_member_two_factor(self, member: Id) -> Result<(), ApiError> {
        self.authorized(
            Method::DELETE,
            &format!("{USERS}/{member}/two-factor"),
            None,
        )
        .await?;
        Ok(())
    }

    /// Ends every session of a member.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn end_member_sessions(self, member: Id) -> Result<SessionsEnded, ApiError> {
        read(
            self.authorized(
                Method::POST,
                &format!("{USERS}/{member}/sessions/end"),
                None,
            )
            .await?,
        )
        .await
    }

    /// Lifts a sign-in lock of a member before it runs out (A5).
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn unlock_member(self, member: Id) -> Result<(), ApiError> {
        self.authorized(Method::POST, &format!("{USERS}/{member}/unlock"), None)
            .await?;
        Ok(())
    }
}

/// The filters as query parameters, absent ones left out.
fn auth_log_params(query: &AuthLogQuery) -> Vec<(&'static str, String)> {
    present(vec![
        ("member_id", query.member_id.map(|id| id.to_string())),
        (
            "outcome",
            query.outcome.map(|outcome| outcome.as_str().to_owned()),
        ),
        ("ip", query.ip.clone()),
        ("from", query.from.map(instant)),
        ("to", query.to.map(instant)),
        ("page", query.page.map(|page| page.to_string())),
        ("per_page", query.per_page.map(|n| n.to_string())),
    ])
}
