//! The API's black-box tests: each starts the real server on port 0 with a fresh database, and
//! each runs twice, on SQLite and on PostgreSQL (see `helpers::both_databases!`).

mod helpers;

mod auth;
mod cli;
mod errors;
mod forgery;
mod openapi;
mod profile;
