//! Italian civil time (Europe/Rome) without a time-zone database: the EU rule since 1996.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike};

/// March and October have 31 days: their last Sunday is the 31st less its days since Sunday.
fn last_sunday_1am_utc(year: i32, month: u32) -> NaiveDateTime {
    let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
    let sunday = last - Duration::days(i64::from(last.weekday().num_days_from_sunday()));
    sunday.and_hms_opt(1, 0, 0).unwrap_or_default()
}

/// Offset of Italian time from UTC at the UTC instant `utc`: +2 from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC, +1 otherwise.
pub fn rome_offset_hours(utc: NaiveDateTime) -> i64 {
    let y = utc.year();
    if utc >= last_sunday_1am_utc(y, 3) && utc < last_sunday_1am_utc(y, 10) { 2 } else { 1 }
}

pub fn to_rome(utc: NaiveDateTime) -> NaiveDateTime {
    utc + Duration::hours(rome_offset_hours(utc))
}

/// A stored UTC timestamp (RFC 3339, `Z`) as Italians read it: `22/11/2026 11:05`.
pub fn format_it_datetime(rfc3339_utc: &str) -> String {
    // Read by position and written digit by digit: a list page formats one per row, and
    // chrono's parser and `format!` took 4,000 instructions each (callgrind), 3.7 % of the
    // request list's page.
    let Some(t) = stored_utc(rfc3339_utc) else { return rfc3339_utc.to_string() };
    let t = to_rome(t);
    let mut out = String::with_capacity(16);
    let y = t.year().unsigned_abs();
    for (n, after) in
        [(t.day(), "/"), (t.month(), "/"), (y / 100, ""), (y % 100, " "), (t.hour(), ":"), (t.minute(), "")]
    {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
        out.push_str(after);
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SS` at the start of a stored timestamp (what follows, fraction and `Z`, is
/// not read), if it is one.
fn stored_utc(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes().get(..19)?;
    let n = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let shape = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')].iter().all(|&(i, c)| b[i] == c);
    if !shape {
        return None;
    }
    let year = i32::try_from(n(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, n(5, 7)?, n(8, 10)?)?.and_hms_opt(n(11, 13)?, n(14, 16)?, n(17, 19)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn offsets_around_dst_changes() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(rome_offset_hours(at(2026, 3, 29, 0, 59)), 1);
        assert_eq!(rome_offset_hours(at(2026, 3, 29, 1, 0)), 2);
        assert_eq!(rome_offset_hours(at(2026, 10, 25, 0, 59)), 2);
        assert_eq!(rome_offset_hours(at(2026, 10, 25, 1, 0)), 1);
        assert_eq!(rome_offset_hours(at(2026, 1, 1, 12, 0)), 1);
        // 2025: 30 March and 26 October; 2027: 28 March and 31 October, the month's last day.
        for (y, march, october) in [(2025, 30, 26), (2027, 28, 31)] {
            assert_eq!(rome_offset_hours(at(y, 3, march, 0, 59)), 1);
            assert_eq!(rome_offset_hours(at(y, 3, march, 1, 0)), 2);
            assert_eq!(rome_offset_hours(at(y, 10, october, 0, 59)), 2);
            assert_eq!(rome_offset_hours(at(y, 10, october, 1, 0)), 1);
        }
    }

    #[test]
    fn formats_for_italians() {
        assert_eq!(format_it_datetime("2026-11-22T10:11:05.123456Z"), "22/11/2026 11:11");
        assert_eq!(format_it_datetime("2026-07-01T22:30:00.000000Z"), "02/07/2026 00:30");
        assert_eq!(format_it_datetime("non una data"), "non una data");
    }

    #[test]
    fn formats_like_chrono_on_both_sides_of_every_change() {
        use chrono::{TimeZone, Utc};
        // Every quarter of an hour for two days around each change of 2025-2027, and at the
        // turn of a year: the same text as chrono's reading and formatting.
        let mut starts = vec![at(2025, 12, 31, 0, 0), at(2026, 12, 31, 0, 0)];
        for y in 2025..=2027 {
            starts.push(last_sunday_1am_utc(y, 3) - Duration::days(1));
            starts.push(last_sunday_1am_utc(y, 10) - Duration::days(1));
        }
        for start in starts {
            for q in 0..(2 * 24 * 4) {
                let t = start + Duration::minutes(15 * q);
                let stored = Utc.from_utc_datetime(&t).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
                let expected = to_rome(t).format("%d/%m/%Y %H:%M").to_string();
                assert_eq!(format_it_datetime(&stored), expected, "{stored}");
            }
        }
    }

    #[test]
    fn what_is_not_a_stored_timestamp_is_shown_as_it_is() {
        for s in [
            "",
            "2026-11-22",
            "2026-11-22T10:11",
            "2026-13-01T10:00:00Z",
            "2026-02-30T10:00:00Z",
            "2026-11-22 10:11:05Z",
            "2026-11-22T24:00:00Z",
            "2026-11-2aT10:11:05Z",
            "２０２６-11-22T10:11:05Z",
        ] {
            assert_eq!(format_it_datetime(s), s);
        }
    }
}

/// The UTC instant at which the Italian civil day `d` begins.
pub fn rome_day_start_utc(d: NaiveDate) -> NaiveDateTime {
    let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    // The offset in force one hour before is the one at local midnight (changes happen at 01:00 UTC).
    midnight - Duration::hours(rome_offset_hours(midnight - Duration::hours(1)))
}

#[cfg(test)]
mod day_tests {
    use super::*;
    #[test]
    fn italian_day_starts() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let at = |y, m, dd, h| d(y, m, dd).and_hms_opt(h, 0, 0).unwrap();
        assert_eq!(rome_day_start_utc(d(2026, 1, 15)), at(2026, 1, 14, 23));
        assert_eq!(rome_day_start_utc(d(2026, 7, 15)), at(2026, 7, 14, 22));
        // Day of the spring change (29/03/2026): midnight is still winter time.
        assert_eq!(rome_day_start_utc(d(2026, 3, 29)), at(2026, 3, 28, 23));
        assert_eq!(rome_day_start_utc(d(2026, 3, 30)), at(2026, 3, 29, 22));
        // Day of the autumn change (25/10/2026): midnight is still summer time.
        assert_eq!(rome_day_start_utc(d(2026, 10, 25)), at(2026, 10, 24, 22));
        assert_eq!(rome_day_start_utc(d(2026, 10, 26)), at(2026, 10, 25, 23));
    }
}

/// Accepts 31/12/2026 (as typed in Italy) or 2026-12-31 (as sent by a date input or an API).
pub fn parse_date_it(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y").or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d")).ok()
}

/// A day as Italians write it: 31/12/2026.
pub fn format_date_it(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A stored day (2026-12-31, or a timestamp starting with it) as Italians write it; text that
/// is not a day is shown as it is.
pub fn format_date_text_it(s: &str) -> String {
    s.get(..10).and_then(parse_date_it).map(format_date_it).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod italian_day_tests {
    use super::*;
    #[test]
    fn parses_and_writes_italian_days() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(parse_date_it("31/12/2026"), Some(d));
        assert_eq!(parse_date_it(" 2026-12-31 "), Some(d));
        assert_eq!(parse_date_it("32/12/2026"), None);
        assert_eq!(format_date_it(d), "31/12/2026");
        assert_eq!(format_date_text_it("2026-12-31"), "31/12/2026");
        assert_eq!(format_date_text_it("2026-12-31T10:00:00Z"), "31/12/2026");
        assert_eq!(format_date_text_it("nessuna"), "nessuna");
    }
}
