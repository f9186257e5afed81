//! The screens, one file and one plugin each: title, select, briefing,
//! conversation, debrief, settings, leaderboard, history (and the
//! debrief's series view).

use bevy::prelude::*;

pub mod briefing;
pub mod conversation;
pub mod debrief;
pub mod history;
pub mod leaderboard;
pub mod select;
pub mod series;
pub mod settings;
pub mod title;

/// Every screen's drawing.
pub fn plugin(app: &mut App) {
    app.add_plugins((
        title::plugin,
        select::plugin,
        briefing::plugin,
        conversation::plugin,
        debrief::plugin,
        settings::plugin,
        leaderboard::plugin,
        history::plugin,
    ));
}
