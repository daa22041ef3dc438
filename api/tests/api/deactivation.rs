//! Deactivation with reassignment (D0–D5): members out at once, their records moved by a durable
//! job — exactly once, evenly over a group, surviving `kill -9` of the server — with refusals,
//! rights, tenant isolation, reactivation within the seats and the audit log.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use gatehouse_api::{
    accounts::{
        seats,
        service::{self as accounts, NewAccount},
    },
    auth::password::PasswordHasher,
    config::{DatabaseConfig, ReassignmentConfig},
    db,
};
use reqwest::StatusCode;
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value as DbValue,
};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, both_databases, postgres_base, spawn_app, spawn_app_with, Backend, Options,
    Person, TestApp,
};

both_databases!(
    dry_run_counts_without_moving,
    deactivation_refuses_sign_in_revokes_sessions_and_frees_the_seat,
    deactivation_moves_leads_contacts_companies_and_open_tasks_but_not_completed_ones,
    every_moved_lead_has_one_responsible_changed_event,
    per_entity_targets,
    group_spread_is_even,
    self_deactivation_and_last_admin_refused,
    bad_targets_refused,
    non_admin_refused_and_other_accounts_job_is_404,
    reactivation_needs_a_free_seat,
    records_of_deactivated_members_stay_editable,
    audit_records_the_deactivation,
    overlapping_jobs_move_each_record_once,
    a_receiver_deactivated_meanwhile_fails_the_job_and_a_second_deactivation_moves_the_rest,
    kill_during_reassignment_loses_nothing,
);

const PASSWORD: &str = "a long enough secret phrase";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "body: {body}");
    body
}

async fn signed_in(app: &TestApp) -> (Person, String) {
    let admin = app.admin().await;
    let token = app.login(&admin).await.access_token;
    (admin, token)
}

/// Adds a member with a password through the API; returns the membership id.
async fn add(app: &TestApp, token: &str, email: &str, name: &str, extra: Value) -> i64 {
    let mut body = json!({ "name": name, "email": email, "password": PASSWORD });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    json_of(
        app.post_auth("/api/v1/users", token, &body).await,
        StatusCode::CREATED,
    )
    .await["user"]["id"]
        .as_i64()
        .unwrap()
}

async fn token_of(app: &TestApp, email: &str) -> String {
    app.login(&Person {
        account_id: 0,
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
    })
    .await
    .access_token
}

/// Creates a record of `path` (`/api/v1/leads`, …) held by `responsible`; returns its id.
async fn record(app: &TestApp, token: &str, path: &str, responsible: i64) -> i64 {
    let body = if path.ends_with("tasks") {
        json!({ "text": "Call back", "responsible_id": responsible })
    } else {
        json!({ "name": "Record", "responsible_id": responsible })
    };
    json_of(app.post_auth(path, token, &body).await, StatusCode::CREATED).await["id"]
        .as_i64()
        .unwrap()
}

/// Gives `responsible` so many records of each type (open tasks).
async fn records(app: &TestApp, token: &str, responsible: i64, counts: [usize; 4]) {
    let paths = [
        "/api/v1/leads",
        "/api/v1/contacts",
        "/api/v1/companies",
        "/api/v1/tasks",
    ];
    for (path, count) in paths.into_iter().zip(counts) {
        for _ in 0..count {
            record(app, token, path, responsible).await;
        }
    }
}

async fn deactivate(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.post_auth("/api/v1/users/deactivate", token, &body)
        .await
}

/// Deactivates and waits for the job to end; returns the ended job.
async fn deactivate_and_wait(app: &TestApp, token: &str, body: Value) -> Value {
    let result = json_of(deactivate(app, token, body).await, StatusCode::ACCEPTED).await;
    wait_for_job(app, token, result["job"]["id"].as_i64().unwrap()).await
}

async fn job(app: &TestApp, token: &str, id: i64) -> Value {
    json_of(
        app.get_auth(&format!("/api/v1/reassignment-jobs/{id}"), token)
            .await,
        StatusCode::OK,
    )
    .await
}

