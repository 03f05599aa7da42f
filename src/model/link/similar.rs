//! Textual similarity: TF-IDF over stemmed words, the title weighted up, each
//! item reduced to its most telling words; neighbours found through an
//! inverted index of those words, so the work grows with the archive, not
//! with its square.

use super::text;
use super::ItemKey;
use crate::content::ItemSource;
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;

/// Words kept per item.
const TOP_TERMS: usize = 24;
/// A title word counts as this many words of text.
const TITLE_WEIGHT: f32 = 3.0;
/// Neighbours kept per item.
const NEIGHBOURS: usize = 8;
/// Below this cosine two items are not "similar".
pub const SIMILAR_MIN: f32 = 0.12;
/// Below this cosine a reference to a meeting is not narrowed to an item.
pub const REFERENCE_MIN: f32 = 0.10;

/// A sparse, unit-length vector: (term id, weight), sorted by term id.
pub type Vector = Vec<(u32, f32)>;

fn counts(src: &ItemSource) -> HashMap<String, f32> {
    let mut counts: HashMap<String, f32> = HashMap::new();
    text::for_each_term(&src.title, |t| {
        *counts.entry(t).or_default() += TITLE_WEIGHT
    });
    text::for_each_term(&src.intro, |t| *counts.entry(t).or_default() += 1.0);
    for s in &src.sections {
        text::for_each_term(&s.markdown, |t| *counts.entry(t).or_default() += 1.0);
    }
    counts
}

/// The TF-IDF vector of every item; routine items get an empty one.
pub fn vectors(sources: &[&ItemSource], routine: &[bool]) -> Vec<Vector> {
    // Document frequencies, counted per thread and merged.
    let df: HashMap<String, u32> = (0..sources.len())
        .into_par_iter()
        .filter(|&i| !routine[i])
        .fold(HashMap::new, |mut df: HashMap<String, u32>, i| {
            for term in counts(sources[i]).into_keys() {
                *df.entry(term).or_default() += 1;
            }
            df
        })
        .reduce(HashMap::new, |mut a, b| {
            if a.len() < b.len() {
                return merge(b, a);
            }
            merge_into(&mut a, b);
            a
        });
    let n = sources
        .iter()
        .zip(routine)
        .filter(|(_, r)| !**r)
        .count()
        .max(1) as f32;
    // Only words that two items share can make them similar.
    let mut shared: Vec<(&String, u32)> = df
        .iter()
        .filter(|(_, &c)| c >= 2)
        .map(|(t, &c)| (t, c))
        .collect();
    shared.sort();
    let ids: HashMap<&str, (u32, f32)> = shared
        .iter()
        .enumerate()
        .map(|(id, (t, c))| (t.as_str(), (id as u32, (n / *c as f32).ln())))
        .collect();

    (0..sources.len())
        .into_par_iter()
        .map(|i| {
            if routine[i] {
                return Vec::new();
            }
            let mut v: Vec<(u32, f32)> = counts(sources[i])
                .into_iter()
                .filter_map(|(t, tf)| {
                    let &(id, idf) = ids.get(t.as_str())?;
                    let w = (1.0 + tf.ln()) * idf;
                    (w > 0.0).then_some((id, w))
                })
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(TOP_TERMS);
            let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                for (_, w) in &mut v {
                    *w /= norm;
                }
            }
            v.sort_by_key(|(id, _)| *id);
            v
        })
        .collect()
}

fn merge(mut a: HashMap<String, u32>, b: HashMap<String, u32>) -> HashMap<String, u32> {
    merge_into(&mut a, b);
    a
}

fn merge_into(a: &mut HashMap<String, u32>, b: HashMap<String, u32>) {
    for (t, c) in b {
        *a.entry(t).or_default() += c;
    }
}

pub fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

thread_local! {
    static SCRATCH: RefCell<(Vec<f32>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// For each item, the most similar items of other meetings, best first.
pub fn neighbours(
    vectors: &[Vector],
    keys: &[ItemKey],
    routine: &[bool],
) -> Vec<Vec<(usize, f32)>> {
    let terms = vectors
        .iter()
        .flat_map(|v| v.iter().map(|(t, _)| *t))
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms];
    for (i, v) in vectors.iter().enumerate() {
        for &(t, w) in v {
            postings[t as usize].push((i as u32, w));
        }
    }
    // A word in very many items' top words says little and would cost much.
    let max_posting = (vectors.len() / 50).max(500);
    (0..vectors.len())
        .into_par_iter()
        .map(|i| {
            if routine[i] || vectors[i].is_empty() {
                return Vec::new();
            }
            SCRATCH.with(|cell| {
                let (acc, touched) = &mut *cell.borrow_mut();
                if acc.len() < vectors.len() {
                    acc.resize(vectors.len(), 0.0);
                }
                for &(t, w) in &vectors[i] {
                    let list = &postings[t as usize];
                    if list.len() > max_posting {
                        continue;
                    }
                    for &(j, wj) in list {
                        let j = j as usize;
                        if keys[j].meeting == keys[i].meeting {
                            continue;
                        }
                        if acc[j] == 0.0 {
                            touched.push(j as u32);
                        }
                        acc[j] += w * wj;
                    }
                }
                let mut best: Vec<(usize, f32)> = touched
                    .iter()
                    .map(|&j| (j as usize, acc[j as usize]))
                    .filter(|&(_, s)| s >= SIMILAR_MIN)
                    .collect();
                for &j in touched.iter() {
                    acc[j as usize] = 0.0;
                }
                touched.clear();
                best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                best.truncate(NEIGHBOURS);
                best
            })
        })
        .collect()
}
