//! View models: everything a screen shows, built from the core (session,
//! score, history) in one language. The drawing code reads these and holds
//! no game rule. No Bevy here.

use std::sync::Arc;

pub mod face;
pub mod history;
pub mod rank;
pub mod series;
pub mod strings;

pub use series::SeriesCard;

use kiku_core::act::Act;
use kiku_core::play::session::{Session, Transcript};
use kiku_core::scenario::{EndingKind, Mood, Scenario, Stat, Stats};
use kiku_core::score::{Axis, Score};
use kiku_core::text::{Lang, Text};

use crate::catalog::Catalog;
use kiku_board::local::Record;
use kiku_core::load::Origin;
use std::collections::BTreeMap;

/// Who says a line in the conversation log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speaker {
    /// The simulated member.
    Member,
    /// The trainee.
    You,
}

/// One line of the conversation log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// Who says it.
    pub speaker: Speaker,
    /// The words.
    pub text: String,
}

/// A scenario card in scenario select.
#[derive(Clone, Debug, PartialEq)]
pub enum Card {
    /// A scenario that plays.
    Playable {
        /// Index into the catalog.
        index: usize,
        /// Title.
        title: String,
        /// Summary.
        summary: String,
        /// Member's name and role.
        member: String,
        /// Difficulty label.
        difficulty: String,
        /// Best score.
        best: Option<u32>,
        /// Last score.
        last: Option<u32>,
        /// Error headlines of a broken newer edit (the last good version plays).
        errors: Vec<String>,
        /// Where it comes from: bundled, or the file's path.
        origin: String,
        /// How the member looks (the same member keeps one face across a
        /// series).
        face: face::Face,
        /// A follow-up: the title of the 1on1 it follows.
        follows: Option<String>,
    },
    /// A file that does not load.
    Broken {
        /// The file name.
        file: String,
        /// Error headlines, `file:line:column: error: ...`.
        errors: Vec<String>,
    },
}

/// Builds the scenario cards.
pub fn cards(catalog: &Catalog, records: &BTreeMap<String, Record>, lang: Lang) -> Vec<Card> {
    catalog
        .entries
        .iter()
        .enumerate()
        .map(|(index, entry)| match &entry.good {
            Some(s) => {
                let record = records.get(&s.id).copied().unwrap_or_default();
                Card::Playable {
                    index,
                    title: typeset(s.title.get(lang)),
                    summary: typeset(s.summary.get(lang)),
                    member: format!(
                        "{} · {}",
                        s.persona.name.get(lang),
                        s.persona.role.get(lang)
                    ),
                    difficulty: s.difficulty.label().get(lang).to_string(),
                    best: record.best,
                    last: record.last,
                    errors: entry.errors(),
                    origin: match &entry.loaded.origin {
                        Origin::Bundled => strings::S::Bundled.get(lang).to_string(),
                        Origin::File(path) => path.display().to_string(),
                    },
                    face: face::face(&s.persona, &s.briefing),
                    follows: s.follows.as_ref().map(|_| {
                        s.earlier()
                            .map(|e| typeset(e.title.get(lang)))
                            .unwrap_or_default()
                    }),
                }
            }
            None => Card::Broken {
                file: entry
                    .path()
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                errors: entry.errors(),
            },
        })
        .collect()
}

/// The briefing screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Briefing {
    /// Scenario title.
    pub title: String,
    /// Member's name.
    pub name: String,
    /// Member's role.
    pub role: String,
    /// Years in the company.
    pub years: u32,
    /// What the trainee knows about the member.
    pub background: String,
    /// The context of this 1on1.
    pub briefing: String,
    /// Difficulty label.
    pub difficulty: String,
    /// How the trainee will reply (the player's setting; the briefing
    /// switches it).
    pub mode: kiku_core::Mode,
    /// The joined workshop requires this mode: the switch is fixed to it.
    pub required_mode: Option<kiku_core::Mode>,
    /// The joined workshop fixes this 1on1's seed: everyone meets the same
    /// member.
    pub workshop_seed: Option<u64>,
    /// A follow-up: last time, in the member's own words.
    pub recap: Option<RecapView>,
    /// How the member looks.
    pub face: face::Face,
}

