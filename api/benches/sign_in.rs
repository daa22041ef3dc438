//! The sign-in benchmark of SPEC Q2: `cargo bench -p gatehouse-api --bench sign_in`.
//!
//! One run, one process: the server runs in-process on a loopback port with a fresh SQLite
//! database and the settings `gatehouse serve` uses by default (one HTTP worker and one hashing
//! thread per core), so every figure comes from the same machine in the same state.
//!
//! Phases, in order: with no sign-ins running, the latency of a paced `GET /me` probe, then the
//! rates of `GET /me` and of refresh; then rounds of raw argon2id verification on every core
//! followed by a sign-in flood, and raw argon2id once more; last, a longer sign-in flood with the
//! same `GET /me` probe beside it, for the latency under load.
//!
//! Raw argon2id is the yardstick for the sign-in rate, so each flood is compared with the raw
//! runs right before and right after it: a machine whose speed drifts (a virtual machine's
//! neighbours, throttling) moves both sides of each ratio alike, and the spread of the rounds
//! shows it. The share is the median of the rounds, so one round that a neighbour disturbed
//! does not decide it; the mean and the range are printed beside it. The throughput floods run
//! without the probe: the probe's requests are not sign-ins, and on two cores the CPU time they
//! take would be charged to the sign-in rate. The latency flood reports its sign-in rate too.
//!
//! The figures are only comparable on an otherwise idle machine: each phase gets whatever CPU
//! other processes leave it, and how much that is depends on the phase (a flood of short
//! requests competes for the CPU differently from two threads hashing). So the run also reports
//! where each phase's CPU time went, by thread, and warns when other processes took more than a
//! trace or the raw rate drifted.
//!
//! A missed target is printed, not fatal: this is a measuring tool. The process fails only when
//! something goes wrong, such as the server not starting or a request getting an answer it
//! should never get.

