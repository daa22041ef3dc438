//! Account security: brute-force locks, password change and reset, two-factor, the IP
//! allowlist, sessions, the authorization log, administrators' acts, mail.

use chrono::Utc;
use gatehouse_api::entities::{identities, memberships, password_resets};
use gatehouse_domain::auth::SignedIn;
use reqwest::StatusCode;
use sea_orm::{sea_query::Expr, ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::helpers::{
    assert_problem, both_databases, spawn_app, spawn_app_with, Backend, Options, Person, SmtpSink,
    TestApp,
};

both_databases!(
    the_eleventh_wrong_attempt_is_refused_even_with_the_right_password,
    unknown_emails_are_locked_alike_and_admins_unlock,
    too_many_failures_from_one_ip_lock_that_ip,
    an_old_access_token_is_refused_right_after_a_password_change,
    weak_passwords_are_refused_with_the_rule_named,
    a_totp_code_is_accepted_once,
    a_recovery_code_works_once,
    a_reset_token_works_once_and_only_within_its_hour,
    reset_requests_answer_alike_for_unknown_emails,
    allowlist_refuses_other_addresses_before_hashing,
    a_client_sent_forwarded_header_changes_nothing,
    an_allowlist_that_locks_out_its_admin_needs_confirmation,
    sessions_are_listed_and_ended,
    required_two_factor_leads_to_enrolment_first,
    security_endpoints_refuse_members_and_other_accounts,
    admin_sets_a_password_only_for_people_of_no_other_account,
    authorization_log_lists_filters_and_exports,
    mail_goes_through_smtp_when_configured,
    reset_links_are_capped_per_person,
);

/// Adds a member with a password to an account, as the users issue will through the API.
async fn add_member(app: &TestApp, account_id: i64, email: &str, is_admin: bool) -> Person {
    let password = "a long enough secret phrase";
    let hash = app
        .hasher
        .hash(gatehouse_domain::people::Password::parse(password).unwrap())
        .await
        .unwrap();
    let now = Utc::now();
    let identity = match identities::Entity::find()
        .filter(identities::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
    {
        Some(identity) => identity,
        None => identities::ActiveModel {
            email: Set(email.to_owned()),
            name: Set("Boris Member".to_owned()),
            password_hash: Set(Some(hash)),
            language: Set("en".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap(),
    };
    memberships::ActiveModel {
        account_id: Set(account_id),
        identity_id: Set(identity.id),
        is_admin: Set(is_admin),
        is_free: Set(false),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    Person {
        account_id,
        email: email.to_owned(),
        password: password.to_owned(),
    }
}

async fn membership_id(app: &TestApp, email: &str, account_id: i64) -> i64 {
    let identity = identities::Entity::find()
        .filter(identities::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    memberships::Entity::find()
        .filter(memberships::Column::IdentityId.eq(identity.id))
        .filter(memberships::Column::AccountId.eq(account_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn outbox(app: &TestApp, token: &str) -> Vec<Value> {
    let page: Value = app
        .get_auth("/api/v1/outbox", token)
        .await
        .json()
        .await
        .unwrap();
    page["items"].as_array().unwrap().clone()
}

/// The reset link's token from the newest outbox message.
async fn reset_token_from_outbox(app: &TestApp, token: &str) -> String {
    for _ in 0..100 {
        let messages = outbox(app, token).await;
        if let Some(body) = messages.iter().find_map(|m| {
            m["body"]
                .as_str()
                .filter(|b| b.contains("/reset-password#token="))
        }) {
            let link = body
                .split_whitespace()
                .find(|w| w.contains("/reset-password#token="))
                .unwrap();
            return link.split("#token=").nth(1).unwrap().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no reset link in the outbox");
}

fn totp_for(secret: &str) -> TOTP {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        Secret::Encoded(secret.to_owned()).to_bytes().unwrap(),
        None,
        String::new(),
    )
    .unwrap()
}

/// Turns on TOTP for the signed-in person; returns the secret.
async fn enrol(app: &TestApp, token: &str) -> String {
    let enrolment: Value = app
        .post_auth("/api/v1/me/two-factor/enrolment", token, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    assert!(enrolment["qr_svg"].as_str().unwrap().contains("<svg"));
    let code = totp_for(&secret).generate_current().unwrap();
    let confirmed = app
        .post_auth(
            "/api/v1/me/two-factor/confirm",
            token,
            &json!({ "code": code }),
        )
        .await;
    assert_eq!(confirmed.status(), StatusCode::OK);
    let codes: Value = confirmed.json().await.unwrap();
    assert_eq!(codes["recovery_codes"].as_array().unwrap().len(), 10);
    secret
}

async fn ticket(app: &TestApp, person: &Person) -> String {
    let answer: Value = app
        .login_response(&person.email, &person.password)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["second_factor_required"], true, "{answer}");
    answer["ticket"].as_str().unwrap().to_owned()
}

async fn the_eleventh_wrong_attempt_is_refused_even_with_the_right_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    for n in 1..=10 {
        let wrong = app.login_response(&anna.email, "not the password").await;
        assert_problem(wrong, 401, "invalid_credentials").await;
        let _ = n;
    }
    let right = app.login_response(&anna.email, &anna.password).await;
    let retry_after: u64 = right.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((800..=900).contains(&retry_after), "{retry_after}");
    assert_problem(right, 429, "sign_in_locked").await;
}

async fn unknown_emails_are_locked_alike_and_admins_unlock(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let boris = add_member(&app, anna.account_id, "boris@acme.example.com", false).await;
    let admin_token = app.login(&anna).await.access_token;
    for _ in 0..10 {
        app.login_response("nobody@acme.example.com", "x-y-z-1-2-3")
            .await;
        app.login_response(&boris.email, "not the password").await;
    }
    // A locked unknown e-mail answers exactly like a locked known one.
    let unknown = app
        .login_response("nobody@acme.example.com", "x-y-z-1-2-3")
        .await;
    let unknown = assert_problem(unknown, 429, "sign_in_locked").await;
    let known = app.login_response(&boris.email, &boris.password).await;
    let known = assert_problem(known, 429, "sign_in_locked").await;
    assert_eq!(unknown, known);
    // Boris was told by mail; the admin sees the lock and lifts it.
    let subjects: Vec<String> = outbox(&app, &admin_token)
        .await
        .iter()
        .map(|m| m["subject"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        subjects.iter().any(|s| s.contains("locked")),
        "{subjects:?}"
    );
    let members: Value = app
        .get_auth("/api/v1/security/members", &admin_token)
        .await
        .json()
        .await
        .unwrap();
    let boris_row = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == boris.email)
        .unwrap();
    assert!(boris_row["locked_until"].is_string());
    let id = boris_row["id"].as_i64().unwrap();
    let unlocked = app
        .post_auth(
            &format!("/api/v1/users/{id}/unlock"),
            &admin_token,
            &json!({}),
        )
        .await;
    assert_eq!(unlocked.status(), StatusCode::NO_CONTENT);
    let again = app.login_response(&boris.email, &boris.password).await;
    assert_eq!(again.status(), StatusCode::OK);
}

async fn too_many_failures_from_one_ip_lock_that_ip(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let attacker = TestApp::client_from("127.0.0.3");
    for n in 0..31 {
        attacker
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": format!("guess{n}@acme.example.com"), "password": "123456789"}))
            .send()
            .await
            .unwrap();
    }
    let from_attacker = attacker
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": anna.email, "password": anna.password}))
        .send()
        .await
        .unwrap();
    assert_problem(from_attacker, 429, "sign_in_locked").await;
    // Anna, from her own address, is not affected.
    assert_eq!(
        app.login_response(&anna.email, &anna.password)
            .await
            .status(),
        StatusCode::OK
    );
}

async fn an_old_access_token_is_refused_right_after_a_password_change(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let here = app.login(&anna).await;
    let elsewhere = app.login(&anna).await;
    assert_eq!(
        app.get_auth("/api/v1/me", &elsewhere.access_token)
            .await
            .status(),
        StatusCode::OK
    );
    let wrong_current = app
        .put_auth(
            "/api/v1/me/password",
            &here.access_token,
            &json!({"current_password": "nope nope nope", "new_password": "a brand new phrase 42"}),
        )
        .await;
    let problem = assert_problem(wrong_current, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "current_password");
    let changed = app
        .put_auth(
            "/api/v1/me/password",
            &here.access_token,
            &json!({"current_password": anna.password, "new_password": "a brand new phrase 42"}),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let old = app.get_auth("/api/v1/me", &elsewhere.access_token).await;
    assert_problem(old, 401, "session_ended").await;
    assert_eq!(
        app.get_auth("/api/v1/me", &here.access_token)
            .await
            .status(),
        StatusCode::OK,
        "the session that changed the password goes on"
    );
    assert_problem(
        app.login_response(&anna.email, &anna.password).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(
        app.login_response(&anna.email, "a brand new phrase 42")
            .await
            .status(),
        StatusCode::OK
    );
    let notices = outbox(&app, &here.access_token).await;
    assert!(notices
        .iter()
        .any(|m| m["subject"].as_str().unwrap().contains("changed")));
}

async fn weak_passwords_are_refused_with_the_rule_named(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    for (weak, code) in [
        ("password1", "password_common"),
        ("short", "password_too_short"),
        ("anna-has-a-secret", "password_contains_personal_data"),
    ] {
        let refused = app
            .put_auth(
                "/api/v1/me/password",
                &token,
                &json!({"current_password": anna.password, "new_password": weak}),
            )
            .await;
        let problem = assert_problem(refused, 422, "validation_failed").await;
        assert!(
            problem.errors.iter().any(|e| e.code == code),
            "{weak}: {problem:?}"
        );
    }
    // A stricter account policy applies at once.
    let mut settings: Value = app
        .get_auth("/api/v1/security/settings", &token)
        .await
        .json()
        .await
        .unwrap();
    settings["password_policy"]["require_digit"] = json!(true);
    let saved = app
        .put_auth("/api/v1/security/settings", &token, &settings)
        .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let refused = app
        .put_auth(
            "/api/v1/me/password",
            &token,
            &json!({"current_password": anna.password, "new_password": "no digits in this one"}),
        )
        .await;
    let problem = assert_problem(refused, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].code, "password_needs_digit");
    settings["session_idle_minutes"] = json!(1);
    let bad = app
        .put_auth("/api/v1/security/settings", &token, &settings)
        .await;
    assert_problem(bad, 422, "validation_failed").await;
}

async fn a_totp_code_is_accepted_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let first = app.login(&anna).await;
    let other = app.login(&anna).await;
    let secret = enrol(&app, &first.access_token).await;
    // Turning two-factor on ends the other sessions.
    assert_problem(
        app.get_auth("/api/v1/me", &other.access_token).await,
        401,
        "session_ended",
    )
    .await;
    let totp = totp_for(&secret);
    // The code that confirmed the enrolment is spent; the next step's code is fresh.
    let now = u64::try_from(Utc::now().timestamp()).unwrap();
    let spent = totp.generate(now);
    let fresh = totp.generate(now + 30);
    let ticket1 = ticket(&app, &anna).await;
    let replay = app
        .post(
            "/api/v1/auth/login/second-factor",
            &json!({"ticket": ticket1, "code": spent}),
        )
        .await;
    assert_problem(replay, 401, "invalid_second_factor").await;
    let ok = app
        .post(
            "/api/v1/auth/login/second-factor",
            &json!({"ticket": ticket1, "code": fresh}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let signed_in: SignedIn = ok.json().await.unwrap();
    assert_eq!(
        app.get_auth("/api/v1/me", &signed_in.access_token)
            .await
            .status(),
        StatusCode::OK
    );
    // The ticket is single-use, and so is the code.
    let reused_ticket = app
        .post(
            "/api/v1/auth/login/second-factor",
            &json!({"ticket": ticket1, "code": fresh}),
        )
        .await;
    assert_problem(reused_ticket, 401, "invalid_ticket").await;
    let ticket2 = ticket(&app, &anna).await;
    let reused_code = app
        .post(
            "/api/v1/auth/login/second-factor",
            &json!({"ticket": ticket2, "code": fresh}),
        )
        .await;
    assert_problem(reused_code, 401, "invalid_second_factor").await;
}

async fn a_recovery_code_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    enrol(&app, &token).await;
    let codes: Value = app
        .post_auth(
            "/api/v1/me/two-factor/recovery-codes",
            &token,
            &json!({"password": anna.password}),
        )
        .await
        .json()
        .await
        .unwrap();
    let code = codes["recovery_codes"][0].as_str().unwrap().to_owned();
    let t = ticket(&app, &anna).await;
    let ok = app
        .post(
            "/api/v1/auth/login/second-factor",
            &json!({"ticket": t, "code": code.to_uppercase()}),
        )
        .await;
    assert_eq!(ok.status(), StatusCode::OK);
    let t = ticket(&app, &anna).await;
    let again = app
        .post(
            "/api/v1/auth/login/second-factor",
            &json!({"ticket": t, "code": code}),
        )
        .await;
    assert_problem(again, 401, "invalid_second_factor").await;
    let status: Value = app
        .get_auth("/api/v1/me/two-factor", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(status["recovery_codes_left"], 9);
}

async fn a_reset_token_works_once_and_only_within_its_hour(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let requested = app
        .post("/api/v1/auth/password-reset", &json!({"email": anna.email}))
        .await;
    assert_eq!(requested.status(), StatusCode::ACCEPTED);
    let reset = reset_token_from_outbox(&app, &token).await;
    let done = app
        .post(
            "/api/v1/auth/password-reset/complete",
            &json!({"token": reset, "new_password": "reset to a new phrase"}),
        )
        .await;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    // Every session ended, the old admin token included.
    assert_problem(
        app.get_auth("/api/v1/me", &token).await,
        401,
        "session_ended",
    )
    .await;
    let twice = app
        .post(
            "/api/v1/auth/password-reset/complete",
            &json!({"token": reset, "new_password": "and yet another phrase"}),
        )
        .await;
    assert_problem(twice, 400, "invalid_reset_token").await;
    let anna2 = Person {
        password: "reset to a new phrase".into(),
        ..anna
    };
    let token = app.login(&anna2).await.access_token;
    // A token past its hour is refused.
    app.post(
        "/api/v1/auth/password-reset",
        &json!({"email": anna2.email}),
    )
    .await;
    let late = reset_token_from_outbox_newest(&app, &token).await;
    password_resets::Entity::update_many()
        .col_expr(
            password_resets::Column::ExpiresAt,
            Expr::value(Utc::now() - chrono::Duration::minutes(1)),
        )
        .filter(password_resets::Column::UsedAt.is_null())
        .exec(&app.db)
        .await
        .unwrap();
    let expired = app
        .post(
            "/api/v1/auth/password-reset/complete",
            &json!({"token": late, "new_password": "too late for this one"}),
        )
        .await;
    assert_problem(expired, 400, "invalid_reset_token").await;
}

/// Waits for a second reset message and returns its token.
async fn reset_token_from_outbox_newest(app: &TestApp, token: &str) -> String {
    for _ in 0..100 {
        let messages = outbox(app, token).await;
        let links: Vec<&str> = messages
            .iter()
            .filter_map(|m| m["body"].as_str())
            .filter(|b| b.contains("#token="))
            .collect();
        if links.len() >= 2 {
            let word = links[0]
                .split_whitespace()
                .find(|w| w.contains("#token="))
                .unwrap();
            return word.split("#token=").nth(1).unwrap().to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no second reset link");
}

async fn reset_requests_answer_alike_for_unknown_emails(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let known = app
        .post("/api/v1/auth/password-reset", &json!({"email": anna.email}))
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/password-reset",
            &json!({"email": "ghost@acme.example.com"}),
        )
        .await;
    assert_eq!(known.status(), StatusCode::ACCEPTED);
    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    let bad = app
        .post(
            "/api/v1/auth/password-reset",
            &json!({"email": "not an email"}),
        )
        .await;
    assert_problem(bad, 422, "validation_failed").await;
}

async fn save_allowlist(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.put_auth("/api/v1/security/allowlist", token, &body)
        .await
}

async fn allowlist_refuses_other_addresses_before_hashing(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let saved = save_allowlist(
        &app,
        &token,
        json!({"enabled": true, "apply_to_tokens": true, "entries": [{"range": "127.0.0.1", "note": "office"}], "exempt_member_ids": []}),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::OK);
    let view: Value = saved.json().await.unwrap();
    assert_eq!(view["your_ip"], "127.0.0.1");
    let outside = TestApp::client_from("127.0.0.2");
    let refused = outside
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": anna.email, "password": anna.password}))
        .send()
        .await
        .unwrap();
    assert_problem(refused, 403, "ip_not_allowed").await;
    // With "apply to tokens", a token taken elsewhere does not work from outside either.
    let with_token = outside
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_problem(with_token, 403, "ip_not_allowed").await;
    assert_eq!(
        app.login_response(&anna.email, &anna.password)
            .await
            .status(),
        StatusCode::OK
    );
    let log: Value = app
        .get_auth("/api/v1/security/auth-log?outcome=ip_not_allowed", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 1);
    assert_eq!(log["items"][0]["ip"], "127.0.0.2");
    // An invalid range is named.
    let invalid = save_allowlist(
        &app,
        &token,
        json!({"enabled": true, "apply_to_tokens": false, "entries": [{"range": "127.0.0.1"}, {"range": "10.0.0.0/33"}], "exempt_member_ids": []}),
    )
    .await;
    let problem = assert_problem(invalid, 422, "validation_failed").await;
    assert_eq!(problem.errors[0].field, "entries[1].range");
}

async fn a_client_sent_forwarded_header_changes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    save_allowlist(
        &app,
        &token,
        json!({"enabled": true, "apply_to_tokens": false, "entries": [{"range": "127.0.0.1"}], "exempt_member_ids": []}),
    )
    .await;
    let outside = TestApp::client_from("127.0.0.2");
    let forged = outside
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", "127.0.0.1")
        .json(&json!({"email": anna.email, "password": anna.password}))
        .send()
        .await
        .unwrap();
    assert_problem(forged, 403, "ip_not_allowed").await;
    drop(app);

    // Behind a configured proxy (127.0.0.2), its header is believed.
    let app = spawn_app_with(
        backend,
        Options {
            trusted_proxies: vec!["127.0.0.2".into()],
            ..Options::default()
        },
    )
    .await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    save_allowlist(
        &app,
        &token,
        json!({"enabled": true, "apply_to_tokens": false, "entries": [{"range": "192.0.2.0/24"}], "exempt_member_ids": [], "confirm_lockout": true}),
    )
    .await;
    let proxy = TestApp::client_from("127.0.0.2");
    let via_proxy = proxy
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", "203.0.113.9, 192.0.2.10")
        .json(&json!({"email": anna.email, "password": anna.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(via_proxy.status(), StatusCode::OK);
}

async fn an_allowlist_that_locks_out_its_admin_needs_confirmation(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let list = json!({"enabled": true, "apply_to_tokens": false, "entries": [{"range": "10.0.0.0/8"}], "exempt_member_ids": []});
    let refused = save_allowlist(&app, &token, list.clone()).await;
    assert_problem(refused, 409, "allowlist_locks_you_out").await;
    let current: Value = app
        .get_auth("/api/v1/security/allowlist", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["enabled"], false, "nothing was saved");
    // Exempting oneself is another way.
    let me_id = membership_id(&app, &anna.email, anna.account_id).await;
    let mut exempt = list.clone();
    exempt["exempt_member_ids"] = json!([me_id]);
    assert_eq!(
        save_allowlist(&app, &token, exempt).await.status(),
        StatusCode::OK
    );
    let mut confirmed = list;
    confirmed["confirm_lockout"] = json!(true);
    assert_eq!(
        save_allowlist(&app, &token, confirmed).await.status(),
        StatusCode::OK
    );
}

async fn sessions_are_listed_and_ended(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let a = app.login(&anna).await;
    let b = app.login(&anna).await;
    let c = app.login(&anna).await;
    let list: Value = app
        .get_auth("/api/v1/me/sessions", &a.access_token)
        .await
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    let b_id = list.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_i64()
        .unwrap();
    let ended = app
        .delete_auth(&format!("/api/v1/me/sessions/{b_id}"), &a.access_token)
        .await;
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let others: Value = app
        .post_auth(
            "/api/v1/me/sessions/end-others",
            &a.access_token,
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(others["ended"], 1);
    for token in [&b.access_token, &c.access_token] {
        assert_problem(
            app.get_auth("/api/v1/me", token).await,
            401,
            "session_ended",
        )
        .await;
    }
    assert_eq!(
        app.get_auth("/api/v1/me", &a.access_token).await.status(),
        StatusCode::OK
    );
    // Somebody else's session is not found.
    let bob = app
        .create_account(
            "Other",
            "bob@other.example.com",
            "Bob Other",
            "bob's long password",
        )
        .await;
    let bob_token = app.login(&bob).await.access_token;
    let foreign = app
        .delete_auth(&format!("/api/v1/me/sessions/{b_id}"), &bob_token)
        .await;
    assert_problem(foreign, 404, "not_found").await;
}

async fn required_two_factor_leads_to_enrolment_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let mut settings: Value = app
        .get_auth("/api/v1/security/settings", &token)
        .await
        .json()
        .await
        .unwrap();
    settings["two_factor_policy"] = json!("admins");
    assert_eq!(
        app.put_auth("/api/v1/security/settings", &token, &settings)
            .await
            .status(),
        StatusCode::OK
    );
    let fresh = app.login(&anna).await.access_token;
    let me: Value = app
        .get_auth("/api/v1/me", &fresh)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["pending_step"], "enrol_second_factor");
    let blocked = app.get_auth("/api/v1/security/settings", &fresh).await;
    assert_problem(blocked, 403, "two_factor_enrolment_required").await;
    enrol(&app, &fresh).await;
    assert_eq!(
        app.get_auth("/api/v1/security/settings", &fresh)
            .await
            .status(),
        StatusCode::OK
    );
    // Required, so it cannot be turned off.
    let off = app
        .post_auth(
            "/api/v1/me/two-factor/disable",
            &fresh,
            &json!({"password": anna.password, "code": "000000"}),
        )
        .await;
    assert_problem(off, 409, "two_factor_required").await;
}

async fn security_endpoints_refuse_members_and_other_accounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let boris = add_member(&app, anna.account_id, "boris@acme.example.com", false).await;
    let boris_token = app.login(&boris).await.access_token;
    for path in [
        "/api/v1/security/settings",
        "/api/v1/security/allowlist",
        "/api/v1/security/members",
        "/api/v1/security/auth-log",
        "/api/v1/security/auth-log/export",
        "/api/v1/outbox",
    ] {
        assert_problem(app.get_auth(path, &boris_token).await, 403, "forbidden").await;
    }
    let anna_id = membership_id(&app, &anna.email, anna.account_id).await;
    let unlock = app
        .post_auth(
            &format!("/api/v1/users/{anna_id}/unlock"),
            &boris_token,
            &json!({}),
        )
        .await;
    assert_problem(unlock, 403, "forbidden").await;
    // Another account's administrator gets 404 for Anna's and Boris's ids.
    let bob = app
        .create_account(
            "Other",
            "bob@other.example.com",
            "Bob Other",
            "bob's long password",
        )
        .await;
    let bob_token = app.login(&bob).await.access_token;
    let boris_id = membership_id(&app, &boris.email, anna.account_id).await;
    for path in [
        format!("/api/v1/users/{boris_id}/unlock"),
        format!("/api/v1/users/{boris_id}/password-reset"),
        format!("/api/v1/users/{boris_id}/sessions/end"),
    ] {
        assert_problem(
            app.post_auth(&path, &bob_token, &json!({})).await,
            404,
            "not_found",
        )
        .await;
    }
    let set = app
        .put_auth(
            &format!("/api/v1/users/{boris_id}/password"),
            &bob_token,
            &json!({"password": "bob sets a password"}),
        )
        .await;
    assert_problem(set, 404, "not_found").await;
    let reset_2fa = app
        .delete_auth(&format!("/api/v1/users/{boris_id}/two-factor"), &bob_token)
        .await;
    assert_problem(reset_2fa, 404, "not_found").await;
    let bobs_members: Value = app
        .get_auth("/api/v1/security/members", &bob_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(bobs_members.as_array().unwrap().len(), 1);
}

async fn admin_sets_a_password_only_for_people_of_no_other_account(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    let boris = add_member(&app, anna.account_id, "boris@acme.example.com", false).await;
    let boris_session = app.login(&boris).await.access_token;
    let boris_id = membership_id(&app, &boris.email, anna.account_id).await;
    let set = app
        .put_auth(
            &format!("/api/v1/users/{boris_id}/password"),
            &token,
            &json!({"password": "set by the admin 1", "must_change": true}),
        )
        .await;
    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    assert_problem(
        app.get_auth("/api/v1/me", &boris_session).await,
        401,
        "session_ended",
    )
    .await;
    let boris = Person {
        password: "set by the admin 1".into(),
        ..boris
    };
    let fresh = app.login(&boris).await.access_token;
    let me: Value = app
        .get_auth("/api/v1/me", &fresh)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["pending_step"], "change_password");
    // Boris joins another account: now only a reset link can be sent.
    let other = app
        .create_account(
            "Other",
            "carol@other.example.com",
            "Carol Other",
            "carol's long password",
        )
        .await;
    add_member(&app, other.account_id, &boris.email, false).await;
    let refused = app
        .put_auth(
            &format!("/api/v1/users/{boris_id}/password"),
            &token,
            &json!({"password": "set by the admin 2"}),
        )
        .await;
    assert_problem(refused, 409, "identity_in_other_accounts").await;
    let link = app
        .post_auth(
            &format!("/api/v1/users/{boris_id}/password-reset"),
            &token,
            &json!({}),
        )
        .await;
    assert_eq!(link.status(), StatusCode::ACCEPTED);
    // The link is not in this account's outbox: it would open the other account too.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let links = outbox(&app, &token)
        .await
        .iter()
        .filter(|m| {
            m["to"] == boris.email && m["body"].as_str().is_some_and(|b| b.contains("#token="))
        })
        .count();
    assert_eq!(links, 0);
}

async fn authorization_log_lists_filters_and_exports(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    app.login_response(&anna.email, "wrong wrong wrong").await;
    let token = app.login(&anna).await.access_token;
    let log: Value = app
        .get_auth("/api/v1/security/auth-log", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(log["total"], 2);
    assert_eq!(log["items"][0]["outcome"], "success");
    assert_eq!(log["items"][1]["outcome"], "wrong_password");
    assert_eq!(log["items"][0]["member_name"], "Anna Admin");
    let failures: Value = app
        .get_auth("/api/v1/security/auth-log?outcome=wrong_password", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(failures["total"], 1);
    let bad_filter = app
        .get_auth("/api/v1/security/auth-log?outcome=maybe", &token)
        .await;
    assert_problem(bad_filter, 400, "invalid_query").await;
    let csv = app
        .get_auth("/api/v1/security/auth-log/export", &token)
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("time,email,member,method,outcome"));
    assert!(lines[2].contains("wrong_password"));
}

async fn mail_goes_through_smtp_when_configured(backend: Backend) {
    let smtp = SmtpSink::start().await;
    let app = spawn_app_with(
        backend,
        Options {
            smtp_url: Some(smtp.url.clone()),
            ..Options::default()
        },
    )
    .await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    app.post("/api/v1/auth/password-reset", &json!({"email": anna.email}))
        .await;
    let messages = smtp.wait_for(1).await;
    assert!(messages[0].contains("anna@acme.example.com"));
    assert!(messages[0].contains("/reset-password#token="));
    // Once delivered, the outbox keeps the message but not its link.
    for _ in 0..100 {
        let rows = outbox(&app, &token).await;
        if rows.first().is_some_and(|m| m["status"] == "sent") {
            assert!(rows[0].get("body").is_none());
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox never showed the message as sent");
}

async fn reset_links_are_capped_per_person(backend: Backend) {
    let app = spawn_app(backend).await;
    let anna = app.admin().await;
    let token = app.login(&anna).await.access_token;
    for _ in 0..5 {
        let answer = app
            .post("/api/v1/auth/password-reset", &json!({"email": anna.email}))
            .await;
        assert_eq!(answer.status(), StatusCode::ACCEPTED);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let links = outbox(&app, &token)
        .await
        .iter()
        .filter(|m| m["body"].as_str().is_some_and(|b| b.contains("#token=")))
        .count();
    assert_eq!(links, 3);
}
