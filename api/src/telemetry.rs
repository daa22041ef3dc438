//! Structured logs with tracing: one line per request (method, path, status, latency, request
//! id) from `tracing-actix-web`. Bodies, headers and tokens are never logged.

use tracing_subscriber::{fmt::format::FmtSpan, EnvFilter};

use crate::config::{LogConfig, LogFormat};

impl LogConfig {
    /// For one-shot commands: warnings only, so their output stays readable.
    #[must_use]
    pub fn default_quiet() -> Self {
        Self {
            log_level: "warn".to_owned(),
            log_format: LogFormat::Text,
        }
    }
}

/// Installs the global subscriber; a second call (tests start many servers) is a no-op.
pub fn init(config: &LogConfig) {
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    // The request span closes when the response is sent; its close event is the request line.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::CLOSE);
    let _ = match config.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
