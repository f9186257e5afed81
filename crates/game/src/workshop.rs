//! The workshop the trainee joined: the join form and its thread, the
//! saved `workshop.json` (with the seeds and the mode the workshop fixes,
//! so they hold offline), the link that sends finished 1on1s from the
//! outbox (retrying while the server is away), and the trainee's own rank
//! on the 1on1 just finished, asked privately on a thread that wakes the
//! game when it knows. The leaderboard screen draws it; [`crate::finish`]
//! submits to it; the briefing and the debrief read it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use kiku_board::client::{self, Client, Link, SendError};
use kiku_board::files;
use kiku_board::protocol::{ScenarioInfo, WorkshopInfo};
use kiku_board::rescore;
use kiku_board::server::Joined;
use kiku_board::store::Board;
use kiku_core::text::Lang;
use kiku_core::{Finished, Mode};

use crate::state::Config;
pub use crate::view::rank::RankState;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Workshop>()
        .add_systems(Startup, start_link)
        .add_systems(Update, poll_answers.before(crate::intent::apply_intents));
}

/// The workshop the trainee joined (saved in `workshop.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinedAs {
    /// The server address as typed.
    pub server: String,
    /// The workshop code.
    pub code: String,
    /// The nickname, as the server will show it.
    pub nickname: String,
    /// The seed the workshop fixes per scenario id, so everyone meets the
    /// same member (kept here, so it holds offline after joining).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub seeds: BTreeMap<String, u64>,
    /// The reply mode the workshop requires, if it requires one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
}

impl JoinedAs {
    /// The seed the workshop fixes for `scenario` (`None`: any seed).
    pub fn seed_for(&self, scenario: &str) -> Option<u64> {
        self.seeds.get(scenario).copied()
    }

    /// Why the workshop would refuse `finished` under its terms (another
    /// reply mode than it requires, or another seed than it fixes), as the
    /// server's error kind and the facts; `None`: it fits.
    pub fn would_refuse(&self, finished: &Finished) -> Option<String> {
        if let Some(required) = self.mode.filter(|m| *m != finished.mode) {
            return Some(format!(
                "wrong_mode: played in {}, the workshop requires {}",
                finished.mode.as_str(),
                required.as_str()
            ));
        }
        match self.seed_for(&finished.scenario) {
            Some(seed) if seed != finished.seed => Some(format!(
                "wrong_seed: played with seed {}, the workshop fixes {seed}",
                finished.seed
            )),
            _ => None,
        }
    }

    /// Takes the workshop's terms as the server announced them.
    pub fn take_terms(&mut self, scenarios: &[ScenarioInfo], mode: Option<Mode>) {
        self.seeds = scenarios
            .iter()
            .filter_map(|s| Some((s.id.clone(), client::workshop_seed(scenarios, &s.id)?)))
            .collect();
        self.mode = mode;
    }
}

/// Wakes the game from another thread: the game waits for input without a
/// timeout, so an answer from the server would otherwise show only at the
/// next mouse move. Does nothing without a window (tests).
#[derive(Clone, Default)]
pub struct Wake(Option<Arc<dyn Fn() + Send + Sync>>);

impl Wake {
    /// A waker that calls `wake`.
    pub fn new(wake: impl Fn() + Send + Sync + 'static) -> Wake {
        Wake(Some(Arc::new(wake)))
    }

    /// Wakes the game (if there is one to wake).
    pub fn wake(&self) {
        if let Some(wake) = &self.0 {
            wake();
        }
    }
}

impl std::fmt::Debug for Wake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Wake(on)"
        } else {
            "Wake(off)"
        })
    }
}

/// Which finished 1on1 a rank is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordKey {
    /// The scenario id.
    pub scenario: String,
    /// The seed.
    pub seed: u64,
    /// The choice ids.
    pub choices: Vec<String>,
    /// The reply mode.
    pub mode: Mode,
}

