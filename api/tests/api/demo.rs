//! Demo data (C6): a fill makes what it promises and only in its account, the rights still hold
//! over the records it made, the same plan makes the same data, an account is filled once
//! unless the fill appends, bad input is refused with nothing written, the `gatehouse demo`
//! command says all this to a person, and the first start shows a living CRM.

use std::process::Command;

use gatehouse_api::{
    accounts::seats,
    demo::{self, DemoError, DemoMember, Filled, MemberKind, Plan},
};
use gatehouse_domain::{people::Password, Id};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::{
    both_databases, spawn_app, spawn_app_with, Backend, Options, Person, TestApp,
};

both_databases!(
    a_fill_makes_the_promised_records_in_its_account_only,
    rights_still_hold_over_demo_records,
    the_same_plan_makes_the_same_data,
    an_account_is_filled_once_unless_the_fill_appends,
    bad_input_is_refused_and_nothing_is_written,
    the_first_start_shows_a_living_crm,
);

const PASSWORD: &str = "demo members password";

async fn plan(app: &TestApp, leads: u64, members: u32) -> Plan {
    let hash = app
        .hasher
        .hash(Password::parse_new(PASSWORD).unwrap())
        .await
        .unwrap();
    Plan {
        leads,
        members: Some(members),
        append: false,
        members_password_hash: Some(hash),
    }
}

async fn fill(app: &TestApp, account_id: Id, plan: &Plan) -> Result<Filled, DemoError> {
    demo::fill(&app.db, account_id, plan, &|_| {}).await
}

/// One number from SQL the test writes (the same on both databases).
async fn number(app: &TestApp, sql: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

fn member(filled: &Filled, kind: MemberKind) -> &DemoMember {
    filled.members.iter().find(|m| m.kind == kind).unwrap()
}

async fn token_of(app: &TestApp, account_id: Id, member: &DemoMember) -> String {
    app.login(&Person {
        account_id,
        email: member.email.clone(),
        password: PASSWORD.to_owned(),
    })
    .await
    .access_token
}

/// The leads a member sees through the API (all of them: fewer than a slice of 250).
async fn visible_leads(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.get_auth("/api/v1/leads?limit=250", token).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body.get("next_after").is_none(), "{body}");
    body["items"].as_array().unwrap().clone()
}

