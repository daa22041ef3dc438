//! The account's members as every member sees them: enough to name who is responsible for a
//! record, to evaluate G-level rights in the web app (the responsible member's group) and to
//! pick whom a record goes to.

use serde::{Deserialize, Serialize};

use crate::Id;

/// One member of the account in the directory (`GET /api/v1/members`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleague {
    /// The membership id, as records' `responsible_id` names it.
    pub id: Id,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Id>,
    /// Deactivated members stay listed: records and history still name them (D4).
    pub is_active: bool,
    /// Free users take part in leads but are never responsible for records (U8).
    pub is_free: bool,
}
