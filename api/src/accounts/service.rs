use chrono::Utc;
use gatehouse_domain::{
    people::{Email, Language, Password, PersonName},
    problem::{ErrorCode, FieldError},
    Id,
};
use rand::{distributions::Alphanumeric, Rng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use crate::{
    auth::password::PasswordHasher,
    entities::{accounts, groups, identities, memberships, pipelines, stages},
    error::{ApiError, ApiResult},
};

pub struct NewAccount {
    pub name: String,
    pub admin_email: String,
    pub admin_name: String,
    /// `None`: generate one and hand it back once.
    pub admin_password: Option<String>,
    pub language: String,
}

pub struct CreatedAccount {
    pub account_id: Id,
    pub admin_email: String,
    /// The generated password, when one was generated.
    pub generated_password: Option<String>,
    /// The e-mail already belonged to a person: their name and password were left as they are.
    pub identity_existed: bool,
}

/// The longest account name shown in menus and e-mails.
const MAX_ACCOUNT_NAME: usize = 100;

/// Creates an account, its default group and pipeline, and its first administrator (U2).
///
/// When the e-mail is already an identity (a person in another account), that identity joins
/// the new account as it is: its name and password stay theirs (seed 001).
///
/// # Errors
/// 422 with field errors for an invalid name, e-mail, password or language.
pub async fn create(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
    new: NewAccount,
) -> ApiResult<CreatedAccount> {
    let mut errors = Vec::new();
    let account_name = new.name.trim().to_owned();
    if account_name.is_empty() || account_name.chars().count() > MAX_ACCOUNT_NAME {
        errors.push(FieldError::new(
            "name",
            "account_name_invalid",
            "the account name must have 1 to 100 characters",
        ));
    }
    let email = Email::parse(&new.admin_email)
        .map_err(|e| errors.push(FieldError::new("admin_email", e.code(), e.to_string())));
    let admin_name = PersonName::parse(&new.admin_name)
        .map_err(|e| errors.push(FieldError::new("admin_name", e.code(), e.to_string())));
    let language = Language::from_code(&new.language);
    if language.is_none() {
        errors.push(FieldError::new(
            "language",
            "language_unknown",
            "the language must be ru, en, es or pt",
        ));
    }
    let generated = new.admin_password.is_none().then(generate_password);
    let password = Password::parse_new(
        new.admin_password
            .as_deref()
            .or(generated.as_deref())
            .unwrap_or_default(),
    )
    .map_err(|e| errors.push(FieldError::new("admin_password", e.code(), e.to_string())));
    let (Ok(email), Ok(admin_name), Some(language), Ok(password)) =
        (email, admin_name, language, password)
    else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }

    let existing = identities::Entity::find()
        .filter(identities::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    // Hash before the transaction: it is slow and needs no rows locked.
    let password_hash = match existing {
        Some(_) => None,
        None => Some(hasher.hash(password).await?),
    };

    let now = Utc::now();
    let txn = db.begin().await?;
    let account = accounts::ActiveModel {
        name: Set(account_name),
        language: Set(language.code().to_owned()),
        seats_general: Set(5),
        seats_technical: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let group = groups::ActiveModel {
        account_id: Set(account.id),
        name: Set(default_group_name(language).to_owned()),
        is_default: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    create_default_pipeline(&txn, account.id, language).await?;
    let identity_existed = existing.is_some();
    let identity = match existing {
        Some(identity) => identity,
        None => identities::ActiveModel {
            email: Set(email.as_str().to_owned()),
            name: Set(admin_name.as_str().to_owned()),
            name_folded: Set(crate::db::fold(admin_name.as_str())),
            password_hash: Set(password_hash),
            language: Set(language.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(|e| conflict_on_unique(e, "admin_email"))?,
    };
    memberships::ActiveModel {
        account_id: Set(account.id),
        identity_id: Set(identity.id),
        group_id: Set(Some(group.id)),
        is_admin: Set(true),
        is_free: Set(false),
        is_active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(CreatedAccount {
        account_id: account.id,
        admin_email: identity.email,
        generated_password: if identity_existed { None } else { generated },
        identity_existed,
    })
}

/// Two concurrent creations of the same e-mail: the loser gets 409, not a 500.
fn conflict_on_unique(err: sea_orm::DbErr, field: &str) -> ApiError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::detailed(
            ErrorCode::EmailTaken,
            format!("{field}: this e-mail was just registered"),
        ),
        _ => err.into(),
    }
}

/// "Sales department" in the account's language; the group cannot be renamed (R5).
const fn default_group_name(language: Language) -> &'static str {
    match language {
        Language::Ru => "Отдел продаж",
        Language::En => "Sales department",
        Language::Es => "Departamento de ventas",
        Language::Pt => "Departamento de vendas",
    }
}

async fn create_default_pipeline(
    db: &impl ConnectionTrait,
    account_id: Id,
    language: Language,
) -> ApiResult<()> {
    let now = Utc::now();
    let (pipeline_name, stage_names): (&str, [&str; 6]) = match language {
        Language::Ru => (
            "Воронка",
            [
                "Первичный контакт",
                "Переговоры",
                "Принимают решение",
                "Согласование договора",
                "Успешно реализовано",
                "Закрыто и не реализовано",
            ],
        ),
        Language::Es => (
            "Embudo",
            [
                "Primer contacto",
                "Negociación",
                "Toma de decisión",
                "Contrato",
                "Ganado",
                "Perdido",
            ],
        ),
        Language::Pt => (
            "Funil",
            [
                "Primeiro contato",
                "Negociação",
                "Tomada de decisão",
                "Contrato",
                "Ganho",
                "Perdido",
            ],
        ),
        Language::En => (
            "Pipeline",
            [
                "Initial contact",
                "Negotiation",
                "Decision making",
                "Contract",
                "Closed - won",
                "Closed - lost",
            ],
        ),
    };
    let pipeline = pipelines::ActiveModel {
        account_id: Set(account_id),
        name: Set(pipeline_name.to_owned()),
        sort: Set(0),
        is_default: Set(true),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for (sort, name) in (0..).zip(stage_names) {
        let kind = match sort {
            4 => "won",
            5 => "lost",
            _ => "open",
        };
        stages::ActiveModel {
            account_id: Set(account_id),
            pipeline_id: Set(pipeline.id),
            name: Set(name.to_owned()),
            sort: Set(sort),
            kind: Set(kind.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// 20 random letters and digits (~119 bits).
#[must_use]
pub fn generate_password() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

/// The demo login printed on the console of a fresh install.
pub struct DemoLogin {
    pub account_id: Id,
    pub account_name: String,
    pub email: String,
    pub password: String,
}

pub const DEMO_ACCOUNT_NAME: &str = "Demo company";
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.example.com";

/// Creates the demo account when the database has no account at all (the first start), and
/// returns its id with the login to print.
///
/// # Errors
/// Database errors.
pub async fn ensure_demo(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
) -> ApiResult<Option<(Id, DemoLogin)>> {
    if accounts::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let (account_id, login) = create_demo(db, hasher).await?;
    Ok(login.map(|login| (account_id, login)))
}

/// Creates the demo account "Demo company" administered by [`DEMO_ADMIN_EMAIL`]. The login is
/// absent when that person already had an identity (and so keeps their password).
///
/// # Errors
/// Database errors.
pub async fn create_demo(
    db: &DatabaseConnection,
    hasher: &PasswordHasher,
) -> ApiResult<(Id, Option<DemoLogin>)> {
    let created = create(
        db,
        hasher,
        NewAccount {
            name: DEMO_ACCOUNT_NAME.to_owned(),
            admin_email: DEMO_ADMIN_EMAIL.to_owned(),
            admin_name: "Demo Admin".to_owned(),
            admin_password: None,
            language: "en".to_owned(),
        },
    )
    .await?;
    let login = created.generated_password.map(|password| DemoLogin {
        account_id: created.account_id,
        account_name: DEMO_ACCOUNT_NAME.to_owned(),
        email: created.admin_email,
        password,
    });
    Ok((created.account_id, login))
}
