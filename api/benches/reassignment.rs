//! The reassignment benchmark of SPEC Q3: `cargo bench -p gatehouse-api --bench reassignment`.
//!
//! One run, one process, one fresh PostgreSQL database (`GATEHOUSE_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432`). Two accounts get a leaver each holding the same number
//! of leads (`GATEHOUSE_BENCH_LEADS`, default 10^6) in the same table, so both sides of the
//! ratio work on the same data in the same state:
//!
//! - raw: account A's leads move with the SQL one would write by hand — one `UPDATE` of every
//!   lead of the leaver whose `RETURNING` feeds one `INSERT` of their "responsible changed"
//!   events, one transaction;
//! - Gatehouse: account B's leaver is deactivated through the service the API calls, and its
//!   job runs batch after batch exactly as the server's runner runs it (without the runner's
//!   optional pause), each batch timed: the longest is the longest transaction holding locks.
//!
//! During both, a reader lists the account's leads through the real server (`GET
//! /api/v1/leads`, the board's first page) back to back; its p95 is the "reads keep going" bar.
//! The raw side is printed with its reads too: it holds its locks for the whole move, which is
//! what the batches are for.
//!
//! A missed target is printed, not fatal: this is a measuring tool. The process fails when
//! something goes wrong — and when the job's result is not exactly right (a lead left behind,
//! moved twice, or without its one event), because a fast wrong answer measures nothing.

use std::{
    error::Error,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use chrono::Utc;
use gatehouse_api::{
    accounts::service::{self as accounts, NewAccount},
    auth::{password::PasswordHasher, Member},
    config::{cores, DatabaseConfig, LogConfig, LogFormat, ReassignmentConfig, ServeConfig},
    db,
    deactivation::{
        job::{self, Step},
        service::deactivate_in_database,
    },
    startup::Application,
};
use gatehouse_domain::{
    auth::{LoginRequest, SignedIn},
    deactivation::{DeactivationRequest, Reassignment},
    Id,
};
use reqwest::Client;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};
use serde_json::{json, Value};

type BoxError = Box<dyn Error + Send + Sync>;
type Result<T, E = BoxError> = std::result::Result<T, E>;

const PASSWORD: &str = "correct horse battery staple";
const DEFAULT_LEADS: i64 = 1_000_000;

const RATIO_TARGET: f64 = 1.5;
const LONGEST_TRANSACTION_TARGET: Duration = Duration::from_millis(100);
const READ_P95_TARGET: Duration = Duration::from_millis(200);

fn main() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

/// An account of the run: its administrator's session and ids, the leaver and the receiver.
struct Side {
    account_id: Id,
    admin: Member,
    token: String,
    leaver: Id,
    receiver: Id,
}

