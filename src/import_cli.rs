//! `protokol import`: runs the importer over files and writes meeting files.
//!
//! Every document is read and imported first; only when all of them could be
//! imported is anything written (the meeting files, and the bodies the
//! documents named that `data/bodies.toml` did not know).

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::import::{self, ImportOptions, Imported};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What `protokol import` was asked to do.
pub struct Request<'a> {
    /// Files and folders (every `.pdf` and `.txt` in a folder is imported).
    pub files: &'a [PathBuf],
    /// The body's slug; `None`: the body the document names.
    pub body: Option<&'a str>,
    /// The archive folder (for `data/bodies.toml` and `content/`).
    pub root: &'a Path,
    /// Where to write; `None`: `content/<body>` in the archive.
    pub out: Option<&'a Path>,
    pub dry_run: bool,
}

/// How to get pdftotext where it is missing.
pub const PDFTOTEXT_MISSING: &str = "reading a PDF needs the program `pdftotext`, which was not found; install it (Debian and Ubuntu: `apt-get install poppler-utils`, Fedora: `dnf install poppler-utils`, macOS: `brew install poppler`) or extract the text yourself and import the .txt file";

/// The text of a PDF: `pdftotext -layout` keeps the rows of a table
/// together; its cells become tab-separated and two columns of running text
/// are read one after the other ([`import::pdf::from_layout`]).
pub fn pdf_text(path: &Path) -> Result<String, String> {
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg("-enc")
        .arg("UTF-8")
        .arg(path)
        .arg("-")
        .output();
    match output {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(PDFTOTEXT_MISSING.to_string()),
        Err(e) => Err(format!("cannot run pdftotext: {e}")),
        Ok(o) if !o.status.success() => Err(format!(
            "pdftotext could not read the PDF: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            if text.trim().is_empty() {
                Err(
                    "the PDF holds no text (a scanned document needs text recognition first)"
                        .into(),
                )
            } else {
                Ok(import::pdf::from_layout(&text))
            }
        }
    }
}

fn is_importable(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf") || e.eq_ignore_ascii_case("txt"))
}

fn is_pdf(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// The files to import: files as given, folders as their `.pdf` and `.txt`
/// files in name order.
fn expand(files: &[PathBuf], errors: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(f) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && is_importable(p))
                    .collect(),
                Err(e) => {
                    errors.push(Diagnostic::new(f, format!("cannot read the folder: {e}")));
                    continue;
                }
            };
            found.sort();
            if found.is_empty() {
                errors.push(
                    Diagnostic::new(f, "the folder holds no .pdf or .txt file")
                        .expected("a folder with the PDF or text files of published minutes"),
                );
            }
            out.extend(found);
        } else {
            out.push(f.clone());
        }
    }
    out
}

pub fn run(req: &Request) -> Result<(), Diagnostics> {
    let mut errors = Vec::new();
    let bodies_path = req.root.join("data/bodies.toml");
    let bodies_text = std::fs::read_to_string(&bodies_path).unwrap_or_default();
    let bodies = match import::bodies_from_toml(&bodies_text) {
        Ok(b) => b,
        Err(e) => {
            errors.push(Diagnostic::new(&bodies_path, e));
            Vec::new()
        }
    };
    // Topics named in an item's title are assigned as `protokol build` files them.
    let topics_path = req.root.join("data/topics.toml");
    let topics = match std::fs::read_to_string(&topics_path) {
        Ok(text) => import::topics::from_toml(&text).unwrap_or_else(|e| {
            errors.push(Diagnostic::new(&topics_path, e));
            Vec::new()
        }),
        Err(_) => Vec::new(),
    };
    let options = ImportOptions {
        bodies,
        topics,
        ..ImportOptions::default()
    };
    let files = expand(req.files, &mut errors);
    let mut done: Vec<(PathBuf, PathBuf, Imported)> = Vec::new();
    for file in &files {
        let text = if is_pdf(file) {
            match pdf_text(file) {
                Ok(t) => t,
                Err(e) => {
                    errors.push(Diagnostic::new(file, e));
                    continue;
                }
            }
        } else {
            match std::fs::read(file) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    errors.push(Diagnostic::new(file, format!("cannot read the file: {e}")));
                    continue;
                }
            }
        };
        let options = ImportOptions {
            from_pdf: is_pdf(file),
            ..options.clone()
        };
        match import::import_document(&text, req.body, &options) {
            Ok(imported) => {
                let dir = match req.out {
                    Some(o) => o.to_path_buf(),
                    None => req.root.join("content").join(&imported.body),
                };
                let target = dir.join(&imported.file_name);
                if let Some((other, _, _)) = done.iter().find(|(_, t, _)| *t == target) {
                    errors.push(Diagnostic::new(
                        file,
                        format!(
                            "gives the same meeting file {} as {}",
                            target.display(),
                            other.display()
                        ),
                    ));
                    continue;
                }
                done.push((file.clone(), target, imported));
            }
            Err(e) => {
                let mut d = Diagnostic::new(file, e.message)
                    .expected("the text of a published agenda (dagsorden) or minutes (referat)");
                d.line = e.line;
                errors.push(d);
            }
        }
    }
    for (file, _, imported) in &done {
        for w in &imported.warnings {
            eprintln!("warning: {}:{}: {}", file.display(), w.line, w.message);
        }
    }
    if !errors.is_empty() {
        if !done.is_empty() && !req.dry_run {
            eprintln!("nothing was written: every file must import before any is written");
        }
        return Err(Diagnostics(errors));
    }
    // Bodies named in the documents and not yet known.
    let mut new_bodies: Vec<(String, String)> = Vec::new();
    for (_, _, imported) in &done {
        if let Some(nb) = &imported.new_body {
            if !new_bodies.iter().any(|(s, _)| *s == nb.0) {
                new_bodies.push(nb.clone());
            }
        }
    }
    if req.dry_run {
        for (_, target, imported) in &done {
            println!(
                "=== {} ({} warnings)",
                target.display(),
                imported.warnings.len()
            );
            print!("{}", imported.markdown);
        }
        for (slug, name) in &new_bodies {
            println!(
                "=== {} would get [{slug}] name = {name:?}",
                bodies_path.display()
            );
        }
        return Ok(());
    }
    if !new_bodies.is_empty() {
        let mut text = bodies_text.clone();
        for (slug, name) in &new_bodies {
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
            }
            text.push_str(&format!(
                "[{slug}]\nname = {}\n",
                import::write::toml_string(name)
            ));
        }
        if let Err(e) = std::fs::create_dir_all(req.root.join("data"))
            .and_then(|()| std::fs::write(&bodies_path, text))
        {
            return Err(Diagnostics(vec![Diagnostic::new(
                &bodies_path,
                format!("cannot write the file: {e}"),
            )]));
        }
        for (slug, _) in &new_bodies {
            eprintln!("added the body `{slug}` to {}", bodies_path.display());
        }
    }
    for (file, target, imported) in &done {
        let dir = target.parent().unwrap_or(Path::new("."));
        if let Err(e) =
            std::fs::create_dir_all(dir).and_then(|()| std::fs::write(target, &imported.markdown))
        {
            errors.push(Diagnostic::new(
                target,
                format!("cannot write the file: {e}"),
            ));
        } else {
            eprintln!("{} -> {}", file.display(), target.display());
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}