async fn a_fill_makes_the_promised_records_in_its_account_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let other = app
        .create_account(
            "Other",
            "olga@other.example.com",
            "Olga Other",
            "correct horse battery",
        )
        .await;
    let a = admin.account_id;
    let filled = fill(&app, a, &plan(&app, 300, 12).await).await.unwrap();

    let r = &filled.records;
    assert_eq!(
        (r.leads, r.companies, r.contacts),
        (300, 30, 120),
        "{backend:?}"
    );
    assert!(r.lead_contacts >= 250 && r.participants > 0 && r.tasks > 150 && r.events > 300);
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM leads WHERE account_id = {a}")
        )
        .await,
        300
    );
    assert_eq!(
        number(
            &app,
            &format!(
                "SELECT COUNT(*) FROM lead_events WHERE account_id = {a} AND lead_id IN \
                 (SELECT id FROM leads WHERE account_id = {a})"
            )
        )
        .await,
        i64::try_from(r.events).unwrap()
    );

    // The team: twelve new members besides the administrator, of every kind.
    assert_eq!(filled.members.len(), 12);
    for kind in [
        MemberKind::HeadOfSales,
        MemberKind::Manager,
        MemberKind::JuniorManager,
        MemberKind::Free,
    ] {
        assert!(filled.members.iter().any(|m| m.kind == kind), "{kind:?}");
    }
    let left = filled
        .members
        .iter()
        .filter(|m| m.kind == MemberKind::Deactivated)
        .count();
    assert_eq!(left, 2);
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM memberships WHERE account_id = {a}")
        )
        .await,
        13
    );
    assert_eq!(
        number(
            &app,
            &format!(
                "SELECT COUNT(*) FROM memberships WHERE account_id = {a} AND is_active = false \
                 AND deactivated_at IS NOT NULL"
            )
        )
        .await,
        2
    );
    assert!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM groups WHERE account_id = {a}")
        )
        .await
            >= 2
    );
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM roles WHERE account_id = {a}")
        )
        .await,
        3
    );

    // Pipelines with won and lost stages, and leads in all kinds of stages.
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM pipelines WHERE account_id = {a}")
        )
        .await,
        3
    );
    for kind in ["won", "lost"] {
        assert_eq!(
            number(
                &app,
                &format!(
                    "SELECT COUNT(DISTINCT pipeline_id) FROM stages WHERE account_id = {a} AND \
                     kind = '{kind}'"
                )
            )
            .await,
            3,
            "{kind}"
        );
    }
    for kind in ["open", "won", "lost"] {
        let leads = number(
            &app,
            &format!(
                "SELECT COUNT(*) FROM leads JOIN stages ON stages.id = leads.stage_id WHERE \
                 leads.account_id = {a} AND stages.kind = '{kind}'"
            ),
        )
        .await;
        assert!(leads >= 30, "{leads} {kind} leads");
    }
    assert!(
        number(
            &app,
            &format!("SELECT COUNT(DISTINCT stage_id) FROM leads WHERE account_id = {a}")
        )
        .await
            >= 8
    );
    // Every lead sits in a stage of its own pipeline and belongs to an active, non-free member.
    assert_eq!(
        number(
            &app,
            &format!(
                "SELECT COUNT(*) FROM leads JOIN stages ON stages.id = leads.stage_id WHERE \
                 leads.account_id = {a} AND stages.pipeline_id <> leads.pipeline_id"
            )
        )
        .await,
        0
    );
    assert_eq!(
        number(
            &app,
            &format!(
                "SELECT COUNT(*) FROM leads WHERE account_id = {a} AND responsible_id NOT IN \
                 (SELECT id FROM memberships WHERE account_id = {a} AND is_active = true AND \
                 is_free = false)"
            )
        )
        .await,
        0
    );
    assert!(
        number(
            &app,
            &format!("SELECT COUNT(DISTINCT responsible_id) FROM leads WHERE account_id = {a}")
        )
        .await
            >= 8
    );

    // Open and completed tasks with due dates; timelines with all nine kinds of events.
    for completed in ["IS NULL", "IS NOT NULL"] {
        assert!(
            number(
                &app,
                &format!(
                    "SELECT COUNT(*) FROM tasks WHERE account_id = {a} AND due_at IS NOT NULL \
                     AND completed_at {completed}"
                )
            )
            .await
                > 20,
            "completed_at {completed}"
        );
    }
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(DISTINCT kind) FROM lead_events WHERE account_id = {a}")
        )
        .await,
        9
    );
    assert!(
        number(
            &app,
            &format!(
                "SELECT COUNT(*) FROM contacts WHERE account_id = {a} AND company_id IS NOT NULL"
            )
        )
        .await
            > 50
    );

    // The seats were raised to fit the new members, never exceeded.
    let seats = seats::count(&app.db, a).await.unwrap();
    assert!(seats.used <= seats.total, "{seats:?}");
    assert_eq!(seats.used, 1 + 12 - 2 - 1, "the admin and the active staff");

    // Nothing reached the other account.
    let o = other.account_id;
    for table in [
        "leads",
        "contacts",
        "companies",
        "tasks",
        "lead_events",
        "roles",
    ] {
        assert_eq!(
            number(
                &app,
                &format!("SELECT COUNT(*) FROM {table} WHERE account_id = {o}")
            )
            .await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM memberships WHERE account_id = {o}")
        )
        .await,
        1
    );
}

