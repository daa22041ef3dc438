//! The cabinet's words in its four languages (ru, en, es, pt — the languages an administrator
//! may choose for it, K1). Its own table, not the admin app's: the cabinet's download carries
//! only what clients read (SPEC Q4).

use gatehouse_domain::{crm::EventKind, people::Language};

/// A text of the cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    DefaultHeader,
    Language,
    Loading,
    Retry,
    PhoneLabel,
    PhoneHint,
    GetCode,
    CodeSentTo,
    CodeLabel,
    SignIn,
    ResendIn,
    Resend,
    ChangePhone,
    ClosedTitle,
    ClosedText,
    PageNotFound,
    Hello,
    YourDeals,
    NoDeals,
    StageOf,
    NoStage,
    Company,
    Manager,
    Updated,
    Deal,
    AllDeals,
    YourData,
    YourDataText,
    Download,
    Erase,
    SignOut,
    History,
    NoEvents,
    Chat,
    NoMessages,
    Message,
    MessagePlaceholder,
    Send,
    You,
    Reconnecting,
    DealNotFound,
    EraseTitle,
    EraseWhat,
    EraseWhatName,
    EraseWhatPhones,
    EraseWhatEmails,
    EraseAfter,
    EraseSendCode,
    EraseCodeSent,
    EraseConfirm,
    Cancel,
    ErasedTitle,
    ErasedText,
    NetworkError,
    UnexpectedError,
    TooManyAttempts,
    TryAgainIn,
    WrongCode,
    CodeFormat,
    SessionEnded,
    PhoneEmpty,
    PhoneInvalid,
    SwitchedOff,
    NotFound,
    MessageTooLong,
    Characters,
}

