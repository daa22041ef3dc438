//! The members of an account as administrators manage them (U3–U10): the list with its filters
//! and seat counter, adding and editing a member, bulk acts, and what administrators do to other
//! members' sign-in (P3, T3, A4, A5).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    accounts::Seats,
    patch,
    people::{Email, Language, Password, PersonName, Phone},
    problem::FieldError,
    profile::GroupSummary,
    rights::{Narrowing, Rights, Section},
    roles::RoleSummary,
    Id,
};

/// Which members the list shows (U9); `active` by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    #[default]
    Active,
    Inactive,
    All,
    /// Active administrators.
    Admins,
    /// Active free users.
    Free,
}

/// The list's order; a leading `-` reverses it. Ties fall back to the membership id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UserSort {
    #[default]
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "email")]
    Email,
    #[serde(rename = "-email")]
    EmailDesc,
    #[serde(rename = "last_login")]
    LastLogin,
    #[serde(rename = "-last_login")]
    LastLoginDesc,
    #[serde(rename = "created")]
    Created,
    #[serde(rename = "-created")]
    CreatedDesc,
}

/// The filters of the users list (U9), as query parameters and as the "all matching" selection
/// of bulk acts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[serde(deny_unknown_fields)]
pub struct UserFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<Id>,
    /// Part of the name, e-mail or phone, case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Members with (`true`) or without (`false`) a second factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor: Option<bool>,
    /// Last signed in before this instant (never signed in counts as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_before: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_after: Option<DateTime<Utc>>,
}

/// `GET /api/v1/users` query: the filters plus order and page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
// Query strings carry every value as text, which serde cannot retype through `flatten`: the
// query is read flat and then split.
#[serde(from = "FlatUserQuery")]
pub struct UserQuery {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", param(inline))]
    pub filter: UserFilter,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<UserSort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlatUserQuery {
    #[serde(default)]
    status: Option<UserStatus>,
    #[serde(default)]
    group_id: Option<Id>,
    #[serde(default)]
    role_id: Option<Id>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    two_factor: Option<bool>,
    #[serde(default)]
    last_login_before: Option<DateTime<Utc>>,
    #[serde(default)]
    last_login_after: Option<DateTime<Utc>>,
    #[serde(default)]
    sort: Option<UserSort>,
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    per_page: Option<u64>,
}

impl From<FlatUserQuery> for UserQuery {
    fn from(flat: FlatUserQuery) -> Self {
        Self {
            filter: UserFilter {
                status: flat.status,
                group_id: flat.group_id,
                role_id: flat.role_id,
                q: flat.q,
                two_factor: flat.two_factor,
                last_login_before: flat.last_login_before,
                last_login_after: flat.last_login_after,
            },
            sort: flat.sort,
            page: flat.page,
            per_page: flat.per_page,
        }
    }
}

/// A row of the users list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRow {
    /// The membership id: every `/users/{id}` path takes it.
    pub id: Id,
    pub identity_id: Id,
    pub name: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub language: Language,
    pub is_admin: bool,
    pub is_free: bool,
    pub is_active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleSummary>,
    pub two_factor_enabled: bool,
    /// Invited and not yet signed up (U6).
    pub invitation_pending: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/users`: a page of members and the seat counter (U4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsersPage {
    pub items: Vec<UserRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub seats: Seats,
}

/// One member with everything an administrator edits (U7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    #[serde(flatten)]
    pub row: UserRow,
    /// The member's own rights (used when they have no role).
    pub rights: Rights,
    /// Sections hidden for this member (their role may hide more).
    pub hidden_sections: Vec<Section>,
    /// Whether the person belongs to other accounts too: then their name, e-mail and password
    /// are theirs, not this account's to change.
    pub in_other_accounts: bool,
}

/// A saved member and the rights their dependencies narrowed (R2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserSaved {
    pub user: User,
    pub narrowed: Vec<Narrowing>,
}

/// `POST /api/v1/users` (U5).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    /// "First Last"; not needed with `add_existing`.
    #[serde(default)]
    pub name: String,
    pub email: String,
    /// The first password (account policy, P2). Give this or `invite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Mail an invitation (72 h, single use) where the person sets their own password (U6).
    #[serde(default)]
    pub invite: bool,
    /// The e-mail belongs to a person of another account (`identity_exists`): add them as they
    /// are; their name and password stay theirs.
    #[serde(default)]
    pub add_existing: bool,
    /// The default group when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Id>,
    /// A role, whose rights the member then has; or give `rights`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_id: Option<Id>,
    /// Own rights (all by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<Rights>,
    #[serde(default)]
    pub hidden_sections: Vec<Section>,
    #[serde(default)]
    pub is_admin: bool,
    #[serde(default)]
    pub is_free: bool,
    /// The account's language when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// How a new member gets into their account.
#[derive(Debug)]
pub enum Credential {
    Password(Password),
    Invitation,
    /// An identity of another account, added as it is.
    Existing,
}

/// A [`NewUser`] that passed every rule that needs no database.
#[derive(Debug)]
pub struct ValidNewUser {
    /// `None` with `add_existing`.
    pub name: Option<PersonName>,
    pub email: Email,
    pub credential: Credential,
    pub phone: Option<Phone>,
}

impl NewUser {
    /// U5's rules, each broken one reported against its field.
    ///
    /// # Errors
    /// One [`FieldError`] per invalid field.
    pub fn validate(&self) -> Result<ValidNewUser, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut person = |field: &str, e: crate::people::PersonError| {
            errors.push(FieldError::new(field, e.code(), e.to_string()));
        };
        let email = Email::parse(&self.email)
            .map_err(|e| person("email", e))
            .ok();
        let name = if self.add_existing {
            None
        } else {
            PersonName::parse(&self.name)
                .map_err(|e| person("name", e))
                .ok()
        };
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Phone::parse(raw).map_err(|e| person("phone", e)).ok(),
        };
        let credential = match (&self.password, self.invite, self.add_existing) {
            (_, _, true) => Some(Credential::Existing),
            (Some(_), true, false) => {
                errors.push(FieldError::new(
                    "password",
                    "password_with_invitation",
                    "give a password or send an invitation, not both",
                ));
                None
            }
            (None, false, false) => {
                errors.push(FieldError::new(
                    "password",
                    "password_or_invitation",
                    "give a password or send an invitation",
                ));
                None
            }
            (None, true, false) => Some(Credential::Invitation),
            (Some(raw), false, false) => match Password::parse_new(raw) {
                Ok(p) => Some(Credential::Password(p)),
                Err(e) => {
                    errors.push(FieldError::new("password", e.code(), e.to_string()));
                    None
                }
            },
        };
        if self.role_id.is_some() && self.rights.is_some() {
            errors.push(FieldError::new(
                "rights",
                "rights_with_role",
                "a member with a role has the role's rights; give a role or rights, not both",
            ));
        }
        match (email, credential) {
            (Some(email), Some(credential)) if errors.is_empty() => Ok(ValidNewUser {
                name,
                email,
                credential,
                phone,
            }),
            _ => Err(errors),
        }
    }
}

