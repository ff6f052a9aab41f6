//! Dates that matter to users (delega validity, deadlines) are Italian civil dates.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::sync::{Arc, RwLock};

/// Today's date in Italy, by the system clock.
pub fn today() -> NaiveDate {
    shared::time::to_rome(Utc::now().naive_utc()).date()
}

/// The business calendar the services read "today" from: the system's date in Italy, unless a
/// test has set the day (so a request dated on a chosen past or future day runs end to end).
/// Only the date is injected: timestamps (`now_ts`) stay the real instant, as the technical
/// record of when something happened. Production never sets it: no route or setting reaches it.
#[derive(Clone, Default)]
pub struct Clock {
    day: Arc<RwLock<Option<NaiveDate>>>,
}

impl Clock {
    pub fn today(&self) -> NaiveDate {
        // A poisoned lock only means a test panicked while setting the day: read the system date.
        self.day.read().ok().and_then(|d| *d).unwrap_or_else(today)
    }

    /// Sets the day every service reads as today (`None`: back to the system date).
    pub fn set_today(&self, day: Option<NaiveDate>) {
        if let Ok(mut d) = self.day.write() {
            *d = day;
        }
    }
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

/// A day read back from the database: not a day there is a technical inconsistency, not bad input.
pub fn stored_date(s: &str) -> crate::error::AppResult<NaiveDate> {
    parse_date(s).ok_or_else(|| crate::error::AppError::Internal(format!("data memorizzata non valida: {s}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_set_day_is_shared_by_every_copy_and_can_be_cleared() {
        let clock = Clock::default();
        let copy = clock.clone();
        let day = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        clock.set_today(Some(day));
        assert_eq!(copy.today(), day);
        clock.set_today(None);
        assert_eq!(copy.today(), today());
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = ts(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap());
        let b = ts(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 6).unwrap());
        assert!(a < b);
        assert_eq!(parse_ts(&a), Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()));
    }
}
