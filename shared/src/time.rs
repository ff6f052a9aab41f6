//! Italian civil time (Europe/Rome) without a time-zone database: the EU rule since 1996.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};

fn last_sunday_1am_utc(year: i32, month: u32) -> NaiveDateTime {
    let mut d = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
    while d.weekday() != Weekday::Sun {
        d = d.pred_opt().unwrap_or(d);
    }
    d.and_hms_opt(1, 0, 0).unwrap_or_default()
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
    // Read and written without a format string: a list page formats one per row, and reading
    // a strftime pattern each time was 2 % of the request list's rendering.
    let naive = rfc3339_utc.trim_end_matches('Z').get(..19).and_then(|s| s.parse::<NaiveDateTime>().ok());
    match naive {
        Some(t) => {
            let t = to_rome(t);
            format!("{:02}/{:02}/{:04} {:02}:{:02}", t.day(), t.month(), t.year(), t.hour(), t.minute())
        }
        None => rfc3339_utc.to_string(),
    }
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
    }

    #[test]
    fn formats_for_italians() {
        assert_eq!(format_it_datetime("2026-11-22T10:11:05.123456Z"), "22/11/2026 11:11");
        assert_eq!(format_it_datetime("2026-07-01T22:30:00.000000Z"), "02/07/2026 00:30");
        assert_eq!(format_it_datetime("non una data"), "non una data");
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
