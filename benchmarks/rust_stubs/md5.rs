//! Declarations-only stand-in for the `md5` crate (the API HumanEval-X Rust/162 uses).
pub struct Digest(pub [u8; 16]);
impl std::fmt::LowerHex for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        for b in &self.0 { write!(f, "{:02x}", b)?; }
        Ok(())
    }
}
pub fn compute<T: AsRef<[u8]>>(_data: T) -> Digest { Digest([0; 16]) }
