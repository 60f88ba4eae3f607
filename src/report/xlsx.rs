//! Excel workbooks: every table a sheet, its types kept.

use anyhow::{Context, Result};
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Date32Type, Float64Type};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Excel's row limit, header included.
const XLSX_MAX_ROWS: usize = 1_048_576;

/// One sheet per table, a bold header row, numbers as numbers, dates as dates.
pub fn workbook(tables: &[(String, RecordBatch)]) -> Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, batch) in tables {
        if batch.num_rows() + 1 > XLSX_MAX_ROWS {
            anyhow::bail!(
                "table {name} has {} rows, more than an Excel sheet holds; export it as parquet or csv",
                batch.num_rows()
            );
        }
        let sheet = workbook.add_worksheet();
        let sheet_name: String = name.chars().take(31).collect();
        sheet.set_name(&sheet_name)?;
        for (c, field) in batch.schema().fields().iter().enumerate() {
            sheet.write_with_format(0, c as u16, field.name(), &bold)?;
            // Every numeric type (ranks come as unsigned integers) as Excel's one number type.
            let column = if batch.column(c).data_type().is_numeric() {
                arrow::compute::cast(batch.column(c), &DataType::Float64)?
            } else {
                batch.column(c).clone()
            };
            for r in 0..batch.num_rows() {
                if column.is_null(r) {
                    continue;
                }
                let (row, col) = (r as u32 + 1, c as u16);
                match column.data_type() {
                    DataType::Float64 => sheet.write(row, col, column.as_primitive::<Float64Type>().value(r))?,
                    DataType::Boolean => sheet.write(row, col, column.as_boolean().value(r))?,
                    DataType::Date32 => {
                        let day = chrono::DateTime::from_timestamp(
                            column.as_primitive::<Date32Type>().value(r) as i64 * 86_400,
                            0,
                        )
                        .context("date out of range")?
                        .date_naive();
                        use chrono::Datelike;
                        let value = ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
                        sheet.write_with_format(row, col, &value, &date)?
                    }
                    _ => {
                        let text = arrow::util::display::array_value_to_string(&column, r)?;
                        sheet.write(row, col, text)?
                    }
                };
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}
