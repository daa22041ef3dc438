//! The rights model (R1–R7): what a member may do to which records, evaluated by one function
//! that the API uses for every check, the web app uses to show or hide actions, and that also
//! turns into the SQL filter of lists ([`ListFilter`]).
//!
//! A member's standing decides first: a free user (U8) sees only the leads they take part in,
//! whatever else they are; an administrator may do everything; everyone else has rights — their
//! role's when they have one (R4), else their own.

mod normalise;
mod sections;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use normalise::Narrowing;
pub use sections::Section;

use crate::Id;

/// How far a right reaches (R1), from widest to narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    /// All records.
    A,
    /// Records whose responsible member is in my group (and my own).
    G,
    /// Records I am responsible for.
    M,
    /// None.
    D,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::A, Level::G, Level::M, Level::D];

    /// D = 0 … A = 3, so `a.rank() <= b.rank()` reads "a is at most b".
    #[must_use]
    pub const fn rank(self) -> u8 {
        match self {
            Self::D => 0,
            Self::M => 1,
            Self::G => 2,
            Self::A => 3,
        }
    }

    /// The narrower of the two.
    #[must_use]
    pub fn min(self, other: Self) -> Self {
        if self.rank() <= other.rank() {
            self
        } else {
            other
        }
    }

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::G => "G",
            Self::M => "M",
            Self::D => "D",
        }
    }
}

/// A right that is either granted for all records or denied: `add` (R1) and stage rights (R3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Grant {
    A,
    D,
}

impl Grant {
    #[must_use]
    pub const fn level(self) -> Level {
        match self {
            Self::A => Level::A,
            Self::D => Level::D,
        }
    }
}

/// The record types rights speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Leads,
    Contacts,
    Companies,
    Tasks,
}

impl Entity {
    pub const ALL: [Entity; 4] = [
        Entity::Leads,
        Entity::Contacts,
        Entity::Companies,
        Entity::Tasks,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Leads => "leads",
            Self::Contacts => "contacts",
            Self::Companies => "companies",
            Self::Tasks => "tasks",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    View,
    Add,
    Edit,
    Delete,
    Export,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::View,
        Action::Add,
        Action::Edit,
        Action::Delete,
        Action::Export,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Add => "add",
            Self::Edit => "edit",
            Self::Delete => "delete",
            Self::Export => "export",
        }
    }
}

/// Rights on leads, contacts or companies (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EntityRights {
    pub view: Level,
    pub add: Grant,
    pub edit: Level,
    pub delete: Level,
    pub export: Level,
}

impl EntityRights {
    pub const ALL: Self = Self {
        view: Level::A,
        add: Grant::A,
        edit: Level::A,
        delete: Level::A,
        export: Level::A,
    };
    pub const NONE: Self = Self {
        view: Level::D,
        add: Grant::D,
        edit: Level::D,
        delete: Level::D,
        export: Level::D,
    };

    #[must_use]
    pub const fn level(&self, action: Action) -> Level {
        match action {
            Action::View => self.view,
            Action::Add => self.add.level(),
            Action::Edit => self.edit,
            Action::Delete => self.delete,
            Action::Export => self.export,
        }
    }
}

/// Rights on tasks (R1): only edit and delete are set. Everyone sees the tasks they are
/// responsible for and those they may edit, and may create tasks; tasks are not exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskRights {
    pub edit: Level,
    pub delete: Level,
}

impl TaskRights {
    #[must_use]
    pub fn level(&self, action: Action) -> Level {
        match action {
            Action::View => self.edit.max_with(Level::M),
            Action::Add => Level::A,
            Action::Edit => self.edit,
            Action::Delete => self.delete,
            Action::Export => Level::D,
        }
    }
}

impl Level {
    /// The wider of the two.
    #[must_use]
    pub fn max_with(self, other: Self) -> Self {
        if self.rank() >= other.rank() {
            self
        } else {
            other
        }
    }
}

/// Rights on the leads of one pipeline stage (R3): each action either set for the stage (A or
/// D, replacing the entity right for leads in it — narrowing or widening) or left to the entity
/// right (`null`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StageRights {
    #[serde(default)]
    pub view: Option<Grant>,
    #[serde(default)]
    pub edit: Option<Grant>,
    #[serde(default)]
    pub delete: Option<Grant>,
    #[serde(default)]
    pub export: Option<Grant>,
}

impl StageRights {
    /// "Separate access to a pipeline" turned off: nothing of the stage is visible.
    pub const HIDDEN: Self = Self {
        view: Some(Grant::D),
        edit: Some(Grant::D),
        delete: Some(Grant::D),
        export: Some(Grant::D),
    };