/// `PATCH /api/v1/users/{id}` (U7). Absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// Only for a person in no other account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Only for a person in no other account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Id>,
    /// A role id, or `null` for own rights.
    #[serde(
        default,
        deserialize_with = "patch::field",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Id>))]
    pub role_id: Option<Option<Id>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<Rights>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_sections: Option<Vec<Section>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_admin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_free: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// A phone number, or `null` to remove it.
    #[serde(
        default,
        deserialize_with = "patch::field",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub phone: Option<Option<String>>,
    /// Confirms that administrators mean to take away their own administrator rights.
    #[serde(default)]
    pub confirm_self_demotion: bool,
}

/// Which members a bulk act applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// These membership ids.
    Ids(Vec<Id>),
    /// Every member matching the list's filters ("select all matching", U9).
    Filter(UserFilter),
}

/// What a bulk act does (U10; deactivation, which reassigns records, has its own endpoint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkAction {
    /// Needs a free seat for each member that takes one (all or none).
    Activate,
    SetGroup {
        group_id: Id,
    },
    /// A role, or `null` for own rights.
    SetRole {
        role_id: Option<Id>,
    },
}

/// `POST /api/v1/users/bulk`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    pub select: Selection,
    pub action: BulkAction,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    /// Members the act changed (those already so are not counted).
    pub affected: u64,
}

/// `POST /api/v1/auth/invitation`: the invited person sets their password (U6) and is signed in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub token: String,
    pub password: String,
}

/// `PUT /api/v1/users/{id}/password`: allowed only when the member's identity belongs to no
/// other account (else `identity_in_other_accounts`: send a reset link instead).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    pub password: String,
    /// Ask the member to choose their own password at the next sign-in.
    #[serde(default)]
    pub must_change: bool,
}

/// A member as the security page lists them: who has a second factor, who is locked out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSecurity {
    /// The membership id, as in `/users/{id}`.
    pub id: Id,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub is_active: bool,
    pub two_factor_enabled: bool,
    /// Whether the account's policy requires a second factor of this member.
    pub two_factor_required: bool,
    /// Set while sign-ins for this e-mail are refused after too many failures (A5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<DateTime<Utc>>,
    /// Whether the identity belongs to other accounts too (then only a reset link can be sent).
    pub in_other_accounts: bool,
    pub live_sessions: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<DateTime<Utc>>,
}

