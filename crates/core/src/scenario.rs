//! The scenario model: what a facilitator writes in a RON file.
//!
//! Types here mirror the file format one to one; `scenarios/README.md`
//! documents every field. Loading and checking live in `load` and `check`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::act::Act;
use crate::text::Text;

/// One 1on1 scenario: a member, their hidden layers, the conversation graph.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Stable slug, e.g. `"first_steps"`. Transcripts and the leaderboard use it.
    pub id: String,
    /// The title on the scenario card.
    pub title: Text,
    /// One or two sentences on the card.
    pub summary: Text,
    /// How hard the member is to reach.
    #[serde(default)]
    pub difficulty: Difficulty,
    /// Who the member is.
    pub persona: Persona,
    /// What the member carries, layer by layer (hidden from the trainee
    /// until the debrief).
    pub inner: Inner,
    /// The briefing: context for the trainee and what to aim for.
    pub briefing: Text,
    /// The member's state when the 1on1 starts.
    #[serde(default)]
    pub initial: Stats,
    /// The node the conversation starts at.
    pub start: String,
    /// The conversation graph, by node id.
    pub nodes: BTreeMap<String, Node>,
    /// The endings, by id.
    pub endings: BTreeMap<String, Ending>,
    /// Optional weights of the score axes (default 35/30/15/20).
    #[serde(default)]
    pub weights: Option<Weights>,
    /// A series: the id of the earlier 1on1 this one follows. The member
    /// remembers how it went ([`crate::play::prior::Prior`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
    /// Key words the member may say, declared where they are first voiced
    /// (a line's `voices` marks them); a follow-up can test and recall them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub motifs: Vec<Motif>,
    /// A follow-up played without a record of the earlier 1on1 assumes
    /// this prior (required when `follows` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_prior: Option<PriorSpec>,
    /// Named priors covering the ways the earlier 1on1 can end: the
    /// analyser and the balance test play the follow-up under each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priors: Vec<NamedPrior>,
    /// How much of the member's end state last time carries into this
    /// 1on1's starting state, per stat in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carry: Option<Carry>,
    /// [`Scenario::content_hash`], worked out once (not part of the content).
    #[serde(skip)]
    pub hash: HashCache,
    /// The earlier scenario of a series, once a library linked it (not part
    /// of the content). See [`Scenario::earlier`].
    #[serde(skip)]
    pub earlier: EarlierLink,
}

/// A key word or phrase the member may say (「顔が見える」), by id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Motif {
    /// Stable slug, e.g. `"face"`.
    pub id: String,
    /// The words themselves, as the member says them.
    pub words: Text,
}

/// What a follow-up assumes about the earlier 1on1: how it ended, who chose
/// the next step, how deep the member got, their end state and the motifs
/// they voiced. Authored in `default_prior` and `priors`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorSpec {
    /// The id of an ending of the earlier scenario.
    pub ending: String,
    /// Who chose the next step.
    #[serde(default)]
    pub next_step: NextStep,
    /// The deepest layer voiced (`None`: nothing).
    #[serde(default)]
    pub voiced: Option<Layer>,
    /// The motifs voiced, in order.
    #[serde(default)]
    pub motifs: Vec<String>,
    /// The member's state at the end.
    #[serde(default)]
    pub stats: Stats,
}

/// A named, authored prior (`priors: [(id: "polite", ...)]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPrior {
    /// Stable slug, e.g. `"polite"`.
    pub id: String,
    /// What it stands for, for the analyser's report.
    pub title: Text,
    /// The prior.
    pub prior: PriorSpec,
}

/// Per stat, the percent (0-100) of the difference between last time's end
/// state and `initial` that carries into the starting state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Carry {
    /// Percent of trust carried.
    #[serde(default)]
    pub trust: i32,
    /// Percent of openness carried.
    #[serde(default)]
    pub openness: i32,
    /// Percent of clarity carried.
    #[serde(default)]
    pub clarity: i32,
}

impl Carry {
    /// The percent for one stat.
    pub fn get(&self, stat: Stat) -> i32 {
        match stat {
            Stat::Trust => self.trust,
            Stat::Openness => self.openness,
            Stat::Clarity => self.clarity,
        }
    }
}

