//! Hearing one typed reply (target: under 30 ms at p99 on the 2-core
//! machine). `cargo bench -p kiku-hear`.

fn main() {}
