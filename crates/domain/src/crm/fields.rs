//! Custom fields (C3): per entity type, typed, with values validated by their type when written.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{groups::parse_title, problem::FieldError, rights::Entity, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// One of the options.
    Select,
    /// Several distinct options.
    Multiselect,
    Checkbox,
    /// An `http` or `https` address.
    Url,
}

impl FieldKind {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Select => "select",
            Self::Multiselect => "multiselect",
            Self::Checkbox => "checkbox",
            Self::Url => "url",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Text,
            Self::Number,
            Self::Date,
            Self::Select,
            Self::Multiselect,
            Self::Checkbox,
            Self::Url,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    const fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::Multiselect)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomField {
    pub id: Id,
    /// Leads, contacts or companies.
    pub entity: Entity,
    pub name: String,
    pub kind: FieldKind,
    /// The choices of a select or multiselect; empty otherwise.
    pub options: Vec<String>,
    pub sort: i32,
}

/// `POST /api/v1/custom-fields`, `PUT /api/v1/custom-fields/{id}` (the kind and entity of an
/// existing field do not change: stored values would stop matching).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomFieldInput {
    pub entity: Entity,
    pub name: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub sort: i32,
}

impl CustomFieldInput {
    /// The input with its name and options cleaned.
    ///
    /// # Errors
    /// Every invalid part: a bad name, a field on tasks, options where the kind has none, a
    /// select without options, blank or repeated options.
    pub fn validate(mut self) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        match parse_title(&self.name) {
            Ok(name) => self.name = name,
            Err(e) => errors.push(e),
        }
        if self.entity == Entity::Tasks {
            errors.push(FieldError::new(
                "entity",
                "entity_without_fields",
                "tasks have no custom fields",
            ));
        }
        let options: Vec<String> = self
            .options
            .iter()
            .map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        if self.kind.has_options() {
            let distinct: BTreeSet<&String> = options.iter().collect();
            if options.is_empty() {
                errors.push(FieldError::new(
                    "options",
                    "options_empty",
                    "add the choices",
                ));
            } else if options
                .iter()
                .any(|o| o.is_empty() || o.chars().count() > 100)
            {
                errors.push(FieldError::new(
                    "options",
                    "option_invalid",
                    "each choice has 1 to 100 characters",
                ));
            } else if distinct.len() != options.len() || options.len() > 500 {
                errors.push(FieldError::new(
                    "options",
                    "options_repeated",
                    "the choices must differ, and there are at most 500",
                ));
            }
        } else if !options.is_empty() {
            errors.push(FieldError::new(
                "options",
                "options_not_allowed",
                "only select and multiselect fields have choices",
            ));
        }
        self.options = options;
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }
}

/// A record's custom field values by field id.
pub type CustomValues = BTreeMap<Id, Value>;

/// The longest text value.
pub const MAX_TEXT: usize = 2000;

/// `incoming` applied over `current` (a `null` clears a value), each checked against the
/// entity's fields. Values of fields deleted since stay as they were until written.
///
/// # Errors
/// A field error on `custom.{id}` per bad value: an unknown field, or a value that does not
/// fit the field's kind.
pub fn apply_values(
    fields: &[CustomField],
    entity: Entity,
    current: &CustomValues,
    incoming: &CustomValues,
) -> Result<CustomValues, Vec<FieldError>> {
    let mut merged = current.clone();
    let mut errors = Vec::new();
    for (id, value) in incoming {
        let name = format!("custom.{id}");
        let Some(field) = fields.iter().find(|f| f.id == *id && f.entity == entity) else {
            errors.push(FieldError::new(
                &name,
                "custom_field_unknown",
                "there is no such custom field",
            ));
            continue;
        };
        if value.is_null() {
            merged.remove(id);
            continue;
        }
        match check_value(field, value) {
            Ok(value) => {
                merged.insert(*id, value);
            }
            Err((code, message)) => errors.push(FieldError::new(&name, code, message)),
        }
    }
    if errors.is_empty() {
        Ok(merged)
    } else {
        Err(errors)
    }
}

