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

/// A kind of move on a menu: the act, with questions split by how they ask
/// (open person-focused by frame, open work-focused, closed, leading or
/// blaming). The scoring compares the move made with the best on offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum MoveClass {
    #[allow(missing_docs)]
    Acknowledge,
    #[allow(missing_docs)]
    Silence,
    #[allow(missing_docs)]
    Empathize,
    #[allow(missing_docs)]
    SimpleReflection,
    #[allow(missing_docs)]
    ComplexReflection,
    #[allow(missing_docs)]
    Summarize,
    /// Open, about the person, `Being`.
    BeingQuestion,
    /// Open, about the person, `Values`.
    ValuesQuestion,
    /// Open, about the person, `Change`.
    ChangeQuestion,
    /// Open, about the person, `Feeling`.
    FeelingQuestion,
    /// Open, about the person, `Fact`.
    FactQuestion,
    /// Open, about the person, `Doing`.
    DoingQuestion,
    /// Open, about the work.
    WorkQuestion,
    /// Closed (neither leading nor blaming).
    ClosedQuestion,
    /// Leading or blaming.
    SteeringQuestion,
    #[allow(missing_docs)]
    Affirm,
    #[allow(missing_docs)]
    EmphasizeAutonomy,
    #[allow(missing_docs)]
    SeekCollaboration,
    #[allow(missing_docs)]
    AskPermission,
    #[allow(missing_docs)]
    Repair,
    #[allow(missing_docs)]
    Inform,
    #[allow(missing_docs)]
    Advise,
    #[allow(missing_docs)]
    Instruct,
    #[allow(missing_docs)]
    Reassure,
    #[allow(missing_docs)]
    SelfDisclose,
    #[allow(missing_docs)]
    Judge,
    #[allow(missing_docs)]
    RedirectToWork,
}

impl MoveClass {
    /// Every class, in order.
    pub const ALL: [MoveClass; 27] = [
        MoveClass::Acknowledge,
        MoveClass::Silence,
        MoveClass::Empathize,
        MoveClass::SimpleReflection,
        MoveClass::ComplexReflection,
        MoveClass::Summarize,
        MoveClass::BeingQuestion,
        MoveClass::ValuesQuestion,
        MoveClass::ChangeQuestion,
        MoveClass::FeelingQuestion,
        MoveClass::FactQuestion,
        MoveClass::DoingQuestion,
        MoveClass::WorkQuestion,
        MoveClass::ClosedQuestion,
        MoveClass::SteeringQuestion,
        MoveClass::Affirm,
        MoveClass::EmphasizeAutonomy,
        MoveClass::SeekCollaboration,
        MoveClass::AskPermission,
        MoveClass::Repair,
        MoveClass::Inform,
        MoveClass::Advise,
        MoveClass::Instruct,
        MoveClass::Reassure,
        MoveClass::SelfDisclose,
        MoveClass::Judge,
        MoveClass::RedirectToWork,
    ];

    /// Whether this is any kind of question.
    pub fn is_question(self) -> bool {
        (MoveClass::BeingQuestion..=MoveClass::SteeringQuestion).contains(&self)
    }
}

/// The kinds of move a menu offered (enabled choices only), as a set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Offered(pub u32);

impl Offered {
    /// Adds a class.
    pub fn insert(&mut self, class: MoveClass) {
        self.0 |= 1 << class as u8;
    }

    /// Whether the class was on offer.
    pub fn contains(self, class: MoveClass) -> bool {
        self.0 & (1 << class as u8) != 0
    }

    /// The classes on offer.
    pub fn iter(self) -> impl Iterator<Item = MoveClass> {
        MoveClass::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
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

    /// The act's class for [`Offered`]: one bit per kind of move a menu can
    /// hold (questions split by how they ask).
    pub fn class(&self) -> MoveClass {
        match self {
            Act::Acknowledge => MoveClass::Acknowledge,
            Act::Silence => MoveClass::Silence,
            Act::Empathize => MoveClass::Empathize,
            Act::SimpleReflection => MoveClass::SimpleReflection,
            Act::ComplexReflection => MoveClass::ComplexReflection,
            Act::Summarize => MoveClass::Summarize,
            Act::Question(q) if q.leading || q.blaming => MoveClass::SteeringQuestion,
            Act::Question(q) if !q.open => MoveClass::ClosedQuestion,
            Act::Question(q) if q.focus == Focus::Work => MoveClass::WorkQuestion,
            Act::Question(q) => match q.frame {
                Frame::Being => MoveClass::BeingQuestion,
                Frame::Values => MoveClass::ValuesQuestion,
                Frame::Change => MoveClass::ChangeQuestion,
                Frame::Feeling => MoveClass::FeelingQuestion,
                Frame::Fact => MoveClass::FactQuestion,
                Frame::Doing => MoveClass::DoingQuestion,
            },
            Act::Affirm => MoveClass::Affirm,
            Act::EmphasizeAutonomy => MoveClass::EmphasizeAutonomy,
            Act::SeekCollaboration => MoveClass::SeekCollaboration,
            Act::AskPermission => MoveClass::AskPermission,
            Act::Repair => MoveClass::Repair,
            Act::Inform => MoveClass::Inform,
            Act::Advise => MoveClass::Advise,
            Act::Instruct => MoveClass::Instruct,
            Act::Reassure => MoveClass::Reassure,
            Act::SelfDisclose => MoveClass::SelfDisclose,
            Act::Judge => MoveClass::Judge,
            Act::RedirectToWork => MoveClass::RedirectToWork,
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
            Act::Reassure => plain("励まし・安心づけ", "reassurance"),
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