impl RecordKey {
    /// The key of `finished`.
    pub fn of(finished: &Finished) -> RecordKey {
        RecordKey {
            scenario: finished.scenario.clone(),
            seed: finished.seed,
            choices: finished.choices.clone(),
            mode: finished.mode,
        }
    }

    /// The key of the finished 1on1 `session`, played in `mode`.
    pub fn of_play(session: &kiku_core::Session, mode: Mode) -> RecordKey {
        RecordKey {
            scenario: session.scenario().id.clone(),
            seed: session.transcript().seed,
            choices: session.transcript().choice_ids(),
            mode,
        }
    }

    fn is(&self, finished: &Finished) -> bool {
        *self == RecordKey::of(finished)
    }
}

/// Asks for the rank of one finished 1on1 on a thread of its own; dropping
/// it stops the thread.
#[derive(Debug)]
pub struct RankWatch {
    /// The 1on1 asked about.
    pub key: RecordKey,
    state: Arc<Mutex<RankState>>,
    stop: Arc<AtomicBool>,
}

impl RankWatch {
    /// A rank already known (no thread asks).
    fn settled(key: RecordKey, state: RankState) -> RankWatch {
        RankWatch {
            key,
            state: Arc::new(Mutex::new(state)),
            stop: Arc::new(AtomicBool::new(true)),
        }
    }

    /// What is known now.
    pub fn state(&self) -> RankState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for RankWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// How often the rank thread looks at the link while the result is sent,
/// and while it waits offline.
const RANK_LOOK: Duration = Duration::from_millis(200);
const RANK_LOOK_OFFLINE: Duration = Duration::from_secs(1);
/// The rank thread gives up after this long (the result still goes out).
const RANK_WATCH_LIMIT: Duration = Duration::from_secs(3600);
/// Tries at asking the rank once the result is stored, and the pause
/// between them.
const RANK_TRIES: u32 = 3;
const RANK_RETRY: Duration = Duration::from_secs(2);

/// The join form's fields.
#[derive(Clone, Debug, Default)]
pub struct JoinForm {
    /// Server address, e.g. `192.168.1.20:8787`.
    pub server: String,
    /// Workshop code.
    pub code: String,
    /// Nickname.
    pub nickname: String,
}

/// What the join thread sends back.
type JoinAnswer = (JoinedAs, Result<Joined, SendError>);

/// The leaderboard's state.
#[derive(Resource, Default)]
pub struct Workshop {
    /// The join form.
    pub form: JoinForm,
    /// The workshop joined, if any.
    pub joined: Option<JoinedAs>,
    /// Why the last join failed.
    pub join_error: Option<String>,
    /// A warning from the server on joining (the nickname already has scores).
    pub join_note: Option<String>,
    joining: Option<Mutex<Receiver<JoinAnswer>>>,
    /// The workshop's terms asked again on start (seeds, mode).
    refreshing: Option<Mutex<Receiver<Result<WorkshopInfo, SendError>>>>,
    link: Option<Arc<Link>>,
    /// The rank of the last 1on1 sent (asked on a thread).
    pub rank: Option<RankWatch>,
    /// Wakes the game when an answer arrives.
    pub wake: Wake,
    /// The local board (`None` until read; `Err` if unreadable).
    pub local: Option<Result<Board, String>>,
    /// Why recording the last 1on1 locally failed.
    pub record_error: Option<String>,
    /// The data folder (`None`: screenshots and tests save nothing).
    pub data_dir: Option<PathBuf>,
}

/// The outbox file in the data folder: submissions waiting for the server.
pub const OUTBOX: &str = "outbox.json";

fn joined_path(dir: &Path) -> PathBuf {
    dir.join("workshop.json")
}

fn start_link(
    config: Res<Config>,
    mut workshop: ResMut<Workshop>,
    proxy: Option<Res<bevy::winit::EventLoopProxyWrapper>>,
) {
    if let Some(proxy) = proxy {
        let proxy = (**proxy).clone();
        workshop.wake = Wake::new(move || {
            let _ = proxy.send_event(bevy::winit::WinitUserEvent::WakeUp);
        });
    }
    let Some(dir) = config.data_dir.clone() else {
        return;
    };
    workshop.joined = std::fs::read(joined_path(&dir))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<JoinedAs>(&bytes).ok());
    if let Some(joined) = &workshop.joined {
        workshop.form = JoinForm {
            server: joined.server.clone(),
            code: joined.code.clone(),
            nickname: joined.nickname.clone(),
        };
    }
    // Submissions left from an earlier run go out as soon as they can.
    workshop.link = Some(Arc::new(Link::start(&dir.join(OUTBOX))));
    workshop.data_dir = Some(dir);
    refresh_terms(&mut workshop);
}