/// The value as stored, or why it does not fit.
fn check_value(field: &CustomField, value: &Value) -> Result<Value, (&'static str, String)> {
    let wrong = |what: &str| {
        (
            "custom_value_invalid",
            format!("{} expects {what}", field.name),
        )
    };
    match field.kind {
        FieldKind::Text => match value.as_str().map(str::trim) {
            Some(text) if text.chars().count() <= MAX_TEXT => Ok(Value::from(text)),
            Some(_) => Err(wrong(&format!("at most {MAX_TEXT} characters"))),
            None => Err(wrong("text")),
        },
        FieldKind::Number => match value.as_f64() {
            Some(n) if n.is_finite() => Ok(value.clone()),
            _ => Err(wrong("a number")),
        },
        FieldKind::Date => value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(|d| Value::from(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| wrong("a date as YYYY-MM-DD")),
        FieldKind::Select => match value.as_str() {
            Some(choice) if field.options.iter().any(|o| o == choice) => Ok(value.clone()),
            _ => Err(wrong("one of its choices")),
        },
        FieldKind::Multiselect => {
            let choices: Option<Vec<&str>> = value
                .as_array()
                .and_then(|items| items.iter().map(Value::as_str).collect());
            match choices {
                Some(choices)
                    if choices.iter().all(|c| field.options.iter().any(|o| o == c))
                        && choices.iter().collect::<BTreeSet<_>>().len() == choices.len() =>
                {
                    Ok(value.clone())
                }
                _ => Err(wrong("a list of distinct choices")),
            }
        }
        FieldKind::Checkbox => value
            .as_bool()
            .map(Value::from)
            .ok_or_else(|| wrong("true or false")),
        FieldKind::Url => match value.as_str().map(str::trim) {
            Some(url) if is_web_address(url) => Ok(Value::from(url)),
            _ => Err(wrong("an http or https address")),
        },
    }
}

fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        url.len() <= 2000
            && !host.is_empty()
            && !url.chars().any(char::is_whitespace)
            && host.contains('.')
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn field(id: Id, kind: FieldKind, options: &[&str]) -> CustomField {
        CustomField {
            id,
            entity: Entity::Leads,
            name: format!("f{id}"),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            sort: 0,
        }
    }

    fn one(kind: FieldKind, options: &[&str], value: Value) -> Result<Value, String> {
        let fields = [field(1, kind, options)];
        apply_values(
            &fields,
            Entity::Leads,
            &CustomValues::new(),
            &CustomValues::from([(1, value)]),
        )
        .map(|v| v[&1].clone())
        .map_err(|e| e[0].code.clone())
    }

    #[test]
    fn values_are_checked_by_kind() {
        assert_eq!(one(FieldKind::Text, &[], json!(" a ")), Ok(json!("a")));
        assert!(one(FieldKind::Text, &[], json!(5)).is_err());
        assert!(one(FieldKind::Text, &[], json!("я".repeat(2001))).is_err());
        assert_eq!(one(FieldKind::Number, &[], json!(2.5)), Ok(json!(2.5)));
        assert!(one(FieldKind::Number, &[], json!("2")).is_err());
        assert_eq!(
            one(FieldKind::Date, &[], json!("2026-02-28")),
            Ok(json!("2026-02-28"))
        );
        assert!(one(FieldKind::Date, &[], json!("2026-02-30")).is_err());
        assert!(one(FieldKind::Select, &["a", "b"], json!("a")).is_ok());
        assert!(one(FieldKind::Select, &["a", "b"], json!("c")).is_err());
        assert!(one(FieldKind::Multiselect, &["a", "b"], json!(["a", "b"])).is_ok());
        assert!(one(FieldKind::Multiselect, &["a", "b"], json!(["a", "a"])).is_err());
        assert!(one(FieldKind::Multiselect, &["a", "b"], json!("a")).is_err());
        assert_eq!(one(FieldKind::Checkbox, &[], json!(true)), Ok(json!(true)));
        assert!(one(FieldKind::Checkbox, &[], json!(1)).is_err());
        assert!(one(FieldKind::Url, &[], json!("https://example.com/x")).is_ok());
        assert!(one(FieldKind::Url, &[], json!("javascript:alert(1)")).is_err());
        assert!(one(FieldKind::Url, &[], json!("https://")).is_err());
    }

    #[test]
    fn null_clears_and_unknown_fields_are_named() {
        let fields = [field(1, FieldKind::Text, &[])];
        let current = CustomValues::from([(1, json!("x"))]);
        let cleared = apply_values(
            &fields,
            Entity::Leads,
            &current,
            &CustomValues::from([(1, Value::Null)]),
        )
        .unwrap();
        assert!(cleared.is_empty());
        let errors = apply_values(
            &fields,
            Entity::Contacts,
            &current,
            &CustomValues::from([(1, json!("y")), (9, json!("z"))]),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, "custom.1");
        assert_eq!(errors[0].code, "custom_field_unknown");
    }

    #[test]
    fn definitions_are_validated() {
        let input = |kind, options: &[&str]| CustomFieldInput {
            entity: Entity::Leads,
            name: " Бюджет ".into(),
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            sort: 0,
        };
        assert_eq!(
            input(FieldKind::Text, &[]).validate().unwrap().name,
            "Бюджет"
        );
        let code = |r: Result<CustomFieldInput, Vec<FieldError>>| r.unwrap_err()[0].code.clone();
        assert_eq!(
            code(input(FieldKind::Select, &[]).validate()),
            "options_empty"
        );
        assert_eq!(
            code(input(FieldKind::Select, &["a", "a"]).validate()),
            "options_repeated"
        );
        assert_eq!(
            code(input(FieldKind::Text, &["a"]).validate()),
            "options_not_allowed"
        );
        let mut tasks = input(FieldKind::Text, &[]);
        tasks.entity = Entity::Tasks;
        assert_eq!(code(tasks.validate()), "entity_without_fields");
    }
}
