//! Adding a member (U5, U6, seed 001) and editing one (U7), within the seats (U3) and keeping an
//! active administrator (U7).

use chrono::Utc;
use gatehouse_domain::{
    problem::ErrorCode,
    rights::{Narrowing, Rights},
    users::{Credential, NewUser, UpdateUser, User, UserSaved},
    Id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::{json, Map, Value};

use super::{invitations, list};
use crate::{
    accounts::seats,
    audit,
    auth::Member,
    entities::{groups, identities, memberships, roles},
    error::{ApiError, ApiResult},
    profile::password::check_new_password,
    rights::{check_stages, stored_rights, stored_sections, to_json},
    state::AppState,
};

/// The member with everything an administrator edits.
///
/// # Errors
/// 403 for non-administrators, 404 for another account's member.
pub async fn get(state: &AppState, admin: &Member, membership_id: Id) -> ApiResult<User> {
    admin.require_admin()?;
    load(&state.db, admin.account_id, membership_id).await
}

async fn load(db: &impl ConnectionTrait, account_id: Id, membership_id: Id) -> ApiResult<User> {
    let membership = memberships::Entity::find_by_id(membership_id)
        .filter(memberships::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))?;
    let accounts = memberships::Entity::find()
        .filter(memberships::Column::IdentityId.eq(membership.identity_id))
        .count(db)
        .await?;
    let rights = stored_rights(membership.rights.as_deref())?;
    let hidden_sections = stored_sections(&membership.hidden_sections)?;
    let row = list::rows(db, vec![membership])
        .await?
        .pop()
        .ok_or(ApiError::Code(ErrorCode::NotFound))?;
    Ok(User {
        row,
        rights,
        hidden_sections,
        in_other_accounts: accounts > 1,
    })
}

/// A group of the account (the default one when none is named).
async fn group_of(
    db: &impl ConnectionTrait,
    account_id: Id,
    group_id: Option<Id>,
) -> ApiResult<groups::Model> {
    let mut select = groups::Entity::find().filter(groups::Column::AccountId.eq(account_id));
    select = match group_id {
        Some(id) => select.filter(groups::Column::Id.eq(id)),
        None => select.filter(groups::Column::IsDefault.eq(true)),
    };
    select.one(db).await?.ok_or_else(|| {
        ApiError::invalid(
            "group_id",
            "unknown_group",
            "there is no such group in this account",
        )
    })
}

async fn check_role(db: &impl ConnectionTrait, account_id: Id, role_id: Id) -> ApiResult<()> {
    roles::Entity::find_by_id(role_id)
        .filter(roles::Column::AccountId.eq(account_id))
        .one(db)
        .await?
        .map(|_| ())
        .ok_or_else(|| {
            ApiError::invalid(
                "role_id",
                "unknown_role",
                "there is no such role in this account",
            )
        })
}

/// Normalised rights (R2) naming only the account's stages.
async fn checked_rights(
    db: &impl ConnectionTrait,
    account_id: Id,
    mut rights: Rights,
) -> ApiResult<(Rights, Vec<Narrowing>)> {
    let narrowed = rights.normalise();
    check_stages(db, account_id, &rights, "rights").await?;
    Ok((rights, narrowed))
}

