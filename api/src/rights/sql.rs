//! The SQL form of a [`ListFilter`] (R7): lists are filtered by the database with the very
//! rules [`gatehouse_domain::rights::allows`] applies to one record, never loaded then filtered.

use gatehouse_domain::rights::{ListFilter, Scope};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Query},
    Condition,
};

use crate::entities::memberships;

/// Where a list's records keep what the rights look at.
pub struct RecordColumns {
    /// The responsible member's id.
    pub responsible: Expr,
    /// A lead's stage; `None` for other entities.
    pub stage: Option<Expr>,
    /// True for records the member takes part in (free users' leads); `None` where there are no
    /// participants.
    pub participant: Option<fn(i64) -> Expr>,
}

/// The condition admitting exactly the records the filter admits.
#[must_use]
pub fn condition(filter: &ListFilter, columns: &RecordColumns) -> Condition {
    let default = scope(filter.default, columns);
    let (Some(stage), false) = (&columns.stage, filter.stages.is_empty()) else {
        return default;
    };
    let listed: Vec<i64> = filter.stages.iter().map(|(id, _)| *id).collect();
    let mut any = Condition::any().add(
        Condition::all()
            .add(stage.clone().is_not_in(listed))
            .add(default),
    );
    for (id, stage_scope) in &filter.stages {
        any = any.add(
            Condition::all()
                .add(stage.clone().eq(*id))
                .add(scope(*stage_scope, columns)),
        );
    }
    any
}

fn scope(scope: Scope, columns: &RecordColumns) -> Condition {
    let responsible = columns.responsible.clone();
    match scope {
        Scope::All => Condition::all(),
        Scope::Nothing => Condition::any().add(Expr::val(false)),
        Scope::Own { me } => Condition::all().add(responsible.eq(me)),
        Scope::Group { group_id, me } => Condition::any().add(responsible.clone().eq(me)).add(
            responsible.in_subquery(
                Query::select()
                    .column(memberships::Column::Id)
                    .from(memberships::Entity)
                    .and_where(Expr::col(memberships::Column::GroupId).eq(group_id))
                    .to_owned(),
            ),
        ),
        Scope::Participant { me } => match columns.participant {
            Some(participant) => Condition::all().add(participant(me)),
            None => Condition::any().add(Expr::val(false)),
        },
    }
}

#[cfg(test)]
mod tests {
    use gatehouse_domain::rights::{
        list_filter, Action, Entity, Grant, Level, Rights, StageRights, Standing, Subject,
    };
    use sea_orm::sea_query::{Alias, PostgresQueryBuilder, SqliteQueryBuilder};

    use super::*;

    fn sql(filter: &ListFilter) -> (String, String) {
        let columns = RecordColumns {
            responsible: Expr::col(Alias::new("responsible_id")),
            stage: Some(Expr::col(Alias::new("stage_id"))),
            participant: None,
        };
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new("leads"))
            .cond_where(condition(filter, &columns))
            .to_owned();
        (
            query.to_string(SqliteQueryBuilder),
            query.to_string(PostgresQueryBuilder),
        )
    }

    fn member(rights: Rights) -> Subject {
        Subject {
            membership_id: 7,
            group_id: Some(3),
            standing: Standing::Member { rights },
        }
    }

    #[test]
    fn group_level_compares_the_responsible_members_group() {
        let mut rights = Rights::all();
        rights.leads.view = Level::G;
        let (sqlite, postgres) = sql(&list_filter(&member(rights), Entity::Leads, Action::View));
        for text in [sqlite, postgres] {
            assert!(text.contains("\"responsible_id\" = 7"), "{text}");
            assert!(text.contains("\"group_id\" = 3"), "{text}");
        }
    }

    #[test]
    fn stage_rights_split_the_filter_by_stage() {
        let mut rights = Rights::all();
        rights.leads.view = Level::M;
        rights.stages.insert(
            11,
            StageRights {
                view: Some(Grant::A),
                ..StageRights::default()
            },
        );
        let (sqlite, _) = sql(&list_filter(&member(rights), Entity::Leads, Action::View));
        assert!(sqlite.contains("\"stage_id\" NOT IN (11)"), "{sqlite}");
        assert!(sqlite.contains("\"stage_id\" = 11"), "{sqlite}");
    }

    #[test]
    fn everything_and_nothing_need_no_column() {
        let (all, _) = sql(&list_filter(
            &member(Rights::all()),
            Entity::Contacts,
            Action::View,
        ));
        assert!(!all.contains("responsible_id"), "{all}");
        let (none, _) = sql(&list_filter(
            &member(Rights::none()),
            Entity::Contacts,
            Action::View,
        ));
        assert!(none.contains("FALSE") || none.contains("false"), "{none}");
    }
}
