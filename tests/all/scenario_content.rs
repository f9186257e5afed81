//! The bundled scenarios' words tell the truth on every route (issue 13
//! #14): a member line never answers a question nobody asked, and an
//! ending's text fits every 1on1 that reaches it.

use std::path::PathBuf;
use std::sync::Arc;

use kiku_core::Session;
use kiku_core::load;
use kiku_core::scenario::{Layer, Scenario};
use kiku_core::tools::continuity::{self, Kind};

fn bundled(id: &str) -> Arc<Scenario> {
    let mut all = load::load_all(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    load::series::link(&mut all);
    all.into_iter()
        .filter_map(|l| l.scenario)
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no bundled scenario `{id}`"))
}

fn all_bundled() -> Vec<Arc<Scenario>> {
    let mut all = load::load_all(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    load::series::link(&mut all);
    all.into_iter().filter_map(|l| l.scenario).collect()
}

/// Every line marked as an answer is said only after its question, on
/// every route `kiku check` walks.
#[test]
fn scenario_lines_answer_only_questions_asked() {
    for scenario in all_bundled() {
        let report = continuity::check(&scenario, 1);
        let unasked: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Answer)
            .collect();
        assert!(unasked.is_empty(), "{}: {unasked:#?}", scenario.id);
    }
}

/// 02: the reflection `so_complex` asks nothing. With trust still low, the
/// member once answered "when were you glad you do this work", a question
/// only `so_values` asks.
#[test]
fn scenario_02_a_guarded_member_does_not_answer_an_unasked_question() {
    let scenario = bundled("ai_anxiety");
    let route = [
        "op_advise",
        "pw_recover",
        "to_complex",
        "tvg_complex",
        "so_complex",
    ];
    let session = Session::replay(&scenario, 1, &route).unwrap();
    let last = session.transcript().turns.last().unwrap();
    assert!(
        last.after.trust <= 58,
        "the guarded route: {:?}",
        last.after
    );
    let reply = last.reply.as_ref().unwrap();
    let line = &scenario.nodes[&reply.node].lines[reply.variant];
    assert!(
        line.answers.is_empty(),
        "after a reflection the member answers {:?}: {}",
        line.answers,
        line.text.ja
    );
    // He takes up the reflection's words.
    assert!(line.text.ja.starts_with("大事な何か"), "{}", line.text.ja);
    assert!(
        line.text.en.starts_with("Something that matters"),
        "{}",
        line.text.en
    );
    // The question itself still gets its answer.
    let mut asked = route.to_vec();
    asked[4] = "so_values";
    let session = Session::replay(&scenario, 1, &asked).unwrap();
    let reply = session.transcript().turns[4].reply.clone().unwrap();
    let line = &scenario.nodes[&reply.node].lines[reply.variant];
    assert!(line.answers.contains(&"so_values".to_string()));
}

/// 01: the status-check ending once said the 1on1 "ends early" after
/// thirteen open turns.
#[test]
fn scenario_01_the_status_check_ending_fits_a_long_open_1on1() {
    let scenario = bundled("first_steps");
    let long = [
        "op_reflect",
        "ns_complex",
        "pe_empathize",
        "dk_complex",
        "al_complex",
        "ar_being",
        "ba_complex",
        "np_values",
        "ss_complex",
        "vw_complex",
        "tn_change",
        "ca_affirm",
        "af_redirect",
    ];
    for route in [&long[..], &["op_redirect"][..]] {
        let session = Session::replay(&scenario, 1, route).unwrap();
        let (id, ending) = session.ending().expect("over");
        assert_eq!(id, "status_report");
        for text in [&ending.text, ending.inner.as_ref().unwrap()] {
            assert!(!text.ja.contains("早く"), "{}", text.ja);
            assert!(!text.en.contains("early"), "{}", text.en);
        }
        if route.len() > 1 {
            // She did voice her unease: the score does not say otherwise.
            assert!(session.voiced() >= Layer::Unease);
            let score = kiku_core::score(&scenario, session.transcript());
            let reasons = format!("{:?}", score);
            assert!(!reasons.contains("本音は出なかった"));
        }
    }
}

/// Every recall corpus (tests/recall, -dev, -heldout, -heldout2, -heldout3)
/// still fits the bundled scenarios: each entry's prefix replays (at its seed,
/// else 1) to an open menu, and its intended choice is offered and enabled
/// there. A scenario edit that moves a corpus's menus fails here, not
/// silently in `kiku hear --eval`'s skipped count.
#[test]
fn every_recall_corpus_still_fits_the_scenarios() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests");
    let scenarios = all_bundled();
    let mut checked = 0;
    let mut problems = Vec::new();
    for corpus in [
        "recall",
        "recall-dev",
        "recall-heldout",
        "recall-heldout2",
        "recall-heldout3",
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(corpus))
            .unwrap_or_else(|e| panic!("{corpus}: {e}"))
            .map(|f| f.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "{corpus} has no entries");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let entries: Vec<serde_json::Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            for (i, e) in entries.iter().enumerate() {
                let at = format!("{}[{i}]", file.display());
                let id = e["scenario"].as_str().unwrap_or_default();
                let Some(scenario) = scenarios.iter().find(|s| s.id == id) else {
                    problems.push(format!("{at}: no scenario `{id}`"));
                    continue;
                };
                let prefix: Vec<&str> = e["prefix"]
                    .as_array()
                    .map(|p| p.iter().filter_map(|c| c.as_str()).collect())
                    .unwrap_or_default();
                let seed = e["seed"].as_u64().unwrap_or(1);
                let session = match Session::replay(scenario, seed, &prefix) {
                    Ok(s) => s,
                    Err((n, err)) => {
                        problems.push(format!("{at}: prefix step {} fails: {err}", n + 1));
                        continue;
                    }
                };
                if session.is_over() {
                    problems.push(format!("{at}: the prefix reaches an ending"));
                    continue;
                }
                if let Some(intended) = e["intended"].as_str() {
                    let offered = session
                        .choices()
                        .into_iter()
                        .any(|o| o.id == intended && o.enabled);
                    if !offered {
                        problems.push(format!("{at}: `{intended}` is not offered there"));
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 1500, "only {checked} entries checked");
}
