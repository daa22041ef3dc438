//! Administrators acting on a member's sign-in (P3, T3, A4, A5): set a password or send a reset
//! link, reset the second factor, end sessions, lift a brute-force lock. Members are named by
//! their membership id; another account's id is 404, like one that does not exist.

pub mod routes;
pub mod service;
