//! Building the application: connect, migrate, load keys, bind, and assemble the actix app.
//! `Application::build` binds first (port 0 in tests) and records the real address.

use std::{net::TcpListener, path::PathBuf, sync::Arc};

use actix_web::{
    dev::{Server, ServiceFactory, ServiceRequest},
    middleware::{Compress, DefaultHeaders, ErrorHandlers},
    web, App, HttpServer,
};
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt, UtoipaApp};
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    accounts::service::{ensure_demo, DemoLogin, DEMO_ACCOUNT_NAME},
    audit,
    auth::{self, password::PasswordHasher, sessions::SessionCache, tokens::TokenKeys},
    config::{cores, ServeConfig},
    crm, db,
    error::{extractor_errors, problem_for_bare_errors},
    groups, health,
    http::{
        client::ClientIpConfig,
        fallback::{fallback, Fallback},
    },
    mail::{self, Mailer},
    openapi::ApiDoc,
    pipelines, profile, roles,
    security::{self, policy::PolicyCache},
    state::AppState,
    users,
};
use gatehouse_domain::security::IpRange;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] db::DbSetupError),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error("cannot prepare: {0}")]
    Prepare(#[from] crate::error::ApiError),
    #[error("invalid configuration: {0}")]
    Config(String),
}

pub struct Application {
    port: u16,
    url: String,
    server: Server,
    demo: Option<DemoLogin>,
}

impl Application {
    /// # Errors
    /// When the database, the address or the keys are not usable.
    pub async fn build(config: ServeConfig) -> Result<Self, StartupError> {
        let db = db::connect(&config.database).await?;
        let hasher =
            PasswordHasher::start(config.hash_workers.unwrap_or_else(cores), config.hash_queue);
        let demo = if config.demo {
            demo_login(&db, &hasher, &config.database.data_dir).await?
        } else {
            None
        };

        let listener = TcpListener::bind(config.addr)?;
        let bound = listener.local_addr()?;
        let url = config.public_url(bound);
        let keys = TokenKeys::load_or_create(&db, url.clone(), config.access_token_ttl).await?;
        let mailer = match config.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(smtp) => Mailer::smtp(smtp, &config.mail_from).map_err(StartupError::Config)?,
            None => Mailer::outbox(),
        };
        let trusted_proxies = config
            .trusted_proxies
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                IpRange::parse(p).map_err(|_| {
                    StartupError::Config(format!("trusted proxy {p:?} is not an address or range"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        crate::security::service::start_housekeeping(db.clone());
        let reassignments = crate::deactivation::job::start(db.clone(), config.reassignment);
        let sms = crate::sms::Courier::default();
        crate::sms::delivery::start(db.clone(), sms.clone());
        let state = web::Data::new(AppState {
            db,
            keys: Arc::new(keys),
            hasher,
            sessions: SessionCache::default(),
            policies: PolicyCache::default(),
            mailer,
            reassignments,
            sms,
            client_ip: ClientIpConfig {
                trusted_proxies,
                header: config.client_ip_header.clone(),
            },
            public_url: url.clone(),
            secure_cookies: url.starts_with("https://") || bound.ip().is_loopback(),
        });
        let web_dir = config.web_dir.clone();
        let max_body = config.max_body;
        let fallback_data =
            web::Data::new(Fallback::new(&crate::openapi::document(), web_dir.clone()));
        let server = HttpServer::new(move || {
            let (app, doc) = routes(App::new()).split_for_parts();
            app.app_data(state.clone())
                .app_data(fallback_data.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(max_body)
                        .error_handler(extractor_errors::json),
                )
                .app_data(web::PayloadConfig::default().limit(max_body))
                .app_data(web::PathConfig::default().error_handler(extractor_errors::path))
                .app_data(web::QueryConfig::default().error_handler(extractor_errors::query))
                .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", doc))
                .service(web::redirect("/api/docs", "/api/docs/"))
                .service(web_app(&web_dir))
                .default_service(web::to(fallback))
                .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors))
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "no-referrer"))
                        .add(("X-Frame-Options", "DENY")),
                )
                .wrap(Compress::default())
                .wrap(tracing_actix_web::TracingLogger::default())
        })
        .workers(config.workers.unwrap_or_else(cores))
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Self {
            port: bound.port(),
            url,
            server,
            demo,
        })
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    #[must_use]
    pub fn demo_login(&self) -> Option<&DemoLogin> {
        self.demo.as_ref()
    }

    /// Serves until SIGINT or SIGTERM, then lets in-flight requests finish.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Every described route: the API under `/api/v1`, health checks and the JWKS.
