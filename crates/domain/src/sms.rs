//! SMS (K2): the templates the cabinet sends, their length as the phone will count it, the
//! providers that carry them (an outbox that works on a fresh install, an HTTP webhook) and the
//! log of what was sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{problem::FieldError, Id};

/// The longest text a cabinet SMS may have once its markers are filled: one SMS segment in
/// UCS-2, the encoding any Cyrillic letter forces (seed 003).
pub const SMS_LIMIT: usize = 70;

/// A template's marker and the longest text it is filled with. Values longer than that are
/// cut when the message is built, so the length computed here is the longest the client can
/// ever receive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Marker {
    Code,
    ContactFirstName,
    ContactName,
    AccountName,
}

impl Marker {
    pub const ALL: [Marker; 4] = [
        Self::Code,
        Self::ContactFirstName,
        Self::ContactName,
        Self::AccountName,
    ];

    /// As written in a template.
    #[must_use]
    pub const fn token(self) -> &'static str {
        match self {
            Self::Code => "{{code}}",
            Self::ContactFirstName => "{{contact.first_name}}",
            Self::ContactName => "{{contact.name}}",
            Self::AccountName => "{{account.name}}",
        }
    }

    /// The most characters the marker is filled with.
    #[must_use]
    pub const fn longest(self) -> usize {
        match self {
            Self::Code => 6,
            Self::ContactFirstName => 15,
            Self::ContactName => 25,
            Self::AccountName => 20,
        }
    }
}

/// A template's length with its markers filled at their longest, and how the phone network
/// carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsLength {
    /// Characters at the markers' longest.
    pub chars: usize,
    /// SMS segments the longest text takes.
    pub segments: usize,
    /// Whether the text needs UCS-2 (70 characters a segment) rather than GSM 7-bit (160).
    pub unicode: bool,
}

/// The GSM 03.38 basic character set; anything else (Cyrillic, emoji) makes the SMS UCS-2.
const GSM7: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// Marker values are letters of any script, so a template that has a name marker is measured
/// as UCS-2 whatever its own text is.
fn fills_unicode(marker: Marker) -> bool {
    !matches!(marker, Marker::Code)
}

/// Splits a template into literal text and markers.
///
/// # Errors
/// The unknown marker (`{{…}}` that is none of [`Marker::ALL`]).
fn parts(template: &str) -> Result<Vec<Part<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            parts.push(Part::Text(&rest[..start]));
        }
        let after = &rest[start..];
        let Some(end) = after.find("}}") else {
            return Err(after.to_owned());
        };
        let token = &after[..end + 2];
        let marker = Marker::ALL
            .into_iter()
            .find(|m| m.token() == token)
            .ok_or_else(|| token.to_owned())?;
        parts.push(Part::Marker(marker));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Text(rest));
    }
    Ok(parts)
}

enum Part<'a> {
    Text(&'a str),
    Marker(Marker),
}

/// Measures a template at its markers' longest.
///
/// # Errors
/// The unknown marker's text.
pub fn measure(template: &str) -> Result<SmsLength, String> {
    let mut chars = 0;
    let mut unicode = false;
    for part in parts(template)? {
        match part {
            Part::Text(text) => {
                chars += text.chars().count();
                unicode |= text.chars().any(|c| !GSM7.contains(c));
            }
            Part::Marker(marker) => {
                chars += marker.longest();
                unicode |= fills_unicode(marker);
            }
        }
    }
    let (single, multi) = if unicode { (70, 67) } else { (160, 153) };
    let segments = match chars {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(multi),
    };
    Ok(SmsLength {
        chars,
        segments,
        unicode,
    })
}