use std::{
    error::Error,
    future::Future,
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use actix_web::web::Bytes;
use argon2::password_hash::{rand_core::OsRng, PasswordHasher as _, SaltString};
use gatehouse_api::{
    accounts::service::{self as accounts, NewAccount},
    auth::password::{argon2, PasswordHasher, Verifier},
    config::{cores, DatabaseConfig, LogConfig, LogFormat, ServeConfig},
    db,
    startup::Application,
};
use gatehouse_domain::auth::{LoginRequest, RefreshRequest, SignedIn};
use reqwest::{Client, StatusCode};
use tokio::task::JoinSet;

type BoxError = Box<dyn Error + Send + Sync>;
type Result<T, E = BoxError> = std::result::Result<T, E>;

/// Sign-ins are spread over this many identities, each the administrator of an account.
const IDENTITIES: usize = 8;
const PASSWORD: &str = "correct horse battery staple";

/// Raw runs and floods alternate in short turns: this virtual machine's speed drifts by a tenth
/// and more within a minute, and the shorter the turns, the closer each flood is to the raw
/// runs it is compared with.
const RAW_WARMUP: Duration = Duration::from_millis(200);
const RAW: Duration = Duration::from_millis(800);
/// Sign-in floods, each between two raw runs; odd, for a median.
const ROUNDS: usize = 15;
const IDLE_PROBE_WARMUP: Duration = Duration::from_millis(300);
const IDLE_PROBE: Duration = Duration::from_secs(12);
const IDLE_PROBE_MAX: usize = 500;
/// The `GET /me` probe's pace: a trickle of members using the app. The probe's CPU time is taken
/// from the hashing threads during the flood; back to back it took a quarter of a core on two
/// cores and pushed the sign-in rate well below its target on its own, and even at 5 ms it took
/// a tenth of the machine.
const PROBE_INTERVAL: Duration = Duration::from_millis(20);
const RATE_WARMUP: Duration = Duration::from_millis(500);
const RATE: Duration = Duration::from_secs(3);
/// Long enough for the hash queue to fill and the hashing threads to reach their steady state
/// (each verification takes about 15 ms).
const FLOOD_WARMUP: Duration = Duration::from_millis(300);
/// One throughput round's flood.
const FLOOD: Duration = Duration::from_millis(1200);
/// The flood beside the probe: long enough to give it more latencies than the idle probe.
const LATENCY_FLOOD: Duration = Duration::from_secs(15);
/// Far more than the flood's clients, so sign-ins wait for a hashing thread instead of getting
/// 503: the figure sought is the hashing throughput, not the refusal path.
const DEFAULT_HASH_QUEUE: usize = 64;
/// After a 503 a flood client pauses, so refused requests do not turn into a busy loop that
/// takes CPU from the hashing threads it is measuring.
const BUSY_PAUSE: Duration = Duration::from_millis(10);

/// The share of the machine other processes may take during a phase before the figures are
/// flagged.
const QUIET_MACHINE: f64 = 0.05;
/// How far the raw rates before and after the flood may differ before the figures are flagged.
const STEADY_MACHINE: f64 = 0.10;

const SIGN_IN_SHARE_TARGET: f64 = 0.90;
const RATE_RATIO_TARGET: f64 = 8.0;
const P99_RATIO_TARGET: f64 = 5.0;

fn main() -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<()> {
    let threads = cores();
    let pools = Pools {
        http: env_count("GATEHOUSE_WORKERS")?.unwrap_or(threads),
        hash: env_count("GATEHOUSE_HASH_WORKERS")?.unwrap_or(threads),
        queue: env_count("GATEHOUSE_HASH_QUEUE")?.unwrap_or(DEFAULT_HASH_QUEUE),
    };
    // Enough clients that the hash queue never runs dry while answers travel back.
    let clients = 2 * threads + 2;
    let load_before = load_average();
    let dir = tempfile::tempdir()?;
    let base = start_server(dir.path(), &pools).await?;
    let people = create_identities(dir.path()).await?;
    let client = http_client()?;
    // One session for the `/me` probe and one per refresh chain.
    let mut sessions = Vec::with_capacity(clients + 1);
    for n in 0..=clients {
        sessions.push(sign_in(&client, &base, &people[n % people.len()]).await?);
    }
    let probe_token = sessions[0].access_token.clone();

    let ((idle, idle_tally), cpu_idle) = observed(
        "GET /me latency",
        probe_me(
            &client,
            &base,
            &probe_token,
            Window::after(IDLE_PROBE_WARMUP, IDLE_PROBE),
            IDLE_PROBE_MAX,
        ),
    )
    .await?;
    let ((me_window, me), cpu_me) =
        observed("GET /me rate", me_rate(&base, &sessions, clients)).await?;
    let ((refresh_window, refresh), cpu_refresh) =
        observed("refresh rate", refresh_rate(&base, &sessions[1..])).await?;
    let hash = hash_password()?;
    // Raw and flood phases alternate, and each flood is judged against the raw rates measured
    // right before and right after it: a machine whose speed drifts during the run (a virtual
    // machine's neighbours) moves both sides of each ratio alike.
    let mut raws = Vec::with_capacity(ROUNDS + 1);
    let mut cpu_raws = Vec::with_capacity(ROUNDS + 1);
    let mut floods = Vec::with_capacity(ROUNDS);
    let mut cpu_floods = Vec::with_capacity(ROUNDS);
    for round in 0..=ROUNDS {
        let (rate, cpu) = observed("raw argon2id", raw_verify_rate(threads, &hash)).await?;
        raws.push(rate);
        cpu_raws.push(cpu);
        if round == ROUNDS {
            break;
        }
        let (flood, cpu) = observed(
            "sign-in flood",
            sign_in_flood(&base, &people, clients, None, FLOOD),
        )
        .await?;
        floods.push(flood);
        cpu_floods.push(cpu);
    }
    let (loaded, cpu_loaded) = observed(
        "sign-in flood with the GET /me probe",
        sign_in_flood(&base, &people, clients, Some(&probe_token), LATENCY_FLOOD),
    )
    .await?;
    let shares: Vec<f64> = floods
        .iter()
        .enumerate()
        .map(|(i, f)| f.window.per_second(f.sign_ins.done) / f64::midpoint(raws[i], raws[i + 1]))
        .collect();
    let raw_low = raws.iter().copied().fold(f64::INFINITY, f64::min);
    let raw_high = raws.iter().copied().fold(0.0, f64::max);
    let cpu_raw = mean_cpu(&cpu_raws);
    let cpu_flood = mean_cpu(&cpu_floods);
    let flood = Flood::merge(floods);
    let raw = raws.iter().sum::<f64>() / raws.len() as f64;
    let sign_in_rate = flood.sign_ins.done as f64 / flood.seconds;
    let share = median(&shares)?;
    let share_mean = shares.iter().sum::<f64>() / shares.len() as f64;
    let loaded_rate = loaded.sign_ins.done as f64 / loaded.seconds;
    let refresh_rate = refresh_window.per_second(refresh.done);
    let refresh_ratio = refresh_rate / sign_in_rate;
    let me_rate = me_window.per_second(me.done);
    let me_ratio = me_rate / sign_in_rate;
    let idle_p99 = percentile(&idle, 0.99)?;
    let flood_p99 = percentile(&loaded.me, 0.99)?;
    let p99_ratio = flood_p99.as_secs_f64() / idle_p99.as_secs_f64();

    println!();
    println!("Gatehouse sign-in benchmark (SPEC Q2)");
    println!(
        "  machine: {threads} cores, load average before the run {}",
        load_before.as_deref().unwrap_or("unknown")
    );
    println!(
        "  server: in-process at {base}, SQLite, {} HTTP workers, {} hashing threads, hash queue {}",
        pools.http, pools.hash, pools.queue
    );
    println!(
        "  load: {clients} concurrent clients over {IDENTITIES} identities; {ROUNDS} throughput \
         floods of {} s, then one of {} s with a GET /me latency probe every {} ms",
        FLOOD.as_secs_f64(),
        LATENCY_FLOOD.as_secs(),
        PROBE_INTERVAL.as_millis()
    );
    println!();
    row(
        "raw argon2id verify (m=19 MiB, t=2, p=1)",
        &format!("{raw:.1}/s"),
        &format!(
            "{threads} threads; mean of {} runs between the floods, {raw_low:.1}–{raw_high:.1}/s",
            raws.len()
        ),
    );
    row(
        "sign-in through the API",
        &format!("{sign_in_rate:.1}/s"),
        &format!(
            "= {:.1} % of raw, median of the rounds  [target ≥ {:.0} %: {}]",
            share * 100.0,
            SIGN_IN_SHARE_TARGET * 100.0,
            mark(share >= SIGN_IN_SHARE_TARGET),
        ),
    );
    row(
        "",
        "",
        &format!(
            "rounds: {}; mean {:.1} %",
            shares
                .iter()
                .map(|s| format!("{:.1} %", s * 100.0))
                .collect::<Vec<_>>()
                .join(", "),
            share_mean * 100.0
        ),
    );
    row(
        "",
        "",
        &format!(
            "{} signed in, {} refused busy (503) in {} floods of {} s, {} concurrent clients",
            flood.sign_ins.done,
            flood.sign_ins.busy,
            ROUNDS,
            FLOOD.as_secs_f64(),
            clients
        ),
    );
    row(
        "sign-in beside the GET /me probe",
        &format!("{loaded_rate:.1}/s"),
        &format!(
            "{} signed in, {} refused busy (503) in {} s",
            loaded.sign_ins.done,
            loaded.sign_ins.busy,
            LATENCY_FLOOD.as_secs()
        ),
    );
    row(
        "refresh, idle",
        &format!("{refresh_rate:.1}/s"),
        &format!(
            "= {refresh_ratio:.1}× sign-in  [target ≥ {RATE_RATIO_TARGET:.0}×: {}]",
            mark(refresh_ratio >= RATE_RATIO_TARGET)
        ),
    );
    row(
        "GET /me, idle",
        &format!("{me_rate:.1}/s"),
        &format!(
            "= {me_ratio:.1}× sign-in  [target ≥ {RATE_RATIO_TARGET:.0}×: {}]",
            mark(me_ratio >= RATE_RATIO_TARGET)
        ),
    );
    row(
        "GET /me p99, idle",
        &ms(idle_p99),
        &format!(
            "p50 {}; {} requests",
            ms(percentile(&idle, 0.50)?),
            idle.len()
        ),
    );
    row(
        "GET /me p99, under sign-in flood",
        &ms(flood_p99),
        &format!(
            "p50 {}; {} requests",
            ms(percentile(&loaded.me, 0.50)?),
            loaded.me.len()
        ),
    );
    row(
        "GET /me p99, flood / idle",
        &format!("{p99_ratio:.1}×"),
        &format!(
            "[target < {P99_RATIO_TARGET:.0}×: {}]",
            mark(p99_ratio < P99_RATIO_TARGET)
        ),
    );

    let phases = [
        ("GET /me latency, idle", cpu_idle),
        ("GET /me rate", cpu_me),
        ("refresh rate", cpu_refresh),
        ("raw argon2id (mean of runs)", cpu_raw),
        ("sign-in flood (mean of runs)", cpu_flood),
        ("sign-in flood beside the probe", cpu_loaded),
    ];
    println!();
    println!(
        "{:<34} {:>7} {:>7} {:>8} {:>7} {:>7}",
        format!("CPU time, in cores of {threads}"),
        "hashing",
        "HTTP",
        "database",
        "bench",
        "others"
    );
    for (phase, cpu) in &phases {
        match cpu {
            Some(cpu) => println!(
                "{phase:<34} {:>7.2} {:>7.2} {:>8.2} {:>7.2} {:>7.2}",
                cpu.hashing, cpu.http, cpu.database, cpu.bench, cpu.others
            ),
            None => println!("{phase:<34} {:>7}", "unknown"),
        }
    }
    println!(
        "  hashing: the server's hashing threads; HTTP: its actix-web workers; database: sqlx's \
         SQLite threads;\n  bench: this program's own threads (load generator, raw argon2id); \
         others: other processes"
    );
    if let (Some(raw_cpu), Some(flood)) = (cpu_raw, cpu_flood) {
        let raw_cores = raw_cpu.bench;
        if raw_cores > 0.0 && flood.hashing > 0.0 {
            let raw_per_core = raw / raw_cores;
            let hashing_per_core = sign_in_rate / flood.hashing;
            // Apart from how much CPU the hashing threads got, what each of their CPU-seconds
            // yields: interference from the rest of the server (caches, preemption) shows here.
            row(
                "argon2id per busy core",
                &format!("{raw_per_core:.1}/s"),
                &format!(
                    "raw; {hashing_per_core:.1}/s per hashing core during the flood = {:.1} %",
                    hashing_per_core / raw_per_core * 100.0
                ),
            );
        }
    }
    let quiet_limit = QUIET_MACHINE * threads as f64;
    if phases
        .iter()
        .any(|(_, cpu)| cpu.is_none_or(|cpu| cpu.others > quiet_limit))
    {
        println!(
            "WARNING: other processes took CPU time during the run (or it could not be told). \
             Each phase got whatever share the other work left it, and that share differs \
             between phases, so the rates and ratios above compare unlike conditions; run again \
             on an idle machine."
        );
    }
    let drift = (raw_high - raw_low) / raw;
    if drift > STEADY_MACHINE {
        println!(
            "NOTE: the raw argon2id rate ranged over {:.0} % during the run: the machine's speed \
             changed (on a virtual machine, its neighbours). Each flood is compared with the raw \
             runs on both sides of it, so the ratio follows the drift; the spread of the rounds \
             shows how much it still moved.",
            drift * 100.0
        );
    }

    let failures = [
        ("GET /me, idle probe", &idle_tally),
        ("GET /me, rate", &me),
        ("refresh", &refresh),
        ("sign-in", &flood.sign_ins),
        ("sign-in beside the probe", &loaded.sign_ins),
        ("GET /me, flood probe", &loaded.me_tally),
    ];
    let mut failed = 0;
    for (what, tally) in failures.iter().filter(|(_, t)| t.failed > 0) {
        failed += tally.failed;
        println!(
            "FAILED: {what}: {} unexpected answers; the first: {}",
            tally.failed,
            tally.first_failure.as_deref().unwrap_or_default()
        );
    }
    if failed > 0 {
        return Err(format!("{failed} requests got an unexpected answer").into());
    }
    Ok(())
}

fn row(label: &str, figure: &str, note: &str) {
    println!("{label:<40} {figure:>10}  {note}");
}

/// The part of a run whose completions count; what finishes before it is warm-up.
#[derive(Debug, Clone, Copy)]
struct Window {
    from: Instant,
    to: Instant,
}

impl Window {
    fn after(warmup: Duration, length: Duration) -> Self {
        let from = Instant::now() + warmup;
        Self {
            from,
            to: from + length,
        }
    }

    /// Whether new work may start. Work that starts before the end but finishes after it is
    /// not counted.
    fn open(&self) -> bool {
        Instant::now() < self.to
    }

    fn counts(&self, started: Instant, finished: Instant) -> bool {
        started >= self.from && finished <= self.to
    }

    /// Work is counted by when it finished, so a rate is not cut short by the requests in flight
    /// when the window opens.
    fn finished_inside(&self, finished: Instant) -> bool {
        finished >= self.from && finished <= self.to
    }

    fn per_second(&self, count: u64) -> f64 {
        count as f64 / self.seconds()
    }

    fn seconds(&self) -> f64 {
        (self.to - self.from).as_secs_f64()
    }
}

/// Thread pools and queue of the server, as `gatehouse serve` sizes them.
struct Pools {
    http: usize,
    hash: usize,
    queue: usize,
}

/// The variables of `gatehouse serve` that size its pools, so that other sizes can be measured
/// the same way.
fn env_count(name: &str) -> Result<Option<usize>> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(
            value.parse().map_err(|e| format!("{name}={value}: {e}"))?,
        )),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(err) => Err(format!("{name}: {err}").into()),
    }
}

