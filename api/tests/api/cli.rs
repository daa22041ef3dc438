//! The `gatehouse` command: create-account prints the account id; the demo account of a fresh
//! install signs in with the login printed on the console.

use std::process::Command;

use crate::helpers::{spawn_app_with, Backend, Options};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_account_prints_the_id_and_the_admin_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .args(args)
            .env("GATEHOUSE_DATA_DIR", dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&[
        "create-account",
        "--name",
        "Acme",
        "--admin-email",
        "Olga@Acme.example.com",
        "--admin-name",
        "Olga Owner",
    ]);
    assert!(ok, "{err}");
    let id_line = out.lines().find(|l| l.starts_with("account_id: ")).unwrap();
    let account_id: i64 = id_line.trim_start_matches("account_id: ").parse().unwrap();
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert!(password.len() >= 16, "a strong generated password");

    // The same person as admin of a second account keeps her password.
    let (ok, out, err) = run(&[
        "create-account",
        "--name",
        "Beta",
        "--admin-email",
        "olga@acme.example.com",
        "--admin-name",
        "Other Name",
        "--admin-password",
        "something else entirely",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("password: unchanged"), "{out}");

    // The platform sets the seats; an unknown account is a clear failure.
    let account = account_id.to_string();
    let (ok, out, err) = run(&[
        "accounts",
        "set-seats",
        "--account",
        &account,
        "--general",
        "12",
        "--technical",
        "3",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.contains("seats: 1 used of 15 (12 general, 3 technical)"),
        "{out}"
    );
    let (ok, _, err) = run(&[
        "accounts",
        "set-seats",
        "--account",
        "999999",
        "--general",
        "1",
    ]);
    assert!(!ok);
    assert!(
        err.contains("not_found") || err.contains("Not found"),
        "{err}"
    );

    // Invalid input: a clear message and a failing exit code, nothing written.
    let (ok, _, err) = run(&[
        "create-account",
        "--name",
        "Gamma",
        "--admin-email",
        "not-an-email",
        "--admin-name",
        "Visit shop.example",
    ]);
    assert!(!ok);
    assert!(
        err.contains("admin_email") && err.contains("admin_name"),
        "{err}"
    );

    // The server on that data directory lets her in with the printed password.
    let app = gatehouse_api::startup::Application::build(gatehouse_api::config::ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        web_dir: dir.path().join("web"),
        demo: true,
        access_token_ttl: 900,
        workers: Some(1),
        hash_workers: Some(1),
        hash_queue: 8,
        max_body: 65536,
        smtp_url: None,
        mail_from: "Gatehouse <gatehouse@localhost>".into(),
        trusted_proxies: Vec::new(),
        client_ip_header: "X-Forwarded-For".into(),
        reassignment: gatehouse_api::config::ReassignmentConfig::default(),
        database: gatehouse_api::config::DatabaseConfig {
            data_dir: dir.path().to_path_buf(),
            database_url: None,
            pool_size: 4,
        },
        log: gatehouse_api::config::LogConfig::default_quiet(),
    })
    .await
    .unwrap();
    assert!(
        app.demo_login().is_none(),
        "no demo account in a database that has accounts"
    );
    let url = app.url().to_owned();
    tokio::spawn(app.run_until_stopped());
    let response = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "olga@acme.example.com", "password": password, "account_id": account_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_account_is_created_on_first_start_and_its_login_works() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_with(
            backend,
            Options {
                demo: true,
                ..Options::default()
            },
        )
        .await;
        let remembered = std::fs::read_to_string(app.data_dir.join("demo-login.txt")).unwrap();
        let mut lines = remembered.lines();
        let (email, password) = (lines.next().unwrap(), lines.next().unwrap());
        let response = app.login_response(email, password).await;
        assert_eq!(response.status(), 200, "{backend:?}");
    }
}
