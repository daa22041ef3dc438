//! The list benchmark of SPEC Q1: `cargo bench -p gatehouse-api --bench lead_list`.
//!
//! One run, one process. A fresh PostgreSQL database (`GATEHOUSE_TEST_POSTGRES`, default
//! postgres://postgres@127.0.0.1:5432; `GATEHOUSE_BENCH_DATABASE=sqlite` for a temporary SQLite
//! file instead) is filled by the demo generator with 10^6 leads (`GATEHOUSE_BENCH_LEADS`), then
//! the real server runs in-process on a loopback port with `gatehouse serve`'s defaults, and
//! beside it a bare actix-web handler that runs one indexed SELECT of the same rows with sqlx —
//! no authentication, no rights, no ORM — and writes them as the same JSON.
//!
//! Two lists are measured, each against its bare twin: `GET /api/v1/leads` (the first slice of
//! 50, as the web app asks) for a manager with group-level (G) view rights, and
//! `GET /api/v1/users` (the first page of 50) for the administrator. Each pair runs in rounds,
//! A B then B A, so a machine whose speed drifts moves both sides of each ratio alike; every
//! round is printed, and the ratio reported is the median of the rounds'.
//!
//! A missed target is printed, not fatal: this is a measuring tool. The process fails only
//! when something goes wrong, such as a request getting an answer it should never get.

