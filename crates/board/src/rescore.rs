//! What a game submits and how the server checks it: validation of every
//! field, then a replay with the core engine and the server's own score.

use kiku_core::play::prior::{Prior, PriorSource};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::protocol::{RejectionKind, ScenarioInfo, Submission};
use crate::store::NewEntry;
use kiku_core::Finished;
use kiku_core::scenario::Scenario;

/// The longest nickname, in characters.
pub const NICKNAME_MAX_CHARS: usize = 24;
/// The most choices a submission may carry (no real 1on1 comes near).
pub const MAX_CHOICES: usize = 400;
/// The longest choice id or submission id accepted.
pub const MAX_ID_CHARS: usize = 64;

/// Why a submission was turned away: a kind for programs, a message for
/// people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// The HTTP status.
    pub status: u16,
    /// A stable machine-readable kind, e.g. [`RejectionKind::BadNickname`].
    pub kind: RejectionKind,
    /// What is wrong, in words.
    pub message: String,
}

impl Rejection {
    /// A rejection with status, kind and message.
    pub fn new(status: u16, kind: RejectionKind, message: impl Into<String>) -> Rejection {
        Rejection {
            status,
            kind,
            message: message.into(),
        }
    }
}

/// Checks a nickname (see [`crate::nickname::normalize`]): 1-24
/// characters after NFKC normalisation, nothing invisible, no control,
/// format or direction-changing characters, no abusive words. Returns the
/// name as it will be shown.
pub fn check_nickname(raw: &str) -> Result<String, Rejection> {
    crate::nickname::normalize(raw, NICKNAME_MAX_CHARS).map_err(nickname_rejection)
}

/// [`check_nickname`] without the block list (the facilitator's renames).
pub fn check_nickname_any_words(raw: &str) -> Result<String, Rejection> {
    crate::nickname::normalize_any_words(raw, NICKNAME_MAX_CHARS).map_err(nickname_rejection)
}

fn nickname_rejection(problem: crate::nickname::Problem) -> Rejection {
    use crate::nickname::Problem;
    let bad = |m: String| Rejection::new(400, RejectionKind::BadNickname, m);
    match problem {
        Problem::Empty => bad("the nickname is empty: type 1 to 24 characters".into()),
        Problem::TooLong(chars) => bad(format!(
            "the nickname has {chars} characters; at most {NICKNAME_MAX_CHARS} are allowed"
        )),
        Problem::Invisible(c) => bad(format!(
            "the nickname contains the invisible or control character U+{:04X}: \
             type letters, digits and spaces only",
            u32::from(c)
        )),
        Problem::Abusive => bad(
            "please choose another nickname (this one contains a word not allowed here) / \
             別のニックネームにしてください"
                .into(),
        ),
    }
}

/// Checks a client submission id.
fn check_id(id: &str) -> Result<(), Rejection> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Rejection::new(
            400,
            RejectionKind::BadId,
            format!("the submission id must be 1-{MAX_ID_CHARS} letters, digits, `-` or `_`"),
        ))
    }
}

/// A scenario the server scores with.
#[derive(Clone, Debug)]
pub struct Known {
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Its content hash.
    pub hash: String,
    /// The workshop's seed for it, when the workshop fixes one (everyone
    /// meets the same member; other seeds are refused).
    pub seed: Option<u64>,
}

/// The scenarios a server knows, by id.
#[derive(Clone, Debug, Default)]
pub struct Scenarios {
    by_id: BTreeMap<String, Known>,
}

impl Scenarios {
    /// From scenarios already loaded.
    pub fn new(scenarios: impl IntoIterator<Item = Arc<Scenario>>) -> Scenarios {
        let by_id = scenarios
            .into_iter()
            .map(|s| {
                let hash = s.content_hash();
                (
                    s.id.clone(),
                    Known {
                        scenario: s,
                        hash,
                        seed: None,
                    },
                )
            })
            .collect();
        Scenarios { by_id }
    }

    /// Loads every valid scenario under `paths`; returns the set and one
    /// rendered diagnostic per file that failed.
    pub fn load(paths: &[PathBuf]) -> (Scenarios, Vec<String>) {
        Scenarios::from_loaded(kiku_core::load::load_all(paths))
    }

    /// The bundled scenarios, with the files under `paths` added or
    /// replacing them by id (`kiku_core::load::library::library`).
    pub fn library(paths: &[PathBuf]) -> (Scenarios, Vec<String>) {
        Scenarios::from_loaded(kiku_core::load::library::library(paths))
    }

