//! The core engine end to end: bundled scenarios load, play and score.
