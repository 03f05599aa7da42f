//! The `protokol` command.

use clap::{Parser, Subcommand};
use protokol::build::{self, Options};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Rendering allocates and frees many small strings on every thread at once;
/// mimalloc keeps that off a shared lock (see `bench/run.sh` for the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process. The allocator asks
/// the kernel for huge pages where the system gives them on request (the
/// usual `madvise` setting), and the kernel clears each huge page whole when
/// it is first touched. Warm builds of the synthetic archive with and
/// without (the allocator's `MIMALLOC_ALLOW_THP=0`, which makes this same
/// call), five of each alternating, medians: at 1,000 meetings the peak
/// 332 → 282 MB and CPU 6.85 → 5.91 s (`clear_page_erms` had been 8% of
/// the samples); once `meeting.json` no longer made its HTML again, the
/// peak 332 → 278 MB and the CPU the same within the noise. At 10,000
/// meetings the CPU is the same within the noise (system time 2.9 s less,
/// user time 2.7 s more) and the peak about 20 MB lower (medians 1,446 →
/// 1,427 MB).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE sets one flag of this process (and of the
    // processes it starts); it reads and writes no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[derive(Parser)]
#[command(
    name = "protokol",
    version,
    about = "Publishes agendas and minutes as a static website"
)]
struct Cli {
    /// The archive folder (the one with config.toml)
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (public/ by default)
    Build {
        /// Write the site here instead of the config's output_dir
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Publish under this address instead of the config's base_url
        #[arg(long)]
        base_url: Option<String>,
        /// Let addresses published before disappear, on purpose, and drop
        /// them from data/published.txt
        #[arg(long)]
        accept_removed: bool,
    },
    /// Check every file and report every problem; write nothing
    Check {
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Make a new archive folder with an example meeting
    Init {
        /// Where to make it; must not exist or be empty
        path: PathBuf,
    },
    /// Build the site and serve it on this machine
    Serve {
        /// The port to serve on
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Write the site here instead of the config's output_dir
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Remove a previous site in the background (started by `build` itself)
    #[command(name = "remove-previous-site", hide = true)]
    RemovePreviousSite { dir: PathBuf },
    /// Turn published agendas or minutes (PDF or text) into meeting files
    Import {
        /// PDF or text files, or folders of them
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The slug of the body the meetings belong to (see data/bodies.toml);
        /// by default the body the document names
        #[arg(long)]
        body: Option<String>,
        /// The folder to write the meeting files to (default: content/BODY)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print what would be written, and the warnings; write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

/// Hands a previous site to a process of this program of its own, which
/// removes it after this one has returned.
fn remove_in_background(dir: &std::path::Path) -> bool {
    let Ok(exe) = std::env::current_exe() else {
        return false;
    };
    std::process::Command::new(exe)
        .arg("remove-previous-site")
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    protokol::output::remove_old_sites_with(remove_in_background);
    let result = match cli.command {
        Command::RemovePreviousSite { dir } => {
            protokol::output::remove_previous_site(&dir).map_err(Into::into)
        }
        Command::Build {
            output,
            base_url,
            accept_removed,
        } => {
            let options = Options {
                progress: std::io::stderr().is_terminal(),
                root: cli.root,
                output,
                base_url,
                accept_removed,
            };
            build::build(&options).map(|s| {
                eprintln!(
                    "built {} meetings with {} public items: {} files in {}",
                    s.meetings,
                    s.items,
                    s.pages,
                    s.output.display()
                );
            })
        }
        Command::Check { base_url } => {
            let options = Options {
                root: cli.root,
                base_url,
                ..Options::default()
            };
            build::check(&options).map(|s| {
                eprintln!(
                    "ok: {} meetings with {} public items, {} files would be written",
                    s.meetings, s.items, s.pages
                );
            })
        }
        Command::Init { path } => protokol::init::init(&path).map(|()| {
            eprintln!(
                "made a new archive in {0}\nbuild it with: protokol build --root {0}",
                path.display()
            );
        }),
        Command::Serve { port, output } => protokol::serve::serve(&cli.root, port, output),
        Command::Import {
            files,
            body,
            out,
            dry_run,
        } => protokol::import_cli::run(&protokol::import_cli::Request {
            files: &files,
            body: body.as_deref(),
            root: &cli.root,
            out: out.as_deref(),
            dry_run,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            eprint!("{errors}");
            let n = errors.0.len();
            if n > 1 {
                eprintln!("{n} problems found.");
            }
            ExitCode::FAILURE
        }
    }
}
