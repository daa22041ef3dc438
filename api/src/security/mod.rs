//! Account security (SPEC §A4–A5, §P2, §T4, S1, S3): the account's policy and its cache, the
//! brute-force limits, the IP allowlist, the authorization log, and the admin endpoints.

pub mod auth_log;
pub mod policy;
pub mod routes;
pub mod service;
pub mod throttle;
pub mod user_agent;
