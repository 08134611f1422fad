//! rand 0.7 subset (lintseq stand-in): thread_rng, Rng::{gen_range, gen}, random.
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
