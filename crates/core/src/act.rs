//! What kind of act each trainee choice is. Authors declare the act; the
//! scoring engine and the simulated member derive everything from it.
//!
//! The taxonomy follows the MITI 4.2.1 behaviour codes and the column's three
//! points (../shared/SOURCE.md): listening acts, questions with attributes,
//! advice and the other moves.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A trainee's act. Questions carry attributes; the rest are plain.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Act {
    // Listening
    /// あいづち: a nod, "mm", "I see".
    Acknowledge,
    /// Naming or sharing the feeling: 「それは悔しかったですね」.
    Empathize,
    /// Saying back what the member said, close to their words.
    SimpleReflection,
    /// Saying back the meaning or feeling behind the words.
    ComplexReflection,
    /// Pulling several things the member said together.
    Summarize,
    /// Waiting, leaving room.
    Silence,
    // Questions
    /// A question; see [`Question`].
    Question(Question),
    // Moves that build partnership
    /// Recognising a strength or effort (genuinely, about the member).
    Affirm,
    /// 「決めるのはあなた」: the member's choice is theirs.
    EmphasizeAutonomy,
    /// 「一緒に考えたい」: inviting the member to work it out together.
    SeekCollaboration,
    /// Asking before advising: 「私の考えを話してもいい?」.
    AskPermission,
    /// Owning one's own misstep and inviting the member to go on:
    /// 「ごめん、先走ったね。続きを聞かせて」. MITI has no code for it; rupture and
    /// repair research does. It helps only right after a misstep
    /// ([`Act::is_misstep`]); offered at any other time it is an odd apology.
    Repair,
    /// Giving information the member lacks (how a role, a programme or a
    /// process works) without telling them what to do: MITI's "giving
    /// information".
    Inform,
    // Advising and other moves
    /// Advice or a suggestion. Whether it helps depends on the moment: asked
    /// for, or offered with permission after listening, it is fine; imposed
    /// while the unease is unspoken, it costs.
    Advise,
    /// Telling the member what to do.
    Instruct,
    /// Premature reassurance: 「大丈夫だよ」, 「気にしすぎだよ」.
    Reassure,
    /// Talking about oneself: 「私が若い頃は…」.
    SelfDisclose,
    /// Judging or lecturing.
    Judge,
    /// Steering back to work progress.
    RedirectToWork,
}

/// The attributes of a question.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Open (「どんな…?」) or closed (yes/no, a single fact).
    pub open: bool,
    /// About the person or about the work.
    pub focus: Focus,
    /// What the question asks about.
    pub frame: Frame,
    /// Suggests its own answer (「…したほうがいいと思わない?」).
    #[serde(default)]
    pub leading: bool,
    /// Carries blame (「なんでできなかったの?」).
    #[serde(default)]
    pub blaming: bool,
    /// Builds on what the member just said (picks up their words).
    #[serde(default)]
    pub follow_up: bool,
}

/// Whom a question is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Focus {
    /// The member: their feelings, values, experience.
    Person,
    /// The work: tasks, progress, facts of the job.
    Work,
}

/// What a question asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Frame {
    /// 「どのような姿でありたいか」: who the member wants to be.
    Being,
    /// 「どうしたい?」: what the member wants to do.
    Doing,
    /// How the member feels.
    Feeling,
    /// Facts, events, what happened.
    Fact,
    /// Values and criteria: 「どんなときにやりがいを感じた?」, 「どんな人に憧れる?」.
    Values,
    /// Change over time: 「数カ月前と今で何が変わった?」.
    Change,
}

/// Broad families of acts, for scoring and for the debrief's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Family {
    /// Acknowledge, empathise, reflect, summarise, silence.
    Listening,
    /// Any question.
    Question,
    /// Affirm, autonomy, collaboration, permission, repair.
    Partnership,
    /// Giving information.
    Informing,
    /// Advise, instruct, reassure, judge, self-disclose, redirect.
    Directing,
}

impl Act {
    /// Every act kind, one example each (questions with one frame): for
    /// documentation, graph legends and tests.
    pub fn kinds() -> Vec<Act> {
        let q = |open, focus, frame| {
            Act::Question(Question {
                open,
                focus,
                frame,
                leading: false,
                blaming: false,
                follow_up: false,
            })
        };
        vec![
            Act::Acknowledge,
            Act::Empathize,
            Act::SimpleReflection,
            Act::ComplexReflection,
            Act::Summarize,
            Act::Silence,
            q(true, Focus::Person, Frame::Being),
            Act::Affirm,
            Act::EmphasizeAutonomy,
            Act::SeekCollaboration,
            Act::AskPermission,
            Act::Repair,
            Act::Inform,
            Act::Advise,
            Act::Instruct,
            Act::Reassure,
            Act::SelfDisclose,
            Act::Judge,
            Act::RedirectToWork,
        ]
    }

    /// The act's family.
    pub fn family(&self) -> Family {
        match self {
            Act::Acknowledge
            | Act::Empathize
            | Act::SimpleReflection
            | Act::ComplexReflection
            | Act::Summarize
            | Act::Silence => Family::Listening,
            Act::Question(_) => Family::Question,
            Act::Affirm
            | Act::EmphasizeAutonomy
            | Act::SeekCollaboration
            | Act::AskPermission
            | Act::Repair => Family::Partnership,
            Act::Inform => Family::Informing,
            Act::Advise
            | Act::Instruct
            | Act::Reassure
            | Act::SelfDisclose
            | Act::Judge
            | Act::RedirectToWork => Family::Directing,
        }
    }

