//! The last stage: write the site beside the previous one and swap it in
//! only when every file is written, so a failed build leaves the old site
//! exactly as it was.

use crate::diagnostic::Diagnostic;
use crate::render::Page;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Writes `pages` to `out` atomically as far as the file system allows: into
/// a fresh folder next to `out`, which then replaces `out`.
pub fn write_site(out: &Path, pages: &[Page]) -> Result<(), Diagnostic> {
    let fail = |what: &str, path: &Path, e: io::Error| {
        Diagnostic::new(path, format!("cannot {what}: {e}"))
            .expected("an output folder Protokol may write to (see output_dir in config.toml)")
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    fs::create_dir_all(&parent).map_err(|e| fail("create the folder", &parent, e))?;
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| fail("clear the folder", &staging, e))?;
    }
    let result = (|| {
        // Folders first, each once, then the files in parallel.
        let dirs: BTreeSet<PathBuf> = pages
            .iter()
            .filter_map(|p| staging.join(&p.path).parent().map(Path::to_path_buf))
            .collect();
        for dir in &dirs {
            fs::create_dir_all(dir).map_err(|e| fail("create the folder", dir, e))?;
        }
        pages.par_iter().try_for_each(|page| {
            let path = staging.join(&page.path);
            fs::write(&path, &page.bytes).map_err(|e| fail("write the file", &path, e))
        })
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap: the old site moves aside, the new one takes its name.
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            fail("move the previous site aside", out, e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("put the new site in place", out, e));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
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
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }
}
