//! Accounts: creating one with its first administrator, default group and default pipeline
//! (U2), and the demo account of a fresh install.

pub mod seats;
pub mod service;
