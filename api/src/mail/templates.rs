//! The texts of Gatehouse's messages, in Russian and English (other languages get English).

use gatehouse_domain::people::Language;

/// Subject and body.
pub struct Text {
    pub subject: String,
    pub body: String,
}

fn russian(language: Language) -> bool {
    language == Language::Ru
}

#[must_use]
pub fn password_reset(language: Language, name: &str, link: &str) -> Text {
    if russian(language) {
        Text {
            subject: "Сброс пароля Gatehouse".to_owned(),
            body: format!(
                "{name}, здравствуйте!\n\nЧтобы задать новый пароль, откройте ссылку (она действует один час и один раз):\n{link}\n\nЕсли вы не запрашивали сброс, просто не открывайте её — пароль останется прежним.\n"
            ),
        }
    } else {
        Text {
            subject: "Reset your Gatehouse password".to_owned(),
            body: format!(
                "Hello {name},\n\nTo choose a new password, open this link (it works once, within one hour):\n{link}\n\nIf you did not ask for a reset, ignore this message: your password stays as it is.\n"
            ),
        }
    }
}

#[must_use]
pub fn password_changed(language: Language, name: &str) -> Text {
    if russian(language) {
        Text {
            subject: "Пароль Gatehouse изменён".to_owned(),
            body: format!(
                "{name}, здравствуйте!\n\nПароль вашей учётной записи только что изменён, все другие сеансы завершены.\nЕсли это были не вы, сразу восстановите доступ через «Забыли пароль?» и сообщите администратору.\n"
            ),
        }
    } else {
        Text {
            subject: "Your Gatehouse password was changed".to_owned(),
            body: format!(
                "Hello {name},\n\nThe password of your account has just been changed and your other sessions were ended.\nIf this was not you, reset your password with \"Forgot password?\" at once and tell your administrator.\n"
            ),
        }
    }
}

#[must_use]
pub fn password_set_by_admin(language: Language, name: &str, account: &str) -> Text {
    if russian(language) {
        Text {
            subject: "Администратор задал вам новый пароль".to_owned(),
            body: format!(
                "{name}, здравствуйте!\n\nАдминистратор аккаунта «{account}» задал вам новый пароль; ваши сеансы завершены. Новый пароль сообщит администратор.\n"
            ),
        }
    } else {
        Text {
            subject: "An administrator set a new password for you".to_owned(),
            body: format!(
                "Hello {name},\n\nAn administrator of the account \"{account}\" set a new password for you and your sessions were ended. Ask them for the new password.\n"
            ),
        }
    }
}

#[must_use]
pub fn two_factor_reset(language: Language, name: &str, account: &str) -> Text {
    if russian(language) {
        Text {
            subject: "Двухфакторная аутентификация отключена".to_owned(),
            body: format!(
                "{name}, здравствуйте!\n\nАдминистратор аккаунта «{account}» отключил вашу двухфакторную аутентификацию. Включите её снова в профиле, раздел «Безопасность».\n"
            ),
        }
    } else {
        Text {
            subject: "Two-factor authentication was turned off".to_owned(),
            body: format!(
                "Hello {name},\n\nAn administrator of the account \"{account}\" turned off your two-factor authentication. Turn it on again under Profile → Security.\n"
            ),
        }
    }
}

#[must_use]
pub fn sign_in_locked(language: Language, name: &str, minutes: i64) -> Text {
    if russian(language) {
        Text {
            subject: "Вход в Gatehouse временно заблокирован".to_owned(),
            body: format!(
                "{name}, здравствуйте!\n\nПосле 10 неудачных попыток входа вход по вашему адресу заблокирован на {minutes} минут. Если это были не вы, смените пароль и сообщите администратору; администратор может снять блокировку раньше.\n"
            ),
        }
    } else {
        Text {
            subject: "Sign-in to Gatehouse is locked for a while".to_owned(),
            body: format!(
                "Hello {name},\n\nAfter 10 failed sign-ins, signing in with your address is locked for {minutes} minutes. If this was not you, change your password and tell your administrator, who can also lift the lock sooner.\n"
            ),
        }
    }
}

#[must_use]
pub fn invitation(
    language: Language,
    name: &str,
    account: &str,
    inviter: &str,
    link: &str,
) -> Text {
    if russian(language) {
        Text {
            subject: format!("Приглашение в {account}"),
            body: format!(
                "{name}, здравствуйте!\n\n{inviter} приглашает вас в аккаунт «{account}» в Gatehouse.\nЧтобы войти, задайте свой пароль по ссылке (она действует 72 часа и один раз):\n{link}\n"
            ),
        }
    } else {
        Text {
            subject: format!("You are invited to {account}"),
            body: format!(
                "Hello {name},\n\n{inviter} invites you to the account \"{account}\" in Gatehouse.\nTo sign in, choose your password at this link (it works once, within 72 hours):\n{link}\n"
            ),
        }
    }
}
