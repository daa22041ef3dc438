//! Sign-in, refresh rotation and reuse, sign-out, the session check, account switching.

use std::time::{Duration, Instant};

use gatehouse_api::entities::sessions;
use gatehouse_domain::auth::SignedIn;
use gatehouse_migrations::{Migrator, MigratorTrait};
use reqwest::StatusCode;
use sea_orm::{sea_query::Expr, ConnectionTrait, EntityTrait};
use serde_json::json;

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, TestApp};

both_databases!(
    sign_in_returns_tokens_that_open_me,
    email_is_case_insensitive_at_sign_in,
    wrong_password_and_unknown_email_get_the_same_answer,
    deactivated_member_is_refused_after_the_password_is_verified,
    refresh_rotates_and_the_old_token_works_no_more,
    reusing_a_refresh_token_ends_the_session,
    web_client_gets_the_refresh_token_as_an_http_only_cookie,
    sign_out_ends_the_session_at_once,
    a_session_ended_elsewhere_is_refused_within_five_seconds,
    identity_in_two_accounts_signs_in_once_and_switches,
    switching_to_a_foreign_account_is_refused,
    over_long_passwords_are_refused_before_hashing,
    refresh_tokens_outlive_the_schema_change_that_moved_them,
);

async fn sign_in_returns_tokens_that_open_me(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let signed_in = app.login(&anna).await;
    assert_eq!(signed_in.token_type, "Bearer");
    assert_eq!(signed_in.expires_in, 900);
    assert!(
        signed_in.refresh_token.is_some(),
        "mobile clients get the refresh token in the body"
    );
    assert_eq!(signed_in.account.id, anna.account_id);
    let me = app.get_auth("/api/v1/me", &signed_in.access_token).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["identity"]["email"], "anna@acme.example.com");
    assert_eq!(me["membership"]["account"]["id"], anna.account_id);
    assert_eq!(me["membership"]["is_admin"], true);
    assert_eq!(me["membership"]["group"]["name"], "Sales department");
}

async fn email_is_case_insensitive_at_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    app.admin().await;
    let response = app
        .login_response("  ANNA@Acme.Example.com ", "correct horse battery")
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

async fn wrong_password_and_unknown_email_get_the_same_answer(backend: Backend) {
    let app = spawn_app(backend).await;
    app.admin().await;
    let wrong = app
        .login_response("anna@acme.example.com", "wrong password")
        .await;
    let unknown = app
        .login_response("nobody@acme.example.com", "wrong password")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.text().await.unwrap(),
        unknown.text().await.unwrap(),
        "bodies must not tell the cases apart"
    );
}

async fn deactivated_member_is_refused_after_the_password_is_verified(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    app.db
        .execute_unprepared("UPDATE memberships SET is_active = false")
        .await
        .unwrap();
    let right = app.login_response(&anna.email, &anna.password).await;
    assert_problem(right, 403, "member_deactivated").await;
    let wrong = app.login_response(&anna.email, "not her password").await;
    assert_problem(wrong, 401, "invalid_credentials").await;
}

async fn refresh_rotates_and_the_old_token_works_no_more(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let first = app.login(&anna).await;
    let old = first.refresh_token.clone().unwrap();
    let response = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": old}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let second: SignedIn = response.json().await.unwrap();
    let new = second.refresh_token.clone().unwrap();
    assert_ne!(new, old);
    assert_eq!(
        app.get_auth("/api/v1/me", &second.access_token)
            .await
            .status(),
        StatusCode::OK
    );
    // The new one works once more.
    let third = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": new}))
        .await;
    assert_eq!(third.status(), StatusCode::OK);
    let unknown = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": "not-a-token"}),
        )
        .await;
    assert_problem(unknown, 401, "invalid_refresh_token").await;
}

async fn reusing_a_refresh_token_ends_the_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let first = app.login(&anna).await;
    let old = first.refresh_token.clone().unwrap();
    let rotated: SignedIn = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": old}))
        .await
        .json()
        .await
        .unwrap();
    // The stolen copy is replayed: the whole session ends, the legitimate holder's tokens too.
    replay_ends_the_session(&app, &old, &rotated).await;
    assert_problem(
        app.get_auth("/api/v1/me", &rotated.access_token).await,
        401,
        "session_ended",
    )
    .await;
    // Other sessions of the same person are untouched.
    let other = app.login(&anna).await;
    assert_eq!(
        app.get_auth("/api/v1/me", &other.access_token)
            .await
            .status(),
        StatusCode::OK
    );
}

async fn web_client_gets_the_refresh_token_as_an_http_only_cookie(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Gatehouse-Client", "web")
        .json(&json!({"email": anna.email, "password": anna.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    for attribute in [
        "gatehouse_refresh=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/auth",
        "Secure",
    ] {
        assert!(
            cookie.contains(attribute),
            "{attribute} missing in {cookie}"
        );
    }
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(
        body.get("refresh_token").is_none(),
        "the web app must not see its refresh token"
    );
    // Refresh with the cookie and no body.
    let pair = cookie.split(';').next().unwrap().to_owned();
    let refreshed = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Gatehouse-Client", "web")
        .header("Cookie", &pair)
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    assert!(
        refreshed
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            != cookie,
        "rotated"
    );
}

async fn sign_out_ends_the_session_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let signed_in = app.login(&anna).await;
    let out = app
        .post_auth("/api/v1/auth/logout", &signed_in.access_token, &json!({}))
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get_auth("/api/v1/me", &signed_in.access_token).await,
        401,
        "session_ended",
    )
    .await;
    let refresh = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": signed_in.refresh_token.unwrap()}),
        )
        .await;
    assert_problem(refresh, 401, "session_ended").await;
}

