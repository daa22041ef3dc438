use gatehouse_domain::{
    profile::{
        ChangePassword, ConfirmTwoFactor, DisableTwoFactor, Me, RecoveryCodes,
        RegenerateRecoveryCodes, SessionView, TwoFactorEnrolment, TwoFactorStatus, UpdateMe,
    },
    users::SessionsEnded,
    Id,
};

use super::{json, read, Api, ApiError, Method};

const ME: &str = "/api/v1/me";
const PASSWORD: &str = "/api/v1/me/password";
const SESSIONS: &str = "/api/v1/me/sessions";
const END_OTHER_SESSIONS: &str = "/api/v1/me/sessions/end-others";
const TWO_FACTOR: &str = "/api/v1/me/two-factor";
const ENROLMENT: &str = "/api/v1/me/two-factor/enrolment";
const CONFIRM: &str = "/api/v1/me/two-factor/confirm";
const DISABLE: &str = "/api/v1/me/two-factor/disable";
const RECOVERY_CODES: &str = "/api/v1/me/two-factor/recovery-codes";

impl Api {
    /// The signed-in member as they see themselves.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn me(self) -> Result<Me, ApiError> {
        self.get(ME).await
    }

    /// Changes the member's own name or language.
    ///
    /// # Errors
    /// `validation_failed` with field errors (`name_empty`, `name_too_long`, …), or any error of
    /// an authorized call.
    pub async fn update_me(self, changes: &UpdateMe) -> Result<Me, ApiError> {
        read(
            self.authorized(Method::PATCH, ME, Some(json(changes)?))
                .await?,
        )
        .await
    }

    /// Changes the member's own password (P1); the server ends their other sessions.
    ///
    /// # Errors
    /// `validation_failed` with `current_password` (`wrong_password`) or `new_password`
    /// (`password_*`) field errors, or any error of an authorized call.
    pub async fn change_password(self, request: &ChangePassword) -> Result<(), ApiError> {
        self.authorized(Method::PUT, PASSWORD, Some(json(request)?))
            .await?;
        Ok(())
    }

    /// The member's live sessions, this one marked `current`.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn sessions(self) -> Result<Vec<SessionView>, ApiError> {
        self.get(SESSIONS).await
    }

    /// Ends one of the member's sessions.
    ///
    /// # Errors
    /// `not_found` for a session that is not theirs or already over, or any error of an
    /// authorized call.
    pub async fn end_session(self, id: Id) -> Result<(), ApiError> {
        self.authorized(Method::DELETE, &format!("{SESSIONS}/{id}"), None)
            .await?;
        Ok(())
    }

    /// Ends every session of the member but this one.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn end_other_sessions(self) -> Result<SessionsEnded, ApiError> {
        read(
            self.authorized(Method::POST, END_OTHER_SESSIONS, None)
                .await?,
        )
        .await
    }

    /// Whether the member's second factor is on, and whether the account requires it.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn two_factor(self) -> Result<TwoFactorStatus, ApiError> {
        self.get(TWO_FACTOR).await
    }

    /// A new TOTP secret to put in an authenticator app; on only once confirmed.
    ///
    /// # Errors
    /// `two_factor_already_enabled`, or any error of an authorized call.
    pub async fn start_two_factor(self) -> Result<TwoFactorEnrolment, ApiError> {
        read(self.authorized(Method::POST, ENROLMENT, None).await?).await
    }

    /// Turns the second factor on with a code from the app; the answer's recovery codes are
    /// never shown again.
    ///
    /// # Errors
    /// `validation_failed` with `code` (`invalid_code`), `two_factor_not_pending`, or any error
    /// of an authorized call.
    pub async fn confirm_two_factor(self, code: String) -> Result<RecoveryCodes, ApiError> {
        let request = ConfirmTwoFactor { code };
        read(
            self.authorized(Method::POST, CONFIRM, Some(json(&request)?))
                .await?,
        )
        .await
    }

    /// Turns the second factor off (T3).
    ///
    /// # Errors
    /// `validation_failed` with `password` or `code` field errors, `two_factor_required`,
    /// `two_factor_not_enabled`, or any error of an authorized call.
    pub async fn disable_two_factor(self, request: &DisableTwoFactor) -> Result<(), ApiError> {
        self.authorized(Method::POST, DISABLE, Some(json(request)?))
            .await?;
        Ok(())
    }

    /// New recovery codes in place of the old ones.
    ///
    /// # Errors
    /// `validation_failed` with a `password` field error, `two_factor_not_enabled`, or any error
    /// of an authorized call.
    pub async fn regenerate_recovery_codes(
        self,
        password: String,
    ) -> Result<RecoveryCodes, ApiError> {
        let request = RegenerateRecoveryCodes { password };
        read(
            self.authorized(Method::POST, RECOVERY_CODES, Some(json(&request)?))
                .await?,
        )
        .await
    }
}
