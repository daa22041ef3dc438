//! Lists are filtered in SQL by the same rules as single records (R7): on a real database of
//! each kind, the condition built from a member's rights selects exactly the records that
//! `gatehouse_domain::rights::allows` admits, for many random rights, members and records.

use std::collections::{BTreeMap, BTreeSet};

use gatehouse_api::{
    entities::memberships,
    rights::sql::{condition, RecordColumns},
};
use gatehouse_domain::rights::{
    allows, list_filter, Action, Entity, EntityRights, Grant, Level, Record, Rights, StageRights,
    Standing, Subject,
};
use rand::{rngs::StdRng, Rng, SeedableRng};
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, Query},
    ActiveModelTrait, ConnectionTrait, Set,
};

use crate::helpers::{both_databases, spawn_app, Backend};

both_databases!(the_sql_filter_selects_exactly_what_the_rules_allow);

const STAGES: [i64; 3] = [101, 102, 103];

fn level(rng: &mut StdRng) -> Level {
    Level::ALL[rng.gen_range(0..4)]
}

fn grant(rng: &mut StdRng) -> Option<Grant> {
    [None, Some(Grant::A), Some(Grant::D)][rng.gen_range(0..3)]
}

fn rights(rng: &mut StdRng) -> Rights {
    let mut entity = || EntityRights {
        view: level(rng),
        add: if rng.gen_bool(0.5) {
            Grant::A
        } else {
            Grant::D
        },
        edit: level(rng),
        delete: level(rng),
        export: level(rng),
    };
    let mut rights = Rights {
        leads: entity(),
        contacts: entity(),
        companies: entity(),
        tasks: gatehouse_domain::rights::TaskRights {
            edit: level(rng),
            delete: level(rng),
        },
        stages: BTreeMap::new(),
    };
    for stage in STAGES.iter().take(2) {
        if rng.gen_bool(0.6) {
            rights.stages.insert(
                *stage,
                StageRights {
                    view: grant(rng),
                    edit: grant(rng),
                    delete: grant(rng),
                    export: grant(rng),
                },
            );
        }
    }
    rights
}

fn participant(me: i64) -> Expr {
    Expr::col(Alias::new("participant_id")).eq(me)
}

async fn the_sql_filter_selects_exactly_what_the_rules_allow(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let db = &app.db;
    let now = chrono::Utc::now();
    // Six members over two groups and none, rows inserted directly.
    let mut groups = vec![None];
    for name in ["North", "South"] {
        let group = gatehouse_api::entities::groups::ActiveModel {
            account_id: Set(admin.account_id),
            name: Set(name.into()),
            is_default: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        groups.push(Some(group.id));
    }
    let mut members: Vec<(i64, Option<i64>)> = Vec::new();
    for (n, group) in (0..6).zip(groups.iter().cycle()) {
        let identity = gatehouse_api::entities::identities::ActiveModel {
            email: Set(format!("m{n}@acme.example.com")),
            name: Set(format!("Member {n}")),
            language: Set("en".into()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let membership = memberships::ActiveModel {
            account_id: Set(admin.account_id),
            identity_id: Set(identity.id),
            group_id: Set(*group),
            is_admin: Set(false),
            is_free: Set(false),
            is_active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        members.push((membership.id, *group));
    }
    db.execute_unprepared(
        "CREATE TABLE rights_probe (id BIGINT PRIMARY KEY, responsible_id BIGINT NOT NULL, stage_id BIGINT NOT NULL, participant_id BIGINT NOT NULL)",
    )
    .await
    .unwrap();
    let mut rng = StdRng::seed_from_u64(7);
    let mut records = Vec::new();
    for id in 0..120_i64 {
        let (responsible, group) = members[rng.gen_range(0..members.len())];
        let stage = STAGES[rng.gen_range(0..STAGES.len())];
        let participant = members[rng.gen_range(0..members.len())].0;
        db.execute_unprepared(&format!(
            "INSERT INTO rights_probe VALUES ({id}, {responsible}, {stage}, {participant})"
        ))
        .await
        .unwrap();
        records.push((id, responsible, group, stage, participant));
    }
    let columns = RecordColumns {
        responsible: Expr::col(Alias::new("responsible_id")),
        stage: Some(Expr::col(Alias::new("stage_id"))),
        participant: Some(participant),
    };
    let backend_kind = db.get_database_backend();
    for _ in 0..150 {
        let (me, my_group) = members[rng.gen_range(0..members.len())];
        let standing = match rng.gen_range(0..10) {
            0 => Standing::Free,
            1 => Standing::Admin,
            _ => Standing::Member {
                rights: rights(&mut rng),
            },
        };
        let subject = Subject {
            membership_id: me,
            group_id: my_group,
            standing,
        };
        for action in Action::ALL {
            let entity = Entity::Leads;
            let filter = list_filter(&subject, entity, action);
            let query = Query::select()
                .column(Alias::new("id"))
                .from(Alias::new("rights_probe"))
                .cond_where(condition(&filter, &columns))
                .to_owned();
            let selected: BTreeSet<i64> = db
                .query_all(&query)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", backend_kind.build(&query)))
                .iter()
                .map(|row| row.try_get::<i64>("", "id").unwrap())
                .collect();
            let allowed: BTreeSet<i64> = records
                .iter()
                .filter(|(_, responsible, group, stage, participant)| {
                    allows(
                        &subject,
                        action,
                        &Record {
                            entity,
                            responsible_id: *responsible,
                            responsible_group_id: *group,
                            stage_id: Some(*stage),
                            participant: *participant == me,
                        },
                    )
                })
                .map(|r| r.0)
                .collect();
            assert_eq!(selected, allowed, "{subject:?} {action:?}");
        }
    }
}