/// The text of `key` in `lang`.
#[must_use]
pub fn t(lang: Language, key: Key) -> &'static str {
    // ru, en, es, pt.
    let [ru, en, es, pt] = match key {
        Key::DefaultHeader => [
            "Следите за своими сделками и пишите менеджеру",
            "Follow your deals and write to your manager",
            "Siga sus negocios y escriba a su gestor",
            "Acompanhe seus negócios e fale com seu gerente",
        ],
        Key::Language => ["Язык", "Language", "Idioma", "Idioma"],
        Key::Loading => ["Загрузка…", "Loading…", "Cargando…", "Carregando…"],
        Key::Retry => ["Повторить", "Try again", "Reintentar", "Tentar novamente"],
        Key::PhoneLabel => ["Номер телефона", "Phone number", "Número de teléfono", "Número de telefone"],
        Key::PhoneHint => [
            "Мы пришлём код для входа в SMS.",
            "We will send you a sign-in code by SMS.",
            "Le enviaremos un código de acceso por SMS.",
            "Enviaremos um código de acesso por SMS.",
        ],
        Key::GetCode => ["Получить код", "Get code", "Recibir código", "Receber código"],
        Key::CodeSentTo => [
            "Мы отправили код на номер",
            "We sent a code to",
            "Enviamos un código al",
            "Enviamos um código para",
        ],
        Key::CodeLabel => ["Код из SMS", "Code from the SMS", "Código del SMS", "Código do SMS"],
        Key::SignIn => ["Войти", "Sign in", "Entrar", "Entrar"],
        Key::ResendIn => [
            "Новый код можно запросить через",
            "You can ask for a new code in",
            "Podrá pedir un código nuevo en",
            "Você poderá pedir um novo código em",
        ],
        Key::Resend => ["Отправить код ещё раз", "Send the code again", "Enviar el código de nuevo", "Enviar o código novamente"],
        Key::ChangePhone => ["Изменить номер", "Change number", "Cambiar número", "Alterar número"],
        Key::ClosedTitle => [
            "Кабинет недоступен",
            "This cabinet is not open",
            "Este portal no está disponible",
            "Este portal não está disponível",
        ],
        Key::ClosedText => [
            "Проверьте ссылку или спросите своего менеджера.",
            "Check the link or ask your manager.",
            "Compruebe el enlace o consulte a su gestor.",
            "Verifique o link ou fale com seu gerente.",
        ],
        Key::PageNotFound => ["Страница не найдена", "Page not found", "Página no encontrada", "Página não encontrada"],
        Key::Hello => ["Здравствуйте", "Hello", "Hola", "Olá"],
        Key::YourDeals => ["Ваши сделки", "Your deals", "Sus negocios", "Seus negócios"],
        Key::NoDeals => [
            "У вас пока нет сделок с нами.",
            "You have no deals with us yet.",
            "Todavía no tiene negocios con nosotros.",
            "Você ainda não tem negócios conosco.",
        ],
        Key::StageOf => ["Этап {n} из {of}", "Stage {n} of {of}", "Etapa {n} de {of}", "Etapa {n} de {of}"],
        Key::NoStage => ["В работе", "In progress", "En curso", "Em andamento"],
        Key::Company => ["Компания", "Company", "Empresa", "Empresa"],
        Key::Manager => ["Ваш менеджер", "Your manager", "Su gestor", "Seu gerente"],
        Key::Updated => ["Обновлено", "Updated", "Actualizado", "Atualizado"],
        Key::Deal => ["Сделка № ", "Deal #", "Negocio n.º ", "Negócio nº "],
        Key::AllDeals => ["Все сделки", "All deals", "Todos los negocios", "Todos os negócios"],
        Key::YourData => ["Ваши данные", "Your data", "Sus datos", "Seus dados"],
        Key::YourDataText => [
            "Скачайте всё, что мы о вас храним, или попросите это удалить.",
            "Download everything we hold about you, or ask us to erase it.",
            "Descargue todo lo que guardamos sobre usted o pida que lo borremos.",
            "Baixe tudo o que guardamos sobre você ou peça que o apaguemos.",
        ],
        Key::Download => ["Скачать мои данные", "Download my data", "Descargar mis datos", "Baixar meus dados"],
        Key::Erase => ["Удалить мои данные", "Erase my data", "Borrar mis datos", "Apagar meus dados"],
        Key::SignOut => ["Выйти", "Sign out", "Salir", "Sair"],
        Key::History => ["История", "History", "Historial", "Histórico"],
        Key::NoEvents => ["Пока ничего не произошло.", "Nothing has happened yet.", "Todavía no ha pasado nada.", "Nada aconteceu ainda."],
        Key::Chat => ["Чат с менеджером", "Chat with your manager", "Chat con su gestor", "Chat com seu gerente"],
        Key::NoMessages => [
            "Сообщений пока нет. Напишите нам — менеджер ответит здесь.",
            "No messages yet. Write to us — your manager will answer here.",
            "Todavía no hay mensajes. Escríbanos: su gestor le responderá aquí.",
            "Ainda não há mensagens. Escreva para nós — seu gerente responderá aqui.",
        ],
        Key::Message => ["Сообщение", "Message", "Mensaje", "Mensagem"],
        Key::MessagePlaceholder => ["Напишите сообщение…", "Write a message…", "Escriba un mensaje…", "Escreva uma mensagem…"],
        Key::Send => ["Отправить", "Send", "Enviar", "Enviar"],
        Key::You => ["Вы", "You", "Usted", "Você"],
        Key::Reconnecting => [
            "Нет связи с сервером, подключаемся снова…",
            "No connection to the server; reconnecting…",
            "Sin conexión con el servidor; reconectando…",
            "Sem conexão com o servidor; reconectando…",
        ],
        Key::DealNotFound => [
            "Такой сделки нет среди ваших.",
            "This deal is not among yours.",
            "Este negocio no está entre los suyos.",
            "Este negócio não está entre os seus.",
        ],
        Key::EraseTitle => [
            "Удаление персональных данных",
            "Erase your personal data",
            "Borrar sus datos personales",
            "Apagar seus dados pessoais",
        ],
        Key::EraseWhat => ["Мы удалим из наших записей:", "We will erase from our records:", "Borraremos de nuestros registros:", "Apagaremos dos nossos registros:"],
        Key::EraseWhatName => ["ваше имя", "your name", "su nombre", "seu nome"],
        Key::EraseWhatPhones => ["ваши номера телефонов", "your phone numbers", "sus números de teléfono", "seus números de telefone"],
        Key::EraseWhatEmails => [
            "ваши адреса электронной почты",
            "your e-mail addresses",
            "sus direcciones de correo electrónico",
            "seus endereços de e-mail",
        ],
        Key::EraseAfter => [
            "Сделки останутся без этих данных, а в их истории будет отмечен ваш запрос. Вы выйдете из кабинета и не сможете снова войти по этому номеру. Отменить удаление нельзя — при желании сначала скачайте свои данные.",
            "Your deals stay, without these data, and their history notes your request. You will be signed out and cannot sign in with this number again. This cannot be undone — download your data first if you want a copy.",
            "Sus negocios se conservan sin estos datos y su historial registra su solicitud. Se cerrará su sesión y no podrá volver a entrar con este número. No se puede deshacer: si desea una copia, descargue antes sus datos.",
            "Seus negócios permanecem, sem esses dados, e o histórico registra o seu pedido. Sua sessão será encerrada e você não poderá entrar novamente com este número. Isso não pode ser desfeito — se quiser uma cópia, baixe seus dados antes.",
        ],
        Key::EraseSendCode => [
            "Получить код подтверждения",
            "Get a confirmation code",
            "Recibir un código de confirmación",
            "Receber um código de confirmação",
        ],
        Key::EraseCodeSent => [
            "Мы отправили код подтверждения на номер",
            "We sent a confirmation code to",
            "Enviamos un código de confirmación al",
            "Enviamos um código de confirmação para",
        ],
        Key::EraseConfirm => ["Удалить навсегда", "Erase for good", "Borrar para siempre", "Apagar definitivamente"],
        Key::Cancel => ["Отмена", "Cancel", "Cancelar", "Cancelar"],
        Key::ErasedTitle => ["Ваши данные удалены", "Your data was erased", "Sus datos fueron borrados", "Seus dados foram apagados"],
        Key::ErasedText => [
            "Мы удалили ваше имя, телефоны и адреса электронной почты. Вы вышли из кабинета.",
            "We erased your name, phone numbers and e-mail addresses. You are signed out.",
            "Borramos su nombre, sus teléfonos y sus correos electrónicos. Su sesión se ha cerrado.",
            "Apagamos seu nome, seus telefones e seus e-mails. Sua sessão foi encerrada.",
        ],
        Key::NetworkError => [
            "Нет связи с сервером. Проверьте интернет и повторите.",
            "No connection to the server. Check your internet and try again.",
            "Sin conexión con el servidor. Compruebe su internet e inténtelo de nuevo.",
            "Sem conexão com o servidor. Verifique sua internet e tente novamente.",
        ],
        Key::UnexpectedError => [
            "Что-то пошло не так. Повторите позже.",
            "Something went wrong. Try again later.",
            "Algo salió mal. Inténtelo más tarde.",
            "Algo deu errado. Tente mais tarde.",
        ],
        Key::TooManyAttempts => ["Слишком много попыток.", "Too many attempts.", "Demasiados intentos.", "Tentativas demais."],
        Key::TryAgainIn => ["Повторите через", "Try again in", "Inténtelo de nuevo en", "Tente novamente em"],
        Key::WrongCode => [
            "Код неверный или устарел. Проверьте его или запросите новый.",
            "The code is wrong or has expired. Check it or ask for a new one.",
            "El código es incorrecto o ha caducado. Revíselo o pida uno nuevo.",
            "O código está errado ou expirou. Confira ou peça um novo.",
        ],
        Key::CodeFormat => [
            "Введите 6 цифр из SMS.",
            "Enter the 6 digits from the SMS.",
            "Introduzca los 6 dígitos del SMS.",
            "Digite os 6 dígitos do SMS.",
        ],
        Key::SessionEnded => [
            "Сеанс завершён. Войдите снова.",
            "Your session has ended. Sign in again.",
            "Su sesión ha terminado. Vuelva a entrar.",
            "Sua sessão terminou. Entre novamente.",
        ],
        Key::PhoneEmpty => [
            "Введите номер телефона.",
            "Enter your phone number.",
            "Introduzca su número de teléfono.",
            "Digite seu número de telefone.",
        ],
        Key::PhoneInvalid => [
            "Это не похоже на номер телефона. Проверьте его; из-за границы — с кодом страны.",
            "This does not look like a phone number. Check it; from abroad, with the country code.",
            "No parece un número de teléfono. Revíselo; desde el extranjero, con el prefijo del país.",
            "Isso não parece um número de telefone. Confira; do exterior, com o código do país.",
        ],
        Key::SwitchedOff => [
            "Эта возможность в кабинете выключена.",
            "This is switched off in the cabinet.",
            "Esta función está desactivada en el portal.",
            "Este recurso está desativado no portal.",
        ],
        Key::NotFound => ["Не найдено.", "Not found.", "No encontrado.", "Não encontrado."],
        Key::MessageTooLong => [
            "Сообщение слишком длинное.",
            "The message is too long.",
            "El mensaje es demasiado largo.",
            "A mensagem é longa demais.",
        ],
        Key::Characters => ["символов", "characters", "caracteres", "caracteres"],
    };
    match lang {
        Language::Ru => ru,
        Language::En => en,
        Language::Es => es,
        Language::Pt => pt,
    }
}

