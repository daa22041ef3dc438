//! The CRM core (C1–C5) that rights act on and deactivation reassigns: leads, contacts,
//! companies, tasks, their custom fields and the leads' timelines. Bodies and validation only;
//! which records a member may touch is [`crate::rights`]'s one evaluation.

/// The account's members as every member sees them.
pub mod colleagues;
/// Lead timeline events (C4).
pub mod events;
/// Custom field definitions and the validation of their values (C3).
pub mod fields;
/// Leads, contacts, companies and tasks as the API reads and writes them (C2).
pub mod records;

pub use colleagues::Colleague;
pub use events::{EventInput, EventKind, LeadEvent};
pub use fields::{CustomField, CustomFieldInput, CustomValues, FieldKind};
pub use records::*;

use serde::{Deserialize, Serialize};

use crate::{problem::FieldError, Id};

/// A list read newest first in slices: `after` is the last id of the previous slice (keyset
/// pagination stays fast at 10^6 rows, where an offset and a total would scan them all).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slice<T> {
    pub items: Vec<T>,
    /// Pass as `after` for the next slice; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_after: Option<Id>,
}

/// How many items a slice holds by default and at most.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 250;

/// The slice size asked for, within bounds.
#[must_use]
pub fn limit(asked: Option<u64>) -> u64 {
    asked.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

/// A record's name (a lead's, contact's, company's): 1–255 characters, runs of spaces collapsed.
///
/// # Errors
/// `name_empty` or `name_too_long` on `field`.
pub fn parse_name(field: &str, raw: &str) -> Result<String, FieldError> {
    bounded_text(field, raw, 255)
}

/// Free text bounded in characters, trimmed; empty is refused.
///
/// # Errors
/// `{field}_empty` or `{field}_too_long`.
pub fn bounded_text(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            &format!("{field}_empty"),
            format!("enter the {field}"),
        ));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(
            field,
            &format!("{field}_too_long"),
            format!("the {field} is longer than {max} characters"),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("name", "  Сделка   №1 ").unwrap(), "Сделка №1");
        assert_eq!(parse_name("name", " ").unwrap_err().code, "name_empty");
        assert_eq!(
            parse_name("name", &"ж".repeat(256)).unwrap_err().code,
            "name_too_long"
        );
        assert!(parse_name("name", &"ж".repeat(255)).is_ok());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(limit(None), 50);
        assert_eq!(limit(Some(0)), 1);
        assert_eq!(limit(Some(10_000)), 250);
    }
}