/// The earlier scenario of a series, set once by whoever loaded both
/// (`load::series::link`). It never takes part in comparisons or the hash.
#[derive(Clone, Default)]
pub struct EarlierLink(std::sync::Arc<std::sync::OnceLock<std::sync::Arc<Scenario>>>);

impl EarlierLink {
    /// Links `earlier`; a second link is ignored (the first one wins).
    pub fn set(&self, earlier: std::sync::Arc<Scenario>) {
        let _ = self.0.set(earlier);
    }

    /// The linked scenario, if any.
    pub fn get(&self) -> Option<&std::sync::Arc<Scenario>> {
        self.0.get()
    }
}

impl PartialEq for EarlierLink {
    fn eq(&self, _: &EarlierLink) -> bool {
        true
    }
}

impl std::fmt::Debug for EarlierLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.get() {
            Some(s) => write!(f, "EarlierLink({:?})", s.id),
            None => f.write_str("EarlierLink(None)"),
        }
    }
}

/// A scenario's content hash, computed on first use. It never takes part in
/// comparisons: two scenarios with the same content are equal whether or
/// not either has computed its hash yet. A clone starts empty, so a
/// scenario cloned and then edited never keeps the original's hash.
#[derive(Debug, Default)]
pub struct HashCache(std::sync::OnceLock<String>);

impl Clone for HashCache {
    fn clone(&self) -> HashCache {
        HashCache::default()
    }
}

impl PartialEq for HashCache {
    fn eq(&self, _: &HashCache) -> bool {
        true
    }
}

/// How hard a scenario is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    /// A member who opens up readily.
    Easy,
    /// The default.
    #[default]
    Normal,
    /// A guarded or sensitive member.
    Hard,
}

impl Difficulty {
    /// A label for the card.
    pub fn label(self) -> Text {
        match self {
            Difficulty::Easy => Text::new("やさしい", "easy"),
            Difficulty::Normal => Text::new("ふつう", "normal"),
            Difficulty::Hard => Text::new("むずかしい", "hard"),
        }
    }
}

/// The member's persona.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    /// The member's name.
    pub name: Text,
    /// Job and team.
    pub role: Text,
    /// Years in the company.
    pub years: u32,
    /// Background the trainee knows before the 1on1.
    pub background: Text,
    /// How the member reacts.
    #[serde(default)]
    pub temperament: Temperament,
    /// How the game draws the member (optional; what is left out is
    /// derived from the persona). Not serialised when absent, so content
    /// hashes stay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub look: Option<Look>,
}

/// How the member looks in the game; every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    /// Age in years (default: 22 + years in the company).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Hair style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hair: Option<Hair>,
    /// Hair colour (default: by age, greying from the mid-forties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hair_colour: Option<HairColour>,
    /// Glasses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glasses: Option<bool>,
    /// Clothes (default: from the role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clothes: Option<Clothes>,
    /// Skin tone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skin: Option<Skin>,
}

/// A hair style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Hair {
    /// Short and tousled.
    Short,
    /// Cropped close.
    Cropped,
    /// Short, swept to one side.
    Swept,
    /// Thinning on top.
    Receding,
    /// Chin-length bob with a fringe.
    Bob,
    /// Shoulder-length or longer.
    Long,
    /// Tied up in a bun.
    Bun,
    /// Tied back in a ponytail.
    Ponytail,
}

/// A hair colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HairColour {
    /// Black.
    Black,
    /// Dark brown.
    DarkBrown,
    /// Light brown.
    Brown,
    /// Dark with grey.
    Greying,
    /// Grey.
    Grey,
}

/// What the member wears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Clothes {
    /// Suit jacket, shirt and tie.
    Suit,
    /// Jacket over a plain top.
    Jacket,
    /// Collared shirt.
    Shirt,
    /// Knit cardigan.
    Cardigan,
    /// Hoodie.
    Hoodie,
    /// Work jacket with a collar (factory, site).
    WorkJacket,
    /// Blouse.
    Blouse,
}

/// A skin tone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Skin {
    /// Light.
    Light,
    /// Medium.
    Medium,
    /// Tanned.
    Tan,
    /// Deep.
    Deep,
}

