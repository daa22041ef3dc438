//! Russian and English texts, checked at compile time.
//!
//! Every text is one match arm giving both languages at once, so a key without a Russian or an
//! English text does not compile; API error codes and field error codes are matched the same way,
//! exhaustively over the domain's enums, so a new code in `crates/domain` fails the web build
//! until it is translated.

use gatehouse_domain::{people::Language, people::PersonError, problem::ErrorCode};
use leptos::prelude::*;

/// The languages of the admin app. Identities may also speak Spanish or Portuguese (U1); the
/// admin app shows them English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|lang| lang.code() == code)
    }

    /// A language's own name, so a reader finds theirs whatever the current language is.
    #[must_use]
    pub const fn native_name(self) -> &'static str {
        match self {
            Self::Ru => "Русский",
            Self::En => "English",
        }
    }

    #[must_use]
    pub const fn from_language(language: Language) -> Self {
        match language {
            Language::Ru => Self::Ru,
            Language::En | Language::Es | Language::Pt => Self::En,
        }
    }

    #[must_use]
    pub const fn language(self) -> Language {
        match self {
            Self::Ru => Language::Ru,
            Self::En => Language::En,
        }
    }

    /// The browser's preferred language: anything Russian (`ru`, `ru-RU`) is Russian, the rest
    /// English.
    fn from_browser() -> Self {
        let preferred = web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default();
        if preferred.to_lowercase().starts_with("ru") {
            Self::Ru
        } else {
            Self::En
        }
    }
}

/// Every text of the app's own (not the API's) wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    SignInTitle,
    SignInLead,
    Email,
    Password,
    SignIn,
    SigningIn,
    PasswordRequired,
    Loading,
    Language,
    Account,
    Sections,
    Profile,
    SignOut,
    SkipToContent,
    Dismiss,
    PersonalDetails,
    AccountMembership,
    Name,
    Role,
    Administrator,
    User,
    FreeUser,
    Group,
    NoGroup,
    DefaultGroup,
    MemberSince,
    EditName,
    Edit,
    Save,
    Saving,
    Cancel,
    NotFoundTitle,
    NotFoundText,
    GoHome,
    NetworkError,
    UnexpectedError,
}

/// The text of `key` in `lang`.
#[must_use]
pub fn t(lang: Lang, key: Key) -> &'static str {
    let (en, ru) = match key {
        Key::SignInTitle => ("Sign in to Gatehouse", "Вход в Gatehouse"),
        Key::SignInLead => (
            "People and access for your sales CRM",
            "Сотрудники и доступы вашей CRM",
        ),
        Key::Email => ("E-mail", "Электронная почта"),
        Key::Password => ("Password", "Пароль"),
        Key::SignIn => ("Sign in", "Войти"),
        Key::SigningIn => ("Signing in…", "Выполняется вход…"),
        Key::PasswordRequired => ("Enter your password.", "Введите пароль."),
        Key::Loading => ("Loading…", "Загрузка…"),
        Key::Language => ("Language", "Язык"),
        Key::Account => ("Account", "Аккаунт"),
        Key::Sections => ("Sections", "Разделы"),
        Key::Profile => ("Profile", "Профиль"),
        Key::SignOut => ("Sign out", "Выйти"),
        Key::SkipToContent => ("Skip to content", "Перейти к содержимому"),
        Key::Dismiss => ("Dismiss", "Закрыть"),
        Key::PersonalDetails => ("Personal details", "Личные данные"),
        Key::AccountMembership => ("In this account", "В этом аккаунте"),
        Key::Name => ("Name", "Имя"),
        Key::Role => ("Role", "Роль"),
        Key::Administrator => ("Administrator", "Администратор"),
        Key::User => ("User", "Пользователь"),
        Key::FreeUser => ("Free user", "Бесплатный пользователь"),
        Key::Group => ("Group", "Группа"),
        Key::NoGroup => ("No group", "Без группы"),
        Key::DefaultGroup => ("Sales department", "Отдел продаж"),
        Key::MemberSince => ("Member since", "В аккаунте с"),
        Key::EditName => ("Edit name", "Изменить имя"),
        Key::Edit => ("Edit", "Изменить"),
        Key::Save => ("Save", "Сохранить"),
        Key::Saving => ("Saving…", "Сохранение…"),
        Key::Cancel => ("Cancel", "Отмена"),
        Key::NotFoundTitle => ("Page not found", "Страница не найдена"),
        Key::NotFoundText => (
            "There is nothing at this address.",
            "По этому адресу ничего нет.",
        ),
        Key::GoHome => ("Go to the start page", "На главную"),
        Key::NetworkError => (
            "Cannot reach the server. Check your connection and try again.",
            "Нет связи с сервером. Проверьте подключение и попробуйте ещё раз.",
        ),
        Key::UnexpectedError => (
            "Unexpected answer from the server",
            "Неожиданный ответ сервера",
        ),
    };
    pick(lang, en, ru)
}

