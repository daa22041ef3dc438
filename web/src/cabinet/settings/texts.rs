//! The cabinet settings screen's texts, Russian and English, one match arm per text giving
//! both (see `crate::sms::texts` for why the CRM-only screens keep their own tables).

use gatehouse_domain::sms::{Marker, SMS_LIMIT};

use crate::{
    i18n::{field_code_text, Lang},
    sms::texts::{pick, Words},
};

/// Every text of the cabinet settings screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Title,
    Lead,
    StateSection,
    Enabled,
    EnabledHint,
    SignInSection,
    Provider,
    ChooseProvider,
    ProviderHint,
    ManageProviders,
    LoginTemplate,
    DeletionTemplate,
    Insert,
    AppearanceSection,
    Language,
    Header,
    HeaderHint,
    Logo,
    LogoHint,
    ChooseLogo,
    CurrentLogo,
    ChosenLogo,
    NoLogo,
    UploadLogo,
    Uploading,
    RemoveLogo,
    LogoUploaded,
    LogoRemoved,
    ShownSection,
    Chat,
    ChatHint,
    ShowCompany,
    ShowClientName,
    Deletion,
    DeletionHint,
    Events,
    EventsHint,
    Fields,
    FieldsHint,
    Field,
    Alias,
    LeadName,
    LeadPrice,
    LeadCreated,
    Stages,
    StagesHint,
    NoStages,
    Link,
    LinkHint,
    Open,
    FixFields,
    Saved,
}

/// The words of `text`.
#[must_use]
pub const fn words(text: Text) -> Words {
    match text {
        Text::Title => ("Client cabinet", "Кабинет клиента"),
        Text::Lead => (
            "A page of your own where clients follow their deals, see the fields you choose, chat with their manager and may erase their personal data. They sign in with their phone number and a code sent by SMS.",
            "Персональная страница, где клиенты следят за своими сделками, видят выбранные вами поля, переписываются с менеджером и могут удалить свои персональные данные. Вход — по номеру телефона и коду из SMS.",
        ),
        Text::StateSection => ("Availability", "Доступность"),
        Text::Enabled => ("The client cabinet is on", "Кабинет клиента включён"),
        Text::EnabledHint => (
            "While it is off, its link opens nothing and no codes are sent.",
            "Пока он выключен, ссылка ничего не открывает и коды не отправляются.",
        ),
        Text::SignInSection => ("Sign-in by SMS", "Вход по SMS"),
        Text::Provider => ("SMS provider", "SMS-провайдер"),
        Text::ChooseProvider => ("— Choose a provider —", "— Выберите провайдера —"),
        Text::ProviderHint => (
            "Sign-in and deletion codes go through it; the cabinet cannot be turned on without one.",
            "Через него уходят коды входа и удаления; без него кабинет не включить.",
        ),
        Text::ManageProviders => ("SMS providers and log", "SMS-провайдеры и журнал"),
        Text::LoginTemplate => ("Sign-in SMS", "SMS для входа"),
        Text::DeletionTemplate => ("Data deletion SMS", "SMS для удаления данных"),
        Text::Insert => ("Insert a marker:", "Вставить маркер:"),
        Text::AppearanceSection => ("Appearance", "Оформление"),
        Text::Language => ("Cabinet language", "Язык кабинета"),
        Text::Header => ("Sign-in page header", "Заголовок страницы входа"),
        Text::HeaderHint => ("At most 200 characters.", "Не длиннее 200 символов."),
        Text::Logo => ("Logo", "Логотип"),
        Text::LogoHint => (
            "PNG, from 80×40 to 800×800 pixels, at most 500 KB.",
            "PNG, от 80×40 до 800×800 пикселей, не более 500 КБ.",
        ),
        Text::ChooseLogo => ("Choose a PNG file", "Выберите PNG-файл"),
        Text::CurrentLogo => ("Current logo", "Текущий логотип"),
        Text::ChosenLogo => ("Chosen file", "Выбранный файл"),
        Text::NoLogo => ("No logo yet.", "Логотипа пока нет."),
        Text::UploadLogo => ("Upload logo", "Загрузить логотип"),
        Text::Uploading => ("Uploading…", "Загрузка…"),
        Text::RemoveLogo => ("Remove logo", "Удалить логотип"),
        Text::LogoUploaded => ("Logo uploaded.", "Логотип загружен."),
        Text::LogoRemoved => ("Logo removed.", "Логотип удалён."),
        Text::ShownSection => ("What clients see", "Что видят клиенты"),
        Text::Chat => ("Chat with the manager", "Чат с менеджером"),
        Text::ChatHint => (
            "Messages join the lead's timeline; managers answer from the lead card.",
            "Сообщения попадают в историю сделки; менеджер отвечает из карточки сделки.",
        ),
        Text::ShowCompany => ("Show the company", "Показывать компанию"),
        Text::ShowClientName => ("Show the client's name", "Показывать имя клиента"),
        Text::Deletion => ("Personal data deletion", "Удаление персональных данных"),
        Text::DeletionHint => (
            "Clients may erase their name, phones and e-mails after confirming with an SMS code; the timeline keeps the note “The client requested deletion of their data”.",
            "Клиент может удалить имя, телефоны и e-mail, подтвердив кодом из SMS; в истории останется запись «Пользователь запросил удаление данных».",
        ),
        Text::Events => ("Events shown", "Отображаемые события"),
        Text::EventsHint => (
            "Which events of the lead's timeline clients see.",
            "Какие события из истории сделки видит клиент.",
        ),
        Text::Fields => ("Fields shown", "Отображаемые поля"),
        Text::FieldsHint => (
            "Tick the lead's fields to show, and name each as clients should read it.",
            "Отметьте поля сделки, которые показывать, и задайте, как их назвать для клиента.",
        ),
        Text::Field => ("Field", "Поле"),
        Text::Alias => ("Name in the cabinet", "Название в кабинете"),
        Text::LeadName => ("Lead name", "Название сделки"),
        Text::LeadPrice => ("Budget", "Бюджет"),
        Text::LeadCreated => ("Created", "Дата создания"),
        Text::Stages => ("Stages shown", "Отображаемые этапы"),
        Text::StagesHint => (
            "A lead in a stage that is not shown shows the last shown stage before it.",
            "Сделка на неотображаемом этапе показывается на последнем отображаемом этапе перед ним.",
        ),
        Text::NoStages => ("No pipelines yet.", "Воронок пока нет."),
        Text::Link => ("Cabinet link", "Ссылка на кабинет"),
        Text::LinkHint => (
            "One link for all clients: each sees only their own deals once signed in.",
            "Одна ссылка для всех клиентов: после входа каждый видит только свои сделки.",
        ),
        Text::Open => ("Open", "Открыть"),
        Text::FixFields => (
            "Some settings need fixing: see the marked fields.",
            "Некоторые настройки нужно исправить: см. отмеченные поля.",
        ),
        Text::Saved => ("Settings saved.", "Настройки сохранены."),
    }
}

