//! What the demo's records are called, in Russian for Russian-language accounts and in English
//! for the others: people, companies, deals, tasks, messages, and the account's own groups,
//! roles, pipelines and fields.

use rand::Rng;

/// The language the demo speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tongue {
    Russian,
    English,
}

impl Tongue {
    pub fn of(language_code: &str) -> Self {
        if language_code == "ru" {
            Self::Russian
        } else {
            Self::English
        }
    }

    /// Picks the text in this language from a `(russian, english)` pair.
    pub const fn pick<T: Copy>(self, pair: (T, T)) -> T {
        match self {
            Self::Russian => pair.0,
            Self::English => pair.1,
        }
    }
}

/// A person's name as shown, and its Latin letters for an e-mail address.
pub struct PersonNames {
    pub name: String,
    pub first_latin: String,
    pub last_latin: String,
}

const RU_MEN: &[(&str, &str)] = &[
    ("Александр", "aleksandr"),
    ("Дмитрий", "dmitriy"),
    ("Сергей", "sergey"),
    ("Андрей", "andrey"),
    ("Алексей", "aleksey"),
    ("Максим", "maksim"),
    ("Иван", "ivan"),
    ("Михаил", "mikhail"),
    ("Николай", "nikolay"),
    ("Павел", "pavel"),
    ("Егор", "egor"),
    ("Роман", "roman"),
    ("Артём", "artem"),
    ("Владимир", "vladimir"),
    ("Кирилл", "kirill"),
    ("Олег", "oleg"),
    ("Игорь", "igor"),
    ("Денис", "denis"),
];
const RU_WOMEN: &[(&str, &str)] = &[
    ("Анна", "anna"),
    ("Мария", "mariya"),
    ("Елена", "elena"),
    ("Ольга", "olga"),
    ("Наталья", "natalya"),
    ("Татьяна", "tatyana"),
    ("Екатерина", "ekaterina"),
    ("Ирина", "irina"),
    ("Светлана", "svetlana"),
    ("Юлия", "yuliya"),
    ("Ксения", "kseniya"),
    ("Дарья", "darya"),
    ("Алина", "alina"),
    ("Виктория", "viktoriya"),
    ("Полина", "polina"),
    ("Марина", "marina"),
];
/// Surnames in their men's form; the women's form is derived.
const RU_SURNAMES: &[(&str, &str)] = &[
    ("Иванов", "ivanov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"),
    ("Соколов", "sokolov"),
    ("Лебедев", "lebedev"),
    ("Козлов", "kozlov"),
    ("Новиков", "novikov"),
    ("Морозов", "morozov"),
    ("Петров", "petrov"),
    ("Волков", "volkov"),
    ("Соловьёв", "solovev"),
    ("Васильев", "vasilev"),
    ("Зайцев", "zaytsev"),
    ("Павлов", "pavlov"),
    ("Семёнов", "semenov"),
    ("Голубев", "golubev"),
    ("Виноградов", "vinogradov"),
    ("Богданов", "bogdanov"),
    ("Воробьёв", "vorobev"),
    ("Фёдоров", "fedorov"),
    ("Михайлов", "mikhaylov"),
    ("Беляев", "belyaev"),
    ("Тарасов", "tarasov"),
    ("Белов", "belov"),
    ("Комаров", "komarov"),
    ("Орлов", "orlov"),
    ("Киселёв", "kiselev"),
    ("Макаров", "makarov"),
    ("Андреев", "andreev"),
    ("Ковальский", "kovalskiy"),
    ("Островский", "ostrovskiy"),
    ("Никитин", "nikitin"),
    ("Ильин", "ilin"),
];
const EN_FIRST: &[&str] = &[
    "James",
    "Olivia",
    "Liam",
    "Emma",
    "Noah",
    "Ava",
    "William",
    "Sophia",
    "Benjamin",
    "Mia",
    "Lucas",
    "Charlotte",
    "Henry",
    "Amelia",
    "Alexander",
    "Harper",
    "Daniel",
    "Evelyn",
    "Michael",
    "Abigail",
    "Ethan",
    "Emily",
    "Jacob",
    "Ella",
    "Samuel",
    "Grace",
    "David",
    "Chloe",
    "Joseph",
    "Lily",
    "Thomas",
    "Hannah",
];
const EN_LAST: &[&str] = &[
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott",
    "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Carter",
];

/// The women's form of a Russian surname and of its Latin spelling.
fn feminine(surname: &str, latin: &str) -> (String, String) {
    match surname.strip_suffix("ий") {
        Some(stem) => (
            format!("{stem}ая"),
            format!("{}aya", latin.strip_suffix("iy").unwrap_or(latin)),
        ),
        None => (format!("{surname}а"), format!("{latin}a")),
    }
}

