//! `protokol import`: runs the importer over files and writes meeting files.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::import;
use std::path::{Path, PathBuf};

pub fn run(files: &[PathBuf], body: &str, out: &Path, dry_run: bool) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    for file in files {
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                errors.push(Diagnostic::new(file, format!("cannot read the file: {e}")));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        match import::import_text(&text, body) {
            Ok(imported) => {
                for w in &imported.warnings {
                    eprintln!("warning: {}:{}: {}", file.display(), w.line, w.message);
                }
                let target = out.join(&imported.file_name);
                if dry_run {
                    println!(
                        "=== {} ({} warnings)",
                        target.display(),
                        imported.warnings.len()
                    );
                    print!("{}", imported.markdown);
                    continue;
                }
                if let Err(e) = std::fs::create_dir_all(out)
                    .and_then(|()| std::fs::write(&target, &imported.markdown))
                {
                    errors.push(Diagnostic::new(
                        &target,
                        format!("cannot write the file: {e}"),
                    ));
                } else {
                    eprintln!("{} -> {}", file.display(), target.display());
                }
            }
            Err(e) => {
                let mut d = Diagnostic::new(file, e.message)
                    .expected("the text of a published agenda (dagsorden) or minutes (referat)");
                d.line = e.line;
                errors.push(d);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}
