//! `sitemap.xml` (sitemaps.org 0.9) of every page of the site, and a
//! `robots.txt` that points at it. Above 50,000 pages, the limit of one
//! sitemap file, `sitemap.xml` becomes an index of `sitemap-1.xml` ….

use super::labels::escape_xml;
use super::Page;
use crate::model::Archive;
use std::collections::HashMap;

/// The most addresses one sitemap file may hold.
pub const MAX_URLS: usize = 50_000;

/// The sitemap files and `robots.txt` for the HTML pages among `pages`.
pub fn all(archive: &Archive, pages: &[Page]) -> Vec<Page> {
    let dates: HashMap<&str, String> = archive
        .meetings
        .iter()
        .map(|m| (m.path.as_str(), m.date.format("%Y-%m-%d").to_string()))
        .collect();
    let mut urls: Vec<(String, Option<&String>)> = pages
        .iter()
        .filter_map(|p| p.path.strip_suffix("index.html"))
        .map(|dir| {
            // A meeting's page and the pages of its items change with it.
            let meeting = dir
                .match_indices('/')
                .nth(1)
                .map_or(dir, |(i, _)| &dir[..=i]);
            (archive.permalink(dir), dates.get(meeting))
        })
        .collect();
    urls.sort();

    let mut out = Vec::new();
    let chunks: Vec<_> = urls.chunks(MAX_URLS).collect();
    if chunks.len() <= 1 {
        out.push(Page {
            path: "sitemap.xml".into(),
            bytes: urlset(chunks.first().copied().unwrap_or(&[])).into_bytes(),
        });
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (i, chunk) in chunks.iter().enumerate() {
            let path = format!("sitemap-{}.xml", i + 1);
            index.push_str(&format!(
                "<sitemap><loc>{}</loc></sitemap>\n",
                escape_xml(&archive.permalink(&path))
            ));
            out.push(Page {
                path,
                bytes: urlset(chunk).into_bytes(),
            });
        }
        index.push_str("</sitemapindex>\n");
        out.push(Page {
            path: "sitemap.xml".into(),
            bytes: index.into_bytes(),
        });
    }
    out.push(Page {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            archive.permalink("sitemap.xml")
        )
        .into_bytes(),
    });
    out
}

fn urlset(urls: &[(String, Option<&String>)]) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in urls {
        x.push_str("<url><loc>");
        x.push_str(&escape_xml(loc));
        x.push_str("</loc>");
        if let Some(date) = lastmod {
            x.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}
