//! Tools for developers and facilitators: a picture of every screen
//! (`--screenshots`) and hot reload of edited scenario files.

pub mod hot_reload;
pub mod practice;
pub mod screenshots;
