//! Russian and English texts, checked at compile time.
//!
//! Every text is one match arm giving both languages at once, so a key without a Russian or an
//! English text does not compile; API error codes and field error codes are matched the same way,
//! exhaustively over the domain's enums, so a new code in `crates/domain` fails the web build
//! until it is translated.

use gatehouse_domain::{
    accounts::Seats,
    crm::EventKind,
    mail::MailStatus,
    people::{Language, PersonError},
    problem::{ErrorCode, Problem},
    rights::{Action, Entity, Level, Section},
    security::{AuthMethod, AuthOutcome, PasswordPolicy, PasswordRule, Strength},
};
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
        if preferred.to_ascii_lowercase().starts_with("ru") {
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
    // Password forms
    ForgotPassword,
    ForgotPasswordTitle,
    ForgotPasswordLead,
    SendResetLink,
    ResetLinkSent,
    BackToSignIn,
    ResetPasswordTitle,
    ResetPasswordLead,
    ResetLinkBroken,
    AskForNewLink,
    SetNewPassword,
    PasswordResetDone,
    CurrentPassword,
    EnterCurrentPassword,
    NewPassword,
    RepeatPassword,
    PasswordsDiffer,
    PasswordBreaksRules,
    PasswordStrength,
    PasswordRulesLeft,
    ChangePassword,
    PasswordChanged,
    // Second factor
    SecondFactorTitle,
    SecondFactorLead,
    AuthenticatorCode,
    RecoveryCodeHint,
    EnterCode,
    WrongCode,
    Verify,
    Checking,
    BackToPassword,
    TwoFactor,
    TwoFactorShort,
    On,
    Off,
    OnSince,
    TwoFactorOffText,
    TwoFactorRequiredOff,
    TwoFactorRequiredOn,
    TurnOnTwoFactor,
    TurnOffTwoFactor,
    TurnOffTwoFactorText,
    ScanQrCode,
    QrCodeAlt,
    ManualEntry,
    OpenInApp,
    EnterAppCode,
    EnterSixDigits,
    Confirm,
    RecoveryCodes,
    RecoveryCodesOnce,
    RecoveryCodesFileHeading,
    NewRecoveryCodes,
    NewRecoveryCodesText,
    Copy,
    Copied,
    CopyFailed,
    Download,
    SavedThem,
    // Pending steps
    PendingPasswordTitle,
    PendingPasswordLead,
    PendingTwoFactorTitle,
    PendingTwoFactorLead,
    // Sessions
    Sessions,
    SessionsText,
    EndSession,
    EndOtherSessions,
    ThisDevice,
    IpAddress,
    SignedInAt,
    LastSeen,
    // Security page
    Security,
    SecuritySettings,
    PasswordPolicy,
    MinLength,
    MinLengthHint,
    CompositionHint,
    RequireUpper,
    RequireLower,
    RequireDigit,
    RequireSymbol,
    TwoFactorPolicy,
    TwoFactorOptional,
    TwoFactorAdmins,
    TwoFactorEveryone,
    TwoFactorPolicyHint,
    SessionLifetimes,
    IdleLifetime,
    IdleLifetimeHint,
    AbsoluteLifetime,
    AbsoluteLifetimeHint,
    Minutes,
    Hours,
    Days,
    Unit,
    RetentionDays,
    Saved,
    IpAllowlist,
    IpAllowlistText,
    AllowlistEnabled,
    AllowlistTokens,
    YourIp,
    AddMyIp,
    YourIpListed,
    MyAddressNote,
    IpRange,
    Note,
    Actions,
    Remove,
    AddRange,
    AllowlistEmpty,
    ExemptMembers,
    ExemptMembersHint,
    LockoutTitle,
    LockoutText,
    SaveAnyway,
    MembersSecurity,
    Member,
    Required,
    LockedUntil,
    LiveSessions,
    LastSignIn,
    Never,
    Inactive,
    SetPassword,
    SetPasswordFor,
    MustChangePassword,
    SetPasswordEndsSessions,
    ResetTwoFactor,
    ResetTwoFactorTitle,
    ResetTwoFactorText,
    EndSessions,
    EndSessionsTitle,
    EndSessionsText,
    Unlock,
    MemberPasswordSet,
    MemberResetLinkSent,
    MemberTwoFactorReset,
    MemberSessionsEnded,
    MemberUnlocked,
    Refresh,
    AdminsOnlyTitle,
    AdminsOnlyText,
    // Authorization log
    AuthLog,
    Filters,
    Everyone,
    Outcome,
    AnyOutcome,
    DateFrom,
    DateTo,
    Apply,
    ClearFilters,
    Attempts,
    NothingFound,
    Time,
    Method,
    Browser,
    OperatingSystem,
    ExportCsv,
    Exporting,
    Pages,
    PreviousPage,
    NextPage,
    // Outbox
    Outbox,
    OutboxText,
    Messages,
    NoMessages,
    Recipient,
    ShowText,
    TextNotKept,
    TryAgain,
    // Team: users, groups, roles, rights, audit log, invitations
    AcceptInvitation,
    AccountLanguage,
    Act,
    Activate,
    Actor,
    Acts,
    AddAnother,
    AddAsTheyAre,
    AddGroup,
    AddRole,
    AddUser,
    Added,
    AddedExisting,
    AddedInvited,
    AddedWithPassword,
    AdminOverrides,
    Any,
    AnyAct,
    AnyGroup,
    AnyRole,
    AuditLog,
    AuditLogText,
    BackToRoles,
    BackToUsers,
    BulkAction,
    BulkActions,
    CannotBeUndone,
    ChangeGroup,
    ChangeRole,
    ChooseYourPassword,
    ClearSelection,
    Default,
    DefaultGroupFixed,
    Delete,
    DeleteGroupTitle,
    DeleteRoleTitle,
    EntityRights,
    ExistingPersonText,
    ExistingPersonTitle,
    FollowLeadRights,
    FreeOverrides,
    GroupAdded,
    GroupDeleted,
    GroupName,
    GroupRenamed,
    Groups,
    GroupsText,
    HiddenByRole,
    HidePipeline,
    HowTheyGetIn,
    IdentityLocked,
    InvitationHint,
    InvitationLead,
    InvitationLinkBroken,
    InvitationPending,
    InvitationResent,
    InvitationTitle,
    Invited,
    LastSignInAfter,
    LastSignInBefore,
    Members,
    MenuSections,
    MenuSectionsHint,
    NewGroupName,
    NewRole,
    NewUser,
    No,
    NoRoles,
    NoSeatFree,
    OpenUser,
    OwnRights,
    Phone,
    PipelineAsLeads,
    PipelineCustomised,
    PipelineHidden,
    Rename,
    ResendInvitation,
    Rights,
    RightsOfRole,
    RoleChangeReachesMembers,
    RoleCreated,
    RoleDeleted,
    RoleHint,
    RoleName,
    Roles,
    RolesText,
    Search,
    SearchPrompt,
    Changes,
    SeatsUsed,
    Select,
    SelectPage,
    SelfDemotionText,
    SelfDemotionTitle,
    SendInvitationInstead,
    SetPasswordNow,
    ShowPipeline,
    Stage,
    StageRights,
    StageRightsHint,
    StageRightsOpen,
    StandingHint,
    Status,
    StatusActive,
    StatusAdmins,
    StatusAll,
    StatusFree,
    StatusInactive,
    Target,
    ThePlatform,
    UserAdded,
    Users,
    Yes,
    // CRM
    About,
    AddToTimeline,
    AllLeads,
    Companies,
    Company,
    Completed,
    Contacts,
    Details,
    Due,
    Emails,
    EmailsInput,
    EventKind,
    EventText,
    Leads,
    MoveToStage,
    NamePrompt,
    NewCompany,
    NewContact,
    NewLead,
    NewTask,
    OpenTasks,
    Phones,
    PhonesInput,
    Pipeline,
    Price,
    Responsible,
    ShowMore,
    TaskText,
    Tasks,
    TasksOfLead,
    Timeline,
    // Deactivation
    Close,
    CountWhatMoves,
    Deactivate,
    DeactivateText,
    HandedOver,
    HandingOver,
    ReassignGroup,
    ReassignHow,
    ReassignOne,
    ReassignPerEntity,
    ReassignTo,
    WillMove,
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
        Key::ForgotPassword => ("Forgot password?", "Забыли пароль?"),
        Key::ForgotPasswordTitle => ("Forgot your password?", "Забыли пароль?"),
        Key::ForgotPasswordLead => (
            "Enter your e-mail and we will send you a link to choose a new password.",
            "Введите свою почту — мы пришлём ссылку, чтобы задать новый пароль.",
        ),
        Key::SendResetLink => ("Send reset link", "Отправить ссылку для сброса"),
        Key::ResetLinkSent => (
            "If this e-mail belongs to a Gatehouse user, a link to choose a new password is on its way. It works once, for one hour.",
            "Если эта почта принадлежит пользователю Gatehouse, на неё уже отправлена ссылка для нового пароля. Она действует один раз в течение часа.",
        ),
        Key::BackToSignIn => ("Back to sign-in", "Вернуться ко входу"),
        Key::ResetPasswordTitle => ("Choose a new password", "Новый пароль"),
        Key::ResetPasswordLead => (
            "You will be signed out everywhere and can then sign in with the new password.",
            "Вы выйдете на всех устройствах и сможете войти с новым паролем.",
        ),
        Key::ResetLinkBroken => (
            "This link is incomplete or has already been opened. Ask for a new one.",
            "Ссылка неполная или уже была открыта. Запросите новую.",
        ),
        Key::AskForNewLink => ("Ask for a new link", "Запросить новую ссылку"),
        Key::SetNewPassword => ("Set the new password", "Сохранить новый пароль"),
        Key::PasswordResetDone => (
            "Your password has been changed. Sign in with the new one.",
            "Пароль изменён. Войдите с новым паролем.",
        ),
        Key::CurrentPassword => ("Current password", "Текущий пароль"),
        Key::EnterCurrentPassword => ("Enter your current password.", "Введите текущий пароль."),
        Key::NewPassword => ("New password", "Новый пароль"),
        Key::RepeatPassword => ("Repeat the new password", "Повторите новый пароль"),
        Key::PasswordsDiffer => ("The passwords do not match.", "Пароли не совпадают."),
        Key::PasswordBreaksRules => (
            "This password does not meet the rules below.",
            "Пароль не отвечает правилам ниже.",
        ),
        Key::PasswordStrength => ("Strength", "Надёжность"),
        Key::PasswordRulesLeft => ("Still needed", "Ещё нужно"),
        Key::ChangePassword => ("Change password", "Сменить пароль"),
        Key::PasswordChanged => (
            "Your password has been changed. Your other sessions have been ended.",
            "Пароль изменён. Остальные ваши сеансы завершены.",
        ),
        Key::SecondFactorTitle => ("Two-factor authentication", "Двухфакторная аутентификация"),
        Key::SecondFactorLead => (
            "Enter the 6-digit code from your authenticator app.",
            "Введите 6-значный код из приложения-аутентификатора.",
        ),
        Key::AuthenticatorCode => ("Code", "Код"),
        Key::RecoveryCodeHint => (
            "No phone at hand? One of your recovery codes works too.",
            "Нет телефона под рукой? Подойдёт и один из кодов восстановления.",
        ),
        Key::EnterCode => ("Enter the code.", "Введите код."),
        Key::WrongCode => (
            "This code is wrong or has already been used.",
            "Код неверный или уже использован.",
        ),
        Key::Verify => ("Verify", "Подтвердить"),
        Key::Checking => ("Checking…", "Проверка…"),
        Key::BackToPassword => ("Back", "Назад"),
        Key::TwoFactor => ("Two-factor authentication", "Двухфакторная аутентификация"),
        Key::TwoFactorShort => ("2FA", "2FA"),
        Key::On => ("On", "Включена"),
        Key::Off => ("Off", "Выключена"),
        Key::OnSince => ("On since", "Включена с"),
        Key::TwoFactorOffText => (
            "Turn it on to be asked for a code from your phone at every sign-in. A stolen password alone will then not be enough.",
            "Включите, чтобы при каждом входе вводить код с телефона. Тогда одного украденного пароля будет недостаточно.",
        ),
        Key::TwoFactorRequiredOff => (
            "Your account requires two-factor authentication. Turn it on now.",
            "Ваш аккаунт требует двухфакторную аутентификацию. Включите её.",
        ),
        Key::TwoFactorRequiredOn => (
            "Your account requires two-factor authentication, so it cannot be turned off.",
            "Ваш аккаунт требует двухфакторную аутентификацию, поэтому её нельзя выключить.",
        ),
        Key::TurnOnTwoFactor => ("Turn on two-factor authentication", "Включить двухфакторную аутентификацию"),
        Key::TurnOffTwoFactor => ("Turn off", "Выключить"),
        Key::TurnOffTwoFactorText => (
            "Confirm with your password and a code from the app.",
            "Подтвердите паролем и кодом из приложения.",
        ),
        Key::ScanQrCode => (
            "Scan this QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, Aegis, 1Password…).",
            "Отсканируйте QR-код приложением-аутентификатором (Google Authenticator, Microsoft Authenticator, Aegis, 1Password…).",
        ),
        Key::QrCodeAlt => (
            "QR code for your authenticator app",
            "QR-код для приложения-аутентификатора",
        ),
        Key::ManualEntry => ("Or enter this key by hand:", "Или введите ключ вручную:"),
        Key::OpenInApp => ("Open in the app on this device", "Открыть в приложении на этом устройстве"),
        Key::EnterAppCode => (
            "Then enter the 6-digit code the app shows",
            "Затем введите 6-значный код из приложения",
        ),
        Key::EnterSixDigits => (
            "Enter the 6 digits the app shows.",
            "Введите 6 цифр, которые показывает приложение.",
        ),
        Key::Confirm => ("Confirm", "Подтвердить"),
        Key::RecoveryCodes => ("Recovery codes", "Коды восстановления"),
        Key::RecoveryCodesOnce => (
            "Save these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They will not be shown again.",
            "Сохраните коды восстановления в надёжном месте. Каждый из них позволит один раз войти, если вы потеряете телефон. Больше они показаны не будут.",
        ),
        Key::RecoveryCodesFileHeading => (
            "Gatehouse recovery codes. Each code works once.",
            "Коды восстановления Gatehouse. Каждый код действует один раз.",
        ),
        Key::NewRecoveryCodes => ("New recovery codes", "Новые коды восстановления"),
        Key::NewRecoveryCodesText => (
            "New codes replace the old ones, which stop working. Confirm with your password.",
            "Новые коды заменят старые — те перестанут действовать. Подтвердите паролем.",
        ),
        Key::Copy => ("Copy", "Копировать"),
        Key::Copied => ("Copied.", "Скопировано."),
        Key::CopyFailed => (
            "The browser did not allow it. Select the codes and copy them by hand.",
            "Браузер не разрешил. Выделите коды и скопируйте их вручную.",
        ),
        Key::Download => ("Download", "Скачать"),
        Key::SavedThem => ("I have saved them", "Я их сохранил(а)"),
        Key::PendingPasswordTitle => ("Choose a new password", "Задайте новый пароль"),
        Key::PendingPasswordLead => (
            "Your administrator asked you to choose your own password before going on.",
            "Администратор попросил вас задать собственный пароль, прежде чем продолжить.",
        ),
        Key::PendingTwoFactorTitle => (
            "Turn on two-factor authentication",
            "Включите двухфакторную аутентификацию",
        ),
        Key::PendingTwoFactorLead => (
            "Your account requires a code from an authenticator app on your phone at every sign-in. Set it up to go on.",
            "Ваш аккаунт требует при каждом входе код из приложения-аутентификатора на телефоне. Настройте его, чтобы продолжить.",
        ),
        Key::Sessions => ("Sessions", "Сеансы"),
        Key::SessionsText => (
            "Where you are signed in. End any session you do not recognise, then change your password.",
            "Где выполнен вход. Завершите незнакомые сеансы, а затем смените пароль.",
        ),
        Key::EndSession => ("End", "Завершить"),
        Key::EndOtherSessions => ("End all other sessions", "Завершить все другие сеансы"),
        Key::ThisDevice => ("This device", "Это устройство"),
        Key::IpAddress => ("IP address", "IP-адрес"),
        Key::SignedInAt => ("Signed in", "Вход"),
        Key::LastSeen => ("Last active", "Последняя активность"),
        Key::Security => ("Security", "Безопасность"),
        Key::SecuritySettings => ("Settings", "Настройки"),
        Key::PasswordPolicy => ("Passwords", "Пароли"),
        Key::MinLength => ("Minimum length", "Минимальная длина"),
        Key::MinLengthHint => ("8 to 64 characters.", "От 8 до 64 символов."),
        Key::CompositionHint => (
            "Common passwords and ones containing the person's e-mail, name or the account's name are always refused. Also require:",
            "Распространённые пароли и пароли с почтой, именем человека или названием аккаунта не принимаются никогда. Дополнительно требовать:",
        ),
        Key::RequireUpper => ("an upper-case letter", "заглавную букву"),
        Key::RequireLower => ("a lower-case letter", "строчную букву"),
        Key::RequireDigit => ("a digit", "цифру"),
        Key::RequireSymbol => ("a symbol", "символ"),
        Key::TwoFactorPolicy => ("Two-factor authentication", "Двухфакторная аутентификация"),
        Key::TwoFactorOptional => ("Each user chooses", "По желанию пользователя"),
        Key::TwoFactorAdmins => ("Required for administrators", "Обязательна для администраторов"),
        Key::TwoFactorEveryone => ("Required for everyone", "Обязательна для всех"),
        Key::TwoFactorPolicyHint => (
            "Users it is required of and who have not turned it on are led to set it up at their next sign-in.",
            "Пользователям, для которых она обязательна, но ещё не включена, будет предложено настроить её при следующем входе.",
        ),
        Key::SessionLifetimes => ("Sessions", "Сеансы"),
        Key::IdleLifetime => ("End an unused session after", "Завершать неиспользуемый сеанс через"),
        Key::IdleLifetimeHint => ("5 minutes to 14 days.", "От 5 минут до 14 дней."),
        Key::AbsoluteLifetime => ("End every session after", "Завершать любой сеанс через"),
        Key::AbsoluteLifetimeHint => (
            "1 hour to 90 days, and not less than the above.",
            "От 1 часа до 90 дней и не меньше значения выше.",
        ),
        Key::Minutes => ("minutes", "минут"),
        Key::Hours => ("hours", "часов"),
        Key::Days => ("days", "дней"),
        Key::Unit => ("Unit", "Единица"),
        Key::RetentionDays => ("Keep entries for (days)", "Хранить записи (дней)"),
        Key::Saved => ("Saved.", "Сохранено."),
        Key::IpAllowlist => ("IP allowlist", "Разрешённые IP-адреса"),
        Key::IpAllowlistText => (
            "When on, users can sign in only from these addresses and ranges (IPv4 and IPv6, e.g. 203.0.113.7 or 203.0.113.0/24).",
            "Когда список включён, войти можно только с этих адресов и диапазонов (IPv4 и IPv6, например 203.0.113.7 или 203.0.113.0/24).",
        ),
        Key::AllowlistEnabled => ("Allow sign-in only from the list", "Разрешать вход только из списка"),
        Key::AllowlistTokens => (
            "Also refuse API and app requests from other addresses",
            "Также отклонять запросы API и приложений с других адресов",
        ),
        Key::YourIp => ("Your IP address", "Ваш IP-адрес"),
        Key::AddMyIp => ("Add my address", "Добавить мой адрес"),
        Key::YourIpListed => ("Your address is on the list", "Ваш адрес в списке"),
        Key::MyAddressNote => ("My address", "Мой адрес"),
        Key::IpRange => ("Address or range", "Адрес или диапазон"),
        Key::Note => ("Note", "Примечание"),
        Key::Actions => ("Actions", "Действия"),
        Key::Remove => ("Remove", "Удалить"),
        Key::AddRange => ("Add an address", "Добавить адрес"),
        Key::AllowlistEmpty => ("The list is empty.", "Список пуст."),
        Key::ExemptMembers => ("Exempt users", "Исключения"),
        Key::ExemptMembersHint => (
            "These users can sign in from any address.",
            "Эти пользователи могут входить с любого адреса.",
        ),
        Key::LockoutTitle => ("Save a list that shuts you out?", "Сохранить список, который закроет вам доступ?"),
        Key::LockoutText => (
            "Your current address is not on the list, so you will not be able to sign in from here once it is saved. Your address:",
            "Вашего текущего адреса нет в списке: после сохранения вы не сможете войти отсюда. Ваш адрес:",
        ),
        Key::SaveAnyway => ("Save anyway", "Всё равно сохранить"),
        Key::MembersSecurity => ("Users", "Пользователи"),
        Key::Member => ("User", "Пользователь"),
        Key::Required => ("Required", "Обязательна"),
        Key::LockedUntil => ("Locked until", "Заблокирован до"),
        Key::LiveSessions => ("Sessions", "Сеансы"),
        Key::LastSignIn => ("Last sign-in", "Последний вход"),
        Key::Never => ("Never", "Никогда"),
        Key::Inactive => ("Inactive", "Неактивен"),
        Key::SetPassword => ("Set password", "Задать пароль"),
        Key::SetPasswordFor => ("Set a password for {name}", "Пароль для пользователя {name}"),
        Key::MustChangePassword => (
            "Ask for a new password at the next sign-in",
            "Попросить сменить пароль при следующем входе",
        ),
        Key::SetPasswordEndsSessions => (
            "The user's sessions end and they are notified by e-mail.",
            "Сеансы пользователя будут завершены, он получит уведомление на почту.",
        ),
        Key::ResetTwoFactor => ("Reset 2FA", "Сбросить 2FA"),
        Key::ResetTwoFactorTitle => (
            "Reset two-factor authentication of {name}?",
            "Сбросить двухфакторную аутентификацию пользователя {name}?",
        ),
        Key::ResetTwoFactorText => (
            "For someone who lost their phone: they sign in with the password alone until they set it up again. They are notified by e-mail.",
            "Для тех, кто потерял телефон: до повторной настройки вход будет только по паролю. Пользователь получит уведомление на почту.",
        ),
        Key::EndSessions => ("End sessions", "Завершить сеансы"),
        Key::EndSessionsTitle => ("End every session of {name}?", "Завершить все сеансы пользователя {name}?"),
        Key::EndSessionsText => (
            "They will have to sign in again on every device.",
            "Ему придётся снова войти на всех устройствах.",
        ),
        Key::Unlock => ("Unlock", "Разблокировать"),
        Key::MemberPasswordSet => ("The password of {name} has been set.", "Пароль пользователя {name} задан."),
        Key::MemberResetLinkSent => (
            "A reset link has been sent to {name}.",
            "Пользователю {name} отправлена ссылка для сброса пароля.",
        ),
        Key::MemberTwoFactorReset => (
            "Two-factor authentication of {name} has been reset.",
            "Двухфакторная аутентификация пользователя {name} сброшена.",
        ),
        Key::MemberSessionsEnded => (
            "{name}: sessions ended: {count}.",
            "{name}: завершено сеансов: {count}.",
        ),
        Key::MemberUnlocked => ("{name} can sign in again.", "Пользователь {name} снова может войти."),
        Key::Refresh => ("Refresh", "Обновить"),
        Key::AdminsOnlyTitle => ("For administrators", "Для администраторов"),
        Key::AdminsOnlyText => (
            "Only the account's administrators can open this page.",
            "Эта страница доступна только администраторам аккаунта.",
        ),
        Key::AuthLog => ("Authorization log", "Журнал авторизаций"),
        Key::Filters => ("Filters", "Фильтры"),
        Key::Everyone => ("Everyone", "Все"),
        Key::Outcome => ("Result", "Результат"),
        Key::AnyOutcome => ("Any result", "Любой результат"),
        Key::DateFrom => ("From", "С"),
        Key::DateTo => ("To", "По"),
        Key::Apply => ("Apply", "Применить"),
        Key::ClearFilters => ("Clear", "Сбросить"),
        Key::Attempts => ("Sign-in attempts", "Попытки входа"),
        Key::NothingFound => ("Nothing found.", "Ничего не найдено."),
        Key::Time => ("Time", "Время"),
        Key::Method => ("Method", "Способ"),
        Key::Browser => ("Browser", "Браузер"),
        Key::OperatingSystem => ("OS", "ОС"),
        Key::ExportCsv => ("Export CSV", "Выгрузить CSV"),
        Key::Exporting => ("Exporting…", "Выгрузка…"),
        Key::Pages => ("Pages", "Страницы"),
        Key::PreviousPage => ("Previous", "Назад"),
        Key::NextPage => ("Next", "Вперёд"),
        Key::Outbox => ("Outbox", "Исходящие письма"),
        Key::OutboxText => (
            "Every message Gatehouse sends. Without a mail server configured, messages stay here, with their links, for you to pass on.",
            "Все письма, которые отправляет Gatehouse. Пока почтовый сервер не настроен, письма остаются здесь вместе со ссылками — их можно передать адресату.",
        ),
        Key::Messages => ("Messages", "Письма"),
        Key::NoMessages => ("No messages yet.", "Писем пока нет."),
        Key::Recipient => ("To", "Кому"),
        Key::ShowText => ("Show the text", "Показать текст"),
        Key::TextNotKept => (
            "The text is not kept once the mail server has the message.",
            "Текст не хранится после передачи письма почтовому серверу.",
        ),
        Key::TryAgain => ("Try again", "Повторить"),
        Key::AcceptInvitation => ("Set the password and sign in", "Задать пароль и войти"),
        Key::AccountLanguage => ("The account's language", "Язык аккаунта"),
        Key::Act => ("Act", "Действие"),
        Key::Activate => ("Activate", "Активировать"),
        Key::Actor => ("Done by", "Кто"),
        Key::Acts => ("Acts", "Действия"),
        Key::AddAnother => ("Add another user", "Добавить ещё"),
        Key::AddAsTheyAre => ("Add as they are", "Добавить как есть"),
        Key::AddGroup => ("Add group", "Добавить группу"),
        Key::AddRole => ("Add role", "Добавить роль"),
        Key::AddUser => ("Add user", "Добавить пользователя"),
        Key::Added => ("Added", "Добавлен"),
        Key::AddedExisting => ("They sign in as {email} with their own password.", "Вход — с почтой {email} и собственным паролем."),
        Key::AddedInvited => ("An invitation to choose a password is on its way to {email}. It works once, for 72 hours.", "На {email} отправлено приглашение задать пароль. Оно действует один раз в течение 72 часов."),
        Key::AddedWithPassword => ("They sign in as {email} with the password you set.", "Вход — с почтой {email} и заданным вами паролем."),
        Key::AdminOverrides => ("An administrator may do everything: the rights below apply only if they stop being one.", "Администратору разрешено всё: права ниже действуют, только если он перестанет им быть."),
        Key::Any => ("Any", "Любая"),
        Key::AnyAct => ("Any act", "Любое действие"),
        Key::AnyGroup => ("Any group", "Любая группа"),
        Key::AnyRole => ("Any role", "Любая роль"),
        Key::AuditLog => ("Audit log", "Журнал действий"),
        Key::AuditLogText => ("What administrators did: users added and edited, rights changed, passwords set, settings changed.", "Что делали администраторы: добавляли и изменяли пользователей, меняли права, задавали пароли, меняли настройки."),
        Key::BackToRoles => ("← Roles", "← Роли"),
        Key::BackToUsers => ("← Users", "← Пользователи"),
        Key::BulkAction => ("Action", "Действие"),
        Key::BulkActions => ("Actions on the selected users", "Действия с выбранными пользователями"),
        Key::CannotBeUndone => ("This cannot be undone.", "Это действие нельзя отменить."),
        Key::ChangeGroup => ("Change group", "Сменить группу"),
        Key::ChangeRole => ("Change role", "Сменить роль"),
        Key::ChooseYourPassword => ("Your password", "Ваш пароль"),
        Key::ClearSelection => ("Clear selection", "Снять выбор"),
        Key::Default => ("Default", "По умолчанию"),
        Key::DefaultGroupFixed => ("Cannot be renamed or deleted", "Нельзя переименовать или удалить"),
        Key::Delete => ("Delete", "Удалить"),
        Key::DeleteGroupTitle => ("Delete the group “{name}”?", "Удалить группу «{name}»?"),
        Key::DeleteRoleTitle => ("Delete the role “{name}”?", "Удалить роль «{name}»?"),
        Key::EntityRights => ("Rights on records", "Права на записи"),
        Key::ExistingPersonText => ("{name} already has a Gatehouse login with this e-mail. Add them to this account as they are? Their name and password stay theirs; you choose only their group and rights.", "С этой почтой в Gatehouse уже входит {name}. Добавить этого человека в аккаунт как есть? Имя и пароль останутся его собственными — вы выбираете только группу и права."),
        Key::ExistingPersonTitle => ("Already has a Gatehouse login", "Уже есть вход в Gatehouse"),
        Key::FollowLeadRights => ("Use lead rights", "Как для сделок"),
        Key::FreeOverrides => ("A free user sees only the leads they take part in, whatever the rights below.", "Бесплатный пользователь видит только сделки, в которых участвует, независимо от прав ниже."),
        Key::GroupAdded => ("The group “{name}” has been added.", "Группа «{name}» добавлена."),
        Key::GroupDeleted => ("The group “{name}” has been deleted.", "Группа «{name}» удалена."),
        Key::GroupName => ("Group name", "Название группы"),
        Key::GroupRenamed => ("The group is now called “{name}”.", "Группа переименована в «{name}»."),
        Key::Groups => ("Groups", "Группы"),
        Key::GroupsText => ("Every user belongs to one group. Rights of level G reach the records of the user's group.", "Каждый пользователь состоит в одной группе. Права уровня G распространяются на записи его группы."),
        Key::HiddenByRole => ("Greyed-out sections are hidden by the role.", "Неактивные разделы скрыты ролью."),
        Key::HidePipeline => ("Hide this pipeline", "Скрыть воронку"),
        Key::HowTheyGetIn => ("Sign-in", "Вход"),
        Key::IdentityLocked => ("This person also works in other accounts: their name and e-mail are theirs and cannot be changed here.", "Этот человек состоит и в других аккаунтах: имя и почту может изменить только он сам."),
        Key::InvitationHint => ("We e-mail a link (it works once, for 72 hours) where they choose their own password.", "Мы отправим на почту ссылку (действует один раз, 72 часа), по которой человек сам задаст пароль."),
        Key::InvitationLead => ("You have been invited. Choose the password you will sign in with.", "Вас пригласили. Придумайте пароль для входа."),
        Key::InvitationLinkBroken => ("This link is incomplete. Open it from the invitation e-mail again, or ask your administrator for a new one.", "Ссылка неполная. Откройте её из письма-приглашения ещё раз или попросите администратора прислать новую."),
        Key::InvitationPending => ("The invitation has not been accepted yet.", "Приглашение ещё не принято."),
        Key::InvitationResent => ("The invitation has been sent again; the earlier link no longer works.", "Приглашение отправлено повторно; прежняя ссылка больше не действует."),
        Key::InvitationTitle => ("Welcome to Gatehouse", "Добро пожаловать в Gatehouse"),
        Key::Invited => ("Invited", "Приглашён"),
        Key::LastSignInAfter => ("Last sign-in after", "Последний вход после"),
        Key::LastSignInBefore => ("Last sign-in before", "Последний вход до"),
        Key::Members => ("Results", "Результаты"),
        Key::MenuSections => ("Menu sections", "Разделы меню"),
        Key::MenuSectionsHint => ("Ticked sections are shown in the left menu.", "Отмеченные разделы видны в левом меню."),
        Key::NewGroupName => ("New group", "Новая группа"),
        Key::NewRole => ("New role", "Новая роль"),
        Key::NewUser => ("New user", "Новый пользователь"),
        Key::No => ("no", "нет"),
        Key::NoRoles => ("No roles yet. A role is a set of rights to give several users at once.", "Ролей пока нет. Роль — набор прав, который можно дать сразу нескольким пользователям."),
        Key::NoSeatFree => ("none free", "свободных нет"),
        Key::OpenUser => ("Open the user's card", "Открыть карточку"),
        Key::OwnRights => ("Own rights", "Собственные права"),
        Key::Phone => ("Phone", "Телефон"),
        Key::PipelineAsLeads => ("As leads", "Как для сделок"),
        Key::PipelineCustomised => ("Own stage rights", "Свои права по этапам"),
        Key::PipelineHidden => ("Hidden", "Скрыта"),
        Key::Rename => ("Rename", "Переименовать"),
        Key::ResendInvitation => ("Send again", "Отправить повторно"),
        Key::Rights => ("Rights", "Права"),
        Key::RightsOfRole => ("The rights of the role “{name}”. Edit the role to change them.", "Права роли «{name}». Чтобы их изменить, отредактируйте роль."),
        Key::RoleChangeReachesMembers => ("Changes apply at once to the {count} with this role.", "Изменения сразу применятся ко всем пользователям с этой ролью: {count}."),
        Key::RoleCreated => ("The role has been created.", "Роль создана."),
        Key::RoleDeleted => ("The role “{name}” has been deleted.", "Роль «{name}» удалена."),
        Key::RoleHint => ("A user with a role has the role's rights and hidden sections; a change to the role reaches them at once.", "Пользователь с ролью получает права и скрытые разделы роли; изменения роли применяются сразу."),
        Key::RoleName => ("Role name", "Название роли"),
        Key::Roles => ("Roles", "Роли"),
        Key::RolesText => ("A role is a named set of rights. Users with a role have its rights: change the role and theirs change too.", "Роль — именованный набор прав. Пользователи с ролью получают её права: измените роль — изменятся и их права."),
        Key::Search => ("Search", "Поиск"),
        Key::Changes => ("Details", "Подробности"),
        Key::SearchPrompt => ("Name, e-mail or phone", "Имя, почта или телефон"),
        Key::SeatsUsed => ("Seats", "Места"),
        Key::Select => ("Select", "Выбрать"),
        Key::SelectPage => ("Select all on this page", "Выбрать всех на странице"),
        Key::SelfDemotionText => ("You will no longer be an administrator of this account and will lose access to these pages. Another administrator can give the rights back.", "Вы перестанете быть администратором этого аккаунта и потеряете доступ к этим страницам. Вернуть права сможет другой администратор."),
        Key::SelfDemotionTitle => ("Take away your own administrator rights?", "Лишить себя прав администратора?"),
        Key::SendInvitationInstead => ("Send an invitation instead", "Отправить приглашение"),
        Key::SetPasswordNow => ("Set a password", "Задать пароль"),
        Key::ShowPipeline => ("Show again", "Показать снова"),
        Key::Stage => ("Stage", "Этап"),
        Key::StageRights => ("Rights by pipeline stage", "Права по этапам воронок"),
        Key::StageRightsHint => ("On each stage a right follows the one on leads, or is set apart: A or D for the leads in that stage.", "На каждом этапе право либо такое же, как для сделок, либо задано отдельно: A или D для сделок этого этапа."),
        Key::StageRightsOpen => ("Stages", "Этапы"),
        Key::StandingHint => ("An administrator may do everything. A free user takes no seat and sees only the leads they take part in.", "Администратору разрешено всё. Бесплатный пользователь не занимает место и видит только сделки, в которых участвует."),
        Key::Status => ("Status", "Статус"),
        Key::StatusActive => ("Active", "Активные"),
        Key::StatusAdmins => ("Administrators", "Администраторы"),
        Key::StatusAll => ("All", "Все"),
        Key::StatusFree => ("Free users", "Бесплатные"),
        Key::StatusInactive => ("Inactive", "Неактивные"),
        Key::Target => ("Done to", "С кем"),
        Key::ThePlatform => ("Gatehouse (command line)", "Gatehouse (командная строка)"),
        Key::UserAdded => ("{name} has been added.", "Пользователь {name} добавлен."),
        Key::Users => ("Users", "Пользователи"),
        Key::Yes => ("yes", "да"),
        // CRM
        Key::About => ("About", "К записи"),
        Key::AddToTimeline => ("Add", "Добавить"),
        Key::AllLeads => ("All leads", "Все сделки"),
        Key::Companies => ("Companies", "Компании"),
        Key::Company => ("Company", "Компания"),
        Key::Completed => ("Completed", "Выполненные"),
        Key::Contacts => ("Contacts", "Контакты"),
        Key::Details => ("Details", "Подробности"),
        Key::Due => ("Due", "Срок"),
        Key::Emails => ("E-mails", "Почта"),
        Key::EmailsInput => ("E-mails, comma-separated", "Почта, через запятую"),
        Key::NamePrompt => ("Part of the name", "Часть названия"),
        Key::EventKind => ("Kind", "Тип"),
        Key::EventText => ("Text", "Текст"),
        Key::Leads => ("Leads", "Сделки"),
        Key::MoveToStage => ("Move to stage", "Перенести на этап"),
        Key::NewCompany => ("New company", "Новая компания"),
        Key::NewContact => ("New contact", "Новый контакт"),
        Key::NewLead => ("New lead", "Новая сделка"),
        Key::NewTask => ("New task", "Новая задача"),
        Key::OpenTasks => ("Open tasks", "Открытые задачи"),
        Key::Phones => ("Phones", "Телефоны"),
        Key::PhonesInput => ("Phones, comma-separated", "Телефоны, через запятую"),
        Key::Pipeline => ("Pipeline", "Воронка"),
        Key::Price => ("Price", "Бюджет"),
        Key::Responsible => ("Responsible", "Ответственный"),
        Key::ShowMore => ("Show more", "Показать ещё"),
        Key::TaskText => ("Task", "Задача"),
        Key::Tasks => ("Tasks", "Задачи"),
        Key::TasksOfLead => ("Tasks of the lead", "Задачи по сделке"),
        Key::Timeline => ("Timeline", "История"),
        // Deactivation
        Key::Close => ("Close", "Закрыть"),
        Key::CountWhatMoves => ("Count what moves", "Посчитать"),
        Key::Deactivate => ("Deactivate", "Деактивировать"),
        Key::DeactivateText => ("They can no longer sign in, their sessions end and their seats become free. Their leads, contacts, companies and open tasks go to the users you choose.", "Они больше не смогут войти, их сеансы завершатся, а места освободятся. Их сделки, контакты, компании и открытые задачи перейдут к выбранным пользователям."),
        Key::HandedOver => ("Done: every record has been handed over.", "Готово: все записи переданы."),
        Key::HandingOver => ("Handing over", "Передача записей"),
        Key::ReassignGroup => ("Evenly to a group", "Поровну группе"),
        Key::ReassignHow => ("How", "Как"),
        Key::ReassignOne => ("To one user", "Одному пользователю"),
        Key::ReassignPerEntity => ("A user per record type", "По типам записей"),
        Key::ReassignTo => ("Hand their records over", "Передать их записи"),
        Key::WillMove => ("What moves:", "Будет передано:"),
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
        ErrorCode::InvalidSmsCode => (
            "The code is wrong or has expired. Ask for a new one.",
            "Код неверен или истёк. Запросите новый.",
        ),
        ErrorCode::CabinetUnavailable => (
            "This client cabinet is not open.",
            "Этот кабинет клиента не открыт.",
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
        ErrorCode::InvalidSecondFactor => (
            "This code is wrong or has already been used.",
            "Код неверный или уже использован.",
        ),
        ErrorCode::InvalidTicket => (
            "The sign-in took too long. Enter your password again.",
            "Время на вход истекло. Введите пароль ещё раз.",
        ),
        ErrorCode::IpNotAllowed => (
            "Sign-in from your current IP address is not allowed in this account. Ask the account administrator.",
            "Вход с вашего текущего IP-адреса в этот аккаунт запрещён. Обратитесь к администратору аккаунта.",
        ),
        ErrorCode::PasswordChangeRequired => (
            "Choose a new password before going on.",
            "Прежде чем продолжить, задайте новый пароль.",
        ),
        ErrorCode::TwoFactorEnrolmentRequired => (
            "Turn on two-factor authentication before going on.",
            "Прежде чем продолжить, включите двухфакторную аутентификацию.",
        ),
        ErrorCode::InvalidResetToken => (
            "This password reset link is invalid, has been used or has expired. Ask for a new one.",
            "Ссылка для сброса пароля недействительна, уже использована или устарела. Запросите новую.",
        ),
        ErrorCode::IdentityInOtherAccounts => (
            "This person also works in other accounts, so only they can choose their password. Send them a reset link.",
            "Этот человек состоит и в других аккаунтах, поэтому пароль может задать только он сам. Отправьте ему ссылку для сброса.",
        ),
        ErrorCode::AllowlistLocksYouOut => (
            "Your own address is not on this list: saving it would shut you out.",
            "Вашего адреса нет в списке: после сохранения вы потеряете доступ.",
        ),
        ErrorCode::TwoFactorAlreadyEnabled => (
            "Two-factor authentication is already on.",
            "Двухфакторная аутентификация уже включена.",
        ),
        ErrorCode::TwoFactorNotEnabled => (
            "Two-factor authentication is off.",
            "Двухфакторная аутентификация выключена.",
        ),
        ErrorCode::TwoFactorNotPending => (
            "The set-up has expired. Start again.",
            "Настройка устарела. Начните заново.",
        ),
        ErrorCode::TwoFactorRequired => (
            "Your account requires two-factor authentication; it cannot be turned off.",
            "Ваш аккаунт требует двухфакторную аутентификацию, её нельзя выключить.",
        ),
        ErrorCode::SignInLocked => (
            "Too many failed sign-ins with this e-mail. Sign-in is locked for a while.",
            "Слишком много неудачных попыток входа с этой почтой. Вход временно заблокирован.",
        ),
        ErrorCode::InvalidInvitation => (
            "This invitation link is invalid, has been used or has expired. Ask your administrator to send a new one.",
            "Ссылка-приглашение недействительна, уже использована или устарела. Попросите администратора отправить новую.",
        ),
        ErrorCode::IdentityExists => (
            "This person already has a Gatehouse login. Add them as they are?",
            "У этого человека уже есть вход в Gatehouse. Добавить его как есть?",
        ),
        ErrorCode::AlreadyMember => (
            "This person is already a user of this account.",
            "Этот человек уже состоит в этом аккаунте.",
        ),
        ErrorCode::SeatsExhausted => (
            "All seats are taken. Free a seat or add seats to the licence first.",
            "Все места заняты. Сначала освободите место или добавьте места в лицензию.",
        ),
        ErrorCode::LastAdmin => (
            "The account must keep at least one active administrator.",
            "В аккаунте должен остаться хотя бы один активный администратор.",
        ),
        ErrorCode::SelfDemotion => (
            "This takes away your own administrator rights.",
            "Вы лишаете себя прав администратора.",
        ),
        ErrorCode::SelfDeactivation => (
            "You cannot deactivate yourself. Another administrator can.",
            "Нельзя отключить самого себя. Это может сделать другой администратор.",
        ),
        ErrorCode::GroupNotEmpty => (
            "There are users in this group. Move them to another group first.",
            "В группе есть пользователи. Сначала переведите их в другую группу.",
        ),
        ErrorCode::DefaultGroupLocked => (
            "The default group cannot be renamed or deleted.",
            "Группу по умолчанию нельзя переименовать или удалить.",
        ),
        ErrorCode::RoleInUse => (
            "Users have this role. Give them another role first.",
            "У пользователей есть эта роль. Сначала назначьте им другую.",
        ),
        ErrorCode::NameTaken => (
            "This name is already used.",
            "Это название уже занято.",
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
        PersonError::PhoneInvalid => (
            "Enter a phone number of 5 to 15 digits; only + ( ) - and spaces may go with them.",
            "Введите номер из 5–15 цифр; кроме них допустимы только + ( ) - и пробелы.",
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
        PersonError::PhoneInvalid,
    ]
    .into_iter()
    .find(|error| error.code() == code)
}

/// The text for a field error code, whatever the form; `None` for a code this build does not
/// know, which then shows in the server's (English) words.
#[must_use]
pub fn field_code_text(lang: Lang, code: &str) -> Option<String> {
    // Password rules first: `password_too_short` is also a `PersonError`, whose text names the
    // default length; without the policy at hand the length is left out.
    if let Some(rule) = password_rule(code) {
        return Some(password_rule_text(lang, rule, None));
    }
    if let Some(known) = person_error(code) {
        return Some(field_error_text(lang, known).to_owned());
    }
    let (en, ru) = match code {
        "wrong_password" => ("The password is wrong.", "Неверный пароль."),
        "invalid_code" => (
            "This code is wrong or has expired. Enter the one the app shows now.",
            "Код неверный или устарел. Введите тот, что приложение показывает сейчас.",
        ),
        "not_a_number" => ("Enter a whole number.", "Введите целое число."),
        "out_of_range" => (
            "This value is out of range.",
            "Значение вне допустимых пределов.",
        ),
        "too_long" => ("This is too long.", "Слишком длинно."),
        "password_or_invitation" => (
            "Enter a password, or choose to send an invitation.",
            "Введите пароль или выберите отправку приглашения.",
        ),
        "password_with_invitation" => (
            "Give a password or send an invitation, not both.",
            "Задайте пароль или отправьте приглашение, но не то и другое сразу.",
        ),
        "rights_with_role" => (
            "A user with a role has the role's rights: choose a role or own rights.",
            "Пользователь с ролью получает права роли: выберите роль или собственные права.",
        ),
        "unknown_stage" => (
            "These rights name a stage that no longer exists. Reload the page.",
            "В правах указан этап, которого больше нет. Обновите страницу.",
        ),
        "unknown_group" => (
            "This group no longer exists. Reload the page.",
            "Этой группы больше нет. Обновите страницу.",
        ),
        "unknown_role" => (
            "This role no longer exists. Reload the page.",
            "Этой роли больше нет. Обновите страницу.",
        ),
        "identity_not_found" => (
            "No one has a Gatehouse login with this e-mail.",
            "Ни у кого нет входа в Gatehouse с этой почтой.",
        ),
        // CRM records
        "name_empty" | "text_empty" => ("Fill this in.", "Заполните это поле."),
        "name_too_long" | "text_too_long" => ("This is too long.", "Слишком длинно."),
        "price_invalid" => (
            "The price is a whole number from 0.",
            "Бюджет — целое число от 0.",
        ),
        "responsible_invalid" => (
            "Choose an active user who is not a free one.",
            "Выберите активного пользователя, не бесплатного.",
        ),
        "stage_invalid" => (
            "This stage no longer exists. Reload the page.",
            "Этого этапа больше нет. Обновите страницу.",
        ),
        "custom_value_invalid" => (
            "This value does not fit the field.",
            "Значение не подходит для этого поля.",
        ),
        "custom_field_unknown" => (
            "This field no longer exists. Reload the page.",
            "Этого поля больше нет. Обновите страницу.",
        ),
        "payload_invalid" => ("This is too long.", "Слишком длинно."),
        "phones_too_many" | "emails_too_many" => ("At most 10.", "Не больше 10."),
        // Deactivation
        "member_ids_empty" => (
            "Choose whom to deactivate.",
            "Выберите, кого деактивировать.",
        ),
        "member_unknown" => (
            "Some of these users are no longer in the account. Reload the page.",
            "Некоторых из этих пользователей уже нет в аккаунте. Обновите страницу.",
        ),
        "invalid_reassignment_target" => (
            "Records can go only to active users who are not free and stay.",
            "Записи можно передать только активным, не бесплатным и остающимся пользователям.",
        ),
        "receiver_missing" => (
            "Choose who receives the records.",
            "Выберите, кому передать записи.",
        ),
        "no_eligible_member" => (
            "Nobody in this group can receive the records.",
            "В этой группе некому передать записи.",
        ),
        _ => return None,
    };
    Some(pick(lang, en, ru).to_owned())
}

/// The password rule a field error code names, if any.
#[must_use]
pub fn password_rule(code: &str) -> Option<PasswordRule> {
    [
        PasswordRule::TooShort,
        PasswordRule::TooLong,
        PasswordRule::Common,
        PasswordRule::ContainsPersonalData,
        PasswordRule::NeedsUpper,
        PasswordRule::NeedsLower,
        PasswordRule::NeedsDigit,
        PasswordRule::NeedsSymbol,
    ]
    .into_iter()
    .find(|rule| rule.code() == code)
}

/// What a password still needs, as an instruction; the minimum length when known.
#[must_use]
pub fn password_rule_text(lang: Lang, rule: PasswordRule, min_length: Option<u16>) -> String {
    let (en, ru) = match rule {
        PasswordRule::TooShort => {
            return match (min_length, lang) {
                (Some(n), Lang::En) => format!("Use at least {n} characters."),
                (Some(n), Lang::Ru) => format!("Используйте не меньше {n} символов."),
                (None, _) => pick(
                    lang,
                    "Use a longer password.",
                    "Используйте пароль длиннее.",
                )
                .to_owned(),
            }
        }
        PasswordRule::TooLong => {
            let n = PasswordPolicy::MAX_LENGTH;
            return match lang {
                Lang::En => format!("Use at most {n} characters."),
                Lang::Ru => format!("Используйте не больше {n} символов."),
            };
        }
        PasswordRule::Common => (
            "Choose a less common password.",
            "Выберите менее распространённый пароль.",
        ),
        PasswordRule::ContainsPersonalData => (
            "Leave out the e-mail, the name and the account's name.",
            "Не используйте почту, имя и название аккаунта.",
        ),
        PasswordRule::NeedsUpper => ("Add an upper-case letter.", "Добавьте заглавную букву."),
        PasswordRule::NeedsLower => ("Add a lower-case letter.", "Добавьте строчную букву."),
        PasswordRule::NeedsDigit => ("Add a digit.", "Добавьте цифру."),
        PasswordRule::NeedsSymbol => (
            "Add a symbol (neither a letter nor a digit).",
            "Добавьте символ (не букву и не цифру).",
        ),
    };
    pick(lang, en, ru).to_owned()
}

#[must_use]
pub fn strength_text(lang: Lang, strength: Strength) -> &'static str {
    let (en, ru) = match strength {
        Strength::VeryWeak => ("very weak", "очень слабый"),
        Strength::Weak => ("weak", "слабый"),
        Strength::Fair => ("fair", "средний"),
        Strength::Strong => ("strong", "надёжный"),
        Strength::VeryStrong => ("very strong", "очень надёжный"),
    };
    pick(lang, en, ru)
}

/// When to try again after a 429 or 503, from its `Retry-After`.
#[must_use]
pub fn retry_text(lang: Lang, seconds: u64) -> String {
    if seconds < 60 {
        match lang {
            Lang::En => format!("Try again in {seconds} s."),
            Lang::Ru => format!("Повторите через {seconds} с."),
        }
    } else {
        let minutes = seconds.div_ceil(60);
        match lang {
            Lang::En => format!("Try again in {minutes} min."),
            Lang::Ru => format!("Повторите через {minutes} мин."),
        }
    }
}

#[must_use]
pub fn recovery_codes_left(lang: Lang, left: u32) -> String {
    match lang {
        Lang::En => format!("{left} left"),
        Lang::Ru => format!("Осталось: {left}"),
    }
}

#[must_use]
pub fn sessions_ended(lang: Lang, count: u64) -> String {
    match lang {
        Lang::En => format!("Sessions ended: {count}."),
        Lang::Ru => format!("Завершено сеансов: {count}."),
    }
}

/// "Page 2 of 7".
#[must_use]
pub fn page_of(lang: Lang, page: u64, pages: u64) -> String {
    match lang {
        Lang::En => format!("Page {page} of {pages}"),
        Lang::Ru => format!("Страница {page} из {pages}"),
    }
}

/// "Found: 312", the total over all pages.
#[must_use]
pub fn total_found(lang: Lang, total: u64) -> String {
    match lang {
        Lang::En => format!("Found: {total}"),
        Lang::Ru => format!("Найдено: {total}"),
    }
}

/// The kind of device a session runs on, as the API names it.
#[must_use]
pub fn device_text(lang: Lang, device: &str) -> &'static str {
    let (en, ru) = match device {
        "desktop" => ("Computer", "Компьютер"),
        "smartphone" => ("Phone", "Смартфон"),
        "tablet" => ("Tablet", "Планшет"),
        _ => ("Other device", "Другое устройство"),
    };
    pick(lang, en, ru)
}

