pub fn config(_cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {}
