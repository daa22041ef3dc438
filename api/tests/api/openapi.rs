//! The committed OpenAPI document is what the code generates, and every operation in it is
//! served.

use crate::helpers::{spawn_app, Backend};

#[test]
fn committed_openapi_document_matches_the_code() {
    let generated = gatehouse_api::openapi::document_json().unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is stale: regenerate it with `cargo run -p gatehouse-api -- openapi > openapi/openapi.json`"
    );
    let doc: serde_json::Value = serde_json::from_str(&generated).unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "OpenAPI 3.1"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_operation_is_served() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc = gatehouse_api::openapi::document();
    let mut count = 0;
    for (path, item) in &doc.paths.paths {
        let concrete = path.replace("{id}", "1");
        let methods = [
            ("GET", item.get.is_some()),
            ("POST", item.post.is_some()),
            ("PATCH", item.patch.is_some()),
            ("PUT", item.put.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, present) in methods {
            if !present {
                continue;
            }
            count += 1;
            let response = app
                .client
                .request(method.parse().unwrap(), app.url(&concrete))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert!(
                !body.contains("route_not_found") && status != 405,
                "{method} {path} is documented but not served: {status} {body}"
            );
            assert!(status < 500, "{method} {path}: {status} {body}");
            // Every operation documents its error answers.
        }
        for op in [&item.get, &item.post, &item.patch, &item.put, &item.delete]
            .into_iter()
            .flatten()
        {
            assert!(
                !op.responses.responses.is_empty(),
                "{path} documents its responses"
            );
        }
    }
    assert!(count >= 8, "only {count} operations");
}
