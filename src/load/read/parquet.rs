//! The footer of a Parquet input, read and checked before any page is decoded.
//!
//! The parquet crate trusts the footer's column-chunk offsets and sizes, and a damaged footer
//! (a negative offset, a chunk past the end of the file) makes its page reader panic instead of
//! failing. Every chunk is checked against the file here, so a damaged file is an error that
//! names it, its row group and its column. The footer itself (and the Arrow schema inside it) is
//! decoded under [`crate::shared::guard`], as the pages are by the readers.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, Result};
use arrow::array::RecordBatch;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReader};

use crate::load::error::DataError;

/// The file's metadata, once every column chunk has been found to lie inside the file.
pub fn metadata(path: &Path) -> Result<ArrowReaderMetadata> {
    if path.is_dir() {
        anyhow::bail!("{}: is a directory, not a file", path.display());
    }
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let length = file.metadata().with_context(|| format!("cannot read {}", path.display()))?.len();
    let unreadable = |e: String| DataError::new(path, format!("not a readable Parquet file: {e}"));
    let metadata = crate::shared::guard::decode(|| ArrowReaderMetadata::load(&file, Default::default()))
        .map_err(unreadable)?
        .map_err(|e| unreadable(e.to_string()))?;
    for (g, group) in metadata.metadata().row_groups().iter().enumerate() {
        for chunk in group.columns() {
            let start = chunk.dictionary_page_offset().unwrap_or(chunk.data_page_offset());
            let size = chunk.compressed_size();
            let inside =
                start >= 0 && size >= 0 && (start as u64).checked_add(size as u64).is_some_and(|end| end <= length);
            if !inside {
                let problem = format!(
                    "not a readable Parquet file: row group {} has its column chunk at bytes {start}..{start}+{size}, \
                     outside the file's {length} bytes (the file is damaged or cut short)",
                    g + 1
                );
                return Err(DataError::new(path, problem).column(&chunk.column_path().string()).into());
            }
        }
    }
    Ok(metadata)
}

/// The next batch of `reader`, decoded under the guard: a damaged page is an error naming the
/// file, never a panic.
pub fn next_batch(path: &Path, reader: &mut ParquetRecordBatchReader) -> Result<Option<RecordBatch>> {
    let failed = |e: String| DataError::new(path, format!("cannot read Parquet data: {e}"));
    match crate::shared::guard::decode(|| reader.next()).map_err(failed)? {
        Some(batch) => Ok(Some(batch.map_err(|e| failed(e.to_string()))?)),
        None => Ok(None),
    }
}
