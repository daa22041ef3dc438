//! The API's black-box tests: each starts the real server on port 0 with a fresh database, and
//! each runs twice, on SQLite and on PostgreSQL (see `helpers::both_databases!`).

// A test crate: failing loudly is its job.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod helpers;

mod auth;
mod cabinet;
mod cabinet_settings;
mod cli;
mod crm;
mod deactivation;
mod demo;
mod errors;
mod forgery;
mod openapi;
mod profile;
mod rights_sql;
mod security;
mod sms;
mod team;
