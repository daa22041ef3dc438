//! Partial updates: in a `PATCH` body an absent field stays as it is, `null` clears it.

use serde::{Deserialize, Deserializer};

/// For `Option<Option<T>>` fields with `#[serde(default, deserialize_with = "patch::field")]`:
/// absent → `None`, `null` → `Some(None)`, a value → `Some(Some(value))`.
///
/// # Errors
/// When the value is not a `T`.
pub fn field<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
