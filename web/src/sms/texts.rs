//! The SMS screen's texts, Russian and English. The admin app shares `crate::i18n`'s table
//! with the CRM workspace and is at its download budget, so the CRM-only screens carry their
//! own tables; each text is one match arm giving both languages, so a key without either
//! does not compile.

use crate::i18n::{field_code_text, Lang, Locale};
use gatehouse_domain::sms::{SmsProviderKind, SmsPurpose, SmsStatus, WebhookFormat};

/// A text in both languages: English, then Russian (as `crate::i18n` writes them).
pub type Words = (&'static str, &'static str);

/// The words in `lang`.
#[must_use]
pub const fn pick(lang: Lang, words: Words) -> &'static str {
    match lang {
        Lang::En => words.0,
        Lang::Ru => words.1,
    }
}

/// The words in the current language, for a view or an attribute (tracked). One closure type
/// for every text of these screens, so they carry one compiled text renderer.
pub fn say(
    locale: Locale,
    words: Words,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || pick(locale.lang(), words)
}

/// Every text of the SMS screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Title,
    Lead,
    Providers,
    NoProviders,
    AddProvider,
    ChangeProvider,
    ProviderName,
    KindOutbox,
    KindHttp,
    Url,
    Format,
    FormatJson,
    FormatForm,
    PhoneField,
    PhoneFieldHint,
    MessageField,
    MessageFieldHint,
    Sender,
    SenderHint,
    Timeout,
    Retries,
    RetriesHint,
    Authorization,
    AuthorizationHint,
    AuthorizationSet,
    AuthorizationNotSet,
    RemoveAuthorization,
    ProviderSaved,
    DeleteTitle,
    ProviderDeleted,
    TestTitle,
    TestLead,
    Provider,
    TestPhone,
    Send,
    Sending,
    TestSent,
    Log,
    LogLead,
    Status,
    AllStatuses,
    NoMessages,
    Via,
    Body,
    BodyNotKept,
    Tries,
    BackToCabinet,
}

/// The words of `text`.
#[must_use]
pub const fn words(text: Text) -> Words {
    match text {
        Text::Title => ("SMS", "SMS"),
        Text::Lead => (
            "Providers carry the client cabinet's sign-in and deletion codes. The outbox keeps its messages here for you to read, so a fresh install works without a gateway; an HTTP provider posts them to your SMS gateway.",
            "Провайдеры доставляют коды входа в кабинет клиента и удаления данных. «Исходящие» хранят сообщения здесь, чтобы вы их читали, — так кабинет работает сразу после установки; HTTP-провайдер передаёт их вашему SMS-шлюзу.",
        ),
        Text::Providers => ("Providers", "Провайдеры"),
        Text::NoProviders => (
            "No providers yet.",
            "Провайдеров пока нет.",
        ),
        Text::AddProvider => ("Add an HTTP gateway", "Добавить HTTP-шлюз"),
        Text::ChangeProvider => ("Change provider", "Изменить провайдера"),
        Text::ProviderName => ("Name", "Название"),
        Text::KindOutbox => ("Outbox", "Исходящие"),
        Text::KindHttp => ("HTTP gateway", "HTTP-шлюз"),
        Text::Url => ("Gateway address", "Адрес шлюза"),
        Text::Format => ("Request body", "Тело запроса"),
        Text::FormatJson => ("JSON", "JSON"),
        Text::FormatForm => ("Form (urlencoded)", "Форма (urlencoded)"),
        Text::PhoneField => ("Phone field", "Поле телефона"),
        Text::PhoneFieldHint => (
            "Carries the number in international form, +79123456789.",
            "В нём номер в международном виде, +79123456789.",
        ),
        Text::MessageField => ("Text field", "Поле текста"),
        Text::MessageFieldHint => ("Carries the message.", "В нём текст сообщения."),
        Text::Sender => ("Sender name", "Имя отправителя"),
        Text::SenderHint => (
            "Optional, at most 11 characters; sent as sender.",
            "Необязательно, до 11 символов; передаётся как sender.",
        ),
        Text::Timeout => ("Timeout, ms", "Тайм-аут, мс"),
        Text::Retries => ("Retries", "Повторы"),
        Text::RetriesHint => ("0 to 5, with growing pauses.", "От 0 до 5, с растущими паузами."),
        Text::Authorization => ("Authorization header", "Заголовок Authorization"),
        Text::AuthorizationHint => (
            "For example Bearer and the gateway's key. It is never shown again; leave empty to keep the one set.",
            "Например, Bearer и ключ шлюза. Больше не показывается; оставьте пустым, чтобы сохранить заданный.",
        ),
        Text::AuthorizationSet => ("Authorization: set", "Authorization: задан"),
        Text::AuthorizationNotSet => ("Authorization: not set", "Authorization: не задан"),
        Text::RemoveAuthorization => ("Remove the stored header", "Удалить сохранённый заголовок"),
        Text::ProviderSaved => ("Provider saved.", "Провайдер сохранён."),
        Text::DeleteTitle => ("Delete the provider?", "Удалить провайдера?"),
        Text::ProviderDeleted => ("Provider deleted.", "Провайдер удалён."),
        Text::TestTitle => ("Send a test SMS", "Отправить тестовое SMS"),
        Text::TestLead => (
            "Checks a provider end to end; the message joins the log below.",
            "Проверяет провайдера целиком; сообщение появится в журнале ниже.",
        ),
        Text::Provider => ("Provider", "Провайдер"),
        Text::TestPhone => ("Phone number", "Номер телефона"),
        Text::Send => ("Send", "Отправить"),
        Text::Sending => ("Sending…", "Отправка…"),
        Text::TestSent => ("The test SMS is in the log.", "Тестовое SMS — в журнале."),
        Text::Log => ("SMS log", "Журнал SMS"),
        Text::LogLead => (
            "Newest first. The outbox keeps each message's text, so sign-in codes can be read here; once a gateway has taken a message its text is dropped, since it holds a code.",
            "Сначала новые. «Исходящие» хранят текст сообщений, поэтому коды входа можно прочитать здесь; когда шлюз принял сообщение, его текст удаляется — в нём код.",
        ),
        Text::Status => ("Status", "Статус"),
        Text::AllStatuses => ("All statuses", "Все статусы"),
        Text::NoMessages => ("No messages.", "Сообщений нет."),
        Text::Via => ("via", "через"),
        Text::Body => ("Text", "Текст"),
        Text::BodyNotKept => (
            "The text is not kept once a gateway has it.",
            "Текст не хранится после передачи шлюзу.",
        ),
        Text::Tries => ("Tries", "Попытки"),
        Text::BackToCabinet => ("Client cabinet settings", "Настройки кабинета клиента"),
    }
}

