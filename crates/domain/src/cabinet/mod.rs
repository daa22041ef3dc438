//! The client cabinet (K1–K7): the settings administrators keep, and what the CRM's clients see
//! and do in it — sign in by SMS code, follow their leads, chat with their manager, download and
//! erase their personal data.

/// What the client sees and does, as the cabinet's endpoints speak of it.
pub mod client;
/// The settings (K1) and their rules.
pub mod settings;

pub use client::*;
pub use settings::*;
