//! A subscribable iCalendar file (RFC 5545) per body, `das-social/moeder.ics`,
//! with every public meeting, past and announced. An agenda and the minutes
//! of the same day are one event: its UID depends only on the body and the
//! date, so a calendar that subscribed to the agenda keeps the event when
//! the minutes replace it. DTSTAMP comes from the meeting date, never the
//! clock; times are Europe/Copenhagen with a VTIMEZONE, or whole days.

use super::labels;
use super::pages::{Address, Urls};
use super::theme::Strings;
use super::{when, Page};
use crate::content::Kind;
use crate::model::{Archive, Entry, Meeting};
use crate::routes;
use chrono::Duration;
use std::collections::BTreeMap;

/// `das-social/moeder.ics`.
pub fn path(archive: &Archive, body: usize) -> String {
    routes::calendar(&archive.bodies[body].slug)
}

/// The calendar of every body.
pub fn all(archive: &Archive, strings: &Strings) -> Vec<Page> {
    (0..archive.bodies.len())
        .map(|b| Page {
            path: path(archive, b),
            bytes: calendar(archive, strings, b).into_bytes(),
        })
        .collect()
}

/// The rules of Copenhagen's time since 1996: CET in winter, CEST from the
/// last Sunday of March to the last Sunday of October.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Copenhagen",
    "X-LIC-LOCATION:Europe/Copenhagen",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// The body's calendar as iCalendar text: CRLF line ends, lines folded at 75
/// octets, text values escaped.
pub fn calendar(archive: &Archive, strings: &Strings, body: usize) -> String {
    let b = &archive.bodies[body];
    let host = archive.site.base.host();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Protokol//Protokol//DA".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!(
            "X-WR-CALNAME:{}",
            text(&strings.get("calendar_name").replace("{body}", &b.name))
        ),
        format!("X-WR-TIMEZONE:{}", when::TZID),
        format!("URL:{}", archive.permalink(&b.page())),
    ];
    lines.extend(VTIMEZONE.iter().map(|l| l.to_string()));

    // One event per day the body met; the minutes stand for the agenda.
    let mut days: BTreeMap<chrono::NaiveDate, &Meeting> = BTreeMap::new();
    for m in b.meetings.iter().rev().map(|&i| &archive.meetings[i]) {
        match days.get(&m.date) {
            Some(existing) if existing.kind == Kind::Referat => {}
            _ => {
                days.insert(m.date, m);
            }
        }
    }
    for (date, m) in days {
        let url = archive.permalink(&m.page());
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}-{}@{host}", b.slug, date.format("%Y%m%d")));
        lines.push(format!("DTSTAMP:{}T000000Z", date.format("%Y%m%d")));
        match (
            m.facts.start.as_deref().and_then(when::parse_time),
            m.facts.end.as_deref().and_then(when::parse_time),
        ) {
            (Some(start), end) => {
                lines.push(format!(
                    "DTSTART;TZID={}:{}T{}",
                    when::TZID,
                    date.format("%Y%m%d"),
                    start.format("%H%M%S")
                ));
                if let Some(end) = end.filter(|e| *e > start) {
                    lines.push(format!(
                        "DTEND;TZID={}:{}T{}",
                        when::TZID,
                        date.format("%Y%m%d"),
                        end.format("%H%M%S")
                    ));
                }
            }
            (None, _) => {
                lines.push(format!("DTSTART;VALUE=DATE:{}", date.format("%Y%m%d")));
                lines.push(format!(
                    "DTEND;VALUE=DATE:{}",
                    (date + Duration::days(1)).format("%Y%m%d")
                ));
            }
        }
        let summary = m
            .title
            .clone()
            .unwrap_or_else(|| strings.get("calendar_event").replace("{body}", &b.name));
        lines.push(format!("SUMMARY:{}", text(&summary)));
        if let Some(location) = &m.facts.location {
            lines.push(format!("LOCATION:{}", text(location)));
        }
        let mut description = labels::meeting_title(archive, strings, m);
        description.push('\n');
        for item in m.entries.iter().filter_map(Entry::item) {
            description.push_str(&format!("\n{}. {}", item.number, item.title));
        }
        description.push_str(&format!("\n\n{url}"));
        lines.push(format!("DESCRIPTION:{}", text(&description)));
        lines.push(format!("URL:{url}"));
        lines.push("STATUS:CONFIRMED".into());
        lines.push("TRANSP:OPAQUE".into());
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());

    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes a content line folded so that no line is longer than 75 octets,
/// never splitting a UTF-8 character, each line ending in CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("DESCRIPTION:{}", "æøå".repeat(40));
        fold(&line, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{line}\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