/// Asks the joined workshop's terms again (the facilitator may have fixed
/// seeds or a mode since): on a thread; what was saved holds meanwhile,
/// and holds when the server is away.
fn refresh_terms(workshop: &mut Workshop) {
    let Some(joined) = &workshop.joined else {
        return;
    };
    let Ok(client) = Client::new(&joined.server) else {
        return;
    };
    let code = joined.code.clone();
    let (tx, rx) = mpsc::channel();
    let wake = workshop.wake.clone();
    let spawned = std::thread::Builder::new()
        .name("kiku-workshop-terms".into())
        .spawn(move || {
            let _ = tx.send(client.workshop(&code));
            wake.wake();
        });
    if spawned.is_ok() {
        workshop.refreshing = Some(Mutex::new(rx));
    }
}

/// Takes the answers the workshop's threads sent (a join, the terms).
fn poll_answers(mut workshop: ResMut<Workshop>) {
    // Read first: the resource counts as changed only when there is news.
    if workshop.joining.is_some() {
        poll_join(&mut workshop);
    }
    if workshop.refreshing.is_some() {
        poll_terms(&mut workshop);
    }
}

fn poll_terms(workshop: &mut Workshop) {
    let received = match &workshop.refreshing {
        Some(rx) => match rx.lock().map(|rx| rx.try_recv()) {
            Ok(Ok(answer)) => Some(answer),
            Ok(Err(TryRecvError::Empty)) => return,
            _ => None,
        },
        None => return,
    };
    workshop.refreshing = None;
    let Some(Ok(info)) = received else {
        // Away or refused: the saved terms hold.
        return;
    };
    let dir = workshop.data_dir.clone();
    if let Some(joined) = workshop.joined.as_mut() {
        let before = joined.clone();
        joined.take_terms(&info.scenarios, info.mode);
        if *joined != before
            && let Some(dir) = dir
        {
            save_joined(&dir, Some(joined));
        }
    }
}

