//! Account security (SPEC §A, §P, §T, S1, S3): the account's policy, password rules, the IP
//! allowlist and the authorization log, shared by the API (the judge) and the web app (which
//! shows the same verdicts while the member types).

mod allowlist;
mod auth_log;
mod password_policy;
mod settings;

pub use allowlist::*;
pub use auth_log::*;
pub use password_policy::*;
pub use settings::*;
