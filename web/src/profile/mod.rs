//! The member's own profile: personal details, and their security.

/// The personal details page.
pub mod page;
/// Changing one's own password.
pub mod password;
/// The security page: password, second factor, sessions.
pub mod security_page;
/// The member's sessions.
pub mod sessions;
/// The title and tabs of the profile area.
pub mod tabs;
/// The member's second factor.
pub mod two_factor;
