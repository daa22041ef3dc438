//! Cabinet settings (K1): the defaults in the account's language with the cabinet's link,
//! every item saved and read back, each refused value naming its field, the logo checked by
//! decoding and served publicly only while the cabinet is on, and the settings kept to the
//! account's administrators.

use std::io::Cursor;

use gatehouse_api::entities::{accounts, audit_events};
use gatehouse_domain::{cabinet::default_templates, people::Language, sms::measure};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, Person, TestApp};

both_databases!(
    settings_start_from_the_defaults_in_the_account_language,
    every_setting_is_saved_and_read_back,
    refused_settings_name_each_field,
    the_logo_is_checked_by_decoding_and_shown_while_the_cabinet_is_on,
    only_the_account_administrators_reach_the_settings,
);

const PASSWORD: &str = "a long enough secret phrase";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "body: {body}");
    body
}

/// An account with its administrator signed in.
async fn admin_of(app: &TestApp, account: &str, email: &str) -> (Person, String) {
    let person = app.create_account(account, email, "Admin", PASSWORD).await;
    let token = app.login(&person).await.access_token;
    (person, token)
}

/// A member who is not an administrator, signed in.
async fn plain_member(app: &TestApp, admin_token: &str, email: &str) -> String {
    json_of(
        app.post_auth(
            "/api/v1/users",
            admin_token,
            &json!({ "name": "Member", "email": email, "password": PASSWORD }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let person = Person {
        account_id: 0,
        email: email.to_owned(),
        password: PASSWORD.to_owned(),
    };
    app.login(&person).await.access_token
}

async fn outbox_id(app: &TestApp, token: &str) -> i64 {
    let providers = json_of(
        app.get_auth("/api/v1/sms-providers", token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(providers[0]["kind"], "outbox", "{providers}");
    providers[0]["id"].as_i64().unwrap()
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

async fn custom_field(app: &TestApp, token: &str, entity: &str, name: &str) -> i64 {
    json_of(
        app.post_auth(
            "/api/v1/custom-fields",
            token,
            &json!({ "entity": entity, "name": name, "kind": "text" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

/// The settings as read, turned into a body for saving.
fn as_input(settings: &Value) -> Value {
    let mut input = json!({});
    for key in [
        "enabled",
        "sms_provider_id",
        "login_template",
        "deletion_template",
        "language",
        "header_text",
        "chat_enabled",
        "show_company",
        "show_client_name",
        "event_kinds",
        "fields",
        "stages",
        "deletion_enabled",
    ] {
        input[key] = settings[key].clone();
    }
    input
}

async fn settings_start_from_the_defaults_in_the_account_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let settings = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    let (login, deletion) = default_templates(Language::En);
    assert_eq!(settings["enabled"], false);
    assert_eq!(settings["language"], "en");
    assert_eq!(settings["login_template"], login);
    assert_eq!(settings["deletion_template"], deletion);
    assert_eq!(
        settings["login_length"]["chars"],
        measure(login).unwrap().chars
    );
    assert_eq!(settings["login_length"]["segments"], 1);
    assert_eq!(
        settings["link"],
        format!("{}/cabinet/{}", app.address, anna.account_id)
    );
    assert_eq!(settings["sms_provider_id"], outbox_id(&app, &token).await);
    assert_eq!(settings["chat_enabled"], true);
    assert_eq!(settings["deletion_enabled"], false);
    assert_eq!(
        settings["event_kinds"],
        json!([
            "stage_changed",
            "incoming_chat_message",
            "outgoing_chat_message"
        ])
    );
    assert!(settings.get("logo_url").is_none(), "{settings}");
    assert!(settings.get("updated_at").is_none(), "{settings}");

    // A Russian account starts in Russian.
    let (boris, boris_token) = admin_of(&app, "Рога", "boris@roga.example.com").await;
    let mut account: accounts::ActiveModel = accounts::Entity::find_by_id(boris.account_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    account.language = Set("ru".to_owned());
    account.update(&app.db).await.unwrap();
    let settings = json_of(
        app.get_auth("/api/v1/cabinet-settings", &boris_token).await,
        StatusCode::OK,
    )
    .await;
    let (login, deletion) = default_templates(Language::Ru);
    assert_eq!(settings["language"], "ru");
    assert_eq!(settings["login_template"], login);
    assert_eq!(settings["deletion_template"], deletion);
    assert_eq!(settings["login_length"]["unicode"], true);
    assert_eq!(
        settings["link"],
        format!("{}/cabinet/{}", app.address, boris.account_id)
    );
}

async fn every_setting_is_saved_and_read_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let outbox = outbox_id(&app, &token).await;
    let budget = custom_field(&app, &token, "leads", "Budget").await;
    let stages = stages_of(&app, &token).await;
    let input = json!({
        "enabled": true,
        "sms_provider_id": outbox,
        "login_template": "{{contact.first_name}}, code {{code}}",
        "deletion_template": "Erase at {{account.name}}: {{code}}",
        "language": "pt",
        "header_text": "Seus negócios",
        "chat_enabled": false,
        "show_company": false,
        "show_client_name": false,
        "event_kinds": ["email", "incoming_call", "outgoing_sms", "stage_changed"],
        "fields": [
            { "field": "price", "alias": "Orçamento" },
            { "field": format!("custom.{budget}"), "alias": "Verba" },
            { "field": "created_at", "alias": "Desde" }
        ],
        "stages": [
            { "stage_id": stages[1], "name": "Em andamento" },
            { "stage_id": stages[0], "name": "Novo" }
        ],
        "deletion_enabled": true
    });
    let saved = json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &input)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(as_input(&saved), input);
    assert_eq!(saved["login_length"]["chars"], 15 + 7 + 6);
    assert_eq!(saved["login_length"]["unicode"], true);
    assert!(saved["updated_at"].is_string());
    assert_eq!(
        saved["link"],
        format!("{}/cabinet/{}", app.address, anna.account_id)
    );
    let read = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(read, saved);

    // A second save replaces the first; the audit log names what changed, not the texts.
    let mut again = input.clone();
    again["enabled"] = json!(false);
    again["fields"] = json!([]);
    again["stages"] = json!([]);
    let saved = json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &again)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(as_input(&saved), again);
    let audit = audit_events::Entity::find()
        .filter(audit_events::Column::AccountId.eq(anna.account_id))
        .filter(audit_events::Column::Action.eq("cabinet_settings_changed"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    let details: Value = serde_json::from_str(&audit[1].details).unwrap();
    assert_eq!(
        details["changed"],
        json!(["enabled", "fields", "stages"]),
        "{details}"
    );
    assert!(!audit[1].details.contains("{{code}}"), "{details}");
}

fn has_error(problem: &gatehouse_domain::problem::Problem, field: &str, code: &str) -> bool {
    problem
        .errors
        .iter()
        .any(|e| e.field == field && e.code == code)
}

async fn refused_settings_name_each_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let (_, foreign_token) = admin_of(&app, "Other", "olga@other.example.com").await;
    let defaults = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    let base = as_input(&defaults);
    let contact_field = custom_field(&app, &token, "contacts", "Birthday").await;
    let foreign_outbox = outbox_id(&app, &foreign_token).await;
    let foreign_stage = stages_of(&app, &foreign_token).await[0];
    let own_stage = stages_of(&app, &token).await[0];

    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({ "login_template": format!("{}{{{{contact.name}}}}{{{{code}}}}", "a".repeat(40)) }),
            "login_template",
            "template_too_long",
        ),
        (
            json!({ "deletion_template": "{{contact.phone}} {{code}}" }),
            "deletion_template",
            "template_unknown_marker",
        ),
        (
            json!({ "login_template": "Hello {{contact.name}}" }),
            "login_template",
            "template_code_missing",
        ),
        (
            json!({ "enabled": true, "sms_provider_id": null }),
            "sms_provider_id",
            "sms_provider_required",
        ),
        (
            json!({ "sms_provider_id": 999_999 }),
            "sms_provider_id",
            "sms_provider_unknown",
        ),
        (
            json!({ "sms_provider_id": foreign_outbox }),
            "sms_provider_id",
            "sms_provider_unknown",
        ),
        (
            json!({ "fields": [{ "field": "custom.999999", "alias": "X" }] }),
            "fields[0].field",
            "field_unknown",
        ),
        (
            json!({ "fields": [{ "field": "price", "alias": "P" }, { "field": format!("custom.{contact_field}"), "alias": "B" }] }),
            "fields[1].field",
            "field_unknown",
        ),
        (
            json!({ "fields": [{ "field": "phone", "alias": "P" }] }),
            "fields[0].field",
            "field_unknown",
        ),
        (
            json!({ "stages": [{ "stage_id": 999_999, "name": "S" }] }),
            "stages[0].stage_id",
            "stage_unknown",
        ),
        (
            json!({ "stages": [{ "stage_id": own_stage, "name": "Mine" }, { "stage_id": foreign_stage, "name": "Theirs" }] }),
            "stages[1].stage_id",
            "stage_unknown",
        ),
        (
            json!({ "header_text": "h".repeat(201) }),
            "header_text",
            "header_too_long",
        ),
        (
            json!({ "event_kinds": ["personal_data_erased"] }),
            "event_kinds[0]",
            "event_kind_not_shown",
        ),
    ];
    for (change, field, code) in cases {
        let mut body = base.clone();
        for (key, value) in change.as_object().unwrap() {
            body[key] = value.clone();
        }
        let problem = assert_problem(
            app.put_auth("/api/v1/cabinet-settings", &token, &body)
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert!(
            has_error(&problem, field, code),
            "{field} {code}: {:?}",
            problem.errors
        );
    }
    // Several wrongs at once are all listed.
    let mut body = base.clone();
    body["sms_provider_id"] = json!(999_999);
    body["stages"] = json!([{ "stage_id": 999_999, "name": "S" }]);
    body["login_template"] = json!("no code");
    let problem = assert_problem(
        app.put_auth("/api/v1/cabinet-settings", &token, &body)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_error(
        &problem,
        "sms_provider_id",
        "sms_provider_unknown"
    ));
    assert!(has_error(&problem, "stages[0].stage_id", "stage_unknown"));
    assert!(has_error(
        &problem,
        "login_template",
        "template_code_missing"
    ));
    // An unknown key is refused, and nothing was saved by any of it.
    let mut body = base.clone();
    body["colour"] = json!("red");
    assert_problem(
        app.put_auth("/api/v1/cabinet-settings", &token, &body)
            .await,
        400,
        "invalid_body",
    )
    .await;
    let after = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(after, defaults);
}

/// A PNG of this size, in a few colours.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 128, 255])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A PNG of noise, which does not compress: about 4 bytes a pixel.
fn noise_png(width: u32, height: u32) -> Vec<u8> {
    let mut state: u32 = 12345;
    let image = image::RgbaImage::from_fn(width, height, |_, _| {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, d] = state.to_le_bytes();
        image::Rgba([a, b, c, d])
    });
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 0, 0]));
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid PNG header announcing a 50 000 × 50 000 image (10 GB decoded), with hardly any data.
fn bomb_header() -> Vec<u8> {
    let mut out = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        out.extend_from_slice(&typed);
        out.extend_from_slice(&crc32(&typed).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    // The start of a zlib stream: a decoder that trusted the header would now allocate.
    chunk(b"IDAT", &[0x78, 0x9C, 0x62, 0x60, 0x18, 0x05]);
    chunk(b"IEND", &[]);
    out
}

async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/cabinet-settings/logo"))
        .bearer_auth(token)
        .header("content-type", "image/png")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn public_logo(app: &TestApp, account_id: i64) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/cabinet/{account_id}/logo")))
        .send()
        .await
        .unwrap()
}

async fn assert_logo_refused(app: &TestApp, token: &str, bytes: Vec<u8>, code: &str) {
    let problem = assert_problem(upload(app, token, bytes).await, 422, "validation_failed").await;
    assert!(
        has_error(&problem, "logo", code),
        "{code}: {:?}",
        problem.errors
    );
}

async fn the_logo_is_checked_by_decoding_and_shown_while_the_cabinet_is_on(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let logo = png(200, 100);
    let saved = json_of(upload(&app, &token, logo.clone()).await, StatusCode::OK).await;
    let logo_url = saved["logo_url"].as_str().unwrap().to_owned();
    assert!(
        logo_url.starts_with(&format!("/api/v1/cabinet/{}/logo?v=", anna.account_id)),
        "{logo_url}"
    );
    // Off, the cabinet shows nothing — the same as for an account that does not exist.
    assert_problem(
        public_logo(&app, anna.account_id).await,
        404,
        "cabinet_unavailable",
    )
    .await;
    assert_problem(public_logo(&app, 999_999).await, 404, "cabinet_unavailable").await;

    let mut input = as_input(&saved);
    input["enabled"] = json!(true);
    let saved = json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &input)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["logo_url"], logo_url, "saving keeps the logo");
    let served = app
        .client
        .get(app.url(&logo_url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let header = |name: &str| {
        served
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("cache-control"), "public, max-age=86400");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(served.bytes().await.unwrap().to_vec(), logo);

    // Decoding decides, not the name or the content type.
    assert_logo_refused(&app, &token, jpeg(200, 100), "logo_not_png").await;
    assert_logo_refused(
        &app,
        &token,
        b"not an image at all".repeat(50),
        "logo_not_png",
    )
    .await;
    let mut cut = png(200, 100);
    cut.truncate(cut.len() / 2);
    assert_logo_refused(&app, &token, cut, "logo_not_png").await;
    assert_logo_refused(&app, &token, Vec::new(), "logo_not_png").await;
    assert_logo_refused(&app, &token, png(79, 40), "logo_too_small").await;
    assert_logo_refused(&app, &token, png(80, 39), "logo_too_small").await;
    assert_logo_refused(&app, &token, png(801, 100), "logo_too_large").await;
    // A header promising a huge bitmap is refused from the header alone.
    assert_logo_refused(&app, &token, bomb_header(), "logo_too_large").await;
    let heavy = noise_png(800, 800);
    assert!(heavy.len() > 500 * 1024);
    let problem = assert_problem(upload(&app, &token, heavy).await, 413, "payload_too_large").await;
    assert!(problem.detail.unwrap().contains("500 KB"));
    // Far above the 64 KB of JSON bodies, within the logo's 500 KB.
    let weighty = noise_png(300, 300);
    assert!(
        (300 * 1024..500 * 1024).contains(&weighty.len()),
        "{}",
        weighty.len()
    );
    json_of(upload(&app, &token, weighty).await, StatusCode::OK).await;
    // The bounds themselves are fine.
    json_of(upload(&app, &token, png(80, 40)).await, StatusCode::OK).await;
    let last = json_of(upload(&app, &token, png(800, 800)).await, StatusCode::OK).await;
    assert_ne!(
        last["logo_url"],
        json!(logo_url),
        "a new upload, a new address"
    );

    let removed = app
        .delete_auth("/api/v1/cabinet-settings/logo", &token)
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert_problem(public_logo(&app, anna.account_id).await, 404, "not_found").await;
    let settings = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    assert!(settings.get("logo_url").is_none(), "{settings}");
    assert_eq!(settings["enabled"], true);
}

async fn only_the_account_administrators_reach_the_settings(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let member = plain_member(&app, &token, "mark@acme.example.com").await;
    let defaults = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    let input = as_input(&defaults);

    assert_problem(
        app.get_auth("/api/v1/cabinet-settings", &member).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.put_auth("/api/v1/cabinet-settings", &member, &input)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(upload(&app, &member, png(100, 100)).await, 403, "forbidden").await;
    assert_problem(
        app.delete_auth("/api/v1/cabinet-settings/logo", &member)
            .await,
        403,
        "forbidden",
    )
    .await;
    // Without a token at all.
    let anonymous = app
        .client
        .get(app.url("/api/v1/cabinet-settings"))
        .send()
        .await
        .unwrap();
    assert_problem(anonymous, 401, "unauthenticated").await;

    // Another account's administrator reads and changes only their own.
    let mut changed = input.clone();
    changed["enabled"] = json!(true);
    changed["header_text"] = json!("Acme's cabinet");
    json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &changed)
            .await,
        StatusCode::OK,
    )
    .await;
    json_of(upload(&app, &token, png(100, 100)).await, StatusCode::OK).await;
    let (olga, foreign) = admin_of(&app, "Other", "olga@other.example.com").await;
    let theirs = json_of(
        app.get_auth("/api/v1/cabinet-settings", &foreign).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(theirs["enabled"], false);
    assert_eq!(theirs["header_text"], "");
    assert!(theirs.get("logo_url").is_none());
    assert_eq!(
        theirs["link"],
        format!("{}/cabinet/{}", app.address, olga.account_id)
    );
    // Naming Acme's provider is naming an unknown one.
    let mut foreign_input = as_input(&theirs);
    foreign_input["sms_provider_id"] = defaults["sms_provider_id"].clone();
    let problem = assert_problem(
        app.put_auth("/api/v1/cabinet-settings", &foreign, &foreign_input)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(has_error(
        &problem,
        "sms_provider_id",
        "sms_provider_unknown"
    ));
    let removed = app
        .delete_auth("/api/v1/cabinet-settings/logo", &foreign)
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let ours = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ours["header_text"], "Acme's cabinet");
    assert!(
        ours["logo_url"].is_string(),
        "Olga's removal left Acme's logo"
    );
    assert_eq!(
        public_logo(&app, anna.account_id).await.status(),
        StatusCode::OK
    );
}
