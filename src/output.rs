//! The last stage: write the site beside the previous one and swap it in
//! only when every file is written, so a failed build leaves the old site
//! exactly as it was.
//!
//! The site before the previous one is kept beside it as a spare
//! (`.public.spare`), and the next build writes into that folder instead of
//! a new one: its folders are already there, a file whose bytes are the same
//! is left alone, a changed one is written over, and what the new site no
//! longer has is removed at the end. Creating a file or a folder costs the
//! file system far more than writing over one (on ext4, new inodes near
//! many recently removed ones are slow to find: 15,000 small pages in their
//! own folders took 4.3–4.6 s to write anew after a removal, 0.5–1.0 s into
//! the spare), and nothing has to be removed after the swap. The spare is
//! never served and may be deleted at any time; the next build then starts
//! from an empty folder.
//!
//! Whether a file of the spare already holds a page's bytes is told by the
//! record of the site (`.public.record`, beside it; the spare's is
//! `.public.spare.record`): per file its length, a 64-bit hash of its bytes
//! and what the file system says of it when it was written (inode, times
//! of change). A file whose length, hash, inode and times are all as
//! recorded is left alone without reading it; any other is written. Reading
//! the spare to compare it cost more than writing it anew once the spare
//! was no longer in the system's cache (at 10,000 meetings, four fifths of
//! the time of writing the site went to reading the spare back from disk).
//! Without a record (a spare of an older version) the file is read and
//! compared. A record that does not fit its folder (a build killed between
//! two renames) costs only writes: nothing is left alone on its word alone.
//!
//! A file made from something whose hash is known before the file is (the
//! search index's compressed files, named by the hash of what they hold; a
//! page, by the hash of its view, template and theme) has that hash in the
//! record too, and a build of the same program and leak guard may keep it
//! without making it (see [`Staging::keep_made_from`]): in a warm build,
//! compressing the index again was a tenth of the CPU time, and rendering
//! the pages with Tera a fifth, for bytes the spare already had.

use crate::diagnostic::Diagnostic;
use crate::render::Page;
use rayon::prelude::*;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

fn fail(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("cannot {what}: {e}"))
        .expected("an output folder Protokol may write to (see output_dir in config.toml)")
}

/// A new site being written into a folder next to `out`: the spare left by
/// an earlier build, or a fresh one. Pages can be written into it as they
/// are made, from several threads; `publish` then puts it in the place of
/// `out`, and `out` becomes the spare. Dropped unpublished (a failed build),
/// `out` stays exactly as it was, and the folder is removed, or kept as the
/// spare when it was one.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    spare: PathBuf,
    /// When writing into a spare: the files it held and its record.
    reuse: Option<Reuse>,
    /// Every file written (or found the same) by this build, with what goes
    /// into the record of the new site; in a spare, the rest go at `publish`.
    files: Mutex<Vec<(String, Option<Stamp>)>>,
    /// The folders of the new site known to exist, relative to it: made by
    /// this build, or found when a file was written into them. A file goes
    /// into a known folder without asking the system to make it (which,
    /// for a folder that exists, is a failed call and a look at what is
    /// there: a third of the calls to make folders in a build from
    /// nothing, where most folders hold more than one file).
    folders: Mutex<rustc_hash::FxHashSet<String>>,
    published: bool,
}

struct Reuse {
    had: Vec<String>,
    /// The spare's record, when it has one, by the hash of each path (see
    /// [`path_key`]).
    record: Option<std::collections::HashMap<u64, Stamp>>,
    /// The fingerprint of the leak guard that checked the files the record
    /// names before they were published, when one did (see
    /// [`Staging::checked_before`]).
    checked_by: Option<u64>,
}

/// What the record of a site says of one file: its bytes' length and hash,
/// and the file system's inode and times of the file as it was written;
/// for a file made from something whose hash is known before the file is
/// (a compressed file of the search index), that hash too (see
/// [`Staging::keep_made_from`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    hash: u64,
    len: u64,
    inode: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    source: Option<u64>,
}

/// A path's key in a record read back: a hash, not the path, which keeps
/// the record of a quarter of a million files small in memory. Two paths
/// with one key cost nothing but a write: a stamp is trusted only for the
/// file whose inode and times it has.
fn path_key(path: &str) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::quality::FixedState::with_seed(0x7061_7468).hash_one(path)
}

impl Stamp {
    /// The stamp of a file with these bytes, from its metadata (none where
    /// the system does not tell inodes and times of change).
    fn of(meta: &fs::Metadata, hash: u64) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            meta.is_file().then(|| Stamp {
                hash,
                len: meta.len(),
                inode: meta.ino(),
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
                source: None,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = (meta, hash);
            None
        }
    }

    /// The same file as `old` describes, whatever either says of its source.
    fn same_file(&self, old: &Stamp) -> bool {
        Stamp {
            source: old.source,
            ..*self
        } == *old
    }

    /// Appends one line of a record: the stamp, then the path. A source is
    /// written after the hash, with a slash between (`hash/source`): an
    /// older version reads no number there and passes the line over.
    fn write_line(&self, path: &str, out: &mut String) {
        use std::fmt::Write as _;
        let source = match self.source {
            Some(s) => format!("/{s:016x}"),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{:016x}{source} {} {} {}.{} {}.{} {path}",
            self.hash,
            self.len,
            self.inode,
            self.modified.0,
            self.modified.1,
            self.changed.0,
            self.changed.1
        );
    }