async fn run() -> Result<()> {
    let leads = match std::env::var("GATEHOUSE_BENCH_LEADS") {
        Ok(n) => n
            .parse::<i64>()
            .map_err(|_| "GATEHOUSE_BENCH_LEADS: a number")?,
        Err(_) => DEFAULT_LEADS,
    };
    let batch = ReassignmentConfig::default().batch;
    let base = std::env::var("GATEHOUSE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned());
    let name = format!("gatehouse_bench_{}", uuid::Uuid::new_v4().simple());
    let admin_db = Database::connect(format!("{base}/postgres")).await?;
    admin_db
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await?;
    let outcome = measure(&format!("{base}/{name}"), leads, batch).await;
    admin_db
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await?;
    outcome
}

async fn measure(url: &str, leads: i64, batch: u64) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let database = DatabaseConfig {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(url.to_owned()),
        pool_size: 16,
    };
    let app = Application::build(serve_config(database.clone(), dir.path())).await?;
    let base = app.url().to_owned();
    tokio::spawn(app.run_until_stopped());
    let db = db::connect(&database).await?;
    let client = Client::builder().build()?;

    println!("Reassignment of {leads} leads (SPEC Q3), PostgreSQL, batches of {batch}");
    let started = Instant::now();
    let a = side(&db, &client, &base, "A").await?;
    let b = side(&db, &client, &base, "B").await?;
    for side in [&a, &b] {
        fill(&db, side, leads).await?;
    }
    db.execute_unprepared("ANALYZE").await?;
    println!(
        "  set-up: 2 × {leads} leads in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let idle = read_while(&client, &base, &b.token, async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        Ok(())
    })
    .await?
    .1;

    let (raw, raw_reads) = read_while(&client, &base, &a.token, raw_move(&db, &a)).await?;
    let ((job_time, batches), job_reads) =
        read_while(&client, &base, &b.token, job_move(&db, &b, batch)).await?;
    verify(&db, &b, leads).await?;

    let ratio = job_time.as_secs_f64() / raw.as_secs_f64();
    let longest = batches.iter().max().copied().unwrap_or_default();
    println!();
    println!(
        "  raw SQL (one UPDATE … RETURNING → INSERT, one transaction): {:>8.2} s, locks held {:.2} s",
        raw.as_secs_f64(),
        raw.as_secs_f64()
    );
    println!(
        "  Gatehouse job ({} batches, one transaction each):          {:>8.2} s",
        batches.len(),
        job_time.as_secs_f64()
    );
    println!(
        "  ratio job / raw: {ratio:.2} (target ≤ {RATIO_TARGET}) {}",
        verdict(ratio <= RATIO_TARGET)
    );
    // Which batches ran long tells a slow stretch of the machine (one or two anywhere) from
    // a slow kind of batch (the same ones every run).
    let slow: Vec<String> = batches
        .iter()
        .enumerate()
        .filter(|(_, d)| **d > LONGEST_TRANSACTION_TARGET)
        .map(|(n, d)| format!("#{} {:.0} ms", n + 1, ms(*d)))
        .collect();
    let over = slow.len();
    println!(
        "  longest transaction of the job: {:.1} ms (target ≤ {} ms) {}; batches p50 {:.1} ms, p99 {:.1} ms, {over} of {} over {} ms",
        ms(longest),
        LONGEST_TRANSACTION_TARGET.as_millis(),
        verdict(longest <= LONGEST_TRANSACTION_TARGET),
        ms(quantile(&batches, 0.50)),
        ms(quantile(&batches, 0.99)),
        batches.len(),
        LONGEST_TRANSACTION_TARGET.as_millis(),
    );
    if !slow.is_empty() {
        println!(
            "    over {} ms: {}",
            LONGEST_TRANSACTION_TARGET.as_millis(),
            slow.join(", ")
        );
    }
    println!(
        "  GET /api/v1/leads p95: idle {:.1} ms; during the job {:.1} ms (target < {} ms) {}; during raw SQL {:.1} ms",
        ms(idle.p95),
        ms(job_reads.p95),
        READ_P95_TARGET.as_millis(),
        verdict(job_reads.p95 < READ_P95_TARGET),
        ms(raw_reads.p95)
    );
    println!(
        "  reads: idle {} ({:.1} ms p50), during the job {} ({:.1} ms p50), during raw SQL {} ({:.1} ms p50, longest {:.0} ms)",
        idle.count,
        ms(idle.p50),
        job_reads.count,
        ms(job_reads.p50),
        raw_reads.count,
        ms(raw_reads.p50),
        ms(raw_reads.max)
    );
    println!("  checked: every lead moved once, one event each, none left on the leaver");
    db.close().await?;
    Ok(())
}

fn serve_config(database: DatabaseConfig, dir: &std::path::Path) -> ServeConfig {
    ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap_or(([127, 0, 0, 1], 0).into()),
        public_url: None,
        web_dir: dir.join("no-web-app"),
        demo: false,
        access_token_ttl: 3600,
        workers: Some(cores()),
        hash_workers: Some(1),
        hash_queue: 16,
        max_body: 64 * 1024,
        smtp_url: None,
        mail_from: "Gatehouse <gatehouse@bench.example.com>".into(),
        trusted_proxies: Vec::new(),
        client_ip_header: "X-Forwarded-For".into(),
        reassignment: ReassignmentConfig::default(),
        database,
        log: LogConfig {
            log_level: "off".into(),
            log_format: LogFormat::Text,
        },
    }
}

