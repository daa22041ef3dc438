//! Property tests of the rights model against references written here from the rules (R1–R4),
//! not from the code: a brute-force evaluator, a dependency checker and an exhaustive search for
//! the greatest valid narrowing.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

/// The stage ids the strategies draw from, so rights and records meet on the same stages.
const STAGES: [Id; 3] = [10, 11, 12];
/// A stage no generated rights ever mention: its leads follow the entity rights.
const UNLISTED_STAGE: Id = 99;
const STAGE_ACTIONS: [Action; 4] = [Action::View, Action::Edit, Action::Delete, Action::Export];

// ---------------------------------------------------------------------------------------------
// The reference, written from the rules alone.

/// D < M < G < A.
fn rank(level: Level) -> u8 {
    match level {
        Level::D => 0,
        Level::M => 1,
        Level::G => 2,
        Level::A => 3,
    }
}

fn narrower(a: Level, b: Level) -> Level {
    if rank(a) <= rank(b) {
        a
    } else {
        b
    }
}

fn level_of(grant: Grant) -> Level {
    match grant {
        Grant::A => Level::A,
        Grant::D => Level::D,
    }
}

fn code(level: Level) -> &'static str {
    match level {
        Level::A => "A",
        Level::G => "G",
        Level::M => "M",
        Level::D => "D",
    }
}

fn stage_code(value: Option<Grant>) -> &'static str {
    match value {
        None => "inherit",
        Some(Grant::A) => "A",
        Some(Grant::D) => "D",
    }
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::View => "view",
        Action::Add => "add",
        Action::Edit => "edit",
        Action::Delete => "delete",
        Action::Export => "export",
    }
}

fn stage_value(stage: &StageRights, action: Action) -> Option<Grant> {
    match action {
        Action::View => stage.view,
        Action::Edit => stage.edit,
        Action::Delete => stage.delete,
        Action::Export => stage.export,
        Action::Add => None,
    }
}

fn entity_value(rights: &EntityRights, action: Action) -> Level {
    match action {
        Action::View => rights.view,
        Action::Add => level_of(rights.add),
        Action::Edit => rights.edit,
        Action::Delete => rights.delete,
        Action::Export => rights.export,
    }
}

/// Tasks: edit and delete are set; everyone sees their own tasks and those they may edit, may
/// create tasks, and nobody exports them.
fn task_value(rights: &TaskRights, action: Action) -> Level {
    match action {
        Action::View => {
            if rank(rights.edit) >= rank(Level::M) {
                rights.edit
            } else {
                Level::M
            }
        }
        Action::Add => Level::A,
        Action::Edit => rights.edit,
        Action::Delete => rights.delete,
        Action::Export => Level::D,
    }
}

/// A stage's effective level for an action: its own value when set, else the leads right.
fn stage_effective(leads: &EntityRights, stage: &StageRights, action: Action) -> Level {
    stage_value(stage, action).map_or(entity_value(leads, action), level_of)
}

/// A membership as the database holds it: flags, own rights and perhaps a role's.
#[derive(Debug, Clone)]
struct Member {
    id: Id,
    group: Option<Id>,
    is_free: bool,
    is_admin: bool,
    own: Rights,
    role: Option<Rights>,
}

impl Member {
    fn subject(&self) -> Subject {
        Subject {
            membership_id: self.id,
            group_id: self.group,
            standing: Standing::of(
                self.is_free,
                self.is_admin,
                self.own.clone(),
                self.role.clone(),
            ),
        }
    }
}

