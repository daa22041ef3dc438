//! The lead's chat with its client (K5), on the lead card: the client's messages from the
//! cabinet on one side, the managers' answers with their names on the other, and the answer
//! box. New messages arrive without reloading by a loop of long polls (the API holds each read
//! up to 25 s until a message is new), which ends with the card and backs off while the
//! server cannot be reached.

use std::time::Duration;

use futures::{
    channel::oneshot,
    future::{select, Either},
    FutureExt,
};
use gatehouse_domain::{
    cabinet::{ChatInput, ChatMessage, MESSAGE_MAX},
    problem::ErrorCode,
    Id,
};
use leptos::{ev::SubmitEvent, html, prelude::*, task::spawn_local};

use crate::{
    api::{Api, ApiError},
    auth::session::{use_session, Session},
    i18n::{field_code_text, use_locale, Lang},
    layout::{form_error::FormError, format::Time, loading::Loading},
    sms::texts::{pick, say, Words},
};

/// How long one read waits for news; the API's longest.
const WAIT_SECONDS: u32 = 25;
/// The longest pause between tries while the server cannot be reached.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// The chat's texts (see `crate::sms::texts` for why they are not in `crate::i18n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Text {
    Title,
    Empty,
    Client,
    Message,
    Prompt,
    SendHint,
    Send,
    Sending,
    Offline,
    ReadOnly,
}

const fn words(text: Text) -> Words {
    match text {
        Text::Title => ("Chat with the client", "Чат с клиентом"),
        Text::Empty => (
            "No messages yet. The client writes from the client cabinet; your answer reaches them there.",
            "Сообщений пока нет. Клиент пишет из кабинета клиента; ваш ответ придёт ему туда же.",
        ),
        Text::Client => ("Client", "Клиент"),
        Text::Message => ("Answer to the client", "Ответ клиенту"),
        Text::Prompt => ("Write to the client…", "Напишите клиенту…"),
        Text::SendHint => ("Ctrl+Enter sends.", "Ctrl+Enter — отправить."),
        Text::Send => ("Send", "Отправить"),
        Text::Sending => ("Sending…", "Отправка…"),
        Text::Offline => (
            "No connection to the server; trying again…",
            "Нет связи с сервером; пробуем снова…",
        ),
        Text::ReadOnly => (
            "Answering needs the right to edit this lead.",
            "Чтобы отвечать, нужно право на изменение этой сделки.",
        ),
    }
}

fn text_error(lang: Lang, code: &str, message: &str) -> String {
    let words = match code {
        "text_empty" => ("Write a message.", "Напишите сообщение."),
        "text_too_long" => ("At most 4000 characters.", "Не длиннее 4000 символов."),
        _ => return field_code_text(lang, code).unwrap_or_else(|| message.to_owned()),
    };
    pick(lang, words).to_owned()
}

/// What the chat shows, shared with its loop of reads.
#[derive(Clone, Copy)]
struct Conversation {
    messages: RwSignal<Vec<ChatMessage>>,
    /// The first read has come.
    loaded: RwSignal<bool>,
    /// The last read failed for want of the server; the loop tries again.
    offline: RwSignal<bool>,
    /// A refusal after which nothing more will come (the lead is gone or out of reach).
    refused: RwSignal<Option<ApiError>>,
}

impl Conversation {
    /// Adds messages not yet shown, in id order; whether any was new.
    fn merge(self, new: Vec<ChatMessage>) -> bool {
        self.messages
            .try_update(|all| {
                let before = all.len();
                for message in new {
                    if !all.iter().any(|m| m.id == message.id) {
                        all.push(message);
                    }
                }
                all.sort_by_key(|m| m.id);
                all.len() > before
            })
            .unwrap_or(false)
    }
}