async fn start_server(dir: &Path, pools: &Pools) -> Result<Arc<str>> {
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse()?,
        public_url: None,
        web_dir: dir.join("no-web-app"),
        demo: false,
        access_token_ttl: 900,
        workers: Some(pools.http),
        hash_workers: Some(pools.hash),
        hash_queue: pools.queue,
        max_body: 64 * 1024,
        smtp_url: None,
        mail_from: "Gatehouse <gatehouse@localhost>".to_owned(),
        trusted_proxies: Vec::new(),
        client_ip_header: "X-Forwarded-For".to_owned(),
        reassignment: gatehouse_api::config::ReassignmentConfig::default(),
        database: database(dir),
        // Quiet by default: request logging is not what is measured. GATEHOUSE_LOG turns it on
        // to see why a request failed.
        log: LogConfig {
            log_level: std::env::var("GATEHOUSE_LOG").unwrap_or_else(|_| "off".to_owned()),
            log_format: LogFormat::Text,
        },
    };
    gatehouse_api::telemetry::init(&config.log);
    let app = Application::build(config).await?;
    let base: Arc<str> = app.url().into();
    tokio::spawn(app.run_until_stopped());
    Ok(base)
}

fn database(dir: &Path) -> DatabaseConfig {
    DatabaseConfig {
        data_dir: dir.to_path_buf(),
        database_url: None,
        pool_size: 16,
    }
}

