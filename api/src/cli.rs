//! The `gatehouse` command line: serve (the default), migrate, create-account, accounts
//! set-seats, demo, openapi.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{
    accounts::service::{self as accounts, NewAccount},
    auth::password::PasswordHasher,
    config::{DatabaseConfig, LogConfig, ServeConfig},
    db, openapi,
    startup::Application,
    telemetry,
};

#[derive(Debug, Parser)]
#[command(
    name = "gatehouse",
    version,
    about = "Gatehouse: people and access for sales CRMs"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Options of `serve`, the default command.
    #[command(flatten)]
    serve: ServeConfig,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server: API, web app and background jobs (the default).
    Serve(Box<ServeConfig>),
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        database: DatabaseConfig,
    },
    /// Create an account with its first administrator; prints the account id.
    CreateAccount {
        /// The account's (company's) name.
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_email: String,
        #[arg(long)]
        admin_name: String,
        /// Without it a strong password is generated and printed once. Ignored when the e-mail
        /// already belongs to a person in another account: they keep their own password.
        #[arg(long, env = "GATEHOUSE_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
        /// The account's language: ru, en, es or pt.
        #[arg(long, default_value = "en")]
        language: String,
        #[command(flatten)]
        database: DatabaseConfig,
    },
    /// Platform acts on accounts.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Fill an account with demo data (groups, roles, members, pipelines, companies, contacts,
    /// leads, tasks, timelines); an account that has leads only with --append.
    Demo(crate::demo::command::DemoArgs),
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(Debug, Subcommand)]
enum AccountsCommand {
    /// Set an account's licence seats (U3). Members already active keep their seats; new
    /// members and reactivations need a free one.
    SetSeats {
        /// The account id (as printed by create-account).
        #[arg(long)]
        account: i64,
        /// General seats.
        #[arg(long)]
        general: u32,
        /// Technical seats; unchanged when absent.
        #[arg(long)]
        technical: Option<u32>,
        #[command(flatten)]
        database: DatabaseConfig,
    },
}

/// Runs the command line and turns failures into a message and exit code 1.
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(config)) => serve(*config).await,
        Some(Command::Migrate { database }) => {
            telemetry::init(&LogConfig::default_quiet());
            db::connect(&database).await.map_err(|e| e.to_string())?;
            println!("database is up to date");
            Ok(())
        }
        Some(Command::CreateAccount {
            name,
            admin_email,
            admin_name,
            admin_password,
            language,
            database,
        }) => {
            telemetry::init(&LogConfig::default_quiet());
            let conn = db::connect(&database).await.map_err(|e| e.to_string())?;
            let hasher = PasswordHasher::start(1, 4);
            let new = NewAccount {
                name,
                admin_email,
                admin_name,
                admin_password,
                language,
            };
            let created = accounts::create(&conn, &hasher, new)
                .await
                .map_err(|e| describe(&e))?;
            println!("account_id: {}", created.account_id);
            println!("administrator: {}", created.admin_email);
            match created.generated_password {
                Some(password) => println!("password: {password}   (generated; shown only now)"),
                None if created.identity_existed => {
                    println!("password: unchanged (this person already had an identity)");
                }
                None => {}
            }
            Ok(())
        }
        Some(Command::Accounts {
            command:
                AccountsCommand::SetSeats {
                    account,
                    general,
                    technical,
                    database,
                },
        }) => {
            telemetry::init(&LogConfig::default_quiet());
            let conn = db::connect(&database).await.map_err(|e| e.to_string())?;
            let txn = sea_orm::TransactionTrait::begin(&conn)
                .await
                .map_err(|e| e.to_string())?;
            let seats = crate::accounts::seats::set(&txn, account, general, technical)
                .await
                .map_err(|e| describe(&e))?;
            crate::audit::record_platform(
                &txn,
                account,
                "seats_changed",
                serde_json::json!({ "general": seats.general, "technical": seats.technical }),
            )
            .await
            .map_err(|e| e.to_string())?;
            txn.commit().await.map_err(|e| e.to_string())?;
            println!(
                "seats: {} used of {} ({} general, {} technical)",
                seats.used, seats.total, seats.general, seats.technical
            );
            if seats.used > seats.total {
                println!("note: more members are active than there are seats; nobody new can be added or reactivated until seats are freed");
            }
            Ok(())
        }
        Some(Command::Demo(args)) => crate::demo::command::run(args).await,
        Some(Command::Openapi) => {
            println!("{}", openapi::document_json().map_err(|e| e.to_string())?);
            Ok(())
        }
    }
}

async fn serve(config: ServeConfig) -> Result<(), String> {
    telemetry::init(&config.log);
    let app = Application::build(config)
        .await
        .map_err(|e| e.to_string())?;
    println!("Gatehouse is running at {}", app.url());
    if let Some(demo) = app.demo_login() {
        println!(
            "Demo account \"{}\": sign in as {} with password {}",
            demo.account_name, demo.email, demo.password
        );
        println!(
            "Its client cabinet: {}/cabinet/{} — a client signs in with {}; the SMS codes are in the CRM's SMS outbox",
            app.url(),
            demo.account_id,
            crate::demo::cabinet::DEMO_CLIENT_PHONE
        );
    }
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

fn describe(err: &crate::error::ApiError) -> String {
    use crate::error::ApiError;
    match err {
        ApiError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