/// Years in the company as a phrase: `在籍4年`, `13 years in the company`.
pub fn years_in_company(years: u32, lang: Lang) -> String {
    match (lang, years) {
        (Lang::Ja, 0) => "在籍1年未満".to_string(),
        (Lang::Ja, n) => format!("在籍{n}年"),
        (Lang::En, 0) => "less than a year in the company".to_string(),
        (Lang::En, 1) => "1 year in the company".to_string(),
        (Lang::En, n) => format!("{n} years in the company"),
    }
}

/// Builds the briefing.
pub fn briefing(s: &Scenario, lang: Lang) -> Briefing {
    Briefing {
        title: typeset(s.title.get(lang)),
        name: s.persona.name.get(lang).to_string(),
        role: s.persona.role.get(lang).to_string(),
        years: s.persona.years,
        background: typeset(s.persona.background.get(lang)),
        briefing: typeset(s.briefing.get(lang)),
        difficulty: s.difficulty.label().get(lang).to_string(),
        mode: kiku_core::Mode::Choose,
        required_mode: None,
        workshop_seed: None,
        recap: None,
        face: face::face(&s.persona, &s.briefing),
    }
}

/// Quotes words the way each language does.
pub fn quote(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("「{text}」"),
        Lang::En => format!("“{text}”"),
    }
}

/// A follow-up's briefing: how the earlier 1on1 went.
#[derive(Clone, Debug, PartialEq)]
pub struct RecapView {
    /// The earlier 1on1's title.
    pub title: String,
    /// What the member said then that matters now, in her own words.
    pub said: Vec<String>,
    /// How it ended: title and words.
    pub ending: (String, String),
    /// Who chose the next step.
    pub next_step: String,
    /// Set when there is no record of the trainee's own: what is assumed.
    pub assumed: Option<String>,
}

/// The recap of `prior` for a follow-up's briefing.
pub fn recap(
    prior: &kiku_core::play::prior::Prior,
    earlier: &std::sync::Arc<Scenario>,
    lang: Lang,
) -> RecapView {
    let r = prior.recap(earlier);
    RecapView {
        title: typeset(r.title.get(lang)),
        // One line may voice several motifs: show it once.
        said: {
            let mut lines: Vec<String> = r.said.iter().map(|l| typeset(l.line.get(lang))).collect();
            lines.dedup();
            lines
        },
        ending: (
            typeset(r.ending_title.get(lang)),
            typeset(r.ending_text.get(lang)),
        ),
        next_step: r.next_step.get(lang).to_string(),
        assumed: r.assumed.then(|| {
            lang.pick(
                "あなたの前回の記録がないため、このように進んだと想定しています。先に前回の1on1を遊ぶと、その結果から続きます。",
                "You have no record of the earlier 1on1 here, so this is assumed. Play the earlier one first and this 1on1 follows from how yours went.",
            )
            .to_string()
        }),
    }
}

/// A reply on offer.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceView {
    /// 1-based number (the key that picks it).
    pub number: usize,
    /// The choice id.
    pub id: String,
    /// What the trainee would say.
    pub text: String,
    /// False when greyed out.
    pub enabled: bool,
    /// The act, in preview mode only.
    pub act: Option<String>,
}

/// The facilitator's live panel.
#[derive(Clone, Debug, PartialEq)]
pub struct PreviewView {
    /// Trust, openness, clarity with labels.
    pub stats: Vec<(String, i32)>,
    /// The deepest layer voiced.
    pub voiced: String,
    /// The current node id.
    pub node: String,
    /// What the member really feels now.
    pub inner: Option<String>,
    /// Surface, unease, value.
    pub layers: [String; 3],
}

/// The conversation screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversation {
    /// Scenario title.
    pub title: String,
    /// Member's name.
    pub name: String,
    /// The member's mood now (drives the portrait).
    pub mood: Mood,
    /// The member's trust now (the portrait warms with it).
    pub trust: i32,
    /// How the member looks.
    pub face: face::Face,
    /// Everything said before the current line.
    pub log: Vec<LogLine>,
    /// The member's current line, as far as it has appeared.
    pub current: String,
    /// True while the current line is still appearing.
    pub typing: bool,
    /// The replies on offer (empty while typing or once over).
    pub choices: Vec<ChoiceView>,
    /// How it ended, once over: title and text.
    pub ended: Option<(String, String)>,
    /// The preview panel, in preview mode.
    pub preview: Option<PreviewView>,
    /// Recall mode: the text box's state (the menu is not shown).
    pub recall: Option<RecallView>,
}