#[must_use]
pub const fn kind_words(kind: SmsProviderKind) -> Words {
    words(match kind {
        SmsProviderKind::Outbox => Text::KindOutbox,
        SmsProviderKind::Http => Text::KindHttp,
    })
}

#[must_use]
pub const fn format_words(format: WebhookFormat) -> Words {
    words(match format {
        WebhookFormat::Json => Text::FormatJson,
        WebhookFormat::Form => Text::FormatForm,
    })
}

#[must_use]
pub const fn status_words(status: SmsStatus) -> Words {
    match status {
        SmsStatus::Outbox => ("In the outbox", "В исходящих"),
        SmsStatus::Queued => ("Queued", "В очереди"),
        SmsStatus::Sent => ("Sent", "Отправлено"),
        SmsStatus::Failed => ("Failed", "Не отправлено"),
    }
}

#[must_use]
pub const fn purpose_words(purpose: SmsPurpose) -> Words {
    match purpose {
        SmsPurpose::Login => ("Sign-in code", "Код входа"),
        SmsPurpose::Deletion => ("Deletion code", "Код удаления"),
        SmsPurpose::Test => ("Test", "Тест"),
    }
}

/// A provider's field error in words; a code this build does not know shows in the server's
/// (English) words.
#[must_use]
pub fn field_error_text(lang: Lang, code: &str, message: &str) -> String {
    let words = match code {
        "name_empty" => ("Give the provider a name.", "Дайте провайдеру название."),
        "name_too_long" => ("At most 60 characters.", "Не длиннее 60 символов."),
        "kind_invalid" => (
            "A provider's type does not change, and the outbox exists already.",
            "Тип провайдера не меняется, а «Исходящие» уже есть.",
        ),
        "webhook_required" => (
            "An HTTP provider needs its gateway's address.",
            "HTTP-провайдеру нужен адрес шлюза.",
        ),
        "webhook_not_allowed" => (
            "The outbox sends nothing anywhere.",
            "«Исходящие» никуда не отправляют.",
        ),
        "url_invalid" => (
            "Enter an http:// or https:// address.",
            "Введите адрес, начинающийся с http:// или https://.",
        ),
        "field_name_invalid" => (
            "1 to 64 Latin letters, digits, _ - or . — and not the other field's name.",
            "От 1 до 64 латинских букв, цифр, _ - или . — и не как у другого поля.",
        ),
        "timeout_out_of_range" => (
            "From 500 to 30 000 milliseconds.",
            "От 500 до 30 000 миллисекунд.",
        ),
        "retries_out_of_range" => ("From 0 to 5 retries.", "От 0 до 5 повторов."),
        "sender_too_long" => ("At most 11 characters.", "Не длиннее 11 символов."),
        "authorization_invalid" => (
            "One line of at most 1000 characters.",
            "Одна строка не длиннее 1000 символов.",
        ),
        "not_a_number" => ("Enter a whole number.", "Введите целое число."),
        _ => return field_code_text(lang, code).unwrap_or_else(|| message.to_owned()),
    };
    pick(lang, words).to_owned()
}
