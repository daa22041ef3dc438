//! Account security for administrators: settings, the IP allowlist, the members' sign-in
//! security, the authorization and audit logs; and the new-password fields every password form shares.

/// The IP allowlist.
pub mod allowlist;
/// The audit log page.
pub mod audit_log;
/// The authorization log page.
pub mod auth_log;
/// The members' sign-in security, and what administrators do about it.
pub mod members;
/// Choosing a new password, with its live rules.
pub mod new_password;
/// The security page.
pub mod page;
/// The account's security settings.
pub mod settings;
