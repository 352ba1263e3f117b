//! Transparent compression, chosen by file extension.
//!
//! This module owns the mapping from a file name to a [`Compression`]
//! (`.gz` is gzip, `.zst` is Zstandard, anything else is stored as is), and
//! the adapters that let the rest of scrubtext read and write such files as
//! if they were plain:
//!
//! * [`reader`] wraps any byte source in a buffered, decompressing reader.
//!   Gzip input may hold several concatenated members (as `cat a.gz b.gz`
//!   or `pigz` produce them) and Zstandard input several frames; all of them
//!   are read, one after the other.
//! * [`Writer`] compresses into any byte sink; [`Writer::finish`] must be
//!   called to write the end of the stream. [`compress`] and [`decompress`]
//!   do the same for a whole buffer in memory.
//!
//! Damaged or truncated compressed data — an empty file included, as for
//! `gzip -d` and `zstd -d` — is reported as an [`io::Error`] of
//! kind [`io::ErrorKind::InvalidData`] carrying a [`CorruptData`], never as a
//! panic; errors of the underlying source (a failing disk, say) come through
//! unchanged. Nothing here prints.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

/// How the bytes of a file are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Compression {
    /// Stored as is.
    #[default]
    None,
    /// gzip (RFC 1952), extension `.gz`.
    Gzip,
    /// Zstandard (RFC 8878), extension `.zst`.
    Zstd,
}

impl Compression {
    /// The compression that the last extension of `path` names, compared
    /// without regard to case: `x.jsonl.gz` is [`Compression::Gzip`],
    /// `x.ZST` is [`Compression::Zstd`], `x.txt` and `x` are
    /// [`Compression::None`]. The content of the file is not looked at.
    pub fn from_path(path: &Path) -> Compression {
        let Some(extension) = path.extension().and_then(|e| e.to_str()) else {
            return Compression::None;
        };
        if extension.eq_ignore_ascii_case("gz") {
            Compression::Gzip
        } else if extension.eq_ignore_ascii_case("zst") {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The extension, without its dot, that names this compression: `"gz"`,
    /// `"zst"`, or `None` for uncompressed files.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Compression::None => None,
            Compression::Gzip => Some("gz"),
            Compression::Zstd => Some("zst"),
        }
    }

    /// A lowercase name for messages: `"uncompressed"`, `"gzip"`, `"zstd"`.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The compressed data could not be decoded: it is damaged, truncated, or
/// not in the format its extension promised. Carried inside the
/// [`io::Error`]s that [`reader`] and [`decompress`] return; find it with
/// [`CorruptData::find`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("corrupt {format} data: {reason}")]
pub struct CorruptData {
    /// The format that was being decoded.
    pub format: Compression,
    /// What the decoder reported, in lowercase.
    pub reason: String,
}

impl CorruptData {
    /// The [`CorruptData`] inside `error`, when decoding failed rather than
    /// the underlying source.
    pub fn find(error: &io::Error) -> Option<&CorruptData> {
        error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<CorruptData>())
    }
}

/// The default gzip level (6), the same as the `gzip` tool's.
const GZIP_LEVEL: u32 = 6;
/// The default Zstandard level (3), the same as the `zstd` tool's.
const ZSTD_LEVEL: i32 = 3;

/// Wraps `source` in a buffered reader that yields its bytes decompressed as
/// `compression` says. Use [`Compression::from_path`] to choose, and pass an
/// opened [`std::fs::File`] or any other byte source.
///
/// Fails only when the decoder cannot be set up (Zstandard allocates its
/// context here); damaged data shows up later, as errors from the reads.
pub fn reader<R>(source: R, compression: Compression) -> io::Result<Box<dyn BufRead + Send>>
where
    R: Read + Send + 'static,
{
    Ok(match compression {
        Compression::None => Box::new(BufReader::new(source)),
        Compression::Gzip => {
            let decoder = flate2::read::MultiGzDecoder::new(Tagged(source));
            Box::new(BufReader::new(Untag {
                inner: decoder,
                format: compression,
            }))
        }
        Compression::Zstd => {
            let decoder = zstd::stream::read::Decoder::new(Tagged(source))?;
            Box::new(BufReader::new(Untag {
                inner: decoder,
                format: compression,
            }))
        }
    })
}

/// Decompresses a whole buffer; the counterpart of [`compress`].
pub fn decompress(bytes: &[u8], compression: Compression) -> io::Result<Vec<u8>> {
    if compression == Compression::None {
        return Ok(bytes.to_vec());
    }
    let mut out = Vec::new();
    reader(io::Cursor::new(bytes.to_vec()), compression)?.read_to_end(&mut out)?;
    Ok(out)
}

/// Compresses a whole buffer into a complete stream, ready to be written to
/// a file whose extension names `compression`.
pub fn compress(bytes: &[u8], compression: Compression) -> io::Result<Vec<u8>> {
    let mut writer = Writer::new(Vec::new(), compression)?;
    writer.write_all(bytes)?;
    writer.finish()
}

