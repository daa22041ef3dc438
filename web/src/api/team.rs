use gatehouse_domain::{
    audit::{AuditEvent, AuditQuery},
    groups::{Group, GroupInput},
    page::Page,
    pipelines::Pipeline,
    roles::{Role, RoleInput, RoleSaved},
    Id,
};

use super::{instant, json, present, read, with_query, Api, ApiError, Method};

const GROUPS: &str = "/api/v1/groups";
const ROLES: &str = "/api/v1/roles";
const PIPELINES: &str = "/api/v1/pipelines";
const AUDIT_LOG: &str = "/api/v1/audit-log";

impl Api {
    /// The account's groups with their member counts (administrators only, as every call here).
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn groups(self) -> Result<Vec<Group>, ApiError> {
        self.get(GROUPS).await
    }

    /// Adds a group, or renames group `id`.
    ///
    /// # Errors
    /// `name_taken`, `default_group_locked`, `validation_failed` on `name`, or any error of an
    /// authorized call.
    pub async fn save_group(self, id: Option<Id>, input: &GroupInput) -> Result<Group, ApiError> {
        let (method, path) = match id {
            Some(id) => (Method::PUT, format!("{GROUPS}/{id}")),
            None => (Method::POST, GROUPS.to_owned()),
        };
        read(self.authorized(method, &path, Some(json(input)?)).await?).await
    }

    /// # Errors
    /// `group_not_empty` (with the count), `default_group_locked`, or any error of an
    /// authorized call.
    pub async fn delete_group(self, id: Id) -> Result<(), ApiError> {
        self.authorized(Method::DELETE, &format!("{GROUPS}/{id}"), None)
            .await?;
        Ok(())
    }

    /// The account's roles with their rights and member counts.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn roles(self) -> Result<Vec<Role>, ApiError> {
        self.get(ROLES).await
    }

    /// # Errors
    /// `not_found`, or any error of an authorized call.
    pub async fn role(self, id: Id) -> Result<Role, ApiError> {
        self.get(&format!("{ROLES}/{id}")).await
    }

    /// Adds a role, or replaces role `id`; the answer says which rights were narrowed.
    ///
    /// # Errors
    /// `name_taken`, `validation_failed`, or any error of an authorized call.
    pub async fn save_role(self, id: Option<Id>, input: &RoleInput) -> Result<RoleSaved, ApiError> {
        let (method, path) = match id {
            Some(id) => (Method::PUT, format!("{ROLES}/{id}")),
            None => (Method::POST, ROLES.to_owned()),
        };
        read(self.authorized(method, &path, Some(json(input)?)).await?).await
    }

    /// # Errors
    /// `role_in_use` (with the count), or any error of an authorized call.
    pub async fn delete_role(self, id: Id) -> Result<(), ApiError> {
        self.authorized(Method::DELETE, &format!("{ROLES}/{id}"), None)
            .await?;
        Ok(())
    }

    /// The account's pipelines with their stages in board order.
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn pipelines(self) -> Result<Vec<Pipeline>, ApiError> {
        self.get(PIPELINES).await
    }

    /// One page of the audit log, newest first.
    ///
    /// # Errors
    /// `invalid_query`, or any error of an authorized call.
    pub async fn audit_log(self, query: &AuditQuery) -> Result<Page<AuditEvent>, ApiError> {
        let params = present(vec![
            ("actor_id", query.actor_id.map(|id| id.to_string())),
            ("target_id", query.target_id.map(|id| id.to_string())),
            ("action", query.action.clone()),
            ("from", query.from.map(instant)),
            ("to", query.to.map(instant)),
            ("page", query.page.map(|page| page.to_string())),
            ("per_page", query.per_page.map(|n| n.to_string())),
        ]);
        self.get(&with_query(AUDIT_LOG, &params)).await
    }
}