/// What a marker's button inserts, in words for its label.
#[must_use]
pub const fn marker_words(marker: Marker) -> Words {
    match marker {
        Marker::Code => ("the code", "код"),
        Marker::ContactFirstName => ("the client's first name", "имя клиента"),
        Marker::ContactName => ("the client's full name", "полное имя клиента"),
        Marker::AccountName => ("the account's name", "название аккаунта"),
    }
}

/// "52 / 70 characters at the markers' longest, 1 SMS".
#[must_use]
pub fn length_text(lang: Lang, chars: usize, segments: usize) -> String {
    match lang {
        Lang::En => {
            format!("{chars} / {SMS_LIMIT} characters at the markers' longest, {segments} SMS")
        }
        Lang::Ru => format!(
            "{chars} / {SMS_LIMIT} символов при самых длинных значениях маркеров, {segments} SMS"
        ),
    }
}

/// "{{contact.phone}} is not a marker."
#[must_use]
pub fn unknown_marker_text(lang: Lang, token: &str) -> String {
    match lang {
        Lang::En => format!("{token} is not a marker: use the buttons below."),
        Lang::Ru => format!("{token} — не маркер: используйте кнопки ниже."),
    }
}

/// A settings field's error in words; a code this build does not know shows in the server's
/// (English) words.
#[must_use]
pub fn field_error_text(lang: Lang, code: &str, message: &str) -> String {
    let words = match code {
        "template_empty" => ("Write the message.", "Напишите текст сообщения."),
        "template_unknown_marker" => (
            "Only the markers of the buttons below may be used.",
            "Можно использовать только маркеры с кнопок ниже.",
        ),
        "template_code_missing" => (
            "The message must contain {{code}}.",
            "В сообщении должен быть {{code}}.",
        ),
        "template_too_long" => (
            "Over 70 characters with the markers at their longest: shorten the message.",
            "Больше 70 символов при самых длинных значениях маркеров: сократите сообщение.",
        ),
        "sms_provider_required" => (
            "Choose the provider that sends the codes.",
            "Выберите провайдера, который отправляет коды.",
        ),
        "sms_provider_unknown" => (
            "This provider is no longer there: choose another.",
            "Этого провайдера больше нет: выберите другого.",
        ),
        "header_too_long" | "too_long" => ("At most 200 characters.", "Не длиннее 200 символов."),
        "event_kind_not_shown" | "event_kind_repeated" => (
            "This event type cannot be shown.",
            "Этот тип событий нельзя показывать.",
        ),
        "field_unknown" => (
            "This field is not among the lead's fields any more.",
            "Этого поля больше нет среди полей сделки.",
        ),
        "field_repeated" | "stage_repeated" => ("Listed twice.", "Указано дважды."),
        "stage_unknown" => ("This stage is no longer there.", "Этого этапа больше нет."),
        "alias_empty" => ("Give it a name.", "Задайте название."),
        "alias_too_long" => ("At most 60 characters.", "Не длиннее 60 символов."),
        "logo_not_png" => (
            "This file is not a PNG image. Choose a .png file.",
            "Этот файл — не изображение PNG. Выберите файл .png.",
        ),
        "logo_too_small" => (
            "The logo is too small: at least 80×40 pixels.",
            "Логотип слишком мал: нужно не меньше 80×40 пикселей.",
        ),
        "logo_too_large" => (
            "The logo is too large: at most 800×800 pixels.",
            "Логотип слишком велик: не больше 800×800 пикселей.",
        ),
        "logo_too_heavy" | "payload_too_large" => (
            "The file is over 500 KB. Choose a lighter one.",
            "Файл больше 500 КБ. Выберите файл поменьше.",
        ),
        _ => return field_code_text(lang, code).unwrap_or_else(|| message.to_owned()),
    };
    pick(lang, words).to_owned()
}