/// A writer that compresses what is written to it into `W`.
///
/// [`Writer::finish`] must be called once everything is written: it writes
/// the end of the stream (gzip's checksum and length, Zstandard's last
/// block) and hands the inner writer back. A writer dropped without it leaves
/// a truncated stream behind.
pub struct Writer<W: Write> {
    inner: Encoder<W>,
}

enum Encoder<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Writer<W> {
    /// Starts a stream of the given compression into `sink`, at the default
    /// level of the usual command-line tools.
    pub fn new(sink: W, compression: Compression) -> io::Result<Writer<W>> {
        let inner = match compression {
            Compression::None => Encoder::Plain(sink),
            Compression::Gzip => {
                let level = flate2::Compression::new(GZIP_LEVEL);
                Encoder::Gzip(flate2::write::GzEncoder::new(sink, level))
            }
            Compression::Zstd => {
                Encoder::Zstd(zstd::stream::write::Encoder::new(sink, ZSTD_LEVEL)?)
            }
        };
        Ok(Writer { inner })
    }

    /// Ends the stream, flushes it and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        let mut sink = match self.inner {
            Encoder::Plain(sink) => sink,
            Encoder::Gzip(encoder) => encoder.finish()?,
            Encoder::Zstd(encoder) => encoder.finish()?,
        };
        sink.flush()?;
        Ok(sink)
    }

    /// The inner writer. Writing to it directly corrupts the stream.
    pub fn get_ref(&self) -> &W {
        match &self.inner {
            Encoder::Plain(sink) => sink,
            Encoder::Gzip(encoder) => encoder.get_ref(),
            Encoder::Zstd(encoder) => encoder.get_ref(),
        }
    }
}

impl<W: Write> Write for Writer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Encoder::Plain(sink) => sink.write(buf),
            Encoder::Gzip(encoder) => encoder.write(buf),
            Encoder::Zstd(encoder) => encoder.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Encoder::Plain(sink) => sink.flush(),
            Encoder::Gzip(encoder) => encoder.flush(),
            Encoder::Zstd(encoder) => encoder.flush(),
        }
    }
}

impl<W: Write> fmt::Debug for Writer<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let format = match self.inner {
            Encoder::Plain(_) => Compression::None,
            Encoder::Gzip(_) => Compression::Gzip,
            Encoder::Zstd(_) => Compression::Zstd,
        };
        f.debug_struct("Writer")
            .field("compression", &format)
            .finish_non_exhaustive()
    }
}

/// Marks an error of the underlying source, so that [`Untag`] can tell it
/// apart from an error the decoder made up.
#[derive(Debug)]
struct SourceError(io::Error);

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SourceError {}

/// The compressed source, with its errors marked as [`SourceError`]s.
struct Tagged<R>(R);

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| match e.kind() {
            // Retried by the decoders; must keep its kind.
            io::ErrorKind::Interrupted => e,
            kind => io::Error::new(kind, SourceError(e)),
        })
    }
}

/// The decoder, with the source's errors unmarked and its own errors turned
/// into [`CorruptData`].
struct Untag<D> {
    inner: D,
    format: Compression,
}