    fn from_loaded(all: Vec<kiku_core::Loaded>) -> (Scenarios, Vec<String>) {
        let mut ok = Vec::new();
        let mut failed = Vec::new();
        for loaded in all {
            match &loaded.scenario {
                Some(s) => ok.push(Arc::clone(s)),
                None => failed.push(loaded.render()),
            }
        }
        (Scenarios::new(ok), failed)
    }

    /// Fixes each scenario's seed to `seed(id)`: announced to clients,
    /// and submissions with another seed are refused.
    pub fn fix_seeds(&mut self, mut seed: impl FnMut(&str) -> u64) {
        for (id, known) in &mut self.by_id {
            known.seed = Some(seed(id));
        }
    }

    /// The scenario with this id.
    pub fn get(&self, id: &str) -> Option<&Known> {
        self.by_id.get(id)
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Every scenario as listed to clients, by id.
    pub fn infos(&self) -> Vec<ScenarioInfo> {
        self.by_id
            .values()
            .map(|k| ScenarioInfo {
                id: k.scenario.id.clone(),
                title: k.scenario.title.clone(),
                hash: k.hash.clone(),
                seed: k.seed,
            })
            .collect()
    }
}

/// The prior a follow-up is replayed under: never the client's numbers,
/// only its source, worked out again here (the earlier record replayed, or
/// the scenario's named or default prior). `None` for a scenario that
/// follows nothing or a submission without a prior (the default then).
fn trusted_prior(scenario: &Scenario, claimed: Option<&Prior>) -> Result<Option<Prior>, Rejection> {
    let Some(claimed) = claimed else {
        return Ok(None);
    };
    if scenario.follows.is_none() {
        return Ok(None);
    }
    let refused = |why: String| {
        Rejection::new(
            422,
            RejectionKind::InvalidChoice,
            format!("the earlier 1on1 this follow-up was played after: {why}"),
        )
    };
    match &claimed.source {
        PriorSource::Default => Ok(Prior::default_for(scenario)),
        PriorSource::Named(id) => Prior::all_for(scenario)
            .into_iter()
            .find(|(named, _, _)| named == id)
            .map(|(_, _, prior)| Some(prior))
            .ok_or_else(|| refused(format!("no prior named `{}`", clip(id)))),
        PriorSource::Record { seed, choices } => {
            let earlier = scenario
                .earlier()
                .ok_or_else(|| refused("the earlier scenario is not on this server".into()))?;
            Prior::from_choices(&earlier, *seed, choices, None)
                .map(Some)
                .map_err(|e| refused(e.to_string()))
        }
    }
}

/// Validates a submission (everything but the workshop code), replays it
/// with the core engine and scores it: the [`Finished`] record of the
/// server's own replay, as of `finished_ms`. Stores nothing.
pub fn rescore(
    scenarios: &Scenarios,
    sub: &Submission,
    finished_ms: i64,
) -> Result<NewEntry, Rejection> {
    let nickname = check_nickname(&sub.nickname)?;
    if let Some(id) = &sub.id {
        check_id(id)?;
    }
    if sub.choices.len() > MAX_CHOICES {
        return Err(Rejection::new(
            400,
            RejectionKind::TooManyChoices,
            format!(
                "{} choices; a session has at most {MAX_CHOICES}",
                sub.choices.len()
            ),
        ));
    }
    if let Some(long) = sub
        .choices
        .iter()
        .find(|c| c.chars().count() > MAX_ID_CHARS)
    {
        return Err(Rejection::new(
            400,
            RejectionKind::BadChoice,
            format!(
                "a choice id is {} characters long; ids are at most {MAX_ID_CHARS}",
                long.chars().count()
            ),
        ));
    }
    let Some(known) = scenarios.get(&sub.scenario) else {
        let ids: Vec<&str> = scenarios.by_id.keys().map(String::as_str).collect();
        return Err(Rejection::new(
            404,
            RejectionKind::UnknownScenario,
            format!(
                "this workshop has no scenario `{}` (it has: {})",
                clip(&sub.scenario),
                ids.join(", ")
            ),
        ));
    };
    if sub.hash != known.hash {
        return Err(Rejection::new(
            409,
            RejectionKind::HashMismatch,
            format!(
                "your copy of scenario `{}` differs from the workshop's (content hash {} vs {}): \
                 get the facilitator's version of the file",
                sub.scenario,
                clip(&sub.hash),
                &known.hash[..12.min(known.hash.len())]
            ),
        ));
    }
    if let Some(seed) = known.seed.filter(|s| *s != sub.seed) {
        return Err(Rejection::new(
            409,
            RejectionKind::WrongSeed,
            format!(
                "this workshop plays scenario `{}` with seed {seed}, so everyone meets the same \
                 member; this 1on1 was played with seed {}: start it again from the workshop",
                sub.scenario, sub.seed
            ),
        ));
    }
    let prior = trusted_prior(&known.scenario, sub.prior.as_ref())?;
    let (session, finished) =
        Finished::replay_after(&known.scenario, sub.seed, prior, &sub.choices, finished_ms)
            .map_err(|(index, e)| {
                Rejection::new(
                    422,
                    RejectionKind::InvalidChoice,
                    format!(
                        "choice {} (`{}`): {e}",
                        index + 1,
                        clip(&sub.choices[index])
                    ),
                )
            })?;
    if !session.is_over() {
        return Err(Rejection::new(
            422,
            RejectionKind::Unfinished,
            format!(
                "the session is not over after {} choices: only finished 1on1s are ranked",
                sub.choices.len()
            ),
        ));
    }
    Ok(NewEntry {
        submission: sub.id.clone(),
        nickname,
        // The client says how it replied (recall choices are the replies it
        // heard); the server ranks each mode on its own.
        finished: Finished {
            mode: sub.mode,
            ..finished
        },
        extra: crate::store::Extra::new(),
    })
}

/// Shortens untrusted text quoted back in a message.
fn clip(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nicknames() {
        assert_eq!(check_nickname("  森 遥 ").unwrap(), "森 遥");
        assert_eq!(
            check_nickname(&"あ".repeat(24)).unwrap().chars().count(),
            24
        );
        assert_eq!(
            check_nickname(&"あ".repeat(25)).unwrap_err().kind,
            RejectionKind::BadNickname
        );
        assert!(check_nickname("   ").is_err());
        assert!(check_nickname("a\u{7}b").is_err());
        assert!(check_nickname("a\nb").is_err());
        assert!(check_nickname("evil\u{202E}gnp").is_err());
        assert!(check_nickname("<script>").is_ok());
        assert!(check_nickname("ali\u{2060}ce").is_err());
        assert!(check_nickname("ali\u{061C}ce").is_err());
        assert!(check_nickname("\u{3164}").is_err());
        assert!(check_nickname("fuck").is_err());
        assert_eq!(check_nickname("ａｌｉｃｅ").unwrap(), "alice");
    }

    fn submission(scenarios: &Scenarios, choices: &[&str]) -> Submission {
        let info = &scenarios.infos()[0];
        Submission {
            id: Some("sub-1".into()),
            code: "ABC".into(),
            nickname: " ann ".into(),
            scenario: info.id.clone(),
            hash: info.hash.clone(),
            seed: 5,
            choices: choices.iter().map(|c| (*c).to_string()).collect(),
            mode: kiku_core::Mode::Choose,
            prior: None,
        }
    }

    #[test]
    fn a_finished_submission_becomes_the_servers_own_record() {
        let scenario = crate::server_tests_fixture();
        let scenarios = Scenarios::new([Arc::clone(&scenario)]);
        let choices = ["reflect_unsure", "ask_being", "autonomy"];
        let new = rescore(&scenarios, &submission(&scenarios, &choices), 42).unwrap();
        assert_eq!(new.submission.as_deref(), Some("sub-1"));
        assert_eq!(new.nickname, "ann");
        let owned: Vec<String> = choices.iter().map(|c| (*c).to_string()).collect();
        let (_, expected) = Finished::replay(&scenario, 5, &owned, 42).unwrap();
        assert_eq!(new.finished, expected);
        assert_eq!(new.finished.content_hash, scenarios.infos()[0].hash);
        assert_eq!(new.finished.ending.as_deref(), Some("opened"));
    }

    /// Plays `scenario` (after `prior`) with seed 1, always the first
    /// reply on offer, to its end.
    fn played(scenario: &Arc<Scenario>, prior: Option<Prior>) -> kiku_core::Session {
        let mut session = kiku_core::Session::start_after(scenario, 1, prior);
        while !session.is_over() {
            let id = session
                .offered()
                .into_iter()
                .find(|o| o.enabled)
                .unwrap()
                .id;
            session.choose(&id).unwrap();
        }
        session
    }

    #[test]
    fn a_follow_up_is_rescored_under_the_prior_the_server_works_out_itself() {
        let bundled = kiku_core::load::library::bundled_scenario;
        let (first, follow_up) = (
            bundled("first_steps").unwrap(),
            bundled("three_months_later").unwrap(),
        );
        let earlier = played(&first, None);
        let source = PriorSource::Record {
            seed: 1,
            choices: earlier.transcript().choice_ids(),
        };
        let real = Prior::from_session(&earlier, source).unwrap();
        let session = played(&follow_up, Some(real.clone()));
        let scenarios = Scenarios::new([Arc::clone(&follow_up)]);
        let info = &scenarios.infos()[0];
        let mut sub = Submission {
            id: None,
            code: "ABC".into(),
            nickname: "ann".into(),
            scenario: info.id.clone(),
            hash: info.hash.clone(),
            seed: 1,
            choices: session.transcript().choice_ids(),
            mode: kiku_core::Mode::Choose,
            prior: Some(real.clone()),
        };
        // A forged prior (a warmer member) is not believed: only its source.
        let mut forged = real.clone();
        forged.stats.trust = 100;
        sub.prior = Some(forged);
        let new = rescore(&scenarios, &sub, 7).unwrap();
        assert_eq!(new.finished.prior.as_ref(), Some(&real));
        let (_, expected) =
            Finished::replay_after(&follow_up, 1, Some(real), &sub.choices, 7).unwrap();
        assert_eq!(new.finished.scores, expected.scores);
        // A named prior the scenario does not have is refused.
        let mut unknown = Prior::default_for(&follow_up).unwrap();
        unknown.source = PriorSource::Named("nope".into());
        sub.prior = Some(unknown);
        let refused = rescore(&scenarios, &sub, 7).unwrap_err();
        assert_eq!(refused.kind, RejectionKind::InvalidChoice);
        assert!(refused.message.contains("nope"), "{}", refused.message);
    }

    #[test]
    fn a_fixed_seed_is_announced_and_other_seeds_are_refused() {
        let mut scenarios = Scenarios::new([crate::server_tests_fixture()]);
        let choices = ["reflect_unsure", "ask_being", "autonomy"];
        // Any seed until the workshop fixes one.
        assert_eq!(scenarios.infos()[0].seed, None);
        assert!(rescore(&scenarios, &submission(&scenarios, &choices), 0).is_ok());
        scenarios.fix_seeds(|_| 9);
        let infos = scenarios.infos();
        assert_eq!(infos[0].seed, Some(9));
        assert_eq!(crate::client::workshop_seed(&infos, &infos[0].id), Some(9));
        assert_eq!(crate::client::workshop_seed(&infos, "nope"), None);
        let mut sub = submission(&scenarios, &choices);
        let refused = rescore(&scenarios, &sub, 0).unwrap_err();
        assert_eq!(
            (refused.status, refused.kind),
            (409, RejectionKind::WrongSeed)
        );
        assert!(refused.message.contains("seed 9"), "{}", refused.message);
        sub.seed = 9;
        assert_eq!(rescore(&scenarios, &sub, 0).unwrap().finished.seed, 9);
    }

    #[test]
    fn rejections_carry_their_kind() {
        let scenarios = Scenarios::new([crate::server_tests_fixture()]);
        let kind = |sub: &Submission| rescore(&scenarios, sub, 0).unwrap_err().kind;
        let mut sub = submission(&scenarios, &["reflect_unsure"]);
        assert_eq!(kind(&sub), RejectionKind::Unfinished);
        sub.choices = vec!["nope".into()];
        assert_eq!(kind(&sub), RejectionKind::InvalidChoice);
        sub.hash = "other".into();
        assert_eq!(kind(&sub), RejectionKind::HashMismatch);
        sub.scenario = "gone".into();
        assert_eq!(kind(&sub), RejectionKind::UnknownScenario);
        sub.choices = vec!["x".repeat(MAX_ID_CHARS + 1)];
        assert_eq!(kind(&sub), RejectionKind::BadChoice);
        sub.choices = vec!["a".into(); MAX_CHOICES + 1];
        assert_eq!(kind(&sub), RejectionKind::TooManyChoices);
        sub.id = Some("a b".into());
        assert_eq!(kind(&sub), RejectionKind::BadId);
        sub.nickname = String::new();
        assert_eq!(kind(&sub), RejectionKind::BadNickname);
    }

    #[test]
    fn ids() {
        assert!(check_id("a-b_C9").is_ok());
        assert!(check_id("").is_err());
        assert!(check_id("a b").is_err());
        assert!(check_id(&"x".repeat(65)).is_err());
    }
}