use std::{
    error::Error,
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use actix_web::{web, App, HttpResponse, HttpServer};
use chrono::{DateTime, Utc};
use clap::Parser;
use gatehouse_api::{
    accounts::service::{self as accounts, NewAccount},
    auth::password::PasswordHasher,
    config::{cores, DatabaseConfig, ServeConfig},
    db,
    demo::{self, MemberKind, Plan, Progress},
    startup::Application,
};
use gatehouse_domain::{
    auth::{LoginRequest, SignedIn},
    crm::{LeadSummary, Slice},
    people::Password,
    Id,
};
use reqwest::{Client, StatusCode};
use sea_orm::{
    sqlx::{self, Row},
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use serde::Serialize;
use tokio::task::JoinSet;

type BoxError = Box<dyn Error + Send + Sync>;
type Result<T, E = BoxError> = std::result::Result<T, E>;

const PASSWORD: &str = "correct horse battery staple";
const DEFAULT_LEADS: u64 = 1_000_000;
/// Enough active members for a full first page of the users list.
const MEMBERS: u32 = 60;
/// The web app's slice and page size.
const PAGE: u64 = 50;
const ROUNDS: usize = 3;
const WARMUP: Duration = Duration::from_secs(1);
const WINDOW: Duration = Duration::from_secs(5);
const RATIO_TARGET: f64 = 0.5;

fn main() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

/// Where the run's data lives, and how to get rid of it afterwards.
enum Store {
    Postgres { base: String, name: String },
    Sqlite { _dir: tempfile::TempDir },
}

impl Store {
    async fn create(dir: &Path) -> Result<(Self, DatabaseConfig)> {
        let sqlite = std::env::var("GATEHOUSE_BENCH_DATABASE").is_ok_and(|v| v == "sqlite");
        if sqlite {
            let dir = tempfile::tempdir()?;
            let config = DatabaseConfig {
                data_dir: dir.path().to_path_buf(),
                database_url: None,
                pool_size: 16,
            };
            return Ok((Self::Sqlite { _dir: dir }, config));
        }
        let base = std::env::var("GATEHOUSE_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
        let name = format!("gatehouse_bench_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(format!("{base}/postgres")).await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        admin.close().await?;
        let config = DatabaseConfig {
            data_dir: dir.to_path_buf(),
            database_url: Some(format!("{base}/{name}")),
            pool_size: 16,
        };
        Ok((Self::Postgres { base, name }, config))
    }

    fn describe(&self) -> &'static str {
        match self {
            Self::Postgres { .. } => "PostgreSQL",
            Self::Sqlite { .. } => "SQLite",
        }
    }

    async fn drop_database(&self) {
        if let Self::Postgres { base, name } = self {
            if let Ok(admin) = Database::connect(format!("{base}/postgres")).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
            }
        }
    }
}

async fn run() -> Result<()> {
    let leads: u64 = match std::env::var("GATEHOUSE_BENCH_LEADS") {
        Ok(n) => n
            .parse()
            .map_err(|e| format!("GATEHOUSE_BENCH_LEADS={n}: {e}"))?,
        Err(_) => DEFAULT_LEADS,
    };
    let clients: usize = match std::env::var("GATEHOUSE_BENCH_CLIENTS") {
        Ok(n) => n
            .parse()
            .map_err(|e| format!("GATEHOUSE_BENCH_CLIENTS={n}: {e}"))?,
        Err(_) => 8,
    };
    let dir = tempfile::tempdir()?;
    let (store, database) = Store::create(dir.path()).await?;
    let outcome = measure(&store, &database, dir.path(), leads, clients).await;
    store.drop_database().await;
    outcome
}

async fn measure(
    store: &Store,
    database: &DatabaseConfig,
    dir: &Path,
    leads: u64,
    clients: usize,
) -> Result<()> {
    let load_before = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|t| t.split_whitespace().next().map(str::to_owned));
    let conn = db::connect(database).await?;
    let hasher = PasswordHasher::start(1, 4);
    let created = accounts::create(
        &conn,
        &hasher,
        NewAccount {
            name: "Bench".to_owned(),
            admin_email: "admin@bench.example.com".to_owned(),
            admin_name: "Bench Admin".to_owned(),
            admin_password: Some(PASSWORD.to_owned()),
            language: "en".to_owned(),
        },
    )
    .await?;
    let account_id = created.account_id;
    let plan = Plan {
        leads,
        members: Some(MEMBERS),
        append: false,
        members_password_hash: Some(hasher.hash(Password::parse_new(PASSWORD)?).await?),
    };
    eprintln!("filling {} with {leads} leads…", store.describe());
    let started = Instant::now();
    let progress = |p: Progress| {
        if p.done == p.total || p.done % 100_000 < 2_000 {
            eprintln!(
                "  {}: {} of {} ({:.1} s)",
                p.what,
                p.done,
                p.total,
                started.elapsed().as_secs_f64()
            );
        }
    };
    let filled = demo::fill(&conn, account_id, &plan, &progress).await?;
    let fill_time = filled.elapsed;
    // The planner's statistics, as a database in use has them.
    let analyze_started = Instant::now();
    conn.execute_unprepared("ANALYZE").await?;
    let analyze_time = analyze_started.elapsed();
    let manager = filled
        .members
        .iter()
        .find(|m| m.kind == MemberKind::Manager)
        .ok_or("the demo made no manager")?
        .clone();
    let group_id = manager.group_id.ok_or("the manager has no group")?;

    let workers = cores();
    let base = start_server(dir, database, workers).await?;
    let bare = start_bare(&conn, workers)?;
    let client = Client::new();
    let manager_token = sign_in(&client, &base, &manager.email).await?;
    let admin_token = sign_in(&client, &base, "admin@bench.example.com").await?;

    let leads_api = Target {
        url: format!("{base}/api/v1/leads").into(),
        token: Some(manager_token.into()),
    };
    let leads_bare = Target {
        url: format!(
            "{bare}/leads?account={account_id}&me={}&group={group_id}",
            manager.membership_id
        )
        .into(),
        token: None,
    };
    let users_api = Target {
        url: format!("{base}/api/v1/users").into(),
        token: Some(admin_token.into()),
    };
    let users_bare = Target {
        url: format!("{bare}/users?account={account_id}").into(),
        token: None,
    };
    // The twins must answer with the same rows, or the comparison means nothing.
    let api_ids = ids(&client, &leads_api, "items", "id").await?;
    let bare_ids = ids(&client, &leads_bare, "items", "id").await?;
    if api_ids != bare_ids || api_ids.len() != PAGE as usize {
        return Err(format!("the lead lists differ: {api_ids:?} / {bare_ids:?}").into());
    }
    let api_users = ids(&client, &users_api, "items", "id").await?;
    let bare_users = ids(&client, &users_bare, "items", "id").await?;
    if api_users != bare_users || api_users.len() != PAGE as usize {
        return Err(format!("the users lists differ: {api_users:?} / {bare_users:?}").into());
    }
    let visible = count(
        &conn,
        &format!(
            "SELECT COUNT(*) FROM leads WHERE account_id = {account_id} AND (responsible_id = {} \
             OR responsible_id IN (SELECT id FROM memberships WHERE group_id = {group_id}))",
            manager.membership_id
        ),
    )
    .await?;
    let plan_text = explain(&conn, account_id, manager.membership_id, group_id).await?;

    eprintln!("measuring GET /api/v1/leads against the bare SELECT…");
    let lead_rounds = rounds(&leads_api, &leads_bare, clients).await?;
    eprintln!("measuring GET /api/v1/users against the bare SELECT…");
    let user_rounds = rounds(&users_api, &users_bare, clients).await?;

    let r = &filled.records;
    println!();
    println!("Gatehouse list benchmark (SPEC Q1)");
    println!(
        "  machine: {workers} cores, load average before the run {}",
        load_before.as_deref().unwrap_or("unknown")
    );
    println!(
        "  database: {}, {} leads, {} contacts, {} companies, {} tasks, {} timeline events",
        store.describe(),
        r.leads,
        r.contacts,
        r.companies,
        r.tasks,
        r.events
    );
    println!(
        "  demo fill: {:.1} s ({:.0} rows/s); ANALYZE {:.1} s",
        fill_time.as_secs_f64(),
        r.rows() as f64 / fill_time.as_secs_f64().max(0.001),
        analyze_time.as_secs_f64()
    );
    println!(
        "  server: in-process at {base}, {workers} HTTP workers; bare handler at {bare}, \
         {workers} workers; both with a pool of {} connections",
        database.pool_size
    );
    println!(
        "  load: {clients} concurrent keep-alive clients on loopback, {ROUNDS} rounds of {} s \
         per side (A B, then B A)",
        WINDOW.as_secs()
    );
    println!(
        "  leads: manager {} (G: group {group_id}) sees {visible} of {} leads; first slice of \
         {PAGE}",
        manager.email, r.leads
    );
    println!();
    report("GET /api/v1/leads", "bare SELECT of leads", &lead_rounds)?;
    println!();
    report(
        "GET /api/v1/users",
        "bare SELECT of memberships",
        &user_rounds,
    )?;
    println!();
    println!(
        "The list query's plan ({} of the bare SELECT, which has the API's WHERE):",
        match conn.get_database_backend() {
            DbBackend::Postgres => "EXPLAIN (ANALYZE, BUFFERS)",
            _ => "EXPLAIN QUERY PLAN",
        }
    );
    for line in plan_text {
        println!("  {line}");
    }
    let failed: u64 = lead_rounds
        .iter()
        .chain(&user_rounds)
        .map(|round| round.api.failed + round.bare.failed)
        .sum();
    if failed > 0 {
        let first = lead_rounds
            .iter()
            .chain(&user_rounds)
            .find_map(|round| {
                round
                    .api
                    .first_failure
                    .clone()
                    .or_else(|| round.bare.first_failure.clone())
            })
            .unwrap_or_default();
        return Err(
            format!("{failed} requests got an unexpected answer; the first: {first}").into(),
        );
    }
    Ok(())
}

/// What a load generator asks for.
struct Target {
    url: Arc<str>,
    token: Option<Arc<str>>,
}

/// One side's requests in one window.
#[derive(Default)]
struct Run {
    seconds: f64,
    latencies: Vec<Duration>,
    failed: u64,
    first_failure: Option<String>,
}

impl Run {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.seconds.max(f64::EPSILON)
    }
}

