//! The Rust port of USE multilingual v3 against the Python package it was
//! ported from: token ids equal, embeddings within float rounding
//! (`tests/fixtures/use_reference.json`, written by `tools/reference.py`),
//! and a missing or damaged model is an error with the file's name, never a
//! panic.

use std::path::{Path, PathBuf};

use kiku_hear::embed::{Embedder, TOKENIZER_FILE, WEIGHTS_FILE, cosine};

/// Every reference embedding agrees with ours at least this well.
const MIN_COSINE: f32 = 0.9999;

fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/model")
}

#[test]
fn matches_the_python_reference() {
    let embedder = Embedder::load(&model_dir()).expect("the shipped model loads");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/use_reference.json"),
    )
    .unwrap();
    let reference: serde_json::Value = serde_json::from_str(&text).unwrap();
    let sentences = reference["sentences"].as_array().unwrap();
    assert!(sentences.len() >= 6);
    for s in sentences {
        let text = s["text"].as_str().unwrap();
        let ids: Vec<u32> = s["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        assert_eq!(embedder.tokens(text), ids, "token ids of {text:?}");
        let want: Vec<f32> = s["embedding"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let got = embedder.embed(text);
        assert_eq!(got.len(), want.len());
        let c = cosine(&got, &want);
        assert!(c >= MIN_COSINE, "{text:?}: cosine {c} with the reference");
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(worst < 1e-3, "{text:?}: a value differs by {worst}");
    }
}

#[test]
fn paraphrases_are_closer_than_other_moves() {
    let e = Embedder::load(&model_dir()).unwrap();
    let a = e.embed("本当は不安なんですね");
    let b = e.embed("ほんとうは心配なんだね");
    let c = e.embed("来週までに資料を出してください");
    assert!(cosine(&a, &b) > cosine(&a, &c));
}

#[test]
fn missing_or_damaged_files_are_errors() {
    let dir = std::env::temp_dir().join(format!("kiku-hear-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let err = Embedder::load(&dir).unwrap_err();
    assert!(err.contains(TOKENIZER_FILE), "{err}");

    std::fs::copy(model_dir().join(TOKENIZER_FILE), dir.join(TOKENIZER_FILE)).unwrap();
    std::fs::write(
        dir.join(WEIGHTS_FILE),
        b"PK\x03\x04 this is not really a zip",
    )
    .unwrap();
    let err = Embedder::load(&dir).unwrap_err();
    assert!(err.contains(WEIGHTS_FILE), "{err}");

    // A truncated archive: the first megabyte of the real one.
    let real = std::fs::read(model_dir().join(WEIGHTS_FILE)).unwrap();
    std::fs::write(dir.join(WEIGHTS_FILE), &real[..1 << 20]).unwrap();
    assert!(Embedder::load(&dir).is_err());

    // A damaged tokenizer.
    std::fs::write(dir.join(TOKENIZER_FILE), b"\x0a\xff\xff\xff\x0f garbage").unwrap();
    assert!(Embedder::load(&dir).is_err());
    std::fs::remove_dir_all(&dir).ok();
}

fn first_steps() -> std::sync::Arc<kiku_core::Scenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/01_first_steps.ron");
    kiku_core::load::load_file(&path).scenario.unwrap()
}

#[test]
fn the_shipped_model_is_found_and_used() {
    let s = first_steps();
    let hearer = kiku_hear::Hearer::new(&s);
    assert!(hearer.has_embedder(), "{:?}", hearer.notice_detail());
    assert_eq!(hearer.notice(kiku_core::text::Lang::Ja), None);
}

#[test]
fn a_missing_or_damaged_model_falls_back_to_words_with_a_notice() {
    use kiku_core::text::Lang;
    let s = first_steps();
    let session = kiku_core::Session::start(&s, 1);
    let dir = std::env::temp_dir().join(format!("kiku-hear-fallback-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(WEIGHTS_FILE), b"damaged").unwrap();
    std::fs::write(dir.join(TOKENIZER_FILE), b"damaged").unwrap();
    for broken in [
        Embedder::load(&dir).map(std::sync::Arc::new),
        Embedder::load(&dir.join("missing")).map(std::sync::Arc::new),
    ] {
        let hearer = kiku_hear::Hearer::with_embedder(&s, broken);
        assert!(!hearer.has_embedder());
        let ja = hearer.notice(Lang::Ja).expect("a notice in Japanese");
        assert!(ja.contains("モデル"), "{ja}");
        assert!(hearer.notice(Lang::En).is_some());
        assert!(hearer.notice_detail().is_some());
        // Hearing still works, from the words and the act.
        let heard = hearer.hear(&session, "大丈夫大丈夫、心配ないよ", Lang::Ja);
        assert!(!heard.candidates.is_empty());
        assert_eq!(heard.act.class(), kiku_core::act::MoveClass::Reassure);
        let lexical =
            kiku_hear::Hearer::lexical(&s).hear(&session, "大丈夫大丈夫、心配ないよ", Lang::Ja);
        // The same hearing as the words-only hearer (scores may differ in
        // the last float bit: n-gram sums run in hash order).
        assert_eq!(heard.choice, lexical.choice);
        assert_eq!(heard.act, lexical.act);
        let ids =
            |h: &kiku_hear::Heard| h.candidates.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&heard), ids(&lexical));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn preparing_a_menu_changes_nothing_but_the_time() {
    use kiku_core::text::Lang;
    let s = first_steps();
    let session = kiku_core::Session::start(&s, 1);
    let prepared = kiku_hear::Hearer::new(&s);
    prepared.prepare(&session);
    let cold = kiku_hear::Hearer::new(&s);
    for text in ["そっか、焦るよね", "Honestly, you're doing fine."] {
        let a = prepared.hear(&session, text, Lang::Ja);
        let b = cold.hear(&session, text, Lang::Ja);
        assert_eq!(a.choice, b.choice);
        assert_eq!(a.act, b.act);
    }
}

#[test]
fn a_long_paste_is_heard_in_bounded_time() {
    use kiku_core::text::Lang;
    let s = first_steps();
    let session = kiku_core::Session::start(&s, 1);
    let hearer = kiku_hear::Hearer::new(&s);
    let paste = "大丈夫、心配ないよ。".repeat(2000);
    let start = std::time::Instant::now();
    let heard = hearer.hear(&session, &paste, Lang::Ja);
    assert!(!heard.candidates.is_empty());
    // Generous for a debug build on a busy machine; unbounded it takes minutes.
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    let e = Embedder::load(&model_dir()).unwrap();
    assert_eq!(e.embed(&"So it goes. ".repeat(500)).len(), 512);
}
