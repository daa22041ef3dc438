//! Signing in and out, and the session every page reads.

/// Who is signed in, and the actions that change it.
pub mod session;
/// The sign-in page.
pub mod sign_in;
/// The sign-out button.
pub mod sign_out;