/// A problem with a security setting, with the bounds of the field it is about.
#[must_use]
pub fn settings_error_text(lang: Lang, field: &str, code: &str, message: &str) -> String {
    let (en, ru) = match (field, code) {
        (_, "not_a_number") => ("Enter a whole number.", "Введите целое число."),
        ("password_policy.min_length", _) => {
            ("Between 8 and 64 characters.", "От 8 до 64 символов.")
        }
        ("session_idle_minutes", _) => ("Between 5 minutes and 14 days.", "От 5 минут до 14 дней."),
        ("session_absolute_minutes", "shorter_than_idle") => (
            "Must not be shorter than the unused-session lifetime.",
            "Не может быть меньше срока для неиспользуемого сеанса.",
        ),
        ("session_absolute_minutes", _) => ("Between 1 hour and 90 days.", "От 1 часа до 90 дней."),
        ("auth_log_retention_days", _) => ("Between 1 and 3650 days.", "От 1 до 3650 дней."),
        _ => return field_code_text(lang, code).unwrap_or_else(|| message.to_owned()),
    };
    pick(lang, en, ru).to_owned()
}

/// A problem with an entry of the IP allowlist.
#[must_use]
pub fn allowlist_error_text(lang: Lang, code: &str, message: &str) -> String {
    let (en, ru) = match code {
        "invalid_ip_range" => (
            "Enter an address (203.0.113.7) or a range (203.0.113.0/24, 2001:db8::/32).",
            "Введите адрес (203.0.113.7) или диапазон (203.0.113.0/24, 2001:db8::/32).",
        ),
        "too_long" => ("At most 100 characters.", "Не длиннее 100 символов."),
        "too_many" => ("At most 500 entries.", "Не больше 500 записей."),
        _ => return field_code_text(lang, code).unwrap_or_else(|| message.to_owned()),
    };
    pick(lang, en, ru).to_owned()
}

