//! Mail Gatehouse sends, as administrators see it.

/// The outbox page.
pub mod outbox;