impl<D: Read> Read for Untag<D> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                return e;
            }
            if e.get_ref().is_some_and(|inner| inner.is::<SourceError>()) {
                let inner = e.into_inner().expect("checked above");
                return match inner.downcast::<SourceError>() {
                    Ok(source) => source.0,
                    Err(other) => io::Error::other(other),
                };
            }
            let reason = match e.kind() {
                io::ErrorKind::UnexpectedEof => "unexpected end of data".to_string(),
                _ => lowercase_first(&e.to_string()),
            };
            io::Error::new(
                io::ErrorKind::InvalidData,
                CorruptData {
                    format: self.format,
                    reason,
                },
            )
        })
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = "{\"text\":\"Caf\\u00e9 line one\"}\n{\"text\":\"two\"}\n".as_bytes();

    fn big_sample() -> Vec<u8> {
        (0..20_000)
            .flat_map(|i| format!("{{\"id\":{i},\"text\":\"line {i}\"}}\n").into_bytes())
            .collect()
    }

    fn read_all(bytes: Vec<u8>, compression: Compression) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        reader(io::Cursor::new(bytes), compression)?.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn extension_detection() {
        let cases = [
            ("x.gz", Compression::Gzip),
            ("x.jsonl.gz", Compression::Gzip),
            ("dir.zst/x.GZ", Compression::Gzip),
            ("x.zst", Compression::Zstd),
            ("/data/x.jsonl.ZST", Compression::Zstd),
            ("x.txt", Compression::None),
            ("x.gz.txt", Compression::None),
            ("x", Compression::None),
            (".gz", Compression::None),
            ("x.tgz", Compression::None),
            ("x.zstd", Compression::None),
            ("", Compression::None),
        ];
        for (path, expected) in cases {
            assert_eq!(Compression::from_path(Path::new(path)), expected, "{path}");
        }
        assert_eq!(Compression::Gzip.extension(), Some("gz"));
        assert_eq!(Compression::Zstd.extension(), Some("zst"));
        assert_eq!(Compression::None.extension(), None);
    }

    #[test]
    fn round_trips() {
        let big = big_sample();
        for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
            for data in [SAMPLE, b"", &big[..]] {
                let packed = compress(data, compression).unwrap();
                if compression != Compression::None && data.len() > 1000 {
                    assert!(
                        packed.len() < data.len() / 4,
                        "{compression} did not compress"
                    );
                }
                assert_eq!(
                    read_all(packed.clone(), compression).unwrap(),
                    data,
                    "{compression}"
                );
                assert_eq!(
                    decompress(&packed, compression).unwrap(),
                    data,
                    "{compression}"
                );
            }
        }
    }

    #[test]
    fn streams_are_readable_by_lines() {
        for compression in [Compression::Gzip, Compression::Zstd] {
            let packed = compress(SAMPLE, compression).unwrap();
            let lines: Vec<String> = reader(io::Cursor::new(packed), compression)
                .unwrap()
                .lines()
                .collect::<io::Result<_>>()
                .unwrap();
            assert_eq!(
                lines,
                ["{\"text\":\"Caf\\u00e9 line one\"}", "{\"text\":\"two\"}"]
            );
        }
    }

    #[test]
    fn writer_streams_into_a_sink() {
        for compression in [Compression::Gzip, Compression::Zstd] {
            let mut writer = Writer::new(Vec::new(), compression).unwrap();
            for chunk in SAMPLE.chunks(7) {
                writer.write_all(chunk).unwrap();
            }
            writer.flush().unwrap();
            let packed = writer.finish().unwrap();
            assert_eq!(decompress(&packed, compression).unwrap(), SAMPLE);
        }
    }

    #[test]
    fn concatenated_members_and_frames_are_all_read() {
        for compression in [Compression::Gzip, Compression::Zstd] {
            let mut packed = compress(b"first\n", compression).unwrap();
            packed.extend(compress(b"second\n", compression).unwrap());
            packed.extend(compress(b"third\n", compression).unwrap());
            assert_eq!(
                read_all(packed, compression).unwrap(),
                b"first\nsecond\nthird\n",
                "{compression}"
            );
        }
    }

    fn expect_corrupt(bytes: Vec<u8>, compression: Compression) -> CorruptData {
        let error = read_all(bytes, compression).expect_err("corrupt data must not decode");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{error}");
        CorruptData::find(&error)
            .unwrap_or_else(|| panic!("no CorruptData in {error:?}"))
            .clone()
    }

    #[test]
    fn corrupt_input_is_an_error_not_a_panic() {
        for compression in [Compression::Gzip, Compression::Zstd] {
            let good = compress(&big_sample(), compression).unwrap();

            let garbage = b"this is not compressed at all\n".to_vec();
            let corrupt = expect_corrupt(garbage, compression);
            assert_eq!(corrupt.format, compression);
            assert!(
                corrupt
                    .to_string()
                    .starts_with(&format!("corrupt {compression} data: ")),
                "{corrupt}"
            );

            let mut damaged = good.clone();
            let middle = damaged.len() / 2;
            for byte in &mut damaged[middle..middle + 16] {
                *byte ^= 0x5a;
            }
            expect_corrupt(damaged, compression);

            let truncated = good[..good.len() / 2].to_vec();
            let corrupt = expect_corrupt(truncated, compression);
            assert_eq!(
                corrupt.to_string(),
                format!("corrupt {compression} data: unexpected end of data")
            );

            // An empty file is not a valid stream either (as for gzip -d and zstd -d).
            let corrupt = expect_corrupt(Vec::new(), compression);
            assert_eq!(corrupt.reason, "unexpected end of data");

            // Valid members followed by junk.
            let mut trailing = good.clone();
            trailing.extend_from_slice(b"junk after the end");
            expect_corrupt(trailing, compression);
        }
    }

    #[test]
    fn source_errors_come_through_unchanged() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "disk says no",
                ))
            }
        }
        for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let error = reader(Failing, compression)
                .unwrap()
                .read_to_end(&mut Vec::new())
                .unwrap_err();
            assert_eq!(
                error.kind(),
                io::ErrorKind::PermissionDenied,
                "{compression}"
            );
            assert_eq!(error.to_string(), "disk says no", "{compression}");
            assert!(CorruptData::find(&error).is_none());
        }
    }

    #[test]
    fn readers_are_send() {
        fn assert_send<T: Send>(_: &T) {}
        let file = tempfile::tempfile().unwrap();
        assert_send(&reader(file, Compression::Zstd).unwrap());
    }
}
