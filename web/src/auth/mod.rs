//! Signing in and out, the steps around it (second factor, forgotten password, pending steps),
//! and the session every page reads.

/// The frame of the pages outside the app.
pub mod card;
/// Accepting an invitation: the invited person chooses their password.
pub mod invitation;
/// A forgotten password: asking for a link, and setting a new password with it.
pub mod password_reset;
/// What a member must do before the app opens.
pub mod pending_step;
/// Who is signed in, and the actions that change it.
pub mod session;
/// The sign-in page, with its second-factor step.
pub mod sign_in;
/// The sign-out button.
pub mod sign_out;
