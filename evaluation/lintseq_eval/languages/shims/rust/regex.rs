//! regex subset (lintseq stand-in): a backtracking matcher for literals, `.`, classes
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