#[must_use]
pub fn outcome_text(lang: Lang, outcome: AuthOutcome) -> &'static str {
    let (en, ru) = match outcome {
        AuthOutcome::Success => ("Success", "Успешно"),
        AuthOutcome::SecondFactorRequired => {
            ("Password right, code asked", "Пароль верный, запрошен код")
        }
        AuthOutcome::WrongPassword => ("Wrong password", "Неверный пароль"),
        AuthOutcome::UnknownEmail => ("Unknown e-mail", "Неизвестная почта"),
        AuthOutcome::WrongSecondFactor => ("Wrong code", "Неверный код"),
        AuthOutcome::Locked => ("Refused: locked", "Отказ: блокировка"),
        AuthOutcome::LockedNow => ("Locked after failures", "Заблокирован после неудач"),
        AuthOutcome::IpNotAllowed => ("IP not allowed", "IP-адрес не разрешён"),
        AuthOutcome::MemberDeactivated => ("User deactivated", "Пользователь отключён"),
        AuthOutcome::NotAMember => ("Not in this account", "Не состоит в аккаунте"),
    };
    pick(lang, en, ru)
}

#[must_use]
pub fn method_text(lang: Lang, method: AuthMethod) -> &'static str {
    let (en, ru) = match method {
        AuthMethod::Web => ("Web app", "Веб-приложение"),
        AuthMethod::Api => ("API", "API"),
        AuthMethod::Refresh => ("Session renewal", "Продление сеанса"),
        AuthMethod::SecondFactor => ("Second factor", "Второй фактор"),
        AuthMethod::PasswordReset => ("Password reset", "Сброс пароля"),
        AuthMethod::Invitation => ("Invitation", "Приглашение"),
    };
    pick(lang, en, ru)
}

