//! Section visibility (R6): which sections of the app's left menu a member sees.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Standing;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Dashboard,
    Leads,
    Contacts,
    Companies,
    Tasks,
    Analytics,
    Mail,
    Catalogs,
    Settings,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Dashboard,
        Section::Leads,
        Section::Contacts,
        Section::Companies,
        Section::Tasks,
        Section::Analytics,
        Section::Mail,
        Section::Catalogs,
        Section::Settings,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Dashboard => "dashboard",
            Self::Leads => "leads",
            Self::Contacts => "contacts",
            Self::Companies => "companies",
            Self::Tasks => "tasks",
            Self::Analytics => "analytics",
            Self::Mail => "mail",
            Self::Catalogs => "catalogs",
            Self::Settings => "settings",
        }
    }

    /// The sections a member does not see: what is hidden for them or for their role; a free
    /// user (U8) sees only leads; settings are for administrators.
    #[must_use]
    pub fn hidden(standing: &Standing, own: &[Section], role: &[Section]) -> Vec<Section> {
        let mut hidden: BTreeSet<Section> = own.iter().chain(role).copied().collect();
        match standing {
            Standing::Free => {
                hidden.extend(Self::ALL.into_iter().filter(|s| *s != Self::Leads));
            }
            Standing::Member { .. } => {
                hidden.insert(Self::Settings);
            }
            Standing::Admin => {}
        }
        hidden.into_iter().collect()
    }
}