/// How the member reacts to acts, each 0-100 (50 = average).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Temperament {
    /// How slowly the member opens up: 0 opens fast, 100 very guarded.
    #[serde(default = "fifty")]
    pub reserve: i32,
    /// How much advice, reassurance or judgement hurts: 0 shrugs it off,
    /// 100 is stung.
    #[serde(default = "fifty")]
    pub sensitivity: i32,
}

fn fifty() -> i32 {
    50
}

impl Default for Temperament {
    fn default() -> Temperament {
        Temperament {
            reserve: 50,
            sensitivity: 50,
        }
    }
}

/// The member's hidden layers, from what they say first to what lies under it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inner {
    /// What they say first (the surface complaint).
    pub surface: Text,
    /// The real unease (もやもや) underneath.
    pub unease: Text,
    /// The value under that, which the member has not put into words.
    pub value: Text,
}

/// The member's hidden layers, in order of depth.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Layer {
    /// Nothing said yet.
    #[default]
    Nothing,
    /// The surface complaint is out.
    Surface,
    /// The real unease has been voiced.
    Unease,
    /// The value underneath has found words.
    Value,
}

impl Layer {
    /// A label for the debrief.
    pub fn label(self) -> Text {
        match self {
            Layer::Nothing => Text::new("まだ何も", "nothing yet"),
            Layer::Surface => Text::new("表面の話", "the surface complaint"),
            Layer::Unease => Text::new("本当のもやもや", "the real unease"),
            Layer::Value => Text::new("その奥の価値観", "the value underneath"),
        }
    }
}

/// The member's numeric state, each 0-100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    /// 信頼: does the member feel safe with this manager?
    #[serde(default = "default_trust")]
    pub trust: i32,
    /// 開示: how much the member is willing to say.
    #[serde(default = "default_openness")]
    pub openness: i32,
    /// 言語化: how far the unease has been put into words.
    #[serde(default)]
    pub clarity: i32,
}

fn default_trust() -> i32 {
    40
}

fn default_openness() -> i32 {
    30
}

impl Default for Stats {
    fn default() -> Stats {
        Stats {
            trust: default_trust(),
            openness: default_openness(),
            clarity: 0,
        }
    }
}

/// A name for one of the member's numbers, used in conditions and effects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stat {
    /// 信頼.
    Trust,
    /// 開示.
    Openness,
    /// 言語化.
    Clarity,
}

impl Stat {
    /// All three, in display order.
    pub const ALL: [Stat; 3] = [Stat::Trust, Stat::Openness, Stat::Clarity];

    /// A label for charts and the preview panel.
    pub fn label(self) -> Text {
        match self {
            Stat::Trust => Text::new("信頼", "trust"),
            Stat::Openness => Text::new("開示", "openness"),
            Stat::Clarity => Text::new("言語化", "clarity"),
        }
    }
}

impl Stats {
    /// The value of one stat.
    pub fn get(&self, stat: Stat) -> i32 {
        match stat {
            Stat::Trust => self.trust,
            Stat::Openness => self.openness,
            Stat::Clarity => self.clarity,
        }
    }

    /// A mutable reference to one stat.
    pub fn get_mut(&mut self, stat: Stat) -> &mut i32 {
        match stat {
            Stat::Trust => &mut self.trust,
            Stat::Openness => &mut self.openness,
            Stat::Clarity => &mut self.clarity,
        }
    }
}

/// A point in the conversation where the member speaks and the trainee answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// What the member says here; one variant is picked by the seeded RNG
    /// among those whose condition holds.
    pub lines: Vec<Line>,
    /// The layer this node puts into words, if any (reaching it voices it).
    #[serde(default)]
    pub reveals: Option<Layer>,
    /// The member asks for advice here: advice now is solicited, not imposed.
    #[serde(default)]
    pub asks_advice: bool,
    /// The trainee's options. At least one must have no `when`, so the
    /// menu never runs dry; used once-only choices come back if nothing else
    /// is left.
    #[serde(default)]
    pub choices: Vec<Choice>,
}

/// One variant of what the member says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// The words.
    pub text: Text,
    /// The member's mood while saying them (drives the portrait).
    #[serde(default)]
    pub mood: Mood,
    /// What the member really feels (revealed in the debrief).
    #[serde(default)]
    pub inner: Option<Text>,
    /// Only said when this holds.
    #[serde(default)]
    pub when: Option<Cond>,
    /// The choices (by id) whose question this line answers. When set,
    /// `kiku check` warns if some route says this line right after any
    /// other choice: the member would be answering a question nobody asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
    /// The motifs (by id) this line puts into the member's words: saying
    /// it marks each as voiced in this session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub voices: Vec<String>,
}

