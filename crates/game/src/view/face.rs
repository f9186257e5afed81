//! The member's look, resolved from the persona: what the scenario's
//! optional `look` sets, and the rest derived deterministically from the
//! persona (an age the background states, else the years; the name picks the details, so the member of a series keeps one
//! face; the years give the age; the role the clothes; the background's
//! or briefing's pronouns the hair styles to pick from). No drawing here: `theme::portrait`
//! draws a [`Face`].

use kiku_core::scenario::{Clothes, Hair, HairColour, Persona, Skin};
use kiku_core::text::Text;

/// A member's look with every detail decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Face {
    /// Age in years.
    pub age: u32,
    /// Hair style.
    pub hair: Hair,
    /// Hair colour.
    pub hair_colour: HairColour,
    /// Glasses.
    pub glasses: bool,
    /// Clothes.
    pub clothes: Clothes,
    /// Skin tone.
    pub skin: Skin,
}

/// Age of a new starter: the derived age is this plus the years in the company.
const STARTING_AGE: u32 = 22;
/// Hair starts greying at this age, and is grey from [`GREY_AGE`].
const GREYING_AGE: u32 = 45;
const GREY_AGE: u32 = 55;
/// Short styles thin on top from this age (when the name says so).
const RECEDING_AGE: u32 = 42;
/// One in this many members wears glasses (by the name).
const GLASSES_ONE_IN: u64 = 2;

/// Whom the background's pronouns describe, to pick plausible hair styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pronouns {
    She,
    He,
    Unknown,
}

/// FNV-1a: a small hash that is the same on every machine and every run.
fn fnv1a(parts: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h = OFFSET;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h
}

fn pronouns(persona: &Persona, briefing: &Text) -> Pronouns {
    let en = format!("{} {}", persona.background.en, briefing.en).to_lowercase();
    let mut she = 0;
    let mut he = 0;
    for word in en.split(|c: char| !c.is_ascii_alphabetic()) {
        match word {
            "she" | "her" | "hers" | "herself" => she += 1,
            "he" | "his" | "him" | "himself" => he += 1,
            _ => {}
        }
    }
    let ja = format!("{}{}", persona.background.ja, briefing.ja);
    let kanojo = ja.matches("彼女").count();
    she += kanojo;
    he += ja.matches('彼').count() - kanojo;
    match she.cmp(&he) {
        std::cmp::Ordering::Greater => Pronouns::She,
        std::cmp::Ordering::Less => Pronouns::He,
        std::cmp::Ordering::Equal => Pronouns::Unknown,
    }
}

/// Clothes from the role's words (either language), else `None`.
fn clothes_for_role(persona: &Persona, pronouns: Pronouns) -> Option<Clothes> {
    let role = format!("{} {}", persona.role.ja, persona.role.en.to_lowercase());
    let has = |words: &[&str]| words.iter().any(|w| role.contains(w));
    if has(&["営業", "sales", "コンサル", "consult"]) {
        return Some(if pronouns == Pronouns::She {
            Clothes::Jacket
        } else {
            Clothes::Suit
        });
    }
    if has(&[
        "生産",
        "製造",
        "工場",
        "設備",
        "production",
        "plant",
        "factory",
    ]) {
        return Some(Clothes::WorkJacket);
    }
    if has(&["エンジニア", "開発", "engineer", "developer"]) {
        return Some(Clothes::Hoodie);
    }
    if has(&["翻訳", "translat", "編集", "editor", "研究", "research"]) {
        return Some(Clothes::Cardigan);
    }
    None
}

fn pick<T: Copy>(options: &[T], hash: u64, salt: u32) -> T {
    let i = (hash.rotate_left(salt * 7) % options.len() as u64) as usize;
    options[i]
}

