//! The series view model: the member across the 1on1s of a series (her
//! state at the start and end of each), and each motif with the session and
//! turn where she said it and where the trainee recalled it. A pure function
//! of the scenarios and transcripts; the game draws it.

use serde::Serialize;

use crate::play::session::Transcript;
use crate::scenario::{EndingKind, Layer, Scenario, Stats};
use crate::text::Text;

/// One 1on1 of the series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesSession {
    /// The scenario id.
    pub scenario: String,
    /// Its title.
    pub title: Text,
    /// The ending reached, if any.
    pub ending: Option<String>,
    /// That ending's kind.
    pub kind: Option<EndingKind>,
    /// The member's state at the start.
    pub start: Stats,
    /// The member's state at the end.
    pub end: Stats,
    /// The deepest layer voiced.
    pub voiced: Layer,
}

/// A moment in the series: which 1on1 (index into
/// [`SeriesView::sessions`]) and how many turns had been played (0: the
/// member's opening line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Moment {
    /// The session index.
    pub session: usize,
    /// The turn.
    pub turn: usize,
}

/// A motif over the series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MotifTrack {
    /// The motif id.
    pub motif: String,
    /// Its words, from the scenario that declares it.
    pub words: Text,
    /// Where the member said it (first time per session).
    pub said: Vec<Moment>,
    /// Where the trainee quoted it back (recall choices, misremembered or not).
    pub recalled: Vec<Moment>,
}

impl MotifTrack {
    /// True when the member said it in more than one 1on1: a signpost.
    pub fn recurs(&self) -> bool {
        let mut sessions: Vec<usize> = self.said.iter().map(|m| m.session).collect();
        sessions.dedup();
        sessions.len() > 1
    }
}

/// The member across a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesView {
    /// Each 1on1, in order.
    pub sessions: Vec<SeriesSession>,
    /// Each motif said or recalled, in order of first appearance.
    pub motifs: Vec<MotifTrack>,
}

/// Builds the view of `sessions` (each scenario with its transcript, in
/// the order they were played).
pub fn series_view(sessions: &[(&Scenario, &Transcript)]) -> SeriesView {
    let mut view = SeriesView {
        sessions: Vec::new(),
        motifs: Vec::new(),
    };
    let words_of = |motif: &str| -> Text {
        sessions
            .iter()
            .find_map(|(s, _)| s.motif(motif).map(|m| m.words.clone()))
            .or_else(|| {
                sessions.iter().find_map(|(s, _)| {
                    let earlier = s.earlier()?;
                    earlier.motif(motif).map(|m| m.words.clone())
                })
            })
            .unwrap_or_else(|| Text::new(motif, motif))
    };
    for (index, (scenario, transcript)) in sessions.iter().enumerate() {
        let ending = transcript.ending.clone();
        view.sessions.push(SeriesSession {
            scenario: scenario.id.clone(),
            title: scenario.title.clone(),
            kind: ending
                .as_ref()
                .and_then(|id| scenario.endings.get(id))
                .map(|e| e.kind),
            ending,
            start: transcript.initial,
            end: transcript.final_stats(),
            voiced: transcript.voiced(),
        });
        // Said and recalled, in the order they happened in this 1on1.
        let mut events: Vec<(usize, bool, &str)> = transcript
            .motifs
            .iter()
            .map(|v| (v.turn, true, v.motif.as_str()))
            .collect();
        events.extend(
            transcript
                .turns
                .iter()
                .enumerate()
                .filter_map(|(i, t)| t.recall.as_ref().map(|r| (i + 1, false, r.motif.as_str()))),
        );
        events.sort_by_key(|(turn, said, _)| (*turn, !*said));
        for (turn, said, motif) in events {
            let i = match view.motifs.iter().position(|t| t.motif == motif) {
                Some(i) => i,
                None => {
                    view.motifs.push(MotifTrack {
                        motif: motif.to_string(),
                        words: words_of(motif),
                        said: Vec::new(),
                        recalled: Vec::new(),
                    });
                    view.motifs.len() - 1
                }
            };
            let moment = Moment {
                session: index,
                turn,
            };
            if said {
                view.motifs[i].said.push(moment);
            } else {
                view.motifs[i].recalled.push(moment);
            }
        }
    }
    view
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::play::prior::Prior;
    use crate::play::session::Session;

    #[test]
    fn a_motif_said_in_01_recurs_in_07_and_the_state_is_tracked() {
        let first = crate::load::library::bundled_scenario("first_steps").unwrap();
        let later = crate::load::library::bundled_scenario("three_months_later").unwrap();
        let ids = "op_reflect,ns_complex,pe_empathize,dk_complex,al_complex,ar_being,ba_complex,np_values,ss_complex,vw_complex,tn_change,ca_affirm,af_summary,aw_autonomy";
        let ids: Vec<String> = ids.split(',').map(str::to_string).collect();
        let earlier = Session::replay(&first, 1, &ids).unwrap();
        let prior = Prior::from_choices(&first, 1, &ids, None).unwrap();
        assert!(prior.voiced_motif("face"));
        let now =
            Session::replay_after(&later, 1, Some(prior.clone()), &["recall_face_open"]).unwrap();
        let view = series_view(&[(&first, earlier.transcript()), (&later, now.transcript())]);
        assert_eq!(view.sessions.len(), 2);
        assert_eq!(view.sessions[0].kind, Some(EndingKind::OpenedUp));
        assert_eq!(view.sessions[0].end, prior.stats);
        // The start is the carried state (the opening line then puts the
        // surface into words, which sets a floor on clarity).
        let carried = prior.starting_stats(&later);
        let start = view.sessions[1].start;
        assert_eq!(
            (start.trust, start.openness),
            (carried.trust, carried.openness)
        );
        let face = view.motifs.iter().find(|t| t.motif == "face").unwrap();
        assert_eq!(face.words.ja, "顔が見える");
        assert!(face.recurs(), "{face:?}");
        assert_eq!(
            face.recalled,
            [Moment {
                session: 1,
                turn: 1
            }]
        );
        assert_eq!(
            face.said.last(),
            Some(&Moment {
                session: 1,
                turn: 1
            })
        );
        // The recall was taken up: the reply voiced the motif.
        assert!(now.transcript().turns[0].recall.as_ref().unwrap().taken_up);
        // The recap quotes her own line from the record.
        let recap = prior.recap(&first);
        assert!(!recap.assumed);
        let line = &recap.said.iter().find(|l| l.motif == "face").unwrap().line;
        assert!(line.ja.contains("顔が見える"), "{}", line.ja);
        assert!(recap.next_step.en.contains("herself"));
        // The default prior's recap says it is assumed.
        assert!(Prior::default_for(&later).unwrap().recap(&first).assumed);
    }
}
