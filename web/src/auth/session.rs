//! The session context: whether someone is signed in, who, and the actions that change it.
//!
//! Pages never call the API's auth endpoints themselves; they go through [`Session`], so a call
//! that finds the session over (expired refresh, deactivated member) signs the tab out in one
//! place and the route guards send the person to the sign-in page.

use gatehouse_domain::{auth::LoginRequest, profile::Me, profile::UpdateMe, Id};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{Api, ApiError},
    i18n::{Lang, Locale},
};

/// Where the session stands; the route guards render from this alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The tab has just opened and is trying the refresh cookie.
    Restoring,
    SignedOut,
    SignedIn,
}

#[derive(Debug, Clone)]
enum State {
    Restoring,
    SignedOut,
    SignedIn(Box<Me>),
}

#[derive(Clone, Copy)]
pub struct Session {
    api: Api,
    locale: Locale,
    state: RwSignal<State>,
    // A memo so that a renamed member does not re-render every guard and the pages below it.
    status: Memo<Status>,
    notice: RwSignal<Option<ApiError>>,
}

impl Session {
    /// A session that starts by restoring itself from the refresh cookie.
    #[must_use]
    pub fn start(api: Api, locale: Locale) -> Self {
        let state = RwSignal::new(State::Restoring);
        let status = Memo::new(move |_| {
            state.with(|state| match state {
                State::Restoring => Status::Restoring,
                State::SignedOut => Status::SignedOut,
                State::SignedIn(_) => Status::SignedIn,
            })
        });
        let session = Self {
            api,
            locale,
            state,
            status,
            notice: RwSignal::new(None),
        };
        spawn_local(async move {
            let restored = match api.refresh().await {
                Ok(_) => api.me().await,
                Err(error) => Err(error),
            };
            match restored {
                Ok(me) => session.enter(me),
                // Whatever the reason (no cookie, expired, server down), the way on is signing in.
                Err(_) => session.leave(),
            }
        });
        session
    }

    /// Where the session stands (tracked).
    #[must_use]
    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// Reads the signed-in member (tracked); `None` when no one is signed in.
    pub fn with_me<R>(&self, f: impl FnOnce(&Me) -> R) -> Option<R> {
        self.state.with(|state| match state {
            State::SignedIn(me) => Some(f(me)),
            State::Restoring | State::SignedOut => None,
        })
    }

    /// # Errors
    /// The API's sign-in errors, or those of loading the member after it.
    pub async fn sign_in(self, email: String, password: String) -> Result<(), ApiError> {
        self.api
            .login(&LoginRequest {
                email,
                password,
                account_id: None,
            })
            .await?;
        let me = self.api.me().await.inspect_err(|_| self.api.forget())?;
        self.enter(me);
        Ok(())
    }

    /// # Errors
    /// A network or server failure: the person stays signed in, since the session may be live.
    pub async fn sign_out(self) -> Result<(), ApiError> {
        self.api.logout().await?;
        self.leave();
        Ok(())
    }

    /// Moves the tab to another account of the same person and reloads who they are there.
    ///
    /// # Errors
    /// The API's errors; one that ends the session signs the tab out.
    pub async fn switch_account(self, account_id: Id) -> Result<(), ApiError> {
        let switched = match self.api.switch_account(account_id).await {
            Ok(_) => self.api.me().await,
            Err(error) => Err(error),
        };
        self.settle(switched)
    }

    /// Saves the member's own changes and shows the saved member.
    ///
    /// # Errors
    /// `validation_failed` with field errors, or the API's other errors.
    pub async fn update_me(self, changes: UpdateMe) -> Result<(), ApiError> {
        let updated = self.api.update_me(&changes).await;
        self.settle(updated)
    }

    /// Switches the app's language at once and, for a signed-in member, saves it as theirs.
    ///
    /// # Errors
    /// Saving failed; the language still applies in this browser.
    pub async fn change_language(self, lang: Lang) -> Result<(), ApiError> {
        self.locale.set(lang);
        let saved = self.state.with_untracked(|state| match state {
            State::SignedIn(me) => Some(me.identity.language),
            State::Restoring | State::SignedOut => None,
        });
        match saved {
            Some(current) if current != lang.language() => {
                self.update_me(UpdateMe {
                    name: None,
                    language: Some(lang.language()),
                })
                .await
            }
            _ => Ok(()),
        }
    }

    /// Shows a failure of something that ran in the background (account switch, language).
    pub fn report(&self, error: ApiError) {
        self.notice.set(Some(error));
    }

    /// The failure to show above the page, if any (tracked).
    #[must_use]
    pub fn notice(&self) -> Option<ApiError> {
        self.notice.get()
    }

    pub fn dismiss_notice(&self) {
        self.notice.set(None);
    }

    /// Spawns `task` and reports its failure, for controls that have no place of their own to
    /// show one.
    pub fn run(self, task: impl std::future::Future<Output = Result<(), ApiError>> + 'static) {
        spawn_local(async move {
            if let Err(error) = task.await {
                self.report(error);
            }
        });
    }

    fn settle(self, result: Result<Me, ApiError>) -> Result<(), ApiError> {
        match result {
            Ok(me) => {
                self.enter(me);
                Ok(())
            }
            Err(error) => {
                if error.ends_session() {
                    self.api.forget();
                    self.leave();
                }
                Err(error)
            }
        }
    }

    fn enter(self, me: Me) {
        self.locale.set(Lang::from_language(me.identity.language));
        self.notice.set(None);
        self.state.set(State::SignedIn(Box::new(me)));
    }

    fn leave(self) {
        self.notice.set(None);
        self.state.set(State::SignedOut);
    }
}

/// The app's session context.
#[must_use]
pub fn use_session() -> Session {
    expect_context::<Session>()
}
