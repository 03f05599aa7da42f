//! Lowercase, Danish-aware slugs for addresses: `Årsrapport Ø` → `aarsrapport-oe`.

/// Makes a slug of any text: lowercase ASCII letters, digits and single hyphens.
/// Danish letters are spelt out (æ → ae, ø → oe, å → aa); other accents are dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let spelt: &str = match ch {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'á' | 'à' | 'â' => "a",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' => "n",
            'ç' => "c",
            c if c.is_ascii_alphanumeric() => {
                if pending_hyphen && !out.is_empty() {
                    out.push('-');
                }
                pending_hyphen = false;
                out.push(c);
                continue;
            }
            _ => {
                pending_hyphen = true;
                continue;
            }
        };
        if pending_hyphen && !out.is_empty() {
            out.push('-');
        }
        pending_hyphen = false;
        out.push_str(spelt);
    }
    out
}

/// True when `s` is already a valid slug: non-empty, lowercase ASCII letters,
/// digits and single inner hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_are_spelt_out() {
        assert_eq!(slugify("Årsrapport"), "aarsrapport");
        assert_eq!(
            slugify("Neurocenter Østerskoven"),
            "neurocenter-oesterskoven"
        );
        assert_eq!(
            slugify("Det forstærkede samarbejde"),
            "det-forstaerkede-samarbejde"
        );
        assert_eq!(slugify("Resumé"), "resume");
    }

    #[test]
    fn punctuation_collapses_to_single_hyphens() {
        assert_eq!(
            slugify("  CU - fornyet behandling (2024)!  "),
            "cu-fornyet-behandling-2024"
        );
        assert_eq!(slugify("---"), "");
    }

    #[test]
    fn slug_validation() {
        assert!(is_slug("das-social"));
        assert!(is_slug("kkr2"));
        assert!(!is_slug("DAS"));
        assert!(!is_slug("das--social"));
        assert!(!is_slug("-das"));
        assert!(!is_slug(""));
        assert!(!is_slug("møde"));
    }
}