/// Recall mode's part of the conversation.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RecallView {
    /// How the last typed reply was heard, while it is the latest turn.
    pub heard: Option<HeardView>,
    /// Words heard as no reply: the words, and the closest replies to pick.
    pub unclear: Option<(String, Vec<ChoiceView>)>,
    /// Hearing runs without the meaning model (its files missing or
    /// damaged): what the trainee should know.
    pub notice: Option<String>,
}

/// How the last typed reply was heard.
#[derive(Clone, Debug, PartialEq)]
pub struct HeardView {
    /// What the trainee typed.
    pub typed: String,
    /// The authored reply it was taken as.
    pub line: String,
    /// That reply's act.
    pub act: String,
    /// The trainee corrected it ("not what I meant").
    pub corrected: bool,
    /// The next closest replies, for "not what I meant" (numbered 1-2).
    pub others: Vec<ChoiceView>,
}

/// How many other replies "not what I meant" offers.
pub const OTHER_CANDIDATES: usize = 2;

/// How many of the closest replies words heard as nothing offer.
pub const UNCLEAR_CANDIDATES: usize = 3;

/// Adds the trainee's typed words to the debrief's turns (recall mode),
/// flagging words that were another kind of move than the reply they were
/// heard as.
pub fn add_said(debrief: &mut Debrief, session: &Session, said: &[crate::state::Said], lang: Lang) {
    use crate::state::Settled;
    let turns = &session.transcript().turns;
    for ((view, turn), said) in debrief.turns.iter_mut().zip(turns).zip(said) {
        if said.text.is_empty() {
            continue;
        }
        view.said = Some(SaidView {
            text: typeset(&said.text),
            other_act: (said.act.family() != turn.act.family()).then(|| act_label(&said.act, lang)),
            settled: match said.settled {
                Settled::Heard => None,
                Settled::Corrected => Some(
                    lang.pick(
                        "「ちがう」で選び直した",
                        "you said “not what I meant” and chose",
                    )
                    .to_string(),
                ),
                Settled::Picked => Some(
                    lang.pick(
                        "聞き取れず、近い返答から選んだ",
                        "not heard; you chose the closest",
                    )
                    .to_string(),
                ),
            },
        });
    }
}

/// Recall mode: the trainee's bubbles in the conversation show their own
/// words (the reply they were heard as shows under the last one).
pub fn show_said(conversation: &mut Conversation, said: &[crate::state::Said]) {
    let yours = conversation
        .log
        .iter_mut()
        .filter(|l| l.speaker == Speaker::You);
    for (line, said) in yours.zip(said) {
        if !said.text.is_empty() {
            line.text = typeset(&said.text);
        }
    }
}

/// The replies `ids` of `node`, numbered from 1, as recall mode offers them.
fn candidates<'a>(
    s: &Scenario,
    node: &str,
    ids: impl Iterator<Item = &'a String>,
    lang: Lang,
) -> Vec<ChoiceView> {
    ids.enumerate()
        .map(|(i, id)| ChoiceView {
            number: i + 1,
            id: id.clone(),
            text: choice_text(s, node, id, lang),
            enabled: true,
            act: None,
        })
        .collect()
}

/// Recall mode's view of `play`'s state.
pub fn recall(session: &Session, recall: &crate::state::Recall, lang: Lang) -> RecallView {
    let s = session.scenario();
    let t = session.transcript();
    let heard = match (recall.said.last(), t.turns.last(), &recall.before_last) {
        (Some(said), Some(turn), Some(_))
            if recall.said.len() == t.turns.len() && !said.text.is_empty() =>
        {
            Some(HeardView {
                typed: said.text.clone(),
                line: choice_text(s, &turn.node, &turn.choice, lang),
                act: act_label(&turn.act, lang),
                corrected: said.settled == crate::state::Settled::Corrected,
                others: candidates(
                    s,
                    &turn.node,
                    said.candidates
                        .iter()
                        .filter(|id| **id != turn.choice)
                        .take(OTHER_CANDIDATES),
                    lang,
                ),
            })
        }
        _ => None,
    };
    let unclear = recall.unclear.as_ref().map(|u| {
        let node = session.node_id().unwrap_or_default();
        (
            u.text.clone(),
            candidates(s, node, u.candidates.iter().take(UNCLEAR_CANDIDATES), lang),
        )
    });
    RecallView {
        heard,
        unclear,
        notice: recall.hearer.notice(lang),
    }
}

