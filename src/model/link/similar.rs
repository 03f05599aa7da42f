//! Textual similarity: TF-IDF over stemmed words, the title weighted up, each
//! item reduced to its most telling words; neighbours found through an
//! inverted index of those words, so the work grows with the archive, not
//! with its square.

use super::text;
use super::ItemKey;
use crate::content::ItemSource;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cell::RefCell;

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

thread_local! {
    /// Each word's weight in the item being counted, kept from item to item.
    static COUNTS: RefCell<FxHashMap<u64, f32>> = RefCell::new(FxHashMap::default());
}

/// The weighted word counts of an item, in no particular order: nothing
/// made of them depends on it (document frequencies are sums, and a vector
/// keeps its words in an order of its own), so they are added up in a table
/// rather than sorted.
fn counts(src: &ItemSource) -> Vec<(u64, f32)> {
    COUNTS.with(|cell| {
        let terms = &mut *cell.borrow_mut();
        terms.clear();
        let texts = [
            (src.title.as_str(), TITLE_WEIGHT),
            (src.intro.as_str(), 1.0),
        ]
        .into_iter()
        .chain(src.sections.iter().map(|s| (s.markdown.as_str(), 1.0)));
        for (text, w) in texts {
            text::for_each_term_id(text, |t| *terms.entry(t).or_default() += w);
        }
        terms.iter().map(|(&t, &w)| (t, w)).collect()
    })
}

/// The TF-IDF vector of every item; routine items get an empty one.
pub fn vectors(sources: &[&ItemSource], routine: &[bool]) -> Vec<Vector> {
    let counted: Vec<Vec<(u64, f32)>> = (0..sources.len())
        .into_par_iter()
        .map(|i| {
            if routine[i] {
                Vec::new()
            } else {
                counts(sources[i])
            }
        })
        .collect();
    // Document frequencies, counted per thread and merged. The term ids are
    // hashes already: the cheap hasher is enough (and no order below depends
    // on it).
    let df: FxHashMap<u64, u32> = counted
        .par_iter()
        .fold(FxHashMap::default, |mut df: FxHashMap<u64, u32>, c| {
            for (t, _) in c {
                *df.entry(*t).or_default() += 1;
            }
            df
        })
        .reduce(FxHashMap::default, |mut a, b| {
            let (mut big, small) = if a.len() >= b.len() {
                (a, b)
            } else {
                (b, std::mem::take(&mut a))
            };
            for (t, c) in small {
                *big.entry(t).or_default() += c;
            }
            big
        });
    let n = routine.iter().filter(|r| !**r).count().max(1) as f32;
    // Only words that two items share can make them similar; dense ids in
    // the order of the term ids, so the result never depends on hashing.
    let mut shared: Vec<(u64, u32)> = df.into_iter().filter(|(_, c)| *c >= 2).collect();
    shared.sort_unstable();
    let ids: FxHashMap<u64, (u32, f32)> = shared
        .iter()
        .enumerate()
        .map(|(id, (t, c))| (*t, (id as u32, (n / *c as f32).ln())))
        .collect();

    counted
        .into_par_iter()
        .map(|c| {
            let mut v: Vec<(u32, f32)> = c
                .into_iter()
                .filter_map(|(t, tf)| {
                    let &(id, idf) = ids.get(&t)?;
                    let w = (1.0 + tf.ln()) * idf;
                    (w > 0.0).then_some((id, w))
                })
                .collect();
            keep_best(&mut v, TOP_TERMS, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
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

/// Keeps the first `n` of `v` in the order of `order`, sorted. `order` is
/// total (it ends on a unique id), so this is the same as sorting all of `v`
/// and cutting it; but an item touches thousands of others and has hundreds
/// of words, of which only some are kept, and selecting them first costs a
/// fraction of a sort.
fn keep_best<T>(v: &mut Vec<T>, n: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if v.len() > n {
        v.select_nth_unstable_by(n, &order);
        v.truncate(n);
    }
    v.sort_unstable_by(order);
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
                keep_best(&mut best, NEIGHBOURS, |a, b| {
                    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
                });
                // The candidates were many more than the neighbours kept:
                // without the room they took, every item would hold it
                // until the ranking (at 10,000 meetings some hundreds of
                // megabytes).
                best.shrink_to_fit();
                best
            })
        })
        .collect()
}
