//! sea-orm entities: one file per table, rows as the database holds them. Response bodies are
//! the domain crate's types, never these.

pub mod accounts;
pub mod groups;
pub mod identities;
pub mod memberships;
pub mod pipelines;
pub mod refresh_tokens;
pub mod sessions;
pub mod signing_keys;
pub mod stages;
