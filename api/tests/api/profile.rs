//! `/me` and `PATCH /me`, and tenant isolation: a member sees their own account only.

use serde_json::{json, Value};

use crate::helpers::{both_databases, spawn_app, Backend};

both_databases!(
    me_shows_only_the_callers_own_account,
    member_changes_own_name_and_language
);

async fn me_shows_only_the_callers_own_account(backend: Backend) {
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
    let anna_token = app.login(&anna).await.access_token;
    let boris_token = app.login(&boris).await.access_token;
    let anna_me: Value = app
        .get_auth("/api/v1/me", &anna_token)
        .await
        .json()
        .await
        .unwrap();
    let boris_me: Value = app
        .get_auth("/api/v1/me", &boris_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(anna_me["membership"]["account"]["id"], anna.account_id);
    assert_eq!(boris_me["membership"]["account"]["id"], boris.account_id);
    assert_eq!(anna_me["accounts"].as_array().unwrap().len(), 1);
    assert!(
        !anna_me.to_string().contains("Boris"),
        "nothing of the other account leaks: {anna_me}"
    );
    assert!(
        !boris_me.to_string().contains("Acme"),
        "nothing of the other account leaks: {boris_me}"
    );
}

async fn member_changes_own_name_and_language(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let response = app
        .client
        .patch(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"name": "  Анна   Иванова ", "language": "ru"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["identity"]["name"], "Анна Иванова");
    assert_eq!(me["identity"]["language"], "ru");
    let again: Value = app
        .get_auth("/api/v1/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["identity"]["name"], "Анна Иванова");
}
