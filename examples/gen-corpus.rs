//! Writes a synthetic archive for benchmarks (see `protokol::synthetic`).
//!
//! cargo run --release --example gen-corpus -- --meetings 10000 --out /tmp/arkiv

use std::path::PathBuf;

fn main() {
    let mut meetings = 1000usize;
    let mut out = PathBuf::from("synthetic-archive");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--meetings" => {
                meetings = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--meetings N")
            }
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            "--help" | "-h" => {
                println!(
                    "usage: gen-corpus --meetings N --out DIR\n\n\
                     Writes a synthetic archive of N meetings (default 1000) into DIR\n\
                     (default synthetic-archive), replacing it: bodies, topics, matters\n\
                     under case numbers across meetings, references by date, decisions\n\
                     of every outcome, promises to return (kept by a later item of the\n\
                     same case, by one that refers back, or left open), closed items and\n\
                     meetings that are not public. The same N gives the same bytes."
                );
                return;
            }
            other => {
                eprintln!("unknown argument {other}\nusage: gen-corpus --meetings N --out DIR");
                std::process::exit(2);
            }
        }
    }
    match protokol::synthetic::generate(meetings, &out) {
        Ok(s) => eprintln!(
            "wrote {} meetings of {} bodies and {} topics to {}",
            s.meetings,
            s.bodies,
            s.topics,
            out.display()
        ),
        Err(e) => {
            eprintln!("error: {}: {e}", out.display());
            std::process::exit(1);
        }
    }
}