async fn create_identities(dir: &Path) -> Result<Vec<String>> {
    let db = db::connect(&database(dir)).await?;
    // Its own pool, dropped after set-up, so the server's hashing threads start the run idle.
    let hasher = PasswordHasher::start(cores(), IDENTITIES);
    let mut emails = Vec::with_capacity(IDENTITIES);
    // Person names may hold only letters and a few signs, so the identities are told apart by a
    // letter.
    for (n, letter) in ('A'..='Z').take(IDENTITIES).enumerate() {
        let email = format!("admin{n}@bench{n}.example.com");
        accounts::create(
            &db,
            &hasher,
            NewAccount {
                name: format!("Bench {n}"),
                admin_email: email.clone(),
                admin_name: format!("Admin {letter}"),
                admin_password: Some(PASSWORD.to_owned()),
                language: "en".to_owned(),
            },
        )
        .await?;
        emails.push(email);
    }
    db.close().await?;
    Ok(emails)
}

fn http_client() -> Result<Client> {
    Ok(Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

fn login_request(email: &str) -> LoginRequest {
    LoginRequest {
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
        account_id: None,
    }
}

async fn sign_in(client: &Client, base: &str, email: &str) -> Result<SignedIn> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&login_request(email))
        .send()
        .await?;
    let status = response.status();
    if status != StatusCode::OK {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("sign-in of {email} answered {status}: {body}").into());
    }
    Ok(response.json().await?)
}

