//! A contacts column of few distinct texts (country, venue, partner_kind), kept as an Arrow
//! dictionary of its distinct values when they repeat: ten million contacts name a few hundred
//! countries, two venues and two kinds, and a string array keeps every copy with its offset
//! (360 MB of the 10^7 contacts' columns; 50 MB packed).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, PrimitiveArray, StringArray};
use arrow::datatypes::{DataType, Int16Type, Int32Type};
use arrow::error::ArrowError;

/// The texts of one column, read row by row as text whichever way they are kept.
#[derive(Debug, Clone)]
pub struct Texts {
    /// As kept: the plain texts, or a dictionary of them.
    array: ArrayRef,
    /// Each row's key into `values`, when packed.
    keys: Keys,
    /// The plain texts, or the dictionary's distinct values.
    values: StringArray,
}

#[derive(Debug, Clone)]
enum Keys {
    Plain,
    Short(PrimitiveArray<Int16Type>),
    Long(PrimitiveArray<Int32Type>),
}

impl Texts {
    /// `texts`, packed when they repeat ([`crate::shared::batch::pack`]).
    pub fn new(texts: StringArray) -> Result<Texts, ArrowError> {
        let array = crate::shared::batch::pack(Arc::new(texts))?;
        let (keys, values) = match array.data_type() {
            DataType::Dictionary(key, _) if key.as_ref() == &DataType::Int16 => {
                let packed = array.as_dictionary::<Int16Type>();
                (Keys::Short(packed.keys().clone()), packed.values().as_string::<i32>().clone())
            }
            DataType::Dictionary(_, _) => {
                let packed = array.as_dictionary::<Int32Type>();
                (Keys::Long(packed.keys().clone()), packed.values().as_string::<i32>().clone())
            }
            _ => (Keys::Plain, array.as_string::<i32>().clone()),
        };
        Ok(Texts { array, keys, values })
    }

    /// Row `i`'s text ("" when it is null).
    #[inline]
    pub fn value(&self, i: usize) -> &str {
        let key = match &self.keys {
            Keys::Plain if self.values.is_valid(i) => return self.values.value(i),
            Keys::Short(keys) if keys.is_valid(i) => keys.value(i) as usize,
            Keys::Long(keys) if keys.is_valid(i) => keys.value(i) as usize,
            _ => return "",
        };
        self.values.value(key)
    }

    /// The column as kept: a `Utf8` array, or a dictionary of `Utf8` values.
    pub fn array(&self) -> ArrayRef {
        self.array.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_or_plain_texts_read_back_as_written() {
        let repeated: Vec<Option<&str>> = (0..5000).map(|i| [Some("Japan"), None, Some("Chile")][i % 3]).collect();
        let distinct: Vec<String> = (0..5000).map(|i| format!("party {i}")).collect();
        let packed = Texts::new(StringArray::from(repeated.clone())).unwrap();
        assert!(matches!(packed.array().data_type(), DataType::Dictionary(_, _)));
        for (i, text) in repeated.iter().enumerate() {
            assert_eq!((packed.value(i), packed.array().is_valid(i)), (text.unwrap_or(""), text.is_some()));
        }
        let mut with_null: Vec<Option<&str>> = distinct.iter().map(|d| Some(d.as_str())).collect();
        with_null[7] = None;
        let plain = Texts::new(StringArray::from(with_null)).unwrap();
        assert_eq!((plain.value(7), plain.value(8)), ("", "party 8"));
        let plain = Texts::new(StringArray::from(distinct.clone())).unwrap();
        assert_eq!(plain.array().data_type(), &DataType::Utf8);
        assert!(distinct.iter().enumerate().all(|(i, text)| plain.value(i) == text));
        // The first rows repeat; 40,000 distinct texts after them need keys wider than Int16.
        let wide: Vec<String> =
            (0..80_000).map(|i| if i < 5000 { "1".into() } else { format!("{}", i % 40_000) }).collect();
        let wide = Texts::new(StringArray::from(wide)).unwrap();
        assert!(matches!(wide.array().data_type(), DataType::Dictionary(k, _) if k.as_ref() == &DataType::Int32));
        assert_eq!((wide.value(40_001), wide.array().len()), ("1", 80_000));
    }
}
