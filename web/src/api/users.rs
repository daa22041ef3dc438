use gatehouse_domain::{
    auth::SignInResult,
    users::{
        AcceptInvitation, BulkRequest, BulkResult, NewUser, UpdateUser, User, UserFilter,
        UserQuery, UserSaved, UsersPage,
    },
    Id,
};
use serde::Serialize;

use super::{instant, json, present, read, send, with_query, Api, ApiError, Method};

const USERS: &str = "/api/v1/users";
const BULK: &str = "/api/v1/users/bulk";
const ACCEPT_INVITATION: &str = "/api/v1/auth/invitation";

impl Api {
    /// A page of the account's members with the seat counter (administrators only, as every
    /// call here but [`Api::accept_invitation`]).
    ///
    /// # Errors
    /// `invalid_query`, or any error of an authorized call.
    pub async fn users(self, query: &UserQuery) -> Result<UsersPage, ApiError> {
        let mut params = filter_params(&query.filter);
        params.extend(present(vec![
            ("sort", query.sort.map(|sort| wire(&sort))),
            ("page", query.page.map(|page| page.to_string())),
            ("per_page", query.per_page.map(|n| n.to_string())),
        ]));
        self.get(&with_query(USERS, &params)).await
    }

    /// One member with everything an administrator edits.
    ///
    /// # Errors
    /// `not_found`, or any error of an authorized call.
    pub async fn user(self, id: Id) -> Result<User, ApiError> {
        self.get(&format!("{USERS}/{id}")).await
    }

    /// Adds a member (U5).
    ///
    /// # Errors
    /// `identity_exists` (with the person's name: send again with `add_existing`),
    /// `already_member`, `seats_exhausted` (with the seats), `validation_failed`, or any error
    /// of an authorized call.
    pub async fn create_user(self, request: &NewUser) -> Result<UserSaved, ApiError> {
        read(
            self.authorized(Method::POST, USERS, Some(json(request)?))
                .await?,
        )
        .await
    }

    /// Changes what `changes` names of a member (U7).
    ///
    /// # Errors
    /// `self_demotion` (send again confirmed), `last_admin`, `identity_in_other_accounts`,
    /// `seats_exhausted`, `email_taken`, `validation_failed`, or any error of an authorized call.
    pub async fn update_user(self, id: Id, changes: &UpdateUser) -> Result<UserSaved, ApiError> {
        read(
            self.authorized(
                Method::PATCH,
                &format!("{USERS}/{id}"),
                Some(json(changes)?),
            )
            .await?,
        )
        .await
    }

    /// Activates, regroups or gives a role to many members at once (U10).
    ///
    /// # Errors
    /// `seats_exhausted` (activation is all or none), `validation_failed`, or any error of an
    /// authorized call.
    pub async fn bulk_users(self, request: &BulkRequest) -> Result<BulkResult, ApiError> {
        read(
            self.authorized(Method::POST, BULK, Some(json(request)?))
                .await?,
        )
        .await
    }

    /// Mails a pending invitation again (U6).
    ///
    /// # Errors
    /// Any error of an authorized call.
    pub async fn resend_invitation(self, id: Id) -> Result<(), ApiError> {
        self.authorized(Method::POST, &format!("{USERS}/{id}/invitation"), None)
            .await?;
        Ok(())
    }

    /// The invited person sets their password and is signed in, as by [`Api::login`].
    ///
    /// # Errors
    /// `invalid_invitation`, `validation_failed` with `password` field errors, or a network
    /// failure.
    pub async fn accept_invitation(
        self,
        request: &AcceptInvitation,
    ) -> Result<SignInResult, ApiError> {
        let response = send(Method::POST, ACCEPT_INVITATION, Some(json(request)?), None).await?;
        let result: SignInResult = read(response).await?;
        if let SignInResult::SignedIn(signed_in) = &result {
            self.remember(signed_in);
        }
        Ok(result)
    }
}

/// A value as its JSON string, without the quotes: enums' wire names (`-last_login`).
fn wire<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The filters as query parameters, absent ones left out.
fn filter_params(filter: &UserFilter) -> Vec<(&'static str, String)> {
    present(vec![
        ("status", filter.status.map(|status| wire(&status))),
        ("group_id", filter.group_id.map(|id| id.to_string())),
        ("role_id", filter.role_id.map(|id| id.to_string())),
        ("q", filter.q.clone()),
        ("two_factor", filter.two_factor.map(|on| on.to_string())),
        ("last_login_before", filter.last_login_before.map(instant)),
        ("last_login_after", filter.last_login_after.map(instant)),
    ])
}
