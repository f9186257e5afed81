//! The act of a typed reply, from rules: Japanese sentence-final forms,
//! question words and markers of advice, reassurance, repair and the rest;
//! English likewise. The rules read the folded text (katakana as hiragana,
//! so the patterns spell katakana words in hiragana).
//!
//! Order matters: advice phrased as a question (「資格とか取ってみたら?」,
//! "have you tried...?") is advice, so the directing markers are read before
//! the question form; a short 「そうなんですね」 is a nod before it is a
//! reflection.

use kiku_core::act::{Act, Focus, Frame, Question};

use crate::normalise::{Script, compact, fold, script};

/// How sure the rules are of the act.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// No marker: the act is a default.
    None,
    /// A soft marker (a listening form whose exact kind the words decide).
    Weak,
    /// A clear marker (a question form, an advice or reassurance marker).
    Strong,
}

/// The classifier's reading of a reply.
#[derive(Clone, Debug, PartialEq)]
pub struct Guess {
    /// The act.
    pub act: Act,
    /// How sure.
    pub strength: Strength,
    /// For questions: whether a marker set the frame (else it is `Fact` by default).
    pub frame_marked: bool,
}

impl Guess {
    fn strong(act: Act) -> Guess {
        Guess {
            act,
            strength: Strength::Strong,
            frame_marked: false,
        }
    }

    fn weak(act: Act) -> Guess {
        Guess {
            act,
            strength: Strength::Weak,
            frame_marked: false,
        }
    }
}

fn any(text: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| text.contains(p))
}

fn ends_any(text: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| text.ends_with(p))
}

/// Classifies the act of `text` (Japanese or English, by its script).
pub fn classify(text: &str) -> Guess {
    let folded = fold(text);
    match script(&folded) {
        Script::Japanese => classify_ja(text, &folded),
        Script::Latin => classify_en(text, &folded),
    }
}

fn is_silence(raw: &str) -> bool {
    let t = raw.trim();
    t.is_empty()
        || t.chars().all(|c| {
            matches!(
                c,
                '…' | '.' | '・' | '‥' | '。' | ' ' | '　' | '(' | ')' | '（' | '）'
            )
        })
}

const JA_QWORDS: &[&str] = &[
    "どんな",
    "どう",
    "何",
    "なに",
    "なん",
    "いつ",
    "どこ",
    "誰",
    "だれ",
    "なぜ",
    "どれ",
    "どの",
    "いかが",
    "聞かせて",
    "きかせて",
    "教えて",
    "おしえて",
    "詳しく",
    "くわしく",
];

