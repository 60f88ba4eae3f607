//! CSV text of Arrow batches, a row at a time with each column's cells written by its type: the
//! bytes `arrow::csv::Writer` writes with [`Format::Csv`]'s settings (a header row; dates as
//! YYYY-MM-DD; nulls as empty cells; quotes only around cells holding a comma, a quote or a line
//! break, quotes inside doubled), which a property test below checks. Arrow's writer formats
//! every cell through a formatter object into a string, copies it into a record and the record
//! into its buffer: at 10^6 contacts with names that vary row by row that was 2.8 s of the
//! run's 300 MB `enriched_contacts.csv`. A batch with a column of another type (none of the
//! tables a run writes has one) is written by Arrow's writer.
//!
//! [`Format::Csv`]: super::Format::Csv

use arrow::array::{
    Array, AsArray, BooleanArray, Float32Array, Float64Array, GenericStringArray, OffsetSizeTrait, PrimitiveArray,
    RecordBatch, StringViewArray,
};
use arrow::datatypes::{
    ArrowPrimitiveType, DataType, Date32Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};

/// Appends `batch` as CSV to `out` (its header row first with `header`). Returns false, having
/// written nothing, when a column has a type it does not write.
pub fn append(batch: &RecordBatch, header: bool, out: &mut Vec<u8>) -> bool {
    let Some(columns) = batch.columns().iter().map(|c| Cells::of(c.as_ref())).collect::<Option<Vec<_>>>() else {
        return false;
    };
    if columns.is_empty() {
        return false;
    }
    let lone = columns.len() == 1;
    if header {
        for (i, field) in batch.schema().fields().iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            text(field.name().as_bytes(), out);
        }
        end_record(lone && batch.schema().field(0).name().is_empty(), out);
    }
    for row in 0..batch.num_rows() {
        let start = out.len();
        for (i, cells) in columns.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            cells.write(row, out);
        }
        end_record(lone && out.len() == start, out);
    }
    true
}

/// Ends a record; a record of one empty cell is written `""`, as the csv crate does, so that it
/// is not read as a blank line.
fn end_record(empty: bool, out: &mut Vec<u8>) {
    if empty {
        out.extend_from_slice(b"\"\"");
    }
    out.push(b'\n');
}

/// Whether a byte makes a cell need quotes.
const fn special(b: u8) -> bool {
    matches!(b, b',' | b'"' | b'\n' | b'\r')
}

/// Whether any of `bytes` makes a cell need quotes. The bytes are tested in blocks, each
/// whole (which the compiler turns into vector instructions), not one by one up to the first.
fn any_special(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| block.iter().fold(false, |found, &b| found | special(b)))
}

/// A text cell, quoted when it holds a comma, a quote or a line break.
fn text(value: &[u8], out: &mut Vec<u8>) {
    if any_special(value) { quoted(value, out) } else { out.extend_from_slice(value) }
}

/// A cell in quotes, the quotes inside it doubled.
fn quoted(value: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for part in value.split_inclusive(|&b| b == b'"') {
        out.extend_from_slice(part);
        if part.last() == Some(&b'"') {
            out.push(b'"');
        }
    }
    out.push(b'"');
}

/// Writes a row's integer as text at the end of a buffer.
type WriteInt<'a> = Box<dyn Fn(usize, &mut Vec<u8>) + 'a>;

