//! What answers when no route matched: a problem+json 404 or 405 for API paths, the web app's
//! `index.html` for everything else (client-side routes such as `/profile`). The CRM workspace
//! (board, lead cards, contacts, companies, tasks) is a bundle of its own, built into `crm/` of
//! the web directory: its routes get its shell, so the admin app's download stays the admin
//! app's (SPEC Q4) and a member working deals loads only the CRM. The client cabinet
//! (`/cabinet/{account}/…`) is another, built into `cabinet/`.

use std::path::PathBuf;

use actix_web::{http::Method, web, HttpRequest, HttpResponse};
use gatehouse_domain::problem::ErrorCode;

use crate::error::{ApiError, ApiResult};

/// The known API paths and their methods, taken from the OpenAPI document, so a wrong method
/// on a real path is 405 with `Allow`, not 404.
pub struct Fallback {
    routes: Vec<(Vec<String>, Vec<String>)>,
    index_html: PathBuf,
    /// The shells of the bundles besides the admin app, with the first path segments of
    /// their routes.
    bundles: Vec<(&'static [&'static str], PathBuf)>,
}

/// The web bundles besides the admin app: the directory each is built into, and the first path
/// segments of its client-side routes (its assets are served from its directory).
pub const BUNDLES: [(&str, &[&str]); 2] = [
    (
        "crm",
        &["crm", "leads", "contacts", "companies", "tasks", "settings"],
    ),
    ("cabinet", &["cabinet"]),
];

impl Fallback {
    #[must_use]
    pub fn new(doc: &utoipa::openapi::OpenApi, web_dir: PathBuf) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(str::to_owned)
                    .collect();
                let mut methods: Vec<String> = Vec::new();
                let ops = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                for (name, present) in ops {
                    if present {
                        methods.push(name.to_owned());
                    }
                }
                (segments, methods)
            })
            .collect();
        Self {
            routes,
            index_html: web_dir.join("index.html"),
            bundles: BUNDLES
                .iter()
                .map(|(dir, routes)| (*routes, web_dir.join(dir).join("index.html")))
                .collect(),
        }
    }

    /// The shell of the bundle `path` belongs to.
    fn shell(&self, path: &str) -> &PathBuf {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
        self.bundles
            .iter()
            .find(|(routes, _)| routes.contains(&first))
            .map_or(&self.index_html, |(_, html)| html)
    }

    fn allowed(&self, path: &str) -> Option<&[String]> {
        let wanted: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes
            .iter()
            .find(|(segments, _)| {
                segments.len() == wanted.len()
                    && segments
                        .iter()
                        .zip(&wanted)
                        .all(|(s, w)| s == w || (s.starts_with('{') && s.ends_with('}')))
            })
            .map(|(_, methods)| methods.as_slice())
    }
}

fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path == "/api"
        || path.starts_with("/.well-known/")
        || path == "/healthz"
        || path == "/readyz"
}

/// The default service of the app.
///
/// # Errors
/// 404 `route_not_found` or 405 `method_not_allowed` for API paths; 404 when the web app is
/// not built.
pub async fn fallback(req: HttpRequest, fallback: web::Data<Fallback>) -> ApiResult<HttpResponse> {
    let path = req.path();
    if is_api_path(path) {
        return Err(match fallback.allowed(path) {
            Some(allow) if !allow.iter().any(|m| m == req.method().as_str()) => {
                ApiError::MethodNotAllowed {
                    allow: allow.to_vec(),
                }
            }
            _ => ApiError::Code(ErrorCode::RouteNotFound),
        });
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(ApiError::MethodNotAllowed {
            allow: vec!["GET".to_owned(), "HEAD".to_owned()],
        });
    }
    match tokio::fs::read(fallback.shell(path)).await {
        // The shell must never be cached: it names the hashed asset files of the current build.
        Ok(html) => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(("Cache-Control", "no-cache"))
            .body(html)),
        Err(_) => Err(ApiError::detailed(
            ErrorCode::RouteNotFound,
            "the web app is not built here; build it with scripts/start (or trunk in web/) or set GATEHOUSE_WEB_DIR",
        )),
    }
}