/// Checks a cabinet template: known markers only, `{{code}}` present, at most [`SMS_LIMIT`]
/// characters at the markers' longest.
///
/// # Errors
/// One field error for the first rule broken: `template_empty`, `template_unknown_marker`,
/// `template_code_missing`, `template_too_long`.
pub fn check_template(field: &str, template: &str) -> Result<SmsLength, FieldError> {
    if template.trim().is_empty() {
        return Err(FieldError::new(
            field,
            "template_empty",
            "write the message",
        ));
    }
    let length = measure(template).map_err(|token| {
        FieldError::new(
            field,
            "template_unknown_marker",
            format!("{token} is not a marker; use {{{{code}}}}, {{{{contact.first_name}}}}, {{{{contact.name}}}} or {{{{account.name}}}}"),
        )
    })?;
    if !template.contains(Marker::Code.token()) {
        return Err(FieldError::new(
            field,
            "template_code_missing",
            "the message must contain {{code}}",
        ));
    }
    if length.chars > SMS_LIMIT {
        return Err(FieldError::new(
            field,
            "template_too_long",
            format!(
                "{} characters with the markers at their longest; at most {SMS_LIMIT}",
                length.chars
            ),
        ));
    }
    Ok(length)
}

/// What fills the markers of one message.
#[derive(Debug, Clone, Default)]
pub struct MarkerValues<'a> {
    pub code: &'a str,
    pub contact_first_name: &'a str,
    pub contact_name: &'a str,
    pub account_name: &'a str,
}

/// Fills a template's markers, each cut to its longest. Unknown markers (a template that was
/// never checked) stay as written.
#[must_use]
pub fn render(template: &str, values: &MarkerValues<'_>) -> String {
    let Ok(parts) = parts(template) else {
        return template.to_owned();
    };
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Marker(marker) => {
                let value = match marker {
                    Marker::Code => values.code,
                    Marker::ContactFirstName => values.contact_first_name,
                    Marker::ContactName => values.contact_name,
                    Marker::AccountName => values.account_name,
                };
                out.extend(value.trim().chars().take(marker.longest()));
            }
        }
    }
    out
}

/// Why a message was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    /// A cabinet sign-in code.
    Login,
    /// A code confirming the erasure of the client's data.
    Deletion,
    /// An administrator trying a provider.
    Test,
}

impl SmsPurpose {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Deletion => "deletion",
            Self::Test => "test",
        }
    }

    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Login, Self::Deletion, Self::Test]
            .into_iter()
            .find(|p| p.as_str() == value)
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmsStatus {
    /// Kept by the outbox provider for administrators to read; nothing leaves Gatehouse.
    Outbox,
    /// Waiting for the HTTP provider (or for another try).
    Queued,
    Sent,
    /// The provider refused it or did not answer after every try; `error` says why.
    Failed,
}

impl SmsStatus {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Outbox => "outbox",
            Self::Queued => "queued",
            Self::Sent => "sent",
            Self::Failed => "failed",
        }
    }

    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Outbox, Self::Queued, Self::Sent, Self::Failed]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// How a provider carries messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmsProviderKind {
    /// Messages stay in Gatehouse's SMS outbox, readable by administrators.
    Outbox,
    /// Messages are posted to a gateway's HTTP endpoint.
    Http,
}

impl SmsProviderKind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Outbox => "outbox",
            Self::Http => "http",
        }
    }

    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Outbox, Self::Http]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

/// How the HTTP provider's request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookFormat {
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

/// Bounds of the HTTP provider's delivery settings.
pub const TIMEOUT_MS: std::ops::RangeInclusive<u32> = 500..=30_000;
pub const MAX_RETRIES: u8 = 5;

/// An HTTP provider's settings as administrators see them: the secret header is never shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookSettings {
    /// `http://` or `https://`.
    pub url: String,
    #[serde(default)]
    pub format: WebhookFormat,
    /// The body field that carries the phone number (E.164).
    pub phone_field: String,
    /// The body field that carries the text.
    pub text_field: String,
    /// A sender name sent as `sender`, when the gateway wants one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// How long one try may take.
    pub timeout_ms: u32,
    /// Tries after the first one, with a growing pause between them.
    pub retries: u8,
    /// Whether an `Authorization` header is set (its value is never returned).
    #[serde(default)]
    pub has_authorization: bool,
}

/// One SMS provider of `GET /api/v1/sms-providers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsProvider {
    pub id: Id,
    pub name: String,
    pub kind: SmsProviderKind,
    /// For HTTP providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookSettings>,
    pub created_at: DateTime<Utc>,
}

