//! Writing events for GIS tools, and reading them back: GeoJSON (RFC 7946), GeoJSON
//! text sequences (RFC 8142) and CSV with ACLED's column names, all byte-identical for
//! the same input (fixed float precision, sorted property keys), written safely (a
//! temporary file in the target's folder, renamed into place).

pub mod csv;
pub mod distances;
pub mod geojson;
pub mod gpkg;
pub mod read;
pub mod record;
pub mod sources;

use std::io::Write;
use std::path::Path;

/// Checks, before any work, that `path` can be written: its folder exists and takes a
/// new file, and `path` is not a folder; or it is a device or a pipe (`/dev/null`, a
/// FIFO) that opens for writing. Leaves nothing behind.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a folder",
        ));
    }
    if is_special(path) {
        // opening a FIFO for writing waits for its reader: checked when written
        return Ok(());
    }
    let probe = folder(&resolved(path)).join(format!(".clashmap-probe.{}.tmp", std::process::id()));
    std::fs::File::create(&probe)?;
    std::fs::remove_file(&probe)
}

/// The folder a file goes in (`.` for a bare file name).
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Whether `path` exists and is neither a regular file nor a folder: a device, a pipe
/// or a socket, written to as it is (a file renamed over it would replace it).
pub(crate) fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The file a path names: a symbolic link's target (the link is kept and its target
/// replaced), else the path itself.
fn resolved(path: &Path) -> std::path::PathBuf {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// The file a path names ([`resolved`]: a symbolic link's target) and the temporary
/// file beside it that is written first and renamed over it.
pub(crate) fn temporary_beside(path: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let path = resolved(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = folder(&path).join(format!(".{name}.{}.tmp", std::process::id()));
    (path, tmp)
}

/// Writes a file atomically: the content goes to a temporary file beside `path`,
/// which is renamed over it only when complete, so an existing file is never left
/// half-written. A symbolic link keeps pointing where it did (its target is
/// replaced); a device or a pipe (`/dev/null`, a FIFO) is written to directly.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    if is_special(path) {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        let mut w = std::io::BufWriter::new(file);
        write(&mut w)?;
        return w.flush();
    }
    let (path, tmp) = temporary_beside(path);
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(Writeback::new(file));
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?.file;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A file being written whose pages the kernel is asked to start writing to disk every
/// [`Writeback::CHUNK`] bytes (Linux `sync_file_range`, which does not wait for them):
/// the disk works while the rest is made, and the `fsync` before the rename waits for
/// the tail only (on a 1 GB `run` the outputs are about 1.5 GB).
struct Writeback {
    file: std::fs::File,
    written: u64,
    started: u64,
}

impl Writeback {
    /// Bytes between two requests.
    const CHUNK: u64 = 16 << 20;

    fn new(file: std::fs::File) -> Self {
        Writeback {
            file,
            written: 0,
            started: 0,
        }
    }
}

impl Write for Writeback {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::CHUNK {
            start_writeback(&self.file, self.started, self.written - self.started);
            self.started = self.written;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Asks the kernel to start writing `len` bytes at `offset` of `file` to disk, without
/// waiting; a request it refuses changes nothing (the `fsync` writes them).
#[cfg(target_os = "linux")]
fn start_writeback(file: &std::fs::File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: a plain system call on an open descriptor of `file`, with no pointers
    let _ = unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE)
    };
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &std::fs::File, _offset: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_written_past_several_writeback_requests_keeps_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        std::fs::write(&path, "old").unwrap();
        // 2.5 chunks, in pieces that do not divide a chunk
        let piece: Vec<u8> = (0..=250u8).collect();
        let n = (Writeback::CHUNK as usize * 5 / 2) / piece.len() + 1;
        write_atomic(&path, |w| {
            for _ in 0..n {
                w.write_all(&piece)?;
            }
            Ok(())
        })
        .unwrap();
        let got = std::fs::read(&path).unwrap();
        assert_eq!(got.len(), n * piece.len());
        assert!(got.chunks(piece.len()).all(|c| c == piece.as_slice()));
        // nothing left beside it
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
