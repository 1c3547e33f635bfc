//! The project keeps copies of `../shared/` (samples in `data/articles/`, the gold in
//! `tests/fixtures/gold/`) so that a user's clone runs its tests; when `../shared/` is
//! present (developers, CI), the copies must be identical to it.

use std::fs;
use std::path::Path;

fn assert_same_files(shared: &Path, copy: &Path) {
    let mut names: Vec<_> = fs::read_dir(shared)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for n in names {
        let a = fs::read(shared.join(&n)).unwrap();
        let b = fs::read(copy.join(&n)).unwrap_or_else(|_| {
            panic!("{} is missing from {}", n.to_string_lossy(), copy.display())
        });
        assert!(
            a == b,
            "{} differs from {}",
            copy.join(&n).display(),
            shared.join(&n).display()
        );
    }
}

#[test]
fn samples_and_gold_are_identical_to_shared() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared");
    if !shared.is_dir() {
        eprintln!("../shared is absent (a user's clone): nothing to compare");
        return;
    }
    assert_same_files(&shared.join("samples"), &root.join("data/articles"));
    assert_same_files(&shared.join("gold"), &root.join("tests/fixtures/gold"));
}