struct Round {
    api: Run,
    bare: Run,
}

async fn rounds(api: &Target, bare: &Target, clients: usize) -> Result<Vec<Round>> {
    let mut rounds = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let (api_run, bare_run) = if round % 2 == 0 {
            let a = load(api, clients).await?;
            (a, load(bare, clients).await?)
        } else {
            let b = load(bare, clients).await?;
            (load(api, clients).await?, b)
        };
        eprintln!(
            "  round {}: API {:.0}/s, bare {:.0}/s",
            round + 1,
            api_run.rate(),
            bare_run.rate()
        );
        rounds.push(Round {
            api: api_run,
            bare: bare_run,
        });
    }
    Ok(rounds)
}

/// One side of a round.
type Side = fn(&Round) -> &Run;

fn api_side(round: &Round) -> &Run {
    &round.api
}

fn bare_side(round: &Round) -> &Run {
    &round.bare
}

fn report(api: &str, bare: &str, rounds: &[Round]) -> Result<()> {
    let mut ratios: Vec<f64> = rounds
        .iter()
        .map(|r| r.api.rate() / r.bare.rate())
        .collect();
    let shown = ratios
        .iter()
        .map(|r| format!("{r:.2}"))
        .collect::<Vec<_>>()
        .join(", ");
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    let sides: [(&str, Side); 2] = [(api, api_side), (bare, bare_side)];
    for (label, side) in sides {
        let latencies: Vec<Duration> = rounds
            .iter()
            .flat_map(|r| side(r).latencies.iter().copied())
            .collect();
        let rates = rounds
            .iter()
            .map(|r| format!("{:.0}", side(r).rate()))
            .collect::<Vec<_>>()
            .join(", ");
        let mean = rounds.iter().map(|r| side(r).rate()).sum::<f64>() / rounds.len() as f64;
        println!(
            "{label:<30} {mean:>8.0}/s  p50 {}  p99 {}  (rounds: {rates}/s)",
            ms(percentile(&latencies, 0.50)?),
            ms(percentile(&latencies, 0.99)?)
        );
    }
    println!(
        "{:<30} {median:>10.2}  median of rounds {shown}  [target ≥ {RATIO_TARGET:.2}: {}]",
        "API / bare",
        if median >= RATIO_TARGET {
            "PASS"
        } else {
            "FAIL"
        }
    );
    Ok(())
}