pub fn person(rng: &mut impl Rng, tongue: Tongue) -> PersonNames {
    match tongue {
        Tongue::Russian => {
            let &(surname, surname_latin) = pick(rng, RU_SURNAMES);
            if rng.gen_bool(0.5) {
                let &(first, first_latin) = pick(rng, RU_MEN);
                PersonNames {
                    name: format!("{first} {surname}"),
                    first_latin: first_latin.to_owned(),
                    last_latin: surname_latin.to_owned(),
                }
            } else {
                let &(first, first_latin) = pick(rng, RU_WOMEN);
                let (surname, surname_latin) = feminine(surname, surname_latin);
                PersonNames {
                    name: format!("{first} {surname}"),
                    first_latin: first_latin.to_owned(),
                    last_latin: surname_latin,
                }
            }
        }
        Tongue::English => {
            let first = *pick(rng, EN_FIRST);
            let last = *pick(rng, EN_LAST);
            PersonNames {
                name: format!("{first} {last}"),
                first_latin: first.to_lowercase(),
                last_latin: last.to_lowercase(),
            }
        }
    }
}

/// A company's name and the host of its website.
pub struct CompanyNames {
    pub name: String,
    pub host: String,
}

const RU_ROOTS: &[(&str, &str)] = &[
    ("Строй", "stroy"),
    ("Техно", "tekhno"),
    ("Агро", "agro"),
    ("Энерго", "energo"),
    ("Мед", "med"),
    ("Транс", "trans"),
    ("Промо", "promo"),
    ("Инфо", "info"),
    ("Эко", "eko"),
    ("Гео", "geo"),
    ("Авто", "avto"),
    ("Лес", "les"),
    ("Север", "sever"),
    ("Вектор", "vektor"),
    ("Альфа", "alfa"),
    ("Урал", "ural"),
    ("Волга", "volga"),
    ("Сибирь", "sibir"),
    ("Меридиан", "meridian"),
    ("Спектр", "spektr"),
];
const RU_TAILS: &[(&str, &str)] = &[
    ("Инвест", "invest"),
    ("Сервис", "servis"),
    ("Групп", "grupp"),
    ("Маркет", "market"),
    ("Снаб", "snab"),
    ("Лайн", "layn"),
    ("Торг", "torg"),
    ("Пром", "prom"),
    ("Софт", "soft"),
    ("Логистик", "logistik"),
    ("Проект", "proekt"),
    ("Альянс", "alyans"),
    ("Трейд", "treyd"),
    ("Систем", "sistem"),
];
const RU_FORMS: &[&str] = &["ООО", "ООО", "ООО", "АО", "ЗАО"];
const EN_FIRST_WORDS: &[&str] = &[
    "Northwind",
    "Blue Harbor",
    "Golden Field",
    "Rapid",
    "Summit",
    "Green Valley",
    "Silver Lake",
    "Bright",
    "Pacific",
    "Granite",
    "Redwood",
    "Atlas",
    "Evergreen",
    "Pioneer",
    "Crescent",
    "Horizon",
    "Maple",
    "Ironbridge",
    "Lakeside",
    "Sterling",
];
const EN_SECOND_WORDS: &[&str] = &[
    "Logistics",
    "Systems",
    "Foods",
    "Textiles",
    "Motors",
    "Labs",
    "Consulting",
    "Media",
    "Builders",
    "Pharma",
    "Energy",
    "Analytics",
    "Furniture",
    "Robotics",
    "Outfitters",
    "Print",
];
const EN_FORMS: &[&str] = &["Ltd", "Inc.", "LLC", "Group", "& Co."];

pub fn company(rng: &mut impl Rng, tongue: Tongue) -> CompanyNames {
    match tongue {
        Tongue::Russian => {
            let &(root, root_latin) = pick(rng, RU_ROOTS);
            let &(tail, tail_latin) = pick(rng, RU_TAILS);
            let form = pick(rng, RU_FORMS);
            CompanyNames {
                name: format!("{form} «{root}{tail}»"),
                host: format!("{root_latin}{tail_latin}.example.ru"),
            }
        }
        Tongue::English => {
            let first = pick(rng, EN_FIRST_WORDS);
            let second = pick(rng, EN_SECOND_WORDS);
            let form = pick(rng, EN_FORMS);
            CompanyNames {
                name: format!("{first} {second} {form}"),
                host: format!(
                    "{}{}.example.com",
                    first.to_lowercase().replace(' ', ""),
                    second.to_lowercase()
                ),
            }
        }
    }
}

