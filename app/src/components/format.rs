//! Numbers and dates as Italians read them.

pub(crate) fn it_datetime(ts: &str) -> String {
    shared::time::format_it_datetime(ts)
}

pub(crate) fn it_date(d: &str) -> String {
    shared::time::format_date_text_it(d)
}
