//! The signed-in member's own view and own security: `/me`, password, two-factor, sessions.

pub mod password;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod two_factor;