/// What deals are about.
const PRODUCTS: &[(&str, &str)] = &[
    ("Внедрение CRM", "CRM implementation"),
    ("Поставка оборудования", "Equipment delivery"),
    ("Годовой договор поддержки", "Annual support contract"),
    ("Разработка сайта", "Website development"),
    ("Маркетинговый аудит", "Marketing audit"),
    ("Обучение персонала", "Staff training"),
    ("Аренда склада", "Warehouse lease"),
    ("Логистические услуги", "Logistics services"),
    ("Лицензии на ПО", "Software licences"),
    ("Серверное оборудование", "Server hardware"),
    ("Офисная мебель", "Office furniture"),
    ("Корпоративные подарки", "Corporate gifts"),
    ("Контекстная реклама", "Search advertising"),
    ("Бухгалтерское сопровождение", "Bookkeeping services"),
    ("Ремонт офиса", "Office renovation"),
    ("Видеонаблюдение", "CCTV installation"),
    ("Поставка канцтоваров", "Stationery supply"),
    ("Кейтеринг на мероприятие", "Event catering"),
    ("Перевозка грузов", "Freight transport"),
    ("Облачное хранилище", "Cloud storage plan"),
];

pub fn product(rng: &mut impl Rng, tongue: Tongue) -> &'static str {
    tongue.pick(*pick(rng, PRODUCTS))
}

/// The name amoCRM gives a deal nobody named.
pub fn unnamed_lead(tongue: Tongue, id: i64) -> String {
    match tongue {
        Tongue::Russian => format!("Сделка #{id}"),
        Tongue::English => format!("Lead #{id}"),
    }
}

pub const OPEN_TASKS: &[(&str, &str)] = &[
    ("Перезвонить клиенту", "Call the client back"),
    ("Отправить коммерческое предложение", "Send the proposal"),
    ("Подготовить договор", "Prepare the contract"),
    ("Назначить демонстрацию", "Schedule a demo"),
    ("Напомнить об оплате счёта", "Follow up on the invoice"),
    ("Согласовать дату поставки", "Confirm the delivery date"),
    ("Встреча в офисе клиента", "Meeting at the client's office"),
    ("Уточнить бюджет", "Clarify the budget"),
];
pub const CONTACT_TASKS: &[(&str, &str)] = &[
    ("Поздравить с днём рождения", "Send birthday greetings"),
    ("Уточнить контактные данные", "Update the contact details"),
];
pub const COMPANY_TASKS: &[(&str, &str)] = &[
    (
        "Проверить реквизиты компании",
        "Check the company's details",
    ),
    ("Провести квартальную встречу", "Hold the quarterly review"),
];
pub const OWN_TASK: (&str, &str) = (
    "Подготовить еженедельный отчёт по продажам",
    "Prepare the weekly sales report",
);

pub const POSITIONS: &[(&str, &str)] = &[
    ("Генеральный директор", "CEO"),
    ("Менеджер по закупкам", "Purchasing manager"),
    ("Главный бухгалтер", "Chief accountant"),
    ("Директор по маркетингу", "Marketing director"),
    ("Офис-менеджер", "Office manager"),
    ("Руководитель ИТ", "Head of IT"),
    ("Собственник", "Owner"),
];

pub const INCOMING_TEXTS: &[(&str, &str)] = &[
    (
        "Здравствуйте! Предложение ещё в силе?",
        "Hello! Is the offer still valid?",
    ),
    (
        "Пришлите, пожалуйста, счёт ещё раз",
        "Could you send the invoice again?",
    ),
    ("Когда сможете привезти?", "When can you deliver?"),
    (
        "Нужна скидка при заказе от 50 штук",
        "We need a discount for 50 units",
    ),
    ("Перезвоните мне после обеда", "Please call me after lunch"),
];
pub const OUTGOING_TEXTS: &[(&str, &str)] = &[
    (
        "Добрый день! Отправил предложение вам на почту.",
        "Good afternoon! I've sent the proposal to your e-mail.",
    ),
    ("Счёт во вложении.", "The invoice is attached."),
    (
        "Доставка возможна на следующей неделе.",
        "Delivery is possible next week.",
    ),
    (
        "Давайте обсудим по телефону завтра.",
        "Let's discuss it on a call tomorrow.",
    ),
];
pub const CHAT_CHANNELS: &[(&str, &str)] = &[
    ("WhatsApp", "WhatsApp"),
    ("Telegram", "Telegram"),
    ("Чат на сайте", "Website chat"),
];
pub const EMAIL_SUBJECTS: &[(&str, &str)] = &[
    ("Коммерческое предложение", "Proposal"),
    ("Счёт на оплату", "Invoice"),
    ("Проект договора", "Contract draft"),
    ("Итоги встречи", "Meeting summary"),
];

/// The account's groups besides its default one.
pub const GROUPS: &[(&str, &str)] = &[
    ("Ключевые клиенты", "Key accounts"),
    ("Входящие продажи", "Inbound sales"),
    ("Партнёрские продажи", "Partner sales"),
];

