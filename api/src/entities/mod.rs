//! sea-orm entities: one file per table, rows as the database holds them. Response bodies are
//! the domain crate's types, never these.

pub mod accounts;
pub mod allowlist_entries;
pub mod audit_events;
pub mod auth_log;
pub mod cabinet_codes;
pub mod cabinet_sessions;
pub mod cabinet_settings;
pub mod companies;
pub mod contacts;
pub mod custom_fields;
pub mod groups;
pub mod identities;
pub mod invitations;
pub mod lead_contacts;
pub mod lead_events;
pub mod lead_participants;
pub mod leads;
pub mod memberships;
pub mod outbox_messages;
pub mod password_resets;
pub mod pipelines;
pub mod reassignment_jobs;
pub mod recovery_codes;
pub mod refresh_tokens;
pub mod roles;
pub mod sessions;
pub mod sign_in_failures;
pub mod sign_in_locks;
pub mod sign_in_tickets;
pub mod signing_keys;
pub mod sms_messages;
pub mod sms_providers;
pub mod stages;
pub mod tasks;