/// A PHC string made with the server's parameters, as the server stores them.
fn hash_password() -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map_err(|e| format!("cannot hash: {e}"))?
        .to_string())
}

/// Verifications per second on `threads` threads, parsing the PHC string each time as the
/// server's hashing threads do.
async fn raw_verify_rate(threads: usize, hash: &str) -> Result<f64> {
    let hash: Arc<str> = hash.into();
    let window = Window::after(RAW_WARMUP, RAW);
    let mut workers = JoinSet::new();
    for _ in 0..threads {
        let hash = Arc::clone(&hash);
        workers.spawn_blocking(move || -> Result<u64> {
            // The server's own verification, working memory reused the same way, so the raw
            // rate is the best this machine does and the sign-in rate is judged against it.
            let mut verifier = Verifier::default();
            let mut verified = 0;
            while window.open() {
                if !verifier.verify(PASSWORD.as_bytes(), &hash) {
                    return Err("the raw verification did not match its own hash".into());
                }
                if window.finished_inside(Instant::now()) {
                    verified += 1;
                }
            }
            Ok(verified)
        });
    }
    let mut verified = 0;
    while let Some(worker) = workers.join_next().await {
        verified += worker??;
    }
    Ok(window.per_second(verified))
}

/// What a group of clients got back.
#[derive(Debug, Default)]
struct Tally {
    /// Answered as hoped, finishing inside the window.
    done: u64,
    /// 503 `server_busy`, finishing inside the window.
    busy: u64,
    /// Any other answer, whenever it came.
    failed: u64,
    first_failure: Option<String>,
}

