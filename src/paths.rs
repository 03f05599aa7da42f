//! Files read from the archive stay in the archive.
//!
//! Protokol does not follow symbolic links inside `content/`, `static/`,
//! `templates/` and `themes/`: a link there, to a file or a folder, inside
//! the archive or outside it, is an error naming the link, so that no file
//! from elsewhere on the machine can end up on the site. (The archive
//! folder and these folders themselves may be links.)

use crate::diagnostic::Diagnostic;
use std::path::Path;

/// An error for an entry of a walk below the archive that is a symbolic
/// link; `Ok` for any other entry.
pub fn refuse_link(root: &Path, entry: &walkdir::DirEntry) -> Result<(), Diagnostic> {
    if entry.depth() == 0 || !entry.path_is_symlink() {
        return Ok(());
    }
    let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
    let target = std::fs::read_link(entry.path())
        .map(|t| format!(" (to {})", t.display()))
        .unwrap_or_default();
    Err(Diagnostic::new(
        shown,
        format!("is a symbolic link{target}; links are not followed"),
    )
    .expected("a file or folder inside the archive: copy the linked file into it"))
}
