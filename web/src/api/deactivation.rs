use gatehouse_domain::{
    deactivation::{DeactivationRequest, DeactivationResult, ReassignmentJob},
    Id,
};

use super::{json, read, Api, ApiError, Method};

const DEACTIVATE: &str = "/api/v1/users/deactivate";
const JOBS: &str = "/api/v1/reassignment-jobs";

impl Api {
    /// Deactivates members and starts the job handing their records over; with `dry_run`
    /// only counts what would move (administrators only, as every call here).
    ///
    /// # Errors
    /// `self_deactivation`, `last_admin`, `validation_failed` (`member_unknown`,
    /// `invalid_reassignment_target`, `unknown_group`, `no_eligible_member`, …), or any error
    /// of an authorized call.
    pub async fn deactivate(
        self,
        request: &DeactivationRequest,
    ) -> Result<DeactivationResult, ApiError> {
        read(
            self.authorized(Method::POST, DEACTIVATE, Some(json(request)?))
                .await?,
        )
        .await
    }

    /// A reassignment job's state and progress.
    ///
    /// # Errors
    /// `not_found`, or any error of an authorized call.
    pub async fn reassignment_job(self, id: Id) -> Result<ReassignmentJob, ApiError> {
        self.get(&format!("{JOBS}/{id}")).await
    }
}