/// The member's visible mood.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mood {
    /// Calm, nothing special.
    #[default]
    Neutral,
    /// Holding back.
    Guarded,
    /// Unsure, uneasy.
    Uneasy,
    /// Thinking it over.
    Thoughtful,
    /// Relieved, lighter.
    Relieved,
    /// Open, engaged, warm.
    Open,
    /// Low, discouraged.
    Down,
    /// Irritated or hurt.
    Tense,
}

impl Mood {
    /// Every mood, for documentation and the portrait tests.
    pub const ALL: [Mood; 8] = [
        Mood::Neutral,
        Mood::Guarded,
        Mood::Uneasy,
        Mood::Thoughtful,
        Mood::Relieved,
        Mood::Open,
        Mood::Down,
        Mood::Tense,
    ];
}

/// A trainee option.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable id, unique within the scenario (transcripts refer to it).
    pub id: String,
    /// What the trainee says.
    pub text: Text,
    /// What kind of act it is.
    pub act: Act,
    /// Where the conversation goes (unless a branch applies).
    pub next: Target,
    /// Offered only when this holds.
    #[serde(default)]
    pub when: Option<Cond>,
    /// When `when` fails: hide the choice (default) or show it greyed out.
    #[serde(default)]
    pub unavailable: Unavailable,
    /// Once chosen, a choice is gone unless it is sticky.
    #[serde(default)]
    pub sticky: bool,
    /// Extra state changes on top of the act's default.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// Conditional destinations, tried in order after the act's effect;
    /// the first that holds wins, otherwise `next`.
    #[serde(default)]
    pub branches: Vec<Branch>,
    /// The move traces change between then and now (a reflection, summary
    /// or affirmation that contrasts then and now, or picks up a change
    /// the member named). Change questions count without it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub traces_change: bool,
    /// Recall mode: typical ways a trainee might put this reply in their own
    /// words. Optional help for hearing typed replies; hearing works
    /// without them. Left out of the content hash when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phrasings: Vec<Text>,
    /// The trainee quotes the member's earlier words (a motif id). Offered
    /// only when the motif was voiced last time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recalls: Option<String>,
    /// With `recalls`: an authored trap, offered only when the motif was
    /// NOT voiced last time (recalling what was never said); it costs trust.
    #[serde(default, skip_serializing_if = "is_false")]
    pub misremembers: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// What to do with a choice whose condition fails.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unavailable {
    /// Not shown.
    #[default]
    Hide,
    /// Shown greyed out: it teaches that the moment is not right yet.
    Disable,
}

/// A conditional destination.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The condition, checked after the act moved the member's state.
    pub when: Cond,
    /// Where to go when it holds.
    pub next: Target,
}

/// Where a choice leads.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    /// Another node.
    Node(String),
    /// An ending.
    End(String),
}

/// A condition over the member's state and the conversation so far.
/// Every reference is checked; a broken condition is an error.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cond {
    /// All hold.
    All(Vec<Cond>),
    /// At least one holds.
    Any(Vec<Cond>),
    /// Does not hold.
    Not(Box<Cond>),
    /// The stat is at least the value.
    AtLeast(Stat, i32),
    /// The stat is at most the value.
    AtMost(Stat, i32),
    /// The member has voiced at least this layer.
    Voiced(Layer),
    /// The node has been visited.
    Visited(String),
    /// The choice has been chosen.
    Chose(String),
    /// At least this many turns have passed.
    Turns(u32),
    /// Series: the earlier 1on1 ended this way.
    PrevEnding(EndingKind),
    /// Series: the earlier 1on1 reached the ending with this id.
    PrevEndingId(String),
    /// Series: this is who chose the next step last time.
    PrevNextStep(NextStep),
    /// Series: last time the member voiced at least this layer.
    PrevVoiced(Layer),
    /// Series: last time the member voiced this motif.
    PrevMotif(String),
    /// The member has voiced this motif in this 1on1.
    Motif(String),
}