    fn parse(line: &str) -> Option<(String, Stamp)> {
        let mut parts = line.splitn(6, ' ');
        let mut next = || parts.next();
        let first = next()?;
        let (hash, source) = match first.split_once('/') {
            Some((hash, source)) => (hash, Some(u64::from_str_radix(source, 16).ok()?)),
            None => (first, None),
        };
        let hash = u64::from_str_radix(hash, 16).ok()?;
        let len = next()?.parse().ok()?;
        let inode = next()?.parse().ok()?;
        let time = |t: &str| -> Option<(i64, i64)> {
            let (s, n) = t.split_once('.')?;
            Some((s.parse().ok()?, n.parse().ok()?))
        };
        let modified = time(next()?)?;
        let changed = time(next()?)?;
        let path = next()?.to_string();
        Some((
            path,
            Stamp {
                hash,
                len,
                inode,
                modified,
                changed,
                source,
            },
        ))
    }
}

/// The first line of a record whose files a leak guard checked before they
/// were published: this, then the guard's fingerprint in hexadecimal. A
/// file line never starts with it (it starts with 16 hexadecimal digits).
const CHECKED_BY: &str = "checked-by ";

/// A site's record: its files by [`path_key`] (every line that reads as
/// one), and the fingerprint of the leak guard that checked them.
type Record = (std::collections::HashMap<u64, Stamp>, Option<u64>);

