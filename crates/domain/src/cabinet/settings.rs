//! Cabinet settings (K1), every item of seed 003: on/off, the SMS provider, the two templates,
//! the language, the sign-in header, the logo, chat, what of a lead is shown and under which
//! names, and whether clients may erase their data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    crm::EventKind,
    people::Language,
    problem::FieldError,
    sms::{check_template, SmsLength},
    Id,
};

/// The event types an administrator may show in the cabinet (seed 003's nine).
pub const EVENT_KINDS: [EventKind; 9] = [
    EventKind::IncomingCall,
    EventKind::OutgoingCall,
    EventKind::IncomingChatMessage,
    EventKind::OutgoingChatMessage,
    EventKind::IncomingSms,
    EventKind::OutgoingSms,
    EventKind::StageChanged,
    EventKind::ResponsibleChanged,
    EventKind::Email,
];

/// The longest sign-in header, alias and stage display name.
pub const HEADER_MAX: usize = 200;
pub const ALIAS_MAX: usize = 60;

/// The logo's bounds (seed 003): PNG, 80×40 to 800×800 pixels, at most 500 KB.
pub const LOGO_MIN: (u32, u32) = (80, 40);
pub const LOGO_MAX: (u32, u32) = (800, 800);
pub const LOGO_MAX_BYTES: usize = 500 * 1024;

/// Why a logo is refused, once its bytes were decoded (or failed to).
///
/// # Errors
/// `logo_too_small` or `logo_too_large` with the bounds.
pub fn check_logo_size(width: u32, height: u32) -> Result<(), FieldError> {
    if width < LOGO_MIN.0 || height < LOGO_MIN.1 {
        return Err(FieldError::new(
            "logo",
            "logo_too_small",
            format!(
                "the logo is {width}×{height} px; at least {}×{} px",
                LOGO_MIN.0, LOGO_MIN.1
            ),
        ));
    }
    if width > LOGO_MAX.0 || height > LOGO_MAX.1 {
        return Err(FieldError::new(
            "logo",
            "logo_too_large",
            format!(
                "the logo is {width}×{height} px; at most {}×{} px",
                LOGO_MAX.0, LOGO_MAX.1
            ),
        ));
    }
    Ok(())
}

/// A lead field the cabinet can show: the lead's own (`name`, `price`, `created_at`) or one
/// of its custom fields (`custom.{field id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKey {
    Name,
    Price,
    CreatedAt,
    Custom(Id),
}

impl FieldKey {
    #[must_use]
    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "name" => Some(Self::Name),
            "price" => Some(Self::Price),
            "created_at" => Some(Self::CreatedAt),
            other => other
                .strip_prefix("custom.")
                .and_then(|id| id.parse().ok())
                .filter(|id: &Id| *id > 0)
                .map(Self::Custom),
        }
    }

    #[must_use]
    pub fn key(self) -> String {
        match self {
            Self::Name => "name".into(),
            Self::Price => "price".into(),
            Self::CreatedAt => "created_at".into(),
            Self::Custom(id) => format!("custom.{id}"),
        }
    }
}

/// A field shown in the cabinet under the name clients see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShownField {
    /// `name`, `price`, `created_at` or `custom.{field id}`.
    pub field: String,
    pub alias: String,
}

/// A stage shown in the cabinet under the name clients see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ShownStage {
    pub stage_id: Id,
    pub name: String,
}

