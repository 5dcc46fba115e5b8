//! The `pathprobe` binary: parse arguments, run a command, map the outcome to an
//! exit code (0 ok, 1 findings, 2 bad usage or input, 3 internal error).

fn main() -> std::process::ExitCode {
    // Workers set up their own threads (the PAC worker its parsing stack).
    let worker = std::env::args_os()
        .nth(1)
        .is_some_and(|a| a.to_string_lossy().starts_with("__"));
    if worker {
        return pathprobe::run_cli();
    }
    // boa's parser recurses once per level of a script's nesting; the PAC
    // engines that run in this process (`lab`, `pac lint`) get the stack the
    // nesting limit was measured against.
    match std::thread::Builder::new()
        .name("main".into())
        .stack_size(pathprobe_pac::ENGINE_STACK_BYTES)
        .spawn(pathprobe::run_cli)
    {
        Ok(thread) => thread
            .join()
            .unwrap_or_else(|_| std::process::ExitCode::from(3)),
        Err(_) => pathprobe::run_cli(),
    }
}
