//! Configuration: flags with environment overrides (`gatehouse serve --help` lists them all).

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, ValueEnum};

/// Where the data lives. Shared by every command that touches the database.
#[derive(Debug, Clone, Args)]
pub struct DatabaseConfig {
    /// Directory for the embedded SQLite database (used when no DATABASE_URL is given).
    #[arg(long, env = "GATEHOUSE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// PostgreSQL (or SQLite) URL, e.g. postgres://user:pass@host/gatehouse.
    /// Without it, Gatehouse uses `<data-dir>/gatehouse.sqlite`.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Connections in the database pool.
    #[arg(long, env = "GATEHOUSE_DB_POOL", default_value_t = 16)]
    pub pool_size: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct LogConfig {
    /// Log filter, e.g. `info` or `gatehouse_api=debug,info`.
    #[arg(long, env = "GATEHOUSE_LOG", default_value = "info")]
    pub log_level: String,

    #[arg(long, env = "GATEHOUSE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Everything `gatehouse serve` needs.
#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on (host:port). Port 0 picks a free port; the real one is printed.
    #[arg(long, env = "GATEHOUSE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// The URL people reach Gatehouse at (for links in e-mails and the token issuer).
    /// Defaults to http://<addr>.
    #[arg(long, env = "GATEHOUSE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Directory of the built web app (trunk's `dist`).
    #[arg(long, env = "GATEHOUSE_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,

    /// Create a demo account on the first start of an empty database and print its login.
    #[arg(long, env = "GATEHOUSE_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Lifetime of access tokens, in seconds (at most 900).
    #[arg(long, env = "GATEHOUSE_ACCESS_TOKEN_TTL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(30..=900))]
    pub access_token_ttl: u64,

    /// HTTP worker threads; default: one per core.
    #[arg(long, env = "GATEHOUSE_WORKERS")]
    pub workers: Option<usize>,

    /// Password hashing threads; default: one per core.
    #[arg(long, env = "GATEHOUSE_HASH_WORKERS")]
    pub hash_workers: Option<usize>,

    /// Sign-ins that may wait for a hashing thread before the server answers 503.
    #[arg(long, env = "GATEHOUSE_HASH_QUEUE", default_value_t = 32)]
    pub hash_queue: usize,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "GATEHOUSE_MAX_BODY", default_value_t = 64 * 1024)]
    pub max_body: usize,

    /// SMTP server for outgoing mail: smtp://[user:password@]host[:port] (STARTTLS when
    /// offered) or smtps://… (TLS). Without it mail stays in the outbox, readable by admins.
    #[arg(long, env = "GATEHOUSE_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of outgoing mail.
    #[arg(
        long,
        env = "GATEHOUSE_MAIL_FROM",
        default_value = "Gatehouse <gatehouse@localhost>"
    )]
    pub mail_from: String,

    /// Reverse proxies (addresses or CIDR ranges, comma-separated) whose client-address header
    /// is believed; from anyone else the header is ignored.
    #[arg(long, env = "GATEHOUSE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// The header trusted proxies put the client's address in.
    #[arg(
        long,
        env = "GATEHOUSE_CLIENT_IP_HEADER",
        default_value = "X-Forwarded-For"
    )]
    pub client_ip_header: String,

    #[command(flatten)]
    pub reassignment: ReassignmentConfig,

    #[command(flatten)]
    pub database: DatabaseConfig,

    #[command(flatten)]
    pub log: LogConfig,
}

/// How deactivation jobs move records (D3): in batches, each one short transaction.
#[derive(Debug, Clone, Copy, Args)]
pub struct ReassignmentConfig {
    /// Records per batch of a reassignment job. Each batch is one transaction holding its rows'
    /// locks; at the default a batch of leads (with their timeline events) takes 20–40 ms on
    /// PostgreSQL.
    #[arg(long = "reassignment-batch", env = "GATEHOUSE_REASSIGNMENT_BATCH", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=50_000))]
    pub batch: u64,

    /// Pause between batches, in milliseconds: yields the database to other work while a large
    /// reassignment runs.
    #[arg(long = "reassignment-pause-ms", env = "GATEHOUSE_REASSIGNMENT_PAUSE_MS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub pause_ms: u64,
}

impl Default for ReassignmentConfig {
    fn default() -> Self {
        Self {
            batch: 1000,
            pause_ms: 0,
        }
    }
}

impl ServeConfig {
    /// The public URL without a trailing slash.
    #[must_use]
    pub fn public_url(&self, bound: SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_owned()
    }
}

/// How many cores this process may use; the default for worker pools.
#[must_use]
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}