/// `clients` concurrent clients, each on its own keep-alive connection, asking as fast as they
/// are answered; requests that start and finish inside the window count.
async fn load(target: &Target, clients: usize) -> Result<Run> {
    let from = Instant::now() + WARMUP;
    let to = from + WINDOW;
    let mut tasks = JoinSet::new();
    for _ in 0..clients {
        let url = Arc::clone(&target.url);
        let token = target.token.clone();
        tasks.spawn(async move {
            let client = Client::new();
            let mut run = Run::default();
            while Instant::now() < to {
                let mut request = client.get(&*url);
                if let Some(token) = &token {
                    request = request.bearer_auth(token);
                }
                let started = Instant::now();
                let response = request.send().await?;
                let status = response.status();
                let body = response.bytes().await?;
                let finished = Instant::now();
                if status != StatusCode::OK {
                    run.failed += 1;
                    run.first_failure.get_or_insert_with(|| {
                        format!(
                            "{url} answered {status}: {}",
                            String::from_utf8_lossy(&body)
                        )
                    });
                } else if started >= from && finished <= to {
                    run.latencies.push(finished - started);
                }
            }
            Ok::<_, BoxError>(run)
        });
    }
    let mut all = Run {
        seconds: WINDOW.as_secs_f64(),
        ..Run::default()
    };
    while let Some(task) = tasks.join_next().await {
        let run = task??;
        all.latencies.extend(run.latencies);
        all.failed += run.failed;
        if all.first_failure.is_none() {
            all.first_failure = run.first_failure;
        }
    }
    Ok(all)
}

/// The server as `gatehouse serve` starts it, with its defaults and environment, on a port of
/// its own and without the demo account.
async fn start_server(dir: &Path, database: &DatabaseConfig, workers: usize) -> Result<Arc<str>> {
    #[derive(Parser)]
    struct Serve {
        #[command(flatten)]
        config: ServeConfig,
    }
    let mut args = vec![
        "gatehouse".to_owned(),
        "--addr=127.0.0.1:0".to_owned(),
        "--demo=false".to_owned(),
        format!("--workers={workers}"),
        format!("--web-dir={}", dir.join("no-web-app").display()),
        format!("--data-dir={}", database.data_dir.display()),
        format!("--pool-size={}", database.pool_size),
        // Request logging is not what is measured; GATEHOUSE_LOG turns it on.
        format!(
            "--log-level={}",
            std::env::var("GATEHOUSE_LOG").unwrap_or_else(|_| "off".to_owned())
        ),
    ];
    // Empty means SQLite under the data directory, whatever DATABASE_URL says.
    args.push(format!(
        "--database-url={}",
        database.database_url.as_deref().unwrap_or_default()
    ));
    let config = Serve::try_parse_from(args)?.config;
    gatehouse_api::telemetry::init(&config.log);
    let app = Application::build(config).await?;
    let base: Arc<str> = app.url().into();
    tokio::spawn(app.run_until_stopped());
    Ok(base)
}