/// The answer of acts that end sessions.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsEnded {
    pub ended: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> NewUser {
        NewUser {
            name: "Anna Petrova".into(),
            email: "anna@example.com".into(),
            password: Some("a long enough password".into()),
            ..NewUser::default()
        }
    }

    fn codes(user: &NewUser) -> Vec<(String, String)> {
        match user.validate() {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn one(field: &str, code: &str) -> Vec<(String, String)> {
        vec![(field.to_owned(), code.to_owned())]
    }

    #[test]
    fn a_complete_new_user_is_valid() {
        let user = valid().validate().unwrap();
        assert_eq!(user.email.as_str(), "anna@example.com");
        assert!(matches!(user.credential, Credential::Password(_)));
    }

    #[test]
    fn each_name_rule_is_reported_against_the_name() {
        for (name, code) in [
            ("", "name_empty"),
            ("   ", "name_empty"),
            (&*"a".repeat(51), "name_too_long"),
            ("Agent 007", "name_invalid_characters"),
            ("Anna <b>", "name_invalid_characters"),
            ("Anna site.ru", "name_contains_link"),
        ] {
            let user = NewUser {
                name: name.into(),
                ..valid()
            };
            assert_eq!(codes(&user), one("name", code), "{name:?}");
        }
        for name in [
            "Anna-Maria O. Smith",
            "anna_k@home",
            "Иван Петров",
            &"я".repeat(50),
        ] {
            assert!(
                codes(&NewUser {
                    name: name.into(),
                    ..valid()
                })
                .is_empty(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn the_email_must_be_an_address() {
        assert_eq!(
            codes(&NewUser {
                email: " ".into(),
                ..valid()
            }),
            one("email", "email_empty")
        );
        assert_eq!(
            codes(&NewUser {
                email: "anna@".into(),
                ..valid()
            }),
            one("email", "email_invalid")
        );
    }

    #[test]
    fn a_password_or_an_invitation_but_not_both() {
        assert_eq!(
            codes(&NewUser {
                password: None,
                ..valid()
            }),
            one("password", "password_or_invitation")
        );
        assert_eq!(
            codes(&NewUser {
                invite: true,
                ..valid()
            }),
            one("password", "password_with_invitation")
        );
        assert_eq!(
            codes(&NewUser {
                password: Some("short".into()),
                ..valid()
            }),
            one("password", "password_too_short")
        );
        let invited = NewUser {
            password: None,
            invite: true,
            ..valid()
        }
        .validate()
        .unwrap();
        assert!(matches!(invited.credential, Credential::Invitation));
    }

    #[test]
    fn an_existing_identity_needs_neither_name_nor_password() {
        let user = NewUser {
            name: String::new(),
            password: None,
            add_existing: true,
            ..valid()
        };
        let user = user.validate().unwrap();
        assert!(user.name.is_none());
        assert!(matches!(user.credential, Credential::Existing));
    }

    #[test]
    fn the_phone_is_checked_when_given() {
        assert_eq!(
            codes(&NewUser {
                phone: Some("call me".into()),
                ..valid()
            }),
            one("phone", "phone_invalid")
        );
        let user = NewUser {
            phone: Some("+7 912 345-67-89".into()),
            ..valid()
        };
        assert_eq!(
            user.validate().unwrap().phone.unwrap().as_str(),
            "+79123456789"
        );
        assert!(NewUser {
            phone: Some("  ".into()),
            ..valid()
        }
        .validate()
        .unwrap()
        .phone
        .is_none());
    }

    #[test]
    fn a_role_and_own_rights_exclude_each_other() {
        let user = NewUser {
            role_id: Some(1),
            rights: Some(Rights::all()),
            ..valid()
        };
        assert_eq!(codes(&user), one("rights", "rights_with_role"));
    }

    #[test]
    fn every_broken_rule_is_reported_at_once() {
        let user = NewUser {
            name: String::new(),
            email: "x".into(),
            password: None,
            phone: Some("1".into()),
            ..NewUser::default()
        };
        assert_eq!(codes(&user).len(), 4);
    }

    #[test]
    fn patch_tells_absent_from_null() {
        let absent: UpdateUser = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.role_id, None);
        let cleared: UpdateUser = serde_json::from_str(r#"{"role_id":null,"phone":null}"#).unwrap();
        assert_eq!(cleared.role_id, Some(None));
        assert_eq!(cleared.phone, Some(None));
        let set: UpdateUser = serde_json::from_str(r#"{"role_id":7}"#).unwrap();
        assert_eq!(set.role_id, Some(Some(7)));
    }

    #[test]
    fn selections_and_bulk_actions_read_as_documented() {
        let bulk: BulkRequest = serde_json::from_str(
            r#"{"select":{"filter":{"status":"inactive","q":"anna"}},"action":{"kind":"set_role","role_id":null}}"#,
        )
        .unwrap();
        assert_eq!(bulk.action, BulkAction::SetRole { role_id: None });
        let Selection::Filter(filter) = bulk.select else {
            panic!("a filter")
        };
        assert_eq!(filter.status, Some(UserStatus::Inactive));
    }
}