/// An account with its administrator signed in, a leaver and a receiver.
async fn side(db: &DatabaseConnection, client: &Client, base: &str, letter: &str) -> Result<Side> {
    let hasher = PasswordHasher::start(1, 4);
    let email = format!("admin@{}.bench.example.com", letter.to_lowercase());
    let created = accounts::create(
        db,
        &hasher,
        NewAccount {
            name: format!("Bench {letter}"),
            admin_email: email.clone(),
            admin_name: format!("Admin {letter}"),
            admin_password: Some(PASSWORD.to_owned()),
            language: "en".to_owned(),
        },
    )
    .await?;
    let signed_in: SignedIn = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&LoginRequest {
            email,
            password: PASSWORD.to_owned(),
            account_id: None,
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = signed_in.access_token;
    let mut ids = Vec::new();
    for who in ["Leaver", "Receiver"] {
        let saved: Value = client
            .post(format!("{base}/api/v1/users"))
            .bearer_auth(&token)
            .json(&json!({
                "name": format!("{who} {letter}"),
                "email": format!("{}@{}.bench.example.com", who.to_lowercase(), letter.to_lowercase()),
                "password": PASSWORD,
            }))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        ids.push(saved["user"]["id"].as_i64().ok_or("a user id")?);
    }
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT id, identity_id FROM memberships WHERE account_id = $1 AND is_admin ORDER BY id LIMIT 1",
            [created.account_id.into()],
        ))
        .await?
        .ok_or("the administrator's membership")?;
    let admin = Member {
        identity_id: row.try_get("", "identity_id")?,
        account_id: created.account_id,
        membership_id: row.try_get("", "id")?,
        session_id: 0,
        is_admin: true,
        is_free: false,
        pending_step: None,
    };
    Ok(Side {
        account_id: created.account_id,
        admin,
        token,
        leaver: ids[0],
        receiver: ids[1],
    })
}

/// `leads` leads of the side's leaver, spread over the stages of the account's pipeline.
async fn fill(db: &DatabaseConnection, side: &Side, leads: i64) -> Result<()> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pipeline_id, MIN(id) AS first, COUNT(*) AS stages FROM stages WHERE account_id = $1 GROUP BY pipeline_id ORDER BY pipeline_id LIMIT 1",
            [side.account_id.into()],
        ))
        .await?
        .ok_or("the account's pipeline")?;
    let pipeline: Id = row.try_get("", "pipeline_id")?;
    let first: Id = row.try_get("", "first")?;
    let stages: i64 = row.try_get("", "stages")?;
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO leads (account_id, name, name_folded, price, pipeline_id, stage_id, responsible_id, custom, created_by, updated_by, created_at, updated_at) \
         SELECT $1, 'Lead ' || n, 'lead ' || n, n % 100000, $2, $3 + n % $4, $5, '{}', $6, $6, $7, $7 FROM generate_series(1, $8) AS n",
        [
            side.account_id.into(),
            pipeline.into(),
            first.into(),
            stages.into(),
            side.leaver.into(),
            side.admin.membership_id.into(),
            Utc::now().into(),
            leads.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The hand-written move: every lead of the leaver, its events, one statement, one transaction.
async fn raw_move(db: &DatabaseConnection, side: &Side) -> Result<Duration> {
    let payload = json!({ "from": side.leaver, "to": side.receiver }).to_string();
    let started = Instant::now();
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "WITH moved AS (UPDATE leads SET responsible_id = $1, updated_at = $2, updated_by = $3 \
         WHERE account_id = $4 AND responsible_id = $5 RETURNING id) \
         INSERT INTO lead_events (account_id, lead_id, kind, payload, author_id, author_name, created_at) \
         SELECT $4, moved.id, 'responsible_changed', $6, $3, 'Admin A', $2 FROM moved",
        [
            side.receiver.into(),
            Utc::now().into(),
            side.admin.membership_id.into(),
            side.account_id.into(),
            side.leaver.into(),
            payload.into(),
        ],
    ))
    .await?;
    Ok(started.elapsed())
}

