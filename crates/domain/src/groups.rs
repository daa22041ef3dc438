//! Groups of members (R5): G-level rights compare the responsible member's group with one's own.

use serde::{Deserialize, Serialize};

use crate::{problem::FieldError, Id};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Group {
    pub id: Id,
    pub name: String,
    /// The account's default group: it cannot be renamed or deleted; new members join it.
    pub is_default: bool,
    /// Members (active or not) in the group.
    pub members: u64,
}

/// `POST /api/v1/groups`, `PUT /api/v1/groups/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    pub name: String,
}

/// A group's or a role's name: 1–100 characters, not only spaces; runs of spaces collapse.
///
/// # Errors
/// `name_empty` or `name_too_long` for the `name` field.
pub fn parse_title(raw: &str) -> Result<String, FieldError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(FieldError::new("name", "name_empty", "enter a name"));
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new(
            "name",
            "name_too_long",
            "the name is longer than 100 characters",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(parse_title("  Отдел   продаж ").unwrap(), "Отдел продаж");
        assert_eq!(parse_title("   ").unwrap_err().code, "name_empty");
        assert_eq!(
            parse_title(&"я".repeat(101)).unwrap_err().code,
            "name_too_long"
        );
        assert!(parse_title(&"я".repeat(100)).is_ok());
    }
}
