//! Roles (R4): named rights templates. Members with a role have its rights and hidden sections;
//! rights are read per request, so a change to a role reaches its members at once.

pub mod routes;
pub mod service;