/// The deactivation as the API does it, then its job batch after batch; the job's time runs
/// from the request to the last batch, and each batch is timed on its own.
async fn job_move(
    db: &DatabaseConnection,
    side: &Side,
    batch: u64,
) -> Result<(Duration, Vec<Duration>)> {
    let started = Instant::now();
    let deactivation = deactivate_in_database(
        db,
        &side.admin,
        DeactivationRequest {
            member_ids: vec![side.leaver],
            reassign_to: Reassignment::One {
                member_id: side.receiver,
            },
            dry_run: false,
        },
    )
    .await
    .map_err(|e| format!("deactivation refused: {e}"))?;
    let job_id = deactivation.result.job.ok_or("a job")?.id;
    let mut batches = Vec::new();
    loop {
        let at = Instant::now();
        let step = job::run_batch(db, job_id, batch)
            .await
            .map_err(|e| format!("batch failed: {e}"))?;
        batches.push(at.elapsed());
        if let Step::Finished(state) = step {
            if state != gatehouse_domain::deactivation::JobState::Done {
                return Err(format!("the job ended {state:?}").into());
            }
            break;
        }
    }
    Ok((started.elapsed(), batches))
}

/// A wrong result is no result: every lead on the receiver, one event of the job each.
async fn verify(db: &DatabaseConnection, side: &Side, leads: i64) -> Result<()> {
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT \
               (SELECT COUNT(*) FROM leads WHERE account_id = $1 AND responsible_id = $2) AS left_behind, \
               (SELECT COUNT(*) FROM leads WHERE account_id = $1 AND responsible_id = $3) AS received, \
               (SELECT COUNT(*) FROM lead_events WHERE account_id = $1 AND job_id IS NOT NULL) AS events, \
               (SELECT COUNT(DISTINCT lead_id) FROM lead_events WHERE account_id = $1 AND job_id IS NOT NULL) AS leads_with_events",
            [side.account_id.into(), side.leaver.into(), side.receiver.into()],
        ))
        .await?
        .ok_or("the check's row")?;
    let left: i64 = row.try_get("", "left_behind")?;
    let received: i64 = row.try_get("", "received")?;
    let events: i64 = row.try_get("", "events")?;
    let with_events: i64 = row.try_get("", "leads_with_events")?;
    if left != 0 || received != leads || events != leads || with_events != leads {
        return Err(format!(
            "wrong result: {left} left behind, {received} received, {events} events on {with_events} leads (of {leads})"
        )
        .into());
    }
    Ok(())
}

struct Reads {
    count: usize,
    p50: Duration,
    p95: Duration,
    max: Duration,
}

/// Runs `work` while one reader lists the board's first page back to back.
async fn read_while<T>(
    client: &Client,
    base: &str,
    token: &str,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<(T, Reads)> {
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (client, url, token, stop) = (
            client.clone(),
            format!("{base}/api/v1/leads?limit=50"),
            token.to_owned(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let at = Instant::now();
                let response = client.get(&url).bearer_auth(&token).send().await?;
                if !response.status().is_success() {
                    return Err::<_, BoxError>(
                        format!("the lead list answered {}", response.status()).into(),
                    );
                }
                response.bytes().await?;
                latencies.push(at.elapsed());
            }
            Ok(latencies)
        })
    };
    let outcome = work.await;
    stop.store(true, Ordering::Relaxed);
    let latencies = reader.await??;
    let reads = Reads {
        count: latencies.len(),
        p50: quantile(&latencies, 0.50),
        p95: quantile(&latencies, 0.95),
        max: latencies.iter().max().copied().unwrap_or_default(),
    };
    Ok((outcome?, reads))
}

fn quantile(durations: &[Duration], q: f64) -> Duration {
    let mut sorted = durations.to_vec();
    sorted.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let at = ((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1));
    sorted.get(at).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn verdict(met: bool) -> &'static str {
    if met {
        "— met"
    } else {
        "— MISSED"
    }
}
