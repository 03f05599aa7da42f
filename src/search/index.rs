//! The search index in the format of Pagefind 1.6, written by Protokol for
//! Pagefind's browser runtime (`pagefind.js` and its WebAssembly, shipped
//! unchanged in `runtime/`).
//!
//! Pagefind's indexer is a command and a library that reads HTML pages one
//! at a time behind a lock; at archive scale it is most of a build. The
//! format itself is small and fixed per release, so it is written here, from
//! records that the build makes in parallel anyway:
//!
//! - `pagefind-entry.json`: the version, and per language the hash of the
//!   meta file, the WebAssembly to load and the page count;
//! - `pagefind.<hash>.pf_meta`: every page (its key, word count and the
//!   fragment file that holds it), the word index chunks with the first and
//!   last word of each, the filter files and the names of the meta fields;
//! - `index/<hash>.pf_index`: the words of a range, each with its pages and
//!   the positions and weights of the word on each page (and of the word in
//!   the page's meta fields), page numbers and positions delta-coded, and
//!   the forms with diacritics as variants;
//! - `filter/<hash>.pf_filter`: per filter, each value with its pages;
//! - `fragment/<hash>.pf_fragment`: what a result shows (address, text,
//!   meta, filters, anchors), several pages to a file.
//!
//! The meta, index and filter files are CBOR (arrays of fields in order);
//! every file but the entry is gzip-compressed with `pagefind_dcd` before
//! the content, which the runtime checks. Words, weights, positions, word
//! counts and chunking follow Pagefind's indexer (`digest` and `words`), so
//! a query finds and ranks the same pages; `tests/browser/same-search.mjs`
//! compares both indexes query by query. Three things differ on purpose: a
//! page is keyed by its number in base 36 instead of a hash of its fragment
//! (the runtime needs only a unique key; the page table is most of what the
//! search page downloads first); fragments are grouped into files of
//! several consecutive pages (Pagefind's own `max_fragments` layout), so
//! that a large archive stays within the file limits of static hosts; and
//! a fragment file is named by six base-36 characters of its hash, without
//! the language, as the page table repeats the name for each of its pages.
//!
//! Every compressed file is named by the hash of its content, known before
//! it is compressed: a file the output already has of the same content, as
//! this program made it, is not compressed again (see [`Keep`]).

use super::digest::Digest;
use crate::search::words::Words;
use minicbor::Encoder;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use sha1::{Digest as _, Sha1};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The Pagefind release whose format is written and whose runtime is shipped.
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// Word index chunks close once they hold this many positions (Pagefind's
/// default).
pub const CHUNK_SIZE: usize = 20_000;

/// At most this many fragment files: larger archives put more consecutive
/// pages into one file.
pub const MAX_FRAGMENT_FILES: usize = 20_000;

/// At least this many consecutive pages (mostly items of one meeting) share
/// a fragment file. One file per item made the fragments a third of all the
/// files of a site, and creating a file costs more than the few kilobytes a
/// result fetches in addition.
pub const MIN_FRAGMENT_GROUP: usize = 4;

/// One page of the index: a search record as the runtime shows it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub url: String,
    pub digest: Digest,
    pub meta: BTreeMap<String, String>,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// One file of the index, below the index folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
    /// For a compressed file, the first 64 bits of the SHA-1 hash of what
    /// it compresses.
    pub source: Option<u64>,
    /// Not made, as the output keeps the file it has made of the same
    /// source (see [`Keep`]): `bytes` is empty.
    pub kept: bool,
}

impl File {
    pub fn plain(name: String, bytes: Vec<u8>) -> File {
        File {
            name,
            bytes,
            source: None,
            kept: false,
        }
    }

    /// The file `name` of `content` compressed at `level`, unless `keep`
    /// says the output keeps the one it has of this content (`hash`, its
    /// SHA-1 hash): compressing was over a quarter of the index's CPU time
    /// in a build that changed nothing.
    fn compressed(name: String, content: &[u8], hash: &[u8], level: i32, keep: Keep) -> File {
        let source = first_64(hash);
        let kept = keep(&name, source);
        let source = Some(source);
        let bytes = if kept {
            Vec::new()
        } else {
            compress(content, level)
        };
        File {
            name,
            bytes,
            source,
            kept,
        }
    }
}

/// Asked before a compressed file is made, with its name and the first 64
/// bits of the SHA-1 hash of its content: whether the output keeps the file
/// it already has of that content, as this program made it.
pub type Keep<'a> = &'a (dyn Fn(&str, u64) -> bool + Sync);

/// The first 64 bits of a hash.
fn first_64(hash: &[u8]) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    u64::from_be_bytes(first)
}

/// A SHA-1 hash written as Pagefind writes it: each byte in hexadecimal
/// without leading zero.
fn hex(hash: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(40);
    for b in hash {
        let _ = write!(out, "{b:x}");
    }
    out
}

/// The compression level of the fragments, which are most of the bytes to
/// compress: libdeflate's level 2 makes groups of fragments within 2% of
/// zlib's level 6, in half the time (level 1 is a tenth faster again, but
/// 8% larger on groups of several pages, which every result downloads).
pub const FRAGMENT_LEVEL: i32 = 2;

