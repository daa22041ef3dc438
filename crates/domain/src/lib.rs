//! Gatehouse's shared types and rules.
//!
//! Everything here is pure — no I/O, no database, no HTTP — so the API and the web app (wasm32)
//! use the very same request and response bodies, validation rules and error codes. Server-only
//! derives (OpenAPI schemas) sit behind the `openapi` feature.

/// Accounts (a company's CRM) as the other areas see them.
pub mod accounts;
/// Sign-in, tokens and account switching.
pub mod auth;
/// The mail outbox.
pub mod mail;
/// One page of a list.
pub mod page;
/// Value types of a person: e-mail, name, language, password.
pub mod people;
/// Stable error codes and the problem+json body every error travels in.
pub mod problem;
/// The signed-in member's own view of themselves (`/me`).
pub mod profile;
/// Account security: policy, password rules, IP allowlist, authorization log.
pub mod security;
/// What administrators do to other members' sign-in (password, second factor, sessions).
pub mod users;

/// Database ids travel as JSON numbers.
pub type Id = i64;
