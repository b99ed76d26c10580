//! A tiny deterministic random number generator, so the sample is byte-for-byte
//! reproducible without depending on a crate's algorithm staying the same across versions.

/// SplitMix64: small, fast, and good enough to make test data look varied.
pub struct Rng(u64);

impl Rng {
    /// A generator that always yields the same sequence for the same seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (the modulo bias is irrelevant for sample data).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// An index in `0..len`.
    pub fn index(&mut self, len: usize) -> usize {
        let len = u64::try_from(len).expect("a slice length fits in u64");
        usize::try_from(self.below(len)).expect("an index below a slice length fits in usize")
    }

    /// True with the given probability in percent.
    pub fn percent(&mut self, chance: u64) -> bool {
        self.below(100) < chance
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.index(i + 1);
            items.swap(i, j);
        }
    }

    /// `len` lowercase hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b"0123456789abcdef"[self.index(16)]))
            .collect()
    }

    /// `len` decimal digits, the first not zero.
    pub fn digits(&mut self, len: usize) -> String {
        let first = char::from(b'1' + u8::try_from(self.below(9)).expect("below 9"));
        let rest = (1..len).map(|_| char::from(b'0' + u8::try_from(self.below(10)).expect("<10")));
        std::iter::once(first).chain(rest).collect()
    }

    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes
    }
}