/// The compression level of the word index chunks and the other files:
/// level 5 is within 1% of level 6 in size, in two thirds of the time.
pub const INDEX_LEVEL: i32 = 5;

/// A thread's compressors by level, and a buffer for the content with its
/// signature.
type Deflate = (Vec<(i32, libdeflater::Compressor)>, Vec<u8>);

/// The compression level of the meta file, which every search downloads
/// first and which grows with the number of pages: a high one (at 10,000
/// meetings 6% smaller than level 5, for about half a second).
pub const META_LEVEL: i32 = 10;

thread_local! {
    /// Each thread's compressors, made once, not for each file.
    static DEFLATE: std::cell::RefCell<Deflate> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// gzip of `pagefind_dcd` and `bytes`, as the runtime reads them, at
/// `level` (1 to 12).
pub fn compress(bytes: &[u8], level: i32) -> Vec<u8> {
    const SIGNATURE: &[u8] = b"pagefind_dcd";
    DEFLATE.with(|state| {
        let (compressors, input) = &mut *state.borrow_mut();
        let at = match compressors.iter().position(|c| c.0 == level) {
            Some(at) => at,
            None => {
                let lvl = libdeflater::CompressionLvl::new(level)
                    .unwrap_or_else(|_| libdeflater::CompressionLvl::default());
                compressors.push((level, libdeflater::Compressor::new(lvl)));
                compressors.len() - 1
            }
        };
        let compressor = &mut compressors[at].1;
        input.clear();
        input.extend_from_slice(SIGNATURE);
        input.extend_from_slice(bytes);
        let mut out = vec![0; compressor.gzip_compress_bound(input.len())];
        // The bound is enough for any input, so this cannot fail.
        let len = compressor.gzip_compress(input, &mut out).unwrap_or(0);
        out.truncate(len);
        if input.capacity() > 1 << 22 {
            *input = Vec::new();
        }
        out
    })
}

/// A short, unique name from a hash: `<language>_` and seven characters,
/// longer while it is taken.
fn short_name(language: &str, hash: &str, taken: &mut rustc_hash::FxHashSet<String>) -> String {
    let full = format!("{language}_{hash}");
    let mut len = language.len() + 8;
    while taken.contains(&full[..len.min(full.len())]) && len < full.len() {
        len += 2;
    }
    let name = full[..len.min(full.len())].to_string();
    taken.insert(name.clone());
    name
}

/// The name of a fragment file, which the page table repeats for each of
/// its pages: six base-36 characters of the hash of its content (longer
/// while a name is taken), without the language (the index has one).
fn fragment_name(full: &str, taken: &mut rustc_hash::FxHashSet<String>) -> String {
    let mut len = 6.min(full.len());
    while taken.contains(&full[..len]) && len < full.len() {
        len += 1;
    }
    let mut name = full[..len].to_string();
    let mut n = 0;
    while taken.contains(&name) {
        n += 1;
        name = format!("{}{n}", &full[..len]);
    }
    taken.insert(name.clone());
    name
}

/// The base-36 key of page `n`.
fn page_key(mut n: usize) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Pagefind's coding of the positions of a word on a page: sorted by weight
/// then position, a negative number `-(weight + 1)` before the absolute
/// position where the weight changes, otherwise the distance to the
/// previous position. Weight 25 is the one assumed at the start.
#[cfg(test)]
fn code_body(mut hits: Vec<(u32, u8)>) -> Vec<i32> {
    hits.sort_by_key(|&(pos, w)| (body_order(w), pos));
    let mut out = Vec::new();
    code_sorted_body(hits.into_iter(), &mut out);
    out
}

/// Where a weight sorts among a word's positions: 25, the weight assumed
/// at the start, first.
fn body_order(w: u8) -> u8 {
    if w == 25 {
        0
    } else {
        w
    }
}

/// [`code_body`] of positions sorted already, appended to `out`.
fn code_sorted_body(hits: impl Iterator<Item = (u32, u8)>, out: &mut Vec<i32>) {
    let (mut weight, mut last) = (25u8, 0u32);
    for (pos, w) in hits {
        if w != weight {
            out.push(-(w as i32) - 1);
            out.push(pos as i32);
            weight = w;
        } else {
            out.push((pos - last) as i32);
        }
        last = pos;
    }
}

/// The positions of a word in the meta fields: `-(field + 1)` before each
/// field's positions, which are distances from the previous one.
#[cfg(test)]
fn code_meta(mut hits: Vec<(u16, u32)>) -> Vec<i32> {
    hits.sort_unstable();
    let mut out = Vec::new();
    code_sorted_meta(hits.into_iter(), &mut out);
    out
}

/// [`code_meta`] of positions sorted already, appended to `out`.
fn code_sorted_meta(hits: impl Iterator<Item = (u16, u32)>, out: &mut Vec<i32>) {
    let mut field = None;
    let mut last = 0;
    for (f, pos) in hits {
        if field != Some(f) {
            out.push(-(f as i32) - 1);
            field = Some(f);
            last = 0;
        }
        out.push((pos - last) as i32);
        last = pos;
    }
}

/// A word's pages as they are written, page numbers delta-coded.
#[derive(Default)]
struct Postings {
    cbor: Vec<u8>,
    pages: u64,
    last: usize,
    /// Its share of a chunk's size: positions plus one per page.
    size: usize,
}

/// The head of a CBOR item: its major type and its argument, in the
/// shortest form (as minicbor writes it).
fn cbor_head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n <= u8::MAX as u64 {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n <= u16::MAX as u64 {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n <= u32::MAX as u64 {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// A CBOR integer.
fn cbor_int(out: &mut Vec<u8>, v: i32) {
    if v >= 0 {
        cbor_head(out, 0, v as u64);
    } else {
        cbor_head(out, 1, (-1 - v as i64) as u64);
    }
}

/// A CBOR array of integers.
fn cbor_ints(out: &mut Vec<u8>, values: &[i32]) {
    cbor_head(out, 4, values.len() as u64);
    for &v in values {
        cbor_int(out, v);
    }
}

impl Postings {
    /// Adds a page whose positions are coded already (`coded`: the arrays
    /// of the text's and the meta fields' positions, `count` of them).
    fn push(&mut self, page: usize, coded: &[u8], count: usize) {
        // Held until the word index is written: grown by a quarter of its
        // length (or what the page needs, when more), not doubled, so that
        // a long list keeps a quarter of room unused at most (at 10,000
        // meetings doubling held 246 MB for 184 MB of positions). The bytes
        // are copied a few times more.
        let needed = 1 + 9 + coded.len();
        if self.cbor.capacity() - self.cbor.len() < needed {
            self.cbor
                .reserve_exact(needed.max(self.cbor.len() / 4).max(16));
        }
        self.cbor.push(0x83);
        cbor_head(&mut self.cbor, 0, (page - self.last) as u64);
        self.cbor.extend_from_slice(coded);
        self.last = page;
        self.pages += 1;
        self.size += count + 1;
    }
}

#[derive(Default)]
struct WordPostings {
    plain: Postings,
    variants: Vec<(Arc<str>, Postings)>,
}

impl WordPostings {
    fn size(&self) -> usize {
        self.plain.size
            + self.variants.iter().map(|v| v.1.size).sum::<usize>()
            + self.variants.len()
    }
}

/// The coded postings of one page's words, in the order of the shards of
/// the word index: per word its plain entry (when the plain form occurs)
/// and its variants' entries, variants seen in the text before those seen
/// only in the meta fields, each group in the order of the forms.
#[derive(Default)]
struct Coded {
    /// The entries' positions as CBOR, one after the other.
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    /// Where each shard's entries start, and the end.
    shards: [u32; SHARDS + 1],
}

struct Entry {
    stem: Arc<str>,
    /// The form with diacritics, for a variant's entry.
    variant: Option<Arc<str>>,
    /// Its bytes in `Coded::bytes`.
    start: u32,
    end: u32,
    /// How many positions it has.
    count: u32,
}

/// One entry of a page while its words are read: a word's plain form or
/// one of its variants.
struct Slot {
    stem: Arc<str>,
    variant: Option<Arc<str>>,
    shard: u8,
    /// The order in which the page's words first occur.
    word: u32,
    in_text: bool,
}

/// What a thread reuses from page to page while it codes them: the
/// entries found so far, keyed by where their strings are (the strings of
/// a thread's words are interned, see `Words`), and the page's hits, each
/// a tuple that sorts by entry, then as Pagefind orders positions.
#[derive(Default)]
struct Scratch {
    slots: Vec<Slot>,
    by_form: FxHashMap<(usize, usize), u32>,
    by_stem: FxHashMap<usize, u32>,
    /// Per hit of the text: slot, then weight's order, then position.
    body: Vec<(u32, u8, u32, u8)>,
    /// Per hit of the meta fields: slot, field, position.
    meta: Vec<(u32, u16, u32)>,
    order: Vec<u32>,
    rank: Vec<u32>,
    values: Vec<i32>,
    /// Where each entry's hits start, while they are put in order.
    starts: Vec<u32>,
    sorted_body: Vec<(u32, u8, u32, u8)>,
    sorted_meta: Vec<(u32, u16, u32)>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Scratch {
    fn slot(&mut self, form: &crate::search::words::Indexed) -> u32 {
        let stem_key = Arc::as_ptr(&form.stem) as *const u8 as usize;
        let form_key = form
            .original
            .as_ref()
            .map_or(0, |o| Arc::as_ptr(o) as *const u8 as usize);
        if let Some(&at) = self.by_form.get(&(stem_key, form_key)) {
            return at;
        }
        let words = self.by_stem.len() as u32;
        let word = *self.by_stem.entry(stem_key).or_insert(words);
        let at = self.slots.len() as u32;
        self.slots.push(Slot {
            stem: form.stem.clone(),
            variant: form.original.clone(),
            shard: shard(&form.stem) as u8,
            word,
            in_text: false,
        });
        self.by_form.insert((stem_key, form_key), at);
        at
    }
}

/// A hit of a page's words: its entry first, then what orders the hits
/// of one entry.
trait Hit: Copy + Ord {
    fn entry(&self) -> u32;
}

impl Hit for (u32, u8, u32, u8) {
    fn entry(&self) -> u32 {
        self.0
    }
}

impl Hit for (u32, u16, u32) {
    fn entry(&self) -> u32 {
        self.0
    }
}

/// Sorts `hits` as `sort_unstable` would, in linear time where it can: the
/// hits are counted into their entries' places (`entries` of them) in the
/// order they came, which is the order of their positions, and an entry's
/// hits are sorted only when they are not in order already (a word that
/// stands with other weights or in several meta fields). A page has a few
/// hundred hits: sorting them all was a tenth of the index's time.
fn sort_by_entry<H: Hit>(
    hits: &mut Vec<H>,
    into: &mut Vec<H>,
    starts: &mut Vec<u32>,
    entries: usize,
) {
    let Some(&first) = hits.first() else {
        return;
    };
    starts.clear();
    starts.resize(entries + 1, 0);
    for h in hits.iter() {
        starts[h.entry() as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    into.clear();
    into.resize(hits.len(), first);
    for &h in hits.iter() {
        let at = &mut starts[h.entry() as usize];
        into[*at as usize] = h;
        *at += 1;
    }
    // Each entry's place now ends where its hits end.
    let mut from = 0;
    for &end in &starts[..entries] {
        let group = &mut into[from..end as usize];
        if !group.is_sorted() {
            group.sort_unstable();
        }
        from = end as usize;
    }
    std::mem::swap(hits, into);
}

/// The words of one page, coded: every hit read into one list, sorted once
/// by entry, weight and position, and coded entry by entry.
fn code_page(doc: &Doc, meta_fields: &[String], words: &mut Words) -> Coded {
    SCRATCH.with(|scratch| {
        let sc = &mut *scratch.borrow_mut();
        sc.slots.clear();
        sc.by_form.clear();
        sc.by_stem.clear();
        sc.body.clear();
        sc.meta.clear();
        for (position, (raw, weight)) in doc.digest.words().enumerate() {
            let forms = words.body(raw);
            let parts = forms.iter().filter(|f| f.part).count();
            let part_weight = if parts > 0 && weight > 0 {
                (weight / parts.min(255) as u8).max(1)
            } else {
                0
            };
            for form in forms {
                let w = if form.part { part_weight } else { weight };
                let slot = sc.slot(form);
                sc.slots[slot as usize].in_text = true;
                sc.body.push((slot, body_order(w), position as u32, w));
            }
        }
        for (field, value) in &doc.meta {
            let Some(id) = meta_fields.iter().position(|f| f == field) else {
                continue;
            };
            for (position, raw) in value.split_whitespace().enumerate() {
                for form in words.meta(raw) {
                    let slot = sc.slot(form);
                    sc.meta.push((slot, id as u16, position as u32));
                }
            }
        }
        // The entries in the order they are written: by shard, then by the
        // word's first occurrence; a word's plain form first, then its
        // variants of the text, then those of the meta fields only.
        let slots = &sc.slots;
        // Sorted by a number made of shard, word and group; then the few
        // runs of the same number (variants of one word) by their text.
        let key = |s: &Slot| {
            let group = match s.variant {
                None => 0,
                Some(_) if s.in_text => 1,
                Some(_) => 2,
            };
            (u64::from(s.shard) << 56) | (u64::from(s.word) << 2) | group
        };
        sc.order.clear();
        sc.order.extend(0..slots.len() as u32);
        sc.order.sort_unstable_by_key(|&a| key(&slots[a as usize]));
        let mut from = 0;
        while from < sc.order.len() {
            let k = key(&slots[sc.order[from] as usize]);
            let to = from
                + sc.order[from..]
                    .iter()
                    .take_while(|&&o| key(&slots[o as usize]) == k)
                    .count();
            if to - from > 1 {
                sc.order[from..to].sort_unstable_by(|&a, &b| {
                    slots[a as usize].variant.cmp(&slots[b as usize].variant)
                });
            }
            from = to;
        }
        sc.rank.clear();
        sc.rank.resize(slots.len(), 0);
        for (rank, &slot) in sc.order.iter().enumerate() {
            sc.rank[slot as usize] = rank as u32;
        }
        let rank = &sc.rank;
        for hit in sc.body.iter_mut() {
            hit.0 = rank[hit.0 as usize];
        }
        for hit in sc.meta.iter_mut() {
            hit.0 = rank[hit.0 as usize];
        }
        sort_by_entry(
            &mut sc.body,
            &mut sc.sorted_body,
            &mut sc.starts,
            slots.len(),
        );
        sort_by_entry(
            &mut sc.meta,
            &mut sc.sorted_meta,
            &mut sc.starts,
            slots.len(),
        );

        let mut coded = Coded {
            bytes: Vec::with_capacity(sc.body.len() * 2 + 16),
            entries: Vec::with_capacity(slots.len()),
            ..Coded::default()
        };
        let (mut b, mut m) = (0, 0);
        let mut next_shard = 0;
        for (rank, &slot) in sc.order.iter().enumerate() {
            let slot = &slots[slot as usize];
            let s = slot.shard as usize;
            while next_shard <= s {
                coded.shards[next_shard] = coded.entries.len() as u32;
                next_shard += 1;
            }
            let rank = rank as u32;
            let b_end = b + sc.body[b..].partition_point(|h| h.0 == rank);
            let m_end = m + sc.meta[m..].partition_point(|h| h.0 == rank);
            let start = coded.bytes.len() as u32;
            sc.values.clear();
            code_sorted_body(sc.body[b..b_end].iter().map(|h| (h.2, h.3)), &mut sc.values);
            cbor_ints(&mut coded.bytes, &sc.values);
            let mut count = sc.values.len();
            sc.values.clear();
            code_sorted_meta(sc.meta[m..m_end].iter().map(|h| (h.1, h.2)), &mut sc.values);
            cbor_ints(&mut coded.bytes, &sc.values);
            count += sc.values.len();
            coded.entries.push(Entry {
                stem: slot.stem.clone(),
                variant: slot.variant.clone(),
                start,
                end: coded.bytes.len() as u32,
                count: count as u32,
            });
            (b, m) = (b_end, m_end);
        }
        while next_shard <= SHARDS {
            coded.shards[next_shard] = coded.entries.len() as u32;
            next_shard += 1;
        }
        coded
    })
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: &'a BTreeMap<String, Vec<String>>,
    meta: &'a BTreeMap<String, String>,
    anchors: &'a [super::digest::Anchor],
}

/// Builds the index from pages that come in batches, in order, and hands
/// every file to `emit` (fragments as their batch is done, the rest at the
/// end). `meta_fields` are the names of all meta fields that occur, sorted.
pub struct Writer {
    language: String,
    meta_fields: Vec<String>,
    group_size: usize,
    /// The word index so far, in shards by the hash of the word.
    words: Vec<FxHashMap<Arc<str>, WordPostings>>,
    filters: BTreeMap<String, BTreeMap<String, Vec<u64>>>,
    /// Per page: word count and group name.
    pages: Vec<(u32, String)>,
    /// Pages of a group not yet written.
    pending: Vec<(String, u32)>,
    taken: rustc_hash::FxHashSet<String>,
    fragment_names: rustc_hash::FxHashSet<String>,
    /// Seconds spent coding pages, merging them, compressing fragments.
    pub times: (f64, f64, f64),
}

impl Writer {
    /// A writer for about `expected_pages` pages (which sets how many go
    /// into one fragment file).
    pub fn new(language: &str, meta_fields: Vec<String>, expected_pages: usize) -> Self {
        Writer {
            language: language.to_string(),
            meta_fields,
            group_size: expected_pages
                .div_ceil(MAX_FRAGMENT_FILES)
                .max(MIN_FRAGMENT_GROUP),
            words: (0..SHARDS).map(|_| FxHashMap::default()).collect(),
            filters: BTreeMap::new(),
            pages: Vec::new(),
            pending: Vec::new(),
            taken: Default::default(),
            fragment_names: Default::default(),
            times: (0.0, 0.0, 0.0),
        }
    }

    /// Adds a batch of pages (in parallel) and returns the fragment files
    /// that are complete, those the output keeps not made (see [`Keep`]).
    pub fn add(&mut self, docs: Vec<Doc>, keep: Keep) -> Vec<File> {
        let clock = std::time::Instant::now();
        let meta_fields = &self.meta_fields;
        let language = self.language.as_str();
        let coded: Vec<(Coded, String)> = docs
            .par_iter()
            .map(|doc| {
                let entries = Words::with(language, |words| code_page(doc, meta_fields, words));
                let fragment = Fragment {
                    url: &doc.url,
                    content: &doc.digest.content,
                    word_count: doc.digest.word_count(),
                    filters: &doc.filters,
                    meta: &doc.meta,
                    anchors: &doc.digest.anchors,
                };
                (
                    entries,
                    serde_json::to_string(&fragment).unwrap_or_default(),
                )
            })
            .collect();
        let coding = clock.elapsed().as_secs_f64();
        let mut groups: Vec<Vec<(String, String)>> = Vec::new();
        let mut numbered: Vec<(usize, Coded)> = Vec::with_capacity(coded.len());
        for ((entries, fragment), doc) in coded.into_iter().zip(&docs) {
            // Pagefind leaves out a page without words.
            if entries.entries.is_empty() {
                continue;
            }
            let page = self.pages.len();
            numbered.push((page, entries));
            for (filter, values) in &doc.filters {
                let f = self.filters.entry(filter.clone()).or_default();
                for v in values {
                    f.entry(v.clone()).or_default().push(page as u64);
                }
            }
            self.pages
                .push((doc.digest.word_count() as u32, String::new()));
            self.pending.push((fragment, page as u32));
            if self.pending.len() == self.group_size {
                groups.push(
                    std::mem::take(&mut self.pending)
                        .into_iter()
                        .map(|(f, p)| (page_key(p as usize), f))
                        .collect(),
                );
            }
        }
        // Each shard of the word index takes the words of every page that
        // fall into it, in page order: the shards are merged in parallel.
        self.words
            .par_iter_mut()
            .enumerate()
            .for_each(|(s, words)| {
                for (page, coded) in &numbered {
                    merge(words, *page, coded, s);
                }
            });
        drop(numbered);
        let merging = clock.elapsed().as_secs_f64() - coding;
        let files = self.write_groups(groups, keep);
        self.times.0 += coding;
        self.times.1 += merging;
        self.times.2 += clock.elapsed().as_secs_f64() - coding - merging;
        files
    }

    fn write_groups(&mut self, groups: Vec<Vec<(String, String)>>, keep: Keep) -> Vec<File> {
        let made: Vec<(Vec<String>, String, [u8; 20])> = groups
            .into_par_iter()
            .map(|group| {
                let mut json = String::from("{");
                for (i, (key, fragment)) in group.iter().enumerate() {
                    if i > 0 {
                        json.push(',');
                    }
                    json.push('"');
                    json.push_str(key);
                    json.push_str("\":");
                    json.push_str(fragment);
                }
                json.push('}');
                let keys = group.into_iter().map(|(k, _)| k).collect();
                let hash = Sha1::digest(json.as_bytes()).into();
                (keys, json, hash)
            })
            .collect();
        // Named in order (a name taken makes the next one longer), then
        // compressed in parallel.
        let mut named = Vec::with_capacity(made.len());
        for (keys, json, hash) in made {
            let long = page_key(first_64(&hash) as usize);
            let name = fragment_name(&long, &mut self.fragment_names);
            for key in keys {
                if let Some(n) = usize::from_str_radix(&key, 36)
                    .ok()
                    .and_then(|n| self.pages.get_mut(n))
                {
                    n.1 = name.clone();
                }
            }
            named.push((format!("fragment/{name}.pf_fragment"), json, hash));
        }
        named
            .into_par_iter()
            .map(|(name, json, hash)| {
                File::compressed(name, json.as_bytes(), &hash, FRAGMENT_LEVEL, keep)
            })
            .collect()
    }

    /// The word index, the filters, the meta file and the entry, after the
    /// last batch.
    pub fn finish(mut self, wasm: Option<&str>, keep: Keep) -> Vec<File> {
        if crate::timing::enabled() {
            eprintln!(
                "timing:     search pages coded {:.3} s, merged {:.3} s, fragments {:.3} s",
                self.times.0, self.times.1, self.times.2
            );
        }
        let rest = std::mem::take(&mut self.pending);
        let mut files = if rest.is_empty() {
            Vec::new()
        } else {
            let group = rest
                .into_iter()
                .map(|(f, p)| (page_key(p as usize), f))
                .collect();
            self.write_groups(vec![group], keep)
        };
        let language = self.language.clone();
        if crate::timing::enabled() {
            let (mut len, mut cap, mut n) = (0usize, 0usize, 0usize);
            for (_, w) in self.words.iter().flatten() {
                n += 1;
                for p in std::iter::once(&w.plain).chain(w.variants.iter().map(|v| &v.1)) {
                    len += p.cbor.len();
                    cap += p.cbor.capacity();
                }
            }
            eprintln!(
                "timing:     search word index: {n} words, {} MB of positions ({} MB allocated)",
                len / 1_000_000,
                cap / 1_000_000
            );
        }

        // The word index in chunks of words in sorted order.
        let mut words: Vec<(Arc<str>, WordPostings)> = std::mem::take(&mut self.words)
            .into_iter()
            .flatten()
            .collect();
        words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut chunks: Vec<Vec<(Arc<str>, WordPostings)>> = Vec::new();
        let mut chunk = Vec::new();
        let mut size = 0;
        for w in words {
            size += w.1.size();
            chunk.push(w);
            if size >= CHUNK_SIZE {
                chunks.push(std::mem::take(&mut chunk));
                size = 0;
            }
        }
        if !chunk.is_empty() {
            chunks.push(chunk);
        }
        let ranges = chunk_ranges(&chunks);
        let coded: Vec<([u8; 20], Vec<u8>)> = chunks
            .into_par_iter()
            .map(|chunk| {
                let mut cbor = Vec::new();
                let mut e = Encoder::new(&mut cbor);
                let _ = e.array(1);
                let _ = e.array(chunk.len() as u64);
                for (word, postings) in &chunk {
                    let _ = e.array(3);
                    let _ = e.str(word);
                    let _ = e.array(postings.plain.pages);
                    e.writer_mut().extend_from_slice(&postings.plain.cbor);
                    let _ = e.array(postings.variants.len() as u64);
                    for (form, p) in &postings.variants {
                        let _ = e.array(2);
                        let _ = e.str(form);
                        let _ = e.array(p.pages);
                        e.writer_mut().extend_from_slice(&p.cbor);
                    }
                }
                let hash: [u8; 20] = Sha1::digest(&cbor).into();
                (hash, cbor)
            })
            .collect();
        let mut chunk_names = Vec::with_capacity(coded.len());
        let mut named = Vec::with_capacity(coded.len());
        for (hash, cbor) in coded {
            let name = short_name(&language, &hex(&hash), &mut self.taken);
            named.push((format!("index/{name}.pf_index"), cbor, hash));
            chunk_names.push(name);
        }
        files.par_extend(
            named
                .into_par_iter()
                .map(|(name, cbor, hash)| File::compressed(name, &cbor, &hash, INDEX_LEVEL, keep)),
        );

        // The filters, each with its values in sorted order.
        let mut filter_names = Vec::new();
        let filters = std::mem::take(&mut self.filters);
        for (filter, values) in filters {
            let mut cbor = Vec::new();
            let mut e = Encoder::new(&mut cbor);
            let _ = e.array(2);
            let _ = e.str(&filter);
            let _ = e.array(values.len() as u64);
            for (value, pages) in &values {
                let _ = e.array(2);
                let _ = e.str(value);
                let _ = e.array(pages.len() as u64);
                for &p in pages {
                    let _ = e.u64(p);
                }
            }
            let hash = Sha1::digest(&cbor);
            let name = short_name(&language, &hex(&hash), &mut self.taken);
            let file = format!("filter/{name}.pf_filter");
            files.push(File::compressed(file, &cbor, &hash, INDEX_LEVEL, keep));
            filter_names.push((filter, name));
        }

        // The meta file: pages, chunks, filters, sorts, meta fields.
        let mut cbor = Vec::new();
        let mut e = Encoder::new(&mut cbor);
        let _ = e.array(6);
        let _ = e.str(PAGEFIND_VERSION);
        let _ = e.array(self.pages.len() as u64);
        for (n, (word_count, group)) in self.pages.iter().enumerate() {
            let _ = e.array(3);
            let _ = e.str(&page_key(n));
            let _ = e.u32(*word_count);
            let _ = e.str(group);
        }
        let _ = e.array(ranges.len() as u64);
        for ((from, to), name) in ranges.iter().zip(&chunk_names) {
            let _ = e.array(3);
            let _ = e.str(from);
            let _ = e.str(to);
            let _ = e.str(name);
        }
        let _ = e.array(filter_names.len() as u64);
        for (filter, name) in &filter_names {
            let _ = e.array(2);
            let _ = e.str(filter);
            let _ = e.str(name);
        }
        let _ = e.array(0);
        let _ = e.array(self.meta_fields.len() as u64);
        for f in &self.meta_fields {
            let _ = e.str(f);
        }
        let hash = Sha1::digest(&cbor);
        let meta_hash = format!("{language}_{}", &hex(&hash)[..language.len() + 8]);
        let name = format!("pagefind.{meta_hash}.pf_meta");
        files.push(File::compressed(name, &cbor, &hash, META_LEVEL, keep));
        files.push(File::plain(
            "pagefind-entry.json".into(),
            entry_json(&language, &meta_hash, wasm, self.pages.len()).into_bytes(),
        ));
        files
    }
}

/// Shards of the word index while it is built.
const SHARDS: usize = 16;

fn shard(word: &str) -> usize {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(word.as_bytes());
    h.finish() as usize % SHARDS
}

/// Adds one page's words of shard `s` to the words of that shard.
fn merge(words: &mut FxHashMap<Arc<str>, WordPostings>, page: usize, coded: &Coded, s: usize) {
    let entries = &coded.entries[coded.shards[s] as usize..coded.shards[s + 1] as usize];
    let mut last: Option<(&Arc<str>, &mut WordPostings)> = None;
    for e in entries {
        // A word's entries follow each other: the plain one, then variants.
        let word = match last.take() {
            Some((stem, word)) if Arc::ptr_eq(stem, &e.stem) => word,
            _ => words.entry(e.stem.clone()).or_default(),
        };
        let bytes = &coded.bytes[e.start as usize..e.end as usize];
        match &e.variant {
            None => word.plain.push(page, bytes, e.count as usize),
            Some(form) => {
                let at = match word.variants.iter().position(|v| v.0 == *form) {
                    Some(i) => i,
                    None => {
                        word.variants.push((form.clone(), Postings::default()));
                        word.variants.len() - 1
                    }
                };
                word.variants[at].1.push(page, bytes, e.count as usize);
            }
        }
        last = Some((&e.stem, word));
    }
}

/// The entry file the runtime reads first.
fn entry_json(language: &str, meta_hash: &str, wasm: Option<&str>, pages: usize) -> String {
    #[derive(Serialize)]
    struct Language<'a> {
        hash: &'a str,
        wasm: Option<&'a str>,
        page_count: usize,
    }
    #[derive(Serialize)]
    struct Entry<'a> {
        version: &'a str,
        languages: BTreeMap<&'a str, Language<'a>>,
        include_characters: &'a [char],
    }
    let entry = Entry {
        version: PAGEFIND_VERSION,
        languages: BTreeMap::from([(
            language,
            Language {
                hash: meta_hash,
                wasm,
                page_count: pages,
            },
        )]),
        include_characters: &crate::search::words::WORD_SYMBOLS,
    };
    serde_json::to_string(&entry).unwrap_or_default()
}

/// The first and last word of each chunk, shortened to the shortest
/// prefixes that still tell neighbouring chunks apart.
fn chunk_ranges(chunks: &[Vec<(Arc<str>, WordPostings)>]) -> Vec<(String, String)> {
    let mut ranges: Vec<(String, String)> = chunks
        .iter()
        .map(|c| {
            (
                c.first().map(|w| w.0.to_string()).unwrap_or_default(),
                c.last().map(|w| w.0.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    for i in 1..ranges.len() {
        let (a, b) = (ranges[i - 1].1.clone(), ranges[i].0.clone());
        let common = b.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
        let a_prefix: String = a.chars().take(common + 1).collect();
        let b_prefix: String = b.chars().take(common + 1).collect();
        if a_prefix >= ranges[i - 1].0 {
            ranges[i - 1].1 = a_prefix;
        }
        ranges[i].0 = b_prefix;
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn hits_sorted_by_entry_are_sorted_as_sort_unstable_sorts_them(
            entries in 1usize..12,
            raw in proptest::collection::vec((0u32..12, 0u8..4, 0u32..40, 0u8..4), 0..200),
            meta in proptest::collection::vec((0u32..12, 0u16..3, 0u32..40), 0..100),
        ) {
            let mut hits: Vec<_> = raw.iter().map(|h| (h.0 % entries as u32, h.1, h.2, h.3)).collect();
            let mut expected = hits.clone();
            expected.sort_unstable();
            let (mut into, mut starts) = (Vec::new(), Vec::new());
            sort_by_entry(&mut hits, &mut into, &mut starts, entries);
            proptest::prop_assert_eq!(hits, expected);
            let mut hits: Vec<_> = meta.iter().map(|h| (h.0 % entries as u32, h.1, h.2)).collect();
            let mut expected = hits.clone();
            expected.sort_unstable();
            let mut into = Vec::new();
            sort_by_entry(&mut hits, &mut into, &mut starts, entries);
            proptest::prop_assert_eq!(hits, expected);
        }
    }

    #[test]
    fn hashes_are_written_as_pagefind_writes_them() {
        // Bytes below 16 have one digit.
        let h = hex(&Sha1::digest(b""));
        assert_eq!(h, "da39a3ee5e6b4bd3255bfef95601890afd879");
    }

    #[test]
    fn positions_are_coded_by_weight_then_distance() {
        assert_eq!(
            code_body(vec![(0, 168), (3, 24), (7, 24)]),
            vec![-25, 3, 4, -169, 0]
        );
        assert_eq!(
            code_meta(vec![(3, 2), (0, 0), (0, 5)]),
            vec![-1, 0, 5, -4, 2]
        );
    }

    #[test]
    fn chunk_ranges_are_the_shortest_telling_prefixes() {
        let chunk = |words: &[&str]| -> Vec<(Arc<str>, WordPostings)> {
            words
                .iter()
                .map(|w| (Arc::from(*w), WordPostings::default()))
                .collect()
        };
        let ranges = chunk_ranges(&[
            chunk(&["apple"]),
            chunk(&["apricot", "banana"]),
            chunk(&["peach"]),
        ]);
        assert_eq!(
            ranges,
            vec![
                ("apple".into(), "apple".into()),
                ("apr".into(), "b".into()),
                ("p".into(), "peach".into())
            ]
        );
    }

    #[test]
    fn files_are_gzip_of_the_signature_and_the_content() {
        for bytes in [
            &b""[..],
            b"kort",
            &vec![b'x'; 300_000],
            &(0..=255).cycle().take(100_000).collect::<Vec<u8>>(),
        ] {
            let gz = compress(bytes, INDEX_LEVEL);
            let mut plain = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain)
                .unwrap();
            assert_eq!(&plain[..12], b"pagefind_dcd");
            assert_eq!(&plain[12..], bytes);
            // The state is reused: the same input gives the same bytes.
            assert_eq!(compress(bytes, INDEX_LEVEL), gz);
        }
    }

    #[test]
    fn integers_are_coded_as_minicbor_codes_them() {
        for v in [
            0,
            1,
            23,
            24,
            255,
            256,
            65_535,
            65_536,
            i32::MAX,
            -1,
            -24,
            -25,
            -256,
            -257,
            -65_537,
            i32::MIN,
        ] {
            let mut ours = Vec::new();
            cbor_int(&mut ours, v);
            let mut theirs = Vec::new();
            Encoder::new(&mut theirs).i32(v).unwrap();
            assert_eq!(ours, theirs, "{v}");
        }
        for n in [0u64, 23, 24, 300, 70_000, 5_000_000_000] {
            let mut ours = Vec::new();
            cbor_head(&mut ours, 4, n);
            let mut theirs = Vec::new();
            Encoder::new(&mut theirs).array(n).unwrap();
            assert_eq!(ours, theirs, "{n}");
        }
    }

    #[test]
    fn fragment_names_are_short_and_unique() {
        let mut taken = Default::default();
        assert_eq!(fragment_name("abcdefghij", &mut taken), "abcdef");
        assert_eq!(fragment_name("abcdefghij", &mut taken), "abcdefg");
        assert_eq!(fragment_name("abcdefg", &mut taken), "abcdefg1");
        assert_eq!(fragment_name("abc", &mut taken), "abc");
        // The first 64 bits of a hash in base 36 (what a name is cut from).
        assert_eq!(page_key(first_64(&Sha1::digest(b"")) as usize).len(), 13);
    }

    #[test]
    fn page_keys_count_in_base_36() {
        assert_eq!(page_key(0), "0");
        assert_eq!(page_key(35), "z");
        assert_eq!(page_key(36), "10");
    }
}
