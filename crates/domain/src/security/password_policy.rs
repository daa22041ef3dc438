//! Password rules (P2), after NIST SP 800-63B: length, a shipped list of common passwords, no
//! personal data, and composition rules only for accounts that ask for them. The server judges;
//! the web app runs the same function on every keystroke.

#[cfg(feature = "common-passwords")]
use std::{collections::HashSet, sync::OnceLock};

use serde::{Deserialize, Serialize};

#[cfg(feature = "common-passwords")]
/// The most common passwords of at least 8 characters (from the zxcvbn project's frequency
/// lists, MIT licence) and a few Russian ones. Shorter ones are refused by length anyway.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// An account's password rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordPolicy {
    /// 8 to 64 characters.
    pub min_length: u16,
    pub require_upper: bool,
    pub require_lower: bool,
    pub require_digit: bool,
    pub require_symbol: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: Self::MIN_LENGTH,
            require_upper: false,
            require_lower: false,
            require_digit: false,
            require_symbol: false,
        }
    }
}

/// The person and account a new password must not contain.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub account_name: &'a str,
}

/// One broken rule; `code()` is the field error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordRule {
    TooShort,
    TooLong,
    Common,
    ContainsPersonalData,
    NeedsUpper,
    NeedsLower,
    NeedsDigit,
    NeedsSymbol,
}

impl PasswordRule {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::TooShort => "password_too_short",
            Self::TooLong => "password_too_long",
            Self::Common => "password_common",
            Self::ContainsPersonalData => "password_contains_personal_data",
            Self::NeedsUpper => "password_needs_upper",
            Self::NeedsLower => "password_needs_lower",
            Self::NeedsDigit => "password_needs_digit",
            Self::NeedsSymbol => "password_needs_symbol",
        }
    }

    /// An English sentence for API clients; the web app translates the code.
    #[must_use]
    pub fn message(self, policy: &PasswordPolicy) -> String {
        match self {
            Self::TooShort => format!(
                "the password must be at least {} characters long",
                policy.min_length
            ),
            Self::TooLong => format!(
                "the password must be at most {} characters long",
                PasswordPolicy::MAX_LENGTH
            ),
            Self::Common => "this password is too common; choose another".to_owned(),
            Self::ContainsPersonalData => {
                "the password must not contain your e-mail, name or the account's name".to_owned()
            }
            Self::NeedsUpper => "add an upper-case letter".to_owned(),
            Self::NeedsLower => "add a lower-case letter".to_owned(),
            Self::NeedsDigit => "add a digit".to_owned(),
            Self::NeedsSymbol => "add a symbol (neither a letter nor a digit)".to_owned(),
        }
    }
}

/// How hard a password is to guess, for the meter beside the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    VeryWeak,
    Weak,
    Fair,
    Strong,
    VeryStrong,
}

impl Strength {
    /// 0 (very weak) to 4 (very strong).
    #[must_use]
    pub const fn score(self) -> u8 {
        self as u8
    }
}

impl PasswordPolicy {
    pub const MIN_LENGTH: u16 = 8;
    pub const MAX_MIN_LENGTH: u16 = 64;
    /// The longest password accepted when one is chosen (P2); sign-in takes up to 1024 bytes.
    pub const MAX_LENGTH: usize = 256;

    /// Whether the policy itself is acceptable to save.
    #[must_use]
    pub const fn is_valid(&self) -> bool {
        self.min_length >= Self::MIN_LENGTH && self.min_length <= Self::MAX_MIN_LENGTH
    }

