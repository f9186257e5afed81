//! Makes `crates/hear/src/acts.txt`, the act model over sentence
//! embeddings ([`kiku_hear::acts`]): embeds every authored choice line of
//! the bundled scenarios in both languages (and their phrasings), and the
//! typed replies of each recall corpus named on the command line, labelled
//! with their act, then fits the model and writes it. Deterministic: the
//! same scenarios, corpora and encoder give the same file.
//!
//! `cargo run --release -p kiku-hear --example train_acts -- [--out FILE] [--check DIR]... [--l2 X] [--epochs N] [--rate X] [--balance X] [DIR]...`
//! (the fitting's settings default to [`Fit::default`]).
//!
//! `--check DIR` hears nothing; it prints how often the fitted model's
//! class is right on DIR's replies (a corpus left out of the fitting).

use std::path::PathBuf;
use std::process::ExitCode;

use kiku_core::load;
use kiku_hear::acts::{self, Fit};
use kiku_hear::{embed, eval, spell};

fn main() -> ExitCode {
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/acts.txt");
    let (mut dirs, mut checks) = (Vec::new(), Vec::new());
    let mut fit = Fit::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => match args.next() {
                Some(p) => out = PathBuf::from(p),
                None => return fail("--out needs a file"),
            },
            "--l2" | "--rate" | "--balance" | "--epochs" => {
                let Some(x) = args.next().and_then(|v| v.parse::<f32>().ok()) else {
                    return fail(&format!("{arg} needs a number"));
                };
                match arg.as_str() {
                    "--l2" => fit.l2 = x,
                    "--rate" => fit.rate = x,
                    "--balance" => fit.balance = x,
                    _ => fit.epochs = x as usize,
                }
            }
            "--check" => match args.next() {
                Some(p) => checks.push(PathBuf::from(p)),
                None => return fail("--check needs a folder"),
            },
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    let embedder = match embed::shared() {
        Ok(e) => e,
        Err(e) => return fail(&format!("the sentence encoder is needed: {e}")),
    };
    let classes = acts::class_names();
    let index = |act: &kiku_core::act::Act| {
        let class = acts::class_of(act);
        classes.iter().position(|c| *c == class)
    };
    // (text, class) from the scenarios, then the corpora.
    let mut labelled: Vec<(String, usize)> = Vec::new();
    let mut scenarios = 0;
    for loaded in load::load_all(&[load::bundled_dir()]) {
        let Some(scenario) = loaded.scenario else {
            continue;
        };
        scenarios += 1;
        for (_, choice) in scenario.choices() {
            let Some(k) = index(&choice.act) else {
                continue;
            };
            let texts = [&choice.text]
                .into_iter()
                .chain(&choice.phrasings)
                .flat_map(|t| [t.ja.clone(), t.en.clone()]);
            for text in texts.filter(|t| !t.trim().is_empty()) {
                labelled.push((text, k));
            }
        }
    }
    let from_scenarios = labelled.len();
    let read = |dir: &PathBuf| -> Result<Vec<(String, usize)>, String> {
        let (entries, errors) = eval::read_dir(dir);
        if let Some(e) = errors.first() {
            return Err(e.clone());
        }
        Ok(entries
            .into_iter()
            .filter_map(|(_, e)| {
                let act = spell::parse(e.act.as_deref()?)?;
                Some((e.text, index(&act)?))
            })
            .collect())
    };
    for dir in &dirs {
        match read(dir) {
            Ok(more) => labelled.extend(more),
            Err(e) => return fail(&e),
        }
    }
    labelled.sort();
    labelled.dedup();
    eprintln!(
        "{} replies: {from_scenarios} lines of {scenarios} scenarios, the rest from {} corpora",
        labelled.len(),
        dirs.len()
    );
    let examples: Vec<(Vec<f32>, usize, f32)> = labelled
        .iter()
        .map(|(t, k)| (acts::features(&embedder, t, &embedder.embed(t)), *k, 1.0))
        .collect();
    let model = match acts::train(classes.clone(), &examples, fit) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    let header = format!(
        "The act model over sentence embeddings (kiku_hear::acts), made by\n\
         cargo run --release -p kiku-hear --example train_acts -- {}\n\
         from {} replies: the {from_scenarios} choice lines and phrasings of the {scenarios} \
         bundled scenarios (both languages) and the typed replies of the corpora named.",
        dirs.iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        labelled.len()
    );
    let text = model.to_text(&header);
    // What is written is what runs: score the quantised model.
    let model = match acts::ActModel::parse(&text) {
        Ok(m) => m,
        Err(e) => return fail(&e),
    };
    let right = |set: &[(Vec<f32>, usize)]| {
        set.iter()
            .filter(|(e, k)| {
                let p = model.probabilities(e);
                let best = p
                    .iter()
                    .enumerate()
                    .fold((0, f32::MIN), |b, (i, &x)| if x > b.1 { (i, x) } else { b });
                best.0 == *k
            })
            .count()
    };
    let fitted: Vec<(Vec<f32>, usize)> = examples.into_iter().map(|(e, k, _)| (e, k)).collect();
    eprintln!(
        "fitted replies classed right: {}/{}",
        right(&fitted),
        fitted.len()
    );
    for dir in &checks {
        match read(dir) {
            Ok(set) => {
                let set: Vec<(Vec<f32>, usize)> = set
                    .iter()
                    .map(|(t, k)| (acts::features(&embedder, t, &embedder.embed(t)), *k))
                    .collect();
                eprintln!(
                    "{}: classed right {}/{}",
                    dir.display(),
                    right(&set),
                    set.len()
                );
            }
            Err(e) => return fail(&e),
        }
    }
    if let Err(e) = std::fs::write(&out, text) {
        return fail(&format!("{}: {e}", out.display()));
    }
    eprintln!("wrote {}", out.display());
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("train_acts: {message}");
    ExitCode::FAILURE
}