/// The rules of R1, R3, R4 and U8, record by record.
fn reference_allows(member: &Member, action: Action, record: &Record) -> bool {
    if member.is_free {
        return record.entity == Entity::Leads && action == Action::View && record.participant;
    }
    if member.is_admin {
        return true;
    }
    let rights = match &member.role {
        Some(role) => role,
        None => &member.own,
    };
    let mut level = match record.entity {
        Entity::Leads => entity_value(&rights.leads, action),
        Entity::Contacts => entity_value(&rights.contacts, action),
        Entity::Companies => entity_value(&rights.companies, action),
        Entity::Tasks => task_value(&rights.tasks, action),
    };
    if record.entity == Entity::Leads {
        if let Some(stage) = record.stage_id.and_then(|id| rights.stages.get(&id)) {
            if let Some(grant) = stage_value(stage, action) {
                level = level_of(grant);
            }
        }
    }
    let mine = record.responsible_id == member.id;
    let my_group = member.group.is_some()
        && record.responsible_group_id.is_some()
        && record.responsible_group_id == member.group;
    match level {
        Level::A => true,
        Level::G => mine || my_group,
        Level::M => mine,
        Level::D => false,
    }
}

fn entity_keeps_dependencies(e: &EntityRights) -> bool {
    rank(e.edit) <= rank(e.view)
        && rank(e.delete) <= rank(e.view)
        && rank(e.delete) <= rank(e.edit)
        && rank(e.export) <= rank(e.view)
}

fn stage_keeps_dependencies(leads: &EntityRights, stage: &StageRights) -> bool {
    let view = rank(stage_effective(leads, stage, Action::View));
    let edit = rank(stage_effective(leads, stage, Action::Edit));
    let delete = rank(stage_effective(leads, stage, Action::Delete));
    let export = rank(stage_effective(leads, stage, Action::Export));
    edit <= view && delete <= view && delete <= edit && export <= view
}

/// R2 over everything a rights value holds.
fn keeps_dependencies(rights: &Rights) -> bool {
    entity_keeps_dependencies(&rights.leads)
        && entity_keeps_dependencies(&rights.contacts)
        && entity_keeps_dependencies(&rights.companies)
        && rank(rights.tasks.delete) <= rank(rights.tasks.edit)
        && rights
            .stages
            .values()
            .all(|stage| stage_keeps_dependencies(&rights.leads, stage))
}

fn entities(rights: &Rights) -> [(&'static str, &EntityRights); 3] {
    [
        ("leads", &rights.leads),
        ("contacts", &rights.contacts),
        ("companies", &rights.companies),
    ]
}

/// Every stored value by its path, stage values of `stage_ids` included (absent = inherit).
fn values_by_path(rights: &Rights, stage_ids: &BTreeSet<Id>) -> BTreeMap<String, &'static str> {
    let mut values = BTreeMap::new();
    for (name, e) in entities(rights) {
        for action in Action::ALL {
            values.insert(
                format!("{name}.{}", action_name(action)),
                code(entity_value(e, action)),
            );
        }
    }
    values.insert("tasks.edit".to_owned(), code(rights.tasks.edit));
    values.insert("tasks.delete".to_owned(), code(rights.tasks.delete));
    for id in stage_ids {
        let stage = rights.stages.get(id).copied().unwrap_or_default();
        for action in STAGE_ACTIONS {
            values.insert(
                format!("stages.{id}.{}", action_name(action)),
                stage_code(stage_value(&stage, action)),
            );
        }
    }
    values
}

/// Every level in effect by its path: entity levels and the effective level of each listed
/// stage and of one unlisted stage.
fn effective_levels(rights: &Rights, stage_ids: &BTreeSet<Id>) -> BTreeMap<String, u8> {
    let mut levels = BTreeMap::new();
    for (name, e) in entities(rights) {
        for action in Action::ALL {
            levels.insert(
                format!("{name}.{}", action_name(action)),
                rank(entity_value(e, action)),
            );
        }
    }
    for action in Action::ALL {
        levels.insert(
            format!("tasks.{}", action_name(action)),
            rank(task_value(&rights.tasks, action)),
        );
    }
    for id in stage_ids.iter().chain([&UNLISTED_STAGE]) {
        let stage = rights.stages.get(id).copied().unwrap_or_default();
        for action in STAGE_ACTIONS {
            levels.insert(
                format!("stages.{id}.{}", action_name(action)),
                rank(stage_effective(&rights.leads, &stage, action)),
            );
        }
    }
    levels
}

