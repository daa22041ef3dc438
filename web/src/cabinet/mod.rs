//! The client cabinet: the cabinet app the CRM's clients use on their phones (its own bundle,
//! `gatehouse-cabinet`), and the cabinet's settings screen for administrators (in the CRM
//! workspace's bundle).

// The clients' app. None of it uses the admin app's modules (texts, layout, API client): the
// cabinet's download holds only what clients need (SPEC Q4: 250 KB).
/// The cabinet's typed API client and its token.
mod api;
/// The router and the frame that loads the cabinet's appearance.
pub mod app;
/// The chat with the manager, live through long polls.
mod chat;
/// The client's data: download and erasure.
mod erasure;
/// The home page: the client's deals.
mod home;
/// A deal's page.
mod lead;
/// The context, the top bar, the language switch and small shared pieces.
mod parts;
/// The cabinet's settings screen for administrators (the CRM workspace's, not the clients').
pub mod settings;
/// Signing in by phone and SMS code.
mod sign_in;
/// The cabinet's texts in ru, en, es and pt.
mod texts;