    /// Every rule the (already NFKC-normalised) password breaks, in a stable order; empty means
    /// accepted.
    #[must_use]
    pub fn check(&self, password: &str, context: PasswordContext<'_>) -> Vec<PasswordRule> {
        let mut broken = Vec::new();
        let length = password.chars().count();
        if length < usize::from(self.min_length) {
            broken.push(PasswordRule::TooShort);
        }
        if length > Self::MAX_LENGTH {
            broken.push(PasswordRule::TooLong);
        }
        if is_common(password) {
            broken.push(PasswordRule::Common);
        }
        if contains_personal_data(password, context) {
            broken.push(PasswordRule::ContainsPersonalData);
        }
        let classes = Classes::of(password);
        let required = [
            (self.require_upper, classes.upper, PasswordRule::NeedsUpper),
            (self.require_lower, classes.lower, PasswordRule::NeedsLower),
            (self.require_digit, classes.digit, PasswordRule::NeedsDigit),
            (
                self.require_symbol,
                classes.symbol,
                PasswordRule::NeedsSymbol,
            ),
        ];
        broken.extend(
            required
                .into_iter()
                .filter(|(wanted, present, _)| *wanted && !present)
                .map(|(_, _, rule)| rule),
        );
        broken
    }
}

/// The estimate shown while typing: a password that breaks a rule is at most weak; otherwise
/// the guessing space of its length and character classes, less for repeats and runs.
#[must_use]
pub fn strength(password: &str, policy: &PasswordPolicy, context: PasswordContext<'_>) -> Strength {
    if password.is_empty() {
        return Strength::VeryWeak;
    }
    let broken = policy.check(password, context);
    if broken.contains(&PasswordRule::Common) || broken.contains(&PasswordRule::TooShort) {
        return Strength::VeryWeak;
    }
    let bits = entropy_bits(password);
    let by_bits = match bits {
        b if b < 40.0 => Strength::Weak,
        b if b < 60.0 => Strength::Fair,
        b if b < 80.0 => Strength::Strong,
        _ => Strength::VeryStrong,
    };
    if broken.is_empty() {
        by_bits
    } else {
        by_bits.min(Strength::Weak)
    }
}

/// Bits of a password's guessing space: each character counts for the size of the classes
/// used, except characters that repeat the previous one or continue a run (abc, 123), which a
/// guesser tries first and which count for almost nothing.
fn entropy_bits(password: &str) -> f64 {
    let classes = Classes::of(password);
    let alphabet = [
        (classes.lower, 26.0),
        (classes.upper, 26.0),
        (classes.digit, 10.0),
        (classes.symbol, 33.0),
        (classes.other, 100.0),
    ]
    .iter()
    .filter(|(present, _)| *present)
    .map(|(_, size)| size)
    .sum::<f64>()
    .max(10.0);
    let per_char = f64::log2(alphabet);
    let mut bits = 0.0;
    let mut previous: Option<char> = None;
    for c in password.chars() {
        let predictable = previous.is_some_and(|p| {
            let (p, c) = (u32::from(p), u32::from(c));
            p == c || p + 1 == c || c + 1 == p
        });
        bits += if predictable { 1.0 } else { per_char };
        previous = Some(c);
    }
    bits
}

#[derive(Debug, Default, Clone, Copy)]
struct Classes {
    upper: bool,
    lower: bool,
    digit: bool,
    symbol: bool,
    /// Letters without case (CJK and the like) and other scripts' characters.
    other: bool,
}

impl Classes {
    fn of(password: &str) -> Self {
        password.chars().fold(Self::default(), |mut seen, c| {
            if c.is_uppercase() {
                seen.upper = true;
            } else if c.is_lowercase() {
                seen.lower = true;
            } else if c.is_numeric() {
                seen.digit = true;
            } else if c.is_alphabetic() {
                seen.other = true;
            } else if !c.is_whitespace() {
                // A space is a separator between words, not the symbol composition rules ask for.
                seen.symbol = true;
            }
            seen
        })
    }
}

#[cfg(feature = "common-passwords")]
fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty()).collect())
}

/// Common passwords are matched case-insensitively: "Password1" is as guessable as "password1".
#[cfg(feature = "common-passwords")]
fn is_common(password: &str) -> bool {
    common_passwords().contains(crate::text::lowercase(password).as_str())
}

/// Without the list (the web app), only the server tells a common password.
#[cfg(not(feature = "common-passwords"))]
fn is_common(_password: &str) -> bool {
    false
}

