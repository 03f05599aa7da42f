//! `sitemap.xml` (sitemaps.org 0.9) of every page of the site, and a
//! `robots.txt` that points at it. Above 50,000 pages, the limit of one
//! sitemap file, `sitemap.xml` becomes an index of `sitemap-1.xml` ….

use super::labels::escape_xml;
use super::pages::{Address, Urls};
use super::{when, Page};
use crate::model::Archive;
use crate::routes;
use std::collections::HashMap;

/// The most addresses one sitemap file may hold.
pub const MAX_URLS: usize = 50_000;

/// The sitemap files and `robots.txt` for the HTML pages among `pages`.
pub fn all(archive: &Archive, pages: &[Page]) -> Vec<Page> {
    let dates: HashMap<String, String> = archive
        .meetings
        .iter()
        .map(|m| (m.page(), when::iso_date(m.date)))
        .collect();
    let mut urls: Vec<(String, Option<&String>)> = pages
        .iter()
        .filter_map(|p| routes::page_of_file(&p.path))
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
            path: routes::SITEMAP.into(),
            bytes: urlset(chunks.first().copied().unwrap_or(&[])).into_bytes(),
        });
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (i, chunk) in chunks.iter().enumerate() {
            let path = routes::sitemap_part(i + 1);
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
            path: routes::SITEMAP.into(),
            bytes: index.into_bytes(),
        });
    }
    out.push(Page {
        path: routes::ROBOTS.into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            archive.permalink(routes::SITEMAP)
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
