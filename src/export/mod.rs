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
/// new file, and `path` is not a folder. Leaves nothing behind.
pub fn check_writable(path: &Path) -> std::io::Result<()> {
    if path.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "is a folder",
        ));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let probe = dir.join(format!(".clashmap-probe.{}.tmp", std::process::id()));
    std::fs::File::create(&probe)?;
    std::fs::remove_file(&probe)
}

/// Writes a file atomically: the content goes to a temporary file beside `path`,
/// which is renamed over it only when complete, so an existing file is never left
/// half-written.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
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