fn classify_ja(raw: &str, folded: &str) -> Guess {
    if is_silence(raw) || any(raw, &["沈黙", "黙って", "黙る", "待つ", "(待", "(間"]) {
        return Guess::strong(Act::Silence);
    }
    // Without spaces, with the question mark kept at the end only.
    let asks = folded.trim_end().ends_with('?') || raw.trim_end().ends_with(['?', '？']);
    let tq: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let t: String = compact(folded).into_iter().collect();
    let t = t.as_str();
    let len = t.chars().count();

    if any(
        t,
        &[
            "ごめん",
            "すみません",
            "すまない",
            "申し訳",
            "悪かった",
            "失礼しました",
        ],
    ) && any(
        t,
        &[
            "先走",
            "遮",
            "さえぎ",
            "話を取",
            "決めつけ",
            "急か",
            "口を挟",
            "腰を折",
            "続き",
            "聞かせて",
            "話して",
        ],
    ) || any(
        t,
        &[
            "先走って",
            "先走った",
            "決めつけてしまった",
            "遮ってしまった",
            "さえぎってしまった",
        ],
    ) {
        return Guess::strong(Act::Repair);
    }
    if any(
        t,
        &[
            "話してもいい",
            "伝えてもいい",
            "言ってもいい",
            "共有してもいい",
            "提案してもいい",
            "お伝えしてもいい",
            "お話ししてもいい",
            "話してもよろしい",
            "伝えてもよろしい",
            "話しても大丈夫",
            "あどばいすしてもいい",
            "聞いてもらってもいい",
            "言ってみてもいい",
            "話してみてもいい",
            "考えを話しても",
            "意見を言っても",
            "話してもいいですか",
        ],
    ) {
        return Guess::strong(Act::AskPermission);
    }
    if any(
        t,
        &["一緒に", "いっしょに", "ともに考え", "二人で", "ふたりで"],
    ) {
        return Guess::strong(Act::SeekCollaboration);
    }
    if any(
        t,
        &[
            "決めるのは",
            "次第",
            "自分で決め",
            "選ぶのは",
            "尊重",
            "どちらを選んでも",
            "どの道を選んでも",
            "自由に決め",
            "決めていい",
            "決めてください",
            "あなたの選択",
            "本人が決め",
        ],
    ) {
        return Guess::strong(Act::EmphasizeAutonomy);
    }
    if any(
        t,
        &[
            "私も",
            "僕も",
            "俺も",
            "わたしも",
            "ぼくも",
            "おれも",
            "私が若い",
            "僕が若い",
            "若い頃",
            "若いころ",
            "私の場合",
            "僕の場合",
            "私も昔",
            "昔の私",
            "私のとき",
            "私の時",
            "自分も昔",
            "自分の若い",
        ],
    ) {
        return Guess::strong(Act::SelfDisclose);
    }
    if any(
        t,
        &[
            "進捗",
            "進み具合",
            "どこまで進",
            "本題",
            "それより",
            "ところで",
            "仕事の話に",
            "業務の話",
        ],
    ) || !asks
        && any(
            t,
            &[
                "案件",
                "納期",
                "締め切り",
                "締切",
                "すけじゅーる",
                "来月の",
                "今週の",
            ],
        )
    {
        return Guess::strong(Act::RedirectToWork);
    }
    let why = any(t, &["なんで", "なぜ", "どうして"]);
    if why
        && any(
            t,
            &[
                "できな",
                "しな",
                "やらな",
                "遅れ",
                "みす",
                "ミス",
                "間に合わ",
                "言わな",
                "なかった",
                "相談しな",
            ],
        )
    {
        return Guess::strong(question(false, Focus::Person, Frame::Fact, false, true));
    }
    if any(
        t,
        &[
            "甘え",
            "甘い",
            "言い訳",
            "社会人として",
            "ぷろとして",
            "当たり前だろ",
            "当然でしょ",
            "普通は",
            "しょうがない",
            "仕方ない",
            "仕方がない",
            "べきじゃない",
            "べきではない",
            "だめだよ",
            "だめです",
            "わがまま",
            "考えが甘",
        ],
    ) {
        return Guess::strong(Act::Judge);
    }
    let asks_if_ok = ends_any(t, &["大丈夫", "大丈夫です", "大丈夫だった"]) && asks
        || ends_any(t, &["大丈夫ですか", "大丈夫か", "大丈夫かな"]);
    if !asks_if_ok
        && any(
            t,
            &[
                "大丈夫",
                "気にしすぎ",
                "気にしない",
                "気にすることない",
                "考えすぎ",
                "心配ない",
                "心配いらない",
                "心配しなくて",
                "心配要らない",
                "なんとかなる",
                "何とかなる",
                "うまくいく",
                "平気",
                "問題ない",
                "自信を持って",
                "君なら",
                "あなたなら",
                "さんならできる",
                "さんなら大丈夫",
                "きっとできる",
            ],
        )
    {
        return Guess::strong(Act::Reassure);
    }
    // 「どこか」「何か」 are "somewhere", "something", not question words.
    let plain = [
        "どこか",
        "何か",
        "なにか",
        "いつか",
        "誰か",
        "だれか",
        "なんか",
        "どうか",
        "なんとか",
        "何とか",
    ]
    .iter()
    .fold(t.to_string(), |acc, p| acc.replace(p, "・"));
    let qword = any(&plain, JA_QWORDS);
    if !qword
        && any(
            t,
            &[
                "してください",
                "しなさい",
                "して下さい",
                "しておいて",
                "やっておいて",
                "やってください",
                "ようにして",
                "必要があります",
                "必要がある",
                "するように",
                "慣れていき",
                "慣れてください",
                "やるしかない",
                "しましょう",
                "やりましょう",
                "いきましょう",
                "しよう",
                "やろう",
                "ましょう",
            ],
        )
    {
        return Guess::strong(Act::Instruct);
    }
    if ends_any(t, &["たら", "てみたら", "ば", "てみては", "では"]) && (asks || t.ends_with("たら"))
        || any(
            t,
            &[
                "たらどう",
                "たらいい",
                "てみては",
                "ばいい",
                "ばいいのに",
                "ほうがいい",
                "方がいい",
                "べき",
                "おすすめ",
                "お勧め",
                "お薦め",
                "といいよ",
                "といいと思",
                "といいですよ",
                "のはどう",
                "はどうかな",
                "はどうですか",
                "はどう?",
                "とかどう",
                "てみれば",
                "らしいよ",
                "らしいですよ",
                "試してみ",
                "してみよう",
                "やってみよう",
                "てみてはどう",
                "じゃだめ",
            ],
        )
        || any(&tq, &["たら?", "ば?", "ては?", "とか?"])
    {
        return Guess::strong(Act::Advise);
    }
    // A short nod before any reflection form: 「そうなんですね」. Nothing
    // but nods: 「うん、順調なんだ」 says the member's words back.
    let nods = [
        "そうなんですね",
        "そうなんだね",
        "そうなんだ",
        "そうですか",
        "そうですね",
        "そうだね",
        "なるほど",
        "たしかに",
        "確かに",
        "うんうん",
        "そっか",
        "そうか",
        "うん",
        "はい",
        "ええ",
        "へえ",
        "へー",
        "ふむ",
        "うなず",
        "ね",
        "ー",
    ];
    let rest = nods.iter().fold(t.to_string(), |acc, n| acc.replace(n, ""));
    if len <= 12 && rest.chars().count() <= 1 && rest.chars().count() < len {
        return Guess::strong(Act::Acknowledge);
    }
    if any(t, &["うなず", "相づち", "あいづち"]) {
        return Guess::strong(Act::Acknowledge);
    }
    let leading = any(
        t,
        &[
            "と思わない",
            "と思いませんか",
            "じゃない?",
            "んじゃない",
            "でしょ?",
            "でしょう?",
            "よね?",
            "ですよね?",
        ],
    ) || asks && ends_any(t, &["よね", "ですよね", "でしょ", "でしょう", "じゃない"]);
    let request = any(
        t,
        &[
            "聞かせて",
            "きかせて",
            "教えて",
            "おしえて",
            "詳しく",
            "くわしく",
        ],
    );
    // 「〜見てね」「〜お願い」: telling, softly.
    if !qword
        && !request
        && !asks
        && ends_any(
            t,
            &[
                "てね",
                "でね",
                "お願い",
                "お願いね",
                "お願いします",
                "頼むよ",
                "頼んだよ",
                "頼みます",
            ],
        )
    {
        return Guess::strong(Act::Instruct);
    }
    // 〜のかな without a question word wonders aloud: a reflection.
    let wonders = ends_any(
        t,
        &["のかな", "のかもしれない", "のかもね", "のかもしれませんね"],
    ) && !qword;
    let formal_q = ends_any(
        t,
        &[
            "ですか",
            "ますか",
            "でしょうか",
            "ましたか",
            "んですか",
            "のか",
            "かな",
            "かね",
            "の",
            "ない",
        ],
    );
    let is_question = !wonders
        && (asks
            || request
            || (formal_q
                && (qword
                    || ends_any(
                        t,
                        &["ですか", "ますか", "でしょうか", "ましたか", "んですか"],
                    ))));
    if is_question || leading {
        return ja_question(t, leading);
    }
    if any(
        t,
        &[
            "さすが",
            "すごい",
            "すごく助か",
            "よく頑張",
            "頑張ってき",
            "頑張ってる",
            "頑張っている",
            "努力",
            "助かって",
            "助かった",
            "ありがとう",
            "感謝",
            "頼りに",
            "頼もしい",
            "強み",
            "立派",
            "えらい",
            "素晴らし",
            "すばらし",
            "見事",
            "誇りに思",
            "尊敬",
        ],
    ) {
        return Guess::strong(Act::Affirm);
    }
    if any(
        t,
        &[
            "制度",
            "仕組み",
            "しくみ",
            "ぷろぐらむ",
            "研修",
            "公募",
            "規定",
            "るーる",
            "申請",
            "窓口",
            "説明会",
            "になっています",
            "ことになって",
        ],
    ) {
        return Guess::weak(Act::Inform);
    }
    if any(
        t,
        &[
            "まとめると",
            "整理すると",
            "ここまでの",
            "今日話してくれた",
            "今日の話",
            "お話を聞いて",
            "話を聞いていると",
        ],
    ) {
        return Guess::weak(Act::Summarize);
    }
    if any(
        t,
        &[
            "よね",
            "だろうね",
            "でしょうね",
            "それはつら",
            "それは大変",
            "それは悔し",
            "それはしんど",
            "それはきつ",
            "それは不安",
            "それは心配",
            "それは苦し",
            "わかります",
            "分かります",
            "気持ちはわか",
            "気持ちは分か",
            "気持ち分か",
            "無理もない",
            "当然です",
            "当然だ",
            "当たり前",
            "もっともだ",
            "つらいね",
            "大変だね",
            "しんどいね",
            "きついね",
            "悔しいね",
            "ですね、それは",
        ],
    ) || ends_any(t, &["わかる", "分かる", "わかるよ", "分かるよ"])
    {
        return Guess::weak(Act::Empathize);
    }
    if wonders
        || any(
            t,
            &[
                "んだね",
                "んですね",
                "のですね",
                "のかな",
                "わけですね",
                "わけだね",
                "本当は",
                "ほんとうは",
                "ほんとは",
                "というより",
                "むしろ",
                "ってことかな",
                "ということ",
                "なんだね",
                "なんですね",
                "ように聞こえ",
                "ように感じ",
                "と感じて",
                "気がして",
                "みたいだね",
                "みたいですね",
                "ようですね",
                "んだろうね",
                "のだろう",
                "ってこと",
                "聞こえる",
                "聞こえます",
                "わりに",
                "ように見え",
            ],
        )
    {
        return Guess::weak(Act::ComplexReflection);
    }
    if ends_any(t, &["ね", "ねえ", "ですね", "だね"]) {
        return Guess::weak(Act::SimpleReflection);
    }
    Guess {
        act: Act::SimpleReflection,
        strength: Strength::None,
        frame_marked: false,
    }
}

