//! `gatehouse demo`: fills an account with demo data and says what it made, how the new
//! members sign in, and how long it took. Progress goes to standard error, the summary to
//! standard output.

use std::{sync::Mutex, time::Instant};

use clap::Args;
use gatehouse_domain::{people::Password, Id};

use super::{check, demo_account, fill, DemoMember, MemberKind, Plan, Progress, DEFAULT_LEADS};
use crate::{
    accounts::service::{create_demo, generate_password},
    auth::password::PasswordHasher,
    config::{DatabaseConfig, LogConfig},
    db, telemetry,
};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The account to fill (as printed by create-account). Default: the demo account of
    /// admin@demo.example.com, created when there is none.
    #[arg(long)]
    pub account: Option<Id>,
    /// Leads to write, 0 to 10000000; companies, contacts, tasks and timeline events follow
    /// their number.
    #[arg(long, default_value_t = DEFAULT_LEADS)]
    pub leads: u64,
    /// Members to add, 4 to 10000 (default 24). Only a first fill adds members.
    #[arg(long)]
    pub members: Option<u32>,
    /// Add records to an account that already has leads (otherwise refused), spread over the
    /// members and pipelines it has.
    #[arg(long)]
    pub append: bool,
    #[command(flatten)]
    pub database: DatabaseConfig,
}

/// # Errors
/// A message for the user: bad input, an unknown account, an account already filled, a
/// database failure.
pub async fn run(args: DemoArgs) -> Result<(), String> {
    telemetry::init(&LogConfig::default_quiet());
    let mut plan = Plan {
        leads: args.leads,
        members: args.members,
        append: args.append,
        members_password_hash: None,
    };
    // Bad numbers are refused before anything is created or connected to.
    check(&plan).map_err(|e| e.to_string())?;
    let conn = db::connect(&args.database)
        .await
        .map_err(|e| e.to_string())?;
    let hasher = PasswordHasher::start(1, 4);
    let found = match args.account {
        Some(id) => Some(id),
        None => demo_account(&conn).await.map_err(|e| e.to_string())?,
    };
    let (account_id, login) = match found {
        Some(id) => (id, None),
        None => {
            let (id, login) = create_demo(&conn, &hasher)
                .await
                .map_err(|e| e.to_string())?;
            println!("created the demo account: account_id: {id}");
            if let Some(login) = &login {
                println!(
                    "Demo account \"{}\": sign in as {} with password {}",
                    login.account_name, login.email, login.password
                );
                // `gatehouse serve` on this data directory prints it again.
                crate::startup::remember_demo_login(&args.database.data_dir, login);
            }
            (id, login)
        }
    };
    // The new members share one password: the new demo administrator's, or one made now.
    let members_password = if plan.append {
        None
    } else {
        let password = login
            .as_ref()
            .map_or_else(generate_password, |l| l.password.clone());
        let parsed = Password::parse_new(&password).map_err(|e| e.to_string())?;
        plan.members_password_hash = Some(hasher.hash(parsed).await.map_err(|e| e.to_string())?);
        Some(password)
    };

    eprintln!(
        "filling account {account_id} with {} leads{}…",
        plan.leads,
        if plan.append { " (appending)" } else { "" }
    );
    let started = Instant::now();
    let shown = Mutex::new(("", 0_u64));
    let report = |p: Progress| {
        // Each kind at most every tenth of the way, and when done.
        let step = (p.total / 10).max(1);
        let Ok(mut shown) = shown.lock() else {
            return;
        };
        if shown.0 != p.what || p.done / step > shown.1 / step || p.done == p.total {
            eprintln!(
                "  {}: {} of {} ({:.1} s)",
                p.what,
                p.done,
                p.total,
                started.elapsed().as_secs_f64()
            );
            *shown = (p.what, p.done);
        }
    };
    let filled = fill(&conn, account_id, &plan, &report)
        .await
        .map_err(|e| e.to_string())?;

    let r = &filled.records;
    println!("account_id: {account_id}");
    if !filled.members.is_empty() {
        println!(
            "members: {} added in {} groups with {} roles; {} pipelines, {} custom fields",
            filled.members.len(),
            filled.groups,
            filled.roles,
            filled.pipelines,
            filled.custom_fields
        );
        if let Some(password) = &members_password {
            println!("members sign in with password: {password}");
        }
        for kind in [
            MemberKind::HeadOfSales,
            MemberKind::Manager,
            MemberKind::JuniorManager,
            MemberKind::Free,
        ] {
            if let Some(member) = filled.members.iter().find(|m| m.kind == kind) {
                println!("  {:<15} {}", describe(member), member.email);
            }
        }
    }
    println!(
        "records: {} companies, {} contacts, {} leads ({} contact links, {} participants), {} \
         tasks, {} timeline events",
        r.companies, r.contacts, r.leads, r.lead_contacts, r.participants, r.tasks, r.events
    );
    let seconds = filled.elapsed.as_secs_f64();
    println!(
        "elapsed: {seconds:.1} s ({:.0} rows/s)",
        r.rows() as f64 / seconds.max(0.001)
    );
    Ok(())
}

fn describe(member: &DemoMember) -> &'static str {
    match member.kind {
        MemberKind::HeadOfSales => "head of sales",
        MemberKind::Manager => "manager",
        MemberKind::JuniorManager => "junior manager",
        MemberKind::Free => "free user",
        MemberKind::Deactivated => "left",
    }
}
