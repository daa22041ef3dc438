//! The IP allowlist (S3): single addresses and CIDR ranges, IPv4 and IPv6.

use std::{net::IpAddr, str::FromStr};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::{problem::FieldError, Id};

/// One allowed address or range, as the administrator typed it (normalised).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AllowlistEntry {
    /// `203.0.113.7`, `203.0.113.0/24`, `2001:db8::/32`.
    pub range: String,
    /// What the range is, for the people reading the list ("Office Moscow").
    #[serde(default)]
    pub note: String,
}

/// `GET`/`PUT /api/v1/security/allowlist`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Allowlist {
    /// When on, sign-ins from addresses outside the list are refused (`ip_not_allowed`).
    pub enabled: bool,
    /// When on, requests with access tokens from outside the list are refused too.
    pub apply_to_tokens: bool,
    pub entries: Vec<AllowlistEntry>,
    /// Members (membership ids) who may sign in from anywhere.
    pub exempt_member_ids: Vec<Id>,
}

/// The answer of `GET /api/v1/security/allowlist`: the list and the caller's own address as
/// the server sees it, so the administrator knows what to add.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllowlistView {
    #[serde(flatten)]
    pub allowlist: Allowlist,
    pub your_ip: String,
}

/// `PUT /api/v1/security/allowlist`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SaveAllowlist {
    #[serde(flatten)]
    pub allowlist: Allowlist,
    /// Saving a list that shuts out the administrator saving it is refused with
    /// `allowlist_locks_you_out` unless this is true.
    #[serde(default)]
    pub confirm_lockout: bool,
}

impl Allowlist {
    /// Longest list accepted.
    pub const MAX_ENTRIES: usize = 500;

    /// Parses every entry; invalid ones come back as field errors (`entries[3].range`).
    ///
    /// # Errors
    /// The field errors, when any entry is invalid or the list is too long.
    pub fn ranges(&self) -> Result<Vec<IpRange>, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.entries.len() > Self::MAX_ENTRIES {
            errors.push(FieldError::new(
                "entries",
                "too_many",
                format!("at most {} entries", Self::MAX_ENTRIES),
            ));
        }
        let mut ranges = Vec::with_capacity(self.entries.len());
        for (n, entry) in self.entries.iter().enumerate() {
            match IpRange::parse(&entry.range) {
                Ok(range) => ranges.push(range),
                Err(InvalidIpRange) => errors.push(FieldError::new(
                    &format!("entries[{n}].range"),
                    "invalid_ip_range",
                    "enter an IP address (203.0.113.7) or a range (203.0.113.0/24, 2001:db8::/32)",
                )),
            }
            if entry.note.chars().count() > 100 {
                errors.push(FieldError::new(
                    &format!("entries[{n}].note"),
                    "too_long",
                    "at most 100 characters",
                ));
            }
        }
        if errors.is_empty() {
            Ok(ranges)
        } else {
            Err(errors)
        }
    }
}

/// The text is neither an IP address nor a CIDR range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an IP address or CIDR range")]
pub struct InvalidIpRange;

/// A parsed address or range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange(IpNet);

impl IpRange {
    /// Accepts an address (a /32 or /128) or a CIDR range; the host bits of a range are
    /// cleared (`10.1.2.3/8` means `10.0.0.0/8`).
    ///
    /// # Errors
    /// When the text is neither.
    pub fn parse(text: &str) -> Result<Self, InvalidIpRange> {
        let text = text.trim();
        if let Ok(net) = IpNet::from_str(text) {
            return Ok(Self(net.trunc()));
        }
        IpAddr::from_str(text)
            .map(|ip| Self(IpNet::from(ip)))
            .map_err(|_| InvalidIpRange)
    }

    /// Whether the address is in the range; an IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`,
    /// as dual-stack sockets report them) matches IPv4 ranges.
    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            IpAddr::V4(_) => ip,
        };
        self.0.contains(&ip)
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.prefix_len() == self.0.max_prefix_len() {
            write!(f, "{}", self.0.addr())
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// Whether any range contains the address.
#[must_use]
pub fn allows(ranges: &[IpRange], ip: IpAddr) -> bool {
    ranges.iter().any(|r| r.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn addresses_and_ranges_of_both_families() {
        let one = IpRange::parse("127.0.0.1").unwrap();
        assert!(one.contains(ip("127.0.0.1")));
        assert!(!one.contains(ip("127.0.0.2")));
        let net = IpRange::parse(" 10.1.2.3/8 ").unwrap();
        assert_eq!(net.to_string(), "10.0.0.0/8");
        assert!(net.contains(ip("10.200.0.1")));
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:1::5")));
        assert!(!v6.contains(ip("2001:db9::1")));
        assert!(one.contains(ip("::ffff:127.0.0.1")));
    }

    #[test]
    fn nonsense_is_refused_with_the_entry_named() {
        for bad in [
            "",
            "localhost",
            "10.0.0.0/33",
            "300.1.1.1",
            "::g",
            "1.2.3.4/",
        ] {
            assert!(IpRange::parse(bad).is_err(), "{bad}");
        }
        let list = Allowlist {
            enabled: true,
            apply_to_tokens: false,
            entries: vec![
                AllowlistEntry {
                    range: "127.0.0.1".into(),
                    note: String::new(),
                },
                AllowlistEntry {
                    range: "nope".into(),
                    note: String::new(),
                },
            ],
            exempt_member_ids: vec![],
        };
        let errors = list.ranges().unwrap_err();
        assert_eq!(errors[0].field, "entries[1].range");
        assert_eq!(errors[0].code, "invalid_ip_range");
    }
}
