//! clashmap turns news reports of armed clashes into mapped, GIS-ready event data.
//!
//! The library is a pipeline of plain data types, one module per stage:
//!
//! * [`alloc`]: the global allocator the binary and the benchmarks use.
//! * [`article`]: reading articles (files, folders, stdin, JSON Lines).
//! * [`date`]: calendar days, day ranges and publication dates.
//! * [`lexicon`]: the language data (transliteration rules, generic place words) read
//!   from `data/lexicon/*.toml`.
//! * [`normalize`]: folding and transliteration keys: when two spellings name the same
//!   place.
//! * [`gazetteer`]: the places (embedded GeoNames data and user files).
//! * [`geocode`]: names to places, with disambiguation, and a one-pass name scanner.
//! * [`extract`]: sentences, triggers, actors, counts and dates: articles to reports.
//! * [`event`]: the event model, and merging reports of the same event.
//! * [`export`]: GeoJSON output and safe file writing.
//! * [`distance`]: geodesic distances on WGS84.
//! * [`admin`]: admin boundaries (district polygons) from the user's files.
//! * [`basemap`]: province and country polygons for maps and checks.
//! * [`render`]: SVG and PNG maps.
//!
//! The `clashmap` binary (`src/main.rs`, `src/cli/`) is a thin layer over these.

pub mod admin;
pub mod alloc;
pub mod article;
pub mod basemap;
pub mod date;
pub mod distance;
pub mod event;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod geocode;
pub mod lexicon;
pub mod normalize;
pub mod render;
