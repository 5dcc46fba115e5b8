//! The worker side: [`serve_worker`] answers requests on stdin and stdout,
//! asking the parent for DNS answers and the clock.

use std::io::{BufRead, BufReader, Write};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::protocol::{ClockReading, FromWorker, ToWorker};
use crate::clock::PacClock;
use crate::engine::{PacEngine, PacErrorKind};
use crate::resolver::{LookupError, Resolve};

/// The worker's end of the pipes, shared by its main loop and its resolver.
pub(super) struct Channel {
    input: Box<dyn BufRead + Send>,
    output: Box<dyn Write + Send>,
}

impl Channel {
    fn send(&mut self, message: &FromWorker) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(message).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.output.write_all(&line)?;
        self.output.flush()
    }

    fn receive(&mut self) -> std::io::Result<Option<ToWorker>> {
        let mut line = Vec::new();
        if self.input.read_until(b'\n', &mut line)? == 0 {
            return Ok(None);
        }
        serde_json::from_slice(&line)
            .map(Some)
            .map_err(std::io::Error::other)
    }
}

/// Resolves by asking the parent.
pub(super) struct ParentResolver(Arc<Mutex<Channel>>);

impl std::fmt::Debug for ParentResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ParentResolver")
    }
}

impl Resolve for ParentResolver {
    fn lookup(&self, host: &str, timeout: Duration) -> Result<Vec<IpAddr>, LookupError> {
        let lost = |e: &dyn std::fmt::Display| LookupError::Failed(format!("worker channel: {e}"));
        let mut channel = self.0.lock().map_err(|e| lost(&e))?;
        channel
            .send(&FromWorker::Lookup {
                host: host.to_owned(),
                timeout,
            })
            .map_err(|e| lost(&e))?;
        match channel.receive().map_err(|e| lost(&e))? {
            Some(ToWorker::Resolved { answer }) => answer,
            other => Err(lost(&format!("unexpected message {other:?}"))),
        }
    }
}

/// The clock the parent last read.
#[derive(Debug)]
pub(super) struct ParentClock(Mutex<(Timestamp, TimeZone)>);

impl ParentClock {
    fn set(&self, reading: &ClockReading) {
        let now = Timestamp::from_millisecond(reading.now_ms).unwrap_or(Timestamp::UNIX_EPOCH);
        if let Ok(mut held) = self.0.lock() {
            *held = (now, reading.time_zone());
        }
    }
}

impl PacClock for ParentClock {
    fn now(&self) -> Timestamp {
        self.0.lock().map_or(Timestamp::UNIX_EPOCH, |held| held.0)
    }
    fn time_zone(&self) -> TimeZone {
        self.0.lock().map_or(TimeZone::UTC, |held| held.1.clone())
    }
}

/// Why a worker stopped serving.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The pipes to the parent failed.
    #[error("PAC worker: {0}")]
    Io(#[from] std::io::Error),
    /// The parent asked for something out of order.
    #[error("PAC worker: unexpected request: {0}")]
    Protocol(String),
}

pub(super) fn lock(
    channel: &Mutex<Channel>,
) -> Result<std::sync::MutexGuard<'_, Channel>, WorkerError> {
    channel
        .lock()
        .map_err(|e| WorkerError::Protocol(format!("channel poisoned: {e}")))
}

/// The worker's main loop on stdin and stdout: called by the hidden
/// subcommand of a [`WorkerCommand`](super::WorkerCommand). Returns when the parent closes stdin.
pub fn serve_worker() -> Result<(), WorkerError> {
    // boa recurses per level of nesting: the loop gets the stack the
    // nesting limit was measured against, not the main thread's 8 MiB.
    let worker = std::thread::Builder::new()
        .name("pac-worker".into())
        .stack_size(crate::nesting::STACK_BYTES)
        .spawn(|| {
            serve_worker_on(
                Box::new(BufReader::new(std::io::stdin())),
                Box::new(std::io::stdout()),
            )
        })?;
    worker
        .join()
        .map_err(|_| WorkerError::Protocol("the worker thread panicked".into()))?
}

