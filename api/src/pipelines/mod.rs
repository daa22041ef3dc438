//! Pipelines and their stages (C1). Read by every member (the board and the rights matrix);
//! a pipeline whose every stage is hidden from the member (R3) is not listed for them.

pub mod routes;
pub mod service;
