//! A first assignment of topics (emner) to items: a topic whose name or one
//! of whose aliases occurs in the item's title.

/// A topic the importer may assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub slug: String,
    /// The name and aliases that identify the topic in a title.
    pub names: Vec<String>,
}

/// Reads the topics of a `data/topics.toml` (table name = slug; `name` and
/// `aliases` are matched, `keywords` are not: they only suggest a topic).
pub fn from_toml(text: &str) -> Result<Vec<Topic>, String> {
    let value: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut topics = Vec::new();
    for (slug, v) in value {
        let Some(t) = v.as_table() else {
            return Err(format!("topic `{slug}` is not a table"));
        };
        let mut names = Vec::new();
        if let Some(n) = t.get("name").and_then(|n| n.as_str()) {
            names.push(n.to_string());
        }
        if let Some(a) = t.get("aliases").and_then(|a| a.as_array()) {
            names.extend(a.iter().filter_map(|x| x.as_str()).map(str::to_string));
        }
        topics.push(Topic { slug, names });
    }
    Ok(topics)
}

/// Does `name` occur in `text` as a word (or the start of an inflected
/// word: "Socialtilsyn Nords", "sundhedstjekket")? Case-insensitive.
fn occurs(text: &str, name: &str) -> bool {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let name: Vec<char> = name.to_lowercase().chars().collect();
    if name.is_empty() || name.len() > text.len() {
        return false;
    }
    for start in 0..=text.len() - name.len() {
        if text[start..start + name.len()] != name[..] {
            continue;
        }
        if start > 0 && text[start - 1].is_alphanumeric() {
            continue;
        }
        let suffix = text[start + name.len()..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .count();
        if suffix <= 4 {
            return true;
        }
    }
    false
}

/// The slugs of the topics named in the title, in the order of `topics`.
pub fn assign(title: &str, topics: &[Topic]) -> Vec<String> {
    topics
        .iter()
        .filter(|t| t.names.iter().any(|n| occurs(title, n)))
        .map(|t| t.slug.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_names_and_aliases() {
        let topics = from_toml(
            "[socialtilsyn-nord]\nname = \"Socialtilsyn Nord\"\naliases = [\"STN\"]\n\n[sikrede-institutioner]\nname = \"De sikrede institutioner\"\naliases = [\"sikrede institutioner\", \"Kompasset\"]\nkeywords = [\"sikret\"]\n",
        )
        .unwrap();
        assert_eq!(
            assign("Årsrapport fra Socialtilsyn Nord 2023", &topics),
            ["socialtilsyn-nord"]
        );
        assert_eq!(
            assign("Socialtilsyn Nords årsrapport", &topics),
            ["socialtilsyn-nord"]
        );
        assert_eq!(
            assign(
                "Forslag om øget kapacitet på de sikrede institutioner",
                &topics
            ),
            ["sikrede-institutioner"]
        );
        assert!(assign("Det sikrede sig", &topics).is_empty());
        assert!(assign("ASTN", &topics).is_empty());
    }
}