impl Tally {
    fn fail(&mut self, what: String) {
        self.failed += 1;
        self.first_failure.get_or_insert(what);
    }

    fn add(&mut self, other: Self) {
        self.done += other.done;
        self.busy += other.busy;
        self.failed += other.failed;
        if self.first_failure.is_none() {
            self.first_failure = other.first_failure;
        }
    }
}

async fn join(mut tasks: JoinSet<Result<Tally>>) -> Result<Tally> {
    let mut tally = Tally::default();
    while let Some(task) = tasks.join_next().await {
        tally.add(task??);
    }
    Ok(tally)
}

/// `GET /me` with one client, one request at a time at `PROBE_INTERVAL`: the latency of each
/// answered request inside `window`.
async fn probe_me(
    client: &Client,
    base: &str,
    token: &str,
    window: Window,
    max: usize,
) -> Result<(Vec<Duration>, Tally)> {
    let url = format!("{base}/api/v1/me");
    let mut latencies = Vec::new();
    let mut tally = Tally::default();
    let mut pace = tokio::time::interval(PROBE_INTERVAL);
    // A slow answer delays the next request instead of setting off a burst to catch up.
    pace.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while window.open() && latencies.len() < max {
        pace.tick().await;
        let started = Instant::now();
        let (status, body) = get_me(client, &url, token).await?;
        let finished = Instant::now();
        if status != StatusCode::OK {
            tally.fail(answer("GET /me", status, &body));
        } else if window.counts(started, finished) {
            latencies.push(finished - started);
            tally.done += 1;
        }
    }
    if latencies.is_empty() {
        return Err(format!(
            "the GET /me probe recorded no answered request; {}",
            tally.first_failure.unwrap_or_default()
        )
        .into());
    }
    Ok((latencies, tally))
}

/// Reads the whole body, so the connection goes back to the pool and the work is complete.
async fn get_me(client: &Client, url: &str, token: &str) -> Result<(StatusCode, Bytes)> {
    let response = client.get(url).bearer_auth(token).send().await?;
    let status = response.status();
    Ok((status, response.bytes().await?))
}

fn answer(request: &str, status: StatusCode, body: &[u8]) -> String {
    format!(
        "{request} answered {status}: {}",
        String::from_utf8_lossy(body)
    )
}

/// `GET /me` from `clients` concurrent clients, each with its own connection.
async fn me_rate(base: &str, sessions: &[SignedIn], clients: usize) -> Result<(Window, Tally)> {
    let url: Arc<str> = format!("{base}/api/v1/me").into();
    let window = Window::after(RATE_WARMUP, RATE);
    let mut tasks = JoinSet::new();
    for n in 0..clients {
        let url = Arc::clone(&url);
        let token = sessions[n % sessions.len()].access_token.clone();
        tasks.spawn(async move {
            let client = http_client()?;
            let mut tally = Tally::default();
            while window.open() {
                let (status, body) = get_me(&client, &url, &token).await?;
                if status != StatusCode::OK {
                    tally.fail(answer("GET /me", status, &body));
                } else if window.finished_inside(Instant::now()) {
                    tally.done += 1;
                }
            }
            Ok(tally)
        });
    }
    Ok((window, join(tasks).await?))
}