/// Whether the password contains the e-mail's local part, a word of the name or of the account
/// name (each of 4 characters or more, ignoring case).
fn contains_personal_data(password: &str, context: PasswordContext<'_>) -> bool {
    let password = crate::text::lowercase(password);
    let local_part = context.email.split('@').next().unwrap_or_default();
    std::iter::once(local_part)
        .chain(context.name.split_whitespace())
        .chain(context.account_name.split_whitespace())
        .map(crate::text::lowercase)
        .filter(|word| word.chars().count() >= 4)
        .any(|word| password.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA: PasswordContext<'static> = PasswordContext {
        email: "anna.petrova@example.com",
        name: "Anna Petrova",
        account_name: "Roga i Kopyta",
    };

    #[test]
    fn default_policy_accepts_a_long_uncommon_password() {
        assert!(PasswordPolicy::default()
            .check("correct horse battery staple", ANNA)
            .is_empty());
    }

    #[test]
    fn length_bounds_count_characters_not_bytes() {
        let policy = PasswordPolicy::default();
        assert_eq!(policy.check("ёжикёжи", ANNA), vec![PasswordRule::TooShort]);
        assert!(policy.check("ёжикёжиц", ANNA).is_empty());
        let long = "x".repeat(257);
        assert!(policy.check(&long, ANNA).contains(&PasswordRule::TooLong));
        let longest = "xy".repeat(128);
        assert!(policy.check(&longest, ANNA).is_empty());
    }

    #[test]
    fn common_passwords_are_refused_in_any_case() {
        let policy = PasswordPolicy::default();
        for common in [
            "password",
            "Password",
            "12345678",
            "qwertyuiop",
            "пароль123",
        ] {
            assert!(
                policy.check(common, ANNA).contains(&PasswordRule::Common),
                "{common}"
            );
        }
        assert!(common_passwords().len() > 9_000);
    }

    #[test]
    fn personal_data_is_refused() {
        let policy = PasswordPolicy::default();
        for personal in ["anna.petrova-2024", "my-PETROVA-secret", "kopyta forever!"] {
            assert_eq!(
                policy.check(personal, ANNA),
                vec![PasswordRule::ContainsPersonalData],
                "{personal}"
            );
        }
        // Words under four characters are too common to forbid ("i", "Roga" is four).
        assert!(policy.check("i like tea a lot", ANNA).is_empty());
    }

    #[test]
    fn composition_rules_apply_only_when_asked() {
        let strict = PasswordPolicy {
            min_length: 10,
            require_upper: true,
            require_lower: true,
            require_digit: true,
            require_symbol: true,
        };
        assert_eq!(
            strict.check("lowercase only here", ANNA),
            vec![
                PasswordRule::NeedsUpper,
                PasswordRule::NeedsDigit,
                PasswordRule::NeedsSymbol
            ]
        );
        assert!(strict.check("Tr0mbone!Sky", ANNA).is_empty());
        assert!(strict.check("ПРОСТОЙ пароль 7!", ANNA).is_empty());
    }

    #[test]
    fn strength_grows_with_length_and_variety() {
        let policy = PasswordPolicy::default();
        let s = |p: &str| strength(p, &policy, ANNA);
        assert_eq!(s(""), Strength::VeryWeak);
        assert_eq!(s("password"), Strength::VeryWeak);
        assert_eq!(s("abcdefgh"), Strength::Weak);
        assert!(s("kx7vq2mz") <= Strength::Fair);
        assert!(s("correct horse battery staple") >= Strength::Strong);
        assert!(s("anna.petrova-2024") <= Strength::Weak);
        assert!(s("aaaaaaaaaaaaaaaaaaaa") <= Strength::Weak);
    }

    #[test]
    fn policy_bounds() {
        assert!(PasswordPolicy::default().is_valid());
        let p = |min_length| PasswordPolicy {
            min_length,
            ..PasswordPolicy::default()
        };
        assert!(!p(7).is_valid());
        assert!(p(64).is_valid());
        assert!(!p(65).is_valid());
    }
}