fn save_joined(dir: &Path, joined: Option<&JoinedAs>) {
    let path = joined_path(dir);
    match joined {
        Some(joined) => {
            // Not fatal: the trainee joins again next time.
            if let Err(e) = files::write_json(&path, joined) {
                warn!("could not save {}: {e}", path.display());
            }
        }
        None => {
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Workshop {
    /// Sends a finished 1on1 to the joined workshop (through the outbox)
    /// and starts asking for the trainee's own rank on it.
    pub fn submit(&mut self, finished: &Finished) {
        if let (Some(joined), Some(link)) = (&self.joined, &self.link) {
            // A result the workshop is known to refuse is not sent: the
            // debrief says why at once (it stays in the trainee's records).
            if let Some(why) = joined.would_refuse(finished) {
                self.rank = Some(RankWatch::settled(
                    RecordKey::of(finished),
                    RankState::Refused(why),
                ));
                return;
            }
            let before = link.status();
            let submission = client::submission(finished, &joined.code, &joined.nickname);
            link.submit(&joined.server, submission);
            self.rank = Some(watch_rank(
                Arc::clone(link),
                joined.clone(),
                RecordKey::of(finished),
                before,
                self.wake.clone(),
            ));
        }
    }

    /// The joined workshop's seed for `scenario`, if it fixes one.
    pub fn seed_for(&self, scenario: &str) -> Option<u64> {
        self.joined.as_ref()?.seed_for(scenario)
    }

    /// The reply mode the joined workshop requires, if any.
    pub fn required_mode(&self) -> Option<Mode> {
        self.joined.as_ref()?.mode
    }

    /// What is known of the rank of the finished 1on1 `key` (`None`: not
    /// joined, or nothing asked about that 1on1).
    pub fn rank_of(&self, key: &RecordKey) -> Option<RankState> {
        self.joined.as_ref()?;
        self.rank
            .as_ref()
            .filter(|w| w.key == *key)
            .map(RankWatch::state)
    }

    /// Forgets the joined workshop.
    pub fn leave(&mut self) {
        self.joined = None;
        self.join_note = None;
        self.rank = None;
        if let Some(dir) = &self.data_dir {
            save_joined(dir, None);
        }
    }

    /// Asks the link to send what waits now.
    pub fn retry_now(&self) {
        if let Some(link) = &self.link {
            link.retry_now();
        }
    }

    /// The link's status (nothing pending without a link).
    pub fn status(&self) -> client::LinkStatus {
        self.link.as_deref().map(Link::status).unwrap_or_default()
    }

    /// True while a join is under way.
    pub fn joining(&self) -> bool {
        self.joining.is_some()
    }
}

pub fn start_join(workshop: &mut Workshop, lang: Lang) {
    workshop.join_error = None;
    workshop.join_note = None;
    let form = workshop.form.clone();
    let client = match Client::new(&form.server) {
        Ok(client) => client,
        Err(e) => {
            workshop.join_error = Some(e.to_string());
            return;
        }
    };
    if let Err(e) = rescore::check_nickname(&form.nickname) {
        workshop.join_error = Some(e.message);
        return;
    }
    if form.code.trim().is_empty() {
        workshop.join_error = Some(
            lang.pick("コードを入力してください。", "Type the workshop code.")
                .into(),
        );
        return;
    }
    let (tx, rx) = mpsc::channel();
    let wanted = JoinedAs {
        server: form.server.trim().to_string(),
        code: form.code.trim().to_uppercase(),
        nickname: form.nickname.trim().to_string(),
        seeds: BTreeMap::new(),
        mode: None,
    };
    let wake = workshop.wake.clone();
    let spawned = std::thread::Builder::new()
        .name("kiku-join".into())
        .spawn(move || {
            let result = client.join(&wanted.code, &wanted.nickname);
            let _ = tx.send((wanted, result));
            wake.wake();
        });
    match spawned {
        Ok(_) => workshop.joining = Some(Mutex::new(rx)),
        Err(e) => workshop.join_error = Some(e.to_string()),
    }
}

pub fn poll_join(workshop: &mut Workshop) {
    let received = match &workshop.joining {
        Some(rx) => match rx.lock().map(|rx| rx.try_recv()) {
            Ok(Ok(answer)) => Some(Some(answer)),
            Ok(Err(TryRecvError::Empty)) => None,
            _ => Some(None),
        },
        None => return,
    };
    let Some(answer) = received else {
        return;
    };
    workshop.joining = None;
    match answer {
        Some((mut wanted, Ok(joined))) => {
            wanted.nickname = joined.nickname.clone();
            wanted.take_terms(&joined.scenarios, joined.mode);
            workshop.join_note = joined.taken.then(|| {
                format!(
                    "「{}」にはすでに記録があります。別の人なら名前を変えてください。 / \
                     \"{}\" already has scores: if that is not you, pick another name.",
                    joined.nickname, joined.nickname
                )
            });
            if let Some(dir) = &workshop.data_dir {
                save_joined(dir, Some(&wanted));
            }
            workshop.joined = Some(wanted);
            workshop.rank = None;
        }
        Some((_, Err(e))) => workshop.join_error = Some(e.to_string()),
        None => workshop.join_error = Some("the join was interrupted".into()),
    }
}

/// Starts the thread that asks for the rank of the 1on1 `key`, just handed
/// to `link`: it waits until the link reports that very record stored (or
/// queued, or refused), then asks the server privately
/// ([`Client::my_rank`]) and wakes the game.
fn watch_rank(
    link: Arc<Link>,
    joined: JoinedAs,
    key: RecordKey,
    before: client::LinkStatus,
    wake: Wake,
) -> RankWatch {
    let state = Arc::new(Mutex::new(RankState::Sending));
    let stop = Arc::new(AtomicBool::new(false));
    let watch = RankWatch {
        key: key.clone(),
        state: Arc::clone(&state),
        stop: Arc::clone(&stop),
    };
    let set = move |new: RankState| {
        let mut now = state.lock().unwrap_or_else(|e| e.into_inner());
        if *now != new {
            *now = new;
            drop(now);
            wake.wake();
        }
    };
    let spawned = std::thread::Builder::new()
        .name("kiku-workshop-rank".into())
        .spawn(move || {
            let started = Instant::now();
            let mut seen = before.version;
            let mut offline = false;
            loop {
                if stop.load(Ordering::Relaxed) || started.elapsed() > RANK_WATCH_LIMIT {
                    return;
                }
                let status = link.status();
                if status.version != seen {
                    seen = status.version;
                    let stored = status
                        .last_accepted
                        .as_ref()
                        .is_some_and(|a| key.is(&a.entry.finished));
                    if stored {
                        break;
                    }
                    if status.pending == 0 && status.rejected.len() > before.rejected.len() {
                        let why = status.rejected.last().cloned().unwrap_or_default();
                        set(RankState::Refused(why));
                        return;
                    }
                    offline = status.pending > 0 && status.online == Some(false);
                    if offline {
                        set(RankState::Queued);
                    }
                }
                std::thread::sleep(if offline {
                    RANK_LOOK_OFFLINE
                } else {
                    RANK_LOOK
                });
            }
            set(RankState::Sending);
            for attempt in 1..=RANK_TRIES {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let asked = Client::new(&joined.server)
                    .map_err(SendError::from)
                    .and_then(|c| {
                        c.my_rank(&joined.code, &joined.nickname, &key.scenario, key.mode)
                    });
                match asked {
                    Ok(rank) => return set(RankState::Ranked(rank)),
                    Err(e) if e.retryable() && attempt < RANK_TRIES => {
                        std::thread::sleep(RANK_RETRY);
                    }
                    Err(e) if e.retryable() => return set(RankState::Unreachable),
                    Err(e) => return set(RankState::Refused(e.to_string())),
                }
            }
        });
    if spawned.is_err() {
        *watch.state.lock().unwrap_or_else(|e| e.into_inner()) = RankState::Unreachable;
    }
    watch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished(mode: Mode, seed: u64) -> Finished {
        let scenario = kiku_core::fixtures::sample();
        let session = kiku_core::Session::replay(&scenario, seed, &[] as &[&str]).unwrap();
        let score = kiku_core::score(&scenario, session.transcript());
        let mut finished = Finished::scored(&session, &score, 0);
        finished.mode = mode;
        finished
    }

    #[test]
    fn a_result_the_workshop_would_refuse_is_known_before_sending() {
        let mut joined = JoinedAs {
            server: "127.0.0.1:9".into(),
            code: "ROOM42".into(),
            nickname: "aoi".into(),
            seeds: Default::default(),
            mode: None,
        };
        assert_eq!(joined.would_refuse(&finished(Mode::Choose, 3)), None);
        joined.mode = Some(Mode::Recall);
        let why = joined.would_refuse(&finished(Mode::Choose, 3)).unwrap();
        assert!(why.starts_with("wrong_mode"), "{why}");
        assert_eq!(joined.would_refuse(&finished(Mode::Recall, 3)), None);
        let id = finished(Mode::Recall, 3).scenario;
        joined.seeds.insert(id, 42);
        let why = joined.would_refuse(&finished(Mode::Recall, 3)).unwrap();
        assert!(why.starts_with("wrong_seed"), "{why}");
        assert_eq!(joined.would_refuse(&finished(Mode::Recall, 42)), None);
    }
}