fn question(open: bool, focus: Focus, frame: Frame, leading: bool, blaming: bool) -> Act {
    Act::Question(Question {
        open,
        focus,
        frame,
        leading,
        blaming,
        follow_up: false,
    })
}

fn ja_question(t: &str, leading: bool) -> Guess {
    // 「何かある?」 asks yes or no.
    let something = any(t, &["何か", "なにか", "何が気に"])
        && !any(
            t,
            &[
                "どんな",
                "どう",
                "何を",
                "何が",
                "何で",
                "なんで",
                "いつ",
                "どこ",
                "誰",
            ],
        );
    let plain = [
        "どこか",
        "なにか",
        "いつか",
        "誰か",
        "だれか",
        "なんか",
        "どうか",
    ]
    .iter()
    .fold(t.to_string(), |acc, p| acc.replace(p, "・"));
    let open = !leading && !something && any(&plain, JA_QWORDS);
    let person = any(
        t,
        &[
            "気持ち",
            "感じ",
            "自分",
            "思い",
            "やりがい",
            "大事",
            "大切",
            "好き",
            "嬉し",
            "うれし",
            "楽し",
            "つら",
            "辛",
            "不安",
            "憧れ",
            "あこがれ",
            "理想",
            "ありたい",
            "なりたい",
            "でいたい",
            "将来",
            "きゃりあ",
            "心",
            "もやもや",
            "怖",
            "こわ",
            "悔し",
            "本当は",
            "焦",
            "あせ",
            "さん自身",
            "人生",
            "働き方",
        ],
    );
    let work = any(
        t,
        &[
            "工程",
            "作業",
            "業務",
            "たすく",
            "件数",
            "つーる",
            "ai",
            "ぷろじぇくと",
            "手順",
            "品質",
            "ちぇっく",
            "進め方",
            "やり方",
            "目標",
            "処理",
            "どの部分",
            "効率",
            "時間がかかって",
            "翻訳",
            "出力",
            "資料",
        ],
    );
    let focus = if work && !person {
        Focus::Work
    } else {
        Focus::Person
    };
    let (frame, marked) = if any(
        t,
        &[
            "どんな自分",
            "どんな人",
            "どんな存在",
            "どんな姿",
            "どんなふうに見",
            "どんな風に見",
            "ありたい",
            "在りたい",
            "なりたい",
            "でいたい",
            "どういう人",
            "どういう存在",
            "どういう自分",
            "理想の自分",
            "理想の姿",
            "どう見られ",
            "どう思われ",
            "あり方",
            "在り方",
        ],
    ) {
        (Frame::Being, true)
    } else if any(
        t,
        &[
            "変わっ",
            "変化",
            "前と",
            "以前と",
            "当時と",
            "今と",
            "ヶ月前",
            "か月前",
            "カ月前",
            "ヵ月前",
            "ケ月前",
            "年前",
            "入社した頃",
            "昔と",
            "これまでと",
            "前は",
            "変わり",
        ],
    ) {
        (Frame::Change, true)
    } else if any(
        t,
        &[
            "やりがい",
            "大事に",
            "大切に",
            "譲れない",
            "憧れ",
            "あこがれ",
            "嬉しかった",
            "うれしかった",
            "楽しかった",
            "面白かった",
            "おもしろかった",
            "誇り",
            "どんなとき",
            "どんな時",
            "よかったと",
            "充実",
            "価値",
            "好きな",
            "一番楽し",
            "一番面白",
            "大事なこと",
            "大切なこと",
        ],
    ) {
        (Frame::Values, true)
    } else if any(
        t,
        &[
            "どうしたい",
            "何をしたい",
            "何がしたい",
            "なにしたい",
            "何したい",
            "やりたい",
            "どうする",
            "どうしよう",
            "したいこと",
            "したい?",
            "つもり",
            "していきたい",
            "挑戦したい",
            "どうしていき",
            "次の一歩",
            "何から",
        ],
    ) {
        (Frame::Doing, true)
    } else if any(
        t,
        &[
            "気持ち",
            "感じ",
            "どう思",
            "不安",
            "つらい",
            "心境",
            "もやもや",
            "どんな気",
            "気分",
            "受け止め",
            "焦っ",
            "あせっ",
            "怖",
            "悔し",
            "しんど",
            "嫌",
            "いやだ",
            "落ち込",
            "疲れ",
        ],
    ) {
        (Frame::Feeling, true)
    } else {
        (Frame::Fact, false)
    };
    Guess {
        act: question(open, focus, frame, leading, false),
        strength: Strength::Strong,
        frame_marked: marked,
    }
}

