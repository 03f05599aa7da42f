//! A page's view before it is handed to Tera: its values, kept as they are
//! and not yet made into Tera's values, so that the page can be told apart
//! from the one an earlier build made by a hash of its view alone (see
//! [`Context::hash`]). A page whose view, template and theme are those of
//! the file the output already holds is not rendered again: in a build
//! where little changed, Tera's values and Tera itself were a fifth of the
//! CPU, for bytes the output had.
//!
//! Tera's own `Context` takes a value by reference and makes it into its
//! values at once; this one takes it by value and makes nothing until the
//! page is rendered ([`Context::into_tera`]).

use serde::Serialize;
use std::cell::RefCell;

/// One value of the view, by its name.
trait Part {
    /// The value as JSON, added to `out`; false for a value that cannot be
    /// JSON (a map with keys that are not text).
    fn json_into(&self, out: &mut Vec<u8>) -> bool;
    fn put(&self, key: &'static str, tera: &mut tera::Context);
}

impl<T: Serialize> Part for T {
    fn json_into(&self, out: &mut Vec<u8>) -> bool {
        serde_json::to_writer(&mut *out, self).is_ok()
    }

    fn put(&self, key: &'static str, tera: &mut tera::Context) {
        tera.insert(key, self);
    }
}

/// The values of a page's view, by name, as the templates see them.
#[derive(Default)]
pub struct Context<'a> {
    parts: Vec<(&'static str, Box<dyn Part + 'a>)>,
}

thread_local! {
    /// The JSON of the view being hashed: reused from page to page.
    static JSON: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl<'a> Context<'a> {
    pub fn new() -> Self {
        Context { parts: Vec::new() }
    }

    /// Adds a value under `key`, in the place of one of that name.
    pub fn insert<T: Serialize + 'a>(&mut self, key: &'static str, value: T) {
        self.parts.retain(|(k, _)| *k != key);
        self.parts.push((key, Box::new(value)));
    }

    /// A hash of every value with its name, in the order they were added,
    /// begun with `seed` (what else the page is made of: its template, the
    /// theme, the globals). Two views of the same hash give the same page.
    /// `None` when a value cannot be written as JSON: such a view has no
    /// hash that tells it apart, and its page is always made.
    pub fn hash(&self, seed: u64) -> Option<u64> {
        JSON.with(|json| {
            let mut json = json.borrow_mut();
            json.clear();
            json.extend_from_slice(&seed.to_le_bytes());
            let mut whole = true;
            for (key, part) in &self.parts {
                json.extend_from_slice(key.as_bytes());
                json.push(0);
                whole &= part.json_into(&mut json);
                json.push(0);
            }
            let hash = crate::output::hash(&json);
            // A page of many megabytes leaves no buffer of its size behind.
            if json.capacity() > 4 << 20 {
                *json = Vec::new();
            }
            whole.then_some(hash)
        })
    }

    /// The view as Tera takes it.
    pub fn into_tera(self) -> tera::Context {
        let mut tera = tera::Context::new();
        for (key, part) in &self.parts {
            part.put(key, &mut tera);
        }
        tera
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item<'a> {
        title: &'a str,
        n: u32,
    }

    #[test]
    fn the_same_view_has_the_same_hash_and_any_change_another() {
        let view = |title: &'static str, n: u32, key: &'static str| {
            let mut c = Context::new();
            c.insert("page", "Møde");
            c.insert(key, Item { title, n });
            c
        };
        let a = view("Budget", 4, "item").hash(1);
        assert!(a.is_some());
        assert_eq!(a, view("Budget", 4, "item").hash(1));
        assert_ne!(a, view("Budget", 5, "item").hash(1));
        assert_ne!(a, view("Budget ", 4, "item").hash(1));
        assert_ne!(a, view("Budget", 4, "entry").hash(1));
        assert_ne!(a, view("Budget", 4, "item").hash(2));
    }

    #[test]
    fn a_view_that_is_not_json_has_no_hash() {
        let mut c = Context::new();
        c.insert("page", "Møde");
        let by_pair: std::collections::BTreeMap<(u32, u32), &str> = [((1, 2), "x")].into();
        c.insert("pairs", by_pair);
        assert_eq!(c.hash(1), None);
    }

    #[test]
    fn tera_sees_every_value_and_a_later_one_of_the_same_name() {
        let mut c = Context::new();
        c.insert("title", "first");
        c.insert(
            "item",
            Item {
                title: "Budget",
                n: 4,
            },
        );
        c.insert("title", "second");
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t", "{{ title }} {{ item.title }} {{ item.n }}")
            .unwrap();
        let out = tera.render("t", &c.into_tera()).unwrap();
        assert_eq!(out, "second Budget 4");
    }
}
