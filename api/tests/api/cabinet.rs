//! The client cabinet as its clients use it (K3–K6): SMS sign-in under its limits, a session
//! that is a principal of its own, only the client's own leads with only what the
//! administrator chose to show, the chat with the manager both ways, the download and the
//! erasure of the client's data.

use std::time::{Duration, Instant};

use chrono::Utc;
use gatehouse_api::entities::{audit_events, cabinet_codes, cabinet_sessions, sms_messages};
use reqwest::StatusCode;
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, Set, Statement,
};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, Person, TestApp};

both_databases!(
    a_client_sees_only_their_own_leads,
    the_cabinet_shows_only_the_chosen_stages_fields_and_events,
    code_requests_are_limited_per_phone_and_per_ip,
    an_unknown_phone_gets_the_same_answer_and_never_signs_in,
    codes_expire_die_after_five_wrong_entries_and_are_replaced_by_resends,
    staff_and_cabinet_tokens_are_refused_by_each_others_endpoints,
    the_client_and_the_manager_chat_both_ways_with_a_long_poll,
    chat_and_deletion_switched_off_are_forbidden,
    the_client_downloads_their_data,
    erasure_leaves_no_trace_of_the_client_and_ends_the_session,
);

/// The client's phone as the CRM holds it, and in E.164.
const PHONE_TYPED: &str = "8 (912) 345-67-89";
const PHONE: &str = "+79123456789";
const PHONE_STORED: &str = "89123456789";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "body: {body}");
    body
}

/// An account with its administrator signed in.
struct Crm {
    account_id: i64,
    token: String,
}

async fn crm(app: &TestApp, name: &str, email: &str) -> Crm {
    let person: Person = app
        .create_account(name, email, "Anna Admin", "correct horse battery")
        .await;
    let token = app.login(&person).await.access_token;
    Crm {
        account_id: person.account_id,
        token,
    }
}

/// Opens the cabinet in Russian (the accounts are English) with the outbox provider and
/// `changes` over the defaults.
async fn open_cabinet(app: &TestApp, crm: &Crm, changes: Value) -> Value {
    let current = json_of(
        app.get_auth("/api/v1/cabinet-settings", &crm.token).await,
        StatusCode::OK,
    )
    .await;
    let mut input = json!({
        "enabled": true,
        "sms_provider_id": current["sms_provider_id"],
        "login_template": "{{contact.name}}, код: {{code}}",
        "deletion_template": "{{contact.first_name}}, код удаления: {{code}}",
        "language": "ru",
        "header_text": "Ваши сделки",
        "chat_enabled": true,
        "show_company": true,
        "show_client_name": true,
        "event_kinds": ["stage_changed", "incoming_chat_message", "outgoing_chat_message"],
        "fields": [],
        "stages": [],
        "deletion_enabled": true,
    });
    for (key, value) in changes.as_object().unwrap() {
        input[key] = value.clone();
    }
    json_of(
        app.put_auth("/api/v1/cabinet-settings", &crm.token, &input)
            .await,
        StatusCode::OK,
    )
    .await
}

