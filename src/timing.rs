//! How long the stages take, printed to the terminal when `PROTOKOL_TIMINGS`
//! is set, with the process's peak memory. Every stage times itself through
//! here.

use std::time::Instant;

/// True when `PROTOKOL_TIMINGS` asks for the stages' times.
pub fn enabled() -> bool {
    std::env::var_os("PROTOKOL_TIMINGS").is_some()
}

/// The process's peak resident memory in KiB, where the system tells it.
pub fn peak_memory() -> Option<u64> {
    status_kib("VmHWM:")
}

/// A field of the process's status in KiB: `VmHWM:` (peak), `VmRSS:` (now).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// User and system CPU time of the process so far, in seconds.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here.
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU time of the calling thread so far, in nanoseconds; wall time on a
/// system without a clock per thread. A stage that shares its threads with
/// others measures its own cost by this (its wall time also counts the
/// time its thread waited for a core).
pub fn thread_cpu_nanos() -> u64 {
    #[cfg(unix)]
    {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec for the call to write into.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0 {
            return t.tv_sec as u64 * 1_000_000_000 + t.tv_nsec as u64;
        }
    }
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// The peak memory so far and the memory now, then the CPU time so far
/// (of all threads: against the wall time, how many cores a stage kept
/// busy).
fn memory() -> String {
    let memory = match (peak_memory(), status_kib("VmRSS:")) {
        (Some(peak), Some(now)) => format!("{} MB, now {} MB", peak / 1024, now / 1024),
        (Some(peak), None) => format!("{} MB", peak / 1024),
        _ => "unknown".into(),
    };
    format!("{memory}; CPU so far {:.2} s", cpu_seconds())
}

/// Prints that `what` was done `since` started, with the peak memory.
pub fn lap_since(what: &str, since: Instant) {
    if enabled() {
        eprintln!(
            "timing:   {what} at {:.3} s (peak memory so far: {})",
            since.elapsed().as_secs_f64(),
            memory()
        );
    }
}

/// Prints how long `what` took.
pub fn took(what: &str, since: Instant) {
    if enabled() {
        eprintln!(
            "timing: {what} {:.3} s (peak memory so far: {})",
            since.elapsed().as_secs_f64(),
            memory()
        );
    }
}

/// Reports how long each stage took, one after the other.
pub struct Stopwatch {
    on: bool,
    started: Instant,
}

impl Stopwatch {
    pub fn start() -> Self {
        Stopwatch {
            on: enabled(),
            started: Instant::now(),
        }
    }

    /// Prints the time since the last lap, and starts the next one.
    pub fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!(
                "timing: {stage} {:.3} s (peak memory so far: {})",
                self.started.elapsed().as_secs_f64(),
                memory()
            );
        }
        self.started = Instant::now();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_threads_cpu_time_grows_with_its_work() {
        let before = super::thread_cpu_nanos();
        let mut x = 0u64;
        for i in 0..20_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        std::hint::black_box(x);
        assert!(super::thread_cpu_nanos() > before);
    }
}
