//! Opening export files, transparently decompressing gzip.
//!
//! Vendors hand out exports compressed or not, and the file name is not to be trusted (Auth0
//! names its downloads `<tenant>.json.gz`, people rename them), so compression is detected
//! from the gzip magic bytes rather than from the extension.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;

use flate2::read::MultiGzDecoder;

/// The two bytes every gzip member starts with (RFC 1952).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// A buffered reader over the decompressed bytes of an export file.
pub(crate) type Input = Box<dyn BufRead + Send>;

/// Opens `path` for reading, decompressing it when it starts with the gzip magic bytes.
pub(crate) fn open_input(path: &Path) -> io::Result<Input> {
    let file = File::open(path)?;
    decode(BufReader::new(file))
}

/// Wraps an already buffered byte source, decompressing it when it is gzip.
pub(crate) fn decode<R: BufRead + Send + 'static>(mut reader: R) -> io::Result<Input> {
    if starts_with(&mut reader, &GZIP_MAGIC)? {
        // Several concatenated gzip members are a valid gzip file; `MultiGzDecoder` reads
        // them all instead of stopping silently after the first.
        return Ok(Box::new(BufReader::new(MultiGzDecoder::new(reader))));
    }

    Ok(Box::new(reader))
}

/// Tells whether the reader's next bytes are `prefix`, without consuming anything.
///
/// This relies on the first `fill_buf` returning at least `prefix.len()` bytes, which holds
/// for regular files (a read returns short only at the end of the file); a file shorter
/// than the prefix cannot start with it anyway.
fn starts_with<R: BufRead>(reader: &mut R, prefix: &[u8]) -> io::Result<bool> {
    Ok(reader.fill_buf()?.starts_with(prefix))
}

/// The UTF-8 byte order mark some Windows tools put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Skips a byte order mark and returns the first byte that is not white space, without
/// consuming anything else: what a reader looks at to tell JSON from CSV.
///
/// Only the buffered start of the file is looked at; a file that begins with more white
/// space than one buffer holds reports `None`, like an empty one.
pub(crate) fn first_byte(input: &mut Input) -> io::Result<Option<u8>> {
    if input.fill_buf()?.starts_with(BOM) {
        input.consume(BOM.len());
    }
    Ok(input
        .fill_buf()?
        .iter()
        .copied()
        .find(|byte| !byte.is_ascii_whitespace()))
}