async fn contact(app: &TestApp, crm: &Crm, body: Value) -> i64 {
    json_of(
        app.post_auth("/api/v1/contacts", &crm.token, &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn lead(app: &TestApp, crm: &Crm, body: Value) -> i64 {
    json_of(
        app.post_auth("/api/v1/leads", &crm.token, &body).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

async fn ask_code(app: &TestApp, account_id: i64, phone: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/cabinet/{account_id}/codes"),
        &json!({ "phone": phone }),
    )
    .await
}

/// The code of the newest SMS to `phone` (E.164), read from the outbox.
async fn code_sent_to(app: &TestApp, phone: &str) -> String {
    let message = sms_messages::Entity::find()
        .filter(sms_messages::Column::ToPhone.eq(phone))
        .order_by_desc(sms_messages::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("an SMS was sent");
    assert_eq!(message.status, "outbox");
    let body = message.body.unwrap();
    let code: String = body
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .unwrap_or_else(|| panic!("no code in {body:?}"))
        .to_owned();
    code
}

async fn enter_code(app: &TestApp, account_id: i64, phone: &str, code: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/cabinet/{account_id}/sessions"),
        &json!({ "phone": phone, "code": code }),
    )
    .await
}

/// Signs a client in by the phone: the code, read from the outbox, for a session token.
async fn sign_in(app: &TestApp, account_id: i64, phone: &str) -> String {
    let sent = json_of(ask_code(app, account_id, phone).await, StatusCode::ACCEPTED).await;
    let e164 = sent["phone"].as_str().unwrap().to_owned();
    let code = code_sent_to(app, &e164).await;
    let session = json_of(
        enter_code(app, account_id, phone, &code).await,
        StatusCode::CREATED,
    )
    .await;
    let token = session["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("gc_"), "{token}");
    token
}

/// Moves the codes of a phone `seconds` into the past, as if that time had gone by.
async fn age_codes(app: &TestApp, phone: &str, seconds: i64) {
    for code in cabinet_codes::Entity::find()
        .filter(cabinet_codes::Column::Phone.eq(phone))
        .all(&app.db)
        .await
        .unwrap()
    {
        let mut row: cabinet_codes::ActiveModel = code.clone().into();
        row.created_at = Set(code.created_at - chrono::Duration::seconds(seconds));
        row.expires_at = Set(code.expires_at - chrono::Duration::seconds(seconds));
        row.update(&app.db).await.unwrap();
    }
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn assert_limited(response: reqwest::Response, at_least: u64, at_most: u64) {
    let wait = retry_after(&response);
    assert!(
        (at_least..=at_most).contains(&wait),
        "Retry-After {wait}, expected {at_least}..={at_most}"
    );
    assert_problem(response, 429, "rate_limited").await;
}

async fn a_client_sees_only_their_own_leads(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    let other = crm(&app, "Other Co", "olga@other.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    open_cabinet(&app, &other, json!({})).await;

    let ivan = contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE_TYPED] }),
    )
    .await;
    // The same person kept twice, with the number written another way.
    let ivan_again = contact(
        &app,
        &acme,
        json!({ "name": "I. Petrov", "phones": ["+7 912 345 67 89"] }),
    )
    .await;
    let maria = contact(
        &app,
        &acme,
        json!({ "name": "Maria", "phones": ["+7 912 000-00-01"] }),
    )
    .await;
    let first = lead(
        &app,
        &acme,
        json!({ "name": "Flat", "contact_ids": [ivan] }),
    )
    .await;
    let second = lead(
        &app,
        &acme,
        json!({ "name": "Garage", "contact_ids": [ivan_again] }),
    )
    .await;
    let marias = lead(
        &app,
        &acme,
        json!({ "name": "House", "contact_ids": [maria] }),
    )
    .await;
    // Another account's contact with the very same phone.
    let namesake = contact(
        &app,
        &other,
        json!({ "name": "Ivan of Other", "phones": [PHONE] }),
    )
    .await;
    let elsewhere = lead(
        &app,
        &other,
        json!({ "name": "Elsewhere", "contact_ids": [namesake] }),
    )
    .await;

    let token = sign_in(&app, acme.account_id, PHONE_TYPED).await;
    let home = json_of(
        app.get_auth("/api/v1/cabinet/me", &token).await,
        StatusCode::OK,
    )
    .await;
    let ids: Vec<i64> = home["leads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        [second, first],
        "newest first, both contacts of the phone"
    );
    assert_eq!(home["name"], "Ivan Petrov");
    assert_eq!(home["phone"], PHONE);
    assert_eq!(home["appearance"]["account_name"], "Acme");
    assert_eq!(home["appearance"]["language"], "ru");
    assert_eq!(home["leads"][0]["manager"], "Anna Admin");

    for id in [marias, elsewhere] {
        assert_problem(
            app.get_auth(&format!("/api/v1/cabinet/leads/{id}"), &token)
                .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.get_auth(&format!("/api/v1/cabinet/leads/{id}/messages"), &token)
                .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.post_auth(
                &format!("/api/v1/cabinet/leads/{id}/messages"),
                &token,
                &json!({ "text": "hello" }),
            )
            .await,
            404,
            "not_found",
        )
        .await;
    }
    json_of(
        app.get_auth(&format!("/api/v1/cabinet/leads/{first}"), &token)
            .await,
        StatusCode::OK,
    )
    .await;

    // The same phone in the other account's cabinet reaches that account's lead only.
    let there = sign_in(&app, other.account_id, PHONE).await;
    let home = json_of(
        app.get_auth("/api/v1/cabinet/me", &there).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(home["leads"].as_array().unwrap().len(), 1);
    assert_eq!(home["leads"][0]["id"], elsewhere);

    // Contacts are looked up on each request: a contact whose phone changed drops out.
    json_of(
        app.patch_auth(
            &format!("/api/v1/contacts/{ivan_again}"),
            &acme.token,
            &json!({ "phones": ["+7 912 999-99-99"] }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let home = json_of(
        app.get_auth("/api/v1/cabinet/me", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(home["leads"].as_array().unwrap().len(), 1);
    assert_eq!(home["leads"][0]["id"], first);
}

async fn the_cabinet_shows_only_the_chosen_stages_fields_and_events(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    let pipelines = json_of(
        app.get_auth("/api/v1/pipelines", &acme.token).await,
        StatusCode::OK,
    )
    .await;
    let stages: Vec<i64> = pipelines[0]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert!(
        stages.len() >= 4,
        "the default pipeline has stages: {pipelines}"
    );
    let source = json_of(
        app.post_auth(
            "/api/v1/custom-fields",
            &acme.token,
            &json!({ "entity": "leads", "name": "Source", "kind": "text" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let hidden_field = json_of(
        app.post_auth(
            "/api/v1/custom-fields",
            &acme.token,
            &json!({ "entity": "leads", "name": "Margin", "kind": "number" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    // Stages 1 and 3 are shown; 0 and 2 are hidden.
    open_cabinet(
        &app,
        &acme,
        json!({
            "show_client_name": false,
            "event_kinds": ["stage_changed", "incoming_call"],
            "fields": [
                { "field": "price", "alias": "Бюджет" },
                { "field": format!("custom.{source}"), "alias": "Откуда" },
            ],
            "stages": [
                { "stage_id": stages[1], "name": "Заявка" },
                { "stage_id": stages[3], "name": "Договор" },
            ],
        }),
    )
    .await;
    let company = json_of(
        app.post_auth(
            "/api/v1/companies",
            &acme.token,
            &json!({ "name": "Petrov LLC" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let ivan = contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let deal = lead(
        &app,
        &acme,
        json!({
            "name": "Flat", "price": 1500, "stage_id": stages[0], "company_id": company,
            "contact_ids": [ivan],
            "custom": { source.to_string(): "Website", hidden_field.to_string(): 42 },
        }),
    )
    .await;
    let token = sign_in(&app, acme.account_id, PHONE).await;

    let home = json_of(
        app.get_auth("/api/v1/cabinet/me", &token).await,
        StatusCode::OK,
    )
    .await;
    assert!(
        home.get("name").is_none(),
        "the client's name is off: {home}"
    );
    let shown = &home["leads"][0];
    // Before any shown stage: no stage.
    assert!(shown.get("stage").is_none(), "{shown}");
    assert_eq!(shown["stage_position"], 0);
    assert_eq!(shown["stages_shown"], 2);
    assert_eq!(shown["company"], "Petrov LLC");
    assert_eq!(
        shown["fields"],
        json!([
            { "alias": "Бюджет", "value": "1500" },
            { "alias": "Откуда", "value": "Website" },
        ])
    );

    for stage in [stages[1], stages[2], stages[3]] {
        json_of(
            app.patch_auth(
                &format!("/api/v1/leads/{deal}"),
                &acme.token,
                &json!({ "stage_id": stage }),
            )
            .await,
            StatusCode::OK,
        )
        .await;
        if stage == stages[2] {
            // A hidden stage shows the last shown stage before it.
            let home = json_of(
                app.get_auth("/api/v1/cabinet/me", &token).await,
                StatusCode::OK,
            )
            .await;
            assert_eq!(home["leads"][0]["stage"], "Заявка");
            assert_eq!(home["leads"][0]["stage_position"], 1);
        }
    }
    for (kind, text) in [
        ("incoming_call", "Called about the flat"),
        ("outgoing_call", "Internal note"),
        ("email", "Offer"),
    ] {
        json_of(
            app.post_auth(
                &format!("/api/v1/leads/{deal}/events"),
                &acme.token,
                &json!({ "kind": kind, "payload": { "text": text } }),
            )
            .await,
            StatusCode::CREATED,
        )
        .await;
    }
    let detail = json_of(
        app.get_auth(&format!("/api/v1/cabinet/leads/{deal}"), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(detail["lead"]["stage"], "Договор");
    assert_eq!(detail["lead"]["stage_position"], 2);
    let events: Vec<(String, String)> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["text"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // 0 → 1 shows as "— → Заявка"; 1 → 2 stays "Заявка" to the client and is left out.
    assert_eq!(
        events,
        [
            ("stage_changed".to_owned(), "— → Заявка".to_owned()),
            ("stage_changed".to_owned(), "Заявка → Договор".to_owned()),
            (
                "incoming_call".to_owned(),
                "Called about the flat".to_owned()
            ),
        ]
    );
}

async fn code_requests_are_limited_per_phone_and_per_ip(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let account = acme.account_id;

    assert_problem(
        ask_code(&app, account, "12").await,
        422,
        "validation_failed",
    )
    .await;
    let invalid = ask_code(&app, account, "not a phone").await;
    let problem = assert_problem(invalid, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "phone");
    assert_eq!(problem.errors[0].code, "phone_invalid");

    json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    // A resend within 30 s.
    assert_limited(ask_code(&app, account, PHONE).await, 25, 30).await;
    // Three sends in 15 minutes, then the fourth waits until the first leaves the window.
    for _ in 0..2 {
        age_codes(&app, PHONE, 31).await;
        json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    }
    age_codes(&app, PHONE, 31).await;
    assert_limited(
        ask_code(&app, account, PHONE).await,
        15 * 60 - 3 * 31 - 5,
        15 * 60 - 3 * 31 + 1,
    )
    .await;
    // Ten a day: after three windows of three and one more, the eleventh waits for hours.
    for _ in 0..2 {
        age_codes(&app, PHONE, 16 * 60).await;
        for _ in 0..3 {
            json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
            age_codes(&app, PHONE, 31).await;
        }
    }
    age_codes(&app, PHONE, 16 * 60).await;
    json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    age_codes(&app, PHONE, 16 * 60).await;
    let eleventh = ask_code(&app, account, PHONE).await;
    assert!(retry_after(&eleventh) > 3600, "{:?}", eleventh.headers());
    assert_problem(eleventh, 429, "rate_limited").await;
    assert_eq!(
        cabinet_codes::Entity::find()
            .filter(cabinet_codes::Column::Phone.eq(PHONE))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        10
    );

    // Twenty an hour from one IP, whatever the phones.
    let from_one_ip = TestApp::client_from("127.0.0.7");
    let ask = |phone: String| {
        let request = from_one_ip
            .post(app.url(&format!("/api/v1/cabinet/{account}/codes")))
            .json(&json!({ "phone": phone }));
        async move { request.send().await.unwrap() }
    };
    for n in 0..20 {
        json_of(ask(format!("+7912000{n:04}")).await, StatusCode::ACCEPTED).await;
    }
    assert_limited(ask("+79120009999".to_owned()).await, 3590, 3600).await;
    // Another address is not held back.
    json_of(
        ask_code(&app, account, "+79120009999").await,
        StatusCode::ACCEPTED,
    )
    .await;
}

async fn an_unknown_phone_gets_the_same_answer_and_never_signs_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let unknown = "+79120001111";

    let known_answer = ask_code(&app, acme.account_id, PHONE).await;
    let unknown_answer = ask_code(&app, acme.account_id, unknown).await;
    assert_eq!(known_answer.status(), unknown_answer.status());
    assert_eq!(
        known_answer.headers().get("content-type"),
        unknown_answer.headers().get("content-type")
    );
    let mut known: Value = known_answer.json().await.unwrap();
    let mut other: Value = unknown_answer.json().await.unwrap();
    assert_eq!(known["phone"], PHONE);
    assert_eq!(other["phone"], unknown);
    known["phone"] = Value::Null;
    other["phone"] = Value::Null;
    assert_eq!(known, other);
    assert_eq!(known["expires_in_seconds"], 300);
    assert_eq!(known["resend_after_seconds"], 30);

    // A code row exists for both (the limits count it), an SMS only for the client.
    for phone in [PHONE, unknown] {
        let codes = cabinet_codes::Entity::find()
            .filter(cabinet_codes::Column::Phone.eq(phone))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(codes.len(), 1);
        assert!(!codes[0]
            .code_hash
            .contains(&code_sent_to_or_none(&app, phone).await));
    }
    assert!(sms_messages::Entity::find()
        .filter(sms_messages::Column::ToPhone.eq(unknown))
        .one(&app.db)
        .await
        .unwrap()
        .is_none());
    // The limits hold for the unknown phone alike.
    assert_problem(
        ask_code(&app, acme.account_id, unknown).await,
        429,
        "rate_limited",
    )
    .await;
    assert_problem(
        enter_code(&app, acme.account_id, unknown, "123456").await,
        401,
        "invalid_sms_code",
    )
    .await;

    // A closed cabinet and an unknown account are alike.
    assert_problem(
        app.client
            .get(app.url("/api/v1/cabinet/999999"))
            .send()
            .await
            .unwrap(),
        404,
        "cabinet_unavailable",
    )
    .await;
    let appearance = json_of(
        app.client
            .get(app.url(&format!("/api/v1/cabinet/{}", acme.account_id)))
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(appearance["header_text"], "Ваши сделки");
    assert_eq!(appearance["chat_enabled"], true);
    open_cabinet(&app, &acme, json!({ "enabled": false })).await;
    for path in [
        format!("/api/v1/cabinet/{}", acme.account_id),
        format!("/api/v1/cabinet/{}/codes", acme.account_id),
    ] {
        let response = if path.ends_with("codes") {
            app.post(&path, &json!({ "phone": PHONE })).await
        } else {
            app.client.get(app.url(&path)).send().await.unwrap()
        };
        assert_problem(response, 404, "cabinet_unavailable").await;
    }
    assert_problem(
        ask_code(&app, 999_999, PHONE).await,
        404,
        "cabinet_unavailable",
    )
    .await;
}

/// The code of the newest SMS to the phone, or a string no hash contains.
async fn code_sent_to_or_none(app: &TestApp, phone: &str) -> String {
    match sms_messages::Entity::find()
        .filter(sms_messages::Column::ToPhone.eq(phone))
        .one(&app.db)
        .await
        .unwrap()
    {
        Some(_) => code_sent_to(app, phone).await,
        None => "no sms".to_owned(),
    }
}

async fn codes_expire_die_after_five_wrong_entries_and_are_replaced_by_resends(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let account = acme.account_id;

    // Five minutes later the code is no good.
    json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&app, PHONE).await;
    age_codes(&app, PHONE, 5 * 60 + 1).await;
    assert_problem(
        enter_code(&app, account, PHONE, &code).await,
        401,
        "invalid_sms_code",
    )
    .await;

    // Five wrong entries void it: then even the right one fails.
    age_codes(&app, PHONE, 20 * 60).await;
    json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    let code = code_sent_to(&app, PHONE).await;
    let wrong = if code == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        assert_problem(
            enter_code(&app, account, PHONE, wrong).await,
            401,
            "invalid_sms_code",
        )
        .await;
    }
    assert_problem(
        enter_code(&app, account, PHONE, &code).await,
        401,
        "invalid_sms_code",
    )
    .await;
    let voided = cabinet_codes::Entity::find()
        .filter(cabinet_codes::Column::Phone.eq(PHONE))
        .order_by_desc(cabinet_codes::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(voided.wrong_attempts, 5);
    assert!(voided.closed_at.is_some());
    assert!(!voided.code_hash.contains(&code), "stored hashed");

    // A resend replaces the code: the old one is refused, the new one signs in once.
    age_codes(&app, PHONE, 31).await;
    json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    let old = code_sent_to(&app, PHONE).await;
    age_codes(&app, PHONE, 31).await;
    json_of(ask_code(&app, account, PHONE).await, StatusCode::ACCEPTED).await;
    let new = code_sent_to(&app, PHONE).await;
    if old != new {
        assert_problem(
            enter_code(&app, account, PHONE, &old).await,
            401,
            "invalid_sms_code",
        )
        .await;
    }
    // A wrong entry or two do not void it.
    assert_problem(
        enter_code(&app, account, PHONE, "12345").await,
        401,
        "invalid_sms_code",
    )
    .await;
    let session = json_of(
        enter_code(&app, account, PHONE, &new).await,
        StatusCode::CREATED,
    )
    .await;
    let expires_at: chrono::DateTime<Utc> =
        serde_json::from_value(session["expires_at"].clone()).unwrap();
    assert!(expires_at > Utc::now() + chrono::Duration::days(29));
    assert_problem(
        enter_code(&app, account, PHONE, &new).await,
        401,
        "invalid_sms_code",
    )
    .await;
}

async fn staff_and_cabinet_tokens_are_refused_by_each_others_endpoints(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    let ivan = contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let deal = lead(
        &app,
        &acme,
        json!({ "name": "Flat", "contact_ids": [ivan] }),
    )
    .await;
    let client = sign_in(&app, acme.account_id, PHONE).await;

    let cabinet_endpoints = [
        ("GET", "/api/v1/cabinet/me".to_owned(), None),
        ("GET", "/api/v1/cabinet/data".to_owned(), None),
        ("GET", format!("/api/v1/cabinet/leads/{deal}"), None),
        (
            "GET",
            format!("/api/v1/cabinet/leads/{deal}/messages"),
            None,
        ),
        (
            "POST",
            format!("/api/v1/cabinet/leads/{deal}/messages"),
            Some(json!({ "text": "hi" })),
        ),
        ("POST", "/api/v1/cabinet/erasure/codes".to_owned(), None),
        (
            "POST",
            "/api/v1/cabinet/erasure".to_owned(),
            Some(json!({ "code": "123456" })),
        ),
        ("DELETE", "/api/v1/cabinet/session".to_owned(), None),
    ];
    let call = |method: &str, path: &str, token: Option<&str>, body: &Option<Value>| {
        let mut request = app.client.request(method.parse().unwrap(), app.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        async move { request.send().await.unwrap() }
    };
    for (method, path, body) in &cabinet_endpoints {
        assert_problem(
            call(method, path, Some(&acme.token), body).await,
            401,
            "invalid_token",
        )
        .await;
        assert_problem(call(method, path, None, body).await, 401, "unauthenticated").await;
        assert_problem(
            call(method, path, Some("gc_not-a-session"), body).await,
            401,
            "invalid_token",
        )
        .await;
    }
    let staff_endpoints = [
        ("GET", "/api/v1/me".to_owned(), None),
        ("GET", "/api/v1/leads".to_owned(), None),
        ("GET", format!("/api/v1/leads/{deal}"), None),
        ("GET", format!("/api/v1/leads/{deal}/messages"), None),
        (
            "POST",
            format!("/api/v1/leads/{deal}/messages"),
            Some(json!({ "text": "hi" })),
        ),
        ("GET", "/api/v1/contacts".to_owned(), None),
        ("GET", "/api/v1/cabinet-settings".to_owned(), None),
    ];
    for (method, path, body) in &staff_endpoints {
        assert_problem(
            call(method, path, Some(&client), body).await,
            401,
            "invalid_token",
        )
        .await;
    }
    // The session still works where it belongs, and ends when the client signs out.
    json_of(
        app.get_auth("/api/v1/cabinet/me", &client).await,
        StatusCode::OK,
    )
    .await;
    let signed_out = app.delete_auth("/api/v1/cabinet/session", &client).await;
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get_auth("/api/v1/cabinet/me", &client).await,
        401,
        "invalid_token",
    )
    .await;

    // A cabinet switched off closes its sessions' doors too; idle sessions lapse.
    age_codes(&app, PHONE, 60).await;
    let client = sign_in(&app, acme.account_id, PHONE).await;
    open_cabinet(&app, &acme, json!({ "enabled": false })).await;
    assert_problem(
        app.get_auth("/api/v1/cabinet/me", &client).await,
        404,
        "cabinet_unavailable",
    )
    .await;
    open_cabinet(&app, &acme, json!({})).await;
    json_of(
        app.get_auth("/api/v1/cabinet/me", &client).await,
        StatusCode::OK,
    )
    .await;
    cabinet_sessions::Entity::update_many()
        .col_expr(
            cabinet_sessions::Column::LastSeenAt,
            Expr::value(Utc::now() - chrono::Duration::days(8)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    assert_problem(
        app.get_auth("/api/v1/cabinet/me", &client).await,
        401,
        "invalid_token",
    )
    .await;
}

async fn the_client_and_the_manager_chat_both_ways_with_a_long_poll(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    let ivan = contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let deal = lead(
        &app,
        &acme,
        json!({ "name": "Flat", "contact_ids": [ivan] }),
    )
    .await;
    let client = sign_in(&app, acme.account_id, PHONE).await;
    let cabinet_chat = format!("/api/v1/cabinet/leads/{deal}/messages");
    let staff_chat = format!("/api/v1/leads/{deal}/messages");

    for (text, code) in [
        ("   ".to_owned(), "text_empty"),
        ("я".repeat(4001), "text_too_long"),
    ] {
        let problem = assert_problem(
            app.post_auth(&cabinet_chat, &client, &json!({ "text": text }))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].field, "text");
        assert_eq!(problem.errors[0].code, code);
        let problem = assert_problem(
            app.post_auth(&staff_chat, &acme.token, &json!({ "text": text }))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem.errors[0].code, code);
    }

    let question = json_of(
        app.post_auth(
            &cabinet_chat,
            &client,
            &json!({ "text": "  When is the viewing?  " }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(question["from_client"], true);
    assert_eq!(question["text"], "When is the viewing?");
    let question_id = question["id"].as_i64().unwrap();

    // The manager sees it in the lead card's chat and on the timeline.
    let seen = json_of(app.get_auth(&staff_chat, &acme.token).await, StatusCode::OK).await;
    assert_eq!(seen.as_array().unwrap().len(), 1);
    assert_eq!(seen[0]["text"], "When is the viewing?");
    let timeline = json_of(
        app.get_auth(&format!("/api/v1/leads/{deal}/events"), &acme.token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(timeline["items"][0]["kind"], "incoming_chat_message");
    assert_eq!(timeline["items"][0]["payload"]["source"], "cabinet");

    // The client waits for the answer; it arrives while they wait.
    let waiting = {
        let request = app
            .client
            .get(app.url(&format!("{cabinet_chat}?after={question_id}&wait=15")))
            .bearer_auth(&client);
        tokio::spawn(async move {
            let started = Instant::now();
            let response = request.send().await.unwrap();
            (started.elapsed(), response.json::<Value>().await.unwrap())
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let answer = json_of(
        app.post_auth(
            &staff_chat,
            &acme.token,
            &json!({ "text": "Tomorrow at 10" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(answer["from_client"], false);
    assert_eq!(answer["author_name"], "Anna Admin");
    let (waited, arrived) = waiting.await.unwrap();
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_secs(6),
        "the poll waited {waited:?}"
    );
    assert_eq!(arrived.as_array().unwrap().len(), 1, "{arrived}");
    assert_eq!(arrived[0]["text"], "Tomorrow at 10");
    assert_eq!(arrived[0]["author_name"], "Anna Admin");

    // The manager's long poll likewise; with nothing new, an empty list when the wait ends.
    let answer_id = answer["id"].as_i64().unwrap();
    let started = Instant::now();
    let nothing = json_of(
        app.get_auth(
            &format!("{staff_chat}?after={answer_id}&wait=1"),
            &acme.token,
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(nothing, json!([]));
    assert!(started.elapsed() >= Duration::from_millis(900));
    let staff_waiting = {
        let request = app
            .client
            .get(app.url(&format!("{staff_chat}?after={answer_id}&wait=15")))
            .bearer_auth(&acme.token);
        tokio::spawn(async move { request.send().await.unwrap().json::<Value>().await.unwrap() })
    };
    tokio::time::sleep(Duration::from_millis(1200)).await;
    json_of(
        app.post_auth(&cabinet_chat, &client, &json!({ "text": "Thanks!" }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let arrived = staff_waiting.await.unwrap();
    assert_eq!(arrived[0]["text"], "Thanks!");
    assert_eq!(arrived[0]["from_client"], true);

    // Everything, in id order.
    let all = json_of(app.get_auth(&cabinet_chat, &client).await, StatusCode::OK).await;
    let texts: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["When is the viewing?", "Tomorrow at 10", "Thanks!"]);
    assert_problem(
        app.get_auth(&format!("{cabinet_chat}?wait=abc"), &client)
            .await,
        400,
        "invalid_query",
    )
    .await;
}

async fn chat_and_deletion_switched_off_are_forbidden(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(
        &app,
        &acme,
        json!({ "chat_enabled": false, "deletion_enabled": false }),
    )
    .await;
    let ivan = contact(
        &app,
        &acme,
        json!({ "name": "Ivan Petrov", "phones": [PHONE] }),
    )
    .await;
    let deal = lead(
        &app,
        &acme,
        json!({ "name": "Flat", "contact_ids": [ivan] }),
    )
    .await;
    let client = sign_in(&app, acme.account_id, PHONE).await;
    let chat = format!("/api/v1/cabinet/leads/{deal}/messages");
    let forbidden = [
        app.get_auth(&chat, &client).await,
        app.post_auth(&chat, &client, &json!({ "text": "hi" }))
            .await,
        app.post_auth("/api/v1/cabinet/erasure/codes", &client, &json!({}))
            .await,
        app.post_auth(
            "/api/v1/cabinet/erasure",
            &client,
            &json!({ "code": "123456" }),
        )
        .await,
    ];
    for response in forbidden {
        let problem = assert_problem(response, 403, "forbidden").await;
        assert!(problem.detail.unwrap().contains("switched off"));
    }
    // No deletion SMS left.
    assert!(sms_messages::Entity::find()
        .filter(sms_messages::Column::Purpose.eq("deletion"))
        .one(&app.db)
        .await
        .unwrap()
        .is_none());
}

async fn the_client_downloads_their_data(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    let passport = json_of(
        app.post_auth(
            "/api/v1/custom-fields",
            &acme.token,
            &json!({ "entity": "contacts", "name": "Passport", "kind": "text" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let ivan = contact(
        &app,
        &acme,
        json!({
            "name": "Ivan Petrov", "phones": [PHONE_TYPED], "emails": ["ivan.petrov@example.com"],
            "custom": { passport.to_string(): "4510 123456" },
        }),
    )
    .await;
    let deal = lead(
        &app,
        &acme,
        json!({ "name": "Flat", "contact_ids": [ivan] }),
    )
    .await;
    let client = sign_in(&app, acme.account_id, PHONE).await;
    json_of(
        app.post_auth(
            &format!("/api/v1/cabinet/leads/{deal}/messages"),
            &client,
            &json!({ "text": "Hello" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;

    let response = app.get_auth("/api/v1/cabinet/data", &client).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"personal-data.json\""
    );
    let data: Value = response.json().await.unwrap();
    assert_eq!(data["account_name"], "Acme");
    assert_eq!(data["contacts"].as_array().unwrap().len(), 1);
    let contact = &data["contacts"][0];
    assert_eq!(contact["id"], ivan);
    assert_eq!(contact["name"], "Ivan Petrov");
    assert_eq!(contact["phones"], json!([PHONE_STORED]));
    assert_eq!(contact["emails"], json!(["ivan.petrov@example.com"]));
    assert_eq!(contact["custom"], json!({ "Passport": "4510 123456" }));
    assert_eq!(data["leads"][0]["id"], deal);
    assert_eq!(data["messages"][0]["text"], "Hello");
}

/// Every table and text column of the database holding `needle` (in any ASCII case).
async fn where_found(app: &TestApp, backend: Backend, needle: &str) -> Vec<String> {
    let columns_sql = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND data_type IN ('text', 'character varying')"
        }
    };
    let db_backend = match backend {
        Backend::Sqlite => DbBackend::Sqlite,
        Backend::Postgres => DbBackend::Postgres,
    };
    let columns = app
        .db
        .query_all_raw(Statement::from_string(db_backend, columns_sql))
        .await
        .unwrap();
    assert!(columns.len() > 50, "the schema's columns were listed");
    let mut found = Vec::new();
    let pattern = format!("%{}%", needle.to_lowercase());
    for row in columns {
        let table: String = row.try_get("", "t").unwrap();
        let column: String = row.try_get("", "c").unwrap();
        let sql = format!(
            "SELECT COUNT(*) AS n FROM \"{table}\" WHERE LOWER(CAST(\"{column}\" AS TEXT)) LIKE '{pattern}'"
        );
        let count = app
            .db
            .query_one_raw(Statement::from_string(db_backend, sql))
            .await
            .unwrap()
            .unwrap();
        let n: i64 = count.try_get("", "n").unwrap();
        if n > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

async fn erasure_leaves_no_trace_of_the_client_and_ends_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let acme = crm(&app, "Acme", "anna@acme.example.com").await;
    open_cabinet(&app, &acme, json!({})).await;
    let passport = json_of(
        app.post_auth(
            "/api/v1/custom-fields",
            &acme.token,
            &json!({ "entity": "contacts", "name": "Passport", "kind": "text" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let email = "ivan.petrov@example.com";
    let ivan = contact(
        &app,
        &acme,
        json!({
            "name": "Ivan Petrov", "phones": [PHONE_TYPED], "emails": [email],
            "custom": { passport.to_string(): "4510 123456" },
        }),
    )
    .await;
    let maria = contact(
        &app,
        &acme,
        json!({ "name": "Maria Ivanova", "phones": ["+7 912 000-00-01"] }),
    )
    .await;
    let deal = lead(
        &app,
        &acme,
        json!({ "name": "Flat", "contact_ids": [ivan] }),
    )
    .await;
    let marias = lead(
        &app,
        &acme,
        json!({ "name": "House", "contact_ids": [maria] }),
    )
    .await;
    json_of(
        app.post_auth(
            &format!("/api/v1/leads/{deal}/events"),
            &acme.token,
            &json!({ "kind": "incoming_call", "payload": { "phone": PHONE_STORED, "text": "Ivan Petrov called" } }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    json_of(
        app.post_auth(
            "/api/v1/tasks",
            &acme.token,
            &json!({ "text": "Call Ivan Petrov back", "link": { "entity": "contacts", "id": ivan } }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let client = sign_in(&app, acme.account_id, PHONE).await;
    let chat = format!("/api/v1/cabinet/leads/{deal}/messages");
    json_of(
        app.post_auth(
            &chat,
            &client,
            &json!({ "text": format!("I am Ivan Petrov, {PHONE} or {email}") }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    json_of(
        app.post_auth(
            &format!("/api/v1/leads/{deal}/messages"),
            &acme.token,
            &json!({ "text": "Hello, Ivan Petrov!" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let secrets = ["Ivan Petrov", PHONE_STORED, PHONE, email, "4510 123456"];
    assert!(
        !where_found(&app, backend, "Ivan Petrov").await.is_empty(),
        "the search finds what is there"
    );

    let sent = json_of(
        app.post_auth("/api/v1/cabinet/erasure/codes", &client, &json!({}))
            .await,
        StatusCode::ACCEPTED,
    )
    .await;
    assert_eq!(sent["phone"], PHONE);
    let code = code_sent_to(&app, PHONE).await;
    let deletion_sms = sms_messages::Entity::find()
        .filter(sms_messages::Column::Purpose.eq("deletion"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(deletion_sms
        .body
        .unwrap()
        .starts_with("Ivan, код удаления: "));
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_problem(
        app.post_auth(
            "/api/v1/cabinet/erasure",
            &client,
            &json!({ "code": wrong }),
        )
        .await,
        401,
        "invalid_sms_code",
    )
    .await;
    let erased = app
        .post_auth("/api/v1/cabinet/erasure", &client, &json!({ "code": code }))
        .await;
    assert_eq!(erased.status(), StatusCode::NO_CONTENT);

    // The session is gone with the data.
    assert_problem(
        app.get_auth("/api/v1/cabinet/me", &client).await,
        401,
        "invalid_token",
    )
    .await;
    for secret in secrets {
        assert_eq!(
            where_found(&app, backend, secret).await,
            Vec::<String>::new(),
            "{secret} is still stored"
        );
    }
    // Maria is untouched; the CRM lists still work.
    let listed = json_of(
        app.get_auth("/api/v1/contacts", &acme.token).await,
        StatusCode::OK,
    )
    .await;
    let names: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Maria Ivanova", "Erased contact"]);
    let erased_contact = json_of(
        app.get_auth(&format!("/api/v1/contacts/{ivan}"), &acme.token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(erased_contact["phones"], json!([]));
    assert_eq!(erased_contact["emails"], json!([]));
    assert_eq!(erased_contact["custom"], json!({}));

    // The timeline notes it in the cabinet's language and the account's.
    let timeline = json_of(
        app.get_auth(&format!("/api/v1/leads/{deal}/events"), &acme.token)
            .await,
        StatusCode::OK,
    )
    .await;
    let note = &timeline["items"][0];
    assert_eq!(note["kind"], "personal_data_erased");
    assert_eq!(
        note["payload"]["notes"],
        json!({
            "ru": "Пользователь запросил удаление данных",
            "en": "The client requested deletion of their data",
        })
    );
    let untouched = json_of(
        app.get_auth(&format!("/api/v1/leads/{marias}/events"), &acme.token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(untouched["items"], json!([]));
    // Kept as history, with the erased values gone.
    let texts: Vec<String> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["payload"]["text"].as_str().map(str::to_owned))
        .collect();
    assert!(texts.contains(&"Hello, [erased]!".to_owned()), "{texts:?}");
    assert!(
        texts.contains(&"I am [erased], [erased] or [erased]".to_owned()),
        "{texts:?}"
    );

    // Audited with ids and counts only.
    let audit = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("cabinet_personal_data_erased"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the erasure is audited");
    assert_eq!(audit.account_id, acme.account_id);
    let details: Value = serde_json::from_str(&audit.details).unwrap();
    assert_eq!(details, json!({ "contacts": [ivan], "leads": 1 }));

    // Nobody signs in with the erased phone any more.
    let again = ask_code(&app, acme.account_id, PHONE).await;
    assert_eq!(again.status(), StatusCode::ACCEPTED);
    assert!(sms_messages::Entity::find()
        .filter(sms_messages::Column::ToPhone.eq(PHONE))
        .one(&app.db)
        .await
        .unwrap()
        .is_none());
}