/// A blunt fix that yields rights keeping their dependencies: clamp entity values, set a
/// stage's offending values to D, drop empty stages. Not the greatest narrowing, only a source
/// of already-normal rights.
fn bluntly_fixed(mut rights: Rights) -> Rights {
    for e in [
        &mut rights.leads,
        &mut rights.contacts,
        &mut rights.companies,
    ] {
        e.edit = narrower(e.edit, e.view);
        e.delete = narrower(e.delete, narrower(e.view, e.edit));
        e.export = narrower(e.export, e.view);
    }
    rights.tasks.delete = narrower(rights.tasks.delete, rights.tasks.edit);
    let leads = rights.leads;
    for stage in rights.stages.values_mut() {
        let view = rank(stage_effective(&leads, stage, Action::View));
        if rank(stage_effective(&leads, stage, Action::Edit)) > view {
            stage.edit = Some(Grant::D);
        }
        let edit = rank(stage_effective(&leads, stage, Action::Edit));
        if rank(stage_effective(&leads, stage, Action::Delete)) > view.min(edit) {
            stage.delete = Some(Grant::D);
        }
        if rank(stage_effective(&leads, stage, Action::Export)) > view {
            stage.export = Some(Grant::D);
        }
    }
    rights
        .stages
        .retain(|_, stage| *stage != StageRights::default());
    rights
}

/// All 4⁴ × 2 entity rights.
fn every_entity_rights() -> Vec<EntityRights> {
    let mut all = Vec::new();
    for view in Level::ALL {
        for add in [Grant::A, Grant::D] {
            for edit in Level::ALL {
                for delete in Level::ALL {
                    for export in Level::ALL {
                        all.push(EntityRights {
                            view,
                            add,
                            edit,
                            delete,
                            export,
                        });
                    }
                }
            }
        }
    }
    all
}

/// All 3⁴ stage rights.
fn every_stage_rights() -> Vec<StageRights> {
    let values = [None, Some(Grant::A), Some(Grant::D)];
    let mut all = Vec::new();
    for view in values {
        for edit in values {
            for delete in values {
                for export in values {
                    all.push(StageRights {
                        view,
                        edit,
                        delete,
                        export,
                    });
                }
            }
        }
    }
    all
}

fn entity_at_most(a: &EntityRights, b: &EntityRights) -> bool {
    Action::ALL
        .into_iter()
        .all(|action| rank(entity_value(a, action)) <= rank(entity_value(b, action)))
}

// ---------------------------------------------------------------------------------------------
// Strategies: small ranges, so ids, groups and stages collide often.

fn level() -> impl Strategy<Value = Level> {
    prop::sample::select(Level::ALL.to_vec())
}

fn grant() -> impl Strategy<Value = Grant> {
    prop_oneof![Just(Grant::A), Just(Grant::D)]
}

fn stage_setting() -> impl Strategy<Value = Option<Grant>> {
    prop_oneof![Just(None), grant().prop_map(Some)]
}

fn entity_rights() -> impl Strategy<Value = EntityRights> {
    (level(), grant(), level(), level(), level()).prop_map(|(view, add, edit, delete, export)| {
        EntityRights {
            view,
            add,
            edit,
            delete,
            export,
        }
    })
}

fn stage_rights() -> impl Strategy<Value = StageRights> {
    (
        stage_setting(),
        stage_setting(),
        stage_setting(),
        stage_setting(),
    )
        .prop_map(|(view, edit, delete, export)| StageRights {
            view,
            edit,
            delete,
            export,
        })
}

fn rights() -> impl Strategy<Value = Rights> {
    (
        entity_rights(),
        entity_rights(),
        entity_rights(),
        (level(), level()),
        prop::collection::btree_map(prop::sample::select(STAGES.to_vec()), stage_rights(), 0..=3),
    )
        .prop_map(
            |(leads, contacts, companies, (edit, delete), stages)| Rights {
                leads,
                contacts,
                companies,
                tasks: TaskRights { edit, delete },
                stages,
            },
        )
}