/// What went wrong, in words for the person, for every code the API can answer with.
#[must_use]
pub fn error_text(lang: Lang, code: ErrorCode) -> &'static str {
    let (en, ru) = match code {
        ErrorCode::MalformedJson
        | ErrorCode::InvalidBody
        | ErrorCode::InvalidPath
        | ErrorCode::InvalidQuery => (
            "The app sent a request the server did not understand. Reload the page and try again.",
            "Сервер не понял запрос приложения. Обновите страницу и попробуйте ещё раз.",
        ),
        ErrorCode::Unauthenticated | ErrorCode::InvalidToken => {
            ("Please sign in to continue.", "Войдите, чтобы продолжить.")
        }
        ErrorCode::InvalidCredentials => {
            ("Wrong e-mail or password.", "Неверная почта или пароль.")
        }
        ErrorCode::SessionEnded => (
            "Your session has ended. Please sign in again.",
            "Сеанс завершён. Войдите снова.",
        ),
        ErrorCode::InvalidRefreshToken => (
            "Your session has expired. Please sign in again.",
            "Срок сеанса истёк. Войдите снова.",
        ),
        ErrorCode::RefreshTokenReused => (
            "For your safety the session was ended. Please sign in again.",
            "В целях безопасности сеанс завершён. Войдите снова.",
        ),
        ErrorCode::Forbidden => (
            "You do not have the right to do this.",
            "У вас нет прав на это действие.",
        ),
        ErrorCode::MemberDeactivated => (
            "Your user is deactivated in this account. Ask the account administrator.",
            "Ваш пользователь отключён в этом аккаунте. Обратитесь к администратору аккаунта.",
        ),
        ErrorCode::NotAMember => (
            "You are not a member of this account.",
            "Вы не состоите в этом аккаунте.",
        ),
        ErrorCode::NotFound | ErrorCode::RouteNotFound => ("Not found.", "Не найдено."),
        ErrorCode::MethodNotAllowed => (
            "The server does not allow this action here.",
            "Сервер не допускает здесь это действие.",
        ),
        ErrorCode::Conflict => (
            "Someone changed this in the meantime. Reload the page and try again.",
            "Данные успели измениться. Обновите страницу и попробуйте ещё раз.",
        ),
        ErrorCode::EmailTaken => (
            "This e-mail is already in use.",
            "Эта почта уже используется.",
        ),
        ErrorCode::PayloadTooLarge => (
            "The data sent is too large.",
            "Слишком большой объём данных.",
        ),
        ErrorCode::UnsupportedMediaType => (
            "The server does not accept this kind of data.",
            "Сервер не принимает данные такого типа.",
        ),
        ErrorCode::ValidationFailed => ("Please correct the fields below.", "Исправьте поля ниже."),
        ErrorCode::RateLimited => (
            "Too many attempts. Wait a few minutes and try again.",
            "Слишком много попыток. Подождите несколько минут и попробуйте снова.",
        ),
        ErrorCode::Internal => (
            "Something went wrong on the server. Try again later.",
            "На сервере произошла ошибка. Попробуйте позже.",
        ),
        ErrorCode::ServerBusy => (
            "The server is busy. Try again in a moment.",
            "Сервер перегружен. Попробуйте через минуту.",
        ),
        ErrorCode::ServiceUnavailable => (
            "The service is temporarily unavailable. Try again later.",
            "Сервис временно недоступен. Попробуйте позже.",
        ),
    };
    pick(lang, en, ru)
}

