//! Protokol: a static site generator for public archives of meeting minutes.
pub mod import;
