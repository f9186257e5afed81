//! The series view of a follow-up's debrief: the member over the 1on1s of
//! the series (her state turn by turn across them, how each ended) and the
//! motifs: her own words, when she said them and when the trainee quoted
//! them back. [`Series::of`] replays the earlier 1on1 once; [`Series::card`]
//! words it in a language.

use std::sync::Arc;

use kiku_core::play::series::{Moment, SeriesView, series_view};
use kiku_core::play::session::{Session, Transcript};
use kiku_core::scenario::{Scenario, Stat, Stats};
use kiku_core::text::Lang;

use super::typeset;

/// A finished follow-up with the earlier 1on1 it was played after,
/// replayed once.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Each 1on1 of the series, in order: its scenario and transcript.
    pub sessions: Vec<(Arc<Scenario>, Transcript)>,
    /// The core's view of them.
    pub view: SeriesView,
}

/// Turns of space between two 1on1s on the chart (the months between).
pub const GAP: f64 = 1.0;

impl Series {
    /// The series of a finished follow-up whose prior is the trainee's own
    /// record, replayed (`None` otherwise: nothing real to compare with, or
    /// the earlier record no longer replays).
    pub fn of(session: &Session) -> Option<Series> {
        use kiku_core::play::prior::PriorSource;
        let prior = session.prior()?;
        let PriorSource::Record { seed, choices } = &prior.source else {
            return None;
        };
        let earlier = session.scenario().earlier()?;
        let before = Session::replay(&earlier, *seed, choices).ok()?;
        let sessions = vec![
            (earlier, before.transcript().clone()),
            (Arc::clone(session.scenario()), session.transcript().clone()),
        ];
        let view = series_view(
            &sessions
                .iter()
                .map(|(s, t)| (s.as_ref(), t))
                .collect::<Vec<_>>(),
        );
        Some(Series { sessions, view })
    }

    /// Where 1on1 `session` starts on the chart's x axis.
    fn offset(&self, session: usize) -> f64 {
        self.sessions
            .iter()
            .take(session)
            .map(|(_, t)| t.turns.len() as f64 + GAP)
            .sum()
    }

    /// Where a moment lies on the chart's x axis.
    pub fn x(&self, m: &Moment) -> f64 {
        self.offset(m.session) + m.turn as f64
    }

    /// The series in `lang`, for the debrief.
    pub fn card(&self, lang: Lang) -> SeriesCard {
        let stats = |a: &Stats, b: &Stats| {
            Stat::ALL
                .iter()
                .map(|st| format!("{} {} → {}", st.label().get(lang), a.get(*st), b.get(*st)))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let moment = |m: &Moment| match lang {
            Lang::Ja => format!("{}回目の{}ターン目", m.session + 1, m.turn),
            Lang::En => format!("1on1 {}, turn {}", m.session + 1, m.turn),
        };
        let chart = Stat::ALL
            .iter()
            .map(|st| {
                let segments = self
                    .sessions
                    .iter()
                    .enumerate()
                    .map(|(i, (_, t))| {
                        let x0 = self.offset(i);
                        let mut points = vec![[x0, f64::from(t.initial.get(*st))]];
                        points.extend(t.turns.iter().enumerate().map(|(k, turn)| {
                            [x0 + (k + 1) as f64, f64::from(turn.after.get(*st))]
                        }));
                        points
                    })
                    .collect();
                (st.label().get(lang).to_string(), segments)
            })
            .collect();
        SeriesCard {
            sessions: self
                .view
                .sessions
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let kind = s
                        .kind
                        .map(|k| k.label().get(lang).to_string())
                        .unwrap_or_default();
                    SessionRow {
                        number: i + 1,
                        title: typeset(s.title.get(lang)),
                        kind,
                        stats: stats(&s.start, &s.end),
                        x: self.offset(i),
                    }
                })
                .collect(),
            motifs: self
                .view
                .motifs
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let said = m.said.iter().map(moment).collect::<Vec<_>>().join(", ");
                    let recalled = m.recalled.iter().map(moment).collect::<Vec<_>>().join(", ");
                    let mut where_ = if said.is_empty() {
                        lang.pick("本人は言っていない", "she never said it")
                            .to_string()
                    } else {
                        match lang {
                            Lang::Ja => format!("本人が言った: {said}"),
                            Lang::En => format!("she said it: {said}"),
                        }
                    };
                    if !recalled.is_empty() {
                        where_.push_str(&match lang {
                            Lang::Ja => format!(" / あなたが引用: {recalled}"),
                            Lang::En => format!(" / you recalled it: {recalled}"),
                        });
                    }
                    MotifRow {
                        mark: mark(k),
                        words: super::quote(&typeset(m.words.get(lang)), lang),
                        where_,
                        recurs: m.recurs(),
                        said_at: m.said.iter().map(|s| self.x(s)).collect(),
                        recalled_at: m.recalled.iter().map(|s| self.x(s)).collect(),
                    }
                })
                .collect(),
            chart,
            width: self.offset(self.sessions.len()) - GAP,
        }
    }
}