/// The record of a site (see [`Record`]).
fn read_record(path: &Path) -> Option<Record> {
    // Where files have no stamps (see `Stamp::of`), the spare is compared
    // by reading it.
    if !cfg!(unix) {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let checked_by = text
        .lines()
        .next()
        .and_then(|l| l.strip_prefix(CHECKED_BY))
        .and_then(|f| u64::from_str_radix(f, 16).ok());
    let files = text
        .lines()
        .filter_map(Stamp::parse)
        .map(|(p, s)| (path_key(&p), s))
        .collect();
    Some((files, checked_by))
}

/// Writes a record, sorted by path, with the fingerprint of the guard that
/// checked its files when one did; false if it could not be written.
fn write_record(
    path: &Path,
    mut files: Vec<(String, Option<Stamp>)>,
    checked_by: Option<u64>,
) -> bool {
    files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut text = String::with_capacity(files.len() * 96);
    if let Some(f) = checked_by {
        text.push_str(&format!("{CHECKED_BY}{f:016x}\n"));
    }
    for (p, s) in &files {
        // A name with a line break (a file of the archive's own static
        // folder) is left out: it is written anew each time.
        if let (Some(s), false) = (s, p.contains(['\n', '\r'])) {
            s.write_line(p, &mut text);
        }
    }
    fs::write(path, text).is_ok()
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, Diagnostic> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        fs::create_dir_all(&parent).map_err(|e| fail("create the folder", &parent, e))?;
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let spare = parent.join(format!(".{name}.spare"));
        clear_leftovers(&parent, &name, out, &spare);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        // Unique, since the previous site of an earlier build may still be
        // on its way out under its own name.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let old = parent.join(format!(".{name}.old-{}-{stamp}", std::process::id()));
        sweep_old_sites(&parent, &name);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| fail("clear the folder", &dir, e))?;
        }
        let is_dir = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
        let reuse = if is_dir(&spare) && fs::rename(&spare, &dir).is_ok() {
            let (record, checked_by) = match read_record(&record_path(&spare)) {
                Some((files, checked_by)) => (Some(files), checked_by),
                None => (None, None),
            };
            Some(Reuse {
                had: inventory(&dir),
                record,
                checked_by,
            })
        } else {
            if fs::symlink_metadata(&spare).is_ok() {
                // Not a folder: nothing to reuse.
                let _ = fs::remove_file(&spare);
            }
            fs::create_dir_all(&dir).map_err(|e| fail("create the folder", &dir, e))?;
            None
        };
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            old,
            spare,
            reuse,
            files: Mutex::new(Vec::new()),
            folders: Mutex::default(),
            published: false,
        })
    }

    /// Whether the build that wrote the spare published a file of these
    /// bytes (their [`hash`] and length) at this path, checked by a leak
    /// guard of this fingerprint: a guard of the same fingerprint finds in
    /// it what that one found, nothing (see `leak::Guard::fingerprint`).
    pub fn checked_before(&self, path: &str, bytes_hash: u64, len: usize, guard: u64) -> bool {
        self.reuse.as_ref().is_some_and(|reuse| {
            reuse.checked_by == Some(guard)
                && reuse.record.as_ref().is_some_and(|record| {
                    record
                        .get(&path_key(path))
                        .is_some_and(|old| old.hash == bytes_hash && old.len == len as u64)
                })
        })
    }

    /// Keeps the file at `path` as the spare holds it, without its bytes
    /// being made, when the build that published the spare made it from a
    /// source of this hash (see [`Staging::write_hashed`]) and its leak
    /// guard had this fingerprint, and the file is as that build wrote it.
    /// The fingerprint names the program (see `leak::Guard::fingerprint`):
    /// the same program made the same bytes of the same source, and its
    /// guard found nothing in them. Returns the file's length when kept.
    pub fn keep_made_from(&self, path: &str, source: u64, guard: u64) -> Option<u64> {
        let reuse = self
            .reuse
            .as_ref()
            .filter(|r| r.checked_by == Some(guard))?;
        let old = reuse.record.as_ref()?.get(&path_key(path))?;
        if old.source != Some(source) {
            return None;
        }
        let now = fs::symlink_metadata(self.dir.join(path))
            .ok()
            .and_then(|m| Stamp::of(&m, old.hash))?;
        if !now.same_file(old) {
            return None;
        }
        if let Ok(mut files) = self.files.lock() {
            files.push((path.to_string(), Some(*old)));
        }
        Some(old.len)
    }

    /// Writes one page, making its folders as needed. Into a spare, a file
    /// that already holds these bytes is left as it is.
    pub fn write(&self, page: &Page) -> Result<(), Diagnostic> {
        self.write_hashed(page, hash(&page.bytes), None)
    }

    /// [`Staging::write`] of a page whose bytes' [`hash`] is known, made
    /// from a source of hash `source` when one is given: the record keeps
    /// it, and the next build may keep the file without making it again
    /// (see [`Staging::keep_made_from`]).
    pub fn write_hashed(
        &self,
        page: &Page,
        bytes_hash: u64,
        source: Option<u64>,
    ) -> Result<(), Diagnostic> {
        let path = self.dir.join(&page.path);
        let keep = |stamp: Option<Stamp>| {
            if let Ok(mut files) = self.files.lock() {
                files.push((page.path.clone(), stamp.map(|s| Stamp { source, ..s })));
            }
        };
        if let Some(reuse) = &self.reuse {
            match &reuse.record {
                Some(record) => {
                    if let Some(old) = record
                        .get(&path_key(&page.path))
                        .filter(|old| old.hash == bytes_hash && old.len == page.bytes.len() as u64)
                    {
                        let now = fs::symlink_metadata(&path)
                            .ok()
                            .and_then(|m| Stamp::of(&m, bytes_hash));
                        if now.is_some_and(|now| now.same_file(old)) {
                            keep(now);
                            return Ok(());
                        }
                    }
                }
                None => {
                    if let Some(meta) = same_bytes(&path, &page.bytes) {
                        keep(Stamp::of(&meta, bytes_hash));
                        return Ok(());
                    }
                }
            }
        }
        let folder = page.path.rsplit_once('/').map(|(folder, _)| folder);
        let attempt = |trust_known: bool| -> io::Result<fs::Metadata> {
            use std::io::Write as _;
            if let (Some(parent), Some(folder)) = (path.parent(), folder) {
                let known = trust_known
                    && self
                        .folders
                        .lock()
                        .is_ok_and(|known| known.contains(folder));
                if !known {
                    fs::create_dir_all(parent)?;
                    if let Ok(mut known) = self.folders.lock() {
                        known.insert(folder.to_string());
                    }
                }
            }
            let mut file = fs::File::create(&path)?;
            file.write_all(&page.bytes)?;
            file.metadata()
        };
        let meta = match attempt(true) {
            Ok(meta) => meta,
            Err(_) if self.reuse.is_some() => {
                // The spare has a file where a folder is wanted, or a folder
                // where the file goes.
                clear_way(&self.dir, &page.path);
                attempt(false).map_err(|e| fail("write the file", &path, e))?
            }
            Err(e) => return Err(fail("write the file", &path, e)),
        };
        keep(Stamp::of(&meta, bytes_hash));
        Ok(())
    }

    /// Swaps the new site in: the previous one becomes the spare, the new
    /// one takes its name. `checked_by` is the fingerprint of the leak
    /// guard that checked every file of it, kept in its record.
    pub fn publish(mut self, checked_by: Option<u64>) -> Result<(), Diagnostic> {
        if let Some(reuse) = &self.reuse {
            let files = match self.files.lock() {
                Ok(f) => f,
                Err(e) => e.into_inner(),
            };
            let written: HashSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
            remove_unwritten(&self.dir, &reuse.had, &written);
        }
        let out = self.out.clone();
        let had_old = out.exists();
        // The previous site becomes the spare; if that name is somehow
        // taken, it is moved aside and removed as before.
        let aside = if fs::symlink_metadata(&self.spare).is_err() {
            self.spare.clone()
        } else {
            self.old.clone()
        };
        if had_old {
            fs::rename(&out, &aside).map_err(|e| fail("move the previous site aside", &out, e))?;
        }
        if let Err(e) = fs::rename(&self.dir, &out) {
            if had_old {
                let _ = fs::rename(&aside, &out);
            }
            return Err(fail("put the new site in place", &out, e));
        }
        self.published = true;
        // The records follow their folders: the previous site's is the
        // spare's now. A record that cannot be written is no harm: the
        // next build into that folder reads and compares its files.
        let (record, spare_record) = (record_path(&out), record_path(&self.spare));
        if had_old && aside == self.spare {
            if fs::rename(&record, &spare_record).is_err() {
                let _ = fs::remove_file(&spare_record);
            }
        } else if !had_old {
            let _ = fs::remove_file(&spare_record);
        }
        let files = match self.files.lock() {
            Ok(mut f) => std::mem::take(&mut *f),
            Err(e) => std::mem::take(&mut *e.into_inner()),
        };
        let fresh = record.with_extension("record-new");
        if !(write_record(&fresh, files, checked_by) && fs::rename(&fresh, &record).is_ok()) {
            let _ = fs::remove_file(&fresh);
            let _ = fs::remove_file(&record);
        }
        if had_old && aside == self.old {
            remove_old_site(&self.old);
        }
        Ok(())
    }
}

/// The record of the site in `dir` (see the module's comment): a file
/// beside it, `.public.record` for `public`, `.public.spare.record` for the
/// spare.
fn record_path(dir: &Path) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let name = if name.starts_with('.') {
        format!("{name}.record")
    } else {
        format!(".{name}.record")
    };
    dir.with_file_name(name)
}

