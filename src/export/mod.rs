//! Writing events for GIS tools, and reading them back: GeoJSON (RFC 7946), GeoJSON
//! text sequences (RFC 8142) and CSV with ACLED's column names, all byte-identical for
//! the same input (fixed float precision, sorted property keys), written safely (a
//! temporary file in the target's folder, renamed into place).

pub mod csv;
pub mod distances;
pub mod geojson;
pub mod read;
pub mod record;

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
fn is_special(path: &Path) -> bool {
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
    let path = &resolved(path);
    let dir = folder(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&tmp)?;
        let mut w = std::io::BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