#[must_use]
pub fn mail_status_text(lang: Lang, status: MailStatus) -> &'static str {
    let (en, ru) = match status {
        MailStatus::Outbox => ("In the outbox", "В исходящих"),
        MailStatus::Queued => ("Queued", "В очереди"),
        MailStatus::Sent => ("Sent", "Отправлено"),
        MailStatus::Failed => ("Failed", "Не отправлено"),
    };
    pick(lang, en, ru)
}

/// What went wrong, with what the problem names: the seats, the person, how many members.
#[must_use]
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    match (problem.code, lang) {
        (ErrorCode::SeatsExhausted, _) if problem.seats.is_some() => {
            let seats = problem.seats.unwrap_or(Seats {
                used: 0,
                total: 0,
                general: 0,
                technical: 0,
            });
            let (used, total) = (seats.used, seats.total);
            match lang {
                Lang::En => format!(
                    "All {used} of {total} seats are taken. Free a seat (deactivate a user or make one free) or add seats to the licence."
                ),
                Lang::Ru => format!(
                    "Заняты все места: {used} из {total}. Освободите место (отключите пользователя или сделайте его бесплатным) или добавьте места в лицензию."
                ),
            }
        }
        (ErrorCode::IdentityExists, _) if problem.name.is_some() => fill(
            t(lang, Key::ExistingPersonText),
            &[("name", problem.name.as_deref().unwrap_or_default())],
        ),
        (ErrorCode::GroupNotEmpty, Lang::En) if problem.count.is_some() => {
            let count = problem.count.unwrap_or_default();
            let verb = if count == 1 { "is" } else { "are" };
            format!(
                "{} {verb} in this group. Move them to another group first.",
                users_count(lang, count)
            )
        }
        (ErrorCode::GroupNotEmpty, Lang::Ru) if problem.count.is_some() => format!(
            "В группе есть пользователи: {}. Сначала переведите их в другую группу.",
            problem.count.unwrap_or_default()
        ),
        (ErrorCode::RoleInUse, Lang::En) if problem.count.is_some() => {
            let count = problem.count.unwrap_or_default();
            let verb = if count == 1 { "has" } else { "have" };
            format!(
                "{} {verb} this role. Give them another role first.",
                users_count(lang, count)
            )
        }
        (ErrorCode::RoleInUse, Lang::Ru) if problem.count.is_some() => format!(
            "Эта роль есть у пользователей: {}. Сначала назначьте им другую роль.",
            problem.count.unwrap_or_default()
        ),
        _ => error_text(lang, problem.code).to_owned(),
    }
}

