//! Team management: members within seats, the identity_exists flow, invitations, the users
//! list, bulk acts, the last-admin rule, groups, roles and rights, the audit log, and tenant
//! isolation of every endpoint of it.

use gatehouse_api::accounts::seats;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, both_databases, spawn_app, Backend, Person, TestApp};

both_databases!(
    fifty_parallel_creations_with_five_free_seats_give_exactly_five,
    adding_a_user_checks_every_field,
    an_existing_identity_is_reported_then_added_as_it_is,
    an_invited_member_chooses_a_password_once_and_is_signed_in,
    the_users_list_filters_searches_sorts_and_pages,
    bulk_acts_apply_to_ids_and_to_all_matching,
    the_last_admin_stays_and_self_demotion_needs_confirmation,
    groups_keep_the_default_and_their_members,
    role_changes_reach_members_at_once,
    rights_are_normalised_and_the_narrowing_reported,
    team_endpoints_refuse_members_and_other_accounts,
    the_audit_log_records_acts_and_filters_them,
);

const PASSWORD: &str = "a long enough secret phrase";

async fn signed_in(app: &TestApp) -> (Person, String) {
    let admin = app.admin().await;
    let token = app.login(&admin).await.access_token;
    (admin, token)
}

async fn json_of(response: reqwest::Response, status: StatusCode) -> Value {
    let actual = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(actual, status, "body: {body}");
    body
}

