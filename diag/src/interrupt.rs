//! Ctrl-C from the first step of a run: once [`watch`] is called, SIGINT
//! no longer ends the process where it stands; it sets a flag that the
//! catalog read and fetch look at, so that a run interrupted before its
//! probes still writes its report (holding nothing) and exits 130. The
//! engine listens for Ctrl-C itself while it routes and probes. A second
//! Ctrl-C ends the process at once (exit 130).

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static REQUESTED: AtomicBool = AtomicBool::new(false);
static WATCHING: Once = Once::new();

/// Starts listening for Ctrl-C (once per process), on a thread of its own
/// whose runtime lives as long as the process: signals reach the runtimes
/// started later too.
pub(crate) fn watch() {
    WATCHING.call_once(|| {
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let started = std::thread::Builder::new()
            .name("pathprobe-ctrl-c".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    let _ = ready_tx.send(());
                    return;
                };
                runtime.block_on(async {
                    let signal = tokio::signal::ctrl_c();
                    tokio::pin!(signal);
                    // Registered once this first poll has run.
                    let _ = futures_poll_once(&mut signal).await;
                    let _ = ready_tx.send(());
                    if signal.await.is_ok() {
                        REQUESTED.store(true, Ordering::SeqCst);
                    }
                    // A second press insists: the process ends where it
                    // stands, as a shell's Ctrl-C would have ended it.
                    if tokio::signal::ctrl_c().await.is_ok() {
                        std::process::exit(130);
                    }
                    std::future::pending::<()>().await;
                });
            });
        if started.is_ok() {
            let _ = ready.recv_timeout(Duration::from_secs(1));
        }
    });
}

/// Polls `f` once, so that a signal listener is registered before the
/// caller goes on.
async fn futures_poll_once<F: std::future::Future + Unpin>(f: &mut F) -> Option<F::Output> {
    let mut f = Some(f);
    std::future::poll_fn(move |cx| {
        let Some(inner) = f.take() else {
            return std::task::Poll::Ready(None);
        };
        match std::pin::Pin::new(inner).poll(cx) {
            std::task::Poll::Ready(v) => std::task::Poll::Ready(Some(v)),
            std::task::Poll::Pending => std::task::Poll::Ready(None),
        }
    })
    .await
}

/// Whether Ctrl-C was pressed since [`watch`].
pub(crate) fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Completes once Ctrl-C is pressed (checked every 50 ms).
pub(crate) async fn pressed() {
    while !requested() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
