//! The history screen's view model: every attempt the trainee finished on
//! this machine, per scenario (when, chose or said it, score, the axes),
//! first vs best vs latest, each axis over the attempts, and how the
//! trainee's own talk changed ([`kiku_core::score::progress::talk_metrics`],
//! worked out by replaying each stored record). Bevy-free.

use std::sync::Arc;

use kiku_core::score::progress::{TalkMetrics, talk_metrics};
use kiku_core::text::Lang;
use kiku_core::{Finished, Mode, Scenario};

use super::typeset;

/// One stored attempt with what its replay tells about the trainee's talk.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    /// The record as stored (its scores are the ones the trainee got then).
    pub finished: Finished,
    /// The talk metrics of its replay; `None` when the scenario is not
    /// here any more or the record no longer replays on it.
    pub talk: Option<TalkMetrics>,
}

/// Replays every record on its scenario (`scenario_of` finds it by id) to
/// count the trainee's talk. The records keep their stored scores.
pub fn attempts(
    records: Vec<Finished>,
    scenario_of: impl Fn(&str) -> Option<Arc<Scenario>>,
) -> Vec<Attempt> {
    records
        .into_iter()
        .map(|finished| {
            let talk = scenario_of(&finished.scenario).and_then(|scenario| {
                let (session, _) = finished.rescore(&scenario).ok()?;
                Some(talk_metrics(session.transcript()))
            });
            Attempt { finished, talk }
        })
        .collect()
}

/// The history screen.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryView {
    /// Every scenario with at least one attempt: those in the catalog in
    /// its order, then those no longer there.
    pub scenarios: Vec<ScenarioHistory>,
    /// The index of the scenario shown (the one asked for, else the one
    /// played last); `None` with no attempts at all.
    pub shown: Option<usize>,
}

/// One scenario's attempts.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioHistory {
    /// The scenario id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptView>,
    /// Indexes into `attempts`: the first, the best (the earliest of equal
    /// bests) and the latest.
    pub first: usize,
    /// See `first`.
    pub best: usize,
    /// See `first`.
    pub latest: usize,
    /// Each axis and the overall over the attempts: label and points
    /// (attempt number, score).
    pub trend: Vec<(String, Vec<[f64; 2]>)>,
    /// How the trainee's talk changed from the first to the latest attempt
    /// that could be replayed (empty when none could).
    pub talk: Vec<TalkChange>,
    /// Said when the talk could not be counted for some attempts.
    pub talk_note: Option<String>,
}

impl ScenarioHistory {
    /// The first attempt.
    pub fn first(&self) -> &AttemptView {
        &self.attempts[self.first]
    }
    /// The best attempt.
    pub fn best(&self) -> &AttemptView {
        &self.attempts[self.best]
    }
    /// The latest attempt.
    pub fn latest(&self) -> &AttemptView {
        &self.attempts[self.latest]
    }
}

/// One attempt as the screen shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptView {
    /// 1-based, in the order played.
    pub number: usize,
    /// When it finished, in local time ("2026-12-02 09:41").
    pub when: String,
    /// Chose from the menu or said it in their own words.
    pub mode: Mode,
    /// The mode in words.
    pub mode_label: String,
    /// The overall score.
    pub overall: u32,
    /// The four axes: listening, questions, change, outcome.
    pub axes: [u32; 4],
    /// The talk in short cells (reflections per question, open share,
    /// being share, turns before the first advice); `None` when it could
    /// not be counted.
    pub talk: Option<[String; 4]>,
}

/// One measure of the trainee's talk, first attempt against latest.
#[derive(Clone, Debug, PartialEq)]
pub struct TalkChange {
    /// What is measured, in a trainee's words.
    pub label: String,
    /// Its value in the first attempt.
    pub first: String,
    /// Its value in the latest attempt.
    pub latest: String,
    /// What the change means.
    pub meaning: String,
    /// Whether the change goes the way the guide hopes (`None`: no change
    /// or nothing to compare).
    pub better: Option<bool>,
}

