//! Dates that matter to users (delega validity, deadlines) are Italian civil dates.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// Today's date in Italy.
pub fn today() -> NaiveDate {
    shared::time::to_rome(Utc::now().naive_utc()).date()
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_sort_as_text() {
        let a = ts(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap());
        let b = ts(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 6).unwrap());
        assert!(a < b);
        assert_eq!(parse_ts(&a), Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()));
    }
}
