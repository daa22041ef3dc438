//! Lead timeline events (C4): written by Gatehouse (stage and responsible changes) or posted by
//! integrations (calls, chats, SMS, e-mail).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{problem::FieldError, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    IncomingCall,
    OutgoingCall,
    IncomingChatMessage,
    OutgoingChatMessage,
    IncomingSms,
    OutgoingSms,
    StageChanged,
    ResponsibleChanged,
    Email,
    /// The client erased their personal data from the cabinet (K6); the payload holds the
    /// note in the cabinet's language and the account's.
    PersonalDataErased,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        Self::IncomingCall,
        Self::OutgoingCall,
        Self::IncomingChatMessage,
        Self::OutgoingChatMessage,
        Self::IncomingSms,
        Self::OutgoingSms,
        Self::StageChanged,
        Self::ResponsibleChanged,
        Self::Email,
        Self::PersonalDataErased,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::IncomingCall => "incoming_call",
            Self::OutgoingCall => "outgoing_call",
            Self::IncomingChatMessage => "incoming_chat_message",
            Self::OutgoingChatMessage => "outgoing_chat_message",
            Self::IncomingSms => "incoming_sms",
            Self::OutgoingSms => "outgoing_sms",
            Self::StageChanged => "stage_changed",
            Self::ResponsibleChanged => "responsible_changed",
            Self::Email => "email",
            Self::PersonalDataErased => "personal_data_erased",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Stage and responsible changes are Gatehouse's own record of what happened to the lead;
    /// nobody posts them by hand, so the timeline can be trusted.
    #[must_use]
    pub const fn is_recorded_by_gatehouse(self) -> bool {
        matches!(
            self,
            Self::StageChanged | Self::ResponsibleChanged | Self::PersonalDataErased
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadEvent {
    pub id: Id,
    pub lead_id: Id,
    pub kind: EventKind,
    /// For stage changes `{from, to}` (stage ids), for responsible changes `{from, to}`
    /// (member ids); for communications what the integration posted.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: Value,
    /// The member who caused it; absent for integrations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<Id>,
    /// As it was when the event was written (D4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_name: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/leads/{id}/events`: a communication an integration records on the timeline.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub kind: EventKind,
    /// An object of up to 16 KB: text, phone, duration, link — whatever the channel has.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: Value,
}

/// The largest payload an integration may post, as JSON.
pub const MAX_PAYLOAD: usize = 16 * 1024;

impl EventInput {
    /// # Errors
    /// `kind_reserved` for stage and responsible changes; `payload_invalid` for a payload that
    /// is not an object or is too large.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.kind.is_recorded_by_gatehouse() {
            errors.push(FieldError::new(
                "kind",
                "kind_reserved",
                "stage and responsible changes are recorded by Gatehouse itself",
            ));
        }
        let size = serde_json::to_string(&self.payload).map_or(usize::MAX, |s| s.len());
        if !(self.payload.is_object() || self.payload.is_null()) || size > MAX_PAYLOAD {
            errors.push(FieldError::new(
                "payload",
                "payload_invalid",
                "the payload is a JSON object of at most 16 KB",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn integrations_post_communications_only() {
        let input = |kind, payload| EventInput { kind, payload };
        assert!(input(EventKind::IncomingCall, json!({"duration": 30}))
            .validate()
            .is_ok());
        assert!(input(EventKind::Email, Value::Null).validate().is_ok());
        assert_eq!(
            input(EventKind::StageChanged, json!({}))
                .validate()
                .unwrap_err()[0]
                .code,
            "kind_reserved"
        );
        assert_eq!(
            input(EventKind::OutgoingSms, json!([1]))
                .validate()
                .unwrap_err()[0]
                .code,
            "payload_invalid"
        );
        let big = json!({ "text": "x".repeat(MAX_PAYLOAD) });
        assert!(input(EventKind::OutgoingSms, big).validate().is_err());
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_code(kind.code()), Some(kind));
        }
    }
}