/// Refresh, one client per session. Each client uses the refresh token it was just given: a
/// refresh token works once, and using one twice would end the session.
async fn refresh_rate(base: &str, sessions: &[SignedIn]) -> Result<(Window, Tally)> {
    let url: Arc<str> = format!("{base}/api/v1/auth/refresh").into();
    let window = Window::after(RATE_WARMUP, RATE);
    let mut tasks = JoinSet::new();
    for session in sessions {
        let url = Arc::clone(&url);
        let mut token = session
            .refresh_token
            .clone()
            .ok_or("a sign-in without a refresh token")?;
        tasks.spawn(async move {
            let client = http_client()?;
            let mut tally = Tally::default();
            while window.open() {
                let response = client
                    .post(&*url)
                    .json(&RefreshRequest {
                        refresh_token: Some(token.clone()),
                    })
                    .send()
                    .await?;
                let status = response.status();
                let body = response.bytes().await?;
                if status == StatusCode::OK {
                    let signed_in: SignedIn = serde_json::from_slice(&body)?;
                    token = signed_in
                        .refresh_token
                        .ok_or("a refresh without a new refresh token")?;
                    if window.finished_inside(Instant::now()) {
                        tally.done += 1;
                    }
                    continue;
                }
                tally.fail(answer("refresh", status, &body));
                // A failure before the server's commit leaves the token unused, so it is tried
                // again; a 401 means it was spent or its session ended, and this chain is over.
                if status == StatusCode::UNAUTHORIZED {
                    break;
                }
            }
            Ok(tally)
        });
    }
    Ok((window, join(tasks).await?))
}

struct Flood {
    window: Window,
    /// The length of the windows counted (several floods merged).
    seconds: f64,
    sign_ins: Tally,
    /// Latencies of the `GET /me` probe during the flood.
    me: Vec<Duration>,
    me_tally: Tally,
}

impl Flood {
    /// The rounds of a run as one flood: counts and latencies together.
    fn merge(floods: Vec<Self>) -> Self {
        let mut floods = floods.into_iter();
        let Some(mut all) = floods.next() else {
            return Self {
                window: Window::after(Duration::ZERO, Duration::ZERO),
                seconds: 0.0,
                sign_ins: Tally::default(),
                me: Vec::new(),
                me_tally: Tally::default(),
            };
        };
        for flood in floods {
            all.seconds += flood.seconds;
            all.sign_ins.add(flood.sign_ins);
            all.me.extend(flood.me);
            all.me_tally.add(flood.me_tally);
        }
        all
    }
}

/// `clients` concurrent clients signing in as fast as they are answered for `length`, and
/// beside them the `GET /me` probe when given its token.
async fn sign_in_flood(
    base: &str,
    people: &[String],
    clients: usize,
    probe_token: Option<&str>,
    length: Duration,
) -> Result<Flood> {
    // The load generator shares the machine with the server, so each client parses its URL and
    // encodes its body once instead of per request: what it spends is taken from the hashing.
    let url = reqwest::Url::parse(&format!("{base}/api/v1/auth/login"))?;
    let window = Window::after(FLOOD_WARMUP, length);
    let mut tasks = JoinSet::new();
    for n in 0..clients {
        let url = url.clone();
        let body = Bytes::from(serde_json::to_vec(&login_request(
            &people[n % people.len()],
        ))?);
        tasks.spawn(async move {
            let client = http_client()?;
            let mut tally = Tally::default();
            while window.open() {
                let response = client
                    .post(url.clone())
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone())
                    .send()
                    .await?;
                let status = response.status();
                let body = response.bytes().await?;
                let inside = window.finished_inside(Instant::now());
                match status {
                    StatusCode::OK => tally.done += u64::from(inside),
                    StatusCode::SERVICE_UNAVAILABLE => {
                        tally.busy += u64::from(inside);
                        tokio::time::sleep(BUSY_PAUSE).await;
                    }
                    other => tally.fail(answer("sign-in", other, &body)),
                }
            }
            Ok(tally)
        });
    }
    let probe = async {
        match probe_token {
            Some(token) => probe_me(&http_client()?, base, token, window, usize::MAX).await,
            None => Ok((Vec::new(), Tally::default())),
        }
    };
    let (probe, sign_ins) = tokio::join!(probe, join(tasks));
    let (me, me_tally) = probe?;
    let sign_ins = sign_ins?;
    Ok(Flood {
        window,
        seconds: window.seconds(),
        sign_ins,
        me,
        me_tally,
    })
}

/// The middle value; for an even count, the mean of the two middle ones.
fn median(values: &[f64]) -> Result<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => Err("no values to take a median of".into()),
        _ if n % 2 == 1 => Ok(sorted[n / 2]),
        _ => Ok(f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])),
    }
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

fn mark(met: bool) -> &'static str {
    if met {
        "PASS"
    } else {
        "FAIL"
    }
}

