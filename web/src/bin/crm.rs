//! The CRM workspace's bundle: the board, lead cards, contacts, companies and tasks (see the
//! library's documentation).

fn main() {
    gatehouse_web::start_crm();
}
