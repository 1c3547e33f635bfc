//! Embeds every lexicon file in `data/lexicon/` so that adding a language is adding a
//! file: this script lists them at build time into `$OUT_DIR/lexicons.rs`, with the
//! frequent-word lists of `data/lexicon/frequent/` (one per language).
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("data/lexicon");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<String> = fs::read_dir(dir)
        .expect("data/lexicon exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    let mut out = String::from("/// Every lexicon file of data/lexicon, as (file name, text).\n");
    out.push_str("pub static EMBEDDED: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed=data/lexicon/{f}");
        out.push_str(&format!(
            "    ({f:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/data/lexicon/{f}\"))),\n"
        ));
    }
    out.push_str("];\n");
    // the frequent-word lists, data/lexicon/frequent/LANG.txt, as (language, text)
    let freq = dir.join("frequent");
    println!("cargo:rerun-if-changed={}", freq.display());
    let mut lists: Vec<String> = fs::read_dir(&freq)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".txt"))
                .collect()
        })
        .unwrap_or_default();
    lists.sort();
    out.push_str("/// The frequent-word lists of data/lexicon/frequent, as (language, text).\n");
    out.push_str("pub static FREQUENT: &[(&str, &str)] = &[\n");
    for f in &lists {
        println!("cargo:rerun-if-changed=data/lexicon/frequent/{f}");
        let lang = f.trim_end_matches(".txt");
        out.push_str(&format!(
            "    ({lang:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/data/lexicon/frequent/{f}\"))),\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("lexicons.rs");
    fs::write(dest, out).unwrap();
}
