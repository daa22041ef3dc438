use serde::{Deserialize, Serialize};

use crate::Id;

/// An account as shown in account pickers and on the profile page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: Id,
    pub name: String,
}