/// A column, by the type its cells are written as.
enum Cells<'a> {
    Utf8(&'a GenericStringArray<i32>, Specials),
    LargeUtf8(&'a GenericStringArray<i64>, Specials),
    Utf8View(&'a StringViewArray),
    Boolean(&'a BooleanArray),
    Int(WriteInt<'a>),
    Float64(&'a Float64Array),
    Float32(&'a Float32Array),
    Date32(&'a PrimitiveArray<Date32Type>),
}

impl<'a> Cells<'a> {
    fn of(array: &'a dyn Array) -> Option<Cells<'a>> {
        Some(match array.data_type() {
            DataType::Utf8 => {
                let strings = array.as_string::<i32>();
                Cells::Utf8(strings, Specials::of(strings))
            }
            DataType::LargeUtf8 => {
                let strings = array.as_string::<i64>();
                Cells::LargeUtf8(strings, Specials::of(strings))
            }
            DataType::Utf8View => Cells::Utf8View(array.as_string_view()),
            DataType::Boolean => Cells::Boolean(array.as_boolean()),
            DataType::Int8 => integers::<Int8Type>(array),
            DataType::Int16 => integers::<Int16Type>(array),
            DataType::Int32 => integers::<Int32Type>(array),
            DataType::Int64 => integers::<Int64Type>(array),
            DataType::UInt8 => integers::<UInt8Type>(array),
            DataType::UInt16 => integers::<UInt16Type>(array),
            DataType::UInt32 => integers::<UInt32Type>(array),
            DataType::UInt64 => integers::<UInt64Type>(array),
            DataType::Float64 => Cells::Float64(array.as_primitive()),
            DataType::Float32 => Cells::Float32(array.as_primitive()),
            // chrono writes years outside 0-9999 with a sign, and Arrow's writer fails on dates
            // chrono cannot hold: such columns are left to it.
            DataType::Date32 => {
                let dates = array.as_primitive::<Date32Type>();
                if !dates.values().iter().all(|&d| (0..=9999).contains(&civil(d).0)) {
                    return None;
                }
                Cells::Date32(dates)
            }
            _ => return None,
        })
    }

    /// Writes row `row`'s cell (nothing when null).
    #[inline]
    fn write(&self, row: usize, out: &mut Vec<u8>) {
        match self {
            Cells::Utf8(a, specials) if a.is_valid(row) => specials.write(a, row, out),
            Cells::LargeUtf8(a, specials) if a.is_valid(row) => specials.write(a, row, out),
            Cells::Utf8View(a) if a.is_valid(row) => text(a.value(row).as_bytes(), out),
            Cells::Boolean(a) if a.is_valid(row) => {
                out.extend_from_slice(if a.value(row) { b"true" } else { b"false" })
            }
            Cells::Int(write) => write(row, out),
            Cells::Float64(a) if a.is_valid(row) => {
                out.extend_from_slice(ryu::Buffer::new().format(a.value(row)).as_bytes())
            }
            Cells::Float32(a) if a.is_valid(row) => {
                out.extend_from_slice(ryu::Buffer::new().format(a.value(row)).as_bytes())
            }
            Cells::Date32(a) if a.is_valid(row) => date(a.value(row), out),
            _ => {}
        }
    }
}

/// Where a text column's values hold bytes that need quotes, found in one pass over the
/// values: a cell is quoted if one falls within it, and copied as it is otherwise (most cells;
/// every cell of most columns).
struct Specials(Vec<usize>);

impl Specials {
    /// The positions in the array's value bytes (only its own rows' when it is a slice).
    fn of<O: OffsetSizeTrait>(array: &GenericStringArray<O>) -> Specials {
        let offsets = array.value_offsets();
        let (first, last) = (offsets[0].as_usize(), offsets[offsets.len() - 1].as_usize());
        let mut at = Vec::new();
        for (block, bytes) in array.value_data()[first..last].chunks(64).enumerate() {
            if any_special(bytes) {
                let start = first + block * 64;
                at.extend(bytes.iter().enumerate().filter(|(_, b)| special(**b)).map(|(i, _)| start + i));
            }
        }
        Specials(at)
    }

    /// Writes row `row`'s value.
    #[inline]
    fn write<O: OffsetSizeTrait>(&self, array: &GenericStringArray<O>, row: usize, out: &mut Vec<u8>) {
        let (start, end) = (array.value_offsets()[row].as_usize(), array.value_offsets()[row + 1].as_usize());
        let value = &array.value_data()[start..end];
        let next = self.0.partition_point(|&at| at < start);
        if self.0.get(next).is_some_and(|&at| at < end) { quoted(value, out) } else { out.extend_from_slice(value) }
    }
}

fn integers<'a, T>(array: &'a dyn Array) -> Cells<'a>
where
    T: ArrowPrimitiveType,
    T::Native: itoa::Integer,
{
    let array = array.as_primitive::<T>();
    Cells::Int(Box::new(move |row, out| {
        if array.is_valid(row) {
            out.extend_from_slice(itoa::Buffer::new().format(array.value(row)).as_bytes());
        }
    }))
}

/// Days since 1970-01-01 as YYYY-MM-DD, for years 0-9999 (see [`Cells::of`]).
fn date(days: i32, out: &mut Vec<u8>) {
    let (year, month, day) = civil(days);
    let digits = |n: i64, width: u32, out: &mut Vec<u8>| {
        for k in (0..width).rev() {
            out.push(b'0' + (n / 10i64.pow(k) % 10) as u8);
        }
    };
    digits(year, 4, out);
    out.push(b'-');
    digits(month, 2, out);
    out.push(b'-');
    digits(day, 2, out);
}

/// The proleptic Gregorian (year, month, day) of days since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil(days: i32) -> (i64, i64, i64) {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, BooleanArray, Date32Array, Int32Array, Int64Array, StringArray, UInt32Array};
    use arrow::datatypes::{Field, Schema};
    use proptest::prelude::*;

    use super::*;

    /// What Arrow's writer writes with the settings of `Format::Csv`.
    fn arrow_csv(batch: &RecordBatch, header: bool) -> Vec<u8> {
        let mut out = Vec::new();
        arrow::csv::WriterBuilder::new()
            .with_date_format("%Y-%m-%d".into())
            .with_header(header)
            .build(&mut out)
            .write(batch)
            .unwrap();
        out
    }

    fn ours(batch: &RecordBatch, header: bool) -> Vec<u8> {
        let mut out = Vec::new();
        assert!(append(batch, header, &mut out));
        out
    }

    /// Text with the bytes that need quotes, multibyte characters and spaces at either end.
    fn cell() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(proptest::collection::vec(
            prop_oneof![
                Just(","),
                Just("\""),
                Just("\n"),
                Just("\r"),
                Just(" "),
                Just("a"),
                Just("Ü"),
                Just("党"),
                Just("'")
            ],
            0..6,
        ))
        .prop_map(|parts| parts.map(|p| p.concat()))
    }

    fn float() -> impl Strategy<Value = Option<f64>> {
        proptest::option::of(prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0),
            Just(1.0),
            Just(0.9909),
            Just(1e21),
            Just(1e-7),
        ])
    }

    proptest! {
        #[test]
        fn cells_are_the_bytes_arrow_writes(
            rows in proptest::collection::vec(
                (cell(), any::<Option<i32>>(), any::<Option<i64>>(), any::<Option<u32>>(), float(),
                 proptest::option::of(-719_528i32..=2_932_896), any::<Option<bool>>()),
                0..40),
            header in any::<bool>(),
        ) {
            let text: ArrayRef = Arc::new(rows.iter().map(|r| r.0.clone()).collect::<StringArray>());
            let large: ArrayRef = Arc::new(rows.iter().map(|r| r.0.clone()).collect::<arrow::array::LargeStringArray>());
            let view: ArrayRef = Arc::new(rows.iter().map(|r| r.0.clone()).collect::<StringViewArray>());
            let i32s: ArrayRef = Arc::new(rows.iter().map(|r| r.1).collect::<Int32Array>());
            let i64s: ArrayRef = Arc::new(rows.iter().map(|r| r.2).collect::<Int64Array>());
            let u32s: ArrayRef = Arc::new(rows.iter().map(|r| r.3).collect::<UInt32Array>());
            let f64s: ArrayRef = Arc::new(rows.iter().map(|r| r.4).collect::<Float64Array>());
            let f32s: ArrayRef = Arc::new(rows.iter().map(|r| r.4.map(|v| v as f32)).collect::<Float32Array>());
            let dates: ArrayRef = Arc::new(rows.iter().map(|r| r.5).collect::<Date32Array>());
            let bools: ArrayRef = Arc::new(rows.iter().map(|r| r.6).collect::<BooleanArray>());
            let columns = vec![text, large, view, i32s, i64s, u32s, f64s, f32s, dates, bools];
            let names = ["te,xt", "large \"x\"", "view", "i32", "i64", "u32", "f64", "f32", "date", "bool"];
            let fields: Vec<Field> =
                columns.iter().zip(names).map(|(c, n)| Field::new(n, c.data_type().clone(), true)).collect();
            let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns.clone()).unwrap();
            prop_assert_eq!(String::from_utf8(ours(&batch, header)).unwrap(), String::from_utf8(arrow_csv(&batch, header)).unwrap());
            // Each column alone: a record of one empty cell is quoted.
            for (column, name) in columns.into_iter().zip(["", "a", "b", "c", "d", "e", "f", "g", "h", "i"]) {
                let field = Field::new(name, column.data_type().clone(), true);
                let batch = RecordBatch::try_new(Arc::new(Schema::new(vec![field])), vec![column]).unwrap();
                prop_assert_eq!(ours(&batch, header), arrow_csv(&batch, header));
            }
        }
    }

    #[test]
    fn dates_of_years_0_to_9999_are_ours_and_others_arrows() {
        let batch = |days: Vec<i32>| {
            let dates: ArrayRef = Arc::new(Date32Array::from(days));
            RecordBatch::try_new(Arc::new(Schema::new(vec![Field::new("d", DataType::Date32, false)])), vec![dates])
                .unwrap()
        };
        // 0000-01-01, 1969-12-31, 1970-01-01, 2000-02-29, 9999-12-31.
        let inside = batch(vec![-719_528, -1, 0, 11_016, 2_932_896]);
        assert_eq!(
            String::from_utf8(ours(&inside, true)).unwrap(),
            "d\n0000-01-01\n1969-12-31\n1970-01-01\n2000-02-29\n9999-12-31\n"
        );
        assert_eq!(ours(&inside, true), arrow_csv(&inside, true));
        for outside in [-719_529, 2_932_897] {
            assert!(!append(&batch(vec![0, outside]), true, &mut Vec::new()), "{outside}");
        }
    }

    #[test]
    fn a_slice_is_quoted_by_its_own_rows() {
        let text: ArrayRef = Arc::new(StringArray::from(vec!["a,b", "c", "d", "e\"f"]));
        let batch =
            RecordBatch::try_new(Arc::new(Schema::new(vec![Field::new("t", DataType::Utf8, false)])), vec![text])
                .unwrap();
        for (offset, len, expected) in [(1, 2, "c\nd\n"), (0, 2, "\"a,b\"\nc\n"), (2, 2, "d\n\"e\"\"f\"\n")] {
            let slice = batch.slice(offset, len);
            assert_eq!(String::from_utf8(ours(&slice, false)).unwrap(), expected);
            assert_eq!(ours(&slice, false), arrow_csv(&slice, false));
        }
    }

    #[test]
    fn a_column_of_another_type_is_left_to_arrow() {
        let times: ArrayRef = Arc::new(arrow::array::TimestampSecondArray::from(vec![0]));
        let batch = RecordBatch::try_new(
            Arc::new(Schema::new(vec![Field::new("t", times.data_type().clone(), false)])),
            vec![times],
        )
        .unwrap();
        let mut out = Vec::new();
        assert!(!append(&batch, true, &mut out));
        assert!(out.is_empty());
    }
}