/// How far the member's current line has appeared.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Typing {
    /// Characters shown so far (fractional while animating).
    pub shown: f32,
    /// Characters in the line.
    pub total: usize,
}

impl Typing {
    /// Starts a line of `total` characters.
    pub fn start(total: usize) -> Typing {
        Typing { shown: 0.0, total }
    }

    /// Advances by `seconds` at `speed` characters per second (0: at once).
    pub fn advance(&mut self, seconds: f32, speed: u32) {
        if speed == 0 {
            self.skip();
        } else {
            self.shown = (self.shown + seconds * speed as f32).min(self.total as f32);
        }
    }

    /// Shows the whole line.
    pub fn skip(&mut self) {
        self.shown = self.total as f32;
    }

    /// True once the whole line is shown.
    pub fn done(&self) -> bool {
        self.shown as usize >= self.total
    }
}

fn choice_text(s: &Scenario, node: &str, id: &str, lang: Lang) -> String {
    s.nodes
        .get(node)
        .and_then(|n| n.choices.iter().find(|c| c.id == id))
        .map(|c| typeset(c.text.get(lang)))
        .unwrap_or_default()
}

fn spoken<'a>(
    s: &'a Scenario,
    node: &str,
    variant: usize,
) -> Option<&'a kiku_core::scenario::Line> {
    s.nodes.get(node).and_then(|n| n.lines.get(variant))
}

/// The member's line count in characters, for [`Typing`].
pub fn current_line_chars(session: &Session, lang: Lang) -> usize {
    session
        .line()
        .map_or(0, |l| l.text.get(lang).chars().count())
}

/// Builds the conversation screen.
pub fn conversation(session: &Session, typing: Typing, lang: Lang, preview: bool) -> Conversation {
    let s = session.scenario();
    let t = session.transcript();
    let mut log = Vec::new();
    let member_line = |node: &str, variant: usize, log: &mut Vec<LogLine>| {
        if let Some(line) = spoken(s, node, variant) {
            log.push(LogLine {
                speaker: Speaker::Member,
                text: typeset(line.text.get(lang)),
            });
        }
    };
    member_line(&t.opening.node, t.opening.variant, &mut log);
    for turn in &t.turns {
        log.push(LogLine {
            speaker: Speaker::You,
            text: choice_text(s, &turn.node, &turn.choice, lang),
        });
        if let Some(reply) = &turn.reply {
            member_line(&reply.node, reply.variant, &mut log);
        }
    }
    let ending = session.ending();
    let mood = match (session.line(), ending) {
        (Some(line), _) => line.mood,
        (None, Some((_, e))) => match e.kind {
            EndingKind::OpenedUp => Mood::Relieved,
            EndingKind::Polite => Mood::Guarded,
            EndingKind::ShutDown => Mood::Tense,
        },
        (None, None) => Mood::Neutral,
    };
    // The current line is the last member line while the session runs.
    let mut current = String::new();
    if !session.is_over()
        && let Some(last) = log.pop()
    {
        current = last.text.chars().take(typing.shown as usize).collect();
    }
    let typing_now = !session.is_over() && !typing.done();
    let choices = if typing_now {
        Vec::new()
    } else {
        // Shuffled per session and turn: the best reply is not always first.
        session
            .offered()
            .into_iter()
            .enumerate()
            .map(|(i, o)| ChoiceView {
                number: i + 1,
                id: o.id,
                text: typeset(o.text.get(lang)),
                enabled: o.enabled,
                act: preview.then(|| act_label(&o.act, lang)),
            })
            .collect()
    };
    let stats = session.stats();
    Conversation {
        title: typeset(s.title.get(lang)),
        name: s.persona.name.get(lang).to_string(),
        mood,
        trust: stats.trust,
        face: face::face(&s.persona, &s.briefing),
        log,
        current,
        typing: typing_now,
        choices,
        ended: ending.map(|(_, e)| (typeset(e.title.get(lang)), typeset(e.text.get(lang)))),
        preview: preview.then(|| PreviewView {
            stats: Stat::ALL
                .iter()
                .map(|st| (st.label().get(lang).to_string(), stats.get(*st)))
                .collect(),
            voiced: session.voiced().label().get(lang).to_string(),
            node: session.node_id().unwrap_or("-").to_string(),
            inner: session
                .line()
                .and_then(|l| l.inner.as_ref())
                .or_else(|| ending.and_then(|(_, e)| e.inner.as_ref()))
                .map(|t| typeset(t.get(lang))),
            layers: [
                typeset(s.inner.surface.get(lang)),
                typeset(s.inner.unease.get(lang)),
                typeset(s.inner.value.get(lang)),
            ],
        }),
        recall: None,
    }
}

