use serde::{Deserialize, Serialize};

use crate::Id;

/// An account as shown in account pickers and on the profile page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: Id,
    pub name: String,
}

/// Licence seats (U3): active members that are not free take one; the total is general plus
/// technical seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Seats {
    pub used: u64,
    pub total: u64,
    pub general: u64,
    pub technical: u64,
}

impl Seats {
    #[must_use]
    pub const fn free(&self) -> u64 {
        self.total.saturating_sub(self.used)
    }
}
