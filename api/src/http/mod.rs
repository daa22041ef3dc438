//! HTTP plumbing shared by every area: who the caller is on the network, JSON bodies that may be
//! absent, the fallback for unknown routes, and the web app's files.

pub mod client;
pub mod fallback;
pub mod json;