async fn rights_still_hold_over_demo_records(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let other = app
        .create_account(
            "Other",
            "olga@other.example.com",
            "Olga Other",
            "correct horse battery",
        )
        .await;
    let a = admin.account_id;
    let filled = fill(&app, a, &plan(&app, 200, 12).await).await.unwrap();

    // A junior manager (M rights, the partners' pipeline hidden) sees exactly their own leads
    // outside that pipeline.
    let junior = member(&filled, MemberKind::JuniorManager);
    let items = visible_leads(&app, &token_of(&app, a, junior).await).await;
    assert!(items
        .iter()
        .all(|l| l["responsible_id"] == junior.membership_id));
    let own = number(
        &app,
        &format!(
            "SELECT COUNT(*) FROM leads JOIN pipelines ON pipelines.id = leads.pipeline_id WHERE \
             leads.account_id = {a} AND leads.responsible_id = {} AND pipelines.name <> \
             'Partners'",
            junior.membership_id
        ),
    )
    .await;
    assert_eq!(items.len() as i64, own, "{backend:?}");
    assert!(own > 0, "the junior manager has leads of their own");

    // A manager (G rights) sees the leads of their group.
    let manager = member(&filled, MemberKind::Manager);
    let group = manager.group_id.unwrap();
    let items = visible_leads(&app, &token_of(&app, a, manager).await).await;
    let in_group = number(
        &app,
        &format!(
            "SELECT COUNT(*) FROM leads WHERE account_id = {a} AND responsible_id IN (SELECT id \
             FROM memberships WHERE group_id = {group})"
        ),
    )
    .await;
    assert_eq!(items.len() as i64, in_group);
    assert!(in_group > 0 && in_group < 200, "{in_group}");

    // A head of sales sees them all; a free user only the leads they take part in.
    let head = member(&filled, MemberKind::HeadOfSales);
    let items = visible_leads(&app, &token_of(&app, a, head).await).await;
    assert_eq!(items.len(), 200);
    let free = member(&filled, MemberKind::Free);
    let items = visible_leads(&app, &token_of(&app, a, free).await).await;
    let taking_part = number(
        &app,
        &format!(
            "SELECT COUNT(*) FROM lead_participants WHERE membership_id = {}",
            free.membership_id
        ),
    )
    .await;
    assert_eq!(items.len() as i64, taking_part);

    // Another account's administrator sees none of it, not even by id.
    let token = app.login(&other).await.access_token;
    assert!(visible_leads(&app, &token).await.is_empty());
    let lead = number(
        &app,
        &format!("SELECT MIN(id) FROM leads WHERE account_id = {a}"),
    )
    .await;
    let response = app.get_auth(&format!("/api/v1/leads/{lead}"), &token).await;
    assert_eq!(response.status(), 404);
    let response = app.get_auth("/api/v1/contacts?limit=250", &token).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["items"].as_array().unwrap().len(), 0);
}

