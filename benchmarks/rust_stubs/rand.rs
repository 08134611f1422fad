//! Declarations-only stand-in for the `rand` crate: HumanEval-X Rust declarations import
//! `rand::Rng`; no canonical solution calls it. Lets rustc resolve the import offline.
pub trait Rng {}
