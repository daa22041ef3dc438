//! Value types of a person. Each is parsed once at the edge; holding one means it is valid.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A validated, normalised e-mail address (trimmed, lower-cased: identities are unique
/// case-insensitively, U1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Why a value of a person could not be accepted; `code()` is the field error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("enter an e-mail address")]
    EmailEmpty,
    #[error("this is not a valid e-mail address")]
    EmailInvalid,
    #[error("enter a name")]
    NameEmpty,
    #[error("the name is longer than 50 characters")]
    NameTooLong,
    #[error("the name may contain only letters, spaces and . @ - _")]
    NameInvalidCharacters,
    #[error("the name must not contain a link")]
    NameContainsLink,
    #[error("the password is longer than 1024 bytes")]
    PasswordTooLong,
    #[error("the password is shorter than 8 characters")]
    PasswordTooShort,
    #[error("a phone number has 5 to 15 digits and may contain only + ( ) - and spaces")]
    PhoneInvalid,
}

impl PersonError {
    /// The stable field error code.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::EmailEmpty => "email_empty",
            Self::EmailInvalid => "email_invalid",
            Self::NameEmpty => "name_empty",
            Self::NameTooLong => "name_too_long",
            Self::NameInvalidCharacters => "name_invalid_characters",
            Self::NameContainsLink => "name_contains_link",
            Self::PasswordTooLong => "password_too_long",
            Self::PasswordTooShort => "password_too_short",
            Self::PhoneInvalid => "phone_invalid",
        }
    }
}

impl Email {
    /// The longest address SMTP can carry (RFC 5321 path limit).
    pub const MAX_LEN: usize = 254;

    /// # Errors
    /// `EmailEmpty` or `EmailInvalid`.
    pub fn parse(raw: &str) -> Result<Self, PersonError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(PersonError::EmailEmpty);
        }
        let lower = crate::text::lowercase(trimmed);
        let valid = lower.len() <= Self::MAX_LEN
            && email_address::EmailAddress::is_valid(&lower)
            // Display names and IP-literal domains are valid RFC 5322 but not something a
            // person types as their login; a domain needs a dot to be deliverable.
            && !lower.contains(['<', '>', '[', ' '])
            && lower.rsplit_once('@').is_some_and(|(_, domain)| domain.contains('.'));
        if valid {
            Ok(Self(lower))
        } else {
            Err(PersonError::EmailInvalid)
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name, "First Last" (U5): 1–50 characters of letters, spaces and
/// `. @ - _`, not only spaces, no links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 50;

    /// # Errors
    /// The first rule the name breaks.
    pub fn parse(raw: &str) -> Result<Self, PersonError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(PersonError::NameEmpty);
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(PersonError::NameTooLong);
        }
        if !name
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || ".@-_".contains(c))
        {
            return Err(PersonError::NameInvalidCharacters);
        }
        if name.split_whitespace().any(looks_like_link) {
            return Err(PersonError::NameContainsLink);
        }
        // Runs of spaces are kept out so two members cannot differ by spacing alone.
        Ok(Self(name.split_whitespace().collect::<Vec<_>>().join(" ")))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A word like `site.ru`, `www.x` or `a@b.com`: letters on both sides of a dot with a