/// "1 user", "3 users" / "1 пользователь", "3 пользователя", "5 пользователей".
#[must_use]
pub fn users_count(lang: Lang, count: u64) -> String {
    match lang {
        Lang::En if count == 1 => "1 user".to_owned(),
        Lang::En => format!("{count} users"),
        Lang::Ru => {
            let word = match (count % 10, count % 100) {
                (1, n) if n != 11 => "пользователь",
                (2..=4, n) if !(12..=14).contains(&n) => "пользователя",
                _ => "пользователей",
            };
            format!("{count} {word}")
        }
    }
}

/// The seats in detail, for the counter's tooltip.
#[must_use]
pub fn seats_text(lang: Lang, seats: &Seats) -> String {
    let (general, technical, free) = (seats.general, seats.technical, seats.free());
    match lang {
        Lang::En => format!("Seats: {general} general, {technical} technical; {free} free."),
        Lang::Ru => format!("Места: общих {general}, технических {technical}; свободно {free}."),
    }
}

/// "Selected: 3".
#[must_use]
pub fn selected_text(lang: Lang, count: u64) -> String {
    match lang {
        Lang::En => format!("Selected: {count}"),
        Lang::Ru => format!("Выбрано: {count}"),
    }
}

#[must_use]
pub fn page_selected_text(lang: Lang, count: u64) -> String {
    match lang {
        Lang::En => format!("All {count} users on this page are selected."),
        Lang::Ru => format!("Выбраны все пользователи на этой странице: {count}."),
    }
}

