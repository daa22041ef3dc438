//! SMS providers and delivery (K2), against a real HTTP gateway on loopback that the test
//! answers by hand: the outbox keeps its messages to read, an HTTP provider gets JSON or form
//! bodies with its Authorization header, refusals are retried, silence and closed ports fail
//! with their error surfaced, texts are dropped once the gateway has them, and the header is
//! never shown back.

use std::{collections::VecDeque, sync::Arc, time::Duration};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
    sync::Mutex,
};

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, Person, TestApp};

both_databases!(
    the_outbox_keeps_test_messages_with_their_text,
    an_http_gateway_receives_json_and_form_with_its_header,
    a_refusing_gateway_is_tried_again_until_it_accepts,
    a_silent_gateway_and_a_closed_port_fail_with_their_error,
    the_cabinet_provider_and_the_outbox_cannot_be_deleted,
    providers_and_messages_stay_within_the_account,
    sign_in_codes_reach_the_cabinet_gateway,
    several_workers_send_each_message_once,
);

const PASSWORD: &str = "a long enough secret phrase";
const SECRET: &str = "Bearer s3cret-gateway-key";

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "body: {body}");
    body
}

async fn admin_of(app: &TestApp, account: &str, email: &str) -> (Person, String) {
    let person = app.create_account(account, email, "Admin", PASSWORD).await;
    let token = app.login(&person).await.access_token;
    (person, token)
}

/// One request as the gateway received it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the gateway answers one request.
#[derive(Debug, Clone)]
enum Answer {
    Status(u16, &'static str),
    /// Reads the request and never answers.
    Silence,
}

/// A hand-answered HTTP/1.1 gateway: answers in the order given, then 200.
struct Gateway {
    url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Gateway {
    async fn start(answers: Vec<Answer>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!(
            "http://{}/send?key=in-the-url",
            listener.local_addr().unwrap()
        );
        let received = Arc::new(Mutex::new(Vec::new()));
        let answers = Arc::new(Mutex::new(VecDeque::from(answers)));
        let kept = received.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let kept = kept.clone();
                let answers = answers.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    kept.lock().await.push(request);
                    let answer = answers
                        .lock()
                        .await
                        .pop_front()
                        .unwrap_or(Answer::Status(200, "{\"ok\":true}"));
                    match answer {
                        Answer::Status(status, body) => {
                            let response = format!(
                                "HTTP/1.1 {status} Whatever\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                                body.len()
                            );
                            let _ = stream.write_all(response.as_bytes()).await;
                            let _ = stream.shutdown().await;
                        }
                        Answer::Silence => {
                            tokio::time::sleep(Duration::from_secs(60)).await;
                        }
                    }
                });
            }
        });
        Self { url, received }
    }

    async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..300 {
            let received = self.received.lock().await.clone();
            if received.len() >= n {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the gateway did not receive {n} request(s)");
    }
}

async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    Some(Received {
        path,
        headers,
        body: String::from_utf8_lossy(&data[head_end..]).to_string(),
    })
}

fn webhook(url: &str, format: &str, retries: u8) -> Value {
    json!({
        "url": url,
        "format": format,
        "phone_field": "to",
        "text_field": "message",
        "sender": "Acme",
        "timeout_ms": 500,
        "retries": retries,
        "authorization": SECRET
    })
}

async fn create_http(app: &TestApp, token: &str, webhook: Value) -> Value {
    let created = app
        .post_auth(
            "/api/v1/sms-providers",
            token,
            &json!({ "name": "Gateway", "kind": "http", "webhook": webhook }),
        )
        .await;
    let text = created.text().await.unwrap();
    assert!(!text.contains("s3cret"), "{text}");
    let created: Value = serde_json::from_str(&text).unwrap();
    assert!(created["id"].is_i64(), "{created}");
    created
}

async fn send_test(app: &TestApp, token: &str, provider: i64) -> Value {
    json_of(
        app.post_auth(
            &format!("/api/v1/sms-providers/{provider}/test"),
            token,
            &json!({ "phone": "+7 912 345-67-89" }),
        )
        .await,
        StatusCode::ACCEPTED,
    )
    .await
}