const EN_OPENERS: &[&str] = &[
    "what",
    "how",
    "when",
    "where",
    "who",
    "why",
    "which",
    "tell me",
    "describe",
    "walk me",
    "talk me",
    "say more",
    "could you tell",
    "can you tell",
    "would you tell",
    "help me understand",
];

const EN_AUX: &[&str] = &[
    "do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "can", "could", "would",
    "will", "should", "shall", "am", "any", "anything", "don't", "doesn't", "isn't", "aren't",
    "won't", "wouldn't", "haven't", "didn't",
];

fn classify_en(raw: &str, folded: &str) -> Guess {
    let lower = raw.to_lowercase();
    if is_silence(raw)
        || any(
            &lower,
            &[
                "(silence",
                "(wait",
                "[silence",
                "(say nothing",
                "(pause",
                "(stay quiet",
                "stay quiet",
                "(quiet",
            ],
        )
    {
        return Guess::strong(Act::Silence);
    }
    let asks = raw.trim_end().ends_with(['?', '？']);
    // Words separated by single spaces, padded so " word " matches whole words.
    let words: Vec<&str> = folded
        .split(|c: char| c.is_whitespace() || c == '?')
        .filter(|w| !w.is_empty())
        .collect();
    let t = format!(" {} ", words.join(" "));
    let t = t.as_str();
    let first = words.first().copied().unwrap_or_default();
    let starts = |ps: &[&str]| ps.iter().any(|p| t.starts_with(&format!(" {p} ")));

    if any(t, &[" sorry", " apologi", " my bad"])
        && any(
            t,
            &[
                "jump",
                "ahead",
                "interrupt",
                "cut you off",
                "rush",
                "assum",
                " go on",
                "carry on",
                "continu",
                "tell me more",
                "talked over",
                "got carried",
            ],
        )
        || any(
            t,
            &[
                "got ahead of myself",
                "i jumped in",
                "jumped the gun",
                "i jumped to",
            ],
        )
    {
        return Guess::strong(Act::Repair);
    }
    if any(
        t,
        &[
            "can i share",
            "could i share",
            "may i share",
            "may i offer",
            "may i suggest",
            "mind if i",
            "would it help if i",
            "would you like to hear",
            "can i offer",
            "could i offer",
            "could i suggest",
            "can i suggest",
            "would you like my",
            "ok if i",
            "okay if i",
            "alright if i",
            "can i tell you what i",
            "would you be open to",
            "do you want my",
            "can i give you",
            "could i give you",
        ],
    ) {
        return Guess::strong(Act::AskPermission);
    }
    if any(
        t,
        &[
            " together",
            "let's figure",
            "let's work",
            "let's think",
            "we can work",
            "work it out with",
            "figure it out with",
            "let's explore",
        ],
    ) {
        return Guess::strong(Act::SeekCollaboration);
    }
    if any(
        t,
        &[
            "your call",
            "up to you",
            "your decision",
            "you get to decide",
            "for you to decide",
            "your choice",
            "whatever you decide",
            "whatever you choose",
            "you know best",
            "yours to decide",
            "yours to make",
            "it's yours",
            "decision is yours",
            "respect whatever",
        ],
    ) {
        return Guess::strong(Act::EmphasizeAutonomy);
    }
    if any(
        t,
        &[
            " when i was ",
            "i've been there",
            "i have been there",
            " in my case",
            "back when i",
            "i remember when",
            "i went through",
            " me too",
            " i also ",
            " i used to ",
            "happened to me",
            "when i started",
            "in my day",
            "when i first",
            "my own experience",
            "in my experience",
            " i worry",
            " i sometimes",
            " i often",
            "i feel the same",
            "i felt the same",
            "same for me",
            "i've felt",
            " i wonder whether",
        ],
    ) {
        return Guess::strong(Act::SelfDisclose);
    }
    if any(
        t,
        &[
            " progress",
            " status ",
            " deadline",
            "back to work",
            "get back to",
            " anyway ",
            " the project",
            "update on",
            "by the way",
            "more importantly",
            "let's move on",
            "on track",
        ],
    ) {
        return Guess::strong(Act::RedirectToWork);
    }
    if any(
        t,
        &[
            "why didn't you",
            "why haven't you",
            "why did you not",
            "why couldn't you",
            "why can't you",
            "how come you didn't",
            "why wouldn't you",
            "why did you let",
        ],
    ) {
        return Guess::strong(question(false, Focus::Person, Frame::Fact, false, true));
    }
    if any(
        t,
        &[
            " excuse",
            "unprofessional",
            "you should have",
            "shouldn't have",
            "grow up",
            "not acceptable",
            "everyone else",
            "you're being",
            "too sensitive",
            "that's your problem",
            "as a professional",
            "stop complaining",
        ],
    ) {
        return Guess::strong(Act::Judge);
    }
    if any(
        t,
        &[
            "don't worry",
            "no need to worry",
            "you'll be fine",
            "it'll be fine",
            "it will be fine",
            "you'll be ok",
            "overthinking",
            "i'm sure you",
            "i'm sure it",
            "it'll work out",
            "nothing to worry",
            "you've got this",
            " no problem",
            "it's fine",
            "you're fine",
            "you will be fine",
            "will be okay",
            "will be ok",
            "be alright",
            "worrying too much",
            "don't stress",
            "you'll manage",
            "you'll get there",
            "everything's fine",
            "everything is fine",
            "all fine",
            "totally fine",
        ],
    ) {
        return Guess::strong(Act::Reassure);
    }
    if any(
        t,
        &[
            "you need to",
            "you have to",
            "you must",
            "make sure",
            " please ",
            "let's start by",
            "let's get",
            "i want you to",
            "get used to",
            "just do",
            "you'll have to",
            " go and",
            "i need you to",
            "let's just",
        ],
    ) {
        return Guess::strong(Act::Instruct);
    }
    if any(
        t,
        &[
            "you should",
            "you could",
            "why don't you",
            " why not ",
            "have you tried",
            "have you considered",
            "have you thought about",
            "how about",
            "what about trying",
            "maybe try",
            " try ",
            "i'd suggest",
            "i would suggest",
            "i suggest",
            "i recommend",
            "might want to",
            "it might help to",
            "it would help to",
            " consider ",
            "apparently",
            "you ought",
            "would be good to",
            "it'd be good to",
            "best to",
            "better to",
            "what if you",
            "could always",
            "look into",
            "maybe you",
            "maybe look",
        ],
    ) || starts(&["try"])
    {
        return Guess::strong(Act::Advise);
    }
    if words.len() <= 4
        && any(
            t,
            &[
                " i see ",
                " mm",
                " hmm",
                " right ",
                " ok ",
                " okay ",
                " uh-huh ",
                " uh huh ",
                " yeah ",
                " got it ",
                " sure ",
                " ah ",
                " oh ",
                " mhm ",
                " go on ",
                " i hear you ",
                " nod",
                " yes ",
            ],
        )
    {
        return Guess::strong(Act::Acknowledge);
    }
    if any(t, &["(nod", " nod "]) {
        return Guess::strong(Act::Acknowledge);
    }
    let leading = any(
        t,
        &[
            "don't you think",
            "wouldn't it be",
            "isn't it",
            "shouldn't you",
            "wouldn't you agree",
            "don't you agree",
            "surely you",
        ],
    );
    let open_start = starts(EN_OPENERS);
    let aux_start = EN_AUX.contains(&first);
    if asks || open_start || aux_start || leading {
        let open = !leading
            && (open_start
                || any(
                    t,
                    &[" what ", " how ", " when ", " which ", " where ", " who "],
                ) && !aux_start);
        return en_question(t, open, leading);
    }
    if any(
        t,
        &[
            "great job",
            "well done",
            "impressive",
            "worked hard",
            "working hard",
            "work so hard",
            "thank you",
            "thanks for",
            "appreciate",
            "took courage",
            "takes courage",
            " strength",
            "i admire",
            "proud of you",
            "count on you",
            "rely on you",
            "amazing",
            " brilliant",
            "you've done a",
            "you did a great",
            "you've really",
            "credit",
            "valuable",
        ],
    ) {
        return Guess::strong(Act::Affirm);
    }
    if any(
        t,
        &[
            "programme",
            " program",
            " policy",
            "the way it works",
            "the process is",
            " scheme",
            "for your information",
            " fyi",
            "you can apply",
            "the company offers",
            "there's training",
            "there's a course",
            "works like this",
        ],
    ) {
        return Guess::weak(Act::Inform);
    }
    if any(
        t,
        &[
            "to sum up",
            "so far",
            "let me see if",
            "in summary",
            "on one hand",
            "putting it together",
            "if i've got this",
            "you've mentioned",
            "you mentioned",
            "let me sum",
            "summari",
            "if i put",
            "pulling together",
        ],
    ) {
        return Guess::weak(Act::Summarize);
    }
    if any(
        t,
        &[
            "that must be",
            "must have been",
            "that sounds hard",
            "sounds hard",
            "sounds tough",
            "sounds rough",
            "i can imagine",
            "i can see why",
            "i understand",
            "no wonder",
            "must be hard",
            "must feel",
            "that's hard",
            "that's tough",
            "how frustrating",
            "i'd feel",
            "hard to swallow",
            "that's rough",
            "that hurts",
            "understandable",
            "makes sense that",
            "that's a lot",
        ],
    ) {
        return Guess::weak(Act::Empathize);
    }
    if any(
        t,
        &[
            "sounds like",
            "it seems",
            "seems like",
            "what you're saying",
            "you're saying",
            " you feel",
            "you're feeling",
            "you're worried",
            "part of you",
            "more than",
            "really about",
            "underneath",
            " so you ",
            "you wonder",
            "you're afraid",
            " for you ",
            "what matters",
            "what bothers",
            "you're not sure",
            "you've been",
            "it's not just",
            "it's not the",
            "not so much",
            "rather than",
            "almost as if",
            "as if",
        ],
    ) {
        return Guess::weak(Act::ComplexReflection);
    }
    if any(t, &[" you ", " you're ", " your "]) || first == "so" {
        return Guess::weak(Act::SimpleReflection);
    }
    Guess {
        act: Act::SimpleReflection,
        strength: Strength::None,
        frame_marked: false,
    }
}

