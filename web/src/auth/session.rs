//! The session context: whether someone is signed in, who, and the actions that change it.
//!
//! Pages never sign in, out or across accounts themselves; they go through [`Session`], and
//! their own API calls pass through [`Session::call`], so a call that finds the session over
//! (expired refresh, deactivated member) signs the tab out in one place and the route guards
//! send the person to the sign-in page.

use std::future::Future;

use gatehouse_domain::{
    auth::{LoginRequest, SecondFactorRequest, SignInResult},
    profile::{Me, PendingStep, UpdateMe},
    security::{PasswordContext, PasswordPolicy},
    users::AcceptInvitation,
    Id,
};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{Api, ApiError},
    i18n::{Key, Lang, Locale},
};

/// Where the session stands; the route guards render from this alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The tab has just opened and is trying the refresh cookie.
    Restoring,
    SignedOut,
    SignedIn,
}

/// Where a sign-in stands after the password step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInStep {
    /// Signed in; the app (or the member's pending step) shows.
    Done,
    /// The password was right; a code from the authenticator app (or a recovery code) must
    /// follow with this short-lived ticket.
    SecondFactor { ticket: String },
}

/// Whose password a new password must not contain (P2), owned so forms can keep it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordOwner {
    pub email: String,
    pub name: String,
    pub account_name: String,
}

impl PasswordOwner {
    #[must_use]
    pub fn context(&self) -> PasswordContext<'_> {
        PasswordContext {
            email: &self.email,
            name: &self.name,
            account_name: &self.account_name,
        }
    }
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
    pending_step: Memo<Option<PendingStep>>,
    notice: RwSignal<Option<ApiError>>,
    // A success to announce on the next page, e.g. on the sign-in page after a password reset.
    flash: RwSignal<Option<Key>>,
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
        let pending_step = Memo::new(move |_| {
            state.with(|state| match state {
                State::SignedIn(me) => me.pending_step,
                State::Restoring | State::SignedOut => None,
            })
        });
        let session = Self {
            api,
            locale,
            state,
            status,
            pending_step,
            notice: RwSignal::new(None),
            flash: RwSignal::new(None),
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

    /// What the member must do before anything else (tracked).
    #[must_use]
    pub fn pending_step(&self) -> Option<PendingStep> {
        self.pending_step.get()
    }

    /// The API client, for pages' own calls; pass their results through [`Session::call`].
    #[must_use]
    pub fn api(&self) -> Api {
        self.api
    }

    /// Whether the signed-in member is an administrator of the current account (tracked).
    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.with_me(|me| me.membership.is_admin).unwrap_or(false)
    }

    /// The account's password rules and the member's own data they are checked against
    /// (tracked).
    #[must_use]
    pub fn password_rules(&self) -> (PasswordPolicy, PasswordOwner) {
        self.with_me(|me| {
            (
                me.password_policy,
                PasswordOwner {
                    email: me.identity.email.clone(),
                    name: me.identity.name.clone(),
                    account_name: me.membership.account.name.clone(),
                },
            )
        })
        .unwrap_or_default()
    }

    /// Reads the signed-in member (tracked); `None` when no one is signed in.
    pub fn with_me<R>(&self, f: impl FnOnce(&Me) -> R) -> Option<R> {
        self.state.with(|state| match state {
            State::SignedIn(me) => Some(f(me)),
            State::Restoring | State::SignedOut => None,
        })
    }

    /// The password step of signing in.
    ///
    /// # Errors
    /// The API's sign-in errors, or those of loading the member after it.
    pub async fn sign_in(self, email: String, password: String) -> Result<SignInStep, ApiError> {
        let result = self
            .api
            .login(&LoginRequest {
                email,
                password,
                account_id: None,
            })
            .await?;
        match result {
            SignInResult::SignedIn(_) => {
                self.load_me().await?;
                Ok(SignInStep::Done)
            }
            SignInResult::SecondFactorRequired(required) => Ok(SignInStep::SecondFactor {
                ticket: required.ticket,
            }),
        }
    }

    /// The second step of signing in (T2).
    ///
    /// # Errors
    /// `invalid_second_factor`, `invalid_ticket`, `sign_in_locked`, or those of loading the
    /// member after it.
    pub async fn second_factor(self, ticket: String, code: String) -> Result<(), ApiError> {
        self.api
            .second_factor(&SecondFactorRequest { ticket, code })
            .await?;
        self.load_me().await
    }

    /// An invited person chooses their password (U6) and is signed in with it.
    ///
    /// # Errors
    /// `invalid_invitation`, `validation_failed` with `password` field errors, or those of
    /// loading the member after it.
    pub async fn accept_invitation(
        self,
        token: String,
        password: String,
    ) -> Result<SignInStep, ApiError> {
        match self
            .api
            .accept_invitation(&AcceptInvitation { token, password })
            .await?
        {
            SignInResult::SignedIn(_) => {
                self.load_me().await?;
                Ok(SignInStep::Done)
            }
            SignInResult::SecondFactorRequired(required) => Ok(SignInStep::SecondFactor {
                ticket: required.ticket,
            }),
        }
    }

    async fn load_me(self) -> Result<(), ApiError> {
        let me = self.api.me().await.inspect_err(|_| self.api.forget())?;
        self.enter(me);
        Ok(())
    }

    /// Reloads who the member is, after a change that alters it (a pending step done, the
    /// account's password policy saved).
    ///
    /// # Errors
    /// The API's errors; one that ends the session signs the tab out.
    pub async fn reload(self) -> Result<(), ApiError> {
        let me = self.api.me().await;
        self.settle(me)
    }

    /// Passes a page's own API call through, so that an answer saying the session is over
    /// signs the tab out, and one saying a step is pending shows that step.
    ///
    /// # Errors
    /// The call's own error, unchanged.
    pub async fn call<T>(
        self,
        request: impl Future<Output = Result<T, ApiError>>,
    ) -> Result<T, ApiError> {
        let result = request.await;
        if let Err(error) = &result {
            self.after_refusal(error);
        }
        result
    }

    /// One place, not one per call, for what a refusal means to the session.
    fn after_refusal(self, error: &ApiError) {
        if error.ends_session() {
            self.api.forget();
            self.leave();
        } else if error.needs_pending_step() {
            // The refusal is the news; a failed reload leaves the page's own error showing.
            spawn_local(async move {
                let _ = self.reload().await;
            });
        }
    }

    /// The tab forgets a session the server has just ended from elsewhere (a password reset
    /// ends every session), and the sign-in page greets with `flash`.
    pub fn end_locally(self, flash: Key) {
        self.api.forget();
        self.leave();
        self.flash.set(Some(flash));
    }

    /// The success to announce once (tracked).
    #[must_use]
    pub fn flash(&self) -> Option<Key> {
        self.flash.get()
    }

    pub fn dismiss_flash(&self) {
        self.flash.set(None);
    }

    /// Announces `key` on the next page, e.g. "created" on the page a new record opens in.
    pub fn announce(&self, key: Key) {
        self.flash.set(Some(key));
    }

    /// Whether `key` was announced for this page; it is then forgotten.
    #[must_use]
    pub fn take_flash(&self, key: Key) -> bool {
        let announced = self.flash.get_untracked() == Some(key);
        if announced {
            self.flash.set(None);
        }
        announced
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
        self.flash.set(None);
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
