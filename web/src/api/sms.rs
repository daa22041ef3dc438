use gatehouse_domain::{
    page::Page,
    sms::{SmsMessage, SmsProvider, SmsProviderInput, SmsStatus, SmsTestInput},
    Id,
};

use super::{json, present, read, with_query, Api, ApiError, Method};

const PROVIDERS: &str = "/api/v1/sms-providers";
const MESSAGES: &str = "/api/v1/sms-messages";

impl Api {
    /// The account's SMS providers (administrators only, as every call here).
    ///
    /// # Errors
    /// `forbidden`, or any error of an authorized call.
    pub async fn sms_providers(self) -> Result<Vec<SmsProvider>, ApiError> {
        self.get(PROVIDERS).await
    }

    /// Adds a provider (`id` absent) or changes one; the saved provider comes back.
    ///
    /// # Errors
    /// `validation_failed` with field errors (`name`, `webhook.url`, …), `not_found`, or any
    /// error of an authorized call.
    pub async fn save_sms_provider(
        self,
        id: Option<Id>,
        input: &SmsProviderInput,
    ) -> Result<SmsProvider, ApiError> {
        let (method, path) = match id {
            Some(id) => (Method::PUT, format!("{PROVIDERS}/{id}")),
            None => (Method::POST, PROVIDERS.to_owned()),
        };
        read(self.authorized(method, &path, Some(json(input)?)).await?).await
    }

    /// Deletes a provider.
    ///
    /// # Errors
    /// `not_found`, a conflict while the cabinet sends through it, or any error of an
    /// authorized call.
    pub async fn delete_sms_provider(self, id: Id) -> Result<(), ApiError> {
        self.authorized(Method::DELETE, &format!("{PROVIDERS}/{id}"), None)
            .await?;
        Ok(())
    }

    /// Sends a test SMS through a provider; it joins the log.
    ///
    /// # Errors
    /// `validation_failed` on `phone`, `not_found`, or any error of an authorized call.
    pub async fn test_sms_provider(self, id: Id, input: &SmsTestInput) -> Result<(), ApiError> {
        self.authorized(
            Method::POST,
            &format!("{PROVIDERS}/{id}/test"),
            Some(json(input)?),
        )
        .await?;
        Ok(())
    }

    /// One page of the SMS log, newest first, of one status or all.
    ///
    /// # Errors
    /// `forbidden`, or any error of an authorized call.
    pub async fn sms_messages(
        self,
        page: u64,
        per_page: u64,
        status: Option<SmsStatus>,
    ) -> Result<Page<SmsMessage>, ApiError> {
        let params = present(vec![
            ("page", Some(page.to_string())),
            ("per_page", Some(per_page.to_string())),
            ("status", status.map(|s| s.as_str().to_owned())),
        ]);
        self.get(&with_query(MESSAGES, &params)).await
    }
}
