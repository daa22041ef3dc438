//! The client cabinet (K1–K7): the settings administrators keep, and the cabinet's own
//! endpoints for the CRM's clients — SMS sign-in, their leads, the chat, the download and
//! erasure of their data. Cabinet sessions are a principal of their own ([`client::Client`]):
//! their tokens open the cabinet's endpoints and nothing else, and staff tokens open none of
//! them.

pub mod admin;
pub mod admin_routes;
pub mod chat;
pub mod client;
pub mod erasure;
pub mod routes;
pub mod settings;
pub mod sign_in;
pub mod view;

pub fn config(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    admin_routes::config(cfg);
    routes::config(cfg);
}