/// The act's label, with a question's attributes.
pub fn act_label(act: &Act, lang: Lang) -> String {
    act.label().get(lang).to_string()
}

/// A better reply at a turn (from `kiku_core::tools::analyse`).
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The choice id.
    pub choice: String,
    /// What the trainee could have said.
    pub text: Text,
    /// Its act.
    pub act: Act,
    /// The best overall score reachable after it.
    pub better_best: u32,
    /// The best overall score that was still reachable after the trainee's reply.
    pub chosen_best: u32,
}

/// For each turn of `transcript` (index 0 = turn 1), the reply with the best
/// reachable score when it beats the trainee's. The debrief's only source of
/// "what would have been better": swap the analysis here.
pub fn better_choices(
    scenario: &Arc<Scenario>,
    seed: u64,
    transcript: &Transcript,
) -> Vec<Option<Suggestion>> {
    kiku_core::tools::analyse::better_choices(scenario, seed, &transcript.choice_ids())
        .into_iter()
        .enumerate()
        .map(|(i, found)| {
            let found = found?;
            let node = &transcript.turns.get(i)?.node;
            let text = scenario
                .nodes
                .get(node)
                .and_then(|n| n.choices.iter().find(|c| c.id == found.better))
                .map(|c| c.text.clone())
                .unwrap_or_default();
            Some(Suggestion {
                choice: found.better,
                text,
                act: found.act,
                better_best: found.better_best,
                chosen_best: found.chosen_best,
            })
        })
        .collect()
}

/// One reason, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct ReasonView {
    /// Points (negative: lost).
    pub points: i32,
    /// The axis name.
    pub axis: String,
    /// Why.
    pub text: String,
}

/// One turn in the debrief.
#[derive(Clone, Debug, PartialEq)]
pub struct TurnView {
    /// 1-based.
    pub number: usize,
    /// What the trainee said.
    pub you: String,
    /// The act.
    pub act: String,
    /// Why it helped or hurt.
    pub reasons: Vec<ReasonView>,
    /// What the member said next.
    pub reply: Option<String>,
    /// What the member really felt.
    pub inner: Option<String>,
    /// The member's state after the turn.
    pub after: Stats,
    /// Recall mode: what the trainee typed at this turn.
    pub said: Option<SaidView>,
}

/// Recall mode in the debrief: the trainee's own words beside the reply
/// they were heard as.
#[derive(Clone, Debug, PartialEq)]
pub struct SaidView {
    /// The words typed.
    pub text: String,
    /// The act of the words themselves, when it is another kind of move
    /// than the reply they were heard as (typed advice heard as a
    /// question, say): the words' act label.
    pub other_act: Option<String>,
    /// How it was settled, in words ("corrected by you", "picked by you").
    pub settled: Option<String>,
}

/// One of the costliest turns.
#[derive(Clone, Debug, PartialEq)]
pub struct Costly {
    /// 1-based turn.
    pub number: usize,
    /// What the trainee said.
    pub you: String,
    /// Its act.
    pub act: String,
    /// Points lost there, weighted.
    pub cost: i32,
    /// What would have been better.
    pub better: Option<Better>,
}

/// A better reply, ready to show.
#[derive(Clone, Debug, PartialEq)]
pub struct Better {
    /// What the trainee could have said.
    pub text: String,
    /// Its act.
    pub act: String,
    /// The best overall score reachable after it.
    pub reachable: u32,
    /// The best overall score still reachable after the trainee's reply.
    pub yours: u32,
}

