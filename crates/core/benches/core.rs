//! Benchmarks of the core engine: checking every bundled scenario (target:
//! under 50 ms), analysing each bundled scenario (under 1 s each) and a
//! generated 1,000-node scenario (under 2 s). `cargo bench --bench core`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use kiku_core::load;
use kiku_core::tools::{analyse, synthetic};

fn bundled_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

fn check_bundled(c: &mut Criterion) {
    let dir = [bundled_dir()];
    let loaded = load::load_all(&dir);
    assert!(
        loaded.iter().all(|l| !l.has_errors()),
        "bundled scenarios must check clean"
    );
    c.bench_function(
        &format!("check all {} bundled scenarios", loaded.len()),
        |b| b.iter(|| load::load_all(&dir)),
    );
}

fn analyse_bundled(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyse bundled");
    group.sample_size(10);
    for loaded in load::load_all(&[bundled_dir()]) {
        let Some(scenario) = loaded.scenario else {
            continue;
        };
        group.bench_function(scenario.id.clone(), |b| {
            b.iter(|| analyse::analyse(&scenario, 1))
        });
    }
    group.finish();
}

fn analyse_generated(c: &mut Criterion) {
    let text = synthetic::to_ron(&synthetic::layered(1000));
    let loaded = load::load_str(Path::new("generated.ron"), text.clone());
    let scenario: Arc<_> = loaded
        .scenario
        .expect("the generated scenario checks clean");
    let mut group = c.benchmark_group("generated 1000 nodes");
    group.sample_size(10);
    group.bench_function("check", |b| {
        b.iter(|| load::load_str(Path::new("generated.ron"), text.clone()))
    });
    group.bench_function("analyse", |b| b.iter(|| analyse::analyse(&scenario, 1)));
    group.finish();
}

criterion_group!(benches, check_bundled, analyse_bundled, analyse_generated);
criterion_main!(benches);
