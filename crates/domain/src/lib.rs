//! Gatehouse's shared types and rules.
//!
//! Everything here is pure — no I/O, no database, no HTTP — so the API and the web app (wasm32)
//! use the very same request and response bodies, validation rules and error codes. Server-only
//! derives (OpenAPI schemas) sit behind the `openapi` feature.

/// Accounts (a company's CRM) as the other areas see them, and their seats.
pub mod accounts;
/// The audit log of administrative acts.
pub mod audit;
/// Sign-in, tokens and account switching.
pub mod auth;
/// The client cabinet: settings, and what the CRM's clients see and do in it.
pub mod cabinet;
/// The CRM core: leads, contacts, companies, tasks, custom fields, timelines.
pub mod crm;
/// Deactivation with reassignment: the request, the durable job, who receives what.
pub mod deactivation;
/// Groups of members.
pub mod groups;
/// The mail outbox.
pub mod mail;
/// One page of a list.
pub mod page;
/// Partial updates (`PATCH` bodies).
pub mod patch;
/// Value types of a person: e-mail, name, language, password.
pub mod people;
/// Pipelines and their stages.
pub mod pipelines;
/// Stable error codes and the problem+json body every error travels in.
pub mod problem;
/// The signed-in member's own view of themselves (`/me`).
pub mod profile;
/// The rights model and its one evaluation.
pub mod rights;
/// Roles: named rights templates.
pub mod roles;
/// Account security: policy, password rules, IP allowlist, authorization log.
pub mod security;
/// SMS: templates, providers and the log of what was sent.
pub mod sms;
/// Case conversion, the same on the server and in the browser.
pub mod text;
/// Members as administrators manage them: the list, seats, adding, editing, bulk acts.
pub mod users;

/// Database ids travel as JSON numbers.
pub type Id = i64;
