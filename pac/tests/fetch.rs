//! PAC fetching against small HTTP servers on loopback.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::time::Duration;

use pathprobe_pac::{FetchError, FetchLimits, PacLocation, fetch};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves each connection with `respond(path)`; `None` keeps the connection
/// open without answering.
async fn serve(respond: fn(&str, u16) -> Option<Vec<u8>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_string();
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
                match respond(&path, port) {
                    Some(bytes) => {
                        let _ = stream.write_all(&bytes).await;
                        let _ = stream.shutdown().await;
                    }
                    None => tokio::time::sleep(Duration::from_secs(60)).await,
                }
            });
        }
    });
    port
}

fn response(status: &str, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(body);
    out.into_bytes()
}

const PAC: &str = "function FindProxyForURL(u, h) { return 'DIRECT'; }";

fn routes(path: &str, port: u16) -> Option<Vec<u8>> {
    match path {
        "/good.pac" => Some(response(
            "200 OK",
            &[("Content-Type", "application/x-ns-proxy-autoconfig")],
            PAC,
        )),
        "/plain.pac" => Some(response("200 OK", &[("Content-Type", "text/plain")], PAC)),
        "/moved" => Some(response(
            "302 Found",
            &[("Location", &format!("http://127.0.0.1:{port}/good.pac"))],
            "",
        )),
        "/loop" => Some(response("302 Found", &[("Location", "/loop")], "")),
        "/big.pac" => Some(response("200 OK", &[], &"x".repeat(5000))),
        "/hang" => None,
        _ => Some(response("404 Not Found", &[], "no")),
    }
}

fn url(port: u16, path: &str) -> PacLocation {
    PacLocation::parse(&format!("http://127.0.0.1:{port}{path}")).unwrap()
}

#[tokio::test]
async fn a_well_served_pac_has_no_warnings() {
    let port = serve(routes).await;
    let got = fetch(&url(port, "/good.pac"), &FetchLimits::default())
        .await
        .unwrap();
    assert_eq!(got.text, PAC);
    assert_eq!(
        got.content_type.as_deref(),
        Some("application/x-ns-proxy-autoconfig")
    );
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
}

#[tokio::test]
async fn a_wrong_content_type_is_a_warning_not_a_failure() {
    let port = serve(routes).await;
    let got = fetch(&url(port, "/plain.pac"), &FetchLimits::default())
        .await
        .unwrap();
    assert_eq!(got.text, PAC);
    assert!(got.warnings[0].contains("text/plain"), "{:?}", got.warnings);
}

#[tokio::test]
async fn redirects_are_followed_and_recorded_but_bounded() {
    let port = serve(routes).await;
    let got = fetch(&url(port, "/moved"), &FetchLimits::default())
        .await
        .unwrap();
    assert!(got.final_location.ends_with("/good.pac"));
    assert!(got.warnings.iter().any(|w| w.contains("redirected")));
    let err = fetch(&url(port, "/loop"), &FetchLimits::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");
}

#[tokio::test]
async fn status_size_and_time_limits() {
    let port = serve(routes).await;
    let err = fetch(&url(port, "/missing.pac"), &FetchLimits::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::Status { status: 404, .. }),
        "{err}"
    );
    let small = FetchLimits {
        max_bytes: 1000,
        ..FetchLimits::default()
    };
    let err = fetch(&url(port, "/big.pac"), &small).await.unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit: 1000, .. }),
        "{err}"
    );
    let quick = FetchLimits {
        timeout: Duration::from_millis(300),
        ..FetchLimits::default()
    };
    let started = std::time::Instant::now();
    let err = fetch(&url(port, "/hang"), &quick).await.unwrap_err();
    assert!(matches!(err, FetchError::Timeout { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn files_are_read_with_the_same_limits() {
    let dir = std::env::temp_dir().join(format!("pathprobe-fetch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("local.pac");
    std::fs::write(&path, PAC).unwrap();
    let got = fetch(&PacLocation::File(path.clone()), &FetchLimits::default())
        .await
        .unwrap();
    assert_eq!(got.text, PAC);
    let small = FetchLimits {
        max_bytes: 10,
        ..FetchLimits::default()
    };
    assert!(
        fetch(&PacLocation::File(path), &small)
            .await
            .unwrap_err()
            .is_input_error()
    );
    let missing = fetch(
        &PacLocation::File(dir.join("nope.pac")),
        &FetchLimits::default(),
    )
    .await
    .unwrap_err();
    assert!(missing.to_string().contains("nope.pac"), "{missing}");
    std::fs::remove_dir_all(dir).unwrap();
}