    /// A reflection in MITI's sense (summaries count as complex reflections).
    pub fn is_reflection(&self) -> bool {
        matches!(
            self,
            Act::SimpleReflection | Act::ComplexReflection | Act::Summarize
        )
    }

    /// A complex reflection (meaning or feeling behind the words), or a summary.
    pub fn is_complex_reflection(&self) -> bool {
        matches!(self, Act::ComplexReflection | Act::Summarize)
    }

    /// Advice-like acts: the ones that hurt when the unease is still unspoken.
    pub fn is_advice_like(&self) -> bool {
        matches!(
            self,
            Act::Advise | Act::Instruct | Act::Reassure | Act::Judge
        )
    }

    /// A move that takes the conversation from the member whatever the
    /// moment: instructing, judging, steering back to work, talking about
    /// oneself, and leading or blaming questions. (Advice and reassurance
    /// are missteps only when the member did not ask: see
    /// `play::member::AdviceKind`.) A [`Act::Repair`] right after one of
    /// these, or after premature or unasked advice, is a genuine repair.
    pub fn is_misstep(&self) -> bool {
        match self {
            Act::Instruct | Act::Judge | Act::RedirectToWork | Act::SelfDisclose => true,
            Act::Question(q) => q.leading || q.blaming,
            _ => false,
        }
    }

    /// The question's attributes, if the act is a question.
    pub fn question(&self) -> Option<&Question> {
        match self {
            Act::Question(q) => Some(q),
            _ => None,
        }
    }

    /// A stable machine name (`complex_reflection`, `question`), as in RON.
    pub fn key(&self) -> &'static str {
        match self {
            Act::Acknowledge => "acknowledge",
            Act::Empathize => "empathize",
            Act::SimpleReflection => "simple_reflection",
            Act::ComplexReflection => "complex_reflection",
            Act::Summarize => "summarize",
            Act::Silence => "silence",
            Act::Question(_) => "question",
            Act::Affirm => "affirm",
            Act::EmphasizeAutonomy => "emphasize_autonomy",
            Act::SeekCollaboration => "seek_collaboration",
            Act::AskPermission => "ask_permission",
            Act::Repair => "repair",
            Act::Inform => "inform",
            Act::Advise => "advise",
            Act::Instruct => "instruct",
            Act::Reassure => "reassure",
            Act::SelfDisclose => "self_disclose",
            Act::Judge => "judge",
            Act::RedirectToWork => "redirect_to_work",
        }
    }

    /// The act's name for a trainee, e.g. 「複雑な聞き返し」 / "complex reflection",
    /// with a question's attributes spelled out.
    pub fn label(&self) -> Text {
        let plain = |ja: &str, en: &str| Text::new(ja, en);
        match self {
            Act::Acknowledge => plain("あいづち", "acknowledge"),
            Act::Empathize => plain("共感", "empathise"),
            Act::SimpleReflection => plain("単純な聞き返し", "simple reflection"),
            Act::ComplexReflection => plain("複雑な聞き返し", "complex reflection"),
            Act::Summarize => plain("要約", "summarise"),
            Act::Silence => plain("沈黙(待つ)", "silence (waiting)"),
            Act::Question(q) => q.label(),
            Act::Affirm => plain("承認", "affirm"),
            Act::EmphasizeAutonomy => plain("自律性の尊重", "emphasise autonomy"),
            Act::SeekCollaboration => plain("協働の提案", "seek collaboration"),
            Act::AskPermission => plain("助言の許可を求める", "ask permission"),
            Act::Repair => plain("修復(自分の先走りを認める)", "repair (owning a misstep)"),
            Act::Inform => plain("情報提供", "give information"),
            Act::Advise => plain("助言", "advise"),
            Act::Instruct => plain("指示", "instruct"),
            Act::Reassure => plain("早すぎる励まし", "premature reassurance"),
            Act::SelfDisclose => plain("自分の話", "talk about oneself"),
            Act::Judge => plain("評価・説教", "judge or lecture"),
            Act::RedirectToWork => plain("業務の話に戻す", "redirect to work"),
        }
    }
}

impl Question {
    /// A trainee-readable name: 「開いた質問・人・ありたい姿」.
    pub fn label(&self) -> Text {
        let (open_ja, open_en) = if self.open {
            ("開いた質問", "open question")
        } else {
            ("閉じた質問", "closed question")
        };
        let (focus_ja, focus_en) = match self.focus {
            Focus::Person => ("人", "person"),
            Focus::Work => ("仕事", "work"),
        };
        let frame = self.frame.label();
        let mut ja = format!("{open_ja}・{focus_ja}・{}", frame.ja);
        let mut en = format!("{open_en}, {focus_en}, {}", frame.en);
        if self.leading {
            ja.push_str("・誘導");
            en.push_str(", leading");
        }
        if self.blaming {
            ja.push_str("・責める");
            en.push_str(", blaming");
        }
        if self.follow_up {
            ja.push_str("・話を受けて");
            en.push_str(", follow-up");
        }
        Text::new(ja, en)
    }
}

impl Frame {
    /// The frame's name for a trainee.
    pub fn label(self) -> Text {
        match self {
            Frame::Being => Text::new("ありたい姿", "being"),
            Frame::Doing => Text::new("やりたいこと", "doing"),
            Frame::Feeling => Text::new("気持ち", "feeling"),
            Frame::Fact => Text::new("事実", "fact"),
            Frame::Values => Text::new("価値観", "values"),
            Frame::Change => Text::new("変化", "change"),
        }
    }
}
