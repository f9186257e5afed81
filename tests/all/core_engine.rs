//! The core engine end to end: bundled scenarios load, play and score sanely;
//! the CLI's replay JSON is stable (golden files); hostile files never panic.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use kiku_core::load::{self, Loaded};
use kiku_core::scenario::{EndingKind, Scenario};
use kiku_core::tools::{analyse, series};
use kiku_core::{Session, Severity};
use proptest::prelude::*;

fn bundled() -> Vec<Loaded> {
    let mut all = load::load_all(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")]);
    load::series::link(&mut all);
    all
}

fn bundled_scenarios() -> Vec<Arc<Scenario>> {
    bundled()
        .into_iter()
        .map(|l| {
            l.scenario
                .clone()
                .unwrap_or_else(|| panic!("{} does not load:\n{}", l.path.display(), l.render()))
        })
        .collect()
}

/// The complete small example from the authoring guide, as written there.
fn readme_example() -> String {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/README.md"))
            .expect("scenarios/README.md exists");
    let start = guide
        .find("```ron\n// A complete small scenario")
        .expect("example in the guide")
        + 7;
    let end = start + guide[start..].find("```").expect("example is closed");
    guide[start..end].to_string()
}

/// The guide's complete follow-up of its small example ("Series").
fn readme_follow_up() -> String {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/README.md"))
            .expect("scenarios/README.md exists");
    let start = guide
        .find("```ron\n// A complete small follow-up")
        .expect("follow-up example in the guide")
        + 7;
    let end = start + guide[start..].find("```").expect("example is closed");
    guide[start..end].to_string()
}

#[test]
fn the_guides_follow_up_example_checks_and_remembers() {
    use kiku_core::play::prior::Prior;
    let mut all = vec![
        load::load_str(Path::new("example.ron"), readme_example()),
        load::load_str(Path::new("later.ron"), readme_follow_up()),
    ];
    load::series::link(&mut all);
    for l in &all {
        assert!(l.diagnostics.is_empty(), "{}", l.render());
    }
    let earlier = all[0].scenario.clone().unwrap();
    let later = all[1].scenario.clone().unwrap();
    assert_eq!(later.earlier().unwrap().id, earlier.id);
    // Default prior: she said 「役に立っている実感」, so the recall is offered
    // and taken up; the trap is not.
    let s = Session::start(&later, 1);
    assert_eq!(s.transcript().initial.trust, 50);
    assert!(s.available().contains(&"recall_useful"));
    assert!(!s.available().contains(&"recall_wrong"));
    let s = Session::replay(&later, 1, &["recall_useful", "ask_change"]).unwrap();
    assert!(s.transcript().turns[0].recall.as_ref().unwrap().taken_up);
    assert_eq!(s.ending().map(|(id, _)| id), Some("found"));
    // After a real polite small_example she never said it: the trap only.
    let prior = Prior::from_choices(
        &earlier,
        1,
        &["reflect_unsure".to_string(), "advise_training".to_string()],
        None,
    )
    .unwrap();
    assert_eq!(prior.ending, "polite");
    let s = Session::start_after(&later, 1, Some(prior));
    assert!(s.available().contains(&"recall_wrong"));
    assert!(!s.available().contains(&"recall_useful"));
    assert!(s.transcript().initial.trust < 50);
    assert!(
        s.line()
            .unwrap()
            .text
            .en
            .starts_with("…Sorry about last time")
    );
}

fn example() -> Arc<Scenario> {
    let loaded = load::load_str(Path::new("README example"), readme_example());
    assert!(loaded.diagnostics.is_empty(), "{}", loaded.render());
    loaded.scenario.expect("the guide's example loads")
}

fn kiku(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kiku"))
        .args(args)
        .output()
        .expect("kiku runs")
}

#[test]
fn bundled_scenarios_check_clean() {
    let loaded = bundled();
    assert!(!loaded.is_empty(), "no bundled scenarios");
    for l in &loaded {
        let errors: Vec<_> = l
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{}", l.render());
    }
    let output = kiku(&["check"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn the_guides_example_is_valid_and_playable() {
    let scenario = example();
    let session = Session::replay(&scenario, 1, &["reflect_unsure", "ask_being", "autonomy"])
        .expect("the example's good path plays");
    assert!(session.is_over());
    assert_eq!(session.ending().map(|(id, _)| id), Some("opened"));
}

/// Balance of every bundled scenario (the library issue's targets); a
/// follow-up of a series under every prior: its default and named priors
/// and those real replays of the earlier scenario leave.
#[test]
fn bundled_scenarios_are_balanced() {
    let mut follow_ups = 0;
    for scenario in bundled_scenarios() {
        let analyses: Vec<(String, analyse::Analysis)> = if scenario.follows.is_some() {
            follow_ups += 1;
            let each = series::analyse_each(&scenario, 1);
            let ids: Vec<&str> = each.iter().map(|a| a.prior.id.as_str()).collect();
            // The default, the authored ways the earlier 1on1 can end, and
            // at least one real replay.
            assert!(ids.len() >= 5, "{}: priors {ids:?}", scenario.id);
            assert!(ids.iter().any(|id| id.starts_with("replay:")), "{ids:?}");
            each.into_iter()
                .map(|a| {
                    (
                        format!("{} after `{}`", scenario.id, a.prior.id),
                        a.analysis,
                    )
                })
                .collect()
        } else {
            vec![(scenario.id.clone(), analyse::analyse(&scenario, 1))]
        };
        for (id, a) in analyses {
            balanced(&scenario, &id, &a);
        }
    }
    assert!(follow_ups >= 1, "no bundled follow-up was balance-tested");
}

fn balanced(scenario: &Scenario, id: &str, a: &analyse::Analysis) {
    assert!(
        a.best.score.overall >= 90,
        "{id}: best path scores {} < 90: {:?}",
        a.best.score.overall,
        a.best.choices
    );
    let listen = a
        .listen_first
        .as_ref()
        .unwrap_or_else(|| panic!("{id}: no listen-first path"));
    assert!(
        listen.score.overall >= 85,
        "{id}: listen-first path scores {} < 85: {:?}",
        listen.score.overall,
        listen.choices
    );
    assert!(
        a.advise_first.score.overall <= 40,
        "{id}: advise-first path scores {} > 40: {:?}",
        a.advise_first.score.overall,
        a.advise_first.choices
    );
    for e in &a.endings {
        assert!(e.paths > 0, "{id}: ending `{}` is never reached", e.id);
    }
    assert!(a.dead_ends.is_empty(), "{id}: dead ends {:?}", a.dead_ends);
    assert!(
        a.best.choices.len() >= 12,
        "{id}: the best path has only {} decisions",
        a.best.choices.len()
    );
    for kind in [
        EndingKind::OpenedUp,
        EndingKind::Polite,
        EndingKind::ShutDown,
    ] {
        assert!(
            scenario.endings.values().any(|e| e.kind == kind),
            "{id}: no {kind:?} ending"
        );
    }
}

#[test]
fn scores_are_sane_on_the_guides_example() {
    let scenario = example();
    let a = analyse::analyse(&scenario, 1);
    assert_eq!(a.paths, 3);
    assert!(a.best.score.overall > a.advise_first.score.overall);
    assert_eq!(a.advise_first.choices, vec!["reassure_early"]);
}

/// The acts named in the issue appear in the core scenario.
#[test]
fn first_scenario_uses_every_act_kind() {
    let scenarios = bundled_scenarios();
    let first = scenarios
        .iter()
        .find(|s| s.id == "first_steps")
        .expect("scenarios/01_first_steps.ron");
    let used: std::collections::HashSet<&str> = first.choices().map(|(_, c)| c.act.key()).collect();
    for kind in kiku_core::Act::kinds() {
        assert!(
            used.contains(kind.key()),
            "first_steps never uses {}",
            kind.key()
        );
    }
    let frames: std::collections::HashSet<_> = first
        .choices()
        .filter_map(|(_, c)| c.act.question().map(|q| q.frame))
        .collect();
    assert_eq!(frames.len(), 6, "first_steps uses frames {frames:?}");
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/all/golden")
        .join(name);
    if std::env::var_os("KIKU_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with KIKU_BLESS=1",
            path.display()
        )
    });
    assert_eq!(
        expected, actual,
        "golden {name} differs (KIKU_BLESS=1 rewrites it after review)"
    );
}

#[test]
fn replay_json_is_stable() {
    let dir = tempdir();
    let file = dir.join("example.ron");
    std::fs::write(&file, readme_example()).unwrap();
    let file = file.to_str().unwrap();
    for (name, choices) in [
        ("example_good.json", "reflect_unsure,ask_being,autonomy"),
        ("example_midway.json", "reflect_unsure"),
        ("example_advise.json", "reassure_early"),
    ] {
        let out = kiku(&[
            "replay",
            file,
            "--choices",
            choices,
            "--seed",
            "7",
            "--json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        golden(name, &String::from_utf8(out.stdout).unwrap());
    }
}

/// Three real playthroughs of 01 first_steps (the judged paths' choices):
/// she opens up and chooses her own step; advice after the unease leaves it
/// polite; the manager assigns her at the end.
const FIRST_STEPS_OPENED: &str = "op_reflect,ns_complex,pe_empathize,dk_complex,al_complex,ar_being,ba_complex,np_values,ss_complex,vw_complex,tn_change,ca_affirm,af_summary,aw_autonomy";
const FIRST_STEPS_POLITE: &str =
    "op_reflect,ns_complex,pe_empathize,dk_complex,al_complex,ar_fact,cs_advise";
const FIRST_STEPS_DECIDED: &str = "op_reflect,ns_complex,pe_empathize,dk_complex,al_complex,ar_being,ba_complex,np_values,ss_complex,vw_complex,tn_change,ca_affirm,af_summary,aw_instruct";

/// Issue 11: 07 three_months_later opens differently after three different
/// real 01 playthroughs (golden text of `kiku replay --after`), with
/// different recall choices on offer.
#[test]
fn the_follow_up_opens_differently_after_three_first_steps() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let follow_up = root.join("scenarios/07_three_months_later.ron");
    let earlier = root.join("scenarios/01_first_steps.ron");
    let mut openings = Vec::new();
    for (name, choices, after) in [
        (
            "07_after_opened_up.txt",
            FIRST_STEPS_OPENED,
            "ending `found_words` (opened up), next step Member",
        ),
        (
            "07_after_polite.txt",
            FIRST_STEPS_POLITE,
            "ending `polite_thinking` (polite but closed), next step Nobody",
        ),
        (
            "07_after_decided.txt",
            FIRST_STEPS_DECIDED,
            "ending `assigned` (polite but closed), next step Manager",
        ),
    ] {
        let out = kiku(&[
            "replay",
            follow_up.to_str().unwrap(),
            "--after",
            &format!("{}:{choices}", earlier.display()),
            "--lang",
            "en",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(after), "{name}: {text}");
        let opening = text
            .lines()
            .find(|l| l.starts_with("Member: "))
            .expect("an opening line")
            .to_string();
        let recalls: Vec<String> = text
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("recall_") || l.starts_with("own_last_time"))
            .map(|l| l.split(':').next().unwrap_or_default().to_string())
            .collect();
        openings.push((opening, recalls));
        golden(name, &text);
    }
    for i in 0..openings.len() {
        for j in i + 1..openings.len() {
            assert_ne!(
                openings[i].0, openings[j].0,
                "the same opening after two different 01s"
            );
        }
    }
    // After opening up she said 「顔が見える」: the recall is offered; after
    // the polite 01 she never did: only the misremembering trap is.
    assert_eq!(openings[0].1, ["recall_face_open"]);
    assert_eq!(openings[1].1, ["own_last_time", "recall_face_wrong"]);
    assert_eq!(openings[2].1, ["own_last_time", "recall_face_open"]);
}

/// A follow-up's record carries its prior and replays to the same record;
/// `--after RECORD.json` reads a record as `replay --json` writes it.
#[test]
fn a_follow_up_record_replays_under_its_prior() {
    use kiku_core::Finished;
    use kiku_core::play::prior::Prior;
    let all = bundled_scenarios();
    let first = all.iter().find(|s| s.id == "first_steps").unwrap();
    let later = all.iter().find(|s| s.id == "three_months_later").unwrap();
    let ids: Vec<String> = FIRST_STEPS_POLITE.split(',').map(str::to_string).collect();
    let prior = Prior::from_choices(first, 3, &ids, None).unwrap();
    assert_eq!(prior.ending, "polite_thinking");
    assert!(!prior.voiced_motif("face"));
    let session = Session::replay_after(
        later,
        5,
        Some(prior.clone()),
        &["recall_face_wrong", "mis_repair"],
    )
    .unwrap();
    let turn = &session.transcript().turns[0];
    assert!(
        turn.recall
            .as_ref()
            .is_some_and(|r| r.misremembered && !r.taken_up)
    );
    let record = Finished::of(&session, 42);
    assert_eq!(record.prior.as_ref(), Some(&prior));
    let (_, again) = record.rescore(later).unwrap();
    assert_eq!(again, record);
    // Under the default prior the trap is not even offered.
    assert!(Session::replay(later, 5, &["recall_face_wrong"]).is_err());
    // The CLI reads the earlier 1on1 from a replay report.
    let dir = tempdir();
    let json = kiku(&[
        "replay",
        "first_steps",
        "--choices",
        FIRST_STEPS_POLITE,
        "--seed",
        "3",
        "--json",
    ]);
    assert!(json.status.success());
    let file = dir.join("first.json");
    std::fs::write(&file, &json.stdout).unwrap();
    let out = kiku(&[
        "replay",
        "three_months_later",
        "--after",
        file.to_str().unwrap(),
        "--choices",
        "recall_face_wrong",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["prior"]["ending"], "polite_thinking");
    // A record of another scenario is refused with a message.
    let out = kiku(&["replay", "three_months_later", "--after", "plateau:x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("follows `first_steps`"));
}

/// Misremembering (quoting words she never said) is a misstep: owning it
/// at once is a genuine repair, which earns part of its cost back and
/// which she takes as one; insisting earns nothing back.
#[test]
fn a_misremembered_recall_is_a_misstep_a_repair_mends() {
    use kiku_core::play::prior::Prior;
    use kiku_core::score::Axis;
    use kiku_core::score::score;
    let all = bundled_scenarios();
    let first = all.iter().find(|s| s.id == "first_steps").unwrap();
    let later = all.iter().find(|s| s.id == "three_months_later").unwrap();
    let ids: Vec<String> = FIRST_STEPS_POLITE.split(',').map(str::to_string).collect();
    let prior = Prior::from_choices(first, 3, &ids, None).unwrap();
    let play =
        |choices: &[&str]| Session::replay_after(later, 5, Some(prior.clone()), choices).unwrap();
    let repaired = play(&["recall_face_wrong", "mis_repair"]);
    let insisted = play(&["recall_face_wrong", "mis_insist"]);
    let turns = &repaired.transcript().turns;
    assert!(turns[0].is_misstep(), "misremembering is a misstep");
    assert!(!turns[1].is_misstep());
    // The member takes the repair as genuine: trust goes up, not down.
    let trust = |s: &Session| {
        let t = &s.transcript().turns[1];
        i64::from(t.after.trust) - i64::from(t.before.trust)
    };
    assert!(
        trust(&repaired) > 0,
        "trust after the repair: {}",
        trust(&repaired)
    );
    // On listening, the misremembering costs, and the repair gives part back.
    let r = score(later, repaired.transcript());
    let cost: i32 = r
        .turn_reasons(1)
        .filter(|x| x.axis == Axis::Listening)
        .map(|x| x.points)
        .sum();
    let back: i32 = r
        .turn_reasons(2)
        .filter(|x| x.axis == Axis::Listening)
        .map(|x| x.points)
        .sum();
    assert!(cost < 0, "misremembering costs on listening: {cost}");
    assert!(back > 0, "the repair gives part back: {back}");
    let i = score(later, insisted.transcript());
    assert!(
        r.listening > i.listening,
        "{} vs {}",
        r.listening,
        i.listening
    );
}

#[test]
fn replay_rejects_unknown_choices_clearly() {
    let dir = tempdir();
    let file = dir.join("example.ron");
    std::fs::write(&file, readme_example()).unwrap();
    let out = kiku(&[
        "replay",
        file.to_str().unwrap(),
        "--choices",
        "reflect_unsure,nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("choice 2 (`nope`)") && err.contains("ask_being"),
        "{err}"
    );
}

#[test]
fn check_reports_located_errors_and_never_panics() {
    let dir = tempdir();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.ron", Vec::new()),
        ("truncated.ron", readme_example().as_bytes()[..400].to_vec()),
        ("junk.ron", (0..=255u8).cycle().take(5000).collect()),
        ("latin1.ron", b"Scenario(id: \"caf\xe9\")".to_vec()),
        ("nested.ron", "(".repeat(100_000).into_bytes()),
        ("json.ron", br#"{"id": "x", "nodes": {}}"#.to_vec()),
        (
            "weights.ron",
            readme_example()
                .replace(
                    "    initial: (",
                    "    weights: (listening: 4294967295, questions: 4294967295, change: 4294967295, outcome: 4294967295),\n    initial: (",
                )
                .into_bytes(),
        ),
        (
            "dangling.ron",
            readme_example()
                .replace("Node(\"deeper\")", "Node(\"deepr\")")
                .into_bytes(),
        ),
    ];
    for (name, bytes) in &cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = kiku(&["check", path.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{name}: {stdout}");
        let located = format!("{}:", path.display());
        assert!(
            stdout.contains(&located) && stdout.contains("error:"),
            "{name}: {stdout}"
        );
    }
    let big = dir.join("big.ron");
    std::fs::write(&big, vec![b' '; 50 * 1024 * 1024]).unwrap();
    let out = kiku(&["check", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("too large"));
    let dangling = String::from_utf8_lossy(
        &kiku(&["check", dir.join("dangling.ron").to_str().unwrap()]).stdout,
    )
    .into_owned();
    assert!(
        dangling.contains("dangling.ron:46:27: error: unknown node `deepr`"),
        "{dangling}"
    );
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kiku-test-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn all_playable() -> Vec<Arc<Scenario>> {
    let mut all = bundled_scenarios();
    all.push(example());
    all
}

/// 64 cases per property in the normal test run; `PROPTEST_CASES=N` runs
/// longer (the fuzzing run reported in the README).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Random choice sequences never panic, keep every number in range, and
    /// replay to the same transcript.
    #[test]
    fn random_sessions_stay_in_range(picks in prop::collection::vec(any::<u16>(), 1..80), seed in any::<u64>()) {
        for scenario in all_playable() {
            let mut session = Session::start(&scenario, seed);
            for pick in &picks {
                let offers: Vec<_> = session.choices().into_iter().filter(|o| o.enabled).collect();
                if session.is_over() {
                    prop_assert!(offers.is_empty());
                    break;
                }
                prop_assert!(!offers.is_empty(), "{}: stuck at {:?}", scenario.id, session.node_id());
                let id = offers[*pick as usize % offers.len()].id.clone();
                session.choose(&id).unwrap();
                let s = session.stats();
                for v in [s.trust, s.openness, s.clarity] {
                    prop_assert!((0..=100).contains(&v));
                }
            }
            let score = kiku_core::score(&scenario, session.transcript());
            for v in [score.overall, score.listening, score.questions, score.change, score.outcome] {
                prop_assert!(v <= 100);
            }
            let again = Session::replay(&scenario, seed, &session.transcript().choice_ids()).unwrap();
            prop_assert_eq!(again.transcript(), session.transcript());
        }
    }

    /// Mutated scenario files (the loader's fuzz target): whatever the edit,
    /// loading returns diagnostics with positions inside the file, never a
    /// panic; whatever still loads also plays.
    #[test]
    fn mutated_scenarios_never_panic(edits in prop::collection::vec((any::<u32>(), any::<u32>(), 0usize..12), 1..6)) {
        const PIECES: [&str; 12] = ["(", ")", "[", "]", "{", "}", "\"", ",", "Node(\"x\")", "-999", "\u{0}", "é"];
        let mut bytes = readme_example().into_bytes();
        for (at, len, piece) in edits {
            let at = at as usize % (bytes.len() + 1);
            match len % 3 {
                0 => { let end = (at + (len as usize % 40)).min(bytes.len()); bytes.drain(at..end); }
                1 => { bytes.splice(at..at, PIECES[piece].bytes()); }
                _ => { bytes.truncate(at); }
            }
        }
        let loaded = load::load_bytes(Path::new("fuzz.ron"), &bytes);
        let lines = loaded.source.lines().count().max(1);
        for d in &loaded.diagnostics {
            prop_assert!(d.line >= 1 && d.line <= lines + 1, "{:?}", d);
            let _ = d.render(&loaded.source);
        }
        if let Some(scenario) = loaded.scenario {
            let _ = analyse::random_playthrough(&scenario, 1, 0, analyse::max_turns(&scenario));
        }
    }

    /// Arbitrary bytes: never a panic, always at least one error.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let loaded = load::load_bytes(Path::new("junk.ron"), &bytes);
        prop_assert!(loaded.has_errors());
        let _ = loaded.render();
    }
}

#[test]
fn synthetic_scenarios_round_trip_and_analyse() {
    let scenario = kiku_core::tools::synthetic::layered(200);
    let text = kiku_core::tools::synthetic::to_ron(&scenario);
    let loaded = load::load_str(Path::new("layered.ron"), text);
    assert!(!loaded.has_errors(), "{}", loaded.render());
    let a = analyse::analyse(&loaded.scenario.unwrap(), 1);
    assert!(matches!(a.method, analyse::Method::Sampled { .. }));
    assert!(a.paths >= 200);
    assert!(a.best.score.overall > a.worst.score.overall);
}
