//! A9: every forged, tampered or misused token is refused with 401.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, TestApp};
use gatehouse_api::entities::signing_keys;

both_databases!(forged_and_misused_tokens_are_refused);

/// Signs claims with the server's real private key, so only the claim under test is wrong.
async fn sign_with_server_key(app: &TestApp, claims: &Value, kid: Option<&str>) -> String {
    let key = signing_keys::Entity::find()
        .order_by_desc(signing_keys::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.unwrap_or(&key.kid).to_owned());
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_ed_pem(key.private_key_pem.as_bytes()).unwrap(),
    )
    .unwrap()
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

async fn forged_and_misused_tokens_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let signed_in = app.login(&anna).await;
    let real = signed_in.access_token.clone();
    let parts: Vec<&str> = real.split('.').collect();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let with = |key: &str, value: Value| {
        let mut c = claims.clone();
        c[key] = value;
        c
    };
    let without = |key: &str| {
        let mut c = claims.clone();
        c.as_object_mut().unwrap().remove(key);
        c
    };

    // Sanity: the same claims signed the same way are accepted, so each refusal below is
    // caused by the one thing changed.
    let control = sign_with_server_key(&app, &claims, None).await;
    assert_eq!(app.get_auth("/api/v1/me", &control).await.status(), 200);
    let within_leeway = sign_with_server_key(&app, &with("exp", json!(now - 10)), None).await;
    assert_eq!(
        app.get_auth("/api/v1/me", &within_leeway).await.status(),
        200,
        "30 s leeway"
    );

    let jwks: Value = app
        .client
        .get(app.url("/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public_x = jwks["keys"][0]["x"].as_str().unwrap().to_owned();
    let kid = jwks["keys"][0]["kid"].as_str().unwrap().to_owned();

    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": kid})),
        parts[1]
    );
    let hs256_with_public_key = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(kid.clone());
        jsonwebtoken::encode(
            &header,
            &claims,
            &EncodingKey::from_secret(public_x.as_bytes()),
        )
        .unwrap()
    };
    let tampered_payload = format!(
        "{}.{}.{}",
        parts[0],
        b64(&with("acc", json!(999_999))),
        parts[2]
    );
    let forged: Vec<(&str, String)> = vec![
        ("alg none", alg_none),
        ("HS256 keyed with the public key", hs256_with_public_key),
        ("tampered payload", tampered_payload),
        (
            "wrong iss",
            sign_with_server_key(&app, &with("iss", json!("https://evil.example.com")), None).await,
        ),
        (
            "wrong aud",
            sign_with_server_key(&app, &with("aud", json!("another-api")), None).await,
        ),
        (
            "missing exp",
            sign_with_server_key(&app, &without("exp"), None).await,
        ),
        (
            "expired beyond leeway",
            sign_with_server_key(&app, &with("exp", json!(now - 60)), None).await,
        ),
        (
            "unknown kid",
            sign_with_server_key(&app, &claims, Some("not-a-known-kid")).await,
        ),
        ("missing kid", {
            let key = signing_keys::Entity::find()
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            jsonwebtoken::encode(
                &Header::new(Algorithm::EdDSA),
                &claims,
                &EncodingKey::from_ed_pem(key.private_key_pem.as_bytes()).unwrap(),
            )
            .unwrap()
        }),
        (
            "another identity in the same session",
            sign_with_server_key(&app, &with("sub", json!("424242")), None).await,
        ),
        (
            "refresh token as access token",
            signed_in.refresh_token.clone().unwrap(),
        ),
        ("garbage", "abc.def.ghi".to_owned()),
    ];
    for (what, token) in forged {
        let response = app.get_auth("/api/v1/me", &token).await;
        let problem = assert_problem(response, 401, "invalid_token").await;
        assert!(
            problem.detail.is_none(),
            "{what}: the answer must not say which check failed"
        );
    }

    // Not a bearer token at all.
    let basic = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_problem(basic, 401, "invalid_token").await;
    let none = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_problem(none, 401, "unauthenticated").await;
    // Tokens never travel in URLs: a query parameter is not a credential.
    let in_url = app
        .client
        .get(app.url(&format!("/api/v1/me?access_token={real}")))
        .send()
        .await
        .unwrap();
    assert_problem(in_url, 401, "unauthenticated").await;
}
