//! kiku-core: Kiku's engine, with no Bevy, no network and no database.
//!
//! The data flow reads off the folders: [`load`] turns scenario files into a
//! checked [`Scenario`]; [`play`] runs a [`Session`] with its simulated
//! member; [`score`] turns a transcript into a [`Score`]; [`record`] holds
//! [`Finished`], the one shape of a finished 1on1 that every store and the
//! wire use; [`tools`] are the facilitator's (analyse, replay, graph).
//! The game, the command line, the tests and the workshop server all drive
//! this same code.

pub mod act;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod load;
pub mod play;
pub mod record;
pub mod scenario;
pub mod score;
pub mod text;
pub mod tools;

pub use act::Act;
pub use load::diagnostic::{Diagnostic, Severity};
pub use load::{Loaded, load_file};
pub use play::session::{Session, SessionError, Transcript};
pub use record::{Finished, Mode};
pub use scenario::Scenario;
pub use score::{Score, Scores, score};
pub use text::{Lang, Text};
