//! The members of an account as administrators manage them (U3–U10): the list with its filters
//! and seat counter, adding (with invitations) and editing members, bulk acts, and acts on a
//! member's sign-in (P3, T3, A4, A5). Members are named by their membership id; another
//! account's id is 404, like one that does not exist.

pub mod bulk;
pub mod invitations;
pub mod list;
pub mod members;
pub mod routes;
pub mod service;