    /// The stage's own setting for an action (`add` is never a stage right).
    #[must_use]
    pub const fn get(&self, action: Action) -> Option<Grant> {
        match action {
            Action::View => self.view,
            Action::Edit => self.edit,
            Action::Delete => self.delete,
            Action::Export => self.export,
            Action::Add => None,
        }
    }

    pub fn set(&mut self, action: Action, grant: Option<Grant>) {
        match action {
            Action::View => self.view = grant,
            Action::Edit => self.edit = grant,
            Action::Delete => self.delete = grant,
            Action::Export => self.export = grant,
            Action::Add => {}
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A member's or a role's rights (R1, R3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rights {
    pub leads: EntityRights,
    pub contacts: EntityRights,
    pub companies: EntityRights,
    pub tasks: TaskRights,
    /// Stage id → the stage's rights; stages not listed follow `leads`.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "stage_map"
    )]
    pub stages: BTreeMap<Id, StageRights>,
}

/// Reads `stages`, whose ids are JSON object keys and so strings. serde_json turns such keys
/// into numbers itself, but not once serde has buffered the map — as it does inside
/// [`Standing`], an internally tagged enum — so `/me` could not be read back whenever a member
/// had stage rights. Here a key is taken as a number or as a string holding one.
fn stage_map<'de, D>(deserializer: D) -> Result<BTreeMap<Id, StageRights>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    struct StageId(Id);

    impl<'de> Deserialize<'de> for StageId {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(StageIdVisitor)
        }
    }

    struct StageIdVisitor;

    impl serde::de::Visitor<'_> for StageIdVisitor {
        type Value = StageId;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a stage id")
        }

        fn visit_i64<E: serde::de::Error>(self, id: i64) -> Result<StageId, E> {
            Ok(StageId(id))
        }

        fn visit_u64<E: serde::de::Error>(self, id: u64) -> Result<StageId, E> {
            Id::try_from(id)
                .map(StageId)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(id), &self))
        }

        fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<StageId, E> {
            id.parse()
                .map(StageId)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Str(id), &self))
        }
    }

    let stages = BTreeMap::<StageId, StageRights>::deserialize(deserializer)?;
    Ok(stages
        .into_iter()
        .map(|(id, stage)| (id.0, stage))
        .collect())
}

impl Default for Rights {
    /// A new member's rights: everything on every record, as amoCRM gives a new user.
    fn default() -> Self {
        Self::all()
    }
}

impl Rights {
    #[must_use]
    pub fn all() -> Self {
        Self {
            leads: EntityRights::ALL,
            contacts: EntityRights::ALL,
            companies: EntityRights::ALL,
            tasks: TaskRights {
                edit: Level::A,
                delete: Level::A,
            },
            stages: BTreeMap::new(),
        }
    }

    #[must_use]
    pub fn none() -> Self {
        Self {
            leads: EntityRights::NONE,
            contacts: EntityRights::NONE,
            companies: EntityRights::NONE,
            tasks: TaskRights {
                edit: Level::D,
                delete: Level::D,
            },
            stages: BTreeMap::new(),
        }
    }

    /// The level of an action on an entity before stage rights.
    #[must_use]
    pub fn level(&self, entity: Entity, action: Action) -> Level {
        match entity {
            Entity::Leads => self.leads.level(action),
            Entity::Contacts => self.contacts.level(action),
            Entity::Companies => self.companies.level(action),
            Entity::Tasks => self.tasks.level(action),
        }
    }

    /// The level of an action on leads in a stage: the stage's own setting when it has one.
    #[must_use]
    pub fn stage_level(&self, stage_id: Id, action: Action) -> Level {
        self.stages
            .get(&stage_id)
            .and_then(|s| s.get(action))
            .map_or_else(|| self.leads.level(action), Grant::level)
    }

    /// Hides every given stage (a whole pipeline, R3) in one act.
    pub fn hide_stages(&mut self, stage_ids: impl IntoIterator<Item = Id>) {
        for id in stage_ids {
            self.stages.insert(id, StageRights::HIDDEN);
        }
    }
}

/// What decides a member's rights, strongest first (R4, U8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Standing {
    /// Sees only the leads they take part in, may write in their timeline, edits their own
    /// profile — whatever their other flags say.
    Free,
    /// May do everything.
    Admin,
    /// Holds these rights (the role's, when the member has a role).
    Member { rights: Rights },
}