/// An HTTP provider's settings as written by an administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    pub url: String,
    #[serde(default)]
    pub format: WebhookFormat,
    pub phone_field: String,
    pub text_field: String,
    #[serde(default)]
    pub sender: Option<String>,
    pub timeout_ms: u32,
    pub retries: u8,
    /// The `Authorization` header's value (e.g. `Bearer …`). Absent keeps the stored one on
    /// an update; an empty string removes it.
    #[serde(default)]
    pub authorization: Option<String>,
}

/// `POST /api/v1/sms-providers` and `PUT /api/v1/sms-providers/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsProviderInput {
    pub name: String,
    pub kind: SmsProviderKind,
    /// Required for HTTP providers, refused for the outbox.
    #[serde(default)]
    pub webhook: Option<WebhookInput>,
}

impl SmsProviderInput {
    /// # Errors
    /// Each invalid field: `name_empty`, `name_too_long`, `webhook_required`,
    /// `webhook_not_allowed`, `url_invalid`, `field_name_invalid`, `timeout_out_of_range`,
    /// `retries_out_of_range`, `sender_too_long`, `authorization_invalid`.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "name_empty",
                "give the provider a name",
            ));
        } else if name.chars().count() > 60 {
            errors.push(FieldError::new(
                "name",
                "name_too_long",
                "at most 60 characters",
            ));
        }
        match (self.kind, &self.webhook) {
            (SmsProviderKind::Http, None) => errors.push(FieldError::new(
                "webhook",
                "webhook_required",
                "an HTTP provider needs its gateway's address",
            )),
            (SmsProviderKind::Outbox, Some(_)) => errors.push(FieldError::new(
                "webhook",
                "webhook_not_allowed",
                "the outbox sends nothing anywhere",
            )),
            (SmsProviderKind::Http, Some(webhook)) => webhook.check(&mut errors),
            (SmsProviderKind::Outbox, None) => {}
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl WebhookInput {
    fn check(&self, errors: &mut Vec<FieldError>) {
        let url = self.url.trim();
        let scheme_ok = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .is_some_and(|rest| {
                !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace)
            });
        if !scheme_ok || url.len() > 2000 {
            errors.push(FieldError::new(
                "webhook.url",
                "url_invalid",
                "an http:// or https:// address",
            ));
        }
        for (field, value) in [
            ("webhook.phone_field", &self.phone_field),
            ("webhook.text_field", &self.text_field),
        ] {
            let ok = !value.is_empty()
                && value.len() <= 64
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            if !ok {
                errors.push(FieldError::new(
                    field,
                    "field_name_invalid",
                    "1 to 64 letters, digits, _ - or .",
                ));
            }
        }
        if self.phone_field == self.text_field {
            errors.push(FieldError::new(
                "webhook.text_field",
                "field_name_invalid",
                "the text and the phone need fields of their own",
            ));
        }
        if !TIMEOUT_MS.contains(&self.timeout_ms) {
            errors.push(FieldError::new(
                "webhook.timeout_ms",
                "timeout_out_of_range",
                format!(
                    "{} to {} milliseconds",
                    TIMEOUT_MS.start(),
                    TIMEOUT_MS.end()
                ),
            ));
        }
        if self.retries > MAX_RETRIES {
            errors.push(FieldError::new(
                "webhook.retries",
                "retries_out_of_range",
                format!("0 to {MAX_RETRIES} retries"),
            ));
        }
        if self
            .sender
            .as_deref()
            .is_some_and(|s| s.chars().count() > 11)
        {
            errors.push(FieldError::new(
                "webhook.sender",
                "sender_too_long",
                "a sender name has at most 11 characters",
            ));
        }
        if self
            .authorization
            .as_deref()
            .is_some_and(|a| a.len() > 1000 || a.chars().any(char::is_control))
        {
            errors.push(FieldError::new(
                "webhook.authorization",
                "authorization_invalid",
                "one line of at most 1000 characters",
            ));
        }
    }
}

