//! The CRM core under the rights model: an authorization matrix generated from one table (every
//! CRM endpoint × level × whose record), stage rights, free users, timelines, custom fields and
//! refused inputs.

use gatehouse_domain::rights::{Level, Rights};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, Person, TestApp};

both_databases!(
    the_authorization_matrix_holds_for_every_crm_endpoint,
    stage_rights_narrow_and_widen_lead_access,
    free_users_see_only_the_leads_they_take_part_in,
    leads_keep_a_timeline_of_changes_and_integration_events,
    custom_fields_check_values_by_kind,
    crm_inputs_are_refused_with_codes,
    the_member_directory_and_stage_totals_stay_within_the_account,
);

const PASSWORD: &str = "a long enough secret phrase";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "body: {body}");
    body
}

async fn token_of(app: &TestApp, email: &str) -> String {
    let person = Person {
        account_id: 0,
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
    };
    app.login(&person).await.access_token
}

async fn add_member(app: &TestApp, token: &str, email: &str, extra: Value) -> i64 {
    let mut body = json!({ "name": "Member", "email": email, "password": PASSWORD });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let saved = json_of(
        app.post_auth("/api/v1/users", token, &body).await,
        StatusCode::CREATED,
    )
    .await;
    saved["user"]["id"].as_i64().unwrap()
}

/// Whose record it is, as seen from the member under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Own,
    SameGroup,
    OtherGroup,
    OtherAccount,
}

const OWNERS: [Owner; 4] = [
    Owner::Own,
    Owner::SameGroup,
    Owner::OtherGroup,
    Owner::OtherAccount,
];

/// The table the matrix is generated from: which owners a level admits.
fn admits(level: Level, owner: Owner) -> bool {
    match owner {
        Owner::OtherAccount => false,
        Owner::Own => level != Level::D,
        Owner::SameGroup => matches!(level, Level::A | Level::G),
        Owner::OtherGroup => level == Level::A,
    }
}

/// One CRM entity as the matrix drives it.
struct Kind {
    key: &'static str,
    path: &'static str,
    create: Value,
    change: Value,
    exports: bool,
}

fn kinds() -> [Kind; 4] {
    [
        Kind {
            key: "leads",
            path: "/api/v1/leads",
            create: json!({ "name": "Deal" }),
            change: json!({ "price": 5 }),
            exports: true,
        },
        Kind {
            key: "contacts",
            path: "/api/v1/contacts",
            create: json!({ "name": "Ivan" }),
            change: json!({ "name": "Ivan P." }),
            exports: true,
        },
        Kind {
            key: "companies",
            path: "/api/v1/companies",
            create: json!({ "name": "Acme" }),
            change: json!({ "name": "Acme Ltd" }),
            exports: true,
        },
        Kind {
            key: "tasks",
            path: "/api/v1/tasks",
            create: json!({ "text": "Call" }),
            change: json!({ "text": "Call back" }),
            exports: false,
        },
    ]
}

/// Rights with every right of one entity at `view` (viewing) and `act` (the rest).
fn rights_for(key: &str, view: Level, act: Level) -> Value {
    let mut rights = serde_json::to_value(Rights::all()).unwrap();
    if key == "tasks" {
        rights["tasks"] = json!({ "edit": act, "delete": act });
    } else {
        rights[key] =
            json!({ "view": view, "add": "A", "edit": act, "delete": act, "export": act });
    }
    rights
}