/// The debrief screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Debrief {
    /// Scenario title.
    pub title: String,
    /// Member's name.
    pub name: String,
    /// Overall score.
    pub overall: u32,
    /// The four axes: label and score.
    pub axes: Vec<(String, u32)>,
    /// Ending kind, title, text.
    pub ending: Option<(EndingKind, String, String, String)>,
    /// The member's inner voice at the end.
    pub ending_inner: Option<String>,
    /// The member's first line and its inner voice.
    pub opening: (String, Option<String>),
    /// Trust, openness, clarity over the turns: label and points (turn, value).
    pub series: Vec<(String, Vec<[f64; 2]>)>,
    /// Every turn.
    pub turns: Vec<TurnView>,
    /// The one or two costliest turns.
    pub costly: Vec<Costly>,
    /// Session-level reasons.
    pub overview: Vec<ReasonView>,
    /// Surface, unease, value: what the member carried.
    pub layers: [String; 3],
    /// The seed (same seed, same member).
    pub seed: u64,
    /// True while better replies are still being worked out.
    pub pending: bool,
    /// A follow-up played after the trainee's own earlier 1on1: the member
    /// across the series (filled in by the debrief's logic, which replays
    /// the earlier 1on1 once: [`series::Series`]).
    pub across: Option<SeriesCard>,
    /// Joined a workshop: the trainee's own place there, privately.
    pub rank: Option<rank::RankView>,
}

fn reason_view(r: &kiku_core::score::Reason, lang: Lang) -> ReasonView {
    ReasonView {
        points: r.points,
        axis: r.axis.label().get(lang).to_string(),
        text: r.text.get(lang).to_string(),
    }
}

/// How many costly turns the debrief dwells on.
pub const COSTLY_TURNS: usize = 2;

/// Builds the debrief. `suggestions` come from [`better_choices`] (slow: it
/// searches the graph, so the game runs it on a thread); `None` while they
/// are being worked out.
pub fn debrief(
    session: &Session,
    sc: &Score,
    lang: Lang,
    suggestions: Option<&[Option<Suggestion>]>,
) -> Debrief {
    let s = session.scenario();
    let t = session.transcript();
    let turns: Vec<TurnView> = t
        .turns
        .iter()
        .enumerate()
        .map(|(i, turn)| {
            let reply = turn
                .reply
                .as_ref()
                .and_then(|r| spoken(s, &r.node, r.variant));
            TurnView {
                number: i + 1,
                you: choice_text(s, &turn.node, &turn.choice, lang),
                act: act_label(&turn.act, lang),
                reasons: sc
                    .turn_reasons(i + 1)
                    .map(|r| reason_view(r, lang))
                    .collect(),
                reply: reply.map(|l| typeset(l.text.get(lang))),
                inner: reply
                    .and_then(|l| l.inner.as_ref())
                    .map(|t| typeset(t.get(lang))),
                after: turn.after,
                said: None,
            }
        })
        .collect();
    let costly = sc
        .costliest_turns(t.turns.len(), COSTLY_TURNS)
        .into_iter()
        .filter_map(|n| {
            let turn = turns.get(n - 1)?;
            Some(Costly {
                number: n,
                you: turn.you.clone(),
                act: turn.act.clone(),
                cost: sc.turn_impact(n).round() as i32,
                better: suggestions
                    .and_then(|all| all.get(n - 1).cloned().flatten())
                    .map(|b| Better {
                        text: typeset(b.text.get(lang)),
                        act: act_label(&b.act, lang),
                        reachable: b.better_best,
                        yours: b.chosen_best,
                    }),
            })
        })
        .collect();
    let series: Vec<(String, Vec<[f64; 2]>)> = Stat::ALL
        .iter()
        .map(|st| {
            let mut points = vec![[0.0, f64::from(t.initial.get(*st))]];
            points.extend(
                t.turns
                    .iter()
                    .enumerate()
                    .map(|(i, turn)| [(i + 1) as f64, f64::from(turn.after.get(*st))]),
            );
            (st.label().get(lang).to_string(), points)
        })
        .collect();
    let opening = spoken(s, &t.opening.node, t.opening.variant);
    let ending = session.ending();
    Debrief {
        title: typeset(s.title.get(lang)),
        name: s.persona.name.get(lang).to_string(),
        overall: sc.overall,
        axes: Axis::ALL
            .iter()
            .map(|a| (a.label().get(lang).to_string(), sc.axis(*a)))
            .collect(),
        ending: ending.map(|(_, e)| {
            (
                e.kind,
                e.kind.label().get(lang).to_string(),
                typeset(e.title.get(lang)),
                typeset(e.text.get(lang)),
            )
        }),
        ending_inner: ending
            .and_then(|(_, e)| e.inner.as_ref())
            .map(|t| t.get(lang).to_string()),
        opening: (
            opening.map_or_else(String::new, |l| typeset(l.text.get(lang))),
            opening
                .and_then(|l| l.inner.as_ref())
                .map(|t| typeset(t.get(lang))),
        ),
        series,
        turns,
        costly,
        overview: sc
            .reasons
            .iter()
            .filter(|r| r.turn.is_none())
            .map(|r| reason_view(r, lang))
            .collect(),
        layers: [
            typeset(s.inner.surface.get(lang)),
            typeset(s.inner.unease.get(lang)),
            typeset(s.inner.value.get(lang)),
        ],
        seed: t.seed,
        pending: suggestions.is_none(),
        rank: None,
        across: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::score::score;

    pub(crate) fn sample() -> Arc<Scenario> {
        kiku_core::fixtures::sample()
    }

    #[test]
    fn conversation_hides_acts_unless_previewing_and_types_the_line() {
        let s = sample();
        let session = Session::start(&s, 1);
        let chars = current_line_chars(&session, Lang::Ja);
        let mut typing = Typing::start(chars);
        let view = conversation(&session, typing, Lang::Ja, false);
        assert!(view.typing && view.choices.is_empty() && view.current.is_empty());
        typing.advance(0.1, 30);
        let view = conversation(&session, typing, Lang::Ja, false);
        assert_eq!(view.current.chars().count(), 3);
        typing.skip();
        let view = conversation(&session, typing, Lang::Ja, false);
        assert!(!view.typing);
        assert_eq!(view.choices.len(), 4);
        assert!(view.choices.iter().all(|c| c.act.is_none()));
        assert!(view.preview.is_none());
        let view = conversation(&session, typing, Lang::En, true);
        assert!(view.choices.iter().all(|c| c.act.is_some()));
        assert_eq!(view.preview.unwrap().node, "open");
    }

    #[test]
    fn debrief_finds_the_costly_turn_and_a_better_reply() {
        let s = sample();
        let session = Session::replay(&s, 1, &["advice_early", "wrap"]).unwrap();
        assert!(session.is_over());
        let better = better_choices(&s, 1, session.transcript());
        let d = debrief(
            &session,
            &score(session.scenario(), session.transcript()),
            Lang::En,
            Some(&better),
        );
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.series.len(), 3);
        assert_eq!(d.series[0].1.len(), 3);
        assert!(!d.costly.is_empty());
        let first = &d.costly[0];
        assert!(first.cost < 0);
        assert!(first.better.is_some(), "{d:#?}");
        assert!(d.turns[0].inner.is_some());

        let good = Session::replay(&s, 1, &["feel", "reflect", "values", "summary"]).unwrap();
        let d2 = debrief(
            &good,
            &score(good.scenario(), good.transcript()),
            Lang::Ja,
            None,
        );
        assert!(d2.pending);
        assert!(d2.overall > d.overall, "{} vs {}", d2.overall, d.overall);
    }
}

