//! The signed-in member's own view: `GET /me` and `PATCH /me`.

pub mod routes;
pub mod service;