/// Polls the SMS log until the message is sent or failed (at most 15 s).
async fn settled(app: &TestApp, token: &str, id: i64) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let page = json_of(
            app.get_auth("/api/v1/sms-messages?per_page=250", token)
                .await,
            StatusCode::OK,
        )
        .await;
        let message = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == id)
            .cloned()
            .unwrap();
        if message["status"] == "sent" || message["status"] == "failed" {
            return message;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still {message} after 15 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The providers as listed, checked to hold no secret.
async fn providers(app: &TestApp, token: &str) -> Value {
    let response = app.get_auth("/api/v1/sms-providers", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert!(!text.contains("s3cret"), "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn the_outbox_keeps_test_messages_with_their_text(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let list = providers(&app, &token).await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["kind"], "outbox");
    assert_eq!(list[0]["name"], "SMS outbox");
    assert!(list[0].get("webhook").is_none());
    let outbox = list[0]["id"].as_i64().unwrap();
    // Reading again makes no second outbox.
    assert_eq!(providers(&app, &token).await, list);

    let queued = send_test(&app, &token, outbox).await;
    assert_eq!(queued["status"], "outbox");
    assert_eq!(queued["to"], "+79123456789");
    assert_eq!(queued["purpose"], "test");
    assert_eq!(queued["provider_kind"], "outbox");
    assert_eq!(queued["provider_id"], outbox);
    assert!(
        queued["body"].as_str().unwrap().contains("Acme"),
        "{queued}"
    );
    let log = json_of(
        app.get_auth("/api/v1/sms-messages", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0], queued);
    // The outbox keeps its message: nothing carries it anywhere.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let log = json_of(
        app.get_auth("/api/v1/sms-messages?status=outbox", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["items"][0], queued);
    let none = json_of(
        app.get_auth("/api/v1/sms-messages?status=sent", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(none["total"], 0);
    assert_problem(
        app.get_auth("/api/v1/sms-messages?status=lost", &token)
            .await,
        400,
        "invalid_query",
    )
    .await;

    let problem = assert_problem(
        app.post_auth(
            &format!("/api/v1/sms-providers/{outbox}/test"),
            &token,
            &json!({ "phone": "12" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "phone");
    assert_eq!(problem.errors[0].code, "phone_invalid");

    // One outbox per account; it may be renamed, not given a webhook.
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/sms-providers",
            &token,
            &json!({ "name": "Second", "kind": "outbox" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "kind_invalid");
    let renamed = json_of(
        app.put_auth(
            &format!("/api/v1/sms-providers/{outbox}"),
            &token,
            &json!({ "name": "Outbox", "kind": "outbox" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(renamed["name"], "Outbox");
    let problem = assert_problem(
        app.put_auth(
            &format!("/api/v1/sms-providers/{outbox}"),
            &token,
            &json!({ "name": "Outbox", "kind": "http", "webhook": webhook("http://127.0.0.1:9/", "json", 0) }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "kind_invalid");
    // An HTTP provider without its webhook, or with a bad one, names the fields.
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/sms-providers",
            &token,
            &json!({ "name": "", "kind": "http" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let codes: Vec<_> = problem.errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, ["name_empty", "webhook_required"]);
    let mut bad = webhook("ftp://x", "json", 9);
    bad["timeout_ms"] = json!(10);
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/sms-providers",
            &token,
            &json!({ "name": "G", "kind": "http", "webhook": bad }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<_> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        ["webhook.url", "webhook.timeout_ms", "webhook.retries"]
    );
}

async fn an_http_gateway_receives_json_and_form_with_its_header(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let gateway = Gateway::start(Vec::new()).await;
    let created = create_http(&app, &token, webhook(&gateway.url, "json", 1)).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["kind"], "http");
    assert_eq!(created["webhook"]["has_authorization"], true);
    assert_eq!(created["webhook"]["url"], gateway.url);
    assert!(created["webhook"].get("authorization").is_none());

    let queued = send_test(&app, &token, id).await;
    assert_eq!(queued["status"], "queued");
    let text = queued["body"].as_str().unwrap().to_owned();
    let sent = settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    assert_eq!(sent["status"], "sent", "{sent}");
    assert_eq!(sent["attempts"], 1);
    assert!(sent["sent_at"].is_string());
    assert!(sent.get("body").is_none(), "the text is dropped: {sent}");
    let received = gateway.wait_for(1).await;
    let first = &received[0];
    assert_eq!(first.path, "/send?key=in-the-url");
    assert_eq!(first.header("authorization"), Some(SECRET));
    assert!(first
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let body: Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(
        body,
        json!({ "to": "+79123456789", "message": text, "sender": "Acme" })
    );

    // Form-encoded; an absent authorization keeps the stored header.
    let mut form = webhook(&gateway.url, "form", 1);
    form.as_object_mut().unwrap().remove("authorization");
    form.as_object_mut().unwrap().remove("sender");
    let changed = json_of(
        app.put_auth(
            &format!("/api/v1/sms-providers/{id}"),
            &token,
            &json!({ "name": "Gateway (form)", "kind": "http", "webhook": form }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["webhook"]["has_authorization"], true);
    assert_eq!(changed["webhook"]["format"], "form");
    let queued = send_test(&app, &token, id).await;
    let sent = settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    assert_eq!(sent["status"], "sent", "{sent}");
    let received = gateway.wait_for(2).await;
    let second = &received[1];
    assert_eq!(second.header("authorization"), Some(SECRET));
    assert_eq!(
        second.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let pairs: Vec<(String, String)> = url_pairs(&second.body);
    assert_eq!(
        pairs,
        [
            ("to".to_owned(), "+79123456789".to_owned()),
            (
                "message".to_owned(),
                queued["body"].as_str().unwrap().to_owned()
            ),
        ]
    );

    // An empty authorization removes the header.
    let mut plain = webhook(&gateway.url, "json", 1);
    plain["authorization"] = json!("");
    let changed = json_of(
        app.put_auth(
            &format!("/api/v1/sms-providers/{id}"),
            &token,
            &json!({ "name": "Gateway", "kind": "http", "webhook": plain }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(changed["webhook"]["has_authorization"], false);
    let queued = send_test(&app, &token, id).await;
    settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    let received = gateway.wait_for(3).await;
    assert_eq!(received[2].header("authorization"), None);

    let list = providers(&app, &token).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[1]["id"], id);
    let log = app
        .get_auth("/api/v1/sms-messages", &token)
        .await
        .text()
        .await
        .unwrap();
    assert!(!log.contains("s3cret"), "{log}");
}

/// `a=b&c=d`, decoded.
fn url_pairs(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

async fn a_refusing_gateway_is_tried_again_until_it_accepts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let gateway = Gateway::start(vec![Answer::Status(500, "busy, try later")]).await;
    let id = create_http(&app, &token, webhook(&gateway.url, "json", 2)).await["id"]
        .as_i64()
        .unwrap();
    let queued = send_test(&app, &token, id).await;
    let sent = settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    assert_eq!(sent["status"], "sent", "{sent}");
    assert_eq!(sent["attempts"], 2);
    assert!(sent.get("body").is_none(), "{sent}");
    assert_eq!(gateway.wait_for(2).await.len(), 2);

    // A gateway that refuses every try: failed once the retries are spent, its answer kept.
    let refusing = Gateway::start(vec![
        Answer::Status(503, "down for maintenance"),
        Answer::Status(500, "still down\nreally"),
    ])
    .await;
    let id = create_http(&app, &token, webhook(&refusing.url, "json", 1)).await["id"]
        .as_i64()
        .unwrap();
    let queued = send_test(&app, &token, id).await;
    let failed = settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["attempts"], 2);
    assert_eq!(failed["error"], "HTTP 500: still down really");
    assert!(failed.get("body").is_none(), "{failed}");
    assert!(failed.get("sent_at").is_none(), "{failed}");
    let only_failed = json_of(
        app.get_auth("/api/v1/sms-messages?status=failed", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(only_failed["total"], 1);
}

async fn a_silent_gateway_and_a_closed_port_fail_with_their_error(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let silent = Gateway::start(vec![Answer::Silence]).await;
    let id = create_http(&app, &token, webhook(&silent.url, "json", 0)).await["id"]
        .as_i64()
        .unwrap();
    let queued = send_test(&app, &token, id).await;
    let failed = settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["attempts"], 1);
    assert_eq!(failed["error"], "no answer within 500 ms");
    assert!(failed.get("body").is_none(), "{failed}");

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let id = create_http(
        &app,
        &token,
        webhook(&format!("http://127.0.0.1:{closed}/send"), "form", 0),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let queued = send_test(&app, &token, id).await;
    let failed = settled(&app, &token, queued["id"].as_i64().unwrap()).await;
    assert_eq!(failed["status"], "failed", "{failed}");
    let error = failed["error"].as_str().unwrap();
    assert!(
        error.starts_with("cannot connect to the gateway"),
        "{error}"
    );
    assert!(error.to_lowercase().contains("refused"), "{error}");
}

async fn the_cabinet_provider_and_the_outbox_cannot_be_deleted(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let outbox = providers(&app, &token).await[0]["id"].as_i64().unwrap();
    let problem = assert_problem(
        app.delete_auth(&format!("/api/v1/sms-providers/{outbox}"), &token)
            .await,
        409,
        "conflict",
    )
    .await;
    assert!(problem.detail.unwrap().contains("outbox"));

    let gateway = Gateway::start(Vec::new()).await;
    let id = create_http(&app, &token, webhook(&gateway.url, "json", 0)).await["id"]
        .as_i64()
        .unwrap();
    let settings = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    let mut input = json!({});
    for key in [
        "enabled",
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
    input["enabled"] = json!(true);
    input["sms_provider_id"] = json!(id);
    let saved = json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &input)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["sms_provider_id"], id);
    let problem = assert_problem(
        app.delete_auth(&format!("/api/v1/sms-providers/{id}"), &token)
            .await,
        409,
        "conflict",
    )
    .await;
    assert!(problem.detail.unwrap().contains("cabinet"));

    input["sms_provider_id"] = json!(outbox);
    json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &input)
            .await,
        StatusCode::OK,
    )
    .await;
    let deleted = app
        .delete_auth(&format!("/api/v1/sms-providers/{id}"), &token)
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(providers(&app, &token).await.as_array().unwrap().len(), 1);
    assert_problem(
        app.delete_auth(&format!("/api/v1/sms-providers/{id}"), &token)
            .await,
        404,
        "not_found",
    )
    .await;
}

async fn providers_and_messages_stay_within_the_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let gateway = Gateway::start(Vec::new()).await;
    let id = create_http(&app, &token, webhook(&gateway.url, "json", 0)).await["id"]
        .as_i64()
        .unwrap();
    let outbox = providers(&app, &token).await[0]["id"].as_i64().unwrap();
    send_test(&app, &token, outbox).await;

    let (_, foreign) = admin_of(&app, "Other", "olga@other.example.com").await;
    let theirs = providers(&app, &foreign).await;
    assert_eq!(theirs.as_array().unwrap().len(), 1);
    assert_ne!(theirs[0]["id"], outbox);
    let change =
        json!({ "name": "Mine now", "kind": "http", "webhook": webhook(&gateway.url, "json", 0) });
    for provider in [id, outbox] {
        assert_problem(
            app.put_auth(
                &format!("/api/v1/sms-providers/{provider}"),
                &foreign,
                &change,
            )
            .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.delete_auth(&format!("/api/v1/sms-providers/{provider}"), &foreign)
                .await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            app.post_auth(
                &format!("/api/v1/sms-providers/{provider}/test"),
                &foreign,
                &json!({ "phone": "+79123456789" }),
            )
            .await,
            404,
            "not_found",
        )
        .await;
    }
    let log = json_of(
        app.get_auth("/api/v1/sms-messages", &foreign).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 0);
    assert_eq!(log["items"], json!([]));
    assert_eq!(providers(&app, &token).await[1]["name"], "Gateway");

    // A member who is not an administrator reaches none of it.
    json_of(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": "Member", "email": "mark@acme.example.com", "password": PASSWORD }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let member = app
        .login(&Person {
            account_id: 0,
            email: "mark@acme.example.com".to_owned(),
            password: PASSWORD.to_owned(),
        })
        .await
        .access_token;
    assert_problem(
        app.get_auth("/api/v1/sms-providers", &member).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_auth(
            "/api/v1/sms-providers",
            &member,
            &json!({ "name": "G", "kind": "http", "webhook": webhook(&gateway.url, "json", 0) }),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.put_auth(&format!("/api/v1/sms-providers/{id}"), &member, &change)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.delete_auth(&format!("/api/v1/sms-providers/{id}"), &member)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post_auth(
            &format!("/api/v1/sms-providers/{outbox}/test"),
            &member,
            &json!({ "phone": "+79123456789" }),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/sms-messages", &member).await,
        403,
        "forbidden",
    )
    .await;
}

/// The cabinet's own flow: a client asks for a sign-in code, the chosen HTTP provider carries
/// it, and the log keeps no trace of it once the gateway has it.
async fn sign_in_codes_reach_the_cabinet_gateway(backend: Backend) {
    let app = spawn_app(backend).await;
    let (anna, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let gateway = Gateway::start(Vec::new()).await;
    let id = create_http(&app, &token, webhook(&gateway.url, "json", 0)).await["id"]
        .as_i64()
        .unwrap();
    json_of(
        app.post_auth(
            "/api/v1/contacts",
            &token,
            &json!({ "name": "Ivan Petrov", "phones": ["+7 912 345-67-89"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let settings = json_of(
        app.get_auth("/api/v1/cabinet-settings", &token).await,
        StatusCode::OK,
    )
    .await;
    let mut input = json!({});
    for key in [
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
    input["enabled"] = json!(true);
    input["sms_provider_id"] = json!(id);
    json_of(
        app.put_auth("/api/v1/cabinet-settings", &token, &input)
            .await,
        StatusCode::OK,
    )
    .await;
    let asked = app
        .post(
            &format!("/api/v1/cabinet/{}/codes", anna.account_id),
            &json!({ "phone": "+79123456789" }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let received = gateway.wait_for(1).await;
    let body: Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["to"], "+79123456789");
    let text = body["message"].as_str().unwrap();
    let code = text
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| part.len() == 6)
        .unwrap_or_else(|| panic!("no code in {text:?}"))
        .to_owned();
    assert_eq!(received[0].header("authorization"), Some(SECRET));
    let log = json_of(
        app.get_auth("/api/v1/sms-messages", &token).await,
        StatusCode::OK,
    )
    .await;
    let message_id = log["items"][0]["id"].as_i64().unwrap();
    assert_eq!(log["items"][0]["purpose"], "login");
    let sent = settled(&app, &token, message_id).await;
    assert_eq!(sent["status"], "sent", "{sent}");
    assert!(sent.get("body").is_none(), "{sent}");
    let log = json_of(
        app.get_auth("/api/v1/sms-messages", &token).await,
        StatusCode::OK,
    )
    .await;
    for item in log["items"].as_array().unwrap() {
        let kept = item["body"].as_str().unwrap_or_default();
        assert!(
            !kept.contains(&code),
            "the code stays out of the log: {item}"
        );
    }
}

/// Instances sharing a database share the queue: each message is taken by one worker only.
async fn several_workers_send_each_message_once(backend: Backend) {
    use gatehouse_api::entities::{sms_messages, sms_providers};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let app = spawn_app(backend).await;
    let (anna, token) = admin_of(&app, "Acme", "anna@acme.example.com").await;
    let gateway = Gateway::start(Vec::new()).await;
    let id = create_http(&app, &token, webhook(&gateway.url, "json", 0)).await["id"]
        .as_i64()
        .unwrap();
    let provider = sms_providers::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // Two more workers beside the server's own, as two more instances would run.
    let couriers: Vec<_> = (0..2)
        .map(|_| {
            let courier = gatehouse_api::sms::Courier::default();
            gatehouse_api::sms::delivery::start(app.db.clone(), courier.clone());
            courier
        })
        .collect();
    for n in 0..12 {
        gatehouse_api::sms::queue(
            &app.db,
            &provider,
            &format!("+7912345670{n:02}"),
            gatehouse_domain::sms::SmsPurpose::Test,
            format!("message {n}"),
        )
        .await
        .unwrap();
    }
    for courier in &couriers {
        courier.wake();
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let sent = sms_messages::Entity::find()
            .filter(sms_messages::Column::AccountId.eq(anna.account_id))
            .filter(sms_messages::Column::Status.eq("sent"))
            .count(&app.db)
            .await
            .unwrap();
        if sent == 12 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{sent} of 12 sent");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A second send would have come by now, the workers polling every second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let received = gateway.received.lock().await.clone();
    let mut phones: Vec<String> = received
        .iter()
        .map(|r| {
            serde_json::from_str::<Value>(&r.body).unwrap()["to"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    phones.sort();
    phones.dedup();
    assert_eq!((received.len(), phones.len()), (12, 12));
}