async fn sign_in(client: &Client, base: &str, email: &str) -> Result<String> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&LoginRequest {
            email: email.to_owned(),
            password: PASSWORD.to_owned(),
            account_id: None,
        })
        .send()
        .await?;
    let status = response.status();
    if status != StatusCode::OK {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("sign-in of {email} answered {status}: {body}").into());
    }
    let signed_in: SignedIn = response.json().await?;
    Ok(signed_in.access_token)
}

async fn ids(client: &Client, target: &Target, list: &str, id: &str) -> Result<Vec<i64>> {
    let mut request = client.get(&*target.url);
    if let Some(token) = &target.token {
        request = request.bearer_auth(token);
    }
    let body: serde_json::Value = request.send().await?.json().await?;
    Ok(body[list]
        .as_array()
        .ok_or_else(|| format!("{}: no {list} in {body}", target.url))?
        .iter()
        .filter_map(|item| item[id].as_i64())
        .collect())
}

async fn count(conn: &DatabaseConnection, sql: &str) -> Result<i64> {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            sql.to_owned(),
        ))
        .await?
        .ok_or("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// How the database runs the list query.
async fn explain(
    conn: &DatabaseConnection,
    account_id: Id,
    me: Id,
    group_id: Id,
) -> Result<Vec<String>> {
    let backend = conn.get_database_backend();
    let query = LEADS_SQL
        .replace("$1", &account_id.to_string())
        .replace("$2", &me.to_string())
        .replace("$3", &group_id.to_string())
        .replace("$4", &(PAGE + 1).to_string());
    let sql = match backend {
        DbBackend::Postgres => format!("EXPLAIN (ANALYZE, BUFFERS) {query}"),
        _ => format!("EXPLAIN QUERY PLAN {query}"),
    };
    let rows = conn
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    Ok(rows
        .iter()
        .map(|row| match backend {
            DbBackend::Postgres => row.try_get_by_index::<String>(0).unwrap_or_default(),
            _ => row.try_get_by_index::<String>(3).unwrap_or_default(),
        })
        .collect())
}

/// The API's lead list for G-level rights (`rights::sql`): the account's leads whose
/// responsible member is me or in my group, newest first, one more than a slice.
const LEADS_SQL: &str = "SELECT id, name, price, pipeline_id, stage_id, responsible_id, \
    company_id, updated_at FROM leads WHERE account_id = $1 AND (responsible_id = $2 OR \
    responsible_id IN (SELECT id FROM memberships WHERE group_id = $3)) ORDER BY id DESC LIMIT $4";

/// The users list's first page: the account's active members by name.
const USERS_SQL: &str = "SELECT m.id, m.identity_id, i.name, i.email, i.phone, i.language, \
    m.is_admin, m.is_free, m.is_active, m.group_id, m.role_id, i.totp_secret IS NOT NULL AS \
    two_factor_enabled, i.password_hash IS NULL AS invitation_pending, m.last_login_at, \
    m.created_at FROM memberships m JOIN identities i ON i.id = m.identity_id WHERE \
    m.account_id = $1 AND m.is_active = TRUE ORDER BY i.name_folded, m.id LIMIT $2";

/// The bare handler's connection: sqlx itself, on the same database.
#[derive(Clone)]
enum Pool {
    Postgres(sqlx::PgPool),
    Sqlite(sqlx::SqlitePool),
}

#[derive(serde::Deserialize)]
struct LeadsQuery {
    account: Id,
    me: Id,
    group: Id,
}

#[derive(serde::Deserialize)]
struct UsersQuery {
    account: Id,
}

#[derive(Serialize)]
struct UserRow {
    id: Id,
    identity_id: Id,
    name: String,
    email: String,
    phone: Option<String>,
    language: String,
    is_admin: bool,
    is_free: bool,
    is_active: bool,
    group_id: Option<Id>,
    role_id: Option<Id>,
    two_factor_enabled: bool,
    invitation_pending: bool,
    last_login_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct UsersPage {
    items: Vec<UserRow>,
}

/// Decodes one row of either database the same way.
macro_rules! lead_row {
    ($row:expr) => {
        LeadSummary {
            id: $row.try_get("id")?,
            name: $row.try_get("name")?,
            price: $row.try_get("price")?,
            pipeline_id: $row.try_get("pipeline_id")?,
            stage_id: $row.try_get("stage_id")?,
            responsible_id: $row.try_get("responsible_id")?,
            company_id: $row.try_get("company_id")?,
            updated_at: $row.try_get("updated_at")?,
        }
    };
}

macro_rules! user_row {
    ($row:expr) => {
        UserRow {
            id: $row.try_get("id")?,
            identity_id: $row.try_get("identity_id")?,
            name: $row.try_get("name")?,
            email: $row.try_get("email")?,
            phone: $row.try_get("phone")?,
            language: $row.try_get("language")?,
            is_admin: $row.try_get("is_admin")?,
            is_free: $row.try_get("is_free")?,
            is_active: $row.try_get("is_active")?,
            group_id: $row.try_get("group_id")?,
            role_id: $row.try_get("role_id")?,
            two_factor_enabled: $row.try_get("two_factor_enabled")?,
            invitation_pending: $row.try_get("invitation_pending")?,
            last_login_at: $row.try_get("last_login_at")?,
            created_at: $row.try_get("created_at")?,
        }
    };
}

impl Pool {
    async fn leads(&self, q: &LeadsQuery) -> Result<Vec<LeadSummary>, sqlx::Error> {
        let limit = i64::try_from(PAGE + 1).unwrap_or(i64::MAX);
        match self {
            Self::Postgres(pool) => {
                let rows = sqlx::query(LEADS_SQL)
                    .bind(q.account)
                    .bind(q.me)
                    .bind(q.group)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|row| -> Result<LeadSummary, sqlx::Error> { Ok(lead_row!(row)) })
                    .collect()
            }
            Self::Sqlite(pool) => {
                let rows = sqlx::query(LEADS_SQL)
                    .bind(q.account)
                    .bind(q.me)
                    .bind(q.group)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|row| -> Result<LeadSummary, sqlx::Error> { Ok(lead_row!(row)) })
                    .collect()
            }
        }
    }

    async fn users(&self, q: &UsersQuery) -> Result<Vec<UserRow>, sqlx::Error> {
        let limit = i64::try_from(PAGE).unwrap_or(i64::MAX);
        match self {
            Self::Postgres(pool) => {
                let rows = sqlx::query(USERS_SQL)
                    .bind(q.account)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|row| -> Result<UserRow, sqlx::Error> { Ok(user_row!(row)) })
                    .collect()
            }
            Self::Sqlite(pool) => {
                let rows = sqlx::query(USERS_SQL)
                    .bind(q.account)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|row| -> Result<UserRow, sqlx::Error> { Ok(user_row!(row)) })
                    .collect()
            }
        }
    }
}

