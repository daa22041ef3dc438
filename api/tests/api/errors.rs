//! Every malformed request gets problem+json with a stable code: never a 5xx, never a bare page.

use serde_json::json;

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend};

both_databases!(
    malformed_requests_get_problem_json_on_every_endpoint,
    health_checks_answer
);

async fn malformed_requests_get_problem_json_on_every_endpoint(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let json_endpoints = [
        ("POST", "/api/v1/auth/login", false),
        ("POST", "/api/v1/auth/refresh", false),
        ("POST", "/api/v1/auth/switch-account", true),
        ("PATCH", "/api/v1/me", true),
    ];
    for (method, path, authed) in json_endpoints {
        let request = |body: &'static str, content_type: &'static str| {
            let mut builder = app
                .client
                .request(method.parse().unwrap(), app.url(path))
                .header("content-type", content_type)
                .body(body);
            if authed {
                builder = builder.bearer_auth(&token);
            }
            builder.send()
        };
        assert_problem(
            request("{\"ema", "application/json").await.unwrap(),
            400,
            "malformed_json",
        )
        .await;
        assert_problem(
            request("{'single': 1}", "application/json").await.unwrap(),
            400,
            "malformed_json",
        )
        .await;
        assert_problem(
            request("{\"unexpected\": 1}", "application/json")
                .await
                .unwrap(),
            400,
            "invalid_body",
        )
        .await;
        assert_problem(
            request("\"a string\"", "application/json").await.unwrap(),
            400,
            "invalid_body",
        )
        .await;
        assert_problem(
            request("email=a", "application/x-www-form-urlencoded")
                .await
                .unwrap(),
            415,
            "unsupported_media_type",
        )
        .await;
        let huge =
            Box::leak(format!("{{\"email\": \"{}\"}}", "a".repeat(100_000)).into_boxed_str());
        assert_problem(
            request(huge, "application/json").await.unwrap(),
            413,
            "payload_too_large",
        )
        .await;
    }

    // Values of the wrong type and invalid values.
    let wrong_type = app
        .post("/api/v1/auth/login", &json!({"email": 5, "password": "x"}))
        .await;
    assert_problem(wrong_type, 400, "invalid_body").await;
    let bad_email = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": "not-an-email", "password": "x"}),
        )
        .await;
    let problem = assert_problem(bad_email, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "email");
    let bad_account = app
        .post_auth(
            "/api/v1/auth/switch-account",
            &token,
            &json!({"account_id": "seven"}),
        )
        .await;
    assert_problem(bad_account, 400, "invalid_body").await;
    let bad_name = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"name": "Visit shop.example"}))
        .send()
        .await
        .unwrap();
    let problem = assert_problem(bad_name, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].code, "name_contains_link");
    let bad_language = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"language": "de"}))
        .send()
        .await
        .unwrap();
    assert_problem(bad_language, 400, "invalid_body").await;

    // Unknown routes and wrong methods.
    assert_problem(
        app.client
            .get(app.url("/api/v1/nothing-here"))
            .send()
            .await
            .unwrap(),
        404,
        "route_not_found",
    )
    .await;
    assert_problem(
        app.client.post(app.url("/api/v2/me")).send().await.unwrap(),
        404,
        "route_not_found",
    )
    .await;
    let wrong_method = app
        .client
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap();
    let allow = wrong_method
        .headers()
        .get("allow")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        allow.contains("GET") && allow.contains("PATCH"),
        "Allow: {allow}"
    );
    assert_problem(wrong_method, 405, "method_not_allowed").await;
    assert_problem(
        app.client
            .get(app.url("/api/v1/auth/login"))
            .send()
            .await
            .unwrap(),
        405,
        "method_not_allowed",
    )
    .await;
    // The web app's routes are not API routes: without a built web app they say so, in the same shape.
    assert_problem(
        app.client.get(app.url("/profile")).send().await.unwrap(),
        404,
        "route_not_found",
    )
    .await;
    assert_problem(
        app.client.post(app.url("/profile")).send().await.unwrap(),
        405,
        "method_not_allowed",
    )
    .await;
    // Non-UTF-8 and control bytes in headers do not break anything.
    let odd = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Authorization", b"Bearer \xff\xfe".as_slice())
        .send()
        .await
        .unwrap();
    assert_problem(odd, 401, "invalid_token").await;
}

async fn health_checks_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    for path in ["/healthz", "/readyz"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
    // The API reference is served from the binary (it works offline).
    let docs = app.client.get(app.url("/api/docs")).send().await.unwrap();
    assert_eq!(docs.status(), 307, "/api/docs leads to /api/docs/");
    let docs = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger-ui"));
    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["paths"]["/api/v1/me"].is_object());
    let jwks: serde_json::Value = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "OKP");
    assert_eq!(key["alg"], "EdDSA");
    assert!(
        key.get("d").is_none(),
        "the private part is never published"
    );
}

/// Client-side routes get the shell of the bundle they belong to: the CRM workspace's and the
/// client cabinet's for theirs, the admin app's everywhere else; API paths never get a shell.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_web_bundle_serves_its_own_shell() {
    let app = spawn_app(Backend::Sqlite).await;
    let web = app.data_dir.join("no-web-app");
    std::fs::create_dir_all(web.join("crm")).unwrap();
    std::fs::create_dir_all(web.join("cabinet")).unwrap();
    std::fs::write(web.join("index.html"), "admin shell").unwrap();
    std::fs::write(web.join("crm").join("index.html"), "crm shell").unwrap();
    std::fs::write(web.join("cabinet").join("index.html"), "cabinet shell").unwrap();
    std::fs::write(web.join("cabinet").join("cabinet-1.js"), "cabinet asset").unwrap();
    for (path, shell) in [
        ("/users/7", "admin shell"),
        ("/crmx/leads", "admin shell"),
        ("/cabinets/7", "admin shell"),
        ("/crm", "crm shell"),
        ("/crm/", "crm shell"),
        ("/leads", "crm shell"),
        ("/leads/42", "crm shell"),
        ("/tasks", "crm shell"),
        ("/settings/cabinet", "crm shell"),
        ("/settings/sms", "crm shell"),
        ("/cabinet/7", "cabinet shell"),
        ("/cabinet/7/", "cabinet shell"),
        ("/cabinet/7/leads/42", "cabinet shell"),
        ("/cabinet/7/erasure", "cabinet shell"),
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["cache-control"],
            "no-cache",
            "{path}: shells name the current build's files"
        );
        assert_eq!(response.text().await.unwrap(), shell, "{path}");
    }
    // The bundle's own files are served as files, not as its shell.
    let asset = app
        .client
        .get(app.url("/cabinet/cabinet-1.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.text().await.unwrap(), "cabinet asset");
    assert_problem(
        app.client.get(app.url("/api/v1/crm")).send().await.unwrap(),
        404,
        "route_not_found",
    )
    .await;
}