/// The file at `path`, when it holds exactly `bytes` (read only when its
/// length is theirs; a symbolic link is never followed): its metadata, for
/// the record.
///
/// In a warm build nearly every file of the spare is compared: it is read
/// into a buffer kept by the thread, in one call, instead of into a new
/// vector per file (whose fresh memory the system clears first), and with
/// two calls to the system fewer.
fn same_bytes(path: &Path, bytes: &[u8]) -> Option<fs::Metadata> {
    use std::io::Read as _;
    thread_local! {
        static OLD: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let mut file = open_no_follow(path).ok()?;
    let meta = file
        .metadata()
        .ok()
        .filter(|meta| meta.is_file() && meta.len() == bytes.len() as u64)?;
    OLD.with(|old| {
        let Ok(mut old) = old.try_borrow_mut() else {
            return None;
        };
        old.clear();
        old.resize(bytes.len(), 0);
        let same = file.read_exact(&mut old).is_ok() && old.as_slice() == bytes;
        // A buffer grown for one large file is not kept.
        if old.capacity() > 4 << 20 {
            *old = Vec::new();
        }
        same.then_some(meta)
    })
}

/// Opens a file for reading; a symbolic link there is an error, not
/// followed, and a pipe does not keep it waiting.
fn open_no_follow(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(not(unix))]
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(io::Error::other("a symbolic link"));
    }
    options.open(path)
}

/// Every file of a spare (paths below it, with `/`, in no particular
/// order), after removing what a site never holds and a build must not
/// write through: symbolic links and anything that is neither a file nor a
/// folder.
///
/// The build takes this stock on threads of its own while rayon's threads
/// make the model. A spare that has left the system's cache is read from
/// disk folder by folder (at 10,000 meetings 180,000 folders, one per item
/// page), and one folder after the other kept a single read waiting at a
/// time: [`WALKERS`] threads read folders side by side, taking them from
/// one list of folders still to read.
fn inventory(dir: &Path) -> Vec<String> {
    struct Queue {
        /// Folders still to read, with their paths below `dir`.
        todo: Vec<(PathBuf, String)>,
        /// Folders being read: the walk is over when none is and none waits.
        reading: usize,
    }
    let queue = Mutex::new(Queue {
        todo: vec![(dir.to_path_buf(), String::new())],
        reading: 0,
    });
    let changed = std::sync::Condvar::new();
    let files = Mutex::new(Vec::new());
    let lock = || queue.lock().unwrap_or_else(|e| e.into_inner());
    let walker = || {
        let mut found = Vec::new();
        let mut folders = Vec::new();
        loop {
            let next = {
                let mut q = lock();
                loop {
                    if let Some(next) = q.todo.pop() {
                        q.reading += 1;
                        break Some(next);
                    }
                    if q.reading == 0 {
                        break None;
                    }
                    q = changed.wait(q).unwrap_or_else(|e| e.into_inner());
                }
            };
            let Some((folder, prefix)) = next else {
                changed.notify_all();
                break;
            };
            if let Ok(entries) = fs::read_dir(&folder) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let rel = if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}/{name}")
                    };
                    match e.file_type() {
                        Ok(t) if t.is_dir() => folders.push((e.path(), rel)),
                        Ok(t) if t.is_file() => found.push(rel),
                        _ => {
                            let _ = fs::remove_file(e.path());
                        }
                    }
                }
            }
            let mut q = lock();
            q.todo.append(&mut folders);
            q.reading -= 1;
            drop(q);
            changed.notify_all();
        }
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .append(&mut found);
    };
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others;
        // this one walks too.
        for _ in 1..WALKERS {
            let _ = std::thread::Builder::new().spawn_scoped(scope, walker);
        }
        walker();
    });
    files.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Threads that read the folders of a spare (see [`inventory`]).
const WALKERS: usize = 8;

/// Makes room for the file `rel` below `dir`: a file where one of its
/// folders goes, or a folder where it goes, is removed.
fn clear_way(dir: &Path, rel: &str) {
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let Ok(meta) = fs::symlink_metadata(&at) else {
            return;
        };
        let last = i + 1 == parts.len();
        if last && meta.is_dir() {
            let _ = fs::remove_dir_all(&at);
        } else if !last && !meta.is_dir() {
            let _ = fs::remove_file(&at);
            return;
        }
    }
}

/// Removes the files of a spare that this build did not write, and the
/// folders that are left empty by that.
fn remove_unwritten(dir: &Path, had: &[String], written: &HashSet<&str>) {
    let gone: Vec<&String> = had
        .iter()
        .filter(|p| !written.contains(p.as_str()))
        .collect();
    let mut folders: Vec<&str> = Vec::new();
    for rel in gone {
        if fs::remove_file(dir.join(rel)).is_ok() {
            let mut at = rel.as_str();
            while let Some((parent, _)) = at.rsplit_once('/') {
                folders.push(parent);
                at = parent;
            }
        }
    }
    // Deepest first: a folder is removed only once it is empty.
    folders.sort_unstable_by(|a, b| {
        b.matches('/')
            .count()
            .cmp(&a.matches('/').count())
            .then(b.cmp(a))
    });
    folders.dedup();
    for f in folders {
        let _ = fs::remove_dir(dir.join(f));
    }
}