/// Authored text as it is shown: straight double quotes become curly pairs
/// (“…”), since the bundled font draws `"` like a closing ”, which read as ”…”
/// at both ends. Text with an odd number of quotes is left as written.
pub fn typeset(text: &str) -> String {
    if !text.contains('"') || text.matches('"').count() % 2 == 1 {
        return text.to_string();
    }
    let mut open = true;
    text.chars()
        .map(|c| {
            if c == '"' {
                let q = if open { '“' } else { '”' };
                open = !open;
                q
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod typeset_tests {
    use super::{typeset, years_in_company};
    use kiku_core::text::Lang;

    #[test]
    fn years_in_the_company_read_as_a_phrase() {
        assert_eq!(years_in_company(13, Lang::En), "13 years in the company");
        assert_eq!(years_in_company(1, Lang::En), "1 year in the company");
        assert_eq!(years_in_company(4, Lang::Ja), "在籍4年");
        assert_eq!(years_in_company(0, Lang::Ja), "在籍1年未満");
    }

    #[test]
    fn straight_quotes_become_curly_pairs() {
        assert_eq!(
            typeset(r#"She said "fine" and "ok"."#),
            "She said “fine” and “ok”."
        );
        assert_eq!(typeset("no quotes"), "no quotes");
        assert_eq!(typeset(r#"an odd " one"#), r#"an odd " one"#);
    }
}