pub(super) fn serve_worker_on(
    input: Box<dyn BufRead + Send>,
    output: Box<dyn Write + Send>,
) -> Result<(), WorkerError> {
    let channel = Arc::new(Mutex::new(Channel { input, output }));
    let clock = Arc::new(ParentClock(Mutex::new((
        Timestamp::UNIX_EPOCH,
        TimeZone::UTC,
    ))));
    let resolver: Arc<dyn Resolve> = Arc::new(ParentResolver(channel.clone()));
    let mut engine: Option<PacEngine> = None;
    loop {
        let Some(request) = lock(&channel)?.receive()? else {
            return Ok(());
        };
        let reply = match request {
            ToWorker::Load {
                name,
                source,
                options,
                clock: reading,
                memory_limit,
            } => {
                pathprobe_sandbox::limit_own_memory(memory_limit)?;
                clock.set(&reading);
                let loaded =
                    PacEngine::with_clock(&name, &source, options, resolver.clone(), clock.clone());
                let result = loaded.as_ref().map_or_else(
                    |e| Err(e.kind.clone()),
                    |e| e.entry_point().ok_or(PacErrorKind::NoEntryPoint),
                );
                engine = loaded.ok();
                FromWorker::Loaded { result }
            }
            ToWorker::Find {
                url,
                host,
                clock: reading,
            } => {
                let engine = engine
                    .as_mut()
                    .ok_or_else(|| WorkerError::Protocol("find before load".into()))?;
                clock.set(&reading);
                match engine.find_proxy(&url, host.as_deref()) {
                    Ok(eval) => FromWorker::Answer {
                        result: Ok(eval),
                        alerts: Vec::new(),
                        more_alerts: 0,
                    },
                    Err(e) => FromWorker::Answer {
                        result: Err(e.kind),
                        alerts: e.alerts,
                        more_alerts: e.more_alerts,
                    },
                }
            }
            ToWorker::Resolved { .. } => {
                return Err(WorkerError::Protocol("an answer to no lookup".into()));
            }
        };
        lock(&channel)?.send(&reply)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{EntryPoint, PacOptions};
    use crate::worker::protocol::read_message;

    #[test]
    fn messages_are_bounded_and_whole() {
        let mut input = std::io::Cursor::new(b"{\"a\":1}\nabcdefgh\ncut".to_vec());
        assert_eq!(
            read_message(&mut input, 16).ok().flatten(),
            Some(b"{\"a\":1}".to_vec())
        );
        assert_eq!(
            read_message(&mut input, 4).err().as_deref(),
            Some("a message over the limit of 0 MiB")
        );
        let mut cut = std::io::Cursor::new(b"cut".to_vec());
        assert_eq!(
            read_message(&mut cut, 16).err().as_deref(),
            Some("a message cut short")
        );
        let mut empty = std::io::Cursor::new(Vec::new());
        assert_eq!(read_message(&mut empty, 16), Ok(None));
    }

    #[test]
    fn clock_readings_keep_zone_and_instant() {
        let zone = TimeZone::get("Europe/Paris").unwrap_or(TimeZone::UTC);
        let at = Timestamp::from_second(1_772_436_600).unwrap_or(Timestamp::UNIX_EPOCH);
        let clock = crate::clock::FixedClock::new(at, zone.clone());
        let reading = ClockReading::of(&clock);
        let shared = ParentClock(Mutex::new((Timestamp::UNIX_EPOCH, TimeZone::UTC)));
        shared.set(&reading);
        assert_eq!(shared.now(), at);
        assert_eq!(shared.time_zone().iana_name(), zone.iana_name());
        let fixed = crate::clock::FixedClock::new(
            at,
            TimeZone::fixed(jiff::tz::Offset::from_seconds(3600).unwrap_or(jiff::tz::Offset::UTC)),
        );
        shared.set(&ClockReading::of(&fixed));
        assert_eq!(shared.time_zone().to_offset(at).seconds(), 3600);
    }

    /// The worker's loop, driven in-process through buffers: load, a lookup
    /// answered by the "parent", the answer.
    #[test]
    fn the_worker_loop_answers_with_the_parents_dns() {
        let pac = r#"function FindProxyForURL(url, host) {
            return isInNet(dnsResolve(host), "10.0.0.0", "255.0.0.0") ? "DIRECT" : "PROXY p:3128";
        }"#;
        let clock = ClockReading::of(&crate::clock::SystemClock);
        let requests = [
            ToWorker::Load {
                name: "t.pac".into(),
                source: pac.into(),
                options: PacOptions {
                    my_ip: Some(vec![IpAddr::from([127, 0, 0, 1])]),
                    ..PacOptions::default()
                },
                clock: clock.clone(),
                memory_limit: u64::MAX,
            },
            ToWorker::Find {
                url: "http://inside.example/".into(),
                host: None,
                clock,
            },
            ToWorker::Resolved {
                answer: Ok(vec![IpAddr::from([10, 1, 2, 3])]),
            },
        ];
        let mut input = Vec::new();
        for r in &requests {
            input.extend(serde_json::to_vec(r).unwrap_or_default());
            input.push(b'\n');
        }
        let output = Arc::new(Mutex::new(Vec::new()));
        struct Shared(Arc<Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0
                    .lock()
                    .map_err(|_| std::io::Error::other("poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let served = serve_worker_on(
            Box::new(std::io::Cursor::new(input)),
            Box::new(Shared(output.clone())),
        );
        assert!(served.is_ok(), "{served:?}");
        let text = String::from_utf8(output.lock().map(|o| o.clone()).unwrap_or_default())
            .unwrap_or_default();
        let replies: Vec<FromWorker> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        assert!(
            matches!(&replies[..], [
                FromWorker::Loaded { result: Ok(EntryPoint::FindProxyForURL) },
                FromWorker::Lookup { host, .. },
                FromWorker::Answer { result: Ok(eval), .. },
            ] if host == "inside.example" && eval.raw == "DIRECT"),
            "{text}"
        );
    }
}
