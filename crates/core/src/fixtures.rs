//! The test scenarios in `tests/fixtures/`, loaded once for the unit tests
//! of every crate (kiku-board and kiku-game turn on the `fixtures` feature
//! in their dev-dependencies; the shipped engine does not carry them).

use std::path::Path;
use std::sync::Arc;

use crate::load::load_str;
use crate::scenario::Scenario;

/// `tests/fixtures/sample.ron`: a small scenario with a loop, three endings.
pub const SAMPLE: &str = include_str!("../../../tests/fixtures/sample.ron");

/// `tests/fixtures/board_scenario.ron`: loop-free, three decision points.
pub const BOARD: &str = include_str!("../../../tests/fixtures/board_scenario.ron");

/// Loads RON text that must be a valid scenario (panics with the
/// diagnostics otherwise: for tests only).
pub fn scenario(name: &str, text: &str) -> Arc<Scenario> {
    let loaded = load_str(Path::new(name), text.to_string());
    match &loaded.scenario {
        Some(scenario) if !loaded.has_errors() => Arc::clone(scenario),
        _ => panic!("{}", loaded.render()),
    }
}

/// The sample fixture.
pub fn sample() -> Arc<Scenario> {
    scenario("sample.ron", SAMPLE)
}

/// The board's fixture.
pub fn board() -> Arc<Scenario> {
    scenario("board_scenario.ron", BOARD)
}
