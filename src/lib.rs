//! Protokol: a static site generator for public archives of meeting minutes.
//!
//! The pipeline runs one way: [`content`] reads and checks the files, [`model`]
//! builds the archive (meetings, items, bodies, topics, addresses), [`render`]
//! turns it into pages, and [`output`] writes them beside the previous site
//! and swaps them in when everything succeeded.

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod import;
pub mod import_cli;
pub mod incremental;
pub mod init;
pub mod leak;
pub mod links;
pub mod markdown;
pub mod model;
pub mod nesting;
pub mod output;
pub mod paths;
pub mod published;
pub mod render;
pub mod routes;
pub mod search;
pub mod serve;
pub mod slug;
pub mod synthetic;
pub mod timing;
pub mod toml_file;
