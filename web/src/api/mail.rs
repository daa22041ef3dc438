use gatehouse_domain::{mail::OutboxMessage, page::Page};

use super::{with_query, Api, ApiError};

const OUTBOX: &str = "/api/v1/outbox";

impl Api {
    /// One page of the mail outbox, newest first (administrators only).
    ///
    /// # Errors
    /// `forbidden`, or any error of an authorized call.
    pub async fn outbox(self, page: u64, per_page: u64) -> Result<Page<OutboxMessage>, ApiError> {
        let params = [
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ];
        self.get(&with_query(OUTBOX, &params)).await
    }
}
