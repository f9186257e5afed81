//! The facilitator's tools over the engine: analyse every path, replay a
//! choice list, draw the graph, and generate large scenarios for benchmarks.

pub mod analyse;
pub mod calibrate;
pub mod continuity;
pub mod graph;
pub mod replay;
pub mod series;
pub mod synthetic;
