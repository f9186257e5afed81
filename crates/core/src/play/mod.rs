//! Playing a scenario: the [`session::Session`] state machine and the
//! simulated member it moves.

pub mod member;
pub mod prior;
pub mod series;
pub mod session;