/// Adds a member with a password through the API; returns the membership id.
async fn add(app: &TestApp, token: &str, email: &str, name: &str, extra: Value) -> i64 {
    let mut body = json!({ "name": name, "email": email, "password": PASSWORD });
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

async fn set_seats(app: &TestApp, account_id: i64, general: u32) {
    seats::set(&app.db, account_id, general, Some(0))
        .await
        .unwrap();
}

async fn fifty_parallel_creations_with_five_free_seats_give_exactly_five(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    // The administrator takes one seat; five are free.
    set_seats(&app, admin.account_id, 6).await;
    let requests = (0..50).map(|i| {
        let app = &app;
        let token = token.clone();
        async move {
            app.post_auth(
                "/api/v1/users",
                &token,
                &json!({ "name": format!("Racer {}", char::from(b'a' + (i % 26) as u8)), "email": format!("racer{i}@acme.example.com"), "invite": true }),
            )
            .await
        }
    });
    let responses = futures_util::future::join_all(requests).await;
    let mut created = 0;
    let mut refused = 0;
    for response in responses {
        match response.status() {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                let problem = assert_problem(response, 409, "seats_exhausted").await;
                let seats = problem.seats.unwrap();
                assert_eq!((seats.used, seats.total), (6, 6));
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", response.text().await.unwrap()),
        }
    }
    assert_eq!((created, refused), (5, 45));
    let page = json_of(app.get_auth("/api/v1/users", &token).await, StatusCode::OK).await;
    assert_eq!(page["total"], 6);
    assert_eq!(page["seats"]["used"], 6);
    assert_eq!(page["seats"]["total"], 6);
}

async fn adding_a_user_checks_every_field(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": "Agent 007", "email": "not-an-email", "phone": "call me" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let mut fields: Vec<(String, String)> = problem
        .errors
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            ("email", "email_invalid"),
            ("name", "name_invalid_characters"),
            ("password", "password_or_invitation"),
            ("phone", "phone_invalid"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    // The account's password rules apply (P2): a common password is refused.
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": "Boris Petrov", "email": "boris@acme.example.com", "password": "password123" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(problem.errors.iter().all(|e| e.field == "password"));
    // A group or role of another account is unknown here.
    let other = app
        .create_account("Globex", "gina@globex.example.com", "Gina Globex", PASSWORD)
        .await;
    let other_token = app.login(&other).await.access_token;
    let other_group = json_of(
        app.post_auth(
            "/api/v1/groups",
            &other_token,
            &json!({ "name": "Globex team" }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": "Boris Petrov", "email": "boris@acme.example.com", "password": PASSWORD, "group_id": other_group["id"] }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "unknown_group");

    let saved = json_of(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": " Борис  Петров ", "email": "Boris@Acme.example.com", "password": PASSWORD, "phone": "+7 (912) 345-67-89", "language": "ru", "is_admin": true }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let user = &saved["user"];
    assert_eq!(user["name"], "Борис Петров");
    assert_eq!(user["email"], "boris@acme.example.com");
    assert_eq!(user["phone"], "+79123456789");
    assert_eq!(user["language"], "ru");
    assert_eq!(user["is_admin"], true);
    assert_eq!(user["group"]["is_default"], true);
    assert_eq!(user["invitation_pending"], false);
    app.login(&Person {
        account_id: 0,
        email: "boris@acme.example.com".into(),
        password: PASSWORD.into(),
    })
    .await;
    assert_problem(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": "Boris Again", "email": "boris@acme.example.com", "password": PASSWORD }),
        )
        .await,
        409,
        "already_member",
    )
    .await;
}

async fn an_existing_identity_is_reported_then_added_as_it_is(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    let outsider = app
        .create_account("Globex", "gina@globex.example.com", "Gina Globex", PASSWORD)
        .await;
    let attempt = json!({ "name": "Somebody Else", "email": "GINA@globex.example.com", "password": "another long password" });
    let problem = assert_problem(
        app.post_auth("/api/v1/users", &token, &attempt).await,
        409,
        "identity_exists",
    )
    .await;
    assert_eq!(problem.name.as_deref(), Some("Gina Globex"));
    let saved = json_of(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "email": "gina@globex.example.com", "add_existing": true }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(saved["user"]["name"], "Gina Globex");
    assert_eq!(saved["user"]["in_other_accounts"], true);
    // Her own password signs her in to the new account; her name is not this account's to edit.
    let response = app
        .post(
            "/api/v1/auth/login",
            &json!({ "email": outsider.email, "password": PASSWORD, "account_id": admin.account_id }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let id = saved["user"]["id"].as_i64().unwrap();
    assert_problem(
        app.patch_auth(
            &format!("/api/v1/users/{id}"),
            &token,
            &json!({ "name": "Renamed Gina" }),
        )
        .await,
        409,
        "identity_in_other_accounts",
    )
    .await;
    // add_existing for an e-mail nobody has is a field error, not a silent creation.
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "email": "nobody@acme.example.com", "add_existing": true }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "identity_not_found");
}

async fn an_invited_member_chooses_a_password_once_and_is_signed_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let saved = json_of(
        app.post_auth(
            "/api/v1/users",
            &token,
            &json!({ "name": "Ivan Invited", "email": "ivan@acme.example.com", "invite": true }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(saved["user"]["invitation_pending"], true);
    // No password yet: signing in fails like a wrong password.
    assert_problem(
        app.login_response("ivan@acme.example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    let outbox = json_of(app.get_auth("/api/v1/outbox", &token).await, StatusCode::OK).await;
    let body = outbox["items"][0]["body"].as_str().unwrap().to_owned();
    let token_in_link = body
        .split("/invitation#token=")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    // The account's rules apply to the chosen password.
    assert_problem(
        app.post(
            "/api/v1/auth/invitation",
            &json!({ "token": token_in_link, "password": "short" }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let signed = json_of(
        app.post(
            "/api/v1/auth/invitation",
            &json!({ "token": token_in_link, "password": PASSWORD }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(signed["access_token"].as_str().is_some());
    assert_problem(
        app.post(
            "/api/v1/auth/invitation",
            &json!({ "token": token_in_link, "password": "yet another long password" }),
        )
        .await,
        400,
        "invalid_invitation",
    )
    .await;
    app.login(&Person {
        account_id: 0,
        email: "ivan@acme.example.com".into(),
        password: PASSWORD.into(),
    })
    .await;
    let id = saved["user"]["id"].as_i64().unwrap();
    assert_problem(
        app.post_auth(
            &format!("/api/v1/users/{id}/invitation"),
            &token,
            &json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
}

async fn the_users_list_filters_searches_sorts_and_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    set_seats(&app, admin.account_id, 20).await;
    let group = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "Field sales" }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let role = json_of(
        app.post_auth(
            "/api/v1/roles",
            &token,
            &json!({ "name": "Manager", "rights": gatehouse_domain::rights::Rights::all() }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    add(
        &app,
        &token,
        "ivan@acme.example.com",
        "Иван Петров",
        json!({ "group_id": group["id"], "phone": "+7 912 000-11-22" }),
    )
    .await;
    add(
        &app,
        &token,
        "olga@acme.example.com",
        "Ольга Смирнова",
        json!({ "role_id": role["role"]["id"] }),
    )
    .await;
    add(
        &app,
        &token,
        "fred@acme.example.com",
        "Fred Free",
        json!({ "is_free": true }),
    )
    .await;
    add(
        &app,
        &token,
        "adam@acme.example.com",
        "Adam Second",
        json!({ "is_admin": true }),
    )
    .await;
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let list = |query: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            json_of(
                app.get_auth(&format!("/api/v1/users{query}"), &token).await,
                StatusCode::OK,
            )
            .await
        }
    };
    let all = list("").await;
    assert_eq!(
        names(&all),
        [
            "Adam Second",
            "Anna Admin",
            "Fred Free",
            "Иван Петров",
            "Ольга Смирнова"
        ]
    );
    // The free member takes no seat.
    assert_eq!(all["seats"]["used"], 4);
    assert_eq!(all["seats"]["total"], 20);
    assert_eq!(all["total"], 5);
    let ivan = &all["items"][3];
    assert_eq!(
        ivan["group"],
        json!({ "id": group["id"], "name": "Field sales", "is_default": false })
    );
    assert_eq!(ivan["role"], Value::Null);
    assert_eq!(
        all["items"][4]["role"],
        json!({ "id": role["role"]["id"], "name": "Manager" })
    );
    assert_eq!(
        names(&list("?sort=-name&per_page=2").await),
        ["Ольга Смирнова", "Иван Петров"]
    );
    let second = list("?sort=-name&per_page=2&page=2").await;
    assert_eq!(names(&second), ["Fred Free", "Anna Admin"]);
    assert_eq!(second["total"], 5);
    // Past the last page there are no rows, but still the total and the seat counter.
    let beyond = list("?sort=-name&per_page=2&page=4").await;
    assert_eq!(names(&beyond), Vec::<String>::new());
    assert_eq!(beyond["total"], 5);
    assert_eq!(beyond["page"], 4);
    assert_eq!(beyond["seats"], all["seats"]);
    assert_eq!(
        names(&list("?sort=created").await),
        [
            "Anna Admin",
            "Иван Петров",
            "Ольга Смирнова",
            "Fred Free",
            "Adam Second"
        ]
    );
    // Case-insensitive search in any script, by e-mail, by phone digits.
    assert_eq!(
        names(&list("?q=%D0%98%D0%92%D0%90%D0%9D").await),
        ["Иван Петров"]
    );
    assert_eq!(names(&list("?q=OLGA@").await), ["Ольга Смирнова"]);
    assert_eq!(names(&list("?q=000-11").await), ["Иван Петров"]);
    let nobody = list("?q=100%25").await;
    assert_eq!(names(&nobody), Vec::<String>::new());
    assert_eq!(nobody["total"], 0);
    assert_eq!(nobody["seats"], all["seats"]);
    assert_eq!(
        names(&list("?status=admins").await),
        ["Adam Second", "Anna Admin"]
    );
    assert_eq!(names(&list("?status=free").await), ["Fred Free"]);
    assert_eq!(
        names(
            &list(Box::leak(
                format!("?group_id={}", group["id"]).into_boxed_str()
            ))
            .await
        ),
        ["Иван Петров"]
    );
    assert_eq!(
        names(
            &list(Box::leak(
                format!("?role_id={}", role["role"]["id"]).into_boxed_str()
            ))
            .await
        ),
        ["Ольга Смирнова"]
    );
    assert_eq!(names(&list("?two_factor=true").await), Vec::<String>::new());
    // Only the administrator has signed in.
    assert_eq!(
        names(&list("?last_login_after=2000-01-01T00:00:00Z").await),
        ["Anna Admin"]
    );
    assert_eq!(
        names(&list("?sort=-last_login&per_page=1").await),
        ["Anna Admin"]
    );
    assert_eq!(names(&list("?status=inactive").await), Vec::<String>::new());
    assert_problem(
        app.get_auth("/api/v1/users?status=sleeping", &token).await,
        400,
        "invalid_query",
    )
    .await;
    assert_problem(
        app.get_auth("/api/v1/users?colour=red", &token).await,
        400,
        "invalid_query",
    )
    .await;
}

async fn bulk_acts_apply_to_ids_and_to_all_matching(backend: Backend) {
    let app = spawn_app(backend).await;
    let (admin, token) = signed_in(&app).await;
    set_seats(&app, admin.account_id, 4).await;
    let a = add(&app, &token, "a@acme.example.com", "Alla Alpha", json!({})).await;
    let b = add(&app, &token, "b@acme.example.com", "Boris Beta", json!({})).await;
    let c = add(&app, &token, "c@acme.example.com", "Clara Gamma", json!({})).await;
    let group = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    // All matching a search: two of three.
    let result = json_of(
        app.post_auth(
            "/api/v1/users/bulk",
            &token,
            &json!({ "select": { "filter": { "q": "a@acme" } }, "action": { "kind": "set_group", "group_id": group["id"] } }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["affected"], 2, "anna@ and a@ match");
    let north = json_of(
        app.get_auth(&format!("/api/v1/users?group_id={}", group["id"]), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(north["total"], 2);
    let role = json_of(
        app.post_auth(
            "/api/v1/roles",
            &token,
            &json!({ "name": "Viewer", "rights": gatehouse_domain::rights::Rights::none() }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let result = json_of(
        app.post_auth(
            "/api/v1/users/bulk",
            &token,
            &json!({ "select": { "ids": [b, c, 999_999] }, "action": { "kind": "set_role", "role_id": role["role"]["id"] } }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["affected"], 2);
    // Deactivated members (as the reassignment issue will) come back only within the seats.
    for id in [a, b, c] {
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        gatehouse_api::entities::memberships::Entity::update_many()
            .col_expr(
                gatehouse_api::entities::memberships::Column::IsActive,
                Expr::value(false),
            )
            .filter(gatehouse_api::entities::memberships::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    add(&app, &token, "d@acme.example.com", "Dina Delta", json!({})).await;
    add(
        &app,
        &token,
        "e@acme.example.com",
        "Egor Epsilon",
        json!({}),
    )
    .await;
    // Three to activate, one seat free: none is activated.
    let problem = assert_problem(
        app.post_auth(
            "/api/v1/users/bulk",
            &token,
            &json!({ "select": { "filter": { "status": "inactive" } }, "action": { "kind": "activate" } }),
        )
        .await,
        409,
        "seats_exhausted",
    )
    .await;
    assert_eq!(problem.seats.unwrap().used, 3);
    let inactive = json_of(
        app.get_auth("/api/v1/users?status=inactive", &token).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(inactive["total"], 3);
    let result = json_of(
        app.post_auth(
            "/api/v1/users/bulk",
            &token,
            &json!({ "select": { "ids": [a] }, "action": { "kind": "activate" } }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["affected"], 1);
    assert_problem(
        app.post_auth(
            "/api/v1/users/bulk",
            &token,
            &json!({ "select": { "ids": [a] }, "action": { "kind": "explode" } }),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
}

async fn the_last_admin_stays_and_self_demotion_needs_confirmation(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let me = json_of(app.get_auth("/api/v1/me", &token).await, StatusCode::OK).await;
    let my_id = me["membership"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/users/{my_id}");
    assert_problem(
        app.patch_auth(&path, &token, &json!({ "is_admin": false }))
            .await,
        409,
        "self_demotion",
    )
    .await;
    assert_problem(
        app.patch_auth(
            &path,
            &token,
            &json!({ "is_free": true, "confirm_self_demotion": true }),
        )
        .await,
        409,
        "last_admin",
    )
    .await;
    assert_problem(
        app.patch_auth(
            &path,
            &token,
            &json!({ "is_admin": false, "confirm_self_demotion": true }),
        )
        .await,
        409,
        "last_admin",
    )
    .await;
    let second = add(
        &app,
        &token,
        "adam@acme.example.com",
        "Adam Second",
        json!({ "is_admin": true }),
    )
    .await;
    let saved = json_of(
        app.patch_auth(
            &path,
            &token,
            &json!({ "is_admin": false, "confirm_self_demotion": true }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(saved["user"]["is_admin"], false);
    // The change reaches the very next request.
    assert_problem(
        app.get_auth("/api/v1/users", &token).await,
        403,
        "forbidden",
    )
    .await;
    let adam = app
        .login(&Person {
            account_id: 0,
            email: "adam@acme.example.com".into(),
            password: PASSWORD.into(),
        })
        .await
        .access_token;
    assert_problem(
        app.patch_auth(
            &format!("/api/v1/users/{second}"),
            &adam,
            &json!({ "is_admin": false, "confirm_self_demotion": true }),
        )
        .await,
        409,
        "last_admin",
    )
    .await;
}

async fn groups_keep_the_default_and_their_members(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let groups = json_of(app.get_auth("/api/v1/groups", &token).await, StatusCode::OK).await;
    let default = &groups[0];
    assert_eq!(default["is_default"], true);
    assert_eq!(default["members"], 1);
    let default_path = format!("/api/v1/groups/{}", default["id"]);
    assert_problem(
        app.put_auth(&default_path, &token, &json!({ "name": "Renamed" }))
            .await,
        409,
        "default_group_locked",
    )
    .await;
    assert_problem(
        app.delete_auth(&default_path, &token).await,
        409,
        "default_group_locked",
    )
    .await;
    let north = json_of(
        app.post_auth(
            "/api/v1/groups",
            &token,
            &json!({ "name": "  North   team " }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(north["name"], "North team");
    assert_problem(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "North team" }))
            .await,
        409,
        "name_taken",
    )
    .await;
    let problem = assert_problem(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "   " }))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "name_empty");
    let path = format!("/api/v1/groups/{}", north["id"]);
    add(
        &app,
        &token,
        "b@acme.example.com",
        "Boris Beta",
        json!({ "group_id": north["id"] }),
    )
    .await;
    let problem =
        assert_problem(app.delete_auth(&path, &token).await, 409, "group_not_empty").await;
    assert_eq!(problem.count, Some(1));
    let renamed = json_of(
        app.put_auth(&path, &token, &json!({ "name": "South" }))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (renamed["name"].as_str(), renamed["members"].as_u64()),
        (Some("South"), Some(1))
    );
    let east = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "East" }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let east_path = format!("/api/v1/groups/{}", east["id"]);
    assert_eq!(
        app.delete_auth(&east_path, &token).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_problem(app.delete_auth(&east_path, &token).await, 404, "not_found").await;
}

async fn role_changes_reach_members_at_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let mut rights = gatehouse_domain::rights::Rights::all();
    rights.leads.view = gatehouse_domain::rights::Level::M;
    rights.leads.edit = gatehouse_domain::rights::Level::M;
    rights.leads.delete = gatehouse_domain::rights::Level::D;
    rights.leads.export = gatehouse_domain::rights::Level::M;
    let saved = json_of(
        app.post_auth(
            "/api/v1/roles",
            &token,
            &json!({ "name": "Junior", "rights": rights, "hidden_sections": ["analytics"] }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(saved["narrowed"], json!([]));
    let role_id = saved["role"]["id"].as_i64().unwrap();
    // Own rights are set too, but the role's win (R4).
    add(
        &app,
        &token,
        "jun@acme.example.com",
        "June Junior",
        json!({ "role_id": role_id, "hidden_sections": ["mail"] }),
    )
    .await;
    let june = app
        .login(&Person {
            account_id: 0,
            email: "jun@acme.example.com".into(),
            password: PASSWORD.into(),
        })
        .await
        .access_token;
    let me = json_of(app.get_auth("/api/v1/me", &june).await, StatusCode::OK).await;
    assert_eq!(me["access"]["standing"]["kind"], "member");
    assert_eq!(me["access"]["standing"]["rights"]["leads"]["view"], "M");
    assert_eq!(
        me["access"]["hidden_sections"],
        json!(["analytics", "mail", "settings"])
    );
    assert_eq!(me["membership"]["role"]["name"], "Junior");
    assert!(me.get("seats").is_none(), "seats are for administrators");
    rights.leads.view = gatehouse_domain::rights::Level::G;
    json_of(
        app.put_auth(
            &format!("/api/v1/roles/{role_id}"),
            &token,
            &json!({ "name": "Junior", "rights": rights }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let me = json_of(app.get_auth("/api/v1/me", &june).await, StatusCode::OK).await;
    assert_eq!(me["access"]["standing"]["rights"]["leads"]["view"], "G");
    assert_eq!(me["access"]["hidden_sections"], json!(["mail", "settings"]));
    let problem = assert_problem(
        app.delete_auth(&format!("/api/v1/roles/{role_id}"), &token)
            .await,
        409,
        "role_in_use",
    )
    .await;
    assert_eq!(problem.count, Some(1));
    // Non-admins cannot read roles; the admin's /me shows the seats.
    assert_problem(app.get_auth("/api/v1/roles", &june).await, 403, "forbidden").await;
    let me = json_of(app.get_auth("/api/v1/me", &token).await, StatusCode::OK).await;
    assert_eq!(me["access"]["standing"]["kind"], "admin");
    assert_eq!(me["seats"]["used"], 2);
}

async fn rights_are_normalised_and_the_narrowing_reported(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let id = add(&app, &token, "b@acme.example.com", "Boris Beta", json!({})).await;
    let pipelines = json_of(
        app.get_auth("/api/v1/pipelines", &token).await,
        StatusCode::OK,
    )
    .await;
    let stages = pipelines[0]["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 6);
    let stage = stages[0]["id"].as_i64().unwrap();
    let mut rights = serde_json::to_value(gatehouse_domain::rights::Rights::all()).unwrap();
    rights["leads"]["view"] = json!("M");
    rights["stages"] = json!({ stage.to_string(): { "view": "D" } });
    let saved = json_of(
        app.patch_auth(
            &format!("/api/v1/users/{id}"),
            &token,
            &json!({ "rights": rights }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let narrowed: Vec<(String, String, String)> = saved["narrowed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["right"].as_str().unwrap().to_owned(),
                n["from"].as_str().unwrap().to_owned(),
                n["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        narrowed.contains(&("leads.edit".into(), "A".into(), "M".into())),
        "{narrowed:?}"
    );
    assert!(
        narrowed.contains(&("leads.export".into(), "A".into(), "M".into())),
        "{narrowed:?}"
    );
    assert!(
        narrowed.contains(&(format!("stages.{stage}.edit"), "inherit".into(), "D".into())),
        "{narrowed:?}"
    );
    assert_eq!(saved["user"]["rights"]["leads"]["edit"], "M");
    // The member does not see a pipeline whose every stage is hidden.
    let mut hidden = saved["user"]["rights"].clone();
    hidden["stages"] = json!(stages
        .iter()
        .map(|s| (
            s["id"].to_string(),
            json!({ "view": "D", "edit": "D", "delete": "D", "export": "D" })
        ))
        .collect::<serde_json::Map<String, Value>>());
    json_of(
        app.patch_auth(
            &format!("/api/v1/users/{id}"),
            &token,
            &json!({ "rights": hidden }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let boris = app
        .login(&Person {
            account_id: 0,
            email: "b@acme.example.com".into(),
            password: PASSWORD.into(),
        })
        .await
        .access_token;
    let seen = json_of(
        app.get_auth("/api/v1/pipelines", &boris).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(seen, json!([]));
    // Stages of nowhere, and "add" at a level it cannot have, are refused.
    rights["stages"] = json!({ "999999": { "view": "A" } });
    let problem = assert_problem(
        app.patch_auth(
            &format!("/api/v1/users/{id}"),
            &token,
            &json!({ "rights": rights }),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem.errors[0].code, "unknown_stage");
    rights["stages"] = json!({});
    rights["leads"]["add"] = json!("G");
    assert_problem(
        app.patch_auth(
            &format!("/api/v1/users/{id}"),
            &token,
            &json!({ "rights": rights }),
        )
        .await,
        400,
        "invalid_body",
    )
    .await;
}

async fn team_endpoints_refuse_members_and_other_accounts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let member = add(&app, &token, "m@acme.example.com", "Mila Member", json!({})).await;
    let group = json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let role = json_of(
        app.post_auth(
            "/api/v1/roles",
            &token,
            &json!({ "name": "R", "rights": gatehouse_domain::rights::Rights::all() }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await["role"]["id"]
        .as_i64()
        .unwrap();
    let mila = app
        .login(&Person {
            account_id: 0,
            email: "m@acme.example.com".into(),
            password: PASSWORD.into(),
        })
        .await
        .access_token;
    let other = app
        .create_account("Globex", "gina@globex.example.com", "Gina Globex", PASSWORD)
        .await;
    let gina = app.login(&other).await.access_token;
    let rights = serde_json::to_value(gatehouse_domain::rights::Rights::all()).unwrap();
    let user_body = json!({ "name": "New Person", "email": "new@x.example.com", "invite": true });
    let group_body = json!({ "name": "X" });
    let role_body = json!({ "name": "X", "rights": rights });
    let bulk = json!({ "select": { "ids": [member] }, "action": { "kind": "activate" } });
    let patch = json!({ "name": "Changed Name" });
    let none = json!({});
    // (method, path, body, whether the path names an object of the first account)
    let endpoints: Vec<(&str, String, &Value, bool)> = vec![
        ("GET", "/api/v1/users".into(), &none, false),
        ("POST", "/api/v1/users".into(), &user_body, false),
        ("POST", "/api/v1/users/bulk".into(), &bulk, false),
        ("GET", format!("/api/v1/users/{member}"), &none, true),
        ("PATCH", format!("/api/v1/users/{member}"), &patch, true),
        (
            "POST",
            format!("/api/v1/users/{member}/invitation"),
            &none,
            true,
        ),
        ("GET", "/api/v1/groups".into(), &none, false),
        ("POST", "/api/v1/groups".into(), &group_body, false),
        ("PUT", format!("/api/v1/groups/{group}"), &group_body, true),
        ("DELETE", format!("/api/v1/groups/{group}"), &none, true),
        ("GET", "/api/v1/roles".into(), &none, false),
        ("POST", "/api/v1/roles".into(), &role_body, false),
        ("GET", format!("/api/v1/roles/{role}"), &none, true),
        ("PUT", format!("/api/v1/roles/{role}"), &role_body, true),
        ("DELETE", format!("/api/v1/roles/{role}"), &none, true),
        ("GET", "/api/v1/audit-log".into(), &none, false),
    ];
    for (method, path, body, names_object) in &endpoints {
        let call = |who: String| {
            let app = &app;
            let request = app
                .client
                .request(method.parse().unwrap(), app.url(path))
                .bearer_auth(who);
            let request = if *method == "GET" || *method == "DELETE" {
                request
            } else {
                request.json(body)
            };
            request.send()
        };
        let response = call(mila.clone()).await.unwrap();
        assert_problem(response, 403, "forbidden").await;
        if *names_object {
            let response = call(gina.clone()).await.unwrap();
            assert_problem(response, 404, "not_found").await;
        }
    }
    // A bulk act naming another account's ids changes nothing there.
    let result = json_of(
        app.post_auth(
            "/api/v1/users/bulk",
            &gina,
            &json!({ "select": { "ids": [member] }, "action": { "kind": "set_role", "role_id": null } }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(result["affected"], 0);
    // The other account's list holds only its own people.
    let list = json_of(
        app.get_auth("/api/v1/users?status=all", &gina).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["total"], 1);
    let log = json_of(
        app.get_auth("/api/v1/audit-log", &gina).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(log["total"], 0);
}

async fn the_audit_log_records_acts_and_filters_them(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, token) = signed_in(&app).await;
    let id = add(&app, &token, "b@acme.example.com", "Boris Beta", json!({})).await;
    json_of(
        app.patch_auth(
            &format!("/api/v1/users/{id}"),
            &token,
            &json!({ "is_admin": true, "phone": "+7 900 111 22 33" }),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    json_of(
        app.post_auth("/api/v1/groups", &token, &json!({ "name": "North" }))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let log = json_of(
        app.get_auth("/api/v1/audit-log", &token).await,
        StatusCode::OK,
    )
    .await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["group_created", "user_updated", "user_created"]);
    let updated = &log["items"][1];
    assert_eq!(updated["actor"]["name"], "Anna Admin");
    assert_eq!(updated["target"]["name"], "Boris Beta");
    assert_eq!(
        updated["details"]["is_admin"],
        json!({ "before": false, "after": true })
    );
    assert_eq!(updated["details"]["phone"]["after"], "+79001112233");
    let created = &log["items"][2];
    assert!(
        created["details"].get("password").is_none(),
        "no secret in the log"
    );
    let by_target = json_of(
        app.get_auth(&format!("/api/v1/audit-log?target_id={id}"), &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_target["total"], 2);
    let by_action = json_of(
        app.get_auth("/api/v1/audit-log?action=group_created", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_action["total"], 1);
    let future = json_of(
        app.get_auth("/api/v1/audit-log?from=2999-01-01T00:00:00Z", &token)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(future["total"], 0);
}
