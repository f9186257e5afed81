//! Kiku (聴く): a game that trains managers to run 1on1 conversations.
//!
//! The core (everything but `game`) is pure Rust with no Bevy: the scenario
//! model and its loading and checking, the session and simulated member,
//! scoring, and the facilitator's tools. The game, the CLI, the tests and
//! the workshop server all drive the same core.

pub mod act;
pub mod analyse;
pub mod board;
pub mod check;
pub mod diagnostic;
pub mod graph;
pub mod load;
pub mod locate;
pub mod member;
pub mod replay;
pub mod scenario;
pub mod score;
pub mod session;
pub mod synthetic;
pub mod text;

pub use act::Act;
pub use diagnostic::{Diagnostic, Severity};
pub use load::{Loaded, load_file};
pub use scenario::Scenario;
pub use score::{Score, score};
pub use session::{Session, SessionError, Transcript};
pub use text::{Lang, Text};
pub mod cli;
#[cfg(feature = "gui")]
pub mod game;