pub fn routes<T>(app: App<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(auth::routes::jwks)
        .service(
            scope::scope("/api/v1")
                .configure(auth::routes::config)
                .configure(profile::routes::config)
                .configure(security::routes::config)
                .configure(users::routes::config)
                .configure(crate::deactivation::routes::config)
                .configure(groups::routes::config)
                .configure(roles::routes::config)
                .configure(pipelines::routes::config)
                .configure(crm::routes::config)
                .configure(audit::routes::config)
                .configure(mail::routes::config)
                .configure(crate::sms::routes::config)
                .configure(crate::cabinet::config),
        )
}

/// The built web app's files. Unknown paths fall through to `fallback`, which serves
/// `index.html` for client-side routes — and so do directories (`/`, `/crm/`): the shells are
/// always served by `fallback`, which marks them `no-cache` (they name the current build's
/// hashed files). No file can have the index name below (file names cannot hold NUL), so a
/// directory's "index" is never found and the request falls through.
fn web_app(web_dir: &PathBuf) -> actix_files::Files {
    actix_files::Files::new("/", web_dir)
        .index_file("\0")
        .guard(actix_web::guard::Any(actix_web::guard::Get()).or(actix_web::guard::Head()))
        .default_handler(web::to(fallback))
}

/// Keeps the demo login in the data directory, where later starts find it to print again.
/// Best effort: without a writable data directory the login is still printed once.
pub fn remember_demo_login(data_dir: &std::path::Path, login: &DemoLogin) {
    if std::fs::create_dir_all(data_dir).is_ok() {
        let _ = std::fs::write(
            data_dir.join(DEMO_LOGIN_FILE),
            format!("{}\n{}\n", login.email, login.password),
        );
    }
}

const DEMO_LOGIN_FILE: &str = "demo-login.txt";

/// The demo login: created on the first start of an empty database, and remembered in the data
/// directory so later starts can print it again (it is a demo; change its password to keep it).
async fn demo_login(
    db: &sea_orm::DatabaseConnection,
    hasher: &PasswordHasher,
    data_dir: &std::path::Path,
) -> Result<Option<DemoLogin>, StartupError> {
    let file = data_dir.join(DEMO_LOGIN_FILE);
    if let Some((account_id, created)) = ensure_demo(db, hasher).await? {
        // A new user should sign in to a living CRM, not an empty one. The demo's members share
        // the administrator's password, so the one printed login opens them all.
        let plan = crate::demo::Plan {
            members_password_hash: crate::demo::admin_password_hash(db, account_id)
                .await
                .map_err(crate::error::ApiError::from)?,
            ..crate::demo::Plan::default()
        };
        remember_demo_login(data_dir, &created);
        crate::demo::fill(db, account_id, &plan, &|_| {})
            .await
            .map_err(|e| {
                crate::error::ApiError::internal(format!("cannot fill the demo account: {e}"))
            })?;
        crate::demo::cabinet::open(db, account_id).await?;
        return Ok(Some(created));
    }
    let Some(account_id) = crate::demo::demo_account(db)
        .await
        .map_err(crate::error::ApiError::from)?
    else {
        return Ok(None);
    };
    let remembered = std::fs::read_to_string(&file).ok().and_then(|text| {
        let mut lines = text.lines();
        Some(DemoLogin {
            account_id,
            account_name: DEMO_ACCOUNT_NAME.to_owned(),
            email: lines.next()?.to_owned(),
            password: lines.next()?.to_owned(),
        })
    });
    Ok(remembered)
}
