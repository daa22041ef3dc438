//! The member's own profile.

/// The profile page.
pub mod page;