async fn bare_leads(pool: web::Data<Pool>, query: web::Query<LeadsQuery>) -> HttpResponse {
    match pool.leads(&query).await {
        Ok(mut items) => {
            let limit = PAGE as usize;
            let more = items.len() > limit;
            items.truncate(limit);
            let next_after = if more {
                items.last().map(|l| l.id)
            } else {
                None
            };
            HttpResponse::Ok().json(Slice { items, next_after })
        }
        Err(err) => HttpResponse::InternalServerError().body(err.to_string()),
    }
}

async fn bare_users(pool: web::Data<Pool>, query: web::Query<UsersQuery>) -> HttpResponse {
    match pool.users(&query).await {
        Ok(items) => HttpResponse::Ok().json(UsersPage { items }),
        Err(err) => HttpResponse::InternalServerError().body(err.to_string()),
    }
}

/// The bare twin: actix-web and sqlx on the bench's own pool, nothing else.
fn start_bare(conn: &DatabaseConnection, workers: usize) -> Result<Arc<str>> {
    let pool = match conn.get_database_backend() {
        DbBackend::Postgres => Pool::Postgres(conn.get_postgres_connection_pool().clone()),
        _ => Pool::Sqlite(conn.get_sqlite_connection_pool().clone()),
    };
    let pool = web::Data::new(pool);
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let server = HttpServer::new(move || {
        App::new()
            .app_data(pool.clone())
            .route("/leads", web::get().to(bare_leads))
            .route("/users", web::get().to(bare_users))
    })
    .workers(workers)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok(format!("http://{address}").into())
}

/// Nearest-rank percentile.
fn percentile(latencies: &[Duration], p: f64) -> Result<Duration> {
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1))
        .copied()
        .ok_or_else(|| "no latencies to take a percentile of".into())
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}
