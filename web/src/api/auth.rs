use futures::future::FutureExt;
use gatehouse_domain::{
    auth::{
        CompletePasswordReset, LoginRequest, PasswordResetRequest, RefreshRequest,
        SecondFactorRequest, SignInResult, SignedIn, SwitchAccountRequest,
    },
    Id,
};
use leptos::prelude::*;

use super::{json, read, send, Api, ApiError, Method};

const LOGIN: &str = "/api/v1/auth/login";
const SECOND_FACTOR: &str = "/api/v1/auth/login/second-factor";
const REFRESH: &str = "/api/v1/auth/refresh";
const LOGOUT: &str = "/api/v1/auth/logout";
const SWITCH_ACCOUNT: &str = "/api/v1/auth/switch-account";
const PASSWORD_RESET: &str = "/api/v1/auth/password-reset";
const PASSWORD_RESET_COMPLETE: &str = "/api/v1/auth/password-reset/complete";

impl Api {
    /// Checks e-mail and password; the server sets the refresh cookie when no second factor
    /// is needed, else answers with a ticket for [`Api::second_factor`].
    ///
    /// # Errors
    /// `invalid_credentials`, `member_deactivated`, `not_a_member`, `ip_not_allowed`,
    /// `sign_in_locked`, `validation_failed`, `rate_limited`, `server_busy`, or a network failure.
    pub async fn login(self, request: &LoginRequest) -> Result<SignInResult, ApiError> {
        let response = send(Method::POST, LOGIN, Some(json(request)?), None).await?;
        let result: SignInResult = read(response).await?;
        if let SignInResult::SignedIn(signed_in) = &result {
            self.remember(signed_in);
        }
        Ok(result)
    }

    /// The second step of a two-factor sign-in: the ticket and a TOTP or recovery code.
    ///
    /// # Errors
    /// `invalid_second_factor`, `invalid_ticket` (start again), `sign_in_locked`, or a network
    /// failure.
    pub async fn second_factor(self, request: &SecondFactorRequest) -> Result<SignedIn, ApiError> {
        let response = send(Method::POST, SECOND_FACTOR, Some(json(request)?), None).await?;
        let signed_in: SignedIn = read(response).await?;
        self.remember(&signed_in);
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
                    let result = refresh_once().await;
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
        match self.authorized(Method::POST, LOGOUT, None).await {
            Ok(_) => {
                self.forget();
                Ok(())
            }
            Err(error) if error.ends_session() || error.needs_pending_step() => {
                self.forget();
                Ok(())
            }
            Err(error) => Err(error),
        }
    }

    /// Gets tokens for another account of the same identity (A6).
    ///
    /// # Errors
    /// `not_a_member`, `member_deactivated`, or any error of an authorized call.
    pub async fn switch_account(self, account_id: Id) -> Result<SignedIn, ApiError> {
        let request = SwitchAccountRequest { account_id };
        let signed_in: SignedIn = read(
            self.authorized(Method::POST, SWITCH_ACCOUNT, Some(json(&request)?))
                .await?,
        )
        .await?;
        self.remember(&signed_in);
        Ok(signed_in)
    }

    /// Asks for a reset link by e-mail. The answer is the same whether the e-mail is known or
    /// not (A7), so success says only that the request was taken.
    ///
    /// # Errors
    /// `validation_failed`, `rate_limited`, or a network failure.
    pub async fn request_password_reset(self, email: String) -> Result<(), ApiError> {
        let request = PasswordResetRequest { email };
        send(Method::POST, PASSWORD_RESET, Some(json(&request)?), None).await?;
        Ok(())
    }

    /// Sets a new password with the token of a mailed link; every session of the person ends.
    ///
    /// # Errors
    /// `invalid_reset_token`, `validation_failed` with field errors on `new_password`, or a
    /// network failure.
    pub async fn complete_password_reset(
        self,
        request: &CompletePasswordReset,
    ) -> Result<(), ApiError> {
        send(
            Method::POST,
            PASSWORD_RESET_COMPLETE,
            Some(json(request)?),
            None,
        )
        .await?;
        Ok(())
    }
}

/// One refresh request, whoever waits for it.
async fn refresh_once() -> Result<SignedIn, ApiError> {
    let body = json(&RefreshRequest::default())?;
    read(send(Method::POST, REFRESH, Some(body), None).await?).await
}
