//! Load benchmark of the workshop server (placeholder, filled in next).

fn main() {}