async fn wait_for_job(app: &TestApp, token: &str, id: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job = job(app, token, id).await;
        if job["state"] != "running" {
            return job;
        }
        assert!(Instant::now() < deadline, "job {id} still running: {job}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A statement with `$n` placeholders for either backend.
fn statement(db: &DatabaseConnection, sql: &str, values: Vec<DbValue>) -> Statement {
    let backend = db.get_database_backend();
    let sql = if backend == DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// The one integer `sql` selects.
async fn number(db: &DatabaseConnection, sql: &str, values: Vec<DbValue>) -> i64 {
    db.query_one_raw(statement(db, sql, values))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

/// Records of each type held by `member`: leads, contacts, companies, open tasks.
async fn held_by(db: &DatabaseConnection, member: i64) -> [i64; 4] {
    let mut held = [0; 4];
    for (i, table) in ["leads", "contacts", "companies", "tasks"]
        .iter()
        .enumerate()
    {
        let open = if *table == "tasks" {
            " AND completed_at IS NULL"
        } else {
            ""
        };
        held[i] = number(
            db,
            &format!("SELECT COUNT(*) FROM {table} WHERE responsible_id = $1{open}"),
            vec![member.into()],
        )
        .await;
    }
    held
}

fn counts(value: &Value) -> [i64; 4] {
    ["leads", "contacts", "companies", "tasks"].map(|k| value[k].as_i64().unwrap())
}

async fn dry_run_counts_without_moving(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    records(&app, &token, lena, [3, 2, 1, 2]).await;
    let done = record(&app, &token, "/api/v1/tasks", lena).await;
    json_of(
        app.patch_auth(
            &format!("/api/v1/tasks/{done}"),
            &token,
            &json!({ "completed": true }),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let result = json_of(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita }, "dry_run": true }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["dry_run"], true);
    assert_eq!(counts(&result["counts"]), [3, 2, 1, 2], "open tasks only");
    assert_eq!(result["deactivated"], json!([]));
    assert!(result.get("job").is_none(), "{result}");
    // Nothing changed: Lena signs in and holds her records; no job exists.
    token_of(&app, "lena@acme.example.com").await;
    assert_eq!(held_by(&app.db, lena).await, [3, 2, 1, 2]);
    let jobs = json_of(
        app.get_auth("/api/v1/reassignment-jobs", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(jobs["total"], 0);
}

async fn deactivation_refuses_sign_in_revokes_sessions_and_frees_the_seat(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    seats::set(&app.db, admin.account_id, 3, Some(0))
        .await
        .unwrap();
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    let lena_in = app
        .login(&Person {
            account_id: admin.account_id,
            email: "lena@acme.example.com".into(),
            password: PASSWORD.into(),
        })
        .await;
    // Her access token works, and the session check has it cached.
    json_of(
        app.get_auth("/api/v1/me", &lena_in.access_token).await,
        StatusCode::OK,
    )
    .await;
    let users = json_of(app.get_auth("/api/v1/users", &token).await, StatusCode::OK).await;
    assert_eq!(users["seats"]["used"], 3);

    let result = json_of(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(result["deactivated"], json!([lena]));
    assert_eq!(result["dry_run"], false);
    // Nothing to move: the job is done by the time the answer comes.
    assert_eq!(result["job"]["state"], "done", "{result}");
    assert_eq!(result["job"]["percent"], 100);
    assert_eq!(result["job"]["member_ids"], json!([lena]));

    // The token she holds stops at once, and so does her refresh token.
    assert_problem(
        app.get_auth("/api/v1/me", &lena_in.access_token).await,
        401,
        "session_ended",
    )
    .await;
    let refreshed = app
        .post(
            "/api/v1/auth/refresh",
            &json!({ "refresh_token": lena_in.refresh_token.unwrap() }),
        )
        .await;
    assert_eq!(refreshed.status(), 401);
    assert_problem(
        app.login_response("lena@acme.example.com", PASSWORD).await,
        403,
        "member_deactivated",
    )
    .await;
    let users = json_of(app.get_auth("/api/v1/users", &token).await, StatusCode::OK).await;
    assert_eq!(users["seats"]["used"], 2, "the seat is free");
    let inactive = json_of(
        app.get_auth("/api/v1/users?status=inactive", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(inactive["total"], 1);
    assert_eq!(inactive["items"][0]["id"], lena);
    let ended = number(
        &app.db,
        "SELECT COUNT(*) FROM sessions WHERE membership_id = $1 AND revoke_reason = 'member_deactivated'",
        vec![lena.into()],
    )
    .await;
    assert_eq!(ended, 1);
}

async fn deactivation_moves_leads_contacts_companies_and_open_tasks_but_not_completed_ones(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            reassignment: ReassignmentConfig {
                batch: 2,
                pause_ms: 0,
            },
            ..Options::default()
        },
    )
    .await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let olga = add(
        &app,
        &token,
        "olga@acme.example.com",
        "Olga Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    records(&app, &token, lena, [5, 3, 2, 3]).await;
    records(&app, &token, olga, [2, 1, 0, 1]).await;
    let done = record(&app, &token, "/api/v1/tasks", lena).await;
    json_of(
        app.patch_auth(
            &format!("/api/v1/tasks/{done}"),
            &token,
            &json!({ "completed": true }),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let job = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [olga, lena], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["percent"], 100);
    assert!(job["finished_at"].is_string());
    assert_eq!(counts(&job["moved"]), [7, 4, 2, 4]);
    assert_eq!(counts(&job["totals"]), [7, 4, 2, 4]);
    assert_eq!(job["member_ids"], json!([lena, olga]));
    assert_eq!(held_by(&app.db, lena).await, [0, 0, 0, 0]);
    assert_eq!(held_by(&app.db, olga).await, [0, 0, 0, 0]);
    assert_eq!(held_by(&app.db, rita).await, [7, 4, 2, 4]);
    // The completed task stays with the one who completed it.
    let task = json_of(
        app.get_auth(&format!("/api/v1/tasks/{done}"), &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(task["responsible_id"], lena);
    // The moved records name the administrator as their last editor.
    let admin_id = number(
        &app.db,
        "SELECT id FROM memberships WHERE id NOT IN ($1, $2, $3)",
        vec![lena.into(), olga.into(), rita.into()],
    )
    .await;
    let edited_by_admin = number(
        &app.db,
        "SELECT COUNT(*) FROM contacts WHERE responsible_id = $1 AND updated_by = $2",
        vec![rita.into(), admin_id.into()],
    )
    .await;
    assert_eq!(edited_by_admin, 4);
}

async fn every_moved_lead_has_one_responsible_changed_event(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            reassignment: ReassignmentConfig {
                batch: 3,
                pause_ms: 0,
            },
            ..Options::default()
        },
    )
    .await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    records(&app, &token, lena, [10, 0, 0, 0]).await;
    let job = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    let job_id = job["id"].as_i64().unwrap();
    let events = number(
        &app.db,
        "SELECT COUNT(*) FROM lead_events WHERE job_id = $1 AND kind = 'responsible_changed'",
        vec![job_id.into()],
    )
    .await;
    assert_eq!(events, 10);
    let leads_with_events = number(
        &app.db,
        "SELECT COUNT(DISTINCT lead_id) FROM lead_events WHERE job_id = $1",
        vec![job_id.into()],
    )
    .await;
    assert_eq!(leads_with_events, 10, "one event per lead");

    // The timeline shows who moved it, from whom, to whom — names as they were (D4).
    let lead = number(
        &app.db,
        "SELECT MIN(id) FROM leads WHERE responsible_id = $1",
        vec![rita.into()],
    )
    .await;
    let timeline = json_of(
        app.get_auth(&format!("/api/v1/leads/{lead}/events"), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    let event = &timeline["items"][0];
    assert_eq!(event["kind"], "responsible_changed");
    assert_eq!(event["payload"]["from"], lena);
    assert_eq!(event["payload"]["to"], rita);
    assert_eq!(event["payload"]["from_name"], "Lena Leaving");
    assert_eq!(event["payload"]["to_name"], "Rita Receiving");
    assert_eq!(event["payload"]["job_id"], job_id);
    assert_eq!(event["author_name"], "Anna Admin");
}

async fn per_entity_targets(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let mut to = Vec::new();
    for (i, name) in ["Ada One", "Ben Two", "Cem Three"].iter().enumerate() {
        to.push(
            add(
                &app,
                &token,
                &format!("r{i}@acme.example.com"),
                name,
                json!({}),
            )
            .await,
        );
    }
    records(&app, &token, lena, [2, 3, 1, 2]).await;
    let job = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena], "reassign_to": {
            "kind": "per_entity", "leads": to[0], "contacts": to[1], "companies": to[2], "tasks": to[0]
        } }),
    )
    .await;
    assert_eq!(job["state"], "done");
    assert_eq!(job["reassign_to"]["kind"], "per_entity");
    assert_eq!(held_by(&app.db, to[0]).await, [2, 0, 0, 2]);
    assert_eq!(held_by(&app.db, to[1]).await, [0, 3, 0, 0]);
    assert_eq!(held_by(&app.db, to[2]).await, [0, 0, 1, 0]);
    assert_eq!(held_by(&app.db, lena).await, [0, 0, 0, 0]);
}

async fn group_spread_is_even(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            // Batches smaller than the group, so the rotation has to carry on across them.
            reassignment: ReassignmentConfig {
                batch: 2,
                pause_ms: 0,
            },
            ..Options::default()
        },
    )
    .await;
    let (admin, token) = signed_in(&app).await;
    seats::set(&app.db, admin.account_id, 20, Some(0))
        .await
        .unwrap();
    let group = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let in_group = json!({ "group_id": group });
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        in_group.clone(),
    )
    .await;
    let olga = add(
        &app,
        &token,
        "olga@acme.example.com",
        "Olga Leaving",
        in_group.clone(),
    )
    .await;
    let mut receivers = Vec::new();
    for (i, name) in ["Ada One", "Ben Two", "Cem Three"].iter().enumerate() {
        receivers.push(
            add(
                &app,
                &token,
                &format!("r{i}@acme.example.com"),
                name,
                in_group.clone(),
            )
            .await,
        );
    }
    // Neither a free member nor an inactive one of the group receives anything.
    let mut free = in_group.clone();
    free["is_free"] = json!(true);
    let fay = add(&app, &token, "fay@acme.example.com", "Fay Free", free).await;
    let ivan = add(
        &app,
        &token,
        "ivan@acme.example.com",
        "Ivan Inactive",
        in_group,
    )
    .await;
    deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [ivan], "reassign_to": { "kind": "one", "member_id": receivers[0] } }),
    )
    .await;
    records(&app, &token, lena, [7, 5, 2, 4]).await;
    records(&app, &token, olga, [4, 0, 2, 0]).await;

    let job = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena, olga], "reassign_to": { "kind": "group", "group_id": group } }),
    )
    .await;
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(counts(&job["moved"]), [11, 5, 4, 4]);
    let mut per_receiver = Vec::new();
    for r in &receivers {
        per_receiver.push(held_by(&app.db, *r).await);
    }
    for (t, total) in [11, 5, 4, 4].into_iter().enumerate() {
        let got: Vec<i64> = per_receiver.iter().map(|h| h[t]).collect();
        assert_eq!(got.iter().sum::<i64>(), total, "type {t}: {got:?}");
        let (min, max) = (got.iter().min().unwrap(), got.iter().max().unwrap());
        assert!(max - min <= 1, "type {t} spread unevenly: {got:?}");
    }
    for nobody in [lena, olga, fay, ivan] {
        assert_eq!(held_by(&app.db, nobody).await, [0, 0, 0, 0]);
    }
}