fn member() -> impl Strategy<Value = Member> {
    (
        0..4_i64,
        prop::option::of(0..3_i64),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
        rights(),
        prop::option::of(rights()),
    )
        .prop_map(|(id, group, is_free, is_admin, own, role)| Member {
            id,
            group,
            is_free,
            is_admin,
            own,
            role,
        })
}

fn record() -> impl Strategy<Value = Record> {
    (
        prop::sample::select(Entity::ALL.to_vec()),
        0..4_i64,
        prop::option::of(0..3_i64),
        prop::option::of(prop::sample::select(vec![
            STAGES[0],
            STAGES[1],
            STAGES[2],
            UNLISTED_STAGE,
        ])),
        any::<bool>(),
    )
        .prop_map(
            |(entity, responsible_id, responsible_group_id, stage_id, participant)| Record {
                entity,
                responsible_id,
                responsible_group_id,
                stage_id,
                participant,
            },
        )
}

// ---------------------------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn allows_the_list_filter_and_may_add_agree_with_the_reference_rules(
        member in member(),
        records in prop::collection::vec(record(), 1..8),
    ) {
        let subject = member.subject();
        for record in &records {
            for action in Action::ALL {
                let expected = reference_allows(&member, action, record);
                let allowed = allows(&subject, action, record);
                prop_assert_eq!(allowed, expected, "{:?} {:?}", action, record);
                let filter = list_filter(&subject, record.entity, action);
                prop_assert_eq!(filter.admits(record), allowed, "{:?} {:?} {:?}", action, record, filter);
                if filter.is_nothing() {
                    prop_assert!(!allowed, "an empty filter admitted {:?} {:?}", action, record);
                }
            }
            prop_assert_eq!(
                may_add(&subject, record.entity),
                allows(&subject, Action::Add, record),
                "add {:?}", record
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalised_rights_keep_every_dependency(input in rights()) {
        let mut rights = input;
        rights.normalise();
        prop_assert!(keeps_dependencies(&rights), "{:?}", rights);
        prop_assert!(
            rights.stages.values().all(|stage| *stage != StageRights::default()),
            "an empty stage entry was kept: {:?}", rights.stages
        );
        prop_assert!(rights.is_normal());
    }

    #[test]
    fn normalising_twice_changes_nothing_more(input in rights()) {
        let mut once = input;
        once.normalise();
        let mut twice = once.clone();
        let narrowed = twice.normalise();
        prop_assert!(narrowed.is_empty(), "{:?}", narrowed);
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn normalising_never_widens_any_effective_level(input in rights()) {
        let stage_ids: BTreeSet<Id> = input.stages.keys().copied().collect();
        let before = effective_levels(&input, &stage_ids);
        let mut rights = input;
        rights.normalise();
        let after = effective_levels(&rights, &stage_ids);
        for (path, level) in &after {
            prop_assert!(*level <= before[path], "{} widened: {} > {}", path, level, before[path]);
        }
    }

    #[test]
    fn rights_that_keep_their_dependencies_come_back_unchanged_and_unreported(
        input in rights().prop_map(bluntly_fixed),
    ) {
        prop_assert!(keeps_dependencies(&input));
        let mut rights = input.clone();
        let narrowed = rights.normalise();
        prop_assert!(narrowed.is_empty(), "{:?}", narrowed);
        prop_assert_eq!(rights, input.clone());
        prop_assert!(input.is_normal());
    }

    #[test]
    fn the_report_lists_exactly_the_values_that_changed(input in rights()) {
        let stage_ids: BTreeSet<Id> = input.stages.keys().copied().collect();
        let before = values_by_path(&input, &stage_ids);
        let mut rights = input;
        let narrowed = rights.normalise();
        let after = values_by_path(&rights, &stage_ids);
        let changed: BTreeSet<(String, String, String)> = before
            .iter()
            .filter(|(path, from)| after[*path] != **from)
            .map(|(path, from)| (path.clone(), (*from).to_owned(), after[path].to_owned()))
            .collect();
        let reported: BTreeSet<(String, String, String)> = narrowed
            .iter()
            .map(|n| (n.right.clone(), n.from.clone(), n.to.clone()))
            .collect();
        prop_assert_eq!(reported.len(), narrowed.len(), "a path reported twice: {:?}", narrowed);
        prop_assert_eq!(reported, changed);
    }

    #[test]
    fn entity_rights_are_narrowed_to_the_greatest_valid_rights_below_them(
        leads in entity_rights(),
        contacts in entity_rights(),
        companies in entity_rights(),
    ) {
        let mut rights = Rights { leads, contacts, companies, ..Rights::all() };
        rights.normalise();
        let every = every_entity_rights();
        for (input, normalised) in [
            (leads, rights.leads),
            (contacts, rights.contacts),
            (companies, rights.companies),
        ] {
            prop_assert!(entity_at_most(&normalised, &input));
            prop_assert!(entity_keeps_dependencies(&normalised));
            for candidate in every
                .iter()
                .filter(|c| entity_at_most(c, &input) && entity_keeps_dependencies(c))
            {
                prop_assert!(
                    entity_at_most(candidate, &normalised),
                    "{:?} normalised to {:?}, but {:?} is valid and wider", input, normalised, candidate
                );
            }
        }
    }

    /// Stage values are judged by their effect under the normalised leads rights: among the
    /// 3⁴ stage settings that keep the dependencies and reach no further than the input, the
    /// normalised one reaches furthest on every action.
    #[test]
    fn stage_rights_are_narrowed_to_the_widest_valid_settings_below_them(input in rights()) {
        let mut rights = input.clone();
        rights.normalise();
        let leads = rights.leads;
        let every = every_stage_rights();
        for (id, before) in &input.stages {
            let after = rights.stages.get(id).copied().unwrap_or_default();
            for candidate in every.iter().filter(|c| {
                stage_keeps_dependencies(&leads, c)
                    && STAGE_ACTIONS.iter().all(|a| {
                        rank(stage_effective(&leads, c, *a)) <= rank(stage_effective(&leads, before, *a))
                    })
            }) {
                for action in STAGE_ACTIONS {
                    prop_assert!(
                        rank(stage_effective(&leads, candidate, action))
                            <= rank(stage_effective(&leads, &after, action)),
                        "stage {} {:?} became {:?}, but {:?} is valid and wider", id, before, after, candidate
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `/me` ships [`Access`] to the web app, which evaluates [`allows`] itself (R7, R8).
    #[test]
    fn access_survives_the_trip_to_the_web_app(
        member in member(),
        hidden in prop::collection::vec(prop::sample::select(Section::ALL.to_vec()), 0..4),
    ) {
        let subject = member.subject();
        let access = Access {
            standing: subject.standing.clone(),
            group_id: subject.group_id,
            hidden_sections: hidden,
        };
        let json = serde_json::to_string(&access).unwrap();
        let back: Access = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.subject(subject.membership_id), subject);
        prop_assert_eq!(back, access);
    }
}

// ---------------------------------------------------------------------------------------------
// Examples.

fn member_with(rights: Rights, id: Id, group: Option<Id>) -> Subject {
    Subject {
        membership_id: id,
        group_id: group,
        standing: Standing::Member { rights },
    }
}

fn only(level: Level) -> EntityRights {
    EntityRights {
        view: level,
        add: Grant::A,
        edit: level,
        delete: level,
        export: level,
    }
}

fn lead(responsible_id: Id, responsible_group_id: Option<Id>, stage_id: Option<Id>) -> Record {
    Record {
        entity: Entity::Leads,
        responsible_id,
        responsible_group_id,
        stage_id,
        participant: false,
    }
}

const READ_WRITE: [Action; 4] = [Action::View, Action::Edit, Action::Delete, Action::Export];

#[test]
fn an_m_level_member_is_never_admitted_to_a_colleagues_lead() {
    let rights = Rights {
        leads: only(Level::M),
        ..Rights::all()
    };
    let me = member_with(rights, 1, Some(7));
    let colleagues = lead(2, Some(7), None);
    let mine = lead(1, Some(7), None);
    for action in READ_WRITE {
        assert!(!allows(&me, action, &colleagues), "{action:?}");
        assert!(allows(&me, action, &mine), "{action:?}");
    }
}

#[test]
fn g_level_admits_a_same_group_colleagues_record_but_not_another_groups() {
    let rights = Rights {
        contacts: only(Level::G),
        ..Rights::all()
    };
    let me = member_with(rights, 1, Some(7));
    let contact = |responsible_id, group| Record {
        entity: Entity::Contacts,
        responsible_id,
        responsible_group_id: group,
        stage_id: None,
        participant: false,
    };
    for action in READ_WRITE {
        assert!(allows(&me, action, &contact(2, Some(7))), "{action:?}");
        assert!(!allows(&me, action, &contact(3, Some(8))), "{action:?}");
        assert!(!allows(&me, action, &contact(3, None)), "{action:?}");
        assert!(allows(&me, action, &contact(1, Some(7))), "{action:?}");
    }
}

#[test]
fn g_level_without_a_group_admits_only_my_own_records() {
    let rights = Rights {
        leads: only(Level::G),
        ..Rights::all()
    };
    let me = member_with(rights, 1, None);
    assert!(allows(&me, Action::View, &lead(1, None, None)));
    assert!(!allows(&me, Action::View, &lead(2, None, None)));
}

#[test]
fn a_stage_set_to_d_narrows_an_a_entity_right() {
    let mut rights = Rights::all();
    rights.stages.insert(
        10,
        StageRights {
            edit: Some(Grant::D),
            delete: Some(Grant::D),
            ..StageRights::default()
        },
    );
    let me = member_with(rights, 1, Some(7));
    let in_stage = lead(2, Some(8), Some(10));
    assert!(allows(&me, Action::View, &in_stage));
    assert!(!allows(&me, Action::Edit, &in_stage));
    assert!(!allows(&me, Action::Delete, &in_stage));
    assert!(!allows(&me, Action::Edit, &lead(1, Some(7), Some(10))));
    assert!(allows(&me, Action::Edit, &lead(2, Some(8), Some(11))));
}

#[test]
fn a_stage_set_to_a_widens_a_d_entity_right() {
    let mut rights = Rights {
        leads: EntityRights::NONE,
        ..Rights::all()
    };
    rights.stages.insert(
        10,
        StageRights {
            view: Some(Grant::A),
            ..StageRights::default()
        },
    );
    let me = member_with(rights, 1, Some(7));
    assert!(allows(&me, Action::View, &lead(2, Some(8), Some(10))));
    assert!(!allows(&me, Action::Edit, &lead(2, Some(8), Some(10))));
    assert!(!allows(&me, Action::View, &lead(2, Some(8), Some(11))));
    assert!(!allows(&me, Action::View, &lead(1, Some(7), None)));
}

#[test]
fn an_administrator_is_admitted_to_every_record_and_action() {
    let admin = Subject {
        membership_id: 1,
        group_id: None,
        standing: Standing::of(false, true, Rights::none(), Some(Rights::none())),
    };
    for entity in Entity::ALL {
        assert!(may_add(&admin, entity));
        for action in Action::ALL {
            let record = Record {
                entity,
                responsible_id: 2,
                responsible_group_id: Some(8),
                stage_id: (entity == Entity::Leads).then_some(10),
                participant: false,
            };
            assert!(allows(&admin, action, &record), "{entity:?} {action:?}");
        }
    }
}

#[test]
fn a_free_user_only_views_the_leads_they_take_part_in_even_as_an_administrator() {
    let free = Subject {
        membership_id: 1,
        group_id: Some(7),
        standing: Standing::of(true, true, Rights::all(), None),
    };
    assert_eq!(free.standing, Standing::Free);
    let taking_part = Record {
        participant: true,
        ..lead(2, Some(8), Some(10))
    };
    assert!(allows(&free, Action::View, &taking_part));
    for action in [Action::Add, Action::Edit, Action::Delete, Action::Export] {
        assert!(!allows(&free, action, &taking_part), "{action:?}");
    }
    assert!(!allows(&free, Action::View, &lead(1, Some(7), None)));
    for entity in Entity::ALL {
        assert!(!may_add(&free, entity));
        if entity != Entity::Leads {
            let record = Record {
                entity,
                responsible_id: 1,
                responsible_group_id: Some(7),
                stage_id: None,
                participant: true,
            };
            assert!(!allows(&free, Action::View, &record), "{entity:?}");
        }
    }
}

#[test]
fn a_roles_rights_replace_the_members_own_rights() {
    let role = Rights {
        leads: only(Level::M),
        ..Rights::none()
    };
    let subject = Subject {
        membership_id: 1,
        group_id: Some(7),
        standing: Standing::of(false, false, Rights::all(), Some(role)),
    };
    assert!(!allows(&subject, Action::View, &lead(2, Some(7), None)));
    assert!(allows(&subject, Action::View, &lead(1, Some(7), None)));
    assert!(!may_add(&subject, Entity::Contacts));

    let without_role = Subject {
        standing: Standing::of(false, false, Rights::all(), None),
        ..subject
    };
    assert!(allows(&without_role, Action::View, &lead(2, Some(7), None)));
    assert!(may_add(&without_role, Entity::Contacts));
}

#[test]
fn hiding_stages_hides_their_leads_and_nothing_else() {
    let mut rights = Rights::all();
    rights.hide_stages([10, 11]);
    assert!(rights.is_normal());
    let me = member_with(rights, 1, Some(7));
    for stage in [10, 11] {
        for action in READ_WRITE {
            assert!(
                !allows(&me, action, &lead(1, Some(7), Some(stage))),
                "{stage} {action:?}"
            );
        }
    }
    for action in READ_WRITE {
        assert!(
            allows(&me, action, &lead(2, Some(8), Some(12))),
            "{action:?}"
        );
        assert!(allows(&me, action, &lead(2, Some(8), None)), "{action:?}");
    }
    assert!(may_add(&me, Entity::Leads));
    let filter = list_filter(&me, Entity::Leads, Action::View);
    assert_eq!(filter.default, Scope::All);
    assert_eq!(
        filter.stages,
        vec![(10, Scope::Nothing), (11, Scope::Nothing)]
    );
}

#[test]
fn normalising_reports_each_narrowed_entity_value() {
    let mut rights = Rights {
        leads: EntityRights {
            view: Level::M,
            add: Grant::A,
            edit: Level::A,
            delete: Level::G,
            export: Level::D,
        },
        tasks: TaskRights {
            edit: Level::G,
            delete: Level::A,
        },
        ..Rights::all()
    };
    let narrowed = rights.normalise();
    let report: Vec<(&str, &str, &str)> = narrowed
        .iter()
        .map(|n| (n.right.as_str(), n.from.as_str(), n.to.as_str()))
        .collect();
    assert_eq!(
        report,
        vec![
            ("leads.edit", "A", "M"),
            ("leads.delete", "G", "M"),
            ("tasks.delete", "A", "G"),
        ]
    );
}

#[test]
fn a_stage_value_above_its_bound_falls_to_the_widest_setting_within_it() {
    let mut rights = Rights {
        leads: EntityRights {
            view: Level::G,
            add: Grant::A,
            edit: Level::M,
            delete: Level::M,
            export: Level::M,
        },
        ..Rights::all()
    };
    rights.stages.insert(
        12,
        StageRights {
            edit: Some(Grant::A),
            export: Some(Grant::A),
            view: Some(Grant::D),
            ..StageRights::default()
        },
    );
    rights.stages.insert(
        13,
        StageRights {
            edit: Some(Grant::A),
            ..StageRights::default()
        },
    );
    rights.leads.export = Level::D;
    rights.stages.insert(
        14,
        StageRights {
            view: Some(Grant::D),
            export: Some(Grant::A),
            ..StageRights::default()
        },
    );
    let narrowed = rights.normalise();
    let report: Vec<(&str, &str, &str)> = narrowed
        .iter()
        .map(|n| (n.right.as_str(), n.from.as_str(), n.to.as_str()))
        .collect();
    assert_eq!(
        report,
        vec![
            ("stages.12.edit", "A", "D"),
            ("stages.12.delete", "inherit", "D"),
            ("stages.12.export", "A", "inherit"),
            ("stages.13.edit", "A", "inherit"),
            // D either way: following the entity right is preferred to an explicit D.
            ("stages.14.edit", "inherit", "D"),
            ("stages.14.delete", "inherit", "D"),
            ("stages.14.export", "A", "inherit"),
        ]
    );
    assert_eq!(
        rights.stages.get(&12),
        Some(&StageRights {
            export: None,
            ..StageRights::HIDDEN
        })
    );
    assert!(
        !rights.stages.contains_key(&13),
        "an emptied stage is dropped"
    );
}

#[test]
fn stage_rights_keep_their_json_shape_and_read_back_inside_me() {
    let mut rights = Rights::all();
    rights.stages.insert(
        10,
        StageRights {
            view: Some(Grant::A),
            ..StageRights::HIDDEN
        },
    );
    let access = Access {
        standing: Standing::Member { rights },
        group_id: Some(7),
        hidden_sections: vec![Section::Mail],
    };
    let json = serde_json::to_value(&access).unwrap();
    assert_eq!(json["standing"]["kind"], "member");
    assert_eq!(
        json["standing"]["rights"]["stages"]["10"],
        serde_json::json!({"view": "A", "edit": "D", "delete": "D", "export": "D"})
    );
    let back: Access = serde_json::from_value(json).unwrap();
    assert_eq!(back, access);
    let partial: StageRights = serde_json::from_str(r#"{"view": "D"}"#).unwrap();
    assert_eq!(partial.edit, None);
    assert!(serde_json::from_str::<Rights>(
        r#"{"leads": {"view": "A", "add": "A", "edit": "A", "delete": "A", "export": "A"},
            "contacts": {"view": "A", "add": "A", "edit": "A", "delete": "A", "export": "A"},
            "companies": {"view": "A", "add": "A", "edit": "A", "delete": "A", "export": "A"},
            "tasks": {"edit": "A", "delete": "A"},
            "stages": {"ten": {}}}"#
    )
    .is_err());
}

#[test]
fn empty_stage_entries_are_dropped_without_a_report() {
    let mut rights = Rights::all();
    rights.stages.insert(10, StageRights::default());
    assert!(rights.is_normal());
    assert!(rights.normalise().is_empty());
    assert!(rights.stages.is_empty());
}

#[test]
fn a_free_user_sees_only_the_leads_section() {
    assert_eq!(
        Section::hidden(&Standing::Free, &[], &[]),
        Section::ALL
            .into_iter()
            .filter(|s| *s != Section::Leads)
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_member_never_sees_settings_and_misses_what_they_or_their_role_hide() {
    let member = Standing::Member {
        rights: Rights::all(),
    };
    assert_eq!(Section::hidden(&member, &[], &[]), vec![Section::Settings]);
    assert_eq!(
        Section::hidden(
            &member,
            &[Section::Mail, Section::Analytics],
            &[Section::Analytics, Section::Dashboard]
        ),
        vec![
            Section::Dashboard,
            Section::Analytics,
            Section::Mail,
            Section::Settings
        ]
    );
}

#[test]
fn an_administrator_sees_every_section_nobody_hid() {
    assert!(Section::hidden(&Standing::Admin, &[], &[]).is_empty());
}