/// What happened, for a timeline event of the kinds the cabinet shows.
#[must_use]
pub fn event_kind(lang: Language, kind: EventKind) -> &'static str {
    let [ru, en, es, pt] = match kind {
        EventKind::IncomingCall => [
            "Входящий звонок",
            "Incoming call",
            "Llamada entrante",
            "Chamada recebida",
        ],
        EventKind::OutgoingCall => [
            "Исходящий звонок",
            "Outgoing call",
            "Llamada saliente",
            "Chamada efetuada",
        ],
        EventKind::IncomingChatMessage => [
            "Ваше сообщение",
            "Your message",
            "Su mensaje",
            "Sua mensagem",
        ],
        EventKind::OutgoingChatMessage => [
            "Сообщение менеджера",
            "Manager's message",
            "Mensaje del gestor",
            "Mensagem do gerente",
        ],
        EventKind::IncomingSms => [
            "Входящее SMS",
            "Incoming SMS",
            "SMS entrante",
            "SMS recebido",
        ],
        EventKind::OutgoingSms => [
            "Исходящее SMS",
            "Outgoing SMS",
            "SMS saliente",
            "SMS enviado",
        ],
        EventKind::StageChanged => [
            "Этап изменён",
            "Stage changed",
            "Cambio de etapa",
            "Mudança de etapa",
        ],
        EventKind::ResponsibleChanged => [
            "Сменился менеджер",
            "New manager",
            "Cambio de gestor",
            "Mudança de gerente",
        ],
        EventKind::Email => ["Письмо", "E-mail", "Correo electrónico", "E-mail"],
        EventKind::PersonalDataErased => [
            "Данные удалены",
            "Personal data erased",
            "Datos personales borrados",
            "Dados pessoais apagados",
        ],
    };
    match lang {
        Language::Ru => ru,
        Language::En => en,
        Language::Es => es,
        Language::Pt => pt,
    }
}

/// The language's own name, for the switch.
#[must_use]
pub const fn language_name(lang: Language) -> &'static str {
    match lang {
        Language::Ru => "Русский",
        Language::En => "English",
        Language::Es => "Español",
        Language::Pt => "Português",
    }
}

/// A wait as the clock shows it ("0:42", "12:05"): one form for every language, no plurals.
#[must_use]
pub fn clock(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