fn en_question(t: &str, open: bool, leading: bool) -> Guess {
    let person = any(
        t,
        &[
            "feel",
            "yourself",
            "you want",
            "matter",
            "enjoy",
            "worr",
            "future",
            "career",
            "person",
            "proud",
            "afraid",
            "important to you",
            "value",
            "want to be",
            "kind of",
            "like to be",
            "fulfil",
            "meaning",
            "admire",
            "happy",
            "upset",
            "anxious",
            "scared",
        ],
    );
    let work = any(
        t,
        &[
            "process",
            " step",
            " task",
            " tool",
            "workflow",
            " project",
            "deadline",
            "output",
            " count",
            "throughput",
            "quality check",
            "workload",
            "which part",
            " ai ",
            " target",
            " draft",
            "specifically",
            " schedule",
            " client",
            " report",
        ],
    );
    let focus = if work && !person {
        Focus::Work
    } else {
        Focus::Person
    };
    let (frame, marked) = if any(
        t,
        &[
            "kind of person",
            "who do you want to be",
            "want to be",
            "be known",
            "like to be",
            "hope to be",
            "want to be seen",
            "sort of person",
            "kind of professional",
            "kind of translator",
            "kind of engineer",
            "kind of manager",
            "kind of leader",
            "who you want",
            "what kind of",
            "remembered",
        ],
    ) {
        (Frame::Being, true)
    } else if any(
        t,
        &[
            "changed",
            " change",
            "compared",
            "months ago",
            "years ago",
            "then and now",
            "different from",
            "used to",
            " since ",
            "before the",
            "different now",
            "shifted",
            "back then",
        ],
    ) {
        (Frame::Change, true)
    } else if any(
        t,
        &[
            "matter",
            "important",
            "fulfil",
            "meaningful",
            "admire",
            "enjoy",
            "proud",
            "when did you feel",
            "most fun",
            " value",
            "rewarding",
            "satisf",
            " love ",
            "glad",
            "look up to",
            "care about",
        ],
    ) {
        (Frame::Values, true)
    } else if any(
        t,
        &[
            "want to do",
            "like to do",
            "going to do",
            "will you do",
            " plan",
            "next step",
            "would you do",
            "want to try",
            "do next",
            "your move",
            "like to try",
            "want to work on",
        ],
    ) {
        (Frame::Doing, true)
    } else if any(
        t,
        &[
            "feel",
            "how are you",
            "worr",
            "anxious",
            "upset",
            "for you",
            "think about",
            "how was that",
            "what's it like",
            "bother",
            "scared",
            "afraid",
        ],
    ) {
        (Frame::Feeling, true)
    } else {
        (Frame::Fact, false)
    };
    Guess {
        act: question(open, focus, frame, leading, false),
        strength: Strength::Strong,
        frame_marked: marked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiku_core::act::MoveClass;

    fn class(text: &str) -> MoveClass {
        classify(text).act.class()
    }

    #[test]
    fn a_shared_feeling_is_not_a_question() {
        // 「焦るよね」 names the feeling; 「焦ってるの?」 asks about it.
        assert_eq!(class("焦るよね"), MoveClass::Empathize);
        assert_eq!(class("焦ってるの?"), MoveClass::ClosedQuestion);
        assert_eq!(class("焦ってるの？"), MoveClass::ClosedQuestion);
    }

    #[test]
    fn being_is_not_doing() {
        assert_eq!(class("どうしたい?"), MoveClass::DoingQuestion);
        assert_eq!(class("どんな自分でいたい?"), MoveClass::BeingQuestion);
        assert_eq!(class("What do you want to do?"), MoveClass::DoingQuestion);
        assert_eq!(
            class("What kind of person do you want to be?"),
            MoveClass::BeingQuestion
        );
    }

    #[test]
    fn advice_as_a_question_is_advice() {
        assert_eq!(class("資格とか取ってみたら?"), MoveClass::Advise);
        assert_eq!(class("勉強会に出てみたらどうですか"), MoveClass::Advise);
        assert_eq!(class("Have you tried the study group?"), MoveClass::Advise);
    }

    #[test]
    fn sentence_final_forms_carry_the_act() {
        assert_eq!(class("本当は不安なんですね"), MoveClass::ComplexReflection);
        assert_eq!(
            class("自分の腕が要らなくなるのが怖いのかな"),
            MoveClass::ComplexReflection
        );
        assert_eq!(class("大丈夫だよ、気にしすぎだって"), MoveClass::Reassure);
        assert_eq!(class("大丈夫ですか?"), MoveClass::ClosedQuestion);
        assert_eq!(
            class("ごめん、先走ったね。続きを聞かせて"),
            MoveClass::Repair
        );
        assert_eq!(
            class("私が若い頃はもっと大変だったよ"),
            MoveClass::SelfDisclose
        );
        assert_eq!(
            class("それより案件の進捗はどう?"),
            MoveClass::RedirectToWork
        );
        assert_eq!(class("そうなんですね"), MoveClass::Acknowledge);
        assert_eq!(class("(…黙って待つ)"), MoveClass::Silence);
        assert_eq!(class("何かある?"), MoveClass::ClosedQuestion);
        assert_eq!(
            class("どんなときにやりがいを感じた?"),
            MoveClass::ValuesQuestion
        );
        assert_eq!(
            class("数カ月前と今で何が変わった?"),
            MoveClass::ChangeQuestion
        );
        assert_eq!(class("なんでできなかったの?"), MoveClass::SteeringQuestion);
    }

    #[test]
    fn english_forms() {
        assert_eq!(
            class("It sounds like you're worried it'll replace you."),
            MoveClass::ComplexReflection
        );
        assert_eq!(class("Don't worry, you'll be fine."), MoveClass::Reassure);
        assert_eq!(
            class("Sorry, I jumped in. Please go on."),
            MoveClass::Repair
        );
        assert_eq!(class("Can I share an idea?"), MoveClass::AskPermission);
        assert_eq!(class("That must be frustrating."), MoveClass::Empathize);
        assert_eq!(class("Are you anxious?"), MoveClass::ClosedQuestion);
        assert_eq!(class("It's your call."), MoveClass::EmphasizeAutonomy);
    }
}
