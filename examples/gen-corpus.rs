//! Writes a generated corpus of news-like articles (Dutch and English, from the
//! project's own templates, with names from the gazetteer) for benchmarks and scale
//! tests: `cargo run --release --example gen-corpus -- --mb 200 --out corpus/`.
//! Files go in sub-folders of 1,000; the same size and seed give the same bytes.

#[path = "../benches/common/corpus.rs"]
mod corpus;

use std::io::Write;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let mut mb = 100usize;
    let mut out = PathBuf::from("corpus");
    let mut seed = 7u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mb" => mb = args.next().and_then(|v| v.parse().ok()).expect("--mb N"),
            "--out" => out = args.next().map(PathBuf::from).expect("--out DIR"),
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).expect("--seed N"),
            other => {
                eprintln!(
                    "usage: gen-corpus --mb N --out DIR [--seed N] (unknown argument {other})"
                );
                std::process::exit(2);
            }
        }
    }
    let g = clashmap::gazetteer::Gazetteer::embedded();
    let (mut n, mut bytes, mut err) = (0usize, 0usize, None);
    corpus::generate(&g, mb << 20, seed, &mut |id, text| {
        if err.is_some() {
            return;
        }
        let dir = out.join(format!("{:04}", n / 1000));
        let r = std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::File::create(dir.join(&id))?.write_all(text.as_bytes()));
        if let Err(e) = r {
            err = Some(e);
        }
        n += 1;
        bytes += text.len();
    });
    if let Some(e) = err {
        return Err(e);
    }
    eprintln!(
        "gen-corpus: {n} articles, {bytes} bytes in {}",
        out.display()
    );
    Ok(())
}
