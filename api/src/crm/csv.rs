//! CSV exports of CRM lists (C5): UTF-8 with a header row, at most [`MAX_ROWS`] rows.

use crate::error::{ApiError, ApiResult};

/// The most rows one export holds; narrow the filters for more.
pub const MAX_ROWS: u64 = 100_000;

/// # Errors
/// Never in practice (writing to memory).
pub fn write(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> ApiResult<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(ApiError::internal)?;
    for row in rows {
        out.write_record(&row).map_err(ApiError::internal)?;
    }
    out.into_inner().map_err(ApiError::internal)
}
