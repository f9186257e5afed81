//! A 1on1 ends: [`crate::intent`] scores it once and sends one
//! [`OneOnOneFinished`] message carrying its [`Finished`] record; the one
//! system here writes it to the local board (and the scenario cards'
//! records) and, when the trainee has joined a workshop, to its outbox.

use bevy::prelude::*;
use kiku_board::local;
use kiku_core::Finished;

use crate::state::Library;
use crate::workshop::Workshop;

/// A finished, scored 1on1.
#[derive(Message, Clone, Debug, PartialEq)]
pub struct OneOnOneFinished(pub Finished);

/// The message; [`crate::logic_plugin`] runs [`record`] right after the
/// intents that finish a 1on1.
pub(crate) fn plugin(app: &mut App) {
    app.add_message::<OneOnOneFinished>();
}

/// Stores each finished 1on1 once: in the player's records, in the local
/// board (when there is a data folder: screenshots and tests run without
/// one), and in the joined workshop's outbox.
pub fn record(
    mut finished: MessageReader<OneOnOneFinished>,
    mut library: ResMut<Library>,
    mut workshop: ResMut<Workshop>,
) {
    for OneOnOneFinished(record) in finished.read() {
        library.count(&record.scenario, record.scores.overall);
        let Some(dir) = workshop.data_dir.clone() else {
            continue;
        };
        workshop.record_error = local::record_at(&local::path_in(&dir), record)
            .err()
            .map(|e| e.to_string());
        // The leaderboard screen reads the board again.
        workshop.local = None;
        workshop.submit(record);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_a_finished_1on1_in_the_records_without_a_data_folder() {
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .init_resource::<Library>()
            .init_resource::<Workshop>()
            .add_message::<OneOnOneFinished>()
            .add_systems(Update, record);
        let mut record = Finished {
            scenario: "s".into(),
            title: kiku_core::Text::new("題", "Title"),
            content_hash: "h".into(),
            seed: 1,
            choices: vec!["a".into()],
            ending: Some("e".into()),
            scores: kiku_core::Scores {
                overall: 70,
                ..Default::default()
            },
            finished_ms: 0,
            mode: kiku_core::Mode::Choose,
            prior: None,
        };
        app.world_mut()
            .write_message(OneOnOneFinished(record.clone()));
        app.update();
        record.scores.overall = 50;
        app.world_mut().write_message(OneOnOneFinished(record));
        app.update();
        let records = &app.world().resource::<Library>().records;
        assert_eq!(records["s"].plays, 2);
        assert_eq!(records["s"].best, Some(70));
        assert_eq!(records["s"].last, Some(50));
    }
}
