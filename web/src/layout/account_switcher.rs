//! The current account, and the switch between a person's accounts (A6).

use gatehouse_domain::Id;
use leptos::prelude::*;

use crate::{
    auth::session::use_session,
    i18n::{use_locale, Key},
};

/// The account name; a `<select>` of the person's accounts when they have more than one.
#[component]
pub fn AccountSwitcher() -> impl IntoView {
    let session = use_session();
    let locale = use_locale();
    let current = move || session.with_me(|me| me.membership.account.clone());
    let accounts = move || {
        session
            .with_me(|me| me.accounts.clone())
            .unwrap_or_default()
    };
    let switching = RwSignal::new(false);

    let on_change = move |event: leptos::ev::Event| {
        let Ok(account_id) = event_target_value(&event).parse::<Id>() else {
            return;
        };
        if current().is_some_and(|account| account.id == account_id) {
            return;
        }
        switching.set(true);
        session.run(async move {
            let switched = session.switch_account(account_id).await;
            switching.try_set(false);
            switched
        });
    };

    view! {
        <div class="account">
            <span class="account-label" id="account-label">{locale.text(Key::Account)}</span>
            {move || {
                if accounts().len() > 1 {
                    view! {
                        <select
                            class="account-select"
                            aria-labelledby="account-label"
                            data-testid="account-switcher"
                            disabled=move || switching.get()
                            prop:value=move || current().map(|account| account.id.to_string()).unwrap_or_default()
                            on:change=on_change
                        >
                            {accounts()
                                .into_iter()
                                .map(|account| {
                                    let id = account.id;
                                    view! {
                                        <option
                                            value=id.to_string()
                                            selected=move || current().is_some_and(|current| current.id == id)
                                        >
                                            {account.name}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                        .into_any()
                } else {
                    view! {
                        <span class="account-name" data-testid="account-name">
                            {move || current().map(|account| account.name).unwrap_or_default()}
                        </span>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
