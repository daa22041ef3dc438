//! The administrator's security page (`/security`): settings, the IP allowlist, and the
//! members' sign-in security.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    i18n::{use_locale, Key},
    layout::admin_only::AdminOnly,
    security::{
        allowlist::AllowlistCard,
        members::{load_members, MembersCard},
        settings::SettingsCard,
    },
};

#[component]
pub fn SecurityPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <SecuritySections/>
        </AdminOnly>
    }
}

#[component]
fn SecuritySections() -> impl IntoView {
    let locale = use_locale();
    // Loaded once for both the allowlist's exemptions and the members' table.
    let members = load_members();
    view! {
        <div class="page page-wide" data-testid="security">
            <header class="page-header">
                <h1>{locale.text(Key::Security)}</h1>
                <div class="page-header-aside">
                    <A href="/security/auth-log" attr:class="button button-outline" attr:data-testid="security-auth-log-link">
                        {locale.text(Key::AuthLog)}
                    </A>
                    <A href="/security/audit-log" attr:class="button button-outline" attr:data-testid="security-audit-log-link">
                        {locale.text(Key::AuditLog)}
                    </A>
                </div>
            </header>
            <SettingsCard/>
            <AllowlistCard members=members/>
            <MembersCard members=members/>
        </div>
    }
}
