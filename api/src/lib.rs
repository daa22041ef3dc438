//! The Gatehouse server as a library: `startup::Application` builds and runs it, `cli` is the
//! `gatehouse` command, the test suite and the benchmarks start it in-process.

/// Every binary that links the server allocates with mimalloc: requests allocate and free many
/// small buffers across threads, which glibc's malloc serves with arena locks and repeated
/// consolidation.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Accounts: creation with the first administrator, the demo account.
pub mod accounts;
/// The audit log of administrative acts (S2): recording and reading.
pub mod audit;
/// Sign-in, tokens, sessions, password hashing.
pub mod auth;
/// The client cabinet: its settings, and the endpoints of the CRM's clients.
pub mod cabinet;
/// The `gatehouse` command line.
pub mod cli;
/// Flags and environment variables.
pub mod config;
/// The CRM core under the rights model: leads, contacts, companies, tasks, fields, timelines.
pub mod crm;
/// Connecting to SQLite or PostgreSQL and migrating.
pub mod db;
/// Deactivation with reassignment: the act and the durable job moving the records.
pub mod deactivation;
/// Demo data: an account filled with a living CRM, up to 10^6 leads for the benchmarks.
pub mod demo;
/// sea-orm entities.
pub mod entities;
/// The one API error type and its problem+json mapping.
pub mod error;
/// Groups of members.
pub mod groups;
/// `/healthz` and `/readyz`.
pub mod health;
/// HTTP plumbing shared by the areas.
pub mod http;
/// Mail: the outbox and SMTP delivery.
pub mod mail;
/// The OpenAPI document.
pub mod openapi;
/// Pipelines and stages.
pub mod pipelines;
/// The signed-in member's own view (`/me`).
pub mod profile;
/// Rights: a member's access and the SQL form of list filters.
pub mod rights;
/// Roles: named rights templates.
pub mod roles;
/// Account security: policy, brute-force limits, IP allowlist, authorization log.
pub mod security;
/// SMS: the log of what was sent, the providers, delivery.
pub mod sms;
/// Assembling and running the server.
pub mod startup;
/// What handlers share.
pub mod state;
/// Logging.
pub mod telemetry;
/// Members as administrators manage them.
pub mod users;
