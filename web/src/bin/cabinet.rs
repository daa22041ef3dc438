//! The client cabinet's bundle: the app the CRM's clients open on their phones (see the
//! library's documentation).

fn main() {
    gatehouse_web::start_cabinet();
}
