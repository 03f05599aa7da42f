//! Meeting times as the outputs for machines write them: dates and times in
//! Europe/Copenhagen with their UTC offset, taken from the meeting alone so
//! that a build never depends on the clock.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Timelike, Weekday};

/// The time zone all meeting times are in.
pub const TZID: &str = "Europe/Copenhagen";

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or_default();
    let mut day = next_month - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

/// Whether a local time in Copenhagen is summer time (CEST, UTC+2): from the
/// last Sunday of March at 02:00 to the last Sunday of October at 03:00, as
/// throughout the EU since 1996.
pub fn is_summer_time(date: NaiveDate, time: NaiveTime) -> bool {
    let start = last_sunday(date.year(), 3);
    let end = last_sunday(date.year(), 10);
    let two = NaiveTime::from_hms_opt(2, 0, 0).unwrap_or_default();
    let three = NaiveTime::from_hms_opt(3, 0, 0).unwrap_or_default();
    if date < start || date > end {
        false
    } else if date == start {
        time >= two
    } else if date == end {
        time < three
    } else {
        true
    }
}

/// `+01:00` or `+02:00`.
pub fn offset(date: NaiveDate, time: NaiveTime) -> &'static str {
    if is_summer_time(date, time) {
        "+02:00"
    } else {
        "+01:00"
    }
}

/// `"12:00"` as a time of day.
pub fn parse_time(hhmm: &str) -> Option<NaiveTime> {
    // Two digits, a colon and two digits, as nearly every file writes it,
    // without chrono's parser of formats (a feed and a calendar ask for
    // every meeting's times).
    if let [h1, h2, b':', m1, m2] = *hhmm.as_bytes() {
        let digits = [h1, h2, m1, m2];
        if digits.iter().all(u8::is_ascii_digit) {
            let [h1, h2, m1, m2] = digits.map(|d| u32::from(d - b'0'));
            return NaiveTime::from_hms_opt(h1 * 10 + h2, m1 * 10 + m2, 0);
        }
    }
    NaiveTime::parse_from_str(hhmm, "%H:%M").ok()
}

/// `2024-05-27`, as chrono's `%Y-%m-%d` writes it, without its parser of
/// formats (every page, feed entry and data record has a date).
pub fn iso_date(date: NaiveDate) -> String {
    match date.year() {
        0..=9999 => format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// RFC 3339 with the local offset: `2024-05-27T12:00:00+02:00`; midnight when
/// no time is given.
pub fn rfc3339(date: NaiveDate, time: Option<&str>) -> String {
    let time = time.and_then(parse_time).unwrap_or_default();
    format!(
        "{}T{:02}:{:02}:{:02}{}",
        iso_date(date),
        time.hour(),
        time.minute(),
        time.second(),
        offset(date, time)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_and_times_are_written_as_chrono_writes_them() {
        for date in [d(2024, 5, 27), d(1999, 12, 31), d(33, 1, 2), d(2030, 1, 1)] {
            assert_eq!(iso_date(date), date.format("%Y-%m-%d").to_string());
        }
        for hhmm in [
            "12:00", "09:05", "9:05", "23:59", "24:00", "12:60", "1200", "ab:cd", "",
        ] {
            assert_eq!(
                parse_time(hhmm),
                NaiveTime::parse_from_str(hhmm, "%H:%M").ok(),
                "{hhmm}"
            );
        }
    }

    #[test]
    fn summer_time_follows_the_eu_rule() {
        assert_eq!(last_sunday(2024, 3), d(2024, 3, 31));
        assert_eq!(last_sunday(2024, 10), d(2024, 10, 27));
        assert_eq!(
            rfc3339(d(2024, 5, 27), Some("12:00")),
            "2024-05-27T12:00:00+02:00"
        );
        assert_eq!(rfc3339(d(2024, 1, 15), None), "2024-01-15T00:00:00+01:00");
        assert_eq!(
            rfc3339(d(2024, 3, 31), Some("01:30")),
            "2024-03-31T01:30:00+01:00"
        );
        assert_eq!(
            rfc3339(d(2024, 3, 31), Some("09:00")),
            "2024-03-31T09:00:00+02:00"
        );
        assert_eq!(
            rfc3339(d(2024, 10, 27), Some("12:00")),
            "2024-10-27T12:00:00+01:00"
        );
    }
}