async fn a_session_ended_elsewhere_is_refused_within_five_seconds(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let signed_in = app.login(&anna).await;
    assert_eq!(
        app.get_auth("/api/v1/me", &signed_in.access_token)
            .await
            .status(),
        StatusCode::OK
    );
    // Another instance (here: the database directly) ends the session; this instance may trust
    // its cache for at most five seconds.
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(chrono::Utc::now()))
        .exec(&app.db)
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let status = app
            .get_auth("/api/v1/me", &signed_in.access_token)
            .await
            .status();
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "still accepted after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn identity_in_two_accounts_signs_in_once_and_switches(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let second = app
        .create_account("Beta", &anna.email, "Ignored Name", "ignored password")
        .await;
    // Her password stayed hers: the second account's creation did not change it.
    let signed_in = app.login(&anna).await;
    assert_eq!(signed_in.accounts.len(), 2);
    let target = if signed_in.account.id == anna.account_id {
        second.account_id
    } else {
        anna.account_id
    };
    let switched = app
        .post_auth(
            "/api/v1/auth/switch-account",
            &signed_in.access_token,
            &json!({"account_id": target}),
        )
        .await;
    assert_eq!(switched.status(), StatusCode::OK);
    let switched: SignedIn = switched.json().await.unwrap();
    assert_eq!(switched.account.id, target);
    let me: serde_json::Value = app
        .get_auth("/api/v1/me", &switched.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["membership"]["account"]["id"], target);
    assert_eq!(me["identity"]["name"], "Anna Admin");
    // The session it came from has ended.
    assert_problem(
        app.get_auth("/api/v1/me", &signed_in.access_token).await,
        401,
        "session_ended",
    )
    .await;
    // Without an account named, sign-in goes to the one used last: switching made it so.
    assert_eq!(app.login(&anna).await.account.id, target);
    // Asking for an account at sign-in picks it, and makes it the last used.
    let direct = app
        .post(
            "/api/v1/auth/login",
            &json!({"email": anna.email, "password": anna.password, "account_id": anna.account_id}),
        )
        .await;
    let direct: SignedIn = direct.json().await.unwrap();
    assert_eq!(direct.account.id, anna.account_id);
    assert_eq!(app.login(&anna).await.account.id, anna.account_id);
}

async fn switching_to_a_foreign_account_is_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let boris = app
        .create_account(
            "Boris Ltd",
            "boris@boris.example.com",
            "Boris Boss",
            "another fine password",
        )
        .await;
    let signed_in = app.login(&anna).await;
    let response = app
        .post_auth(
            "/api/v1/auth/switch-account",
            &signed_in.access_token,
            &json!({"account_id": boris.account_id}),
        )
        .await;
    assert_problem(response, 403, "not_a_member").await;
    let login = app
        .post("/api/v1/auth/login", &json!({"email": anna.email, "password": anna.password, "account_id": boris.account_id}))
        .await;
    assert_problem(login, 403, "not_a_member").await;
}

async fn over_long_passwords_are_refused_before_hashing(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let problem = assert_problem(
        app.login_response(&anna.email, &"x".repeat(1025)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].field, "password");
    assert_eq!(problem.errors[0].code, "password_too_long");
}

/// Live refresh tokens moved from `refresh_tokens` onto their sessions (migration m0008): signed-in
/// people stay signed in across the upgrade, and across its undoing, and a token spent before it
/// still gives its reuse away.
async fn refresh_tokens_outlive_the_schema_change_that_moved_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let kept = app.login(&anna).await.refresh_token.unwrap();
    let spent = app.login(&anna).await.refresh_token.unwrap();
    let rotated: SignedIn = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": spent}))
        .await
        .json()
        .await
        .unwrap();
    Migrator::down(&app.db, Some(1)).await.unwrap();
    Migrator::up(&app.db, None).await.unwrap();
    let kept = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": kept}))
        .await;
    assert_eq!(kept.status(), StatusCode::OK);
    replay_ends_the_session(&app, &spent, &rotated).await;
}

/// A spent refresh token presented again is refused as reused, and the session it came from
/// ends: the refresh token that replaced it works no more.
async fn replay_ends_the_session(app: &TestApp, spent: &str, rotated: &SignedIn) {
    let replay = app
        .post("/api/v1/auth/refresh", &json!({"refresh_token": spent}))
        .await;
    assert_problem(replay, 401, "refresh_token_reused").await;
    let after = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": rotated.refresh_token.as_deref().unwrap()}),
        )
        .await;
    assert_problem(after, 401, "session_ended").await;
}
