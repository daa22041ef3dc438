//! Phone numbers in E.164 (K3): what clients type (`8 912 345-67-89`, `+7 (912) 345 67 89`)
//! and what contacts hold come to one form, so a client finds their contacts however either
//! was written.

use gatehouse_domain::people::Language;
use phonenumber::country::Id as Country;

/// Where numbers written without a country code are read as local: the cabinet's language
/// stands for its market (Portuguese for Brazil, Kommo's largest). English has no default,
/// so such numbers need their `+`.
#[must_use]
pub const fn home_country(language: Language) -> Option<Country> {
    match language {
        Language::Ru => Some(Country::RU),
        Language::Es => Some(Country::ES),
        Language::Pt => Some(Country::BR),
        Language::En => None,
    }
}

/// The number in E.164 (`+79123456789`), or `None` when it is not a valid phone number.
#[must_use]
pub fn e164(raw: &str, home: Option<Country>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 32 {
        return None;
    }
    let number = phonenumber::parse(home, raw).ok()?;
    phonenumber::is_valid(&number)
        .then(|| number.format().mode(phonenumber::Mode::E164).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_international_forms_meet() {
        let ru = home_country(Language::Ru);
        for raw in [
            "+7 (912) 345-67-89",
            "8 912 345 67 89",
            "89123456789",
            "+79123456789",
        ] {
            assert_eq!(e164(raw, ru).as_deref(), Some("+79123456789"), "{raw}");
        }
        assert_eq!(
            e164("+44 20 7946 0958", None).as_deref(),
            Some("+442079460958")
        );
        assert_eq!(e164("9123456789", None), None);
        assert_eq!(e164("12", ru), None);
        assert_eq!(e164("not a phone", ru), None);
    }
}
