//! The trainee's own place in the workshop, for the debrief: what is known
//! of it ([`RankState`], filled in by a thread in `crate::workshop`) and the
//! words for it ([`rank_view`]). Only the trainee's own rank is ever shown,
//! privately: never a list, never who is at the bottom.

use kiku_board::protocol::MyRank;
use kiku_core::text::Lang;

/// Where the trainee's last finished 1on1 stands in the workshop.
#[derive(Clone, Debug, PartialEq)]
pub enum RankState {
    /// The result is on its way to the server.
    Sending,
    /// The server is not reachable: the result waits in the outbox and
    /// goes out by itself.
    Queued,
    /// The result was stored, but the rank could not be asked.
    Unreachable,
    /// The server did not take the result, and why.
    Refused(String),
    /// The trainee's own standing.
    Ranked(MyRank),
}

/// The debrief's workshop card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankView {
    /// The rank, big ("5位 / 23人"), when there is one.
    pub rank: Option<String>,
    /// What it means, or why there is no rank yet, in kind words.
    pub text: String,
    /// A technical detail for the facilitator (small).
    pub detail: Option<String>,
    /// Still asking (the answer wakes the game).
    pub waiting: bool,
}

/// "5位 / 23人", "5th of 23".
pub fn place(rank: u32, of: u32, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{rank}位 / {of}人"),
        Lang::En => format!("{} of {of}", ordinal(rank)),
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 21st.
pub fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The words for what is known of the rank.
pub fn rank_view(state: &RankState, lang: Lang) -> RankView {
    let plain = |text: &str, waiting: bool| RankView {
        rank: None,
        text: text.to_string(),
        detail: None,
        waiting,
    };
    match state {
        RankState::Sending => plain(
            lang.pick(
                "結果をワークショップに送っています…",
                "Sending your result to the workshop…",
            ),
            true,
        ),
        RankState::Queued => plain(
            lang.pick(
                "いまはワークショップのサーバーにつながりません。結果はこのパソコンに保存してあり、つながりしだい自動で送ります。順位はそのあとここに出ます。練習はそのまま続けてください。",
                "The workshop server is out of reach for now. Your result is saved on this computer and goes out by itself once the server is back; your place shows here then. Keep practising.",
            ),
            false,
        ),
        RankState::Unreachable => plain(
            lang.pick(
                "結果はワークショップに届きました。順位はいま確かめられませんが、あとでランキング画面から見られます。",
                "Your result reached the workshop. Your place cannot be checked just now; the leaderboard screen shows it later.",
            ),
            false,
        ),
        RankState::Refused(why) => RankView {
            rank: None,
            text: if why.starts_with("wrong_mode") {
                lang.pick(
                    "この1on1はワークショップが決めた返答のしかたと違うモードで遊んだので、ワークショップには送っていません。あなたの記録には残っています。",
                    "This 1on1 was played in another reply mode than the workshop asks for, so it was not sent to the workshop. It is in your own records.",
                )
            } else if why.starts_with("wrong_seed") {
                lang.pick(
                    "この1on1はワークショップが決めた相手(シード)と違う回だったので、ワークショップには送っていません。あなたの記録には残っています。",
                    "This 1on1 met another version of the member (seed) than the workshop fixes, so it was not sent to the workshop. It is in your own records.",
                )
            } else {
                lang.pick(
                    "この結果はワークショップに受け付けられませんでした。あなたの記録には残っています。",
                    "The workshop did not take this result. It is still in your own records.",
                )
            }
            .to_string(),
            detail: (!why.is_empty()).then(|| why.clone()),
            waiting: false,
        },
        RankState::Ranked(r) => match (r.rank, r.score) {
            (Some(rank), Some(best)) => {
                let overall = r
                    .overall_rank
                    .map(|o| match lang {
                        Lang::Ja => format!("全シナリオの合計では{}。", place(o, r.overall_of, lang)),
                        Lang::En => format!(" Over all scenarios: {}.", place(o, r.overall_of, lang)),
                    })
                    .unwrap_or_default();
                RankView {
                    rank: Some(place(rank, r.of, lang)),
                    text: match lang {
                        Lang::Ja => format!(
                            "このシナリオでのあなたの順位です(ベスト{best}点)。{overall}順位はあなたにだけ表示されています。"
                        ),
                        Lang::En => format!(
                            "Your place on this scenario (your best: {best}).{overall} Only you see it."
                        ),
                    },
                    detail: None,
                    waiting: false,
                }
            }
            _ => plain(
                lang.pick(
                    "このシナリオでは、まだ順位がついていません。",
                    "No place on this scenario yet.",
                ),
                false,
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(rank: u32, of: u32) -> RankState {
        RankState::Ranked(MyRank {
            nickname: "aoi".into(),
            scenario: "s".into(),
            mode: kiku_core::Mode::Choose,
            rank: Some(rank),
            of,
            score: Some(78),
            overall_rank: Some(3),
            overall_of: of,
            total: 150,
        })
    }

    #[test]
    fn the_trainee_sees_their_own_place_and_kind_words_otherwise() {
        let v = rank_view(&ranked(5, 23), Lang::Ja);
        assert_eq!(v.rank.as_deref(), Some("5位 / 23人"));
        assert!(v.text.contains("ベスト78点"), "{}", v.text);
        assert!(v.text.contains("3位 / 23人"), "{}", v.text);
        let v = rank_view(&ranked(22, 23), Lang::En);
        assert_eq!(v.rank.as_deref(), Some("22nd of 23"));
        assert!(v.text.contains("Only you see it"), "{}", v.text);
        let queued = rank_view(&RankState::Queued, Lang::Ja);
        assert!(queued.rank.is_none() && !queued.waiting);
        assert!(queued.text.contains("自動で送ります"), "{}", queued.text);
        assert!(rank_view(&RankState::Sending, Lang::En).waiting);
        let refused = rank_view(&RankState::Refused("wrong_seed".into()), Lang::En);
        assert_eq!(refused.detail.as_deref(), Some("wrong_seed"));
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(21), "21st");
    }
}
