//! The Gatehouse server as a library: `startup::Application` builds and runs it, `cli` is the
//! `gatehouse` command, the test suite and the benchmarks start it in-process.

/// Accounts: creation with the first administrator, the demo account.
pub mod accounts;
/// Sign-in, tokens, sessions, password hashing.
pub mod auth;
/// The `gatehouse` command line.
pub mod cli;
/// Flags and environment variables.
pub mod config;
/// Connecting to SQLite or PostgreSQL and migrating.
pub mod db;
/// sea-orm entities.
pub mod entities;
/// The one API error type and its problem+json mapping.
pub mod error;
/// `/healthz` and `/readyz`.
pub mod health;
/// HTTP plumbing shared by the areas.
pub mod http;
/// The OpenAPI document.
pub mod openapi;
/// The signed-in member's own view (`/me`).
pub mod profile;
/// Assembling and running the server.
pub mod startup;
/// What handlers share.
pub mod state;
/// Logging.
pub mod telemetry;