async fn the_same_plan_makes_the_same_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let first = app.admin().await;
    let second = app
        .create_account(
            "Second",
            "olga@second.example.com",
            "Olga Second",
            "correct horse battery",
        )
        .await;
    let plan = plan(&app, 80, 6).await;
    fill(&app, first.account_id, &plan).await.unwrap();
    fill(&app, second.account_id, &plan).await.unwrap();
    // Ids differ between the accounts; everything told by name, price and stage does not.
    let digest = |account: Id| {
        let app = &app;
        async move {
            let backend = app.db.get_database_backend();
            let rows = app
                .db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT leads.price, stages.name, COALESCE(companies.name, '') FROM \
                         leads JOIN stages ON stages.id = leads.stage_id LEFT JOIN companies ON \
                         companies.id = leads.company_id WHERE leads.account_id = {account} \
                         ORDER BY leads.id"
                    ),
                ))
                .await
                .unwrap();
            rows.iter()
                .map(|r| {
                    (
                        r.try_get_by_index::<i64>(0).unwrap(),
                        r.try_get_by_index::<String>(1).unwrap(),
                        r.try_get_by_index::<String>(2).unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let (a, b) = (
        digest(first.account_id).await,
        digest(second.account_id).await,
    );
    assert_eq!(a.len(), 80);
    assert_eq!(a, b);
}

async fn an_account_is_filled_once_unless_the_fill_appends(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let a = admin.account_id;
    let first = plan(&app, 100, 6).await;
    fill(&app, a, &first).await.unwrap();
    let leads = format!("SELECT COUNT(*) FROM leads WHERE account_id = {a}");
    let members = format!("SELECT COUNT(*) FROM memberships WHERE account_id = {a}");

    match fill(&app, a, &first).await {
        Err(DemoError::AlreadyFilled { leads: 100, .. }) => {}
        other => panic!("a second fill: {other:?}"),
    }
    assert_eq!(number(&app, &leads).await, 100);
    assert_eq!(number(&app, &members).await, 7);

    // Appending adds records for the members the account has, and no members.
    let append = Plan {
        leads: 40,
        members: None,
        append: true,
        members_password_hash: None,
    };
    let added = fill(&app, a, &append).await.unwrap();
    assert!(added.members.is_empty());
    assert_eq!(added.records.leads, 40);
    assert_eq!(number(&app, &leads).await, 140);
    assert_eq!(number(&app, &members).await, 7);
    assert_eq!(
        number(
            &app,
            &format!("SELECT COUNT(*) FROM roles WHERE account_id = {a}")
        )
        .await,
        3
    );

    let with_members = Plan {
        members: Some(5),
        ..append
    };
    assert!(matches!(
        fill(&app, a, &with_members).await,
        Err(DemoError::MembersWithAppend)
    ));
    assert_eq!(number(&app, &leads).await, 140);
}

async fn bad_input_is_refused_and_nothing_is_written(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let a = admin.account_id;
    let good = plan(&app, 10, 5).await;
    assert!(matches!(
        fill(&app, 999_999, &good).await,
        Err(DemoError::UnknownAccount(999_999))
    ));
    for bad in [
        Plan {
            leads: demo::MAX_LEADS + 1,
            ..good.clone()
        },
        Plan {
            members: Some(demo::MIN_MEMBERS - 1),
            ..good.clone()
        },
        Plan {
            members: Some(demo::MAX_MEMBERS + 1),
            ..good.clone()
        },
    ] {
        let refused = fill(&app, a, &bad).await;
        assert!(
            matches!(refused, Err(DemoError::OutOfRange(_))),
            "{refused:?}"
        );
    }
    for table in ["leads", "companies", "contacts", "tasks", "roles"] {
        assert_eq!(
            number(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(number(&app, "SELECT COUNT(*) FROM memberships").await, 1);
}

async fn the_first_start_shows_a_living_crm(backend: Backend) {
    let started = std::time::Instant::now();
    let app = spawn_app_with(
        backend,
        Options {
            demo: true,
            ..Options::default()
        },
    )
    .await;
    eprintln!(
        "{backend:?}: the first start with the demo data took {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let remembered = std::fs::read_to_string(app.data_dir.join("demo-login.txt")).unwrap();
    let mut lines = remembered.lines();
    let (email, password) = (lines.next().unwrap(), lines.next().unwrap());
    let account_id = number(&app, "SELECT MIN(id) FROM accounts").await;
    let admin = app
        .login(&Person {
            account_id,
            email: email.to_owned(),
            password: password.to_owned(),
        })
        .await;
    let response = app.get_auth("/api/v1/leads", &admin.access_token).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["items"].as_array().unwrap().len(),
        50,
        "a full first page"
    );
    assert!(body["next_after"].is_i64());
    assert_eq!(
        number(&app, "SELECT COUNT(*) FROM leads").await,
        i64::try_from(demo::DEFAULT_LEADS).unwrap()
    );
    let response = app.get_auth("/api/v1/users", &admin.access_token).await;
    let body: Value = response.json().await.unwrap();
    assert!(body["total"].as_u64().unwrap() > 20, "{body}");

    // The demo's members open with the same printed password.
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT identities.email FROM memberships JOIN identities ON identities.id = \
             memberships.identity_id WHERE memberships.is_admin = false AND \
             memberships.is_active = true AND memberships.is_free = false ORDER BY \
             memberships.id"
                .to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    let member_email: String = row.try_get_by_index(0).unwrap();
    let response = app.login_response(&member_email, password).await;
    assert_eq!(response.status(), 200);

    // Its client cabinet is open: the demo client's code lands in the SMS outbox and opens
    // the cabinet on the newest lead.
    let phone = demo::cabinet::DEMO_CLIENT_PHONE;
    let codes = format!("/api/v1/cabinet/{account_id}/codes");
    let response = app
        .post(&codes, &serde_json::json!({ "phone": phone }))
        .await;
    assert_eq!(response.status(), 202);
    let sms: Value = app
        .get_auth("/api/v1/sms-messages", &admin.access_token)
        .await
        .json()
        .await
        .unwrap();
    let body = sms["items"][0]["body"].as_str().unwrap();
    let code: String = body.chars().filter(char::is_ascii_digit).collect();
    assert_eq!(code.len(), 6, "{body}");
    let sessions = format!("/api/v1/cabinet/{account_id}/sessions");
    let response = app
        .post(
            &sessions,
            &serde_json::json!({ "phone": phone, "code": code }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let session: Value = response.json().await.unwrap();
    let home: Value = app
        .get_auth("/api/v1/cabinet/me", session["token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert!(!home["leads"].as_array().unwrap().is_empty(), "{home}");
}

/// The command a person runs: what it prints, what it refuses, and its exit codes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_command_fills_refuses_twice_and_appends() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_gatehouse"))
            .arg("demo")
            .args(args)
            .env("GATEHOUSE_DATA_DIR", dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    // Bad numbers first: refused before a database is even made.
    for (args, says) in [
        (&["--leads", "20000000"][..], "--leads must be between"),
        (&["--members", "2"][..], "--members must be between"),
        (
            &["--append", "--members", "5"][..],
            "--members adds members",
        ),
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, _, err) = run(&["--leads", "-5"]);
    assert_eq!(code, Some(2), "clap refuses what is not a number: {err}");

    // No account yet: the demo account is made and filled, its login printed.
    let (code, out, err) = run(&["--leads", "200", "--members", "6"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("sign in as admin@demo.example.com with password"),
        "{out}"
    );
    assert!(out.contains("members sign in with password: "), "{out}");
    assert!(
        out.contains("records: 20 companies, 80 contacts, 200 leads"),
        "{out}"
    );
    assert!(out.contains("elapsed: "), "{out}");
    assert!(err.contains("leads: 200 of 200"), "progress: {err}");
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("members sign in with password: "))
        .unwrap()
        .to_owned();
    // One login opens the new demo account: its administrator's, remembered for `serve`.
    let remembered = std::fs::read_to_string(dir.path().join("demo-login.txt")).unwrap();
    assert_eq!(remembered, format!("admin@demo.example.com\n{password}\n"));
    let manager = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("manager"))
        .unwrap()
        .trim()
        .to_owned();
    assert!(manager.ends_with("@demo.example.com"), "{manager}");

    // Twice is refused; appending adds records.
    let (code, _, err) = run(&["--leads", "200"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("already has 200 leads"), "{err}");
    assert!(err.contains("--append"), "{err}");
    let (code, out, err) = run(&["--append", "--leads", "30"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(" 30 leads"), "{out}");
    let (code, _, err) = run(&["--account", "999999"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("there is no account 999999"), "{err}");

    // The printed password is the manager's.
    let db = gatehouse_api::db::connect(&gatehouse_api::config::DatabaseConfig {
        data_dir: dir.path().to_path_buf(),
        database_url: None,
        pool_size: 1,
    })
    .await
    .unwrap();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT password_hash FROM identities WHERE email = '{manager}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    let hash: String = row.try_get_by_index(0).unwrap();
    let parsed = argon2::password_hash::PasswordHash::new(&hash).unwrap();
    assert!(argon2::PasswordVerifier::verify_password(
        &gatehouse_api::auth::password::argon2(),
        password.as_bytes(),
        &parsed
    )
    .is_ok());
}