async fn membership_of(app: &TestApp, token: &str) -> i64 {
    let me = json_of(app.get_auth("/api/v1/me", token).await, StatusCode::OK).await;
    me["membership"]["id"].as_i64().unwrap()
}

async fn active_admins(app: &TestApp) -> i64 {
    number(
        &app.db,
        "SELECT COUNT(*) FROM memberships WHERE is_active = $1 AND is_admin = $1 AND is_free = $2",
        vec![true.into(), false.into()],
    )
    .await
}

async fn self_deactivation_and_last_admin_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    let anna = membership_of(&app, &token).await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    for dry_run in [true, false] {
        assert_problem(
            deactivate(
                &app,
                &token,
                json!({ "member_ids": [rita, anna], "reassign_to": { "kind": "one", "member_id": rita }, "dry_run": dry_run }),
            )
            .await,
            409,
            "self_deactivation",
        )
        .await;
    }
    assert_eq!(
        number(
            &app.db,
            "SELECT COUNT(*) FROM memberships WHERE is_active = $1",
            vec![true.into()]
        )
        .await,
        2,
        "nothing changed"
    );

    // Two administrators deactivating each other at the same moment: one wins, and an
    // administrator remains whatever the timing.
    let boss = add(
        &app,
        &token,
        "boss@acme.example.com",
        "Boss Second",
        json!({ "is_admin": true }),
    )
    .await;
    let boss_token = token_of(&app, "boss@acme.example.com").await;
    let to_rita = json!({ "kind": "one", "member_id": rita });
    let (by_anna, by_boss) = tokio::join!(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [boss], "reassign_to": to_rita })
        ),
        deactivate(
            &app,
            &boss_token,
            json!({ "member_ids": [anna], "reassign_to": to_rita })
        ),
    );
    let statuses = [by_anna.status().as_u16(), by_boss.status().as_u16()];
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        1,
        "{statuses:?}"
    );
    for response in [by_anna, by_boss] {
        match response.status().as_u16() {
            202 => {}
            409 => {
                assert_problem(response, 409, "last_admin").await;
            }
            _ => {
                assert_problem(response, 401, "session_ended").await;
            }
        }
    }
    assert_eq!(active_admins(&app).await, 1);

    // The check holds inside the transaction: an administrator deactivated a moment ago whose
    // request is still under way cannot take out the last one.
    let (winner, loser) = if number(
        &app.db,
        "SELECT COUNT(*) FROM memberships WHERE id = $1 AND is_active = $2",
        vec![anna.into(), true.into()],
    )
    .await
        == 1
    {
        (anna, boss)
    } else {
        (boss, anna)
    };
    let identity = number(
        &app.db,
        "SELECT identity_id FROM memberships WHERE id = $1",
        vec![loser.into()],
    )
    .await;
    let late = gatehouse_api::auth::Member {
        identity_id: identity,
        account_id: admin.account_id,
        membership_id: loser,
        session_id: 0,
        is_admin: true,
        is_free: false,
        pending_step: None,
    };
    let refused = gatehouse_api::deactivation::service::deactivate_in_database(
        &app.db,
        &late,
        serde_json::from_value(json!({ "member_ids": [winner], "reassign_to": to_rita })).unwrap(),
    )
    .await
    .err()
    .expect("refused");
    assert_eq!(
        refused.code(),
        gatehouse_domain::problem::ErrorCode::LastAdmin
    );
    assert_eq!(active_admins(&app).await, 1);
}