/// top-level part of two or more letters. "J. Smith" and "Anne-Marie" are not links.
fn looks_like_link(word: &str) -> bool {
    let lower = crate::text::lowercase(word);
    if lower.starts_with("www.") {
        return true;
    }
    let parts: Vec<&str> = lower.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty())
        && parts
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic))
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as people write it (`+7 (912) 345-67-89`), kept as the digits with the
/// leading `+` when there was one: 5 to 15 digits (E.164's longest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// # Errors
    /// `PhoneInvalid`.
    pub fn parse(raw: &str) -> Result<Self, PersonError> {
        let raw = raw.trim();
        let (plus, rest) = raw
            .strip_prefix('+')
            .map_or((false, raw), |rest| (true, rest));
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || " ()-".contains(c))
        {
            return Err(PersonError::PhoneInvalid);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(5..=15).contains(&digits.len()) {
            return Err(PersonError::PhoneInvalid);
        }
        Ok(Self(if plus { format!("+{digits}") } else { digits }))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The languages a person, an account or a client cabinet can use (U1, K1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ru,
    #[default]
    En,
    Es,
    Pt,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::Ru, Language::En, Language::Es, Language::Pt];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
            Self::Es => "es",
            Self::Pt => "pt",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// A password as typed, normalised with NFKC (P2) so the same password typed on another
/// keyboard or OS hashes the same. Nothing is trimmed.
pub struct Password(String);

impl Password {
    /// Longer inputs are refused before any hashing (A8).
    pub const MAX_BYTES: usize = 1024;

    /// # Errors
    /// `PasswordTooLong` above [`Self::MAX_BYTES`].
    pub fn parse(raw: &str) -> Result<Self, PersonError> {
        if raw.len() > Self::MAX_BYTES {
            return Err(PersonError::PasswordTooLong);
        }
        Ok(Self(raw.nfkc().collect()))
    }

    /// A password chosen now (not one typed to sign in): at least 8 characters. The account's
    /// full policy (P2) narrows this further.
    ///
    /// # Errors
    /// `PasswordTooLong` or `PasswordTooShort`.
    pub fn parse_new(raw: &str) -> Result<Self, PersonError> {
        let password = Self::parse(raw)?;
        if password.0.chars().count() < 8 {
            return Err(PersonError::PasswordTooShort);
        }
        Ok(password)
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

// A password never prints, not even in debug logs.
impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Anna@Example.COM ").unwrap().as_str(),
            "anna@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "   ",
            "anna",
            "anna@",
            "@example.com",
            "anna@localhost",
            "a b@example.com",
            "Anna <a@b.com>",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn names_follow_the_seed_rules() {
        assert_eq!(
            PersonName::parse(" Иван  Петров ").unwrap().as_str(),
            "Иван Петров"
        );
        assert!(PersonName::parse("J. Smith-Jones").is_ok());
        assert!(PersonName::parse("anna_k@home").is_ok());
        assert_eq!(PersonName::parse("   "), Err(PersonError::NameEmpty));
        assert_eq!(
            PersonName::parse(&"a".repeat(51)),
            Err(PersonError::NameTooLong)
        );
        assert!(
            PersonName::parse(&"я".repeat(50)).is_ok(),
            "50 Cyrillic letters are 50 characters"
        );
        assert_eq!(
            PersonName::parse("Agent 007"),
            Err(PersonError::NameInvalidCharacters)
        );
        assert_eq!(
            PersonName::parse("Buy at shop.ru"),
            Err(PersonError::NameContainsLink)
        );
        assert_eq!(
            PersonName::parse("www.Anna"),
            Err(PersonError::NameContainsLink)
        );
    }

    #[test]
    fn phones_keep_digits_and_the_plus() {
        assert_eq!(
            Phone::parse(" +7 (912) 345-67-89 ").unwrap().as_str(),
            "+79123456789"
        );
        assert_eq!(Phone::parse("8 800 2000").unwrap().as_str(), "88002000");
        for bad in [
            "",
            "1234",
            "+7 912 abc",
            "++79123456789",
            "1234567890123456",
            "7-912/34",
        ] {
            assert_eq!(Phone::parse(bad), Err(PersonError::PhoneInvalid), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_normalised_not_trimmed() {
        // The ligature "ﬁ" and a full-width "Ａ" normalise to plain letters.
        assert_eq!(Password::parse(" ﬁＡ ").unwrap().expose(), " fiA ");
        assert_eq!(
            Password::parse(&"x".repeat(1025)).unwrap_err(),
            PersonError::PasswordTooLong
        );
        assert_eq!(
            format!("{:?}", Password::parse("secret").unwrap()),
            "Password(***)"
        );
    }

    proptest! {
        #[test]
        fn accepted_names_never_exceed_fifty_characters(raw in "\\PC{0,80}") {
            if let Ok(name) = PersonName::parse(&raw) {
                prop_assert!(name.as_str().chars().count() <= 50);
                prop_assert!(!name.as_str().trim().is_empty());
            }
        }

        #[test]
        fn accepted_emails_are_stable_under_reparsing(raw in "[a-zA-Z0-9]{1,8}([._+-][a-zA-Z0-9]{1,8}){0,2}@[a-z0-9]{1,10}\\.[a-z]{2,5}") {
            let once = Email::parse(&raw).unwrap();
            prop_assert_eq!(Email::parse(once.as_str()).unwrap(), once);
        }
    }
}
