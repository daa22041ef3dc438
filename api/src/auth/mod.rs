//! Sign-in and sessions (A1–A3, A6, A8, A9): password hashing, access tokens, the session check
//! behind every authenticated request, and the `/auth` endpoints.

pub mod member;
pub mod password;
pub mod reset;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod two_factor;

pub use member::Member;
