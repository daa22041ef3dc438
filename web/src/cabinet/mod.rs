//! The client cabinet: the cabinet app the CRM's clients use on their phones (its own bundle,
//! `gatehouse-cabinet`), and the cabinet's settings screen for administrators (in the CRM
//! workspace's bundle).
