//! Every fixed string of the interface, in Japanese and English.

use kiku_core::text::Lang;

/// A fixed interface string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum S {
    /// The game's name under the logo.
    Tagline,
    /// Title: start playing.
    Start,
    /// Title: settings.
    Settings,
    /// Title: workshop leaderboard.
    Leaderboard,
    /// Title: quit.
    Quit,
    /// Select: heading.
    ChooseScenario,
    /// Select: best score.
    Best,
    /// Select: last score.
    Last,
    /// Select: never played.
    NotPlayed,
    /// Select: play this scenario.
    Play,
    /// Select: a broken file.
    BrokenScenario,
    /// Select: a scenario embedded in the game (not a file on disk).
    Bundled,
    /// Select: no scenario at all.
    NoScenarios,
    /// Back.
    Back,
    /// Briefing: heading.
    Briefing,
    /// Briefing: who the member is.
    Member,
    /// Briefing: what to aim for.
    Aim,
    /// Briefing: the aim, in a sentence.
    AimText,
    /// Briefing: begin the 1on1.
    Begin,
    /// Conversation: the trainee's side.
    You,
    /// Conversation: how to skip the typing.
    SkipHint,
    /// Conversation: the number keys.
    KeysHint,
    /// Conversation: the 1on1 ended.
    Ended,
    /// Conversation: go to the debrief.
    ToDebrief,
    /// Conversation: leave mid-way.
    Leave,
    /// Preview: heading.
    Preview,
    /// Preview: voiced layer.
    Voiced,
    /// Preview: node id.
    Node,
    /// Preview: inner voice.
    InnerVoice,
    /// Preview: layers.
    Layers,
    /// Debrief: heading.
    Debrief,
    /// Debrief: overall.
    Overall,
    /// Debrief: state chart.
    StateChart,
    /// Debrief: turn axis label.
    Turn,
    /// Debrief: turn by turn.
    TurnByTurn,
    /// Debrief: the costliest turns.
    Costliest,
    /// Debrief: a better choice there.
    Better,
    /// Debrief: no better choice was found.
    NoBetter,
    /// Debrief: the search for better replies is running.
    Searching,
    /// Debrief: nothing cost points.
    NothingCostly,
    /// Debrief: the member's inner voice.
    Inner,
    /// Debrief: the ending.
    Ending,
    /// Debrief: play again.
    PlayAgain,
    /// Debrief: back to the scenarios.
    ToSelect,
    /// Debrief: the session-level remarks.
    Overview,
    /// Debrief: what the member carried.
    WhatTheyCarried,
    /// Settings: language.
    Language,
    /// Settings: text size.
    TextSize,
    /// Settings: preview mode.
    PreviewMode,
    /// Settings: explanation of preview mode.
    PreviewHelp,
    /// Settings: reading speed.
    ReadingSpeed,
    /// Settings: instant text.
    Instant,
    /// Settings: where files are.
    DataFolder,
    /// Settings: nothing is saved.
    NotSaved,
    /// Overlay: a scenario edit failed.
    ReloadFailed,
    /// Overlay: still playing the last good version.
    KeptLastGood,
    /// Overlay: dismiss.
    Dismiss,
    /// Notice heading.
    Notice,
    /// Preview badge in the top bar.
    PreviewBadge,
}

