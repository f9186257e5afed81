//! For each reply of a recall corpus, how its act was read: the rules'
//! reading and strength, the act model's reading, the choice heard and the
//! act reported, beside the corpus's act. A tool for tuning the act
//! reading: `cargo run --release -p kiku-hear --example act_trace -- DIR [ja|en]`.

use std::collections::BTreeMap;
use std::sync::Arc;

use kiku_core::text::Lang;
use kiku_core::{Session, load};
use kiku_hear::{Hearer, acts, classify, embed, eval, spell};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: act_trace DIR [ja|en]");
        return;
    };
    let only = args.next();
    let scenarios: BTreeMap<String, (Arc<kiku_core::Scenario>, Hearer)> =
        load::load_all(&[load::bundled_dir()])
            .into_iter()
            .filter_map(|l| l.scenario)
            .map(|s| (s.id.clone(), (s.clone(), Hearer::new(&s))))
            .collect();
    let embedder = embed::shared().ok();
    let (entries, _) = eval::read_dir(std::path::Path::new(&dir));
    for (_, e) in entries {
        let lang = e.lang.clone().unwrap_or_default();
        if only.as_ref().is_some_and(|o| *o != lang) {
            continue;
        }
        let Some((scenario, hearer)) = scenarios.get(&e.scenario) else {
            continue;
        };
        let Ok(session) = Session::replay(scenario, e.seed.unwrap_or(1), &e.prefix_ids()) else {
            continue;
        };
        let g = classify::classify(&e.text);
        let reading = match (&embedder, acts::active()) {
            (Some(em), Some(m)) => {
                let r = m.read(&acts::features(em, &e.text, &em.embed(&e.text)));
                format!(
                    "{} {:.2} q{:.2}",
                    r.act.as_ref().map_or("Question".to_string(), spell::spell),
                    r.p,
                    r.p_question
                )
            }
            _ => "-".to_string(),
        };
        let heard = hearer.hear(
            &session,
            &e.text,
            Lang::from_code(&lang).unwrap_or(Lang::Ja),
        );
        let gold = e.act.as_deref().and_then(spell::parse);
        let ok = gold
            .as_ref()
            .is_some_and(|a| a.class() == heard.act.class());
        println!(
            "{} {} | rules {} {:?} | model {} | heard {} {:.2} (want {}) | act {} | gold {}",
            if ok { "ok  " } else { "MISS" },
            e.text,
            spell::spell(&g.act),
            g.strength,
            reading,
            heard.choice.as_deref().unwrap_or("null"),
            heard.confidence,
            e.intended.as_deref().unwrap_or("null"),
            spell::spell(&heard.act),
            gold.as_ref().map_or("-".to_string(), spell::spell),
        );
    }
}