/// The axes' labels, in the order of [`AttemptView::axes`].
pub fn axis_labels(lang: Lang) -> [String; 4] {
    use kiku_core::score::Axis;
    [
        Axis::Listening,
        Axis::Questions,
        Axis::Change,
        Axis::Outcome,
    ]
    .map(|a| a.label().get(lang).to_string())
}

/// The reply mode in words.
pub fn mode_label(mode: Mode, lang: Lang) -> &'static str {
    match mode {
        Mode::Choose => lang.pick("選んで答える", "chose replies"),
        Mode::Recall => lang.pick("自分の言葉", "own words"),
    }
}

/// Builds the history of `attempts` (in any order). `order` lists the
/// catalog's scenario ids with their titles, in catalog order; `focus` asks
/// for one scenario; `when` formats a time (ms since the epoch) in local
/// time.
pub fn history(
    attempts: &[Attempt],
    order: &[(String, String)],
    focus: Option<&str>,
    lang: Lang,
    when: &dyn Fn(i64) -> String,
) -> HistoryView {
    let mut ids: Vec<(String, String)> = order
        .iter()
        .filter(|(id, _)| attempts.iter().any(|a| &a.finished.scenario == id))
        .cloned()
        .collect();
    for a in attempts {
        if !ids.iter().any(|(id, _)| *id == a.finished.scenario) {
            ids.push((
                a.finished.scenario.clone(),
                typeset(a.finished.title.get(lang)),
            ));
        }
    }
    let scenarios: Vec<ScenarioHistory> = ids
        .into_iter()
        .map(|(id, title)| {
            let mut mine: Vec<&Attempt> = attempts
                .iter()
                .filter(|a| a.finished.scenario == id)
                .collect();
            // Stable: records stored in the same millisecond keep their order.
            mine.sort_by_key(|a| a.finished.finished_ms);
            scenario_history(id, title, &mine, lang, when)
        })
        .collect();
    let last_played = attempts
        .iter()
        .max_by_key(|a| a.finished.finished_ms)
        .and_then(|a| scenarios.iter().position(|s| s.id == a.finished.scenario));
    let shown = focus
        .and_then(|f| scenarios.iter().position(|s| s.id == f))
        .or(last_played);
    HistoryView { scenarios, shown }
}

fn scenario_history(
    id: String,
    title: String,
    mine: &[&Attempt],
    lang: Lang,
    when: &dyn Fn(i64) -> String,
) -> ScenarioHistory {
    let views: Vec<AttemptView> = mine
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let s = &a.finished.scores;
            AttemptView {
                number: i + 1,
                when: when(a.finished.finished_ms),
                mode: a.finished.mode,
                mode_label: mode_label(a.finished.mode, lang).to_string(),
                overall: s.overall,
                axes: [s.listening, s.questions, s.change, s.outcome],
                talk: a.talk.as_ref().map(|t| talk_cells(t, lang)),
            }
        })
        .collect();
    let best = views
        .iter()
        .enumerate()
        // The earliest of equal bests: when the trainee first got there.
        .max_by_key(|(i, v)| (v.overall, std::cmp::Reverse(*i)))
        .map_or(0, |(i, _)| i);
    let mut trend = vec![(
        lang.pick("総合", "Overall").to_string(),
        views
            .iter()
            .map(|v| [v.number as f64, f64::from(v.overall)])
            .collect::<Vec<_>>(),
    )];
    for (k, label) in axis_labels(lang).into_iter().enumerate() {
        trend.push((
            label,
            views
                .iter()
                .map(|v| [v.number as f64, f64::from(v.axes[k])])
                .collect(),
        ));
    }
    let counted: Vec<&TalkMetrics> = mine.iter().filter_map(|a| a.talk.as_ref()).collect();
    let talk = match (counted.first(), counted.last()) {
        (Some(first), Some(latest)) => talk_changes(first, latest, counted.len(), lang),
        _ => Vec::new(),
    };
    let uncounted = mine.len() - counted.len();
    let talk_note = (uncounted > 0).then(|| match lang {
        Lang::Ja => format!(
            "{uncounted}回分は、シナリオが変わったか見つからないため、話し方を数えられませんでした(得点は当時のまま)。"
        ),
        Lang::En => format!(
            "Your talk could not be counted for {uncounted} attempt(s): the scenario changed or is gone (their scores are as they were)."
        ),
    });
    ScenarioHistory {
        id,
        title,
        first: 0,
        best,
        latest: views.len().saturating_sub(1),
        attempts: views,
        trend,
        talk,
        talk_note,
    }
}