#[must_use]
pub fn select_all_matching_text(lang: Lang, total: u64) -> String {
    match lang {
        Lang::En => format!("Select all {total} matching"),
        Lang::Ru => format!("Выбрать всех подходящих: {total}"),
    }
}

#[must_use]
pub fn all_matching_text(lang: Lang, total: u64) -> String {
    match lang {
        Lang::En => format!("All {total} users matching the filters are selected."),
        Lang::Ru => format!("Выбраны все пользователи, подходящие под фильтры: {total}."),
    }
}

#[must_use]
pub fn bulk_done_text(lang: Lang, affected: u64) -> String {
    match lang {
        Lang::En => format!("Done. Users changed: {affected}."),
        Lang::Ru => format!("Готово. Изменено пользователей: {affected}."),
    }
}

/// "1 lead", "3 leads" / "1 сделка", "3 сделки", "5 сделок".
#[must_use]
pub fn leads_count(lang: Lang, count: u64) -> String {
    match lang {
        Lang::En if count == 1 => "1 lead".to_owned(),
        Lang::En => format!("{count} leads"),
        Lang::Ru => {
            let word = match (count % 10, count % 100) {
                (1, n) if n != 11 => "сделка",
                (2..=4, n) if !(12..=14).contains(&n) => "сделки",
                _ => "сделок",
            };
            format!("{count} {word}")
        }
    }
}

