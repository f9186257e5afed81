//! Hearing one typed reply (target: under 30 ms at p99 on the 2-core
//! machine), with the scenario prepared once as the game does, and with
//! the one-shot `hear` that prepares it each call; before that, the time
//! and resident memory that loading the sentence encoder takes (targets
//! under 1 s and 150 MB). `cargo bench -p kiku-hear`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use kiku_core::text::Lang;
use kiku_core::{Session, load};
use kiku_hear::{Hearer, hear};

/// The process's resident memory in KiB (`VmRSS` of /proc/self/status),
/// or `None` where there is no such file.
fn rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn hear_one(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/02_ai_anxiety.ron");
    let scenario = load::load_file(&path).scenario.expect("the scenario loads");
    let session = Session::replay(&scenario, 1, &["op_complex", "td_complex", "tt_silence"])
        .expect("the prefix plays");
    // Loading the sentence encoder: time and resident memory it adds.
    let before = rss_kib();
    let start = std::time::Instant::now();
    let loaded = kiku_hear::embed::shared();
    let load_time = start.elapsed();
    let after = rss_kib();
    match (&loaded, before, after) {
        (Ok(_), Some(b), Some(a)) => println!(
            "load the model: {load_time:?}, resident memory {:.1} MiB -> {:.1} MiB (+{:.1} MiB)",
            b as f64 / 1024.0,
            a as f64 / 1024.0,
            a.saturating_sub(b) as f64 / 1024.0
        ),
        (Ok(_), _, _) => println!("load the model: {load_time:?}"),
        (Err(e), _, _) => println!("no model, words and acts only: {e}"),
    }
    let hearer = Hearer::new(&scenario);
    let ja = "13年磨いてきた腕がいらなくなるかもしれない、その怖さが不満の奥にあったんですね";
    let en = "Under the frustration there's a fear that thirteen years of skill won't be needed";
    // Unprepared, the first reply at a menu also embeds that menu's lines.
    let cold = Hearer::new(&scenario);
    let start = std::time::Instant::now();
    std::hint::black_box(cold.hear(&session, ja, Lang::Ja));
    println!(
        "first reply at a menu without prepare: {:?}",
        start.elapsed()
    );
    // The game prepares the menu when it appears.
    let start = std::time::Instant::now();
    hearer.prepare(&session);
    println!(
        "prepare a menu (its lines in both languages): {:?}",
        start.elapsed()
    );
    if let Some(rss) = rss_kib() {
        println!(
            "resident memory after hearing: {:.1} MiB",
            rss as f64 / 1024.0
        );
    }
    // Criterion reports means; the target is a p99 of single calls.
    let mut times: Vec<std::time::Duration> = (0..2000)
        .map(|i| {
            let text = if i % 2 == 0 { ja } else { en };
            let start = std::time::Instant::now();
            std::hint::black_box(hearer.hear(&session, text, Lang::Ja));
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    println!(
        "hear one reply, single calls (prepared): p50 {:?}, p99 {:?}, max {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1]
    );
    // A reply of two sentences: the act model also embeds the last one.
    let two = "ごめん、いまのは先走ったね。その怖さ、もう少し聞かせてもらえる?";
    let mut times: Vec<std::time::Duration> = (0..500)
        .map(|_| {
            let start = std::time::Instant::now();
            std::hint::black_box(hearer.hear(&session, two, Lang::Ja));
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    println!(
        "hear a two-sentence reply, single calls (prepared): p50 {:?}, p99 {:?}, max {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1]
    );
    c.bench_function("hear one reply (ja, prepared)", |b| {
        b.iter(|| hearer.hear(&session, ja, Lang::Ja))
    });
    c.bench_function("hear one reply (en, prepared)", |b| {
        b.iter(|| hearer.hear(&session, en, Lang::En))
    });
    c.bench_function("hear one reply (ja, preparing the scenario)", |b| {
        b.iter(|| hear(&scenario, &session, ja, Lang::Ja))
    });
    c.bench_function("prepare a scenario", |b| b.iter(|| Hearer::new(&scenario)));
}

criterion_group!(benches, hear_one);
criterion_main!(benches);
