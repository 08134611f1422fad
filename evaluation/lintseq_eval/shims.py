"""Small stand-ins for third-party packages that HumanEval-X tests import.

HumanEval-X's Go tests import ``github.com/stretchr/testify/assert`` and its Rust programs
``rand``, ``regex`` and ``md5``; fetching them needs the network, which neither CI nor the
sandbox has. The stand-ins implement exactly the API the benchmark uses, with the same
semantics: testify's ``assert.New(t).Equal`` (``ObjectsAreEqual``: ``bytes.Equal`` for
``[]byte``, else ``reflect.DeepEqual``, failing through ``t.Errorf``), rand 0.7's
``thread_rng``/``gen_range(low, high)``/``gen``/``random``, md5's ``compute`` and a regex
subset (literals, ``.``, classes, ``\\s\\d\\w``, ``* + ?``, ``^ $``) with ``new``,
``is_match``, ``find`` and ``split``. Rust stand-ins are compiled once per rustc version into
a cache folder (``$LINTSEQ_CACHE`` or ``~/.cache/lintseq``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from functools import lru_cache
from pathlib import Path

from lintseq_eval.errors import ToolchainMissingError

__all__ = ["GO_TESTIFY_ASSERT", "GO_TESTIFY_MOD", "RUST_CRATES", "rust_crates_dir"]

GO_TESTIFY_MOD = "module github.com/stretchr/testify\n\ngo 1.18\n"

GO_TESTIFY_ASSERT = r'''// Package assert: the subset of testify's assert that HumanEval-X uses (lintseq stand-in).
package assert

import (
	"bytes"
	"reflect"
	"testing"
)

type Assertions struct{ t *testing.T }

func New(t *testing.T) *Assertions { return &Assertions{t: t} }

func ObjectsAreEqual(expected, actual interface{}) bool {
	if expected == nil || actual == nil {
		return expected == actual
	}
	exp, ok := expected.([]byte)
	if !ok {
		return reflect.DeepEqual(expected, actual)
	}
	act, ok := actual.([]byte)
	if !ok {
		return false
	}
	if exp == nil || act == nil {
		return exp == nil && act == nil
	}
	return bytes.Equal(exp, act)
}

func (a *Assertions) Equal(expected, actual interface{}, msgAndArgs ...interface{}) bool {
	a.t.Helper()
	if !ObjectsAreEqual(expected, actual) {
		a.t.Errorf("Not equal: expected: %#v (%T), actual: %#v (%T) %v", expected, expected, actual, actual, msgAndArgs)
		return false
	}
	return true
}

func Equal(t *testing.T, expected, actual interface{}, msgAndArgs ...interface{}) bool {
	t.Helper()
	return New(t).Equal(expected, actual, msgAndArgs...)
}
'''

_RUST_RAND = r'''//! rand 0.7 subset (lintseq stand-in): thread_rng, Rng::{gen_range, gen}, random.
use std::cell::Cell;
use std::time::{SystemTime, UNIX_EPOCH};

thread_local!(static STATE: Cell<u64> = Cell::new(0));

fn next_u64() -> u64 {
    STATE.with(|s| {
        let mut x = s.get();
        if x == 0 {
            let t = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1);
            x = t ^ 0x9E37_79B9_7F4A_7C15 ^ (&x as *const u64 as u64);
            if x == 0 { x = 1; }
        }
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        s.set(x);
        x
    })
}

pub struct ThreadRng;

pub fn thread_rng() -> ThreadRng { ThreadRng }

pub trait SampleUniform: Copy { fn sample(low: Self, high: Self) -> Self; }
pub trait Standard: Sized { fn standard() -> Self; }

macro_rules! ints { ($($t:ty),*) => { $(
    impl SampleUniform for $t {
        fn sample(low: Self, high: Self) -> Self {
            assert!(low < high, "gen_range: low >= high");
            let span = (high as i128 - low as i128) as u128;
            (low as i128 + (next_u64() as u128 % span) as i128) as $t
        }
    }
    impl Standard for $t { fn standard() -> Self { next_u64() as $t } }
)* } }
ints!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);

macro_rules! floats { ($($t:ty),*) => { $(
    impl SampleUniform for $t {
        fn sample(low: Self, high: Self) -> Self {
            assert!(low < high, "gen_range: low >= high");
            low + (high - low) * ((next_u64() >> 11) as f64 / (1u64 << 53) as f64) as $t
        }
    }
    impl Standard for $t { fn standard() -> Self { ((next_u64() >> 11) as f64 / (1u64 << 53) as f64) as $t } }
)* } }
floats!(f32, f64);

impl Standard for bool { fn standard() -> Self { next_u64() & 1 == 1 } }
impl Standard for char { fn standard() -> Self { (b'a' + (next_u64() % 26) as u8) as char } }

pub trait Rng {
    fn gen_range<T: SampleUniform>(&mut self, low: T, high: T) -> T { T::sample(low, high) }
    fn gen<T: Standard>(&mut self) -> T { T::standard() }
    fn gen_bool(&mut self, p: f64) -> bool { f64::standard() < p }
}
impl Rng for ThreadRng {}

pub fn random<T: Standard>() -> T { T::standard() }
'''

_RUST_MD5 = r'''//! md5 0.7 subset (lintseq stand-in): compute() -> Digest, formatted with {:x}.
use std::fmt;

pub struct Digest(pub [u8; 16]);

impl fmt::LowerHex for Digest {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for b in self.0.iter() { write!(f, "{:02x}", b)?; }
        Ok(())
    }
}
impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { fmt::LowerHex::fmt(self, f) }
}

pub fn compute<T: AsRef<[u8]>>(data: T) -> Digest {
    const S: [u32; 64] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21];
    let k: Vec<u32> = (0..64).map(|i| ((i as f64 + 1.0).sin().abs() * 4294967296.0) as u32).collect();
    let mut msg = data.as_ref().to_vec();
    let bit_len = (msg.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 { msg.push(0); }
    msg.extend_from_slice(&bit_len.to_le_bytes());
    let (mut a0, mut b0, mut c0, mut d0) = (0x67452301u32, 0xefcdab89u32, 0x98badcfeu32, 0x10325476u32);
    for chunk in msg.chunks(64) {
        let m: Vec<u32> = chunk.chunks(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
        let (mut a, mut b, mut c, mut d) = (a0, b0, c0, d0);
        for i in 0..64 {
            let (f, g) = match i / 16 {
                0 => ((b & c) | (!b & d), i),
                1 => ((d & b) | (!d & c), (5 * i + 1) % 16),
                2 => (b ^ c ^ d, (3 * i + 5) % 16),
                _ => (c ^ (b | !d), (7 * i) % 16),
            };
            let f2 = f.wrapping_add(a).wrapping_add(k[i]).wrapping_add(m[g]);
            a = d; d = c; c = b;
            b = b.wrapping_add(f2.rotate_left(S[i]));
        }
        a0 = a0.wrapping_add(a); b0 = b0.wrapping_add(b); c0 = c0.wrapping_add(c); d0 = d0.wrapping_add(d);
    }
    let mut out = [0u8; 16];
    out[..4].copy_from_slice(&a0.to_le_bytes());
    out[4..8].copy_from_slice(&b0.to_le_bytes());
    out[8..12].copy_from_slice(&c0.to_le_bytes());
    out[12..].copy_from_slice(&d0.to_le_bytes());
    Digest(out)
}
'''

_RUST_REGEX = r'''//! regex subset (lintseq stand-in): a backtracking matcher for literals, `.`, classes
//! `[...]` (ranges, negation, escapes), `\s \d \w \S \D \W`, quantifiers `* + ?` (greedy)
//! and anchors `^ $`. Anything else (groups, alternation, counted repetition) is an Err.
use std::fmt;

#[derive(Debug)]
pub struct Error(String);
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "unsupported regex: {}", self.0) }
}
impl std::error::Error for Error {}

#[derive(Clone, Debug)]
enum Atom { Any, Char(char), Class(Vec<(char, char)>, bool), Start, End }
#[derive(Clone, Debug)]
struct Piece { atom: Atom, min: usize, max: usize }

#[derive(Clone, Debug)]
pub struct Regex { pieces: Vec<Piece>, src: String }

fn class_escape(c: char) -> Option<(Vec<(char, char)>, bool)> {
    let digits = vec![('0', '9')];
    let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
    let space = vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r'), ('\x0b', '\x0c')];
    match c {
        'd' => Some((digits, false)), 'D' => Some((digits, true)),
        'w' => Some((word, false)), 'W' => Some((word, true)),
        's' => Some((space, false)), 'S' => Some((space, true)),
        _ => None,
    }
}

impl Regex {
    pub fn new(re: &str) -> Result<Regex, Error> {
        let cs: Vec<char> = re.chars().collect();
        let mut i = 0;
        let mut pieces: Vec<Piece> = Vec::new();
        while i < cs.len() {
            let c = cs[i];
            let atom = match c {
                '.' => Atom::Any,
                '^' => Atom::Start,
                '$' => Atom::End,
                '\\' => {
                    i += 1;
                    let e = *cs.get(i).ok_or_else(|| Error(re.to_string()))?;
                    match class_escape(e) {
                        Some((r, neg)) => Atom::Class(r, neg),
                        None if e.is_alphanumeric() => return Err(Error(re.to_string())),
                        None => Atom::Char(e),
                    }
                }
                '[' => {
                    i += 1;
                    let mut neg = false;
                    if cs.get(i) == Some(&'^') { neg = true; i += 1; }
                    let mut ranges = Vec::new();
                    let mut first = true;
                    loop {
                        let c = *cs.get(i).ok_or_else(|| Error(re.to_string()))?;
                        if c == ']' && !first { break; }
                        first = false;
                        let lo = if c == '\\' {
                            i += 1;
                            let e = *cs.get(i).ok_or_else(|| Error(re.to_string()))?;
                            if let Some((r, false)) = class_escape(e) { ranges.extend(r); i += 1; continue; }
                            match e { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => e }
                        } else { c };
                        if cs.get(i + 1) == Some(&'-') && cs.get(i + 2).map_or(false, |&h| h != ']') {
                            ranges.push((lo, cs[i + 2]));
                            i += 3;
                        } else {
                            ranges.push((lo, lo));
                            i += 1;
                        }
                    }
                    Atom::Class(ranges, neg)
                }
                '(' | ')' | '|' | '{' | '}' | '*' | '+' | '?' => return Err(Error(re.to_string())),
                _ => Atom::Char(c),
            };
            i += 1;
            let (min, max) = match cs.get(i) {
                Some('*') => { i += 1; (0, usize::MAX) }
                Some('+') => { i += 1; (1, usize::MAX) }
                Some('?') => { i += 1; (0, 1) }
                _ => (1, 1),
            };
            if matches!(cs.get(i), Some('?') | Some('{')) { return Err(Error(re.to_string())); }
            pieces.push(Piece { atom, min, max });
        }
        Ok(Regex { pieces, src: re.to_string() })
    }

    pub fn as_str(&self) -> &str { &self.src }

    fn one(atom: &Atom, c: char) -> bool {
        match atom {
            Atom::Any => c != '\n',
            Atom::Char(x) => *x == c,
            Atom::Class(r, neg) => r.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *neg,
            Atom::Start | Atom::End => false,
        }
    }

    fn match_here(&self, p: usize, s: &[char], i: usize) -> Option<usize> {
        if p == self.pieces.len() { return Some(i); }
        let piece = &self.pieces[p];
        match piece.atom {
            Atom::Start => return if i == 0 { self.match_here(p + 1, s, i) } else { None },
            Atom::End => return if i == s.len() { self.match_here(p + 1, s, i) } else { None },
            _ => {}
        }
        let mut n = 0;
        while n < piece.max && i + n < s.len() && Regex::one(&piece.atom, s[i + n]) { n += 1; }
        loop {
            if n < piece.min { return None; }
            if let Some(end) = self.match_here(p + 1, s, i + n) { return Some(end); }
            if n == 0 { return None; }
            n -= 1;
        }
    }

    /// Leftmost match as char offsets.
    fn find_chars(&self, s: &[char], from: usize) -> Option<(usize, usize)> {
        (from..=s.len()).find_map(|st| self.match_here(0, s, st).map(|e| (st, e)))
    }

    pub fn is_match(&self, text: &str) -> bool {
        let s: Vec<char> = text.chars().collect();
        self.find_chars(&s, 0).is_some()
    }

    fn spans<'t>(&self, text: &'t str) -> Vec<(usize, usize)> {
        let s: Vec<char> = text.chars().collect();
        let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        let mut out = Vec::new();
        let mut at = 0;
        while at <= s.len() {
            match self.find_chars(&s, at) {
                Some((st, e)) => {
                    out.push((bytes[st], bytes[e]));
                    at = if e == st { e + 1 } else { e };
                }
                None => break,
            }
        }
        out
    }

    pub fn find<'t>(&self, text: &'t str) -> Option<Match<'t>> {
        self.spans(text).into_iter().next().map(|(a, b)| Match { text, start: a, end: b })
    }

    pub fn find_iter<'t>(&self, text: &'t str) -> std::vec::IntoIter<Match<'t>> {
        self.spans(text).into_iter().map(|(a, b)| Match { text, start: a, end: b }).collect::<Vec<_>>().into_iter()
    }

    pub fn split<'t>(&self, text: &'t str) -> std::vec::IntoIter<&'t str> {
        let mut out = Vec::new();
        let mut last = 0;
        for (a, b) in self.spans(text) {
            out.push(&text[last..a]);
            last = b;
        }
        out.push(&text[last..]);
        out.into_iter()
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Match<'t> { text: &'t str, start: usize, end: usize }
impl<'t> Match<'t> {
    pub fn as_str(&self) -> &'t str { &self.text[self.start..self.end] }
    pub fn start(&self) -> usize { self.start }
    pub fn end(&self) -> usize { self.end }
}
'''

RUST_CRATES = {"rand": _RUST_RAND, "md5": _RUST_MD5, "regex": _RUST_REGEX}


def _cache_root() -> Path:
    root = os.environ.get("LINTSEQ_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "lintseq"


@lru_cache(maxsize=1)
def rust_crates_dir() -> Path:
    """Folder with ``lib{rand,md5,regex}.rlib`` built by this machine's rustc (built once)."""
    import shutil

    rustc = shutil.which("rustc")
    if rustc is None:
        raise ToolchainMissingError("rust samples need `rustc` on PATH")
    version = subprocess.run([rustc, "-vV"], capture_output=True, text=True).stdout
    key = hashlib.sha256((version + "".join(RUST_CRATES.values())).encode()).hexdigest()[:16]
    out = _cache_root() / f"rust-crates-{key}"
    if all((out / f"lib{n}.rlib").is_file() for n in RUST_CRATES):
        return out
    tmp = out.with_name(out.name + f".tmp{os.getpid()}")
    tmp.mkdir(parents=True, exist_ok=True)
    for name, src in RUST_CRATES.items():
        (tmp / f"{name}.rs").write_text(src)
        proc = subprocess.run(
            [rustc, "--crate-type", "rlib", "--crate-name", name, "--edition", "2021", "-O", "-A", "warnings",
             "-o", str(tmp / f"lib{name}.rlib"), str(tmp / f"{name}.rs")],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise ToolchainMissingError(f"cannot build the bundled `{name}` crate with {rustc}: {proc.stderr[-800:]}")
    for p in [tmp, *tmp.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    if out.exists():
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        tmp.rename(out)
    out.parent.chmod(0o755)
    return out
