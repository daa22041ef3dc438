//! One page of a list (SPEC §3): `?page=&per_page=` with the total.

use serde::{Deserialize, Serialize};

/// A page of items, newest or first by the list's stable order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Items matching the filters, over all pages.
    pub total: u64,
    /// 1-based.
    pub page: u64,
    pub per_page: u64,
}

/// Page parameters after defaults and bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    pub const DEFAULT_PER_PAGE: u64 = 50;
    pub const MAX_PER_PAGE: u64 = 250;

    /// Page 1 and 50 per page when absent; `per_page` above 250 or a page 0 is clamped.
    #[must_use]
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page
                .unwrap_or(Self::DEFAULT_PER_PAGE)
                .clamp(1, Self::MAX_PER_PAGE),
        }
    }

    #[must_use]
    pub const fn offset(self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}
