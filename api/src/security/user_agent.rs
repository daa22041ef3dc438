//! Browser, OS and device from a User-Agent, for the authorization log and session lists.

/// What a person recognises of a device: "Chrome 131", "Windows 10", "desktop".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub browser: String,
    pub os: String,
    pub kind: String,
}

#[must_use]
pub fn parse(user_agent: Option<&str>) -> Device {
    let unknown = || Device {
        browser: String::new(),
        os: String::new(),
        kind: "other".to_owned(),
    };
    let Some(parsed) = user_agent.and_then(|ua| woothee::parser::Parser::new().parse(ua)) else {
        return unknown();
    };
    let known = |s: &str| (s != woothee::woothee::VALUE_UNKNOWN).then(|| s.to_owned());
    let major = parsed.version.split('.').next().unwrap_or_default();
    let browser = known(parsed.name).map_or_else(String::new, |name| {
        if major.is_empty() || major == woothee::woothee::VALUE_UNKNOWN {
            name
        } else {
            format!("{name} {major}")
        }
    });
    let os = known(parsed.os).map_or_else(String::new, |os| {
        match known(&parsed.os_version).filter(|v| !os.contains(v.as_str())) {
            Some(version) if !version.is_empty() => format!("{os} {version}"),
            _ => os,
        }
    });
    let kind = match parsed.category {
        "pc" => "desktop",
        "smartphone" => "smartphone",
        "mobilephone" => "smartphone",
        _ => "other",
    };
    Device {
        browser,
        os,
        kind: kind.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers() {
        let chrome = parse(Some("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"));
        assert_eq!(chrome.browser, "Chrome 131");
        assert!(chrome.os.starts_with("Windows"), "{}", chrome.os);
        assert_eq!(chrome.kind, "desktop");
        let iphone = parse(Some("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"));
        assert_eq!(iphone.kind, "smartphone");
        assert_eq!(parse(None).browser, "");
        assert_eq!(parse(Some("curl/8.5.0")).kind, "other");
    }
}
