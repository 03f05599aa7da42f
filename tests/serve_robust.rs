//! `protokol serve` under bad requests: it answers each with a 4xx, never
//! shows a file outside the site, and keeps serving everyone else.

mod common;

use common::example_archive;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Sends `request` as it is and reads the whole answer.
fn raw(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn get(port: u16, target: &str) -> String {
    raw(
        port,
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

fn status(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn bad_requests_get_4xx_and_the_server_goes_on() {
    let archive = example_archive();
    // A file beside the site that must never be served.
    common::write(archive.path().join("hemmelig.txt"), "HEMMELIGT-INDHOLD");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = archive.path().join("out");
    let _server = Server(
        std::process::Command::new(env!("CARGO_BIN_EXE_protokol"))
            .arg("--root")
            .arg(archive.path())
            .args(["serve", "--port", &port.to_string(), "--output"])
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while !get_or_empty(port, "/__protokol/status").contains("ok ") {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the site was not built"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // The process runs without transparent huge pages (see `main.rs`),
    // where the kernel says.
    if let Ok(proc_status) = std::fs::read_to_string(format!("/proc/{}/status", _server.0.id())) {
        if let Some(line) = proc_status.lines().find(|l| l.starts_with("THP_enabled:")) {
            assert!(line.ends_with('0'), "{line}");
        }
    }

    // A client that sends nothing holds no one else up.
    let silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    assert_eq!(status(&get(port, "/")), 200);

    for target in [
        "/../hemmelig.txt",
        "/../../hemmelig.txt",
        "/%2e%2e/hemmelig.txt",
        "/%2E%2E%2Fhemmelig.txt",
        "/..%2fhemmelig.txt",
        "/..%5chemmelig.txt",
        "/..\\hemmelig.txt",
        "/\\..\\hemmelig.txt",
        "/%252e%252e/hemmelig.txt",
        "//hemmelig.txt",
        "/%00/../hemmelig.txt",
        "hemmelig.txt",
        "http://127.0.0.1/../hemmelig.txt",
        "/config.toml",
        "/../config.toml",
        "/./../content/das-social/2024-05-27-referat.md",
    ] {
        let answer = get(port, target);
        let code = status(&answer);
        assert!((400..500).contains(&code), "{target}: {answer:.200}");
        assert!(!answer.contains("HEMMELIGT"), "{target}");
        assert!(!answer.contains("base_url ="), "{target}");
    }

    let long_line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(100_000));
    assert_eq!(status(&raw(port, long_line.as_bytes())), 414);
    let long_headers = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(100_000));
    assert_eq!(status(&raw(port, long_headers.as_bytes())), 431);
    let one_long_header = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "b".repeat(1_000_000));
    assert_eq!(status(&raw(port, one_long_header.as_bytes())), 431);
    assert_eq!(status(&raw(port, b"\xff\xfe\r\n\r\n")), 400);
    assert_eq!(status(&raw(port, b"POST / HTTP/1.1\r\n\r\n")), 405);

    // Many at once: idle connections and requests side by side.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let busy: Vec<_> = (0..50)
        .map(|i| {
            std::thread::spawn(move || {
                let target = if i % 2 == 0 { "/" } else { "/das-social/" };
                status(&get(port, target))
            })
        })
        .collect();
    for b in busy {
        assert_eq!(b.join().unwrap(), 200);
    }
    drop(idle);

    // The silent client is sent away in the end.
    let mut silent = silent;
    silent
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut answer = String::new();
    let _ = silent.read_to_string(&mut answer);
    assert!(answer.is_empty() || status(&answer) == 408, "{answer}");
    assert_eq!(status(&get(port, "/")), 200);

    // Only the loopback address listens.
    if let Some(ip) = own_address() {
        assert!(
            TcpStream::connect_timeout(&(ip, port).into(), Duration::from_secs(2)).is_err(),
            "serve answers on {ip}"
        );
    }
}

fn get_or_empty(port: u16, target: &str) -> String {
    match TcpStream::connect(("127.0.0.1", port)) {
        Ok(_) => get(port, target),
        Err(_) => String::new(),
    }
}

/// The machine's address on its network, if it has one besides loopback.
fn own_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}
