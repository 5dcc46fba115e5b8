//! The `pathprobe` binary: parse arguments, run a command, map the outcome to an
//! exit code (0 ok, 1 findings, 2 bad usage or input, 3 internal error).

fn main() -> std::process::ExitCode {
    pathprobe::run_cli()
}