/// A short mark for the `k`th motif on the chart: ①, ②, ...
fn mark(k: usize) -> String {
    char::from_u32(0x2460 + k as u32)
        .filter(|_| k < 20)
        .map_or_else(|| format!("({})", k + 1), String::from)
}

/// The member across a series, in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesCard {
    /// Each 1on1.
    pub sessions: Vec<SessionRow>,
    /// Each motif said or recalled.
    pub motifs: Vec<MotifRow>,
    /// Trust, openness, clarity: label and one run of points (x, value)
    /// per 1on1 (x counts turns across the series, [`GAP`] between 1on1s).
    pub chart: Vec<(String, Vec<Vec<[f64; 2]>>)>,
    /// The chart's last x.
    pub width: f64,
}

impl SeriesCard {
    /// How many turns the 1on1 at chart position `x` had.
    pub fn turns_of(&self, x: f64) -> f64 {
        let i = self
            .sessions
            .iter()
            .rposition(|s| x >= s.x - 1e-9)
            .unwrap_or(0);
        let end = self
            .sessions
            .get(i + 1)
            .map_or(self.width, |next| next.x - GAP);
        end - self.sessions.get(i).map_or(0.0, |s| s.x)
    }
}

/// One 1on1 of a series.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionRow {
    /// 1-based.
    pub number: usize,
    /// Its title.
    pub title: String,
    /// How it ended, in words.
    pub kind: String,
    /// The member's state at its start and end ("trust 40 → 72 · …").
    pub stats: String,
    /// Where it starts on the chart.
    pub x: f64,
}

/// One motif over a series.
#[derive(Clone, Debug, PartialEq)]
pub struct MotifRow {
    /// Its mark on the chart (①).
    pub mark: String,
    /// Her words, quoted.
    pub words: String,
    /// Where she said it and where it was quoted back.
    pub where_: String,
    /// She said it in more than one 1on1: a signpost.
    pub recurs: bool,
    /// Where she said it, on the chart's x axis.
    pub said_at: Vec<f64>,
    /// Where the trainee recalled it, on the chart's x axis.
    pub recalled_at: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::play::prior::Prior;

    fn bundled(id: &str) -> Arc<Scenario> {
        kiku_core::load::library::bundled()
            .into_iter()
            .filter_map(|l| l.scenario)
            .find(|s| s.id == id)
            .expect("bundled")
    }

    /// Plays `s` to its end, each turn with the first reply on offer that
    /// `prefer` likes, else the first.
    fn play(mut session: Session, prefer: impl Fn(&kiku_core::Act) -> bool) -> Session {
        while !session.is_over() {
            let offers: Vec<_> = session
                .choices()
                .into_iter()
                .filter(|o| o.enabled)
                .collect();
            let pick = offers.iter().find(|o| prefer(&o.act)).unwrap_or(&offers[0]);
            session.choose(&pick.id.clone()).unwrap();
        }
        session
    }

    #[test]
    fn a_follow_up_after_a_real_record_spans_both_1on1s_with_her_words() {
        let first = bundled("first_steps");
        let follow = bundled("three_months_later");
        let earlier = play(Session::start(&first, 5), |a| {
            a.family() == kiku_core::act::Family::Listening || a.question().is_some_and(|q| q.open)
        });
        let record = kiku_core::Finished::of(&earlier, 0);
        let prior = Prior::from_record(&follow, &first, &record).unwrap();
        let later = play(Session::start_after(&follow, 5, Some(prior)), |a| {
            a.family() == kiku_core::act::Family::Listening
        });
        let series = Series::of(&later).expect("a series");
        assert_eq!(series.sessions.len(), 2);
        let card = series.card(Lang::Ja);
        assert_eq!(card.sessions.len(), 2);
        assert_eq!(card.sessions[1].x, earlier.turn_count() as f64 + GAP);
        // Each stat: one run per 1on1, each from its start to its last turn.
        for (_, runs) in &card.chart {
            assert_eq!(runs.len(), 2);
            assert_eq!(runs[0].len(), earlier.turn_count() + 1);
            assert_eq!(runs[1].len(), later.turn_count() + 1);
        }
        assert_eq!(
            card.width,
            (earlier.turn_count() + later.turn_count()) as f64 + GAP
        );
        // The chart's turn labels count within each 1on1.
        assert_eq!(card.turns_of(0.0), earlier.turn_count() as f64);
        assert_eq!(
            card.turns_of(card.sessions[1].x + 1.0),
            later.turn_count() as f64
        );
        // Her words of the first 1on1 are there, placed in it.
        assert!(
            !earlier.transcript().motifs.is_empty(),
            "the path voices a motif"
        );
        let m = &card.motifs[0];
        assert_eq!(m.mark, "①");
        assert!(m.said_at[0] <= earlier.turn_count() as f64);
        assert!(m.where_.contains("1回目"));
        // The English card says the same in English.
        assert!(series.card(Lang::En).motifs[0].where_.contains("1on1 1"));
    }

    #[test]
    fn no_series_under_an_assumed_prior() {
        let follow = bundled("three_months_later");
        let later = play(
            Session::start_after(&follow, 5, Prior::default_for(&follow)),
            |_| false,
        );
        assert!(Series::of(&later).is_none());
    }
}
