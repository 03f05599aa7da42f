//! TOML parsing with errors placed in the file the TOML came from.

use crate::diagnostic::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `toml_text`, which starts at byte `offset` of `file_text` (the whole
/// file), so that an error points at the right line and column of the file.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    toml_text: &str,
    offset: usize,
    what: &str,
) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|err| {
        let at = err.span().map_or(offset, |span| offset + span.start);
        let message = err.message().trim().to_string();
        let (message, expected) = explain(&message, what);
        let d = Diagnostic::new(path, message).at_offset(file_text, at);
        match expected {
            Some(e) => d.expected(e),
            None => d,
        }
    })
}

/// Rephrases the TOML library's messages for people who do not know TOML.
fn explain(message: &str, what: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        // "unknown field `x`, expected one of `a`, `b`"
        let (field, expected) = match rest.split_once(", expected ") {
            Some((f, e)) => (f, Some(e)),
            None => (rest, None),
        };
        return (
            format!("unknown key {field} in {what}"),
            expected.map(|e| format!("one of the keys {}", e.trim_start_matches("one of "))),
        );
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return (
            format!("{what} has no {field}"),
            Some(format!("a line `{} = …`", field.trim_matches('`'))),
        );
    }
    (format!("{message} (in {what})"), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct S {
        name: String,
    }

    #[test]
    fn unknown_key_points_at_the_key_in_the_file() {
        let file = "+++\nname = \"a\"\nnmae = \"b\"\n+++\n";
        let toml_text = &file[4..26];
        let err = parse::<S>(Path::new("x.md"), file, toml_text, 4, "the meeting").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert_eq!(err.message, "unknown key `nmae` in the meeting");
        assert_eq!(err.expected.as_deref(), Some("one of the keys `name`"));
    }

    #[test]
    fn missing_key_is_named() {
        let err = parse::<S>(Path::new("x.toml"), "", "", 0, "the body").unwrap_err();
        assert_eq!(err.message, "the body has no `name`");
    }
}