fn ratio(r: Option<f64>, lang: Lang) -> String {
    r.map_or_else(
        || lang.pick("質問なし", "no questions").to_string(),
        |r| format!("{r:.1}"),
    )
}

fn percent(r: Option<f64>, lang: Lang) -> String {
    r.map_or_else(
        || lang.pick("質問なし", "no questions").to_string(),
        |r| format!("{:.0}%", r * 100.0),
    )
}

fn advice(n: Option<usize>, lang: Lang) -> String {
    match (n, lang) {
        (None, Lang::Ja) => "助言なし".to_string(),
        (None, Lang::En) => "never advised".to_string(),
        (Some(n), Lang::Ja) => format!("{n}ターン"),
        (Some(n), Lang::En) => format!("{n} turns"),
    }
}

/// A table cell's mark for "no questions" ([`talk_heads`] explains it).
pub const NO_QUESTIONS: &str = "—";

fn talk_cells(t: &TalkMetrics, lang: Lang) -> [String; 4] {
    [
        t.reflection_to_question
            .map_or_else(|| NO_QUESTIONS.to_string(), |r| format!("{r:.1}")),
        t.open_share.map_or_else(
            || NO_QUESTIONS.to_string(),
            |r| format!("{:.0}%", r * 100.0),
        ),
        t.being_share.map_or_else(
            || NO_QUESTIONS.to_string(),
            |r| format!("{:.0}%", r * 100.0),
        ),
        match (t.turns_before_first_advice, lang) {
            (None, _) => lang.pick("なし", "none").to_string(),
            (Some(n), _) => n.to_string(),
        },
    ]
}

/// What the table's marks mean.
pub fn talk_table_note(lang: Lang) -> &'static str {
    lang.pick(
        "— は質問なし。最初の助言まで: ターン数(なし = 最後まで助言しなかった)",
        "— : no questions. Before advice: turns (none = never advised)",
    )
}

/// The column heads of [`AttemptView::talk`].
pub fn talk_heads(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick("言い返し/質問", "reflections/question"),
        lang.pick("開いた質問", "open"),
        lang.pick("在り方の質問", "being"),
        lang.pick("最初の助言まで", "before advice"),
    ]
}

/// Which way a measure moved from the first attempt to the latest.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Moved {
    Up,
    Down,
    Same,
    /// No questions in the first attempt, some in the latest.
    Started,
    /// Questions in the first, none in the latest.
    Stopped,
    /// No questions in either.
    Neither,
}

fn direction(first: Option<f64>, latest: Option<f64>) -> Moved {
    match (first, latest) {
        (None, None) => Moved::Neither,
        (None, Some(_)) => Moved::Started,
        (Some(_), None) => Moved::Stopped,
        (Some(a), Some(b)) if (b - a).abs() < 1e-9 => Moved::Same,
        (Some(a), Some(b)) if b > a => Moved::Up,
        _ => Moved::Down,
    }
}