/// An age the background states (`41歳`, `aged 41`), if any.
fn stated_age(persona: &Persona) -> Option<u32> {
    let ja = &persona.background.ja;
    let at = ja.find('歳')?;
    let digits: String = ja[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok().filter(|age| (16..=90).contains(age))
}

/// The member's face: the scenario's `look` where it says, derived from the
/// persona elsewhere (and from the briefing's pronouns, when the
/// background has none).
pub fn face(persona: &Persona, briefing: &Text) -> Face {
    let look = persona.look.clone().unwrap_or_default();
    let hash = fnv1a(&[&persona.name.ja, &persona.name.en]);
    let pronouns = pronouns(persona, briefing);
    let age = look
        .age
        .or_else(|| stated_age(persona))
        .unwrap_or(STARTING_AGE + persona.years);
    let hair = look.hair.unwrap_or_else(|| {
        let short = [Hair::Short, Hair::Cropped, Hair::Swept];
        let long = [Hair::Bob, Hair::Long, Hair::Bun, Hair::Ponytail];
        match pronouns {
            Pronouns::She => pick(&long, hash, 1),
            Pronouns::He if age >= RECEDING_AGE && hash & 1 == 0 => Hair::Receding,
            Pronouns::He => pick(&short, hash, 1),
            Pronouns::Unknown => pick(&[short.as_slice(), &long].concat(), hash, 1),
        }
    });
    let hair_colour = look.hair_colour.unwrap_or(if age >= GREY_AGE {
        HairColour::Grey
    } else if age >= GREYING_AGE {
        HairColour::Greying
    } else {
        pick(
            &[
                HairColour::Black,
                HairColour::Black,
                HairColour::DarkBrown,
                HairColour::Brown,
            ],
            hash,
            2,
        )
    });
    let glasses = look
        .glasses
        .unwrap_or((hash.rotate_left(3 * 7) >> 5).is_multiple_of(GLASSES_ONE_IN));
    let clothes = look.clothes.unwrap_or_else(|| {
        clothes_for_role(persona, pronouns).unwrap_or_else(|| {
            let tops = if pronouns == Pronouns::She {
                [Clothes::Blouse, Clothes::Cardigan, Clothes::Shirt]
            } else {
                [Clothes::Shirt, Clothes::Cardigan, Clothes::Hoodie]
            };
            pick(&tops, hash, 4)
        })
    });
    let skin = look.skin.unwrap_or_else(|| {
        pick(
            &[
                Skin::Light,
                Skin::Light,
                Skin::Medium,
                Skin::Medium,
                Skin::Tan,
            ],
            hash,
            5,
        )
    });
    Face {
        age,
        hair,
        hair_colour,
        glasses,
        clothes,
        skin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::scenario::Look;

    fn bundled() -> Vec<std::sync::Arc<kiku_core::Scenario>> {
        kiku_core::load::library::bundled()
            .into_iter()
            .filter_map(|l| l.scenario)
            .collect()
    }

    #[test]
    fn every_bundled_member_has_their_own_face_and_a_series_keeps_it() {
        let scenarios = bundled();
        assert!(
            scenarios.len() >= 7,
            "{} bundled scenarios",
            scenarios.len()
        );
        let of = |id: &str| {
            let s = scenarios
                .iter()
                .find(|s| s.id == id)
                .unwrap_or_else(|| panic!("no bundled scenario {id}"));
            face(&s.persona, &s.briefing)
        };
        // 07 is the follow-up of 01: the same member, the same face.
        assert_eq!(of("first_steps"), of("three_months_later"));
        // Different people look different.
        for (i, a) in scenarios.iter().enumerate() {
            for b in &scenarios[i + 1..] {
                if a.persona.name == b.persona.name {
                    continue;
                }
                assert_ne!(
                    face(&a.persona, &a.briefing),
                    face(&b.persona, &b.briefing),
                    "{} and {} look the same",
                    a.id,
                    b.id
                );
            }
        }
    }

    #[test]
    fn a_scenario_sets_the_look_and_the_rest_is_derived() {
        let s = bundled().into_iter().next().expect("a bundled scenario");
        let derived = face(&s.persona, &s.briefing);
        let mut persona = s.persona.clone();
        persona.look = Some(Look {
            hair: Some(Hair::Receding),
            glasses: Some(!derived.glasses),
            age: Some(60),
            ..Look::default()
        });
        let set = face(&persona, &s.briefing);
        assert_eq!(set.hair, Hair::Receding);
        assert_eq!(set.glasses, !derived.glasses);
        assert_eq!(set.age, 60);
        // Age greys the derived hair; what was not set stays derived.
        assert_eq!(set.hair_colour, HairColour::Grey);
        assert_eq!((set.clothes, set.skin), (derived.clothes, derived.skin));
    }

    #[test]
    fn a_look_written_in_a_file_is_read_and_a_wrong_one_is_located() {
        let source = include_str!("../../../../scenarios/01_first_steps.ron");
        let path = std::path::Path::new("01_first_steps.ron");
        let with = |look: &str| {
            let edited = source.replacen("years: 4,", &format!("years: 4,\n        {look}"), 1);
            assert_ne!(edited, source, "the persona has moved");
            kiku_core::load::load_str(path, edited)
        };
        let loaded = with("look: (hair: Bun, glasses: true, clothes: Cardigan),");
        let s = loaded.scenario.expect("a look loads");
        let f = face(&s.persona, &s.briefing);
        assert_eq!(
            (f.hair, f.glasses, f.clothes),
            (Hair::Bun, true, Clothes::Cardigan)
        );
        let broken = with("look: (hair: Afro),");
        assert!(broken.scenario.is_none());
        let shown = broken.render();
        assert!(shown.contains("01_first_steps.ron:"), "{shown}");
        assert!(shown.contains("Afro"), "{shown}");
    }

    #[test]
    fn the_same_persona_always_gets_the_same_face() {
        for s in bundled() {
            assert_eq!(
                face(&s.persona, &s.briefing),
                face(&s.persona.clone(), &s.briefing.clone())
            );
        }
        // 02's background states the age; 04's follows from the years.
        let of = |id: &str| {
            let s = bundled().into_iter().find(|s| s.id == id).expect(id);
            face(&s.persona, &s.briefing)
        };
        assert_eq!(of("ai_anxiety").age, 41);
        assert_eq!(of("devalued_expertise").age, STARTING_AGE + 24);
        // Whom the texts call he or she picks plausible hair.
        let short = [Hair::Short, Hair::Cropped, Hair::Swept, Hair::Receding];
        for id in [
            "ai_anxiety",
            "plateau",
            "devalued_expertise",
            "manager_offer",
        ] {
            assert!(short.contains(&of(id).hair), "{id}: {:?}", of(id).hair);
        }
        for id in ["first_steps", "back_from_leave"] {
            assert!(!short.contains(&of(id).hair), "{id}: {:?}", of(id).hair);
        }
        // The hash is fixed: a change here changes every member's face.
        assert_eq!(fnv1a(&["a"]), 620_337_896_427_418_084);
    }
}