/// `GET /api/v1/cabinet-settings`: the settings, with the one link every client uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CabinetSettings {
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_provider_id: Option<Id>,
    pub login_template: String,
    pub deletion_template: String,
    /// Both templates at their markers' longest.
    pub login_length: SmsLength,
    pub deletion_length: SmsLength,
    pub language: Language,
    pub header_text: String,
    /// The logo's address when one is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    pub chat_enabled: bool,
    pub show_company: bool,
    pub show_client_name: bool,
    pub event_kinds: Vec<EventKind>,
    pub fields: Vec<ShownField>,
    pub stages: Vec<ShownStage>,
    pub deletion_enabled: bool,
    /// The cabinet's address, shared by all clients (each sees only their own leads).
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /api/v1/cabinet-settings`: every setting but the logo, which has its own upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CabinetSettingsInput {
    pub enabled: bool,
    #[serde(default)]
    pub sms_provider_id: Option<Id>,
    pub login_template: String,
    pub deletion_template: String,
    pub language: Language,
    pub header_text: String,
    pub chat_enabled: bool,
    pub show_company: bool,
    pub show_client_name: bool,
    pub event_kinds: Vec<EventKind>,
    pub fields: Vec<ShownField>,
    pub stages: Vec<ShownStage>,
    pub deletion_enabled: bool,
}

impl CabinetSettingsInput {
    /// The rules that need nothing but the input; that the provider, the custom fields and the
    /// stages belong to the account is the server's check.
    ///
    /// # Errors
    /// Each invalid field: the templates' codes (see [`check_template`]),
    /// `sms_provider_required`, `header_too_long`, `event_kind_not_shown`, `event_kind_repeated`,
    /// `field_unknown`, `field_repeated`, `alias_empty`, `alias_too_long`, `stage_repeated`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, template) in [
            ("login_template", &self.login_template),
            ("deletion_template", &self.deletion_template),
        ] {
            if let Err(error) = check_template(field, template) {
                errors.push(error);
            }
        }
        if self.enabled && self.sms_provider_id.is_none() {
            errors.push(FieldError::new(
                "sms_provider_id",
                "sms_provider_required",
                "the cabinet sends sign-in codes by SMS: choose a provider",
            ));
        }
        if self.header_text.chars().count() > HEADER_MAX {
            errors.push(FieldError::new(
                "header_text",
                "header_too_long",
                format!("at most {HEADER_MAX} characters"),
            ));
        }
        for (i, kind) in self.event_kinds.iter().enumerate() {
            if !EVENT_KINDS.contains(kind) {
                errors.push(FieldError::new(
                    &format!("event_kinds[{i}]"),
                    "event_kind_not_shown",
                    "this event type is not shown in the cabinet",
                ));
            } else if self.event_kinds[..i].contains(kind) {
                errors.push(FieldError::new(
                    &format!("event_kinds[{i}]"),
                    "event_kind_repeated",
                    "listed twice",
                ));
            }
        }
        let mut keys = Vec::new();
        for (i, shown) in self.fields.iter().enumerate() {
            match FieldKey::parse(&shown.field) {
                None => errors.push(FieldError::new(
                    &format!("fields[{i}].field"),
                    "field_unknown",
                    "name, price, created_at or custom.{id}",
                )),
                Some(key) if keys.contains(&key) => errors.push(FieldError::new(
                    &format!("fields[{i}].field"),
                    "field_repeated",
                    "listed twice",
                )),
                Some(key) => keys.push(key),
            }
            check_alias(&format!("fields[{i}].alias"), &shown.alias, &mut errors);
        }
        for (i, stage) in self.stages.iter().enumerate() {
            if self.stages[..i]
                .iter()
                .any(|s| s.stage_id == stage.stage_id)
            {
                errors.push(FieldError::new(
                    &format!("stages[{i}].stage_id"),
                    "stage_repeated",
                    "listed twice",
                ));
            }
            check_alias(&format!("stages[{i}].name"), &stage.name, &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn check_alias(field: &str, alias: &str, errors: &mut Vec<FieldError>) {
    let alias = alias.trim();
    if alias.is_empty() {
        errors.push(FieldError::new(field, "alias_empty", "give it a name"));
    } else if alias.chars().count() > ALIAS_MAX {
        errors.push(FieldError::new(
            field,
            "alias_too_long",
            format!("at most {ALIAS_MAX} characters"),
        ));
    }
}

/// The templates a new cabinet starts with, in its language.
#[must_use]
pub const fn default_templates(language: Language) -> (&'static str, &'static str) {
    match language {
        Language::Ru => (
            "Код для входа в кабинет {{account.name}}: {{code}}",
            "Код для удаления ваших данных: {{code}}",
        ),
        Language::En => (
            "Your {{account.name}} sign-in code: {{code}}",
            "Code to erase your data: {{code}}",
        ),
        Language::Es => (
            "Su código de acceso a {{account.name}}: {{code}}",
            "Código para borrar sus datos: {{code}}",
        ),
        Language::Pt => (
            "Seu código de acesso a {{account.name}}: {{code}}",
            "Código para apagar seus dados: {{code}}",
        ),
    }
}

/// The timeline note erasure leaves (K6), in a language.
#[must_use]
pub const fn erasure_note(language: Language) -> &'static str {
    match language {
        Language::Ru => "Пользователь запросил удаление данных",
        Language::En => "The client requested deletion of their data",
        Language::Es => "El cliente solicitó la eliminación de sus datos",
        Language::Pt => "O cliente solicitou a exclusão dos seus dados",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CabinetSettingsInput {
        let (login, deletion) = default_templates(Language::Ru);
        CabinetSettingsInput {
            enabled: true,
            sms_provider_id: Some(1),
            login_template: login.into(),
            deletion_template: deletion.into(),
            language: Language::Ru,
            header_text: "Ваши сделки".into(),
            chat_enabled: true,
            show_company: true,
            show_client_name: true,
            event_kinds: vec![EventKind::StageChanged],
            fields: vec![ShownField {
                field: "price".into(),
                alias: "Бюджет".into(),
            }],
            stages: vec![ShownStage {
                stage_id: 3,
                name: "В работе".into(),
            }],
            deletion_enabled: true,
        }
    }

    #[test]
    fn default_templates_fit() {
        for language in Language::ALL {
            let (login, deletion) = default_templates(language);
            assert!(check_template("t", login).is_ok(), "{login}");
            assert!(check_template("t", deletion).is_ok(), "{deletion}");
        }
        assert!(input().validate().is_ok());
    }

    #[test]
    fn every_rule_names_its_field() {
        let mut bad = input();
        bad.sms_provider_id = None;
        bad.header_text = "x".repeat(HEADER_MAX + 1);
        bad.event_kinds = vec![
            EventKind::Email,
            EventKind::Email,
            EventKind::PersonalDataErased,
        ];
        bad.fields.push(ShownField {
            field: "price".into(),
            alias: " ".into(),
        });
        bad.fields.push(ShownField {
            field: "custom.x".into(),
            alias: "a".into(),
        });
        bad.stages.push(ShownStage {
            stage_id: 3,
            name: "y".repeat(ALIAS_MAX + 1),
        });
        let errors: Vec<_> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        let expected = [
            ("sms_provider_id", "sms_provider_required"),
            ("header_text", "header_too_long"),
            ("event_kinds[1]", "event_kind_repeated"),
            ("event_kinds[2]", "event_kind_not_shown"),
            ("fields[1].field", "field_repeated"),
            ("fields[1].alias", "alias_empty"),
            ("fields[2].field", "field_unknown"),
            ("stages[1].stage_id", "stage_repeated"),
            ("stages[1].name", "alias_too_long"),
        ];
        assert_eq!(
            errors,
            expected.map(|(f, c)| (f.to_owned(), c.to_owned())).to_vec()
        );
    }

    #[test]
    fn field_keys_round_trip() {
        for key in ["name", "price", "created_at", "custom.12"] {
            assert_eq!(FieldKey::parse(key).unwrap().key(), key);
        }
        assert!(FieldKey::parse("custom.0").is_none());
        assert!(FieldKey::parse("phone").is_none());
    }

    #[test]
    fn logos_are_bounded() {
        assert!(check_logo_size(80, 40).is_ok());
        assert!(check_logo_size(800, 800).is_ok());
        assert_eq!(check_logo_size(79, 40).unwrap_err().code, "logo_too_small");
        assert_eq!(
            check_logo_size(801, 100).unwrap_err().code,
            "logo_too_large"
        );
    }
}