#[must_use]
pub fn event_kind_text(lang: Lang, kind: EventKind) -> &'static str {
    let (en, ru) = match kind {
        EventKind::IncomingCall => ("Incoming call", "Входящий звонок"),
        EventKind::OutgoingCall => ("Outgoing call", "Исходящий звонок"),
        EventKind::IncomingChatMessage => ("Incoming message", "Входящее сообщение"),
        EventKind::OutgoingChatMessage => ("Outgoing message", "Исходящее сообщение"),
        EventKind::IncomingSms => ("Incoming SMS", "Входящее SMS"),
        EventKind::OutgoingSms => ("Outgoing SMS", "Исходящее SMS"),
        EventKind::StageChanged => ("Stage changed", "Этап изменён"),
        EventKind::ResponsibleChanged => ("Responsible changed", "Ответственный изменён"),
        EventKind::Email => ("E-mail", "Письмо"),
        EventKind::PersonalDataErased => ("Personal data erased", "Персональные данные удалены"),
    };
    pick(lang, en, ru)
}

/// "Deactivate 2 users?".
#[must_use]
pub fn deactivate_title(lang: Lang, count: usize) -> String {
    let count = users_count(lang, count as u64);
    match lang {
        Lang::En => format!("Deactivate {count}?"),
        Lang::Ru => format!("Деактивировать: {count}?"),
    }
}

/// A reassignment job that stopped, with the server's reason.
#[must_use]
pub fn job_failed_text(lang: Lang, error: &str) -> String {
    match lang {
        Lang::En => format!("The hand-over stopped: {error}. What moved stays moved."),
        Lang::Ru => format!("Передача остановилась: {error}. Переданное остаётся переданным."),
    }
}

/// What a group's or a role's name breaks (1–100 characters).
#[must_use]
pub fn title_error_text(lang: Lang, code: &str) -> Option<String> {
    let (en, ru) = match code {
        "name_empty" => ("Enter a name.", "Введите название."),
        "name_too_long" => (
            "The name must be at most 100 characters.",
            "Название должно быть не длиннее 100 символов.",
        ),
        _ => return field_code_text(lang, code),
    };
    Some(pick(lang, en, ru).to_owned())
}

/// A level's meaning for the legend; `None` is a stage right that follows the one on leads.
#[must_use]
pub fn level_text(lang: Lang, level: Option<Level>) -> String {
    let (en, ru) = match level {
        None => ("As leads", "Как для сделок"),
        Some(Level::A) => ("all records", "все записи"),
        Some(Level::G) => ("records of the user's group", "записи своей группы"),
        Some(Level::M) => ("the user's own records", "только свои записи"),
        Some(Level::D) => ("denied", "запрещено"),
    };
    pick(lang, en, ru).to_owned()
}

#[must_use]
pub fn action_text(lang: Lang, action: Action) -> &'static str {
    let (en, ru) = match action {
        Action::View => ("View", "Просмотр"),
        Action::Add => ("Add", "Добавление"),
        Action::Edit => ("Edit", "Изменение"),
        Action::Delete => ("Delete", "Удаление"),
        Action::Export => ("Export", "Экспорт"),
    };
    pick(lang, en, ru)
}

#[must_use]
pub fn entity_text(lang: Lang, entity: Entity) -> &'static str {
    let (en, ru) = match entity {
        Entity::Leads => ("leads", "сделки"),
        Entity::Contacts => ("contacts", "контакты"),
        Entity::Companies => ("companies", "компании"),
        Entity::Tasks => ("tasks", "задачи"),
    };
    pick(lang, en, ru)
}

