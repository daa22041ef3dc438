//! `spawn_app`: the real server on port 0 with a fresh database per test — a temporary SQLite
//! file, or a uniquely named PostgreSQL database (never skipped: an unreachable PostgreSQL fails
//! the test).

use std::path::PathBuf;

use gatehouse_api::{
    accounts::service::{self as accounts, NewAccount},
    auth::password::PasswordHasher,
    config::{DatabaseConfig, LogConfig, LogFormat, ServeConfig},
    db,
    startup::Application,
};
use gatehouse_domain::{auth::SignedIn, problem::Problem, Id};
use reqwest::{Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};

/// Generates `name::sqlite` and `name::postgres` tests from `async fn name(backend: Backend)`.
macro_rules! both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::helpers::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(crate::helpers::Backend::Postgres).await;
            }
        }
    )*};
}
pub(crate) use both_databases;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the tests create their databases on.
pub fn postgres_base() -> String {
    std::env::var("GATEHOUSE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// A connection of the test's own to the server's database, for arranging and inspecting.
    pub db: DatabaseConnection,
    pub hasher: PasswordHasher,
    pub data_dir: PathBuf,
    postgres_db: Option<String>,
    _dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct Options {
    pub demo: bool,
    /// Deliver mail through this SMTP server instead of keeping it in the outbox.
    pub smtp_url: Option<String>,
    pub trusted_proxies: Vec<String>,
    /// Batch size and pause of reassignment jobs.
    pub reassignment: gatehouse_api::config::ReassignmentConfig,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, postgres_db) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let name = format!("gatehouse_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(format!("{}/postgres", postgres_base()))
                .await
                .expect("PostgreSQL must be reachable for the PostgreSQL half of the tests (GATEHOUSE_TEST_POSTGRES)");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            admin.close().await.ok();
            (Some(format!("{}/{name}", postgres_base())), Some(name))
        }
    };
    let database = DatabaseConfig {
        data_dir: dir.path().to_path_buf(),
        database_url,
        pool_size: 8,
    };
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse().expect("address"),
        public_url: None,
        web_dir: dir.path().join("no-web-app"),
        demo: options.demo,
        access_token_ttl: 900,
        workers: Some(1),
        hash_workers: Some(2),
        hash_queue: 64,
        max_body: 64 * 1024,
        smtp_url: options.smtp_url,
        mail_from: "Gatehouse <gatehouse@test.example.com>".into(),
        trusted_proxies: options.trusted_proxies,
        client_ip_header: "X-Forwarded-For".into(),
        reassignment: options.reassignment,
        database: database.clone(),
        log: LogConfig {
            log_level: std::env::var("TEST_LOG").unwrap_or_else(|_| "off".into()),
            log_format: LogFormat::Text,
        },
    };
    gatehouse_api::telemetry::init(&config.log);
    let app = Application::build(config).await.expect("server starts");
    let address = app.url().to_owned();
    tokio::spawn(app.run_until_stopped());
    let db = db::connect(&database).await.expect("test connection");
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        db,
        hasher: PasswordHasher::start(1, 16),
        data_dir: dir.path().to_path_buf(),
        postgres_db,
        _dir: dir,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(name) = self.postgres_db.take() else {
            return;
        };
        // Dropping runs inside the test's runtime; the clean-up gets a runtime of its own.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async {
                if let Ok(admin) = Database::connect(format!("{}/postgres", postgres_base())).await
                {
                    let _ = admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await;
                    admin.close().await.ok();
                }
            });
        })
        .join();
    }
}

/// A person created through the account service: an account with them as its administrator.
pub struct Person {
    pub account_id: Id,
    pub email: String,
    pub password: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Creates an account whose administrator is `email` (an existing identity joins as is).
    pub async fn create_account(
        &self,
        account: &str,
        email: &str,
        name: &str,
        password: &str,
    ) -> Person {
        let created = accounts::create(
            &self.db,
            &self.hasher,
            NewAccount {
                name: account.to_owned(),
                admin_email: email.to_owned(),
                admin_name: name.to_owned(),
                admin_password: Some(password.to_owned()),
                language: "en".to_owned(),
            },
        )
        .await
        .expect("account created");
        Person {
            account_id: created.account_id,
            email: email.to_owned(),
            password: password.to_owned(),
        }
    }

    /// The usual first step: one account, its administrator.
    pub async fn admin(&self) -> Person {
        self.create_account(
            "Acme",
            "anna@acme.example.com",
            "Anna Admin",
            "correct horse battery",
        )
        .await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn put_auth(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_auth(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_auth(&self, path: &str, token: &str) -> Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// A client whose connections come from another loopback address (127.0.0.2, …), for
    /// allowlist and per-IP tests.
    pub fn client_from(ip: &str) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(Some(ip.parse().expect("ip")))
            .build()
            .expect("client")
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn login_response(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs in as a mobile client would (refresh token in the body).
    pub async fn login(&self, person: &Person) -> SignedIn {
        let response = self.login_response(&person.email, &person.password).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "sign-in of {}",
            person.email
        );
        response.json().await.expect("SignedIn body")
    }
}

/// Asserts a problem+json answer with this status and code, and returns it.
pub async fn assert_problem(response: Response, status: u16, code: &str) -> Problem {
    let actual = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.expect("body");
    assert_eq!(actual, status, "status; body: {body}");
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type {content_type:?}; body: {body}"
    );
    let problem: Problem =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("not a problem body ({e}): {body}"));
    assert_eq!(problem.code.as_str(), code, "code; body: {body}");
    assert_eq!(problem.status, status);
    problem
}

/// A real SMTP server on loopback that accepts every message and keeps it, for mail tests.
pub struct SmtpSink {
    pub url: String,
    pub messages: std::sync::Arc<tokio::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("addr"));
        let messages = std::sync::Arc::new(tokio::sync::Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                kept.lock().await.push(std::mem::take(body));
                                data = None;
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                body.push_str(&line);
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go on\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        Self { url, messages }
    }

    /// Waits up to five seconds for the `n`th message.
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        for _ in 0..100 {
            let messages = self.messages.lock().await.clone();
            if messages.len() >= n {
                return messages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the SMTP server did not receive {n} message(s)");
    }
}