/// What is wrong with one field, for every field rule of the domain.
#[must_use]
pub fn field_error_text(lang: Lang, error: PersonError) -> &'static str {
    let (en, ru) = match error {
        PersonError::EmailEmpty => ("Enter your e-mail.", "Введите почту."),
        PersonError::EmailInvalid => (
            "This is not a valid e-mail address.",
            "Это не похоже на адрес почты.",
        ),
        PersonError::NameEmpty => ("Enter a name.", "Введите имя."),
        PersonError::NameTooLong => (
            "The name must be at most 50 characters.",
            "Имя должно быть не длиннее 50 символов.",
        ),
        PersonError::NameInvalidCharacters => (
            "Use only letters, spaces and . @ - _",
            "Допустимы только буквы, пробелы и символы . @ - _",
        ),
        PersonError::NameContainsLink => (
            "The name must not contain a link.",
            "Имя не должно содержать ссылку.",
        ),
        PersonError::PasswordTooLong => (
            "The password must be at most 1024 bytes.",
            "Пароль должен быть не длиннее 1024 байт.",
        ),
        PersonError::PasswordTooShort => (
            "The password must be at least 8 characters.",
            "Пароль должен быть не короче 8 символов.",
        ),
    };
    pick(lang, en, ru)
}

/// The domain rule a field error code names, if this build knows it. Compared through
/// `PersonError::code`, so it cannot drift from the wire codes; a variant added to the domain
/// fails `field_error_text` above until translated, and belongs in this list too.
#[must_use]
pub fn person_error(code: &str) -> Option<PersonError> {
    [
        PersonError::EmailEmpty,
        PersonError::EmailInvalid,
        PersonError::NameEmpty,
        PersonError::NameTooLong,
        PersonError::NameInvalidCharacters,
        PersonError::NameContainsLink,
        PersonError::PasswordTooLong,
        PersonError::PasswordTooShort,
    ]
    .into_iter()
    .find(|error| error.code() == code)
}

const fn pick(lang: Lang, en: &'static str, ru: &'static str) -> &'static str {
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// The current language, one per app: every text reads it, so switching re-renders them all.
#[derive(Debug, Clone, Copy)]
pub struct Locale {
    lang: RwSignal<Lang>,
}

/// Where the last chosen language survives a reload for someone not yet signed in.
const STORAGE_KEY: &str = "gatehouse.language";

impl Locale {
    /// The stored choice, else the browser's language; the signed-in identity's language
    /// replaces it as soon as the session knows it.
    #[must_use]
    pub fn new() -> Self {
        let lang = stored().unwrap_or_else(Lang::from_browser);
        let locale = Self {
            lang: RwSignal::new(lang),
        };
        // `<html lang>` follows so screen readers pronounce the texts in the right language.
        Effect::new(move |_| {
            let code = locale.lang.get().code();
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("lang", code);
            }
        });
        locale
    }

    /// The current language (tracked).
    #[must_use]
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The text of `key` in the current language (tracked).
    #[must_use]
    pub fn t(&self, key: Key) -> &'static str {
        t(self.lang.get(), key)
    }

    /// Switches the app's language and remembers it in this browser.
    pub fn set(&self, lang: Lang) {
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
        if let Some(storage) = local_storage() {
            // Private modes may refuse storage; the language still applies to this visit.
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
    }
}

impl Default for Locale {
    fn default() -> Self {
        Self::new()
    }
}

fn stored() -> Option<Lang> {
    local_storage()?
        .get_item(STORAGE_KEY)
        .ok()
        .flatten()
        .and_then(|code| Lang::from_code(&code))
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The app's language context.
#[must_use]
pub fn use_locale() -> Locale {
    expect_context::<Locale>()
}