/// The chat of lead `lead`; `on_news` runs when a message arrives or is sent (the timeline
/// shows chat messages too).
#[component]
pub fn Chat(lead: Id, may_write: Signal<bool>, on_news: Callback<()>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let chat = Conversation {
        messages: RwSignal::new(Vec::new()),
        loaded: RwSignal::new(false),
        offline: RwSignal::new(false),
        refused: RwSignal::new(None),
    };
    // The loop ends when this sender goes with the card: its pending read is dropped, which
    // aborts the request.
    let (stop, stopped) = oneshot::channel::<()>();
    on_cleanup(move || drop(stop));
    spawn_local(poll(session, lead, chat, on_news, stopped));

    // The newest message stays in view.
    let list = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        chat.messages.track();
        request_animation_frame(move || {
            if let Some(list) = list.get_untracked() {
                list.set_scroll_top(list.scroll_height());
            }
        });
    });

    view! {
        <section class="card chat" aria-labelledby="chat-title" data-testid="chat">
            <h2 id="chat-title">{say(locale, words(Text::Title))}</h2>
            {move || chat.refused.get().map(|error| view! {
                <div class="alert alert-error" role="alert" data-testid="chat-error">{move || error.message(locale.lang())}</div>
            })}
            <div class="chat-messages" node_ref=list role="log" aria-labelledby="chat-title" tabindex="0">
                {move || {
                    if !chat.loaded.get() {
                        return view! { <Loading inline=true/> }.into_any();
                    }
                    if chat.messages.with(Vec::is_empty) {
                        return view! { <p class="muted chat-empty" data-testid="chat-empty">{say(locale, words(Text::Empty))}</p> }.into_any();
                    }
                    view! {
                        // Redrawn whole on news: a chat of at most a few hundred messages
                        // does not need the keyed list's code in the download.
                        <ol class="chat-list">
                            {chat.messages.get().into_iter().map(|message| view! { <Bubble message=message/> }).collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </div>
            {move || chat.offline.get().then(|| view! {
                <p class="text-warning small" role="status" data-testid="chat-offline">{say(locale, words(Text::Offline))}</p>
            })}
            {move || if may_write.get() {
                view! { <Answer lead=lead chat=chat on_news=on_news/> }.into_any()
            } else {
                view! { <p class="muted small">{say(locale, words(Text::ReadOnly))}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn Bubble(message: ChatMessage) -> impl IntoView {
    let locale = use_locale();
    let ChatMessage {
        from_client,
        text,
        author_name,
        created_at,
        ..
    } = message;
    let author = move || match (&author_name, from_client) {
        (_, true) => pick(locale.lang(), words(Text::Client)).to_owned(),
        (Some(name), false) => name.clone(),
        (None, false) => String::new(),
    };
    view! {
        <li
            class="chat-message"
            class:chat-from-client=from_client
            class:chat-from-manager=!from_client
            data-testid="chat-message"
            data-from=if from_client { "client" } else { "manager" }
        >
            <div class="chat-meta">
                <span class="chat-author" data-testid="chat-author">{author}</span>
                <Time at=created_at class="muted small"/>
            </div>
            <p class="chat-text" data-testid="chat-text">{text}</p>
        </li>
    }
}

/// The manager's answer box.
#[component]
fn Answer(lead: Id, chat: Conversation, on_news: Callback<()>) -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let api = session.api();
    let text = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<ApiError>);
    let sending = RwSignal::new(false);
    let send = move || {
        if sending.get_untracked() {
            return;
        }
        let input = ChatInput {
            text: text.get_untracked().trim().to_owned(),
        };
        if input.text.is_empty() {
            refused.set(Some(crate::crm::refusal("text", "text_empty")));
            return;
        }
        refused.set(None);
        sending.set(true);
        spawn_local(async move {
            let result = session.call(api.send_lead_message(lead, &input)).await;
            if sending.is_disposed() {
                return;
            }
            sending.set(false);
            match result {
                Ok(message) => {
                    text.set(String::new());
                    chat.merge(vec![message]);
                    on_news.run(());
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let error = Signal::derive(move || {
        refused.with(|refused| {
            refused.as_ref().and_then(|error| {
                error
                    .field_errors("text")
                    .first()
                    .map(|e| text_error(locale.lang(), &e.code, &e.message))
            })
        })
    });
    let invalid = Signal::derive(move || error.with(Option::is_some));
    view! {
        <form
            class="chat-form"
            novalidate=true
            on:submit=move |event: SubmitEvent| {
                event.prevent_default();
                send();
            }
        >
            <div class="field" class:field-invalid=invalid>
                <label for="chat-input" class="sr-only">{say(locale, words(Text::Message))}</label>
                <textarea
                    id="chat-input"
                    data-testid="chat-input"
                    rows="2"
                    maxlength=MESSAGE_MAX
                    placeholder=say(locale, words(Text::Prompt))
                    aria-invalid=move || if invalid.get() { "true" } else { "false" }
                    aria-describedby="chat-input-hint chat-input-error"
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                    on:keydown=move |event| {
                        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
                            event.prevent_default();
                            send();
                        }
                    }
                ></textarea>
                <p class="field-hint" id="chat-input-hint">{say(locale, words(Text::SendHint))}</p>
                <p class="field-error" id="chat-input-error" data-testid="chat-input-error">{move || error.get()}</p>
            </div>
            <button type="submit" class="button button-primary" data-testid="chat-send" disabled=move || sending.get()>
                {move || pick(locale.lang(), words(if sending.get() { Text::Sending } else { Text::Send }))}
            </button>
            <FormError
                refused=Signal::derive(move || refused.get().filter(|e| e.field_errors("text").is_empty()))
                testid="chat-send-error"
            />
        </form>
    }
}

/// The loop of reads, until `stopped` resolves (its sender dropped with the chat): the latest
/// messages first, then each read waits for news after the last one shown.
async fn poll(
    session: Session,
    lead: Id,
    chat: Conversation,
    on_news: Callback<()>,
    mut stopped: oneshot::Receiver<()>,
) {
    let api: Api = session.api();
    let mut backoff = Duration::from_secs(1);
    loop {
        let (Some(last), Some(loaded)) = (
            chat.messages
                .try_with_untracked(|all| all.last().map_or(0, |m| m.id)),
            chat.loaded.try_get_untracked(),
        ) else {
            return;
        };
        let (after, wait) = if loaded {
            (Some(last), WAIT_SECONDS)
        } else {
            (None, 0)
        };
        let request = session
            .call(api.lead_messages(lead, after, wait))
            .boxed_local();
        let result = match select(request, &mut stopped).await {
            Either::Left((result, _)) => result,
            Either::Right(_) => return,
        };
        match result {
            Ok(new) => {
                backoff = Duration::from_secs(1);
                chat.offline.try_set(false);
                let news = chat.merge(new);
                chat.loaded.try_set(true);
                if news && loaded {
                    on_news.run(());
                }
            }
            // Signed out, the lead deleted or out of the member's reach: nothing more will come.
            Err(error)
                if error.ends_session()
                    || matches!(
                        error.code(),
                        Some(ErrorCode::NotFound | ErrorCode::Forbidden)
                    ) =>
            {
                chat.loaded.try_set(true);
                chat.refused.try_set(Some(error));
                return;
            }
            Err(_) => {
                chat.offline.try_set(true);
                if let Either::Right(_) = select(sleep(backoff).boxed_local(), &mut stopped).await {
                    return;
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Resolves after `duration`.
async fn sleep(duration: Duration) {
    let (done, wait) = oneshot::channel::<()>();
    set_timeout(
        move || {
            let _ = done.send(());
        },
        duration,
    );
    let _ = wait.await;
}
