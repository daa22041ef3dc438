//! Roles (R4): named rights templates. A member with a role has the role's rights and hidden
//! sections, and a change to the role reaches its members at once.

use serde::{Deserialize, Serialize};

use crate::{
    rights::{Narrowing, Rights, Section},
    Id,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Role {
    pub id: Id,
    pub name: String,
    pub rights: Rights,
    pub hidden_sections: Vec<Section>,
    /// Members (active or not) with this role.
    pub members: u64,
}

/// A role as lists of members show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleSummary {
    pub id: Id,
    pub name: String,
}

/// `POST /api/v1/roles`, `PUT /api/v1/roles/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub name: String,
    pub rights: Rights,
    #[serde(default)]
    pub hidden_sections: Vec<Section>,
}

/// A saved role and the rights its dependencies narrowed (R2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleSaved {
    pub role: Role,
    pub narrowed: Vec<Narrowing>,
}
