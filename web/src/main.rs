//! The admin app's bundle: people and access (see the library's documentation).

fn main() {
    gatehouse_web::start_admin();
}
