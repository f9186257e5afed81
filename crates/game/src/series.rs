//! Series in the game: a follow-up 1on1 starts from how the trainee's own
//! last 1on1 of the earlier scenario went (read from the local board and
//! replayed), or from the scenario's authored default when there is none.

use std::path::Path;

use kiku_board::local;
use kiku_core::play::prior::Prior;
use kiku_core::text::Text;
use kiku_core::{Finished, Scenario};

/// The trainee's latest finished record of scenario `id` on this machine.
pub fn last_record(data_dir: &Path, id: &str) -> Option<Finished> {
    let store = kiku_board::store::Store::open(&local::path_in(data_dir)).ok()?;
    store
        .entries()
        .ok()?
        .into_iter()
        .map(|e| e.finished)
        .filter(|f| f.scenario == id && f.ending.is_some())
        .max_by_key(|f| f.finished_ms)
}

/// The prior a follow-up starts from: the trainee's own last record of the
/// earlier scenario when there is one that replays, else the authored
/// default. `None` for a scenario that follows nothing. A record that no
/// longer replays gives the default and a notice saying why.
pub fn prior_for(follow_up: &Scenario, data_dir: Option<&Path>) -> (Option<Prior>, Option<Text>) {
    let Some(earlier_id) = follow_up.follows.as_deref() else {
        return (None, None);
    };
    let record = data_dir.and_then(|dir| last_record(dir, earlier_id));
    let from_record = record
        .zip(follow_up.earlier())
        .map(|(record, earlier)| Prior::from_record(follow_up, &earlier, &record));
    match from_record {
        Some(Ok(prior)) => (Some(prior), None),
        Some(Err(e)) => (
            Prior::default_for(follow_up),
            Some(Text::new(
                format!("前回の1on1の記録を読み込めなかったため、想定の前回から始めます({e})。"),
                format!(
                    "your last 1on1 of the earlier scenario could not be replayed, so this one starts from an assumed last time: {e}"
                ),
            )),
        ),
        None => (Prior::default_for(follow_up), None),
    }
}