pub const HEAD_OF_SALES: (&str, &str) = ("Руководитель отдела продаж", "Head of sales");
pub const MANAGER: (&str, &str) = ("Менеджер", "Manager");
pub const JUNIOR_MANAGER: (&str, &str) = ("Младший менеджер", "Junior manager");

/// A pipeline besides the default one: its name, open stages, and won and lost stages.
pub struct PipelineNames {
    pub name: (&'static str, &'static str),
    pub open: &'static [(&'static str, &'static str)],
    pub won: (&'static str, &'static str),
    pub lost: (&'static str, &'static str),
}

pub const PIPELINES: &[PipelineNames] = &[
    PipelineNames {
        name: ("Партнёры", "Partners"),
        open: &[
            ("Заявка", "Application"),
            ("Квалификация", "Qualification"),
            ("Соглашение", "Agreement"),
            ("Подключение", "Onboarding"),
        ],
        won: ("Активный партнёр", "Active partner"),
        lost: ("Отказ", "Rejected"),
    },
    PipelineNames {
        name: ("Повторные продажи", "Repeat sales"),
        open: &[
            ("Реактивация", "Reactivation"),
            ("Предложение отправлено", "Offer sent"),
            ("Счёт выставлен", "Invoice issued"),
        ],
        won: ("Оплачено", "Paid"),
        lost: ("Отказ", "Declined"),
    },
];

pub const LEAD_SOURCE: (&str, &str) = ("Источник", "Source");
pub const SOURCES: &[(&str, &str)] = &[
    ("Сайт", "Website"),
    ("Рекомендация", "Referral"),
    ("Холодный звонок", "Cold call"),
    ("Выставка", "Exhibition"),
    ("Реклама", "Advertising"),
];
pub const BUDGET_CONFIRMED: (&str, &str) = ("Бюджет подтверждён", "Budget confirmed");
pub const POSITION: (&str, &str) = ("Должность", "Position");
pub const INDUSTRY: (&str, &str) = ("Отрасль", "Industry");
pub const INDUSTRIES: &[(&str, &str)] = &[
    ("Розничная торговля", "Retail"),
    ("Производство", "Manufacturing"),
    ("ИТ", "IT"),
    ("Строительство", "Construction"),
    ("Логистика", "Logistics"),
    ("Медицина", "Healthcare"),
    ("Финансы", "Finance"),
    ("Образование", "Education"),
];
pub const WEBSITE: (&str, &str) = ("Сайт", "Website");

/// A phone number in the account's country: Russian mobiles or US numbers.
pub fn phone(rng: &mut impl Rng, tongue: Tongue) -> String {
    match tongue {
        Tongue::Russian => format!("+79{:09}", rng.gen_range(0..1_000_000_000_u32)),
        Tongue::English => format!(
            "+1{}{:07}",
            rng.gen_range(201..990_u32),
            rng.gen_range(0..10_000_000_u32)
        ),
    }
}

/// One item of a list that is never empty.
pub fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    // Every list here is a non-empty constant.
    &items[rng.gen_range(0..items.len())]
}

/// The text of a pair in the demo's language, from a list.
pub fn text(
    rng: &mut impl Rng,
    tongue: Tongue,
    items: &[(&'static str, &'static str)],
) -> &'static str {
    tongue.pick(*pick(rng, items))
}

#[cfg(test)]
mod tests {
    use rand::{rngs::StdRng, SeedableRng};

    use super::*;

    #[test]
    fn russian_women_get_the_feminine_surname() {
        assert_eq!(
            feminine("Иванов", "ivanov"),
            ("Иванова".to_owned(), "ivanova".to_owned())
        );
        assert_eq!(
            feminine("Островский", "ostrovskiy"),
            ("Островская".to_owned(), "ostrovskaya".to_owned())
        );
    }

    #[test]
    fn names_are_valid_person_names_and_phones_valid_phones() {
        let mut rng = StdRng::seed_from_u64(1);
        for tongue in [Tongue::Russian, Tongue::English] {
            for _ in 0..200 {
                let person = person(&mut rng, tongue);
                assert!(
                    gatehouse_domain::people::PersonName::parse(&person.name).is_ok(),
                    "{}",
                    person.name
                );
                let email = format!(
                    "{}.{}@demo.example.com",
                    person.first_latin, person.last_latin
                );
                assert!(
                    gatehouse_domain::people::Email::parse(&email).is_ok(),
                    "{email}"
                );
                let phone = phone(&mut rng, tongue);
                assert_eq!(
                    gatehouse_domain::people::Phone::parse(&phone)
                        .map(|p| p.as_str().to_owned())
                        .ok(),
                    Some(phone.clone())
                );
            }
        }
    }
}
