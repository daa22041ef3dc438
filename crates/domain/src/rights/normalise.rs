//! Dependency normalisation (R2): edit ≤ view; delete ≤ view and edit; export ≤ view — for the
//! entity rights, for tasks (delete ≤ edit), and for each stage's effective rights. Every value
//! is narrowed as little as the rules allow, and each change is reported.

use serde::{Deserialize, Serialize};

use super::{Action, EntityRights, Grant, Level, Rights, StageRights};

/// One value the normalisation narrowed: `right` is a path like `leads.edit` or
/// `stages.12.delete`; `from` and `to` are levels (`A`, `G`, `M`, `D`) or `inherit` for a stage
/// right that follows the entity right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Narrowing {
    pub right: String,
    pub from: String,
    pub to: String,
}

/// The actions other than `view` and the actions each must not exceed.
const DEPENDENCIES: [(Action, &[Action]); 3] = [
    (Action::Edit, &[Action::View]),
    (Action::Delete, &[Action::View, Action::Edit]),
    (Action::Export, &[Action::View]),
];

impl Rights {
    /// Brings the rights within their dependencies, narrowing each value as little as
    /// possible, and says what changed. Normalised rights come back unchanged with no
    /// narrowings.
    pub fn normalise(&mut self) -> Vec<Narrowing> {
        let mut narrowed = Vec::new();
        for (name, rights) in [
            ("leads", &mut self.leads),
            ("contacts", &mut self.contacts),
            ("companies", &mut self.companies),
        ] {
            normalise_entity(name, rights, &mut narrowed);
        }
        let delete = self.tasks.delete.min(self.tasks.edit);
        if delete != self.tasks.delete {
            narrowed.push(Narrowing {
                right: "tasks.delete".to_owned(),
                from: self.tasks.delete.code().to_owned(),
                to: delete.code().to_owned(),
            });
            self.tasks.delete = delete;
        }
        let leads = self.leads;
        for (id, stage) in &mut self.stages {
            normalise_stage(*id, &leads, stage, &mut narrowed);
        }
        self.stages.retain(|_, stage| !stage.is_empty());
        narrowed
    }

    /// Whether the rights already keep their dependencies.
    #[must_use]
    pub fn is_normal(&self) -> bool {
        self.clone().normalise().is_empty()
    }
}

fn set_level(rights: &mut EntityRights, action: Action, level: Level) {
    match action {
        Action::View => rights.view = level,
        Action::Edit => rights.edit = level,
        Action::Delete => rights.delete = level,
        Action::Export => rights.export = level,
        Action::Add => {}
    }
}

fn normalise_entity(name: &str, rights: &mut EntityRights, narrowed: &mut Vec<Narrowing>) {
    for (action, bounds) in DEPENDENCIES {
        let bound = bounds
            .iter()
            .fold(Level::A, |b, dep| b.min(rights.level(*dep)));
        let current = rights.level(action);
        if current.rank() > bound.rank() {
            narrowed.push(Narrowing {
                right: format!("{name}.{}", action.code()),
                from: current.code().to_owned(),
                to: bound.code().to_owned(),
            });
            set_level(rights, action, bound);
        }
    }
}

/// A stage right can only be A, D or "follow the entity right", so the narrowest change may
/// land below the bound: of the three, the widest whose effect stays within it.
fn normalise_stage(
    id: i64,
    leads: &EntityRights,
    stage: &mut StageRights,
    narrowed: &mut Vec<Narrowing>,
) {
    let effective = |stage: &StageRights, action: Action| {
        stage
            .get(action)
            .map_or_else(|| leads.level(action), Grant::level)
    };
    for (action, bounds) in DEPENDENCIES {
        let bound = bounds
            .iter()
            .fold(Level::A, |b, dep| b.min(effective(stage, *dep)));
        let current = stage.get(action);
        if effective(stage, action).rank() <= bound.rank() {
            continue;
        }
        // Widest first; "follow" before an explicit value of the same effect.
        let mut candidates = [None, Some(Grant::A), Some(Grant::D)];
        candidates.sort_by_key(|c| {
            let level = c.map_or_else(|| leads.level(action), Grant::level);
            (std::cmp::Reverse(level.rank()), c.is_some())
        });
        let chosen = candidates
            .into_iter()
            .find(|c| c.map_or_else(|| leads.level(action), Grant::level).rank() <= bound.rank())
            .unwrap_or(Some(Grant::D));
        narrowed.push(Narrowing {
            right: format!("stages.{id}.{}", action.code()),
            from: grant_code(current),
            to: grant_code(chosen),
        });
        stage.set(action, chosen);
    }
}

fn grant_code(grant: Option<Grant>) -> String {
    grant.map_or("inherit", |g| g.level().code()).to_owned()
}
