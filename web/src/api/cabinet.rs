use gatehouse_domain::{
    cabinet::{CabinetSettings, CabinetSettingsInput, ChatInput, ChatMessage},
    problem::ErrorCode,
    Id,
};
use leptos::prelude::GetValue;
use reqwest::Response;

use super::{decode_error, json, present, read, with_query, Api, ApiError, Method};

const SETTINGS: &str = "/api/v1/cabinet-settings";
const LOGO: &str = "/api/v1/cabinet-settings/logo";

impl Api {
    /// The cabinet's settings with its link (administrators only, as every settings call).
    ///
    /// # Errors
    /// `forbidden`, or any error of an authorized call.
    pub async fn cabinet_settings(self) -> Result<CabinetSettings, ApiError> {
        self.get(SETTINGS).await
    }

    /// Saves every setting but the logo; the saved settings come back with the link.
    ///
    /// # Errors
    /// `validation_failed` with field errors (`login_template`, `fields[1].alias`, …), or any
    /// error of an authorized call.
    pub async fn save_cabinet_settings(
        self,
        input: &CabinetSettingsInput,
    ) -> Result<CabinetSettings, ApiError> {
        read(
            self.authorized(Method::PUT, SETTINGS, Some(json(input)?))
                .await?,
        )
        .await
    }

    /// Uploads the logo as the PNG file's own bytes (the server decodes it to check it); the
    /// settings come back with the new `logo_url`.
    ///
    /// # Errors
    /// `validation_failed` on `logo` (`logo_not_png`, `logo_too_small`, `logo_too_large`),
    /// `payload_too_large` over 500 KB, or any error of an authorized call.
    pub async fn upload_logo(self, png: Vec<u8>) -> Result<CabinetSettings, ApiError> {
        // The body is not JSON, so it does not go through `authorized`; the same one refresh
        // of an expired token applies.
        let token = match self.access_token.get_value() {
            Some(token) => token,
            None => self.refresh().await?.access_token,
        };
        let response = match put_png(png.clone(), &token).await {
            Err(error) if error.code() == Some(ErrorCode::InvalidToken) => {
                let fresh = match self.access_token.get_value() {
                    Some(current) if current != token => current,
                    _ => self.refresh().await?.access_token,
                };
                put_png(png, &fresh).await?
            }
            other => other?,
        };
        read(response).await
    }

    /// Removes the logo.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn remove_logo(self) -> Result<(), ApiError> {
        self.authorized(Method::DELETE, LOGO, None).await?;
        Ok(())
    }

    /// The lead's chat with its client, in id order: the latest messages without `after`, else
    /// those after it — waiting up to `wait` seconds (at most 25) for one when none is new.
    ///
    /// # Errors
    /// `not_found` (also for a lead the member may not view), or any error of an authorized
    /// call.
    pub async fn lead_messages(
        self,
        lead: Id,
        after: Option<Id>,
        wait: u32,
    ) -> Result<Vec<ChatMessage>, ApiError> {
        let params = present(vec![
            ("after", after.map(|id| id.to_string())),
            ("wait", Some(wait.to_string())),
        ]);
        self.get(&with_query(
            &format!("/api/v1/leads/{lead}/messages"),
            &params,
        ))
        .await
    }

    /// The manager's answer in the lead's chat.
    ///
    /// # Errors
    /// `forbidden` (no right to edit the lead), `validation_failed` on `text`, or any error of
    /// an authorized call.
    pub async fn send_lead_message(
        self,
        lead: Id,
        input: &ChatInput,
    ) -> Result<ChatMessage, ApiError> {
        read(
            self.authorized(
                Method::POST,
                &format!("/api/v1/leads/{lead}/messages"),
                Some(json(input)?),
            )
            .await?,
        )
        .await
    }
}

async fn put_png(png: Vec<u8>, token: &str) -> Result<Response, ApiError> {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or(ApiError::Network)?;
    let response = reqwest::Client::new()
        .put(format!("{origin}{LOGO}"))
        .header(
            gatehouse_domain::auth::CLIENT_HEADER,
            gatehouse_domain::auth::WEB_CLIENT,
        )
        .header(
            reqwest::header::ACCEPT,
            "application/json, application/problem+json",
        )
        .header(reqwest::header::CONTENT_TYPE, "image/png")
        .bearer_auth(token)
        .body(png)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(decode_error(response).await)
    }
}
