//! Groups of members (R5): one per member; G-level rights compare them. The default group
//! cannot be renamed or deleted; a group with members cannot be deleted.

pub mod routes;
pub mod service;
