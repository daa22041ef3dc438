//! The Unicode back end of the `idna` crate (which `url` uses for host names), chosen by target.
//!
//! Upstream `idna_adapter` picks its back end by the version pinned in `Cargo.lock`, so one
//! workspace gets one back end. Gatehouse needs two: the server parses URLs and mail addresses
//! with internationalised domains (`ivan@пример.рф`) and keeps the full ICU4X back end of
//! `idna_adapter` 1.2 (`unicode.rs`); the web app only ever requests its own origin, whose host
//! the browser already gives in ASCII, so it takes the ASCII-only back end of `idna_adapter` 1.0
//! (`ascii.rs`) and leaves out about 44 KB gzipped of Unicode data (Q4's budget).
//!
//! Both files are upstream's, unchanged but for the crate-level attributes (Apache-2.0 OR MIT,
//! see the licence files here).

#![no_std]
// Upstream 1.2.2 calls `to_icu4c_value`, which icu_properties 2.4 deprecates without removing.
#![allow(deprecated)]

#[cfg(not(target_arch = "wasm32"))]
mod unicode;
#[cfg(not(target_arch = "wasm32"))]
pub use unicode::*;

#[cfg(target_arch = "wasm32")]
mod ascii;
#[cfg(target_arch = "wasm32")]
pub use ascii::*;
