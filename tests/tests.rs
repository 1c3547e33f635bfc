//! Integration tests: one test binary (one link step), one module per area.

mod admin;
mod articles;
mod cli;
mod copies;
mod geodata;
mod gold;
mod hostile;
