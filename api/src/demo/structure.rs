//! The account's frame, written once per account in one transaction: groups, roles with their
//! rights, members, pipelines with their stages, custom fields; and, for every fill, the cast
//! the records are spread over, read back from the database.
//!
//! Groups, roles, pipelines and fields are found by name before they are made, so an account
//! that already has a "Manager" role keeps it as it is (role and group names are unique).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use gatehouse_domain::{
    crm::FieldKind,
    rights::{Grant, Level, Rights, Section, StageRights},
    Id,
};
use rand::{distributions::WeightedIndex, Rng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    Value,
};

use super::{
    batch::{reserve_ids_in, Rows},
    names::{self, Tongue},
    DemoError, DemoMember, MemberKind,
};
use crate::{
    accounts::seats,
    entities::{custom_fields, groups, identities, memberships, pipelines, roles, stages},
    rights::to_json,
};

/// What the first fill made.
pub struct Frame {
    pub members: Vec<DemoMember>,
    pub groups: usize,
    pub roles: usize,
    pub pipelines: usize,
    pub custom_fields: usize,
}

/// Makes the frame of `members` new members. Call inside the transaction that locked the
/// account.
///
/// # Errors
/// Database errors.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    txn: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    members: u32,
    password_hash: Option<&str>,
    email_domain: &str,
    rng: &mut impl Rng,
    now: DateTime<Utc>,
) -> Result<Frame, DemoError> {
    let stages = create_pipelines(txn, account_id, tongue, now).await?;
    let (default_group, extra_groups) = create_groups(txn, account_id, tongue, now).await?;
    let roles = create_roles(txn, account_id, tongue, &stages, now).await?;
    let people = cast_members(members, default_group, &extra_groups);
    let paid = people
        .iter()
        .filter(|p| !matches!(p.kind, MemberKind::Free | MemberKind::Deactivated))
        .count() as u64;
    make_room(txn, account_id, paid).await?;
    let members = create_members(
        txn,
        account_id,
        tongue,
        &people,
        &roles,
        password_hash,
        email_domain,
        rng,
        now,
    )
    .await?;
    let custom_fields = create_fields(txn, account_id, tongue, now).await?;
    let groups_used: HashSet<Id> = people.iter().map(|p| p.group_id).collect();
    Ok(Frame {
        members,
        groups: groups_used.len(),
        roles: 3,
        pipelines: 1 + names::PIPELINES.len(),
        custom_fields,
    })
}

/// Stage ids the roles' stage rights name.
struct StageIds {
    won: Vec<Id>,
    /// The partners' pipeline, hidden from junior managers ("separate access to a pipeline").
    partners: Vec<Id>,
}