impl Standing {
    /// The standing from a membership's flags and rights: free overrides admin, admin
    /// overrides rights, a role's rights override the member's own.
    #[must_use]
    pub fn of(is_free: bool, is_admin: bool, own: Rights, role: Option<Rights>) -> Self {
        if is_free {
            Self::Free
        } else if is_admin {
            Self::Admin
        } else {
            Self::Member {
                rights: role.unwrap_or(own),
            }
        }
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub membership_id: Id,
    pub group_id: Option<Id>,
    pub standing: Standing,
}

/// What the rules need to know of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub entity: Entity,
    pub responsible_id: Id,
    /// The responsible member's group.
    pub responsible_group_id: Option<Id>,
    /// A lead's stage (`None` for other entities).
    pub stage_id: Option<Id>,
    /// Whether the subject takes part in the lead (how free users see leads, U8).
    pub participant: bool,
}

/// Which records a level admits for one subject, in terms a database can filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// Records whose responsible member is in `group_id`, or is `me`.
    Group {
        group_id: Id,
        me: Id,
    },
    /// Records whose responsible member is `me`.
    Own {
        me: Id,
    },
    /// Leads `me` takes part in (free users).
    Participant {
        me: Id,
    },
    Nothing,
}

impl Scope {
    fn of(level: Level, subject: &Subject) -> Self {
        let me = subject.membership_id;
        match (level, subject.group_id) {
            (Level::A, _) => Self::All,
            (Level::G, Some(group_id)) => Self::Group { group_id, me },
            (Level::G, None) | (Level::M, _) => Self::Own { me },
            (Level::D, _) => Self::Nothing,
        }
    }

    /// Whether the scope admits the record.
    #[must_use]
    pub fn admits(&self, record: &Record) -> bool {
        match *self {
            Self::All => true,
            Self::Group { group_id, me } => {
                record.responsible_id == me || record.responsible_group_id == Some(group_id)
            }
            Self::Own { me } => record.responsible_id == me,
            Self::Participant { .. } => record.participant,
            Self::Nothing => false,
        }
    }
}

/// The records of one entity a subject may act on, as a list filter (R7): a default scope and,
/// for leads, the stages whose rights differ from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    pub default: Scope,
    /// Stage id → the scope of leads in that stage, where it differs from `default`.
    pub stages: Vec<(Id, Scope)>,
}

impl ListFilter {
    /// What [`allows`] answers for this record: the database filter must agree with it.
    #[must_use]
    pub fn admits(&self, record: &Record) -> bool {
        let scope = record
            .stage_id
            .and_then(|s| self.stages.iter().find(|(id, _)| *id == s))
            .map_or(&self.default, |(_, scope)| scope);
        scope.admits(record)
    }

    /// Whether no record at all can pass (the list need not be queried).
    #[must_use]
    pub fn is_nothing(&self) -> bool {
        self.default == Scope::Nothing && self.stages.iter().all(|(_, s)| *s == Scope::Nothing)
    }
}

/// The one evaluation of rights (R7): may `subject` do `action` to `record`?
#[must_use]
pub fn allows(subject: &Subject, action: Action, record: &Record) -> bool {
    list_filter(subject, record.entity, action).admits(record)
}

/// May `subject` create records of `entity` (`add`, R1)?
#[must_use]
pub fn may_add(subject: &Subject, entity: Entity) -> bool {
    match &subject.standing {
        Standing::Free => false,
        Standing::Admin => true,
        Standing::Member { rights } => rights.level(entity, Action::Add) == Level::A,
    }
}

/// The records of `entity` that `subject` may do `action` to, as a filter for lists.
#[must_use]
pub fn list_filter(subject: &Subject, entity: Entity, action: Action) -> ListFilter {
    match &subject.standing {
        Standing::Free => ListFilter {
            default: if entity == Entity::Leads && action == Action::View {
                Scope::Participant {
                    me: subject.membership_id,
                }
            } else {
                Scope::Nothing
            },
            stages: Vec::new(),
        },
        Standing::Admin => ListFilter {
            default: Scope::All,
            stages: Vec::new(),
        },
        Standing::Member { rights } => {
            let default = Scope::of(rights.level(entity, action), subject);
            let stages = if entity == Entity::Leads {
                rights
                    .stages
                    .iter()
                    .filter_map(|(id, stage)| {
                        let scope = Scope::of(stage.get(action)?.level(), subject);
                        (scope != default).then_some((*id, scope))
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ListFilter { default, stages }
        }
    }
}

/// A member's access as `/me` returns it (R8): enough for the web app to evaluate [`allows`]
/// itself and to build its menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Access {
    pub standing: Standing,
    /// The group G-level rights compare with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<Id>,
    /// Menu sections not shown to this member (R6).
    pub hidden_sections: Vec<Section>,
}

impl Access {
    #[must_use]
    pub fn subject(&self, membership_id: Id) -> Subject {
        Subject {
            membership_id,
            group_id: self.group_id,
            standing: self.standing.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