/// "Edit on leads was narrowed from A to G because of view."
#[must_use]
pub fn narrowing_text(
    lang: Lang,
    stage: bool,
    what: &str,
    place: &str,
    from: &str,
    to: &str,
    reason: &str,
) -> String {
    match (lang, stage) {
        (Lang::En, false) => format!(
            "{what} on {place} was narrowed from {from} to {to} because of {}.",
            gatehouse_domain::text::lowercase(reason)
        ),
        (Lang::En, true) => format!(
            "{what} in the stage {place} was narrowed from {from} to {to} because of {}.",
            gatehouse_domain::text::lowercase(reason)
        ),
        (Lang::Ru, false) => {
            format!("Право «{what}» ({place}) сужено с {from} до {to} из-за права «{reason}».")
        }
        (Lang::Ru, true) => format!(
            "Право «{what}» на этапе {place} сужено с {from} до {to} из-за права «{reason}»."
        ),
    }
}

#[must_use]
pub fn section_text(lang: Lang, section: Section) -> &'static str {
    let (en, ru) = match section {
        Section::Dashboard => ("Dashboard", "Рабочий стол"),
        Section::Leads => ("Leads", "Сделки"),
        Section::Contacts => ("Contacts", "Контакты"),
        Section::Companies => ("Companies", "Компании"),
        Section::Tasks => ("Tasks", "Задачи"),
        Section::Analytics => ("Analytics", "Аналитика"),
        Section::Mail => ("Mail", "Почта"),
        Section::Catalogs => ("Catalogues", "Каталоги"),
        Section::Settings => ("Settings", "Настройки"),
    };
    pick(lang, en, ru)
}

/// The acts of the audit log this build has words for, in the order the filter lists them.
pub const AUDIT_ACTIONS: [&str; 22] = [
    "user_created",
    "user_updated",
    "rights_changed",
    "user_activated",
    "users_activated",
    "group_changed",
    "role_changed",
    "invitation_sent",
    "password_set",
    "password_reset_sent",
    "two_factor_reset",
    "sessions_ended",
    "sign_in_unlocked",
    "group_created",
    "group_renamed",
    "group_deleted",
    "role_created",
    "role_updated",
    "role_deleted",
    "security_settings_changed",
    "allowlist_changed",
    "seats_changed",
];

/// An act's short name, for the filter.
#[must_use]
pub fn audit_action_label(lang: Lang, action: &str) -> Option<&'static str> {
    let (en, ru) = match action {
        "user_created" => ("User added", "Добавлен пользователь"),
        "user_updated" => ("User edited", "Изменён пользователь"),
        "rights_changed" => ("Rights changed", "Изменены права"),
        "user_activated" | "users_activated" => ("User activated", "Пользователь активирован"),
        "group_changed" => ("Group of a user changed", "Сменена группа пользователя"),
        "role_changed" => ("Role of a user changed", "Сменена роль пользователя"),
        "invitation_sent" => ("Invitation sent", "Отправлено приглашение"),
        "password_set" => ("Password set", "Задан пароль"),
        "password_reset_sent" => ("Reset link sent", "Отправлена ссылка для сброса"),
        "two_factor_reset" => ("2FA reset", "Сброшена 2FA"),
        "sessions_ended" => ("Sessions ended", "Завершены сеансы"),
        "sign_in_unlocked" => ("Sign-in unlocked", "Вход разблокирован"),
        "group_created" => ("Group created", "Создана группа"),
        "group_renamed" => ("Group renamed", "Переименована группа"),
        "group_deleted" => ("Group deleted", "Удалена группа"),
        "role_created" => ("Role created", "Создана роль"),
        "role_updated" => ("Role changed", "Изменена роль"),
        "role_deleted" => ("Role deleted", "Удалена роль"),
        "security_settings_changed" => (
            "Security settings changed",
            "Изменены настройки безопасности",
        ),
        "allowlist_changed" => ("IP allowlist changed", "Изменён список IP-адресов"),
        "seats_changed" => ("Seats changed", "Изменено число мест"),
        _ => return None,
    };
    Some(pick(lang, en, ru))
}

/// An act as a sentence, with `{actor}`, `{target}`, `{name}`, `{before}`, `{group}` and
/// `{role}` to fill.
#[must_use]
pub fn audit_sentence(lang: Lang, action: &str) -> Option<&'static str> {
    let (en, ru) = match action {
        "user_created" => (
            "{actor} added {target}.",
            "{actor} добавил(а) пользователя {target}.",
        ),
        "user_updated" => (
            "{actor} edited {target}.",
            "{actor} изменил(а) пользователя {target}.",
        ),
        "rights_changed" => (
            "{actor} changed the rights of {target}.",
            "{actor} изменил(а) права пользователя {target}.",
        ),
        "user_activated" | "users_activated" => (
            "{actor} activated {target}.",
            "{actor} активировал(а) пользователя {target}.",
        ),
        "group_changed" => (
            "{actor} moved {target} to the group “{group}”.",
            "{actor} перевёл(а) пользователя {target} в группу «{group}».",
        ),
        "role_changed" => (
            "{actor} changed the role of {target}: {role}.",
            "{actor} сменил(а) роль пользователя {target}: {role}.",
        ),
        "invitation_sent" => (
            "{actor} sent an invitation to {target}.",
            "{actor} отправил(а) приглашение пользователю {target}.",
        ),
        "password_set" => (
            "{actor} set a password for {target}.",
            "{actor} задал(а) пароль пользователю {target}.",
        ),
        "password_reset_sent" => (
            "{actor} sent a password reset link to {target}.",
            "{actor} отправил(а) ссылку для сброса пароля пользователю {target}.",
        ),
        "two_factor_reset" => (
            "{actor} reset two-factor authentication of {target}.",
            "{actor} сбросил(а) двухфакторную аутентификацию пользователя {target}.",
        ),
        "sessions_ended" => (
            "{actor} ended the sessions of {target}.",
            "{actor} завершил(а) сеансы пользователя {target}.",
        ),
        "sign_in_unlocked" => (
            "{actor} unlocked sign-in for {target}.",
            "{actor} разблокировал(а) вход пользователю {target}.",
        ),
        "group_created" => (
            "{actor} created the group “{name}”.",
            "{actor} создал(а) группу «{name}».",
        ),
        "group_renamed" => (
            "{actor} renamed the group “{before}” to “{name}”.",
            "{actor} переименовал(а) группу «{before}» в «{name}».",
        ),
        "group_deleted" => (
            "{actor} deleted the group “{name}”.",
            "{actor} удалил(а) группу «{name}».",
        ),
        "role_created" => (
            "{actor} created the role “{name}”.",
            "{actor} создал(а) роль «{name}».",
        ),
        "role_updated" => (
            "{actor} changed the role “{name}”.",
            "{actor} изменил(а) роль «{name}».",
        ),
        "role_deleted" => (
            "{actor} deleted the role “{name}”.",
            "{actor} удалил(а) роль «{name}».",
        ),
        "security_settings_changed" => (
            "{actor} changed the security settings.",
            "{actor} изменил(а) настройки безопасности.",
        ),
        "allowlist_changed" => (
            "{actor} changed the IP allowlist.",
            "{actor} изменил(а) список разрешённых IP-адресов.",
        ),
        "seats_changed" => (
            "{actor} changed the seats.",
            "{actor} изменил(а) число мест.",
        ),
        _ => return None,
    };
    Some(pick(lang, en, ru))
}

/// The name of a field the audit log's details speak of, where a person would not read it.
#[must_use]
pub fn detail_label(lang: Lang, key: &str) -> Option<&'static str> {
    let (en, ru) = match key {
        "name" => ("Name", "Имя"),
        "email" => ("E-mail", "Почта"),
        "group" => ("Group", "Группа"),
        "role" | "role_id" => ("Role", "Роль"),
        "rights" => ("Rights", "Права"),
        "hidden_sections" => ("Hidden sections", "Скрытые разделы"),
        "is_admin" => ("Administrator", "Администратор"),
        "is_free" => ("Free user", "Бесплатный"),
        "language" => ("Language", "Язык"),
        "phone" => ("Phone", "Телефон"),
        "must_change" => ("Must change at sign-in", "Сменить при входе"),
        "ended" | "sessions_ended" => ("Sessions ended", "Завершено сеансов"),
        "enabled" => ("On", "Включён"),
        "apply_to_tokens" => ("Also for tokens", "Также для токенов"),
        "entries" => ("Addresses", "Адреса"),
        "general" => ("General seats", "Общих мест"),
        "technical" => ("Technical seats", "Технических мест"),
        "invited" => ("Invitation sent", "Отправлено приглашение"),
        "existing_identity" => ("Had a login already", "Уже был вход"),
        _ => return None,
    };
    Some(pick(lang, en, ru))
}

/// Fills `{name}`-style places of a text with values.
#[must_use]
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
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

    /// The text of `key` in the current language, for a view or an attribute (tracked). Every
    /// text goes through this one closure type, so the app carries one compiled text renderer
    /// rather than one per text: each distinct closure in a view is compiled on its own.
    pub fn text(self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(key)
    }

    /// `yes` while `when` holds, else `no`: "Saving…" while a save runs, "Save" otherwise.
    pub fn text_when(
        self,
        when: Signal<bool>,
        yes: Key,
        no: Key,
    ) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || self.t(if when.get() { yes } else { no })
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