/// Adds a member (U5). An e-mail that is already a person elsewhere is answered with
/// `identity_exists` and their name; with `add_existing` that person joins as they are.
///
/// # Errors
/// 403 for non-administrators; 422 with field errors; 409 `identity_exists`,
/// `already_member`, `seats_exhausted`.
pub async fn create(state: &AppState, admin: &Member, new: NewUser) -> ApiResult<UserSaved> {
    admin.require_admin()?;
    let valid = new.validate().map_err(ApiError::Validation)?;
    let db = &state.db;
    let account_id = admin.account_id;
    let group = group_of(db, account_id, new.group_id).await?;
    if let Some(role_id) = new.role_id {
        check_role(db, account_id, role_id).await?;
    }
    let (rights, narrowed) = match new.rights.clone() {
        Some(rights) => {
            let (rights, narrowed) = checked_rights(db, account_id, rights).await?;
            (Some(rights), narrowed)
        }
        None => (None, Vec::new()),
    };
    let existing = identities::Entity::find()
        .filter(identities::Column::Email.eq(valid.email.as_str()))
        .one(db)
        .await?;
    if let Some(identity) = &existing {
        let member_here = memberships::Entity::find()
            .filter(memberships::Column::AccountId.eq(account_id))
            .filter(memberships::Column::IdentityId.eq(identity.id))
            .count(db)
            .await?;
        if member_here > 0 {
            return Err(ErrorCode::AlreadyMember.into());
        }
        if !matches!(valid.credential, Credential::Existing) {
            return Err(ApiError::identity_exists(&identity.name));
        }
    } else if matches!(valid.credential, Credential::Existing) {
        return Err(ApiError::invalid(
            "email",
            "identity_not_found",
            "nobody has this e-mail yet; add them with a name and a password or an invitation",
        ));
    }
    let language = match new.language {
        Some(language) => language,
        None => crate::entities::accounts::Entity::find_by_id(account_id)
            .one(db)
            .await?
            .and_then(|a| gatehouse_domain::people::Language::from_code(&a.language))
            .unwrap_or_default(),
    };
    let name = valid
        .name
        .as_ref()
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    // Hashing is slow and needs no lock: done before the transaction.
    let invited = matches!(valid.credential, Credential::Invitation);
    let password_hash = match valid.credential {
        Credential::Password(password) => {
            check_new_password(
                state,
                (valid.email.as_str(), &name),
                Some(account_id),
                &password,
                "password",
            )
            .await?;
            Some(state.hasher.hash(password).await?)
        }
        Credential::Invitation | Credential::Existing => None,
    };

    let now = Utc::now();
    let txn = db.begin().await?;
    seats::lock(&txn, account_id).await?;
    if !new.is_free {
        seats::ensure_free(&txn, account_id, 1).await?;
    }
    let identity = match existing {
        Some(identity) => identity,
        None => identities::ActiveModel {
            email: Set(valid.email.as_str().to_owned()),
            name: Set(name.clone()),
            name_folded: Set(crate::db::fold(&name)),
            password_hash: Set(password_hash),
            language: Set(language.code().to_owned()),
            phone: Set(valid.phone.as_ref().map(|p| p.as_str().to_owned())),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| ApiError::unique_as(e, ErrorCode::EmailTaken))?,
    };
    let membership = memberships::ActiveModel {
        account_id: Set(account_id),
        identity_id: Set(identity.id),
        group_id: Set(Some(group.id)),
        is_admin: Set(new.is_admin),
        is_free: Set(new.is_free),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        role_id: Set(new.role_id),
        rights: Set(rights.as_ref().map(to_json).transpose()?),
        hidden_sections: Set(to_json(&new.hidden_sections)?),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| ApiError::unique_as(e, ErrorCode::AlreadyMember))?;
    let invitation = if invited {
        Some(invitations::create(state, &txn, admin, &membership, &identity).await?)
    } else {
        None
    };
    audit::record(
        &txn,
        admin,
        "user_created",
        Some(membership.id),
        json!({
            "name": identity.name,
            "email": identity.email,
            "group": group.name,
            "role_id": new.role_id,
            "is_admin": new.is_admin,
            "is_free": new.is_free,
            "invited": invited,
            "existing_identity": new.add_existing,
        }),
    )
    .await?;
    txn.commit().await?;
    if let Some(mail) = invitation {
        state.mailer.deliver(db, &[mail]);
    }
    Ok(UserSaved {
        user: load(db, account_id, membership.id).await?,
        narrowed,
    })
}

/// Records `before → after` under `field` when they differ.
fn note<T: PartialEq + serde::Serialize>(
    changes: &mut Map<String, Value>,
    field: &str,
    before: &T,
    after: &T,
) {
    if before != after {
        changes.insert(
            field.to_owned(),
            json!({ "before": before, "after": after }),
        );
    }
}