impl S {
    /// The string in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (ja, en) = self.pair();
        lang.pick(ja, en)
    }

    fn pair(self) -> (&'static str, &'static str) {
        match self {
            S::Tagline => ("1on1で「聴く」を練習する", "Practise listening in 1on1s"),
            S::Start => ("はじめる", "Start"),
            S::Settings => ("設定", "Settings"),
            S::Leaderboard => ("ワークショップ", "Workshop"),
            S::Quit => ("終了", "Quit"),
            S::ChooseScenario => ("シナリオを選ぶ", "Choose a scenario"),
            S::Best => ("最高", "Best"),
            S::Last => ("前回", "Last"),
            S::NotPlayed => ("未プレイ", "Not played yet"),
            S::Play => ("この1on1をはじめる", "Play this 1on1"),
            S::BrokenScenario => ("読み込めないシナリオ", "Scenario could not be loaded"),
            S::Bundled => ("同梱", "bundled"),
            S::NoScenarios => (
                "シナリオが見つかりません。scenarios/ フォルダに .ron ファイルを置いてください。",
                "No scenarios found. Put .ron files in the scenarios/ folder.",
            ),
            S::Back => ("戻る", "Back"),
            S::Briefing => ("ブリーフィング", "Briefing"),
            S::Member => ("メンバー", "Member"),
            S::Aim => ("目指すこと", "What to aim for"),
            S::AimText => (
                "助言の前に、まず聴く。「どうしたい?」より「どのような姿でありたいか」を問う。数カ月前と今、何が変わったかを一緒にたどる。",
                "Listen before you advise. Ask who they want to be rather than what they want to do. Trace together what has changed over the past months.",
            ),
            S::Begin => ("1on1をはじめる", "Begin the 1on1"),
            S::You => ("あなた", "You"),
            S::SkipHint => (
                "クリックかスペースで全文表示",
                "Click or press Space to show it all",
            ),
            S::KeysHint => ("数字キー 1〜9 でも選べます", "Number keys 1-9 pick a reply"),
            S::Ended => ("1on1が終わりました", "The 1on1 is over"),
            S::ToDebrief => ("ふりかえりへ", "See the debrief"),
            S::Leave => ("中断する", "Leave"),
            S::Preview => ("プレビュー(ファシリテーター用)", "Preview (facilitator)"),
            S::Voiced => ("言葉になった層", "Voiced so far"),
            S::Node => ("ノード", "Node"),
            S::InnerVoice => ("心の声", "Inner voice"),
            S::Layers => ("内面の層", "Inner layers"),
            S::Debrief => ("ふりかえり", "Debrief"),
            S::Overall => ("総合", "Overall"),
            S::StateChart => ("メンバーの状態の推移", "The member's state, turn by turn"),
            S::Turn => ("ターン", "Turn"),
            S::TurnByTurn => ("1ターンずつ", "Turn by turn"),
            S::Costliest => ("いちばん点を落としたターン", "The turns that cost the most"),
            S::Better => ("こちらのほうがよかった", "What would have been better"),
            S::NoBetter => (
                "この場面では、ほかの選択肢も同じくらいでした。",
                "Here the other replies would not have done better.",
            ),
            S::Searching => (
                "よりよい選択肢を探しています…",
                "Looking for better replies…",
            ),
            S::NothingCostly => (
                "点を失ったターンはありません。見事です。",
                "No turn lost points. Well done.",
            ),
            S::Inner => ("心の声", "Inner voice"),
            S::Ending => ("結末", "Ending"),
            S::PlayAgain => ("もう一度", "Play again"),
            S::ToSelect => ("シナリオ選択へ", "Back to scenarios"),
            S::Overview => ("全体について", "On the whole"),
            S::WhatTheyCarried => ("メンバーが抱えていたもの", "What the member carried"),
            S::Language => ("言語", "Language"),
            S::TextSize => ("文字の大きさ", "Text size"),
            S::PreviewMode => ("プレビューモード", "Preview mode"),
            S::PreviewHelp => (
                "ファシリテーター向け:選択肢の行為の種類と、メンバーの内面の状態をプレイ中に表示します。",
                "For facilitators: shows each reply's act and the member's hidden state during play.",
            ),
            S::ReadingSpeed => ("文字の表示速度", "Reading speed"),
            S::Instant => ("一度に表示", "All at once"),
            S::DataFolder => ("保存先", "Saved in"),
            S::NotSaved => ("(保存されません)", "(not saved)"),
            S::ReloadFailed => (
                "シナリオの変更にエラーがあります",
                "The scenario edit has an error",
            ),
            S::KeptLastGood => (
                "最後に正しく読めた版のまま遊べます。",
                "The last good version stays playable.",
            ),
            S::Dismiss => ("閉じる", "Dismiss"),
            S::Notice => ("お知らせ", "Notice"),
            S::PreviewBadge => ("プレビュー", "PREVIEW"),
        }
    }
}