fn talk_changes(
    first: &TalkMetrics,
    latest: &TalkMetrics,
    counted: usize,
    lang: Lang,
) -> Vec<TalkChange> {
    let one = counted < 2;
    let change = |dir: Moved,
                  up: (&str, &str),
                  down: (&str, &str),
                  same: (&str, &str),
                  up_is_better: bool| {
        let (meaning, better) = match (one, dir) {
            (true, _) => (
                lang.pick(
                    "もう一度遊ぶと、ここに変化が出ます。",
                    "Play again to see how this changes.",
                ),
                None,
            ),
            (false, Moved::Up) => (lang.pick(up.0, up.1), Some(up_is_better)),
            (false, Moved::Down) => (lang.pick(down.0, down.1), Some(!up_is_better)),
            (false, Moved::Same) => (lang.pick(same.0, same.1), None),
            (false, Moved::Started) => (
                lang.pick(
                    "1回目は質問をしていませんでした。今は問いかけも使っています。",
                    "In your first attempt you asked no questions; now you ask them too.",
                ),
                Some(true),
            ),
            (false, Moved::Stopped) => (
                lang.pick(
                    "最新の回では質問をしていません。",
                    "In your latest attempt you asked no questions.",
                ),
                None,
            ),
            (false, Moved::Neither) => (
                lang.pick(
                    "どちらの回でも質問をしていません。",
                    "You asked no questions in either attempt.",
                ),
                None,
            ),
        };
        (meaning.to_string(), better)
    };
    let (m1, b1) = change(
        direction(first.reflection_to_question, latest.reflection_to_question),
        (
            "問う前に、相手の言葉を受けとめて返すことが増えました。質問1つに言い返し2つが目安です。",
            "You now give back more of what the member says for each question you ask. Two reflections per question is the aim.",
        ),
        (
            "言い返しより質問が多くなりました。質問の合間に、聴いたことを言葉にして返してみましょう。",
            "You now ask more than you give back. Between questions, try saying back what you heard.",
        ),
        (
            "言い返しと質問の割合は変わっていません。",
            "The balance of reflections and questions is the same.",
        ),
        true,
    );
    let (m2, b2) = change(
        direction(first.open_share, latest.open_share),
        (
            "「はい/いいえ」で終わらない、開いた質問が増えました。",
            "More of your questions are open: they cannot be answered with yes or no.",
        ),
        (
            "閉じた質問(はい/いいえで答えるもの)が増えました。",
            "More of your questions are closed (answered with yes or no).",
        ),
        (
            "開いた質問の割合は変わっていません。",
            "The share of open questions is the same.",
        ),
        true,
    );
    let (m3, b3) = change(
        direction(first.being_share, latest.being_share),
        (
            "「どうありたいか」を尋ねる問いが増えました。相手が自分の軸を言葉にする助けになります。",
            "You ask more about who the member wants to be, which helps them put what matters to them into words.",
        ),
        (
            "「どうありたいか」を尋ねる問いが減りました。",
            "You ask less about who the member wants to be.",
        ),
        (
            "「どうありたいか」を尋ねる問いの割合は変わっていません。",
            "The share of questions about who the member wants to be is the same.",
        ),
        true,
    );
    // Never advising counts as waiting the whole 1on1.
    let waited = |t: &TalkMetrics| t.turns_before_first_advice.unwrap_or(t.turns) as f64;
    let (m4, b4) = change(
        match direction(Some(waited(first)), Some(waited(latest))) {
            // Asking questions is not the point here: waiting is.
            Moved::Started | Moved::Stopped | Moved::Neither => Moved::Same,
            moved => moved,
        },
        (
            "助言するまでに、じっくり聴く時間が長くなりました。",
            "You now listen longer before giving advice.",
        ),
        (
            "前より早く助言するようになりました。相手のもやもやが言葉になるまで待ってみましょう。",
            "You now give advice sooner. Try waiting until the member has put the unease into words.",
        ),
        (
            "最初の助言までのターン数は変わっていません。",
            "You give your first advice at the same point as before.",
        ),
        true,
    );
    let heads = [
        lang.pick(
            "質問1つあたりの言い返し(相手の言葉や気持ちを返す)",
            "Reflections per question (saying back the member's words or feelings)",
        ),
        lang.pick(
            "開いた質問の割合",
            "Open questions, as a share of your questions",
        ),
        lang.pick(
            "「どうありたいか」を尋ねる質問の割合",
            "Questions about who the member wants to be",
        ),
        lang.pick("最初の助言までのターン数", "Turns before your first advice"),
    ];
    let values = [
        (
            ratio(first.reflection_to_question, lang),
            ratio(latest.reflection_to_question, lang),
        ),
        (
            percent(first.open_share, lang),
            percent(latest.open_share, lang),
        ),
        (
            percent(first.being_share, lang),
            percent(latest.being_share, lang),
        ),
        (
            advice(first.turns_before_first_advice, lang),
            advice(latest.turns_before_first_advice, lang),
        ),
    ];
    heads
        .into_iter()
        .zip(values)
        .zip([(m1, b1), (m2, b2), (m3, b3), (m4, b4)])
        .map(|((label, (first, latest)), (meaning, better))| TalkChange {
            label: label.to_string(),
            first,
            latest,
            meaning,
            better,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::Session;

    fn when(ms: i64) -> String {
        format!("t{ms}")
    }

    /// A real attempt: `picks` chooses each reply among those on offer.
    fn play(
        s: &Arc<Scenario>,
        seed: u64,
        at_ms: i64,
        mode: Mode,
        pick: impl Fn(&[kiku_core::play::session::Offer]) -> String,
    ) -> Finished {
        let mut session = Session::start(s, seed);
        while !session.is_over() {
            let offers: Vec<_> = session
                .choices()
                .into_iter()
                .filter(|o| o.enabled)
                .collect();
            session.choose(&pick(&offers)).unwrap();
        }
        let mut f = Finished::of(&session, at_ms);
        f.mode = mode;
        f
    }

    fn sample() -> Arc<Scenario> {
        kiku_core::fixtures::sample()
    }

    fn of(records: Vec<Finished>) -> Vec<Attempt> {
        let s = sample();
        attempts(records, |id| (id == s.id).then(|| Arc::clone(&s)))
    }

    #[test]
    fn no_attempts_show_nothing_and_pick_nothing() {
        let v = history(&[], &[("x".into(), "X".into())], Some("x"), Lang::Ja, &when);
        assert!(v.scenarios.is_empty());
        assert_eq!(v.shown, None);
    }

    #[test]
    fn one_attempt_is_first_best_and_latest_and_asks_for_another() {
        let s = sample();
        let f = play(&s, 3, 1_000, Mode::Choose, |o| o[0].id.clone());
        let v = history(
            &of(vec![f.clone()]),
            &[(s.id.clone(), "T".into())],
            None,
            Lang::En,
            &when,
        );
        assert_eq!(v.shown, Some(0));
        let h = &v.scenarios[0];
        assert_eq!((h.first, h.best, h.latest), (0, 0, 0));
        assert_eq!(h.attempts[0].overall, f.scores.overall);
        assert_eq!(h.attempts[0].when, "t1000");
        assert_eq!(h.trend.len(), 5);
        assert!(h.trend.iter().all(|(_, p)| p.len() == 1));
        assert_eq!(h.talk.len(), 4);
        assert!(h.talk.iter().all(|c| c.better.is_none()));
        assert!(h.talk[0].meaning.contains("Play again"));
        assert!(h.talk_note.is_none());
    }

    #[test]
    fn many_attempts_in_any_order_find_first_best_latest_and_the_talk() {
        let s = sample();
        // Oldest: the last reply on offer each time; then the first.
        let a = play(&s, 1, 10_000, Mode::Choose, |o| o[o.len() - 1].id.clone());
        let b = play(&s, 2, 20_000, Mode::Recall, |o| o[0].id.clone());
        let c = play(&s, 3, 30_000, Mode::Choose, |o| o[o.len() - 1].id.clone());
        assert_ne!(a.scores.overall, b.scores.overall, "two different paths");
        let stored = vec![c.clone(), a.clone(), b.clone()];
        let v = history(
            &of(stored),
            &[(s.id.clone(), "T".into())],
            None,
            Lang::Ja,
            &when,
        );
        let h = &v.scenarios[0];
        let whens: Vec<_> = h.attempts.iter().map(|x| x.when.as_str()).collect();
        assert_eq!(whens, ["t10000", "t20000", "t30000"]);
        assert_eq!(h.first().overall, a.scores.overall);
        assert_eq!(h.latest().overall, c.scores.overall);
        let top = [&a, &b, &c].iter().map(|f| f.scores.overall).max().unwrap();
        assert_eq!(h.best().overall, top);
        // The earliest of equal bests.
        let first_top = h.attempts.iter().position(|x| x.overall == top).unwrap();
        assert_eq!(h.best, first_top);
        assert_eq!(h.attempts[1].mode, Mode::Recall);
        assert_eq!(h.attempts[1].mode_label, "自分の言葉");
        // The talk compares the first attempt's replay with the latest's.
        let t1 = talk_metrics(a.rescore(&s).unwrap().0.transcript());
        let t3 = talk_metrics(c.rescore(&s).unwrap().0.transcript());
        assert_eq!(h.talk[0].first, ratio(t1.reflection_to_question, Lang::Ja));
        assert_eq!(h.talk[0].latest, ratio(t3.reflection_to_question, Lang::Ja));
        assert_eq!(
            h.trend[0].1,
            vec![
                [1.0, f64::from(a.scores.overall)],
                [2.0, f64::from(b.scores.overall)],
                [3.0, f64::from(c.scores.overall)],
            ]
        );
    }

    #[test]
    fn a_record_that_no_longer_replays_keeps_its_score_and_says_so() {
        let s = sample();
        let good = play(&s, 1, 10_000, Mode::Choose, |o| o[0].id.clone());
        let mut stale = good.clone();
        stale.finished_ms = 20_000;
        stale.choices = vec!["no_such_reply".into()];
        let mut gone = good.clone();
        gone.scenario = "gone".into();
        let v = history(
            &of(vec![good, stale.clone(), gone]),
            &[(s.id.clone(), "T".into())],
            Some("gone"),
            Lang::En,
            &when,
        );
        // The one no longer in the catalog comes after, under its stored title.
        assert_eq!(v.scenarios.len(), 2);
        assert_eq!(v.shown, Some(1));
        assert_eq!(v.scenarios[1].talk, vec![]);
        assert!(v.scenarios[1].talk_note.is_some());
        let h = &v.scenarios[0];
        assert_eq!(h.latest().overall, stale.scores.overall);
        assert_eq!(h.latest().talk, None);
        assert!(h.talk_note.as_deref().unwrap().contains("1 attempt"));
    }

    #[test]
    fn the_talk_says_which_way_it_moved() {
        let base = TalkMetrics {
            turns: 6,
            reflections: 1,
            questions: 4,
            reflection_to_question: Some(0.25),
            open_share: Some(0.25),
            being_share: Some(0.0),
            turns_before_first_advice: Some(1),
        };
        let later = TalkMetrics {
            reflections: 4,
            questions: 2,
            reflection_to_question: Some(2.0),
            open_share: Some(1.0),
            being_share: Some(0.5),
            turns_before_first_advice: None,
            ..base
        };
        let up = talk_changes(&base, &later, 2, Lang::En);
        assert!(up.iter().all(|c| c.better == Some(true)), "{up:?}");
        assert_eq!(up[3].latest, "never advised");
        let none = TalkMetrics {
            questions: 0,
            reflection_to_question: None,
            open_share: None,
            being_share: None,
            ..base
        };
        let started = talk_changes(&none, &later, 2, Lang::En);
        assert_eq!(started[0].first, "no questions");
        assert_eq!(started[0].better, Some(true));
        assert!(started[0].meaning.contains("asked no questions"));
        let down = talk_changes(&later, &base, 2, Lang::Ja);
        assert!(down.iter().all(|c| c.better == Some(false)), "{down:?}");
        assert!(down[3].meaning.contains("早く"));
    }
}