/// Edits a member (U7). The name and e-mail of a person who belongs to other accounts are
/// theirs; taking administrator rights from oneself needs confirmation; the account keeps an
/// active administrator; making a free member paid needs a seat.
///
/// # Errors
/// 403, 404, 422; 409 `identity_in_other_accounts`, `email_taken`, `self_demotion`,
/// `last_admin`, `seats_exhausted`.
pub async fn update(
    state: &AppState,
    admin: &Member,
    membership_id: Id,
    change: UpdateUser,
) -> ApiResult<UserSaved> {
    admin.require_admin()?;
    let db = &state.db;
    let account_id = admin.account_id;
    let before = load(db, account_id, membership_id).await?;
    let name = change
        .name
        .as_deref()
        .map(gatehouse_domain::people::PersonName::parse)
        .transpose()
        .map_err(|e| ApiError::field("name", e))?;
    let email = change
        .email
        .as_deref()
        .map(gatehouse_domain::people::Email::parse)
        .transpose()
        .map_err(|e| ApiError::field("email", e))?;
    let phone = match &change.phone {
        Some(Some(raw)) if !raw.trim().is_empty() => Some(Some(
            gatehouse_domain::people::Phone::parse(raw).map_err(|e| ApiError::field("phone", e))?,
        )),
        Some(_) => Some(None),
        None => None,
    };
    let renames = name.as_ref().is_some_and(|n| n.as_str() != before.row.name)
        || email
            .as_ref()
            .is_some_and(|e| e.as_str() != before.row.email);
    if renames && before.in_other_accounts {
        return Err(ErrorCode::IdentityInOtherAccounts.into());
    }
    let group = match change.group_id {
        Some(id) => Some(group_of(db, account_id, Some(id)).await?),
        None => None,
    };
    if let Some(Some(role_id)) = change.role_id {
        check_role(db, account_id, role_id).await?;
    }
    let (rights, narrowed) = match change.rights.clone() {
        Some(rights) => {
            let (rights, narrowed) = checked_rights(db, account_id, rights).await?;
            (Some(rights), narrowed)
        }
        None => (None, Vec::new()),
    };
    let is_admin = change.is_admin.unwrap_or(before.row.is_admin);
    let is_free = change.is_free.unwrap_or(before.row.is_free);
    let was_admin = before.row.is_admin && !before.row.is_free;
    let stays_admin = is_admin && !is_free;
    if membership_id == admin.membership_id
        && was_admin
        && !stays_admin
        && !change.confirm_self_demotion
    {
        return Err(ErrorCode::SelfDemotion.into());
    }

    let mut changes = Map::new();
    let txn = db.begin().await?;
    seats::lock(&txn, account_id).await?;
    if before.row.is_active && before.row.is_free && !is_free {
        seats::ensure_free(&txn, account_id, 1).await?;
    }
    let mut person: identities::ActiveModel =
        identities::Entity::find_by_id(before.row.identity_id)
            .one(&txn)
            .await?
            .ok_or(ApiError::Code(ErrorCode::NotFound))?
            .into();
    if let Some(name) = &name {
        note(
            &mut changes,
            "name",
            &before.row.name.as_str(),
            &name.as_str(),
        );
        person.name = Set(name.as_str().to_owned());
        person.name_folded = Set(crate::db::fold(name.as_str()));
    }
    if let Some(email) = &email {
        note(
            &mut changes,
            "email",
            &before.row.email.as_str(),
            &email.as_str(),
        );
        person.email = Set(email.as_str().to_owned());
    }
    if let Some(language) = change.language {
        note(&mut changes, "language", &before.row.language, &language);
        person.language = Set(language.code().to_owned());
    }
    if let Some(phone) = &phone {
        let after = phone.as_ref().map(|p| p.as_str().to_owned());
        note(&mut changes, "phone", &before.row.phone, &after);
        person.phone = Set(after);
    }
    if person.is_changed() {
        person.updated_at = Set(Utc::now());
        person
            .update(&txn)
            .await
            .map_err(|e| ApiError::unique_as(e, ErrorCode::EmailTaken))?;
    }
    let mut membership: memberships::ActiveModel = memberships::Entity::find_by_id(membership_id)
        .one(&txn)
        .await?
        .ok_or(ApiError::Code(ErrorCode::NotFound))?
        .into();
    note(&mut changes, "is_admin", &before.row.is_admin, &is_admin);
    note(&mut changes, "is_free", &before.row.is_free, &is_free);
    membership.is_admin = Set(is_admin);
    membership.is_free = Set(is_free);
    if let Some(group) = &group {
        note(
            &mut changes,
            "group",
            &before.row.group.as_ref().map(|g| g.name.clone()),
            &Some(group.name.clone()),
        );
        membership.group_id = Set(Some(group.id));
    }
    if let Some(role_id) = change.role_id {
        note(
            &mut changes,
            "role_id",
            &before.row.role.as_ref().map(|r| r.id),
            &role_id,
        );
        membership.role_id = Set(role_id);
    }
    if let Some(rights) = &rights {
        note(&mut changes, "rights", &before.rights, rights);
        membership.rights = Set(Some(to_json(rights)?));
    }
    if let Some(sections) = &change.hidden_sections {
        note(
            &mut changes,
            "hidden_sections",
            &before.hidden_sections,
            sections,
        );
        membership.hidden_sections = Set(to_json(sections)?);
    }
    if membership.is_changed() {
        membership.updated_at = Set(Utc::now());
        membership.update(&txn).await?;
    }
    if was_admin && !stays_admin {
        seats::ensure_an_admin_remains(&txn, account_id).await?;
    }
    if !changes.is_empty() {
        let action = if changes.len() == 1 && changes.contains_key("rights") {
            "rights_changed"
        } else {
            "user_updated"
        };
        audit::record(
            &txn,
            admin,
            action,
            Some(membership_id),
            Value::Object(changes),
        )
        .await?;
    }
    txn.commit().await?;
    // Standing changes reach the member's next request on this instance at once.
    if before.row.is_admin != is_admin || before.row.is_free != is_free {
        state.sessions.forget_membership(db, membership_id).await?;
    }
    Ok(UserSaved {
        user: load(db, account_id, membership_id).await?,
        narrowed,
    })
}