/// The one-minute load average, to tell a quiet machine from a busy one when reading the
/// figures; Linux only.
fn load_average() -> Option<String> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next().map(str::to_owned)
}

/// The mean CPU use of several runs of a phase; unknown if any run's is.
fn mean_cpu(runs: &[Option<CpuUse>]) -> Option<CpuUse> {
    let known: Vec<CpuUse> = runs.iter().copied().collect::<Option<_>>()?;
    let n = known.len() as f64;
    (n > 0.0).then(|| CpuUse {
        hashing: known.iter().map(|c| c.hashing).sum::<f64>() / n,
        http: known.iter().map(|c| c.http).sum::<f64>() / n,
        database: known.iter().map(|c| c.database).sum::<f64>() / n,
        bench: known.iter().map(|c| c.bench).sum::<f64>() / n,
        others: known.iter().map(|c| c.others).sum::<f64>() / n,
    })
}

/// Runs one phase, and tells how the machine's CPU time was spent meanwhile.
async fn observed<T>(
    phase: &str,
    work: impl Future<Output = Result<T>>,
) -> Result<(T, Option<CpuUse>)> {
    eprintln!("measuring: {phase}…");
    let before = CpuTimes::take();
    let value = work.await?;
    let used = before.and_then(|before| CpuTimes::take().map(|after| after.since(before)));
    Ok((value, used))
}

/// CPU time of the whole machine and of this process's threads by kind, in clock ticks; Linux
/// only. The kinds are told by thread name: the server names its hashing threads, actix-web and
/// sqlx name theirs. Anything else, or a name that changed, counts as the benchmark's own.
#[derive(Debug, Clone, Copy, Default)]
struct CpuTimes {
    busy: u64,
    total: u64,
    ours: u64,
    hashing: u64,
    http: u64,
    database: u64,
}

/// How a phase's CPU time was spent, in cores.
#[derive(Debug, Clone, Copy)]
struct CpuUse {
    hashing: f64,
    http: f64,
    database: f64,
    bench: f64,
    others: f64,
}

impl CpuTimes {
    fn take() -> Option<Self> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        let ticks = stat
            .lines()
            .next()?
            .split_whitespace()
            .skip(1)
            .map(|field| field.parse::<u64>().ok())
            .collect::<Option<Vec<_>>>()?;
        // user, nice, system, idle, iowait, irq, softirq, steal; guest time is already inside
        // user and nice. Steal is time the hypervisor gave to other machines: taken as well.
        let total: u64 = ticks.iter().take(8).sum();
        let idle = ticks.get(3)? + ticks.get(4)?;
        let mut times = Self {
            busy: total.saturating_sub(idle),
            total,
            // Includes threads that have ended, which the per-thread files no longer show.
            ours: thread_ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)?,
            ..Self::default()
        };
        for task in std::fs::read_dir("/proc/self/task").ok()? {
            // A thread may end between listing and reading; it is simply left out.
            let Ok(text) = std::fs::read_to_string(task.ok()?.path().join("stat")) else {
                continue;
            };
            let Some(ticks) = thread_ticks(&text) else {
                continue;
            };
            if text.contains("(password-hash") {
                times.hashing += ticks;
            } else if text.contains("(actix") {
                times.http += ticks;
            } else if text.contains("(sqlx") {
                times.database += ticks;
            }
        }
        Some(times)
    }

    fn since(self, before: Self) -> CpuUse {
        let total = self.total.saturating_sub(before.total).max(1);
        let cores = |ticks: u64| ticks as f64 / total as f64 * cores() as f64;
        let ours = self.ours.saturating_sub(before.ours);
        let hashing = self.hashing.saturating_sub(before.hashing);
        let http = self.http.saturating_sub(before.http);
        let database = self.database.saturating_sub(before.database);
        let busy = self.busy.saturating_sub(before.busy);
        CpuUse {
            hashing: cores(hashing),
            http: cores(http),
            database: cores(database),
            bench: cores(ours.saturating_sub(hashing + http + database)),
            others: cores(busy.saturating_sub(ours)),
        }
    }
}

/// utime + stime from a `/proc/…/stat` line. The command name may hold spaces; the fields after
/// it start with the state (field 3), so utime and stime (fields 14 and 15) are the 12th and
/// 13th.
fn thread_ticks(stat: &str) -> Option<u64> {
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}
