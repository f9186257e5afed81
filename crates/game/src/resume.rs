//! Resume: a 1on1 in progress is saved atomically after every turn
//! (`unfinished.json` in the data folder: scenario, seed, choices, mode and
//! the trainee's typed words), so quitting mid-way or a crash loses
//! nothing; on the next start the title screen offers to resume it.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use kiku_board::files::{self, Read};
use kiku_core::Mode;
use kiku_core::text::Text;

use crate::state::{Config, Game, Said};

/// The file name in the data folder.
pub const FILE: &str = "unfinished.json";

/// A 1on1 in progress, as saved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unfinished {
    /// The scenario id.
    pub scenario: String,
    /// Its title, for the offer to resume.
    pub title: Text,
    /// [`kiku_core::Scenario::content_hash`] as played (a changed scenario
    /// may still replay; if not, the trainee is told).
    pub content_hash: String,
    /// The seed.
    pub seed: u64,
    /// The choice ids said so far.
    pub choices: Vec<String>,
    /// Chose or said it in their own words.
    #[serde(default)]
    pub mode: Mode,
    /// A follow-up: how the earlier 1on1 went, as this one started from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior: Option<kiku_core::play::prior::Prior>,
    /// Recall mode: the typed words, one per turn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub said: Vec<Said>,
    /// When it was saved, milliseconds since the Unix epoch.
    pub saved_ms: i64,
}

/// The file in `dir`.
pub fn path_in(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// Reads a saved 1on1 in progress: `Ok(None)` when there is none; a corrupt
/// file is moved aside and its message returned.
pub fn load(dir: &Path) -> Result<Option<Unfinished>, Text> {
    match files::read_json::<Unfinished>(&path_in(dir)) {
        Read::Ok(u) if !u.choices.is_empty() => Ok(Some(u)),
        Read::Ok(_) | Read::Missing => Ok(None),
        Read::Corrupt { message, .. } => Err(message),
    }
}

/// Forgets the saved 1on1 (finished, left, or resumed and saved anew).
pub fn forget(dir: &Path) {
    let _ = std::fs::remove_file(path_in(dir));
}

/// What was last saved: scenario, seed and turns (a new turn, a correction
/// or another 1on1 changes it).
#[derive(Clone, Debug, Default, PartialEq)]
struct SavedKey(Option<(String, u64, Vec<String>, usize, bool)>);

/// Loads the offer on start and saves the play after every turn.
pub fn plugin(app: &mut App) {
    app.add_systems(Startup, offer)
        .add_systems(Update, save.after(crate::intent::apply_intents));
}

fn offer(config: Res<Config>, mut game: ResMut<Game>) {
    let Some(dir) = &config.data_dir else {
        return;
    };
    match load(dir) {
        Ok(found) => game.resumable = found,
        Err(message) => game.notices.push(message),
    }
}

fn save(config: Res<Config>, mut game: ResMut<Game>, mut last: Local<SavedKey>) {
    // Nothing to compare while the game is untouched (most frames).
    if !game.is_changed() {
        return;
    }
    let Some(dir) = &config.data_dir else {
        return;
    };
    let Some(play) = game.play.as_ref() else {
        if last.0.take().is_some() {
            forget(dir);
        }
        return;
    };
    let session = &play.session;
    let choices = session.transcript().choice_ids();
    let said = play.recall.as_ref().map_or(&[][..], |r| &r.said[..]);
    let key = (
        session.scenario().id.clone(),
        session.transcript().seed,
        choices.clone(),
        said.len(),
        play.recorded,
    );
    if last.0.as_ref() == Some(&key) {
        return;
    }
    // Recorded (or nothing said yet): nothing to resume. A recall 1on1 at
    // its end is not recorded until the trainee leaves the end, so it is
    // still saved.
    let unfinished = (!play.recorded && !choices.is_empty()).then(|| Unfinished {
        scenario: session.scenario().id.clone(),
        title: session.scenario().title.clone(),
        content_hash: session.scenario().content_hash(),
        seed: session.transcript().seed,
        choices,
        mode: play.mode(),
        prior: session.prior().cloned(),
        said: said.to_vec(),
        saved_ms: kiku_core::record::now_ms(),
    });
    last.0 = Some(key);
    // Another 1on1 has started: the old offer goes.
    game.resumable = None;
    let Some(unfinished) = unfinished else {
        forget(dir);
        return;
    };
    if let Err(e) = files::write_json(&path_in(dir), &unfinished) {
        game.notices.push(Text::new(
            format!("途中の1on1を保存できませんでした({e})。"),
            format!("could not save the 1on1 in progress: {e}"),
        ));
    }
}