/// Cleans up after builds that were killed: their half-written sites
/// (`.public.new-PID`) become the spare (or are removed when there is one), and a previous site moved aside
/// (`.public.old-PID`) goes back in place if no site took it, or is removed.
/// Only folders of processes that no longer run are touched.
fn clear_leftovers(parent: &Path, name: &str, out: &Path, spare: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let mut new = Vec::new();
    let mut old = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (kind, pid) = match rest.split_once('-') {
            Some((kind, pid)) => (kind, pid.parse::<u32>().ok()),
            None => continue,
        };
        if pid.is_none_or(running) {
            continue;
        }
        match kind {
            "new" => new.push(e.path()),
            "old" => old.push(e.path()),
            _ => {}
        }
    }
    for dir in new {
        // A folder written into is as good a spare as any: every file is
        // compared or written again before it is published.
        if fs::symlink_metadata(spare).is_err() && fs::rename(&dir, spare).is_ok() {
            continue;
        }
        remove_tree(&dir);
    }
    old.sort();
    for dir in old {
        if !out.exists() && fs::rename(&dir, out).is_ok() {
            continue;
        }
        remove_tree(&dir);
    }
}

/// Whether a process with this id runs (always true for this one). Where
/// that cannot be told, every process is taken to run.
fn running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Hands a folder to be removed without waiting for it; false when that
/// cannot be done.
pub type Remover = fn(&Path) -> bool;

static REMOVER: OnceLock<Remover> = OnceLock::new();

/// Lets the previous site be removed in the background after the swap (the
/// command hands it to a process of its own, so that a build returns as
/// soon as the new site is in place). Without one it is removed before
/// `publish` returns.
pub fn remove_old_sites_with(remover: Remover) {
    let _ = REMOVER.set(remover);
}

fn remove_old_site(dir: &Path) {
    if !REMOVER.get().is_some_and(|hand_over| hand_over(dir)) {
        remove_tree(dir);
    }
}

/// Previous sites left beside `out` by earlier builds whose removal was cut
/// short (the machine stopped, the process was killed): removed the same way.
fn sweep_old_sites(parent: &Path, name: &str) {
    let prefix = format!(".{name}.old-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix)
            && e.file_type().is_ok_and(|t| t.is_dir())
        {
            remove_old_site(&e.path());
        }
    }
}

/// Removes a previous site that [`publish`](Staging::publish) moved aside:
/// the work of the background remover. Any other folder is left alone.
pub fn remove_previous_site(dir: &Path) -> Result<(), Diagnostic> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !(name.starts_with('.') && name.contains(".old-")) {
        return Err(
            Diagnostic::new(dir, "not a previous site moved aside by a build")
                .expected("a folder named .NAME.old-… beside the output"),
        );
    }
    remove_tree(dir);
    Ok(())
}