async fn create(app: &TestApp, token: &str, kind: &Kind, responsible: Option<i64>) -> i64 {
    let mut body = kind.create.clone();
    if let Some(id) = responsible {
        body["responsible_id"] = json!(id);
    }
    json_of(
        app.post_auth(kind.path, token, &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn listed_ids(app: &TestApp, token: &str, path: &str) -> Vec<i64> {
    let joiner = if path.contains('?') { '&' } else { '?' };
    let page = json_of(
        app.get_auth(&format!("{path}{joiner}limit=250"), token)
            .await,
        StatusCode::OK,
    )
    .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

async fn the_authorization_matrix_holds_for_every_crm_endpoint(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let admin_token = app.login(&admin).await.access_token;
    let north = json_of(
        app.post_auth("/api/v1/groups", &admin_token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let me = add_member(&app, &admin_token, "me@acme.example.com", json!({})).await;
    let same = add_member(&app, &admin_token, "same@acme.example.com", json!({})).await;
    let other = add_member(
        &app,
        &admin_token,
        "other@acme.example.com",
        json!({ "group_id": north }),
    )
    .await;
    let foreign = app
        .create_account("Rival", "rita@rival.example.com", "Rita Rival", PASSWORD)
        .await;
    let foreign_token = app.login(&foreign).await.access_token;
    let token = token_of(&app, "me@acme.example.com").await;

    for kind in kinds() {
        for level in Level::ALL {
            // Records of each owner, made by administrators.
            let mut records = Vec::new();
            for owner in OWNERS {
                let id = match owner {
                    Owner::Own => create(&app, &admin_token, &kind, Some(me)).await,
                    Owner::SameGroup => create(&app, &admin_token, &kind, Some(same)).await,
                    Owner::OtherGroup => create(&app, &admin_token, &kind, Some(other)).await,
                    Owner::OtherAccount => create(&app, &foreign_token, &kind, None).await,
                };
                records.push((owner, id));
            }
            let context =
                |owner: Owner, what: &str| format!("{} {level:?} {owner:?} {what}", kind.key);
            // Tasks are seen by whoever is responsible for them or may edit them (R1).
            let view_level = if kind.key == "tasks" {
                level.max_with(Level::M)
            } else {
                level
            };

            // Viewing: the card and the list agree with the table.
            let rights = rights_for(kind.key, level, level);
            json_of(
                app.patch_auth(
                    &format!("/api/v1/users/{me}"),
                    &admin_token,
                    &json!({ "rights": rights }),
                )
                .await,
                StatusCode::OK,
            )
            .await;
            let listed = listed_ids(&app, &token, kind.path).await;
            for (owner, id) in &records {
                let visible = admits(view_level, *owner);
                let status = app
                    .get_auth(&format!("{}/{id}", kind.path), &token)
                    .await
                    .status();
                let expected = if visible {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                };
                assert_eq!(status, expected, "{}", context(*owner, "GET"));
                assert_eq!(listed.contains(id), visible, "{}", context(*owner, "list"));
            }
            if kind.exports {
                let response = app.get_auth(&format!("{}/export", kind.path), &token).await;
                assert_eq!(response.status(), StatusCode::OK);
                let csv = response.text().await.unwrap();
                let exported: Vec<i64> = csv
                    .lines()
                    .skip(1)
                    .filter_map(|l| l.split(',').next()?.parse().ok())
                    .collect();
                for (owner, id) in &records {
                    assert_eq!(
                        exported.contains(id),
                        admits(level, *owner),
                        "{}",
                        context(*owner, "export")
                    );
                }
            }

            // Acting: everything visible, the acts at `level`: 403 where seen but not allowed.
            let rights = rights_for(kind.key, Level::A, level);
            json_of(
                app.patch_auth(
                    &format!("/api/v1/users/{me}"),
                    &admin_token,
                    &json!({ "rights": rights }),
                )
                .await,
                StatusCode::OK,
            )
            .await;
            let seen = |owner: Owner| {
                if kind.key == "tasks" {
                    admits(level.max_with(Level::M), owner)
                } else {
                    owner != Owner::OtherAccount
                }
            };
            for (owner, id) in &records {
                let allowed = admits(level, *owner);
                let refused = if seen(*owner) {
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::NOT_FOUND
                };
                let path = format!("{}/{id}", kind.path);
                let status = app.patch_auth(&path, &token, &kind.change).await.status();
                assert_eq!(
                    status,
                    if allowed { StatusCode::OK } else { refused },
                    "{}",
                    context(*owner, "PATCH")
                );
                let status = app.delete_auth(&path, &token).await.status();
                assert_eq!(
                    status,
                    if allowed {
                        StatusCode::NO_CONTENT
                    } else {
                        refused
                    },
                    "{}",
                    context(*owner, "DELETE")
                );
            }
            // The other account's record is untouched.
            let foreign_id = records[3].1;
            json_of(
                app.get_auth(&format!("{}/{foreign_id}", kind.path), &foreign_token)
                    .await,
                StatusCode::OK,
            )
            .await;
        }
        // Adding follows the add right (A or D); tasks can always be added.
        if kind.key != "tasks" {
            let mut rights = rights_for(kind.key, Level::A, Level::A);
            rights[kind.key]["add"] = json!("D");
            json_of(
                app.patch_auth(
                    &format!("/api/v1/users/{me}"),
                    &admin_token,
                    &json!({ "rights": rights }),
                )
                .await,
                StatusCode::OK,
            )
            .await;
            assert_problem(
                app.post_auth(kind.path, &token, &kind.create).await,
                403,
                "forbidden",
            )
            .await;
        }
    }
}

async fn stages_of(app: &TestApp, token: &str) -> Vec<i64> {
    let pipelines = json_of(
        app.get_auth("/api/v1/pipelines", token).await,
        StatusCode::OK,
    )
    .await;
    pipelines[0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

async fn stage_rights_narrow_and_widen_lead_access(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let admin_token = app.login(&admin).await.access_token;
    let stages = stages_of(&app, &admin_token).await;
    let me = add_member(&app, &admin_token, "me@acme.example.com", json!({})).await;
    let mate = add_member(&app, &admin_token, "mate@acme.example.com", json!({})).await;
    let token = token_of(&app, "me@acme.example.com").await;
    // M on leads, but all of stage 2 visible; own leads in stage 3 hidden.
    let mut rights = rights_for("leads", Level::M, Level::M);
    rights["stages"] =
        json!({ stages[1].to_string(): { "view": "A" }, stages[2].to_string(): { "view": "D" } });
    json_of(
        app.patch_auth(
            &format!("/api/v1/users/{me}"),
            &admin_token,
            &json!({ "rights": rights }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let mut ids = Vec::new();
    for (stage, responsible) in [
        (stages[0], mate),
        (stages[1], mate),
        (stages[2], me),
        (stages[0], me),
    ] {
        let lead = json_of(
            app.post_auth(
                "/api/v1/leads",
                &admin_token,
                &json!({ "name": "Deal", "stage_id": stage, "responsible_id": responsible }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
        ids.push(lead["id"].as_i64().unwrap());
    }
    let listed = listed_ids(&app, &token, "/api/v1/leads").await;
    assert_eq!(
        listed,
        vec![ids[3], ids[1]],
        "a colleague's lead in stage 2 and my own in stage 1"
    );
    assert_problem(
        app.get_auth(&format!("/api/v1/leads/{}", ids[2]), &token)
            .await,
        404,
        "not_found",
    )
    .await;
    // The board of one stage.
    let in_stage = listed_ids(
        &app,
        &token,
        &format!("/api/v1/leads?stage_id={}", stages[1]),
    )
    .await;
    assert_eq!(in_stage, vec![ids[1]]);
    // Moving my lead into the hidden stage is refused: I could not edit it there.
    let mut rights = rights.clone();
    rights["stages"][stages[2].to_string()] =
        json!({ "view": "D", "edit": "D", "delete": "D", "export": "D" });
    json_of(
        app.patch_auth(
            &format!("/api/v1/users/{me}"),
            &admin_token,
            &json!({ "rights": rights }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_problem(
        app.patch_auth(
            &format!("/api/v1/leads/{}", ids[3]),
            &token,
            &json!({ "stage_id": stages[2] }),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

async fn free_users_see_only_the_leads_they_take_part_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let admin_token = app.login(&admin).await.access_token;
    let free = add_member(
        &app,
        &admin_token,
        "free@acme.example.com",
        json!({ "is_free": true }),
    )
    .await;
    let token = token_of(&app, "free@acme.example.com").await;
    let with = json_of(
        app.post_auth(
            "/api/v1/leads",
            &admin_token,
            &json!({ "name": "With", "participant_ids": [free] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let without = json_of(
        app.post_auth("/api/v1/leads", &admin_token, &json!({ "name": "Without" }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let with = with["id"].as_i64().unwrap();
    assert_eq!(listed_ids(&app, &token, "/api/v1/leads").await, vec![with]);
    json_of(
        app.get_auth(&format!("/api/v1/leads/{with}"), &token).await,
        StatusCode::OK,
    )
    .await;
    assert_problem(
        app.get_auth(&format!("/api/v1/leads/{}", without["id"]), &token)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.patch_auth(
            &format!("/api/v1/leads/{with}"),
            &token,
            &json!({ "price": 1 }),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_auth("/api/v1/leads", &token, &json!({ "name": "Mine" }))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert!(listed_ids(&app, &token, "/api/v1/contacts")
        .await
        .is_empty());
    // Free users are never responsible for records.
    assert_problem(
        app.post_auth(
            "/api/v1/leads",
            &admin_token,
            &json!({ "name": "X", "responsible_id": free }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

async fn leads_keep_a_timeline_of_changes_and_integration_events(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let token = app.login(&admin).await.access_token;
    let stages = stages_of(&app, &token).await;
    let mate = add_member(&app, &token, "mate@acme.example.com", json!({})).await;
    let lead = json_of(
        app.post_auth(
            "/api/v1/leads",
            &token,
            &json!({ "name": "Deal", "price": 100 }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = lead["id"].as_i64().unwrap();
    assert_eq!(
        lead["stage_id"].as_i64(),
        Some(stages[0]),
        "the default pipeline's first stage"
    );
    let changed = json_of(
        app.patch_auth(
            &format!("/api/v1/leads/{id}"),
            &token,
            &json!({ "stage_id": stages[1], "responsible_id": mate }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["responsible_id"].as_i64(), Some(mate));
    json_of(
        app.post_auth(
            &format!("/api/v1/leads/{id}/events"),
            &token,
            &json!({ "kind": "incoming_call", "payload": { "duration": 42 } }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let timeline = json_of(
        app.get_auth(&format!("/api/v1/leads/{id}/events"), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    let kinds: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["incoming_call", "responsible_changed", "stage_changed"]
    );
    assert_eq!(timeline["items"][1]["payload"]["to"].as_i64(), Some(mate));
    assert_eq!(timeline["items"][1]["author_name"], "Anna Admin");
    // Gatehouse's own kinds are not posted by hand.
    let problem = assert_problem(
        app.post_auth(
            &format!("/api/v1/leads/{id}/events"),
            &token,
            &json!({ "kind": "stage_changed" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "kind_reserved");
}

async fn custom_fields_check_values_by_kind(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let token = app.login(&admin).await.access_token;
    let budget = json_of(
        app.post_auth(
            "/api/v1/custom-fields",
            &token,
            &json!({ "entity": "leads", "name": "Budget", "kind": "number" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let source = json_of(
        app.post_auth("/api/v1/custom-fields", &token, &json!({ "entity": "leads", "name": "Source", "kind": "select", "options": ["Web", "Phone"] })).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let lead = json_of(
        app.post_auth("/api/v1/leads", &token, &json!({ "name": "Deal", "custom": { budget.to_string(): 10, source.to_string(): "Web" } })).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(lead["custom"][budget.to_string()], 10);
    let problem = assert_problem(
        app.patch_auth(
            &format!("/api/v1/leads/{}", lead["id"]),
            &token,
            &json!({ "custom": { source.to_string(): "Fax", "999": 1 } }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let codes: Vec<&str> = problem.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["custom_value_invalid", "custom_field_unknown"]);
    // A lead field does not fit a contact.
    assert_problem(
        app.post_auth(
            "/api/v1/contacts",
            &token,
            &json!({ "name": "Ivan", "custom": { budget.to_string(): 1 } }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    // Members read the definitions; only administrators write them.
    add_member(&app, &token, "m@acme.example.com", json!({})).await;
    let member = token_of(&app, "m@acme.example.com").await;
    let fields = json_of(
        app.get_auth("/api/v1/custom-fields?entity=leads", &member)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(fields.as_array().unwrap().len(), 2);
    assert_problem(
        app.post_auth(
            "/api/v1/custom-fields",
            &member,
            &json!({ "entity": "leads", "name": "X", "kind": "text" }),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

async fn crm_inputs_are_refused_with_codes(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let token = app.login(&admin).await.access_token;
    let foreign = app
        .create_account("Rival", "rita@rival.example.com", "Rita Rival", PASSWORD)
        .await;
    let foreign_token = app.login(&foreign).await.access_token;
    let foreign_stage = stages_of(&app, &foreign_token).await[0];
    let foreign_company = json_of(
        app.post_auth(
            "/api/v1/companies",
            &foreign_token,
            &json!({ "name": "Theirs" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let cases = [
        ("/api/v1/leads", json!({ "name": "" }), "name_empty"),
        (
            "/api/v1/leads",
            json!({ "name": "X", "price": -5 }),
            "price_invalid",
        ),
        (
            "/api/v1/leads",
            json!({ "name": "X", "stage_id": foreign_stage }),
            "stage_invalid",
        ),
        (
            "/api/v1/leads",
            json!({ "name": "X", "company_id": foreign_company }),
            "company_invalid",
        ),
        (
            "/api/v1/leads",
            json!({ "name": "X", "responsible_id": 999_999 }),
            "responsible_invalid",
        ),
        (
            "/api/v1/contacts",
            json!({ "name": "X", "phones": ["abc"] }),
            "phone_invalid",
        ),
        (
            "/api/v1/contacts",
            json!({ "name": "X", "emails": ["no"] }),
            "email_invalid",
        ),
        ("/api/v1/tasks", json!({ "text": " " }), "text_empty"),
        (
            "/api/v1/tasks",
            json!({ "text": "X", "link": { "entity": "companies", "id": foreign_company } }),
            "link_invalid",
        ),
    ];
    for (path, body, code) in cases {
        let problem = assert_problem(
            app.post_auth(path, &token, &body).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].code, code, "{path} {body}");
    }
    assert_problem(
        app.post_auth(
            "/api/v1/leads",
            &token,
            &json!({ "name": "X", "colour": 1 }),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/leads/abc", &token).await,
        400,
        "invalid_path",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/leads?limit=x", &token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/leads/999999", &token).await,
        404,
        "not_found",
    )
    .await;
    // Slices: newest first, `next_after` leads on, the last slice has none.
    for n in 0..3 {
        json_of(
            app.post_auth(
                "/api/v1/leads",
                &token,
                &json!({ "name": format!("Сделка {n}") }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let first = json_of(
        app.get_auth("/api/v1/leads?limit=2", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let after = first["next_after"].as_i64().unwrap();
    let second = json_of(
        app.get_auth(&format!("/api/v1/leads?limit=2&after={after}"), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert!(second.get("next_after").is_none());
    // Search folds case in any script.
    let found = json_of(
        app.get_auth(
            "/api/v1/leads?query=%D0%A1%D0%94%D0%95%D0%9B%D0%9A%D0%90%202",
            &token,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
}

async fn the_member_directory_and_stage_totals_stay_within_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin().await;
    let admin_token = app.login(&admin).await.access_token;
    let stages = stages_of(&app, &admin_token).await;
    let pipeline = json_of(
        app.get_auth("/api/v1/pipelines", &admin_token).await,
        StatusCode::OK,
    )
    .await[0]["id"]
        .as_i64()
        .unwrap();
    let north = json_of(
        app.post_auth("/api/v1/groups", &admin_token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let me = add_member(
        &app,
        &admin_token,
        "me@acme.example.com",
        json!({ "name": "Mila Orlova", "group_id": north, "rights": rights_for("leads", Level::M, Level::M) }),
    )
    .await;
    let free = add_member(
        &app,
        &admin_token,
        "free@acme.example.com",
        json!({ "is_free": true }),
    )
    .await;
    let foreign = app
        .create_account("Rival", "rita@rival.example.com", "Rita Rival", PASSWORD)
        .await;
    let foreign_token = app.login(&foreign).await.access_token;
    let token = token_of(&app, "me@acme.example.com").await;

    // Every member reads the directory of their own account, and only of it.
    let directory = json_of(
        app.get_auth("/api/v1/members", &token).await,
        StatusCode::OK,
    )
    .await;
    let entries = directory.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{directory}");
    let mila = entries.iter().find(|e| e["id"] == me).unwrap();
    assert_eq!(mila["name"], "Mila Orlova");
    assert_eq!(mila["group_id"], north);
    assert_eq!(mila["is_active"], true);
    assert_eq!(mila["is_free"], false);
    assert_eq!(
        entries.iter().find(|e| e["id"] == free).unwrap()["is_free"],
        true
    );
    assert!(!directory.to_string().contains("Rita Rival"));
    let theirs = json_of(
        app.get_auth("/api/v1/members", &foreign_token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs.as_array().unwrap().len(), 1, "{theirs}");
    assert!(!theirs.to_string().contains("Mila Orlova"));

    // Stage totals count and sum what the caller may view, filtered like the list.
    let admin_id = entries.iter().find(|e| e["name"] == "Anna Admin").unwrap()["id"]
        .as_i64()
        .unwrap();
    for (stage, price, responsible) in [
        (stages[0], 100, admin_id),
        (stages[0], 250, admin_id),
        (stages[1], 5, admin_id),
        (stages[0], 1000, me),
    ] {
        json_of(
            app.post_auth(
                "/api/v1/leads",
                &admin_token,
                &json!({ "name": "Deal", "price": price, "stage_id": stage, "responsible_id": responsible }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let path = format!("/api/v1/leads/totals?pipeline_id={pipeline}");
    let all = json_of(app.get_auth(&path, &admin_token).await, StatusCode::OK).await;
    assert_eq!(
        all,
        json!([
            { "stage_id": stages[0], "leads": 3, "price": 1350 },
            { "stage_id": stages[1], "leads": 1, "price": 5 },
        ])
    );
    let own = json_of(app.get_auth(&path, &token).await, StatusCode::OK).await;
    assert_eq!(
        own,
        json!([{ "stage_id": stages[0], "leads": 1, "price": 1000 }])
    );
    let mine = json_of(
        app.get_auth(&format!("{path}&responsible_id={me}"), &admin_token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        mine,
        json!([{ "stage_id": stages[0], "leads": 1, "price": 1000 }])
    );
    // Another account's board shows nothing of these, even when asked for this pipeline.
    let foreign_view = json_of(app.get_auth(&path, &foreign_token).await, StatusCode::OK).await;
    assert_eq!(foreign_view, json!([]));
    // Sums beyond what a 64-bit integer sum of many leads at the highest price could risk
    // stay exact and never fail.
    for _ in 0..10 {
        json_of(
            app.post_auth(
                "/api/v1/leads",
                &admin_token,
                &json!({ "name": "Big", "price": 1_000_000_000_000_000_i64, "stage_id": stages[2] }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let all = json_of(app.get_auth(&path, &admin_token).await, StatusCode::OK).await;
    assert_eq!(
        all[2],
        json!({ "stage_id": stages[2], "leads": 10, "price": 10_000_000_000_000_000_i64 })
    );
    assert_problem(
        app.get_auth("/api/v1/leads/totals?after=1", &admin_token)
            .await,
        400,
        "invalid_query",
    )
    .await;
}