/// An extra change to the member's state.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    /// Add (or subtract) to a stat; the result stays within 0-100.
    Add(Stat, i32),
}

/// A way the conversation ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ending {
    /// How it went.
    pub kind: EndingKind,
    /// A short title for the debrief.
    pub title: Text,
    /// The member's last words or what happens next.
    pub text: Text,
    /// Who chose the next step.
    #[serde(default)]
    pub next_step: NextStep,
    /// The member's inner voice at the end.
    #[serde(default)]
    pub inner: Option<Text>,
}

/// How a conversation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EndingKind {
    /// The member opened up and found words.
    OpenedUp,
    /// Polite, but closed: nothing real was said.
    Polite,
    /// The member shut down.
    ShutDown,
}

impl EndingKind {
    /// A label for the debrief.
    pub fn label(self) -> Text {
        match self {
            EndingKind::OpenedUp => Text::new("心が開いた", "opened up"),
            EndingKind::Polite => Text::new("礼儀正しく閉じたまま", "polite but closed"),
            EndingKind::ShutDown => Text::new("心を閉ざした", "shut down"),
        }
    }
}

/// Who chose the next step at the end.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NextStep {
    /// No next step.
    #[default]
    Nobody,
    /// The member chose it: the goal.
    Member,
    /// The manager decided it for them.
    Manager,
}

/// The weights of the score axes (any non-negative numbers; they are normalised).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// 聴く→助言の順.
    pub listening: u32,
    /// 問いの質.
    pub questions: u32,
    /// 変化をたどる.
    pub change: u32,
    /// The member's state and the ending.
    pub outcome: u32,
}

impl Weights {
    /// The sum of the four weights (in 64 bits: no overflow whatever the file says).
    pub fn total(&self) -> u64 {
        [self.listening, self.questions, self.change, self.outcome]
            .into_iter()
            .map(u64::from)
            .sum()
    }
}

impl Scenario {
    /// The weights in force (the scenario's or the default).
    pub fn weights(&self) -> Weights {
        self.weights.unwrap_or_default()
    }

    /// True for a follow-up of a series (`follows` is set).
    pub fn is_follow_up(&self) -> bool {
        self.follows.is_some()
    }

    /// The earlier scenario of a series: the one a library linked, else the
    /// bundled scenario with the `follows` id, else `None`.
    pub fn earlier(&self) -> Option<std::sync::Arc<Scenario>> {
        let id = self.follows.as_deref()?;
        if let Some(linked) = self.earlier.get() {
            return Some(std::sync::Arc::clone(linked));
        }
        let found = crate::load::library::bundled_scenario(id);
        if let Some(found) = &found {
            self.earlier.set(std::sync::Arc::clone(found));
        }
        found
    }

    /// The motif declared here with `id`.
    pub fn motif(&self, id: &str) -> Option<&Motif> {
        self.motifs.iter().find(|m| m.id == id)
    }

    /// Every choice in the scenario with its node id, in file order per node.
    pub fn choices(&self) -> impl Iterator<Item = (&str, &Choice)> {
        self.nodes
            .iter()
            .flat_map(|(id, node)| node.choices.iter().map(move |c| (id.as_str(), c)))
    }

    /// A stable hash of the scenario's content (SHA-256 of its canonical
    /// JSON form, hex): the leaderboard uses it to tell versions apart.
    /// Worked out once per loaded scenario (the server replays every
    /// submission with it).
    pub fn content_hash(&self) -> String {
        self.hash
            .0
            .get_or_init(|| {
                use sha2::{Digest, Sha256};
                // Serialising plain data with BTreeMaps cannot fail.
                let json = serde_json::to_vec(self).unwrap_or_default();
                let digest = Sha256::digest(&json);
                digest.iter().map(|b| format!("{b:02x}")).collect()
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_cached_but_an_edited_clone_gets_its_own() {
        let scenario = crate::fixtures::sample();
        let first = scenario.content_hash();
        assert_eq!(first.len(), 64);
        assert_eq!(scenario.content_hash(), first);
        let copy = (*scenario).clone();
        assert_eq!(copy, *scenario);
        assert_eq!(copy.content_hash(), first);
        let mut edited_again = (*scenario).clone();
        edited_again.briefing = Text::new("別の説明", "another briefing");
        assert_ne!(edited_again.content_hash(), first);
    }
}
