//! Dates that matter to users (delega validity, deadlines) are Italian civil dates.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// Europe/Rome offset from UTC at `now`: +2 during summer time (last Sunday of March 01:00 UTC
/// to last Sunday of October 01:00 UTC), +1 otherwise. EU rule since 1996.
fn rome_offset_hours(now: DateTime<Utc>) -> i64 {
    use chrono::{Datelike, TimeZone, Weekday};
    let year = now.year();
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
        while d.weekday() != Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        Utc.from_utc_datetime(&d.and_hms_opt(1, 0, 0).unwrap_or_default())
    };
    if now >= last_sunday(3) && now < last_sunday(10) { 2 } else { 1 }
}

/// Today's date in Italy.
pub fn today() -> NaiveDate {
    let now = Utc::now();
    (now + chrono::Duration::hours(rome_offset_hours(now))).date_naive()
}

/// A UTC timestamp as stored in the database: fixed width, so text order is time order.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn now_ts() -> String {
    ts(Utc::now())
}

pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Italian date format used in messages: 31/12/2025.
pub fn it_date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rome_offsets_around_dst_changes() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(rome_offset_hours(Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap()), 1);
        assert_eq!(rome_offset_hours(Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap()), 2);
        assert_eq!(rome_offset_hours(Utc.with_ymd_and_hms(2026, 10, 25, 0, 59, 0).unwrap()), 2);
        assert_eq!(rome_offset_hours(Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap()), 1);
        assert_eq!(rome_offset_hours(Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap()), 1);
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = ts(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap());
        let b = ts(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 6).unwrap());
        assert!(a < b);
        assert_eq!(parse_ts(&a), Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()));
        assert_eq!(it_date(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()), "31/12/2025");
    }
}
