//! The `gatehouse` command. Everything lives in the library; see `cli`.

fn main() -> std::process::ExitCode {
    gatehouse_api::cli::main()
}