/// One message of `GET /api/v1/sms-messages`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsMessage {
    pub id: Id,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<Id>,
    pub provider_kind: SmsProviderKind,
    /// E.164.
    pub to: String,
    pub purpose: SmsPurpose,
    /// The text: kept by the outbox; dropped once an HTTP gateway has it, since it holds a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub status: SmsStatus,
    pub attempts: i32,
    /// The gateway's last error (status and the start of its answer, or the timeout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/sms-providers/{id}/test`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsTestInput {
    pub phone: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_count_at_their_longest() {
        let length = measure("Code {{code}}").unwrap();
        assert_eq!(
            (length.chars, length.segments, length.unicode),
            (11, 1, false)
        );
        let length = measure("Код {{code}}").unwrap();
        assert_eq!((length.chars, length.unicode), (10, true));
        // A name marker may bring any script.
        let length = measure("Hi {{contact.first_name}}, {{code}}").unwrap();
        assert_eq!((length.chars, length.unicode), (3 + 15 + 2 + 6, true));
        assert_eq!(
            measure("{{contact.phone}}").unwrap_err(),
            "{{contact.phone}}"
        );
        assert_eq!(measure("{{code").unwrap_err(), "{{code");
        let long = "x".repeat(161);
        assert_eq!(measure(&long).unwrap().segments, 2);
        assert_eq!(measure(&"ж".repeat(71)).unwrap().segments, 2);
    }

    #[test]
    fn templates_fit_one_segment_with_a_code() {
        assert!(check_template("t", "Ваш код для входа в {{account.name}}: {{code}}").is_ok());
        let code = |t: &str| check_template("t", t).unwrap_err().code;
        assert_eq!(code("  "), "template_empty");
        assert_eq!(code("Hello {{contact.name}}"), "template_code_missing");
        assert_eq!(code("{{x}} {{code}}"), "template_unknown_marker");
        // 40 + 25 + 6 = 71 at the longest, though the text alone is short.
        let t = format!("{}{{{{contact.name}}}}{{{{code}}}}", "a".repeat(40));
        assert_eq!(code(&t), "template_too_long");
        let t = format!("{}{{{{contact.name}}}}{{{{code}}}}", "a".repeat(39));
        assert!(check_template("t", &t).is_ok());
    }

    #[test]
    fn rendering_cuts_values_to_their_longest() {
        let values = MarkerValues {
            code: "123456",
            contact_first_name: "Maximilian-Alexander",
            contact_name: "",
            account_name: "Acme",
        };
        assert_eq!(
            render(
                "{{contact.first_name}}: {{code}} ({{account.name}})",
                &values
            ),
            "Maximilian-Alex: 123456 (Acme)"
        );
    }

    #[test]
    fn providers_are_checked_field_by_field() {
        let webhook = WebhookInput {
            url: "http://127.0.0.1:9/send".into(),
            format: WebhookFormat::Json,
            phone_field: "to".into(),
            text_field: "text".into(),
            sender: None,
            timeout_ms: 2000,
            retries: 2,
            authorization: Some("Bearer x".into()),
        };
        let input = SmsProviderInput {
            name: "Gateway".into(),
            kind: SmsProviderKind::Http,
            webhook: Some(webhook.clone()),
        };
        assert!(input.validate().is_ok());
        let bad = SmsProviderInput {
            name: String::new(),
            kind: SmsProviderKind::Http,
            webhook: Some(WebhookInput {
                url: "ftp://x".into(),
                timeout_ms: 10,
                retries: 9,
                phone_field: "a b".into(),
                ..webhook
            }),
        };
        let codes: Vec<_> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.code)
            .collect();
        assert_eq!(
            codes,
            [
                "name_empty",
                "url_invalid",
                "field_name_invalid",
                "timeout_out_of_range",
                "retries_out_of_range"
            ]
        );
        let outbox = SmsProviderInput {
            name: "Outbox".into(),
            kind: SmsProviderKind::Outbox,
            webhook: None,
        };
        assert!(outbox.validate().is_ok());
    }
}
