//! Whole numbers in JSON bodies. JSON Schema's `integer` includes `3.0`, and some clients write
//! numbers that way: the API takes it like `3`. A fraction, or a number out of the field's
//! range, is still refused (problem+json 400 with the field named).

use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::marker::PhantomData;

struct Whole<T>(PhantomData<T>);

impl<T: TryFrom<i64>> Visitor<'_> for Whole<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("un numero intero")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::custom(format!("{v} è fuori dall'intervallo ammesso")))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        let v = i64::try_from(v).map_err(|_| E::custom(format!("{v} è fuori dall'intervallo ammesso")))?;
        self.visit_i64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // Exactly representable whole values only (|v| < 2^53), as JSON Schema means them.
        if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
            self.visit_i64(v as i64)
        } else {
            Err(E::custom(format!("{v} non è un numero intero")))
        }
    }
}

/// `#[serde(deserialize_with = "shared::intero::whole")]`
pub fn whole<'de, D: Deserializer<'de>, T: TryFrom<i64>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(Whole(PhantomData))
}

/// The same for an optional field (`null` or absent: `None`; add `#[serde(default)]`).
pub fn optional<'de, D: Deserializer<'de>, T: TryFrom<i64>>(d: D) -> Result<Option<T>, D::Error> {
    struct Opt<T>(PhantomData<T>);
    impl<'de, T: TryFrom<i64>> Visitor<'de> for Opt<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("un numero intero o null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Option<T>, D2::Error> {
            whole(d).map(Some)
        }
    }
    d.deserialize_option(Opt(PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct B {
        #[serde(deserialize_with = "super::whole")]
        a: i64,
        #[serde(default, deserialize_with = "super::optional")]
        b: Option<u32>,
    }

    fn parse(s: &str) -> Result<B, serde_json::Error> {
        serde_json::from_str(s)
    }

    #[test]
    fn whole_numbers_in_any_spelling() {
        assert_eq!(parse(r#"{"a": 3}"#).unwrap(), B { a: 3, b: None });
        assert_eq!(parse(r#"{"a": -366.0, "b": 7.0}"#).unwrap(), B { a: -366, b: Some(7) });
        assert_eq!(parse(r#"{"a": 1, "b": null}"#).unwrap(), B { a: 1, b: None });
    }

    #[test]
    fn fractions_and_out_of_range_are_refused() {
        assert!(parse(r#"{"a": 1.5}"#).is_err());
        assert!(parse(r#"{"a": 1e300}"#).is_err());
        assert!(parse(r#"{"a": 1, "b": -1}"#).is_err(), "u32 has no negatives");
        assert!(parse(r#"{"a": 9223372036854775808}"#).is_err());
        assert!(parse(r#"{"a": "1"}"#).is_err());
    }
}