async fn create_pipelines(
    txn: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    now: DateTime<Utc>,
) -> Result<StageIds, DemoError> {
    let existing = pipelines::Entity::find()
        .filter(pipelines::Column::AccountId.eq(account_id))
        .all(txn)
        .await?;
    let mut partners = Vec::new();
    for (sort, names) in (1..).zip(names::PIPELINES) {
        let name = tongue.pick(names.name);
        let found = existing.iter().find(|p| p.name == name);
        let pipeline_id = match found {
            Some(pipeline) => pipeline.id,
            None => {
                let pipeline = pipelines::ActiveModel {
                    account_id: Set(account_id),
                    name: Set(name.to_owned()),
                    sort: Set(sort),
                    is_default: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                let stage_names = names
                    .open
                    .iter()
                    .map(|&n| (n, "open"))
                    .chain([(names.won, "won"), (names.lost, "lost")]);
                for (sort, (stage, kind)) in (0..).zip(stage_names) {
                    stages::ActiveModel {
                        account_id: Set(account_id),
                        pipeline_id: Set(pipeline.id),
                        name: Set(tongue.pick(stage).to_owned()),
                        sort: Set(sort),
                        kind: Set(kind.to_owned()),
                        created_at: Set(now),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
                pipeline.id
            }
        };
        if sort == 1 {
            partners = stages::Entity::find()
                .filter(stages::Column::PipelineId.eq(pipeline_id))
                .all(txn)
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect();
        }
    }
    let won = stages::Entity::find()
        .filter(stages::Column::AccountId.eq(account_id))
        .filter(stages::Column::Kind.eq("won"))
        .all(txn)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    Ok(StageIds { won, partners })
}

async fn create_groups(
    txn: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    now: DateTime<Utc>,
) -> Result<(Id, Vec<Id>), DemoError> {
    let existing = groups::Entity::find()
        .filter(groups::Column::AccountId.eq(account_id))
        .order_by_asc(groups::Column::Id)
        .all(txn)
        .await?;
    let default = existing
        .iter()
        .find(|g| g.is_default)
        .or(existing.first())
        .map(|g| g.id);
    let mut extra = Vec::new();
    for &pair in names::GROUPS {
        let name = tongue.pick(pair);
        let id = match existing.iter().find(|g| g.name == name) {
            Some(group) => group.id,
            None => {
                groups::ActiveModel {
                    account_id: Set(account_id),
                    name: Set(name.to_owned()),
                    is_default: Set(false),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?
                .id
            }
        };
        extra.push(id);
    }
    let default = match default {
        Some(id) => id,
        None => extra.remove(0),
    };
    Ok((default, extra))
}

/// The roles' ids by kind: head of sales, manager, junior manager.
struct RoleIds {
    head: Id,
    manager: Id,
    junior: Id,
}

/// A head of sales sees and edits everything and deletes within the group; a manager sees the
/// group's records and edits their own, but not leads already won; a junior manager works only
/// on their own records, without the partners' pipeline or analytics.
fn role_rights(stages: &StageIds) -> [((&'static str, &'static str), Rights, Vec<Section>); 3] {
    let mut head = Rights::all();
    for entity in [&mut head.leads, &mut head.contacts, &mut head.companies] {
        entity.delete = Level::G;
    }
    head.tasks.delete = Level::G;

    let mut manager = Rights::all();
    for entity in [
        &mut manager.leads,
        &mut manager.contacts,
        &mut manager.companies,
    ] {
        entity.view = Level::G;
        entity.edit = Level::M;
        entity.delete = Level::D;
        entity.export = Level::D;
    }
    manager.leads.export = Level::M;
    manager.tasks.edit = Level::M;
    manager.tasks.delete = Level::M;
    for &id in &stages.won {
        manager.stages.insert(
            id,
            StageRights {
                edit: Some(Grant::D),
                delete: Some(Grant::D),
                ..StageRights::default()
            },
        );
    }

    let mut junior = manager.clone();
    junior.stages.clear();
    for entity in [
        &mut junior.leads,
        &mut junior.contacts,
        &mut junior.companies,
    ] {
        entity.view = Level::M;
        entity.export = Level::D;
    }
    junior.tasks.delete = Level::D;
    junior.hide_stages(stages.partners.iter().copied());

    let mut roles = [
        (names::HEAD_OF_SALES, head, Vec::new()),
        (names::MANAGER, manager, Vec::new()),
        (names::JUNIOR_MANAGER, junior, vec![Section::Analytics]),
    ];
    for (_, rights, _) in &mut roles {
        rights.normalise();
    }
    roles
}

async fn create_roles(
    txn: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    stages: &StageIds,
    now: DateTime<Utc>,
) -> Result<RoleIds, DemoError> {
    let existing = roles::Entity::find()
        .filter(roles::Column::AccountId.eq(account_id))
        .all(txn)
        .await?;
    let mut ids = Vec::with_capacity(3);
    for (name, rights, hidden) in role_rights(stages) {
        let name = tongue.pick(name);
        let id = match existing.iter().find(|r| r.name == name) {
            Some(role) => role.id,
            None => {
                roles::ActiveModel {
                    account_id: Set(account_id),
                    name: Set(name.to_owned()),
                    rights: Set(to_json(&rights)?),
                    hidden_sections: Set(to_json(&hidden)?),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?
                .id
            }
        };
        ids.push(id);
    }
    match ids[..] {
        [head, manager, junior] => Ok(RoleIds {
            head,
            manager,
            junior,
        }),
        _ => Err(DemoError::Api(crate::error::ApiError::internal(
            "three roles were not made",
        ))),
    }
}

/// A member to be made: their kind and group.
struct Casting {
    kind: MemberKind,
    group_id: Id,
}

/// Who the new members are: one or two who have left, about one in eight free users (an
/// accountant, a lawyer: they take part in deals without a seat), and the sales team, spread
/// over up to four groups, each led by a head of sales, with one junior to two managers.
fn cast_members(members: u32, default_group: Id, extra_groups: &[Id]) -> Vec<Casting> {
    let members = members as usize;
    let deactivated = if members >= 10 { 2 } else { 1 };
    let free = (members / 8).max(1);
    let staff = members.saturating_sub(deactivated + free);
    let groups: Vec<Id> = std::iter::once(default_group)
        .chain(extra_groups.iter().copied().take((staff / 4).min(3)))
        .collect();
    let group = |i: usize| groups[i % groups.len()];
    let mut cast = Vec::with_capacity(members);
    for i in 0..staff {
        let kind = if i < groups.len() {
            MemberKind::HeadOfSales
        } else if (i - groups.len()) % 3 == 2 {
            MemberKind::JuniorManager
        } else {
            MemberKind::Manager
        };
        cast.push(Casting {
            kind,
            group_id: group(i),
        });
    }
    for _ in 0..free {
        cast.push(Casting {
            kind: MemberKind::Free,
            group_id: default_group,
        });
    }
    for i in 0..deactivated {
        cast.push(Casting {
            kind: MemberKind::Deactivated,
            group_id: group(i + 1),
        });
    }
    cast
}

/// Raises the account's seats when the new active members would not fit (U3): the platform's
/// act, recorded in the audit log like `gatehouse accounts set-seats`.
async fn make_room(txn: &impl ConnectionTrait, account_id: Id, paid: u64) -> Result<(), DemoError> {
    let now_seats = seats::count(txn, account_id).await?;
    if now_seats.free() >= paid {
        return Ok(());
    }
    let general = (now_seats.used + paid).saturating_sub(now_seats.technical);
    let general = u32::try_from(general).unwrap_or(u32::MAX);
    let changed = seats::set(txn, account_id, general, None).await?;
    crate::audit::record_platform(
        txn,
        account_id,
        "seats_changed",
        serde_json::json!({
            "general": changed.general,
            "technical": changed.technical,
            "reason": "demo data",
        }),
    )
    .await?;
    Ok(())
}

const IDENTITY_COLUMNS: &[&str] = &[
    "id",
    "email",
    "name",
    "name_folded",
    "password_hash",
    "language",
    "phone",
    "created_at",
    "updated_at",
    "must_change_password",
    "password_changed_at",
];
const MEMBERSHIP_COLUMNS: &[&str] = &[
    "id",
    "account_id",
    "identity_id",
    "group_id",
    "is_admin",
    "is_free",
    "is_active",
    "created_at",
    "updated_at",
    "last_login_at",
    "deactivated_at",
    "allowlist_exempt",
    "role_id",
    "rights",
    "hidden_sections",
];

#[allow(clippy::too_many_arguments)]
async fn create_members(
    txn: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    people: &[Casting],
    roles: &RoleIds,
    password_hash: Option<&str>,
    email_domain: &str,
    rng: &mut impl Rng,
    now: DateTime<Utc>,
) -> Result<Vec<DemoMember>, DemoError> {
    let suffix = format!("@{email_domain}");
    let mut taken: HashSet<String> = identities::Entity::find()
        .filter(identities::Column::Email.ends_with(&suffix))
        .all(txn)
        .await?
        .into_iter()
        .map(|i| i.email)
        .collect();
    let identity_ids = reserve_ids_in(txn, "identities", people.len()).await?;
    let membership_ids = reserve_ids_in(txn, "memberships", people.len()).await?;
    let mut identities = Rows::new("identities", IDENTITY_COLUMNS);
    let mut memberships = Rows::new("memberships", MEMBERSHIP_COLUMNS);
    let mut made = Vec::with_capacity(people.len());
    for ((casting, &identity_id), &membership_id) in
        people.iter().zip(&identity_ids).zip(&membership_ids)
    {
        let person = names::person(rng, tongue);
        let local = format!("{}.{}", person.first_latin, person.last_latin);
        let mut email = format!("{local}{suffix}");
        let mut n = 2;
        while taken.contains(&email) {
            email = format!("{local}{n}{suffix}");
            n += 1;
        }
        taken.insert(email.clone());
        let joined = now - Duration::days(rng.gen_range(30..700));
        let phone = rng.gen_bool(0.6).then(|| names::phone(rng, tongue));
        let active = casting.kind != MemberKind::Deactivated;
        let last_login = (active && rng.gen_bool(0.85))
            .then(|| now - Duration::minutes(rng.gen_range(5..4 * 24 * 60)));
        let left = (!active).then(|| now - Duration::days(rng.gen_range(3..60)));
        let role = match casting.kind {
            MemberKind::HeadOfSales => Some(roles.head),
            MemberKind::Manager | MemberKind::Deactivated => Some(roles.manager),
            MemberKind::JuniorManager => Some(roles.junior),
            MemberKind::Free => None,
        };
        identities.push([
            Value::from(identity_id),
            Value::from(email.clone()),
            Value::from(person.name.clone()),
            Value::from(crate::db::fold(&person.name)),
            Value::from(password_hash.map(str::to_owned)),
            Value::from(tongue.pick(("ru", "en")).to_owned()),
            Value::from(phone),
            Value::from(joined),
            Value::from(joined),
            Value::from(false),
            Value::from(password_hash.map(|_| joined)),
        ]);
        memberships.push([
            Value::from(membership_id),
            Value::from(account_id),
            Value::from(identity_id),
            Value::from(casting.group_id),
            Value::from(false),
            Value::from(casting.kind == MemberKind::Free),
            Value::from(active),
            Value::from(joined),
            Value::from(left.unwrap_or(joined)),
            Value::from(last_login),
            Value::from(left),
            Value::from(false),
            Value::from(role),
            Value::from(None::<String>),
            Value::from("[]".to_owned()),
        ]);
        made.push(DemoMember {
            membership_id,
            email,
            name: person.name,
            kind: casting.kind,
            group_id: Some(casting.group_id),
        });
    }
    identities.write(txn).await?;
    memberships.write(txn).await?;
    Ok(made)
}

/// The account's custom fields of the demo: found by name, or made. Returns how many there are.
async fn create_fields(
    txn: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    now: DateTime<Utc>,
) -> Result<usize, DemoError> {
    let existing = custom_fields::Entity::find()
        .filter(custom_fields::Column::AccountId.eq(account_id))
        .all(txn)
        .await?;
    let options = |list: &[(&str, &str)]| -> Vec<String> {
        list.iter().map(|&p| tongue.pick(p).to_owned()).collect()
    };
    let wanted = [
        (
            "leads",
            names::LEAD_SOURCE,
            FieldKind::Select,
            options(names::SOURCES),
        ),
        (
            "leads",
            names::BUDGET_CONFIRMED,
            FieldKind::Checkbox,
            Vec::new(),
        ),
        ("contacts", names::POSITION, FieldKind::Text, Vec::new()),
        (
            "companies",
            names::INDUSTRY,
            FieldKind::Select,
            options(names::INDUSTRIES),
        ),
        ("companies", names::WEBSITE, FieldKind::Url, Vec::new()),
    ];
    for (sort, (entity, name, kind, options)) in (0..).zip(wanted.iter()) {
        let name = tongue.pick(*name);
        if existing
            .iter()
            .any(|f| f.entity == *entity && f.name == name)
        {
            continue;
        }
        custom_fields::ActiveModel {
            account_id: Set(account_id),
            entity: Set((*entity).to_owned()),
            name: Set(name.to_owned()),
            kind: Set(kind.code().to_owned()),
            options: Set(to_json(options)?),
            sort: Set(sort),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(wanted.len())
}

/// A member records can be handed to.
pub struct Seller {
    pub id: Id,
    pub name: String,
}

/// A pipeline's stages by kind, in their order.
pub struct StagePlan {
    pub id: Id,
    pub open: Vec<Id>,
    pub won: Vec<Id>,
    pub lost: Vec<Id>,
}

/// The demo's custom fields as the account has them: a select's choices are the field's own.
#[derive(Default)]
pub struct Fields {
    pub lead_source: Option<(Id, Vec<String>)>,
    pub lead_budget: Option<Id>,
    pub contact_position: Option<Id>,
    pub company_industry: Option<(Id, Vec<String>)>,
    pub company_site: Option<Id>,
}

/// Everyone and everything records are spread over.
pub struct Cast {
    pub tongue: Tongue,
    /// Active members who are not free: the responsible members of records.
    pub sellers: Vec<Seller>,
    /// How many records each seller gets, relatively: some sell more than others.
    pub weights: WeightedIndex<u32>,
    /// The account's first active administrator: the author of reassignments.
    pub admin: Option<(Id, String)>,
    /// Active free users: participants of some leads.
    pub free: Vec<Id>,
    /// Members who have left: the "from" of some responsible changes.
    pub former: Vec<Id>,
    pub pipelines: Vec<StagePlan>,
    /// How often each pipeline gets a lead: the default one most.
    pub pipeline_weights: WeightedIndex<u32>,
    pub fields: Fields,
}

/// Reads the cast of `account_id` back.
///
/// # Errors
/// Database errors; `Unusable` when the account has no active member who may be responsible
/// or no pipeline stage.
pub async fn cast(
    db: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
    rng: &mut impl Rng,
) -> Result<Cast, DemoError> {
    let members = memberships::Entity::find()
        .filter(memberships::Column::AccountId.eq(account_id))
        .find_also_related(identities::Entity)
        .order_by_asc(memberships::Column::Id)
        .all(db)
        .await?;
    let mut sellers = Vec::new();
    let mut weights = Vec::new();
    let mut admin = None;
    let mut free = Vec::new();
    let mut former = Vec::new();
    for (membership, identity) in members {
        let name = identity.map(|i| i.name).unwrap_or_default();
        if !membership.is_active {
            former.push(membership.id);
        } else if membership.is_free {
            free.push(membership.id);
        } else {
            if membership.is_admin && admin.is_none() {
                admin = Some((membership.id, name.clone()));
            }
            weights.push(if membership.is_admin {
                1
            } else {
                rng.gen_range(2..=6)
            });
            sellers.push(Seller {
                id: membership.id,
                name,
            });
        }
    }
    let weights = WeightedIndex::new(weights).map_err(|_| {
        DemoError::Unusable("the account has no active member who may be responsible".into())
    })?;

    let stage_rows = stages::Entity::find()
        .filter(stages::Column::AccountId.eq(account_id))
        .order_by_asc(stages::Column::Sort)
        .order_by_asc(stages::Column::Id)
        .all(db)
        .await?;
    let pipeline_rows = pipelines::Entity::find()
        .filter(pipelines::Column::AccountId.eq(account_id))
        .order_by_desc(pipelines::Column::IsDefault)
        .order_by_asc(pipelines::Column::Sort)
        .order_by_asc(pipelines::Column::Id)
        .all(db)
        .await?;
    let mut plans = Vec::new();
    let mut pipeline_weights = Vec::new();
    for pipeline in &pipeline_rows {
        let mut plan = StagePlan {
            id: pipeline.id,
            open: Vec::new(),
            won: Vec::new(),
            lost: Vec::new(),
        };
        for stage in stage_rows.iter().filter(|s| s.pipeline_id == pipeline.id) {
            match stage.kind.as_str() {
                "won" => plan.won.push(stage.id),
                "lost" => plan.lost.push(stage.id),
                _ => plan.open.push(stage.id),
            }
        }
        if plan.open.is_empty() && plan.won.is_empty() && plan.lost.is_empty() {
            continue;
        }
        // The default pipeline gets about half the leads, the others less and less.
        pipeline_weights.push([6, 3, 2].get(plans.len()).copied().unwrap_or(1));
        plans.push(plan);
    }
    let pipeline_weights = WeightedIndex::new(pipeline_weights)
        .map_err(|_| DemoError::Unusable("the account has no pipeline with stages".into()))?;

    Ok(Cast {
        tongue,
        sellers,
        weights,
        admin,
        free,
        former,
        pipelines: plans,
        pipeline_weights,
        fields: fields(db, account_id, tongue).await?,
    })
}

async fn fields(
    db: &impl ConnectionTrait,
    account_id: Id,
    tongue: Tongue,
) -> Result<Fields, DemoError> {
    let all = custom_fields::Entity::find()
        .filter(custom_fields::Column::AccountId.eq(account_id))
        .order_by_asc(custom_fields::Column::Id)
        .all(db)
        .await?;
    let by_name: HashMap<(&str, &str), &custom_fields::Model> = all
        .iter()
        .map(|f| ((f.entity.as_str(), f.name.as_str()), f))
        .collect();
    let find = |entity: &str, name: (&str, &str), kind: FieldKind| {
        by_name
            .get(&(entity, tongue.pick(name)))
            .filter(|f| f.kind == kind.code())
            .copied()
    };
    let choices = |field: &custom_fields::Model| -> Option<(Id, Vec<String>)> {
        let options: Vec<String> = serde_json::from_str(&field.options).ok()?;
        (!options.is_empty()).then_some((field.id, options))
    };
    Ok(Fields {
        lead_source: find("leads", names::LEAD_SOURCE, FieldKind::Select).and_then(choices),
        lead_budget: find("leads", names::BUDGET_CONFIRMED, FieldKind::Checkbox).map(|f| f.id),
        contact_position: find("contacts", names::POSITION, FieldKind::Text).map(|f| f.id),
        company_industry: find("companies", names::INDUSTRY, FieldKind::Select).and_then(choices),
        company_site: find("companies", names::WEBSITE, FieldKind::Url).map(|f| f.id),
    })
}