/// Removes a folder and everything in it, many files at once: removing is
/// mostly waiting on the file system, so more threads than cores help (a
/// previous site of 277,000 files on two cores: 48–51 s one by one, 19–21 s
/// with eight threads). Best effort: what cannot be removed stays.
fn remove_tree(dir: &Path) {
    fn remove(dir: &Path) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let entries: Vec<fs::DirEntry> = entries.flatten().collect();
        entries.par_iter().for_each(|e| {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => remove(&path),
                _ => {
                    let _ = fs::remove_file(&path);
                }
            }
        });
        let _ = fs::remove_dir(dir);
    }
    match rayon::ThreadPoolBuilder::new().num_threads(8).build() {
        Ok(pool) => pool.install(|| remove(dir)),
        Err(_) => {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.published {
            return;
        }
        // A spare written into stays the spare; a fresh folder goes.
        if self.reuse.is_some()
            && fs::symlink_metadata(&self.spare).is_err()
            && fs::rename(&self.dir, &self.spare).is_ok()
        {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// Writes `pages` to `out` atomically as far as the file system allows: into
/// a fresh folder next to `out`, which then replaces `out`.
pub fn write_site(out: &Path, pages: &[Page]) -> Result<(), Diagnostic> {
    let staging = Staging::new(out)?;
    pages.par_iter().try_for_each(|page| staging.write(page))?;
    staging.publish(None)
}

/// A hash of a file's bytes, to see whether it changed (by `serve`, and in
/// the record of a site): foldhash, fast on long inputs (a site is
/// gigabytes at 10,000 meetings). In a record, together with the length
/// and the file's inode and times, a stale file taken for a new one is a
/// chance of one in 2^64.
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher as _;
    foldhash::quality::FixedState::with_seed(0x7265_636f_7264).hash_one(bytes)
}

/// Writes the pages whose bytes differ from what was written before, each
/// to a temporary file renamed into place, so that no half file is served.
pub fn write_changed(
    dir: &Path,
    pages: &[Page],
    files: &mut std::collections::HashMap<String, u64>,
) -> Result<usize, Diagnostic> {
    write_changed_hashed(dir, pages.iter().map(|p| (p, hash(&p.bytes))), files)
}

/// [`write_changed`] of pages whose [`hash`] was taken before.
pub fn write_changed_hashed<'a>(
    dir: &Path,
    pages: impl Iterator<Item = (&'a Page, u64)>,
    files: &mut std::collections::HashMap<String, u64>,
) -> Result<usize, Diagnostic> {
    let mut n = 0;
    for (page, h) in pages {
        if files.get(&page.path) == Some(&h) {
            continue;
        }
        write_in_place(dir, page)?;
        files.insert(page.path.clone(), h);
        n += 1;
    }
    Ok(n)
}

/// Writes one page into the served folder: to a temporary file renamed
/// into place, so that no half file is served.
pub fn write_in_place(dir: &Path, page: &Page) -> Result<(), Diagnostic> {
    let path = dir.join(&page.path);
    let fail = |e: std::io::Error| Diagnostic::new(&path, format!("cannot write the file: {e}"));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let tmp = path.with_file_name(format!(
        ".{}.protokol-tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, &page.bytes).map_err(fail)?;
    std::fs::rename(&tmp, &path).map_err(fail)
}

/// Removes the files written before that `keep` no longer wants.
pub fn remove_gone(
    dir: &Path,
    files: &mut std::collections::HashMap<String, u64>,
    keep: impl Fn(&str) -> bool,
) {
    files.retain(|p, _| {
        let k = keep(p);
        if !k {
            let _ = std::fs::remove_file(dir.join(p));
        }
        k
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, text: &str) -> Page {
        Page {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// The names in a folder, sorted, without the sites' records.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".record"))
            .collect();
        names.sort();
        names
    }

    /// Nothing but the site itself is left beside it: no staging folder, no
    /// previous site.
    fn assert_only_the_site_in(dir: &Path) {
        assert_eq!(names_in(dir), ["public"]);
    }

    /// Every file below a folder with its text, and every folder.
    fn tree(dir: &Path) -> Vec<(String, Option<String>)> {
        let mut all: Vec<(String, Option<String>)> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = e
                    .file_type()
                    .is_file()
                    .then(|| fs::read_to_string(e.path()).unwrap());
                (rel, text)
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn a_site_abandoned_half_written_leaves_no_trace() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "1")]).unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            staging.write(&page("a/b/index.html", "half")).unwrap();
            // A later stage fails: the staging folder is dropped unpublished.
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "1");
        assert!(!out.join("a").exists());
        assert_only_the_site_in(dir.path());
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(
            &out,
            &[page("index.html", "1"), page("old/index.html", "x")],
        )
        .unwrap();
        write_site(&out, &[page("index.html", "2")]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(!out.join("old").exists());
        // The previous site is the spare now, whole.
        assert_eq!(names_in(dir.path()), [".public.spare", "public"]);
        let spare = dir.path().join(".public.spare");
        assert_eq!(
            fs::read_to_string(spare.join("old/index.html")).unwrap(),
            "x"
        );
    }

    /// A build writes into the spare: it ends as exactly the new site, a
    /// file with the same bytes is not written again, and the site it
    /// replaced is the spare.
    #[test]
    fn the_spare_is_written_into_and_ends_as_the_new_site() {
        spare_written_into(true);
    }

    /// A spare without a record (one of an older version) is read and
    /// compared file by file, with the same result.
    #[test]
    fn a_spare_without_a_record_is_compared_by_reading_it() {
        spare_written_into(false);
    }

    fn spare_written_into(with_record: bool) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [
            page("index.html", "1"),
            page("same/index.html", "same"),
            page("gone/deep/index.html", "gone"),
            page("changed.css", "a"),
            page("same-length.txt", "abc"),
            page("file-then-folder", "f"),
            page("folder-then-file/index.html", "d"),
        ];
        write_site(&out, &first).unwrap();
        let second = [page("index.html", "2"), page("same/index.html", "same")];
        write_site(&out, &second).unwrap();
        // A file written again gets a new time, one left alone keeps it.
        let spare_same = dir.path().join(".public.spare/same/index.html");
        let unchanged = fs::metadata(&spare_same).unwrap().modified().unwrap();
        let record = dir.path().join(".public.spare.record");
        assert!(record.is_file(), "the spare has its record");
        if !with_record {
            fs::remove_file(&record).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
        let third = [
            page("index.html", "3"),
            page("same/index.html", "same"),
            page("changed.css", "longer"),
            page("same-length.txt", "abd"),
            page("file-then-folder/index.html", "now a folder"),
            page("folder-then-file", "now a file"),
            page("new/index.html", "new"),
        ];
        write_site(&out, &third).unwrap();
        assert_eq!(
            tree(&out),
            tree_of(&third),
            "the site is exactly the new one"
        );
        assert!(!out.join("gone").exists(), "emptied folders are removed");
        assert_eq!(
            fs::metadata(out.join("same/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            unchanged,
            "an unchanged file was written again"
        );
        let spare = dir.path().join(".public.spare");
        assert_eq!(tree(&spare), tree_of(&second));
        assert_eq!(names_in(dir.path()), [".public.spare", "public"]);
        // Each site has its record, which names every one of its files.
        for (site, pages) in [("public", &third[..]), (".public.spare", &second[..])] {
            let text = fs::read_to_string(record_path(&dir.path().join(site))).unwrap();
            let paths: Vec<String> = text.lines().map(|l| Stamp::parse(l).unwrap().0).collect();
            let mut want: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
            want.sort_unstable();
            assert_eq!(paths, want, "{site}");
        }
    }

    /// A file of the spare that was changed after its record was written
    /// (by hand, keeping its length) is written again: the record is
    /// trusted only for a file the file system says is as it was.
    #[test]
    fn a_file_of_the_spare_changed_after_its_record_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [page("index.html", "one"), page("a/index.html", "same")];
        write_site(&out, &site).unwrap();
        write_site(&out, &site).unwrap();
        let spare = dir.path().join(".public.spare");
        fs::write(spare.join("index.html"), "two").unwrap();
        fs::write(spare.join("a/index.html"), "xxxx").unwrap();
        write_site(&out, &site).unwrap();
        assert_eq!(tree(&out), tree_of(&site));
    }

    #[test]
    fn a_record_line_reads_as_it_was_written() {
        let stamp = Stamp {
            hash: hash(b"x"),
            len: 1,
            inode: 42,
            modified: (1_700_000_000, 5),
            changed: (-1, 999_999_999),
            source: None,
        };
        let mut line = String::new();
        stamp.write_line("a b/index.html", &mut line);
        assert_eq!(
            Stamp::parse(line.trim_end()),
            Some(("a b/index.html".to_string(), stamp))
        );
        let made_from = Stamp {
            source: Some(u64::MAX),
            ..stamp
        };
        line.clear();
        made_from.write_line("i/a.gz", &mut line);
        assert!(line.starts_with(&format!("{:016x}/ffffffffffffffff ", stamp.hash)));
        assert_eq!(
            Stamp::parse(line.trim_end()),
            Some(("i/a.gz".to_string(), made_from))
        );
        assert_eq!(Stamp::parse("not a record"), None);
    }

    fn tree_of(pages: &[Page]) -> Vec<(String, Option<String>)> {
        let fresh = tempfile::tempdir().unwrap();
        let o = fresh.path().join("public");
        write_site(&o, pages).unwrap();
        tree(&o)
    }

    /// A link planted in the spare is removed, never written through.
    #[cfg(unix)]
    #[test]
    fn links_in_the_spare_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("index.html"), "keep").unwrap();
        write_site(&out, &[page("index.html", "1")]).unwrap();
        write_site(&out, &[page("index.html", "2")]).unwrap();
        let spare = dir.path().join(".public.spare");
        std::os::unix::fs::symlink(&outside, spare.join("a")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), spare.join("b.html")).unwrap();
        write_site(
            &out,
            &[page("a/index.html", "inside"), page("b.html", "inside")],
        )
        .unwrap();
        assert_eq!(
            fs::read_to_string(outside.join("index.html")).unwrap(),
            "keep"
        );
        assert!(!fs::symlink_metadata(out.join("a"))
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "inside"
        );
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "inside");
    }

    /// Kept without its bytes only what the same guard published, made of
    /// the same source, as it was written.
    #[cfg(unix)]
    #[test]
    fn a_file_made_from_a_source_is_kept_by_the_same_guard_for_the_same_source() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let gz = page("i/a.gz", "compressed");
        // Each build asks whether the spare keeps the file made of source
        // 5 (and of source 6), then writes it when it does not.
        let build = |guard: Option<u64>, source: u64| {
            let staging = Staging::new(&out).unwrap();
            let kept = [5, 6].map(|s| staging.keep_made_from(&gz.path, s, 7).is_some());
            if !kept[(source - 5) as usize] {
                staging
                    .write_hashed(&gz, hash(&gz.bytes), Some(source))
                    .unwrap();
            }
            staging.write(&page("index.html", "x")).unwrap();
            staging.publish(guard).unwrap();
            kept
        };
        // No spare twice (the first site becomes the spare when the second
        // is published), then the first site, whose guard was 7.
        assert_eq!(build(Some(7), 5), [false, false]);
        assert_eq!(build(Some(7), 5), [false, false]);
        assert_eq!(build(Some(7), 5), [true, false]);
        assert_eq!(tree(&out), tree_of(&[gz.clone(), page("index.html", "x")]));
        // Kept, the file is in the new site's record with its source.
        let record = fs::read_to_string(record_path(&out)).unwrap();
        assert!(
            record.contains(&format!("{:016x}/{:016x} ", hash(&gz.bytes), 5)),
            "{record}"
        );
        // A spare checked by another guard keeps nothing.
        assert_eq!(build(Some(8), 5), [true, false]);
        assert_eq!(build(Some(7), 5), [true, false]);
        assert_eq!(build(Some(7), 5), [false, false]);
        // A file changed after it was written is not kept.
        assert_eq!(build(Some(7), 5), [true, false]);
        let spare = dir.path().join(".public.spare");
        fs::write(spare.join("i/a.gz"), "tampered!!").unwrap();
        assert_eq!(build(Some(7), 5), [false, false]);
        assert_eq!(tree(&out), tree_of(&[gz.clone(), page("index.html", "x")]));
        // A file written without its source is not kept either.
        let plain = |guard| {
            let staging = Staging::new(&out).unwrap();
            staging.write(&gz).unwrap();
            staging.publish(guard).unwrap();
        };
        plain(Some(7));
        plain(Some(7));
        assert_eq!(build(Some(7), 5), [false, false]);
    }

    /// Only the bytes a guard of the same fingerprint checked at the same
    /// path, in the site that became the spare, count as checked before.
    #[cfg(unix)]
    #[test]
    fn checked_before_is_the_same_bytes_at_the_same_path_by_the_same_guard() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [page("index.html", "one"), page("a/index.html", "two")];
        let publish = |checked_by: Option<u64>| {
            let staging = Staging::new(&out).unwrap();
            let checked: Vec<bool> = [
                ("index.html", "one"),
                ("a/index.html", "two!"),
                ("b.html", "one"),
            ]
            .iter()
            .map(|(path, text)| staging.checked_before(path, hash(text.as_bytes()), text.len(), 7))
            .collect();
            for p in &site {
                staging.write(p).unwrap();
            }
            staging.publish(checked_by).unwrap();
            checked
        };
        // No spare yet, then a spare without a guard's fingerprint.
        assert_eq!(publish(Some(7)), [false, false, false]);
        assert_eq!(publish(None), [false, false, false]);
        // The spare's files were checked by guard 7; the second bytes and
        // the third path differ.
        assert_eq!(publish(Some(8)), [true, false, false]);
        // The spare now is the second site, whose record names no guard.
        assert_eq!(publish(Some(7)), [false, false, false]);
    }

    /// The stock of a spare, read by several threads, names every file of
    /// a tree of many folders once, and removes links and other non-files
    /// at any depth without following them.
    #[cfg(unix)]
    #[test]
    fn the_stock_of_a_spare_names_every_file_once() {
        let dir = tempfile::tempdir().unwrap();
        let spare = dir.path().join("spare");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("kept.html"), "outside").unwrap();
        let mut want = Vec::new();
        for body in 0..6 {
            for meeting in 0..12 {
                let folder = format!("b{body}/m{meeting}");
                for item in 0..(meeting % 4) {
                    let rel = format!("{folder}/punkt-{item}/index.html");
                    fs::create_dir_all(spare.join(&rel).parent().unwrap()).unwrap();
                    fs::write(spare.join(&rel), "item").unwrap();
                    want.push(rel);
                }
                fs::create_dir_all(spare.join(&folder)).unwrap();
                fs::write(spare.join(format!("{folder}/index.html")), "meeting").unwrap();
                want.push(format!("{folder}/index.html"));
            }
        }
        // Empty folders hold no file.
        fs::create_dir_all(spare.join("empty/deeper")).unwrap();
        fs::write(spare.join("index.html"), "home").unwrap();
        want.push("index.html".to_string());
        std::os::unix::fs::symlink(&outside, spare.join("b2/m5/link")).unwrap();
        std::os::unix::fs::symlink(outside.join("kept.html"), spare.join("b3/file.html")).unwrap();
        let status = std::process::Command::new("mkfifo")
            .arg(spare.join("b1/m1/pipe"))
            .status();
        let mut had = inventory(&spare);
        had.sort_unstable();
        want.sort_unstable();
        assert_eq!(had, want);
        assert!(fs::symlink_metadata(spare.join("b2/m5/link")).is_err());
        assert!(fs::symlink_metadata(spare.join("b3/file.html")).is_err());
        if status.is_ok_and(|s| s.success()) {
            assert!(fs::symlink_metadata(spare.join("b1/m1/pipe")).is_err());
        }
        assert_eq!(
            fs::read_to_string(outside.join("kept.html")).unwrap(),
            "outside"
        );
        assert!(inventory(&dir.path().join("missing")).is_empty());
    }

    /// A failed build that wrote into the spare leaves the site as it was
    /// and the spare as the spare.
    #[test]
    fn a_failed_build_into_the_spare_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[page("index.html", "1")]).unwrap();
        write_site(&out, &[page("index.html", "2")]).unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            staging.write(&page("index.html", "half")).unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert_eq!(names_in(dir.path()), [".public.spare", "public"]);
    }

    #[test]
    fn leftovers_of_killed_builds_are_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // A build killed while writing, and one killed between moving the
        // previous site aside and putting the new one in place.
        fs::create_dir_all(dir.path().join(".public.new-999999999/a")).unwrap();
        fs::create_dir_all(dir.path().join(".public.old-999999998")).unwrap();
        fs::write(dir.path().join(".public.old-999999998/index.html"), "old").unwrap();
        fs::create_dir_all(dir.path().join(".publicity.new-999999999")).unwrap();
        let spare = dir.path().join(".public.spare");
        clear_leftovers(dir.path(), "public", &out, &spare);
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        fs::remove_dir(dir.path().join(".publicity.new-999999999")).unwrap();
        // The half-written folder is the spare that the next build writes
        // into (and compares or writes every file of).
        assert!(spare.join("a").is_dir());
        assert_eq!(names_in(dir.path()), [".public.spare", "public"]);
        // A running build's folder is left alone.
        let mine = dir
            .path()
            .join(format!(".public.new-{}", std::process::id()));
        fs::create_dir_all(&mine).unwrap();
        clear_leftovers(dir.path(), "public", &out, &spare);
        assert!(mine.exists());
    }

    #[test]
    fn only_a_previous_site_is_removed_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("public");
        fs::create_dir_all(&kept).unwrap();
        assert!(remove_previous_site(&kept).is_err());
        assert!(kept.exists());
        let old = dir.path().join(".public.old-1-2");
        fs::create_dir_all(old.join("a")).unwrap();
        fs::write(old.join("a/index.html"), "x").unwrap();
        remove_previous_site(&old).unwrap();
        assert!(!old.exists());
    }

    #[test]
    fn previous_sites_left_behind_are_swept_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let left = dir.path().join(".public.old-7-7");
        fs::create_dir_all(left.join("x")).unwrap();
        write_site(&out, &[page("index.html", "1")]).unwrap();
        assert_only_the_site_in(dir.path());
    }

    #[test]
    fn a_removed_tree_is_gone_and_its_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        let kept = dir.path().join("kept");
        fs::create_dir_all(&kept).unwrap();
        fs::write(kept.join("file"), "stays").unwrap();
        for d in 0..20 {
            let sub = tree.join(format!("{d}/deeper"));
            fs::create_dir_all(&sub).unwrap();
            for f in 0..10 {
                fs::write(sub.join(format!("{f}.html")), "x").unwrap();
            }
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, tree.join("link")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        assert_eq!(fs::read_to_string(kept.join("file")).unwrap(), "stays");
    }
}
