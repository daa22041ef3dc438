//! Pipelines and their stages (C1), as rights and the CRM see them.

use serde::{Deserialize, Serialize};

use crate::Id;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pipeline {
    pub id: Id,
    pub name: String,
    pub is_default: bool,
    /// In board order.
    pub stages: Vec<Stage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: Id,
    pub name: String,
    /// `open`, `won` or `lost`.
    pub kind: String,
}