async fn bad_targets_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let olga = add(
        &app,
        &token,
        "olga@acme.example.com",
        "Olga Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    let fay = add(
        &app,
        &token,
        "fay@acme.example.com",
        "Fay Free",
        json!({ "is_free": true }),
    )
    .await;
    let ivan = add(
        &app,
        &token,
        "ivan@acme.example.com",
        "Ivan Inactive",
        json!({}),
    )
    .await;
    deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [ivan], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    let other = app
        .create_account("Beta", "bob@beta.example.com", "Bob Beta", PASSWORD)
        .await;
    let bob_token = app.login(&other).await.access_token;
    let stranger = add(
        &app,
        &bob_token,
        "sam@beta.example.com",
        "Sam Stranger",
        json!({}),
    )
    .await;
    let empty_group = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "Empty" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let bobs_group = json_of(
        app.post_auth("/api/v1/groups", &bob_token, &json!({ "name": "Theirs" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    records(&app, &token, lena, [2, 1, 1, 1]).await;

    let one = |member: i64| json!({ "kind": "one", "member_id": member });
    let cases = [
        (
            json!([lena]),
            one(ivan),
            "reassign_to.member_id",
            "invalid_reassignment_target",
        ),
        (
            json!([lena]),
            one(fay),
            "reassign_to.member_id",
            "invalid_reassignment_target",
        ),
        (
            json!([lena, olga]),
            one(olga),
            "reassign_to.member_id",
            "invalid_reassignment_target",
        ),
        (
            json!([lena]),
            one(lena),
            "reassign_to.member_id",
            "invalid_reassignment_target",
        ),
        (
            json!([lena]),
            one(stranger),
            "reassign_to.member_id",
            "invalid_reassignment_target",
        ),
        (
            json!([lena]),
            one(999_999),
            "reassign_to.member_id",
            "invalid_reassignment_target",
        ),
        (
            json!([lena]),
            json!({ "kind": "per_entity", "leads": rita, "contacts": rita, "companies": rita, "tasks": fay }),
            "reassign_to.tasks",
            "invalid_reassignment_target",
        ),
        (
            json!([lena]),
            json!({ "kind": "group", "group_id": 999_999 }),
            "reassign_to.group_id",
            "unknown_group",
        ),
        (
            json!([lena]),
            json!({ "kind": "group", "group_id": bobs_group }),
            "reassign_to.group_id",
            "unknown_group",
        ),
        (
            json!([lena]),
            json!({ "kind": "group", "group_id": empty_group }),
            "reassign_to.group_id",
            "no_eligible_member",
        ),
        (json!([]), one(rita), "member_ids", "member_ids_empty"),
        (
            json!([lena, stranger]),
            one(rita),
            "member_ids",
            "member_unknown",
        ),
        (
            json!([lena, 999_999]),
            one(rita),
            "member_ids",
            "member_unknown",
        ),
    ];
    for (members, reassign_to, field, code) in cases {
        for dry_run in [true, false] {
            let problem = assert_problem(
                deactivate(
                    &app,
                    &token,
                    json!({ "member_ids": members, "reassign_to": reassign_to, "dry_run": dry_run }),
                )
                .await,
                422,
                "validation_failed",
            )
            .await;
            assert_eq!(
                problem.errors.len(),
                1,
                "{members} {reassign_to}: {problem:?}"
            );
            assert_eq!(problem.errors[0].field, field, "{members} {reassign_to}");
            assert_eq!(problem.errors[0].code, code, "{members} {reassign_to}");
        }
    }
    // A group with only the leavers, a free member and an inactive one has nobody to receive.
    let north = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    for member in [lena, fay, ivan] {
        json_of(
            app.patch_auth(
                &format!("/api/v1/users/{member}"),
                &token,
                &json!({ "group_id": north }),
            )
            .await,
            StatusCode::OK,
        )
        .await;
    }
    let problem = assert_problem(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [lena], "reassign_to": { "kind": "group", "group_id": north } }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "no_eligible_member");
    // Shapes the body does not allow.
    for body in [
        json!({ "member_ids": [lena], "reassign_to": { "kind": "everyone" } }),
        json!({ "member_ids": [lena], "reassign_to": { "kind": "one" } }),
        json!({ "member_ids": [lena], "reassign_to": one(rita), "force": true }),
        json!({ "member_ids": "lena", "reassign_to": one(rita) }),
    ] {
        assert_problem(deactivate(&app, &token, body).await, 400, "invalid_body").await;
    }

    // Nothing changed anywhere: everybody is as they were and no job was created.
    token_of(&app, "lena@acme.example.com").await;
    token_of(&app, "olga@acme.example.com").await;
    assert_eq!(held_by(&app.db, lena).await, [2, 1, 1, 1]);
    let jobs = json_of(
        app.get_auth("/api/v1/reassignment-jobs", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(jobs["total"], 1, "only Ivan's");
    let users = json_of(
        app.get_auth("/api/v1/users", &bob_token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(users["total"], 2, "Bob's account untouched");
}

async fn non_admin_refused_and_other_accounts_job_is_404(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    let rita_token = token_of(&app, "rita@acme.example.com").await;
    let body = json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } });
    for dry_run in [true, false] {
        let mut body = body.clone();
        body["dry_run"] = json!(dry_run);
        assert_problem(deactivate(&app, &rita_token, body).await, 403, "forbidden").await;
    }
    assert_problem(
        app.client
            .post(app.url("/api/v1/users/deactivate"))
            .json(&body)
            .send()
            .await
            .unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let job = deactivate_and_wait(&app, &token, body).await;
    let id = job["id"].as_i64().unwrap();
    for path in [
        format!("/api/v1/reassignment-jobs/{id}"),
        "/api/v1/reassignment-jobs".to_owned(),
    ] {
        assert_problem(app.get_auth(&path, &rita_token).await, 403, "forbidden").await;
    }

    // Another account's administrator sees neither the job nor it in their list, and cannot
    // deactivate members of this account.
    let other = app
        .create_account("Beta", "bob@beta.example.com", "Bob Beta", PASSWORD)
        .await;
    let bob_token = app.login(&other).await.access_token;
    let sam = add(
        &app,
        &bob_token,
        "sam@beta.example.com",
        "Sam Beta",
        json!({}),
    )
    .await;
    assert_problem(
        app.get_auth(&format!("/api/v1/reassignment-jobs/{id}"), &bob_token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/reassignment-jobs/999999", &token)
            .await,
        404,
        "not_found",
    )
    .await;
    let theirs = json_of(
        app.get_auth("/api/v1/reassignment-jobs", &bob_token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["total"], 0);
    let problem = assert_problem(
        deactivate(
            &app,
            &bob_token,
            json!({ "member_ids": [rita], "reassign_to": { "kind": "one", "member_id": sam } }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "member_unknown");
    token_of(&app, "rita@acme.example.com").await;

    // The account's own list: newest first.
    let second = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    let mine = json_of(
        app.get_auth("/api/v1/reassignment-jobs?per_page=1", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["total"], 2);
    assert_eq!(mine["items"][0]["id"], second["id"]);
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
}

async fn reactivation_needs_a_free_seat(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    seats::set(&app.db, admin.account_id, 3, Some(0))
        .await
        .unwrap();
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    records(&app, &token, lena, [1, 0, 0, 0]).await;
    deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    // Her seat went to someone new: she cannot come back until one is free.
    add(&app, &token, "nina@acme.example.com", "Nina New", json!({})).await;
    let activate = json!({ "select": { "ids": [lena] }, "action": { "kind": "activate" } });
    let problem = assert_problem(
        app.post_auth("/api/v1/users/bulk", &token, &activate).await,
        409,
        "seats_exhausted",
    )
    .await;
    let seats = problem.seats.unwrap();
    assert_eq!((seats.used, seats.total), (3, 3));
    assert_problem(
        app.login_response("lena@acme.example.com", PASSWORD).await,
        403,
        "member_deactivated",
    )
    .await;
    seats::set(&app.db, admin.account_id, 4, Some(0))
        .await
        .unwrap();
    let result = json_of(
        app.post_auth("/api/v1/users/bulk", &token, &activate).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["affected"], 1);
    // Back in, with a fresh session; her moved lead stays with Rita (history is history).
    token_of(&app, "lena@acme.example.com").await;
    assert_eq!(held_by(&app.db, rita).await, [1, 0, 0, 0]);
    let deactivated_at = number(
        &app.db,
        "SELECT COUNT(*) FROM memberships WHERE id = $1 AND deactivated_at IS NULL",
        vec![lena.into()],
    )
    .await;
    assert_eq!(deactivated_at, 1);
}

async fn records_of_deactivated_members_stay_editable(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    let lead = record(&app, &token, "/api/v1/leads", lena).await;
    let task = record(&app, &token, "/api/v1/tasks", lena).await;
    // Ivan was deactivated with no reassignment at all (as S4's automatic deactivation does):
    // his lead still points at him.
    let ivan = add(
        &app,
        &token,
        "ivan@acme.example.com",
        "Ivan Inactive",
        json!({}),
    )
    .await;
    let his = record(&app, &token, "/api/v1/leads", ivan).await;
    app.db
        .execute_raw(statement(
            &app.db,
            "UPDATE memberships SET is_active = $1 WHERE id = $2",
            vec![false.into(), ivan.into()],
        ))
        .await
        .unwrap();
    let changed = json_of(
        app.patch_auth(
            &format!("/api/v1/leads/{his}"),
            &token,
            &json!({ "price": 1200, "name": "Bigger deal", "responsible_id": ivan }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["price"], 1200);
    assert_eq!(changed["responsible_id"], ivan);
    // A deactivated member is never made the responsible of a record.
    for (path, id) in [("/api/v1/leads", lead), ("/api/v1/tasks", task)] {
        let problem = assert_problem(
            app.patch_auth(
                &format!("{path}/{id}"),
                &token,
                &json!({ "responsible_id": ivan }),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].code, "responsible_invalid");
    }
    // Lena's records moved; her name stays in the history of the lead.
    deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    let timeline = json_of(
        app.get_auth(&format!("/api/v1/leads/{lead}/events"), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(timeline["items"][0]["payload"]["from_name"], "Lena Leaving");
    // And the job leaves Ivan's lead alone: he was not among the leavers.
    let still_his = json_of(
        app.get_auth(&format!("/api/v1/leads/{his}"), &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(still_his["responsible_id"], ivan);
}

async fn audit_records_the_deactivation(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let anna = membership_of(&app, &token).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let olga = add(
        &app,
        &token,
        "olga@acme.example.com",
        "Olga Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    records(&app, &token, lena, [2, 1, 0, 1]).await;
    records(&app, &token, olga, [1, 0, 0, 0]).await;
    let job = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena, olga], "reassign_to": { "kind": "one", "member_id": rita } }),
    )
    .await;
    let log = json_of(
        app.get_auth("/api/v1/audit-log?action=user_deactivated", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 2);
    let entries = log["items"].as_array().unwrap();
    let of = |member: i64| {
        entries
            .iter()
            .find(|e| e["target"]["id"] == member)
            .unwrap_or_else(|| panic!("no entry for {member}: {log}"))
    };
    for (member, held) in [(lena, [2, 1, 0, 1]), (olga, [1, 0, 0, 0])] {
        let entry = of(member);
        assert_eq!(entry["actor"]["id"], anna);
        assert_eq!(entry["details"]["job_id"], job["id"]);
        assert_eq!(entry["details"]["reassign_to"]["member_id"], rita);
        assert_eq!(entry["details"]["receivers"][0]["name"], "Rita Receiving");
        assert_eq!(counts(&entry["details"]["counts"]), held);
    }
    let done = json_of(
        app.get_auth("/api/v1/audit-log?action=reassignment_done", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(done["total"], 1);
    let entry = &done["items"][0];
    assert_eq!(entry["actor"]["id"], anna);
    assert_eq!(entry["details"]["job_id"], job["id"]);
    assert_eq!(counts(&entry["details"]["moved"]), [3, 1, 0, 1]);
    assert_eq!(entry["details"]["member_ids"], json!([lena, olga]));
}

async fn overlapping_jobs_move_each_record_once(backend: Backend) {
    let app = spawn_app_with(
        backend,
        Options {
            reassignment: ReassignmentConfig {
                batch: 3,
                pause_ms: 30,
            },
            ..Options::default()
        },
    )
    .await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    let yuri = add(
        &app,
        &token,
        "yuri@acme.example.com",
        "Yuri Receiving",
        json!({}),
    )
    .await;
    records(&app, &token, lena, [30, 0, 0, 0]).await;
    let first = json_of(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    // Lena is inactive already; a second job over her records runs beside the first.
    let second = json_of(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": yuri } }),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(second["deactivated"], json!([]), "not deactivated twice");
    let mut moved = 0;
    let mut events = 0;
    for started in [&first, &second] {
        let id = started["job"]["id"].as_i64().unwrap();
        let job = wait_for_job(&app, &token, id).await;
        assert_eq!(job["state"], "done", "{job}");
        moved += job["moved"]["leads"].as_i64().unwrap();
        events += number(
            &app.db,
            "SELECT COUNT(*) FROM lead_events WHERE job_id = $1",
            vec![id.into()],
        )
        .await;
    }
    assert_eq!(moved, 30, "each lead moved by one job");
    assert_eq!(events, 30);
    let twice = number(
        &app.db,
        "SELECT COUNT(*) FROM (SELECT lead_id FROM lead_events WHERE kind = 'responsible_changed' GROUP BY lead_id HAVING COUNT(*) > 1) AS twice",
        vec![],
    )
    .await;
    assert_eq!(twice, 0);
    let [rita_has, ..] = held_by(&app.db, rita).await;
    let [yuri_has, ..] = held_by(&app.db, yuri).await;
    assert_eq!(rita_has + yuri_has, 30);
    assert_eq!(held_by(&app.db, lena).await, [0, 0, 0, 0]);
}

async fn a_receiver_deactivated_meanwhile_fails_the_job_and_a_second_deactivation_moves_the_rest(
    backend: Backend,
) {
    let app = spawn_app_with(
        backend,
        Options {
            reassignment: ReassignmentConfig {
                batch: 2,
                pause_ms: 250,
            },
            ..Options::default()
        },
    )
    .await;
    let (_, token) = signed_in(&app).await;
    let lena = add(
        &app,
        &token,
        "lena@acme.example.com",
        "Lena Leaving",
        json!({}),
    )
    .await;
    let rita = add(
        &app,
        &token,
        "rita@acme.example.com",
        "Rita Receiving",
        json!({}),
    )
    .await;
    let zoe = add(&app, &token, "zoe@acme.example.com", "Zoe Last", json!({})).await;
    records(&app, &token, lena, [20, 0, 0, 0]).await;
    let first = json_of(
        deactivate(
            &app,
            &token,
            json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } }),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await;
    // Ten batches a quarter of a second apart: Rita leaves long before the first job is through.
    let second = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [rita], "reassign_to": { "kind": "one", "member_id": zoe } }),
    )
    .await;
    assert_eq!(second["state"], "done");
    let first = wait_for_job(&app, &token, first["job"]["id"].as_i64().unwrap()).await;
    assert_eq!(first["state"], "failed", "{first}");
    assert!(
        first["error"].as_str().unwrap().contains("Rita Receiving"),
        "{first}"
    );
    let moved_by_first = first["moved"]["leads"].as_i64().unwrap();
    assert!(moved_by_first < 20, "{first}");
    assert!(first["percent"].as_i64().unwrap() < 100);
    // The rest waits with Lena; deactivating her again (she is inactive) moves it.
    let [left, ..] = held_by(&app.db, lena).await;
    assert_eq!(left, 20 - moved_by_first);
    let third = deactivate_and_wait(
        &app,
        &token,
        json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": zoe } }),
    )
    .await;
    assert_eq!(third["state"], "done");
    assert_eq!(held_by(&app.db, lena).await, [0, 0, 0, 0]);
    assert_eq!(held_by(&app.db, rita).await, [0, 0, 0, 0]);
    assert_eq!(held_by(&app.db, zoe).await, [20, 0, 0, 0]);
    let failed = json_of(
        app.get_auth("/api/v1/audit-log?action=reassignment_failed", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(failed["total"], 1);
}

/// A fresh database for a server started as a separate process, dropped afterwards.
struct FreshDatabase {
    dir: tempfile::TempDir,
    database_url: Option<String>,
    postgres_name: Option<String>,
}

impl FreshDatabase {
    async fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, postgres_name) = match backend {
            Backend::Sqlite => (None, None),
            Backend::Postgres => {
                let name = format!("gatehouse_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(format!("{}/postgres", postgres_base()))
                    .await
                    .expect("PostgreSQL must be reachable (GATEHOUSE_TEST_POSTGRES)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.ok();
                (Some(format!("{}/{name}", postgres_base())), Some(name))
            }
        };
        Self {
            dir,
            database_url,
            postgres_name,
        }
    }

    fn config(&self) -> DatabaseConfig {
        DatabaseConfig {
            data_dir: self.dir.path().to_path_buf(),
            database_url: self.database_url.clone(),
            pool_size: 4,
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
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

/// The real `gatehouse serve` as a child process; killed (SIGKILL) when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(database: &FreshDatabase, batch: u64, pause_ms: u64) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gatehouse"));
        command
            .arg("serve")
            .env_clear()
            .env("GATEHOUSE_ADDR", "127.0.0.1:0")
            .env("GATEHOUSE_DATA_DIR", database.dir.path())
            .env("GATEHOUSE_WEB_DIR", database.dir.path().join("no-web-app"))
            .env("GATEHOUSE_DEMO", "false")
            .env("GATEHOUSE_WORKERS", "1")
            .env("GATEHOUSE_HASH_WORKERS", "1")
            .env("GATEHOUSE_DB_POOL", "4")
            .env("GATEHOUSE_LOG", "warn")
            .env("GATEHOUSE_REASSIGNMENT_BATCH", batch.to_string())
            .env("GATEHOUSE_REASSIGNMENT_PAUSE_MS", pause_ms.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some(url) = &database.database_url {
            command.env("DATABASE_URL", url);
        }
        let mut child = command.spawn().expect("gatehouse serve starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, address) = std::sync::mpsc::channel();
        // Reads the address line, then keeps the pipe drained for as long as the server lives.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("Gatehouse is running at ") {
                    let _ = sender.send(url.trim().to_owned());
                }
            }
        });
        let url = address
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address");
        Self { child, url }
    }

    fn kill(mut self) {
        // std's kill is SIGKILL on Unix: no shutdown, no last batch — as `kill -9`.
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn kill_during_reassignment_loses_nothing(backend: Backend) {
    const LEADS: i64 = 20_000;
    let database = FreshDatabase::new(backend).await;
    let db = db::connect(&database.config()).await.unwrap();
    let hasher = PasswordHasher::start(1, 4);
    let account = accounts::create(
        &db,
        &hasher,
        NewAccount {
            name: "Acme".into(),
            admin_email: "anna@acme.example.com".into(),
            admin_name: "Anna Admin".into(),
            admin_password: Some(PASSWORD.into()),
            language: "en".into(),
        },
    )
    .await
    .unwrap();
    // Batches of 200 a twentieth of a second apart: the job takes about five seconds, so it is
    // surely under way — neither before its first batch nor past its last — when killed.
    let server = Server::start(&database, 200, 50);
    let client = reqwest::Client::new();
    let call =
        |method: reqwest::Method, url: String, token: Option<String>, body: Option<Value>| {
            let mut request = client.request(method, url);
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request.json(&body);
            }
            request.send()
        };
    let login = |url: String| {
        call(
            reqwest::Method::POST,
            format!("{url}/api/v1/auth/login"),
            None,
            Some(json!({ "email": "anna@acme.example.com", "password": PASSWORD })),
        )
    };
    let token = json_of(login(server.url.clone()).await.unwrap(), StatusCode::OK).await
        ["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut members = Vec::new();
    for (email, name) in [
        ("lena@acme.example.com", "Lena Leaving"),
        ("rita@acme.example.com", "Rita Receiving"),
    ] {
        let saved = json_of(
            call(
                reqwest::Method::POST,
                format!("{}/api/v1/users", server.url),
                Some(token.clone()),
                Some(json!({ "name": name, "email": email, "password": PASSWORD })),
            )
            .await
            .unwrap(),
            StatusCode::CREATED,
        )
        .await;
        members.push(saved["user"]["id"].as_i64().unwrap());
    }
    let (lena, rita) = (members[0], members[1]);
    let stage = db
        .query_one_raw(statement(
            &db,
            "SELECT id, pipeline_id FROM stages WHERE account_id = $1 ORDER BY sort, id LIMIT 1",
            vec![account.account_id.into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let (stage_id, pipeline_id): (i64, i64) = (
        stage.try_get("", "id").unwrap(),
        stage.try_get("", "pipeline_id").unwrap(),
    );
    let now = chrono::Utc::now();
    for chunk in 0..LEADS / 1000 {
        let rows: Vec<String> = (0..1000)
            .map(|i| {
                let n = chunk * 1000 + i;
                format!(
                    "({}, 'Deal {n}', 'deal {n}', {n}, {pipeline_id}, {stage_id}, {lena}, '{{}}', $1, $1)",
                    account.account_id
                )
            })
            .collect();
        db.execute_raw(statement(
            &db,
            &format!(
                "INSERT INTO leads (account_id, name, name_folded, price, pipeline_id, stage_id, responsible_id, custom, created_at, updated_at) VALUES {}",
                rows.join(", ")
            ),
            vec![now.into()],
        ))
        .await
        .unwrap();
    }

    let started = json_of(
        call(
            reqwest::Method::POST,
            format!("{}/api/v1/users/deactivate", server.url),
            Some(token.clone()),
            Some(json!({ "member_ids": [lena], "reassign_to": { "kind": "one", "member_id": rita } })),
        )
        .await
        .unwrap(),
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(started["counts"]["leads"], LEADS);
    let job_id = started["job"]["id"].as_i64().unwrap();
    let job_at = |url: String| {
        call(
            reqwest::Method::GET,
            format!("{url}/api/v1/reassignment-jobs/{job_id}"),
            Some(token.clone()),
            None,
        )
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job = json_of(job_at(server.url.clone()).await.unwrap(), StatusCode::OK).await;
        let moved = job["moved"]["leads"].as_i64().unwrap();
        assert!(
            moved < LEADS,
            "the job finished before it could be killed: {job}"
        );
        if moved > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the job never started: {job}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill();

    // Killed mid-way: the job is still running, part of the leads moved, each with its event.
    let moved_before = number(
        &db,
        "SELECT COUNT(*) FROM leads WHERE responsible_id = $1",
        vec![rita.into()],
    )
    .await;
    assert!(moved_before > 0 && moved_before < LEADS, "{moved_before}");
    let events_before = number(
        &db,
        "SELECT COUNT(*) FROM lead_events WHERE job_id = $1",
        vec![job_id.into()],
    )
    .await;
    assert_eq!(
        events_before, moved_before,
        "each committed batch has its events"
    );
    let state = db
        .query_one_raw(statement(
            &db,
            "SELECT state FROM reassignment_jobs WHERE id = $1",
            vec![job_id.into()],
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "state")
        .unwrap();
    assert_eq!(state, "running");

    // A new server on the same database resumes the job, without being told, and finishes it.
    let server = Server::start(&database, 500, 0);
    let token = json_of(login(server.url.clone()).await.unwrap(), StatusCode::OK).await
        ["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let job_at = |url: String| {
        call(
            reqwest::Method::GET,
            format!("{url}/api/v1/reassignment-jobs/{job_id}"),
            Some(token.clone()),
            None,
        )
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let job = loop {
        let job = json_of(job_at(server.url.clone()).await.unwrap(), StatusCode::OK).await;
        if job["state"] != "running" {
            break job;
        }
        assert!(Instant::now() < deadline, "the job did not finish: {job}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(job["state"], "done", "{job}");
    assert_eq!(job["moved"]["leads"], LEADS);
    assert_eq!(job["totals"]["leads"], LEADS);
    assert_eq!(job["percent"], 100);

    // Every lead moved exactly once: none left with Lena, one event each, none twice.
    let left = number(
        &db,
        "SELECT COUNT(*) FROM leads WHERE responsible_id = $1",
        vec![lena.into()],
    )
    .await;
    assert_eq!(left, 0);
    let with_rita = number(
        &db,
        "SELECT COUNT(*) FROM leads WHERE responsible_id = $1",
        vec![rita.into()],
    )
    .await;
    assert_eq!(with_rita, LEADS);
    let events = number(
        &db,
        "SELECT COUNT(*) FROM lead_events WHERE job_id = $1",
        vec![job_id.into()],
    )
    .await;
    assert_eq!(events, LEADS);
    let distinct = number(
        &db,
        "SELECT COUNT(DISTINCT lead_id) FROM lead_events WHERE job_id = $1",
        vec![job_id.into()],
    )
    .await;
    assert_eq!(distinct, LEADS, "no lead has two events of the job");
    drop(server);
    db.close().await.ok();
}
