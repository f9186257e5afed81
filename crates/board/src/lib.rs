//! kiku-board: the leaderboards. The local board every finished 1on1 goes
//! to, the workshop server (`kiku serve`) with its live projector page, and
//! the game's client with its offline queue. No Bevy here.

pub mod client;
pub mod csv;
pub mod files;
pub mod local;
pub mod nickname;
pub mod org;
pub mod page;
pub mod postgres;
pub mod protocol;
pub mod ratelimit;
pub mod rescore;
pub mod serve;
pub mod server;
pub mod store;
pub mod throwaway;

/// A small valid scenario for the board's tests.
#[cfg(test)]
pub(crate) fn server_tests_fixture() -> std::sync::Arc<kiku_core::Scenario> {
    kiku_core::fixtures::board()
}

/// `n` random bytes from the operating system (falls back to the clock and
/// the process id if that fails, which it does not on supported systems).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    if getrandom::fill(&mut buf).is_err() {
        use sha2::{Digest, Sha256};
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        let digest = Sha256::digest(seed.as_bytes());
        for (b, d) in buf.iter_mut().zip(digest.iter().cycle()) {
            *b = *d;
        }
    }
    buf
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
