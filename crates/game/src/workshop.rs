//! The workshop the trainee joined: the join form and its thread, the
//! saved `workshop.json`, and the link that sends finished 1on1s from the
//! outbox (retrying while the server is away). The leaderboard screen draws
//! it; [`crate::finish`] submits to it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use kiku_board::client::{self, Client, Link, SendError};
use kiku_board::files;
use kiku_board::rescore;
use kiku_board::server::Joined;
use kiku_board::store::Board;
use kiku_core::Finished;
use kiku_core::text::Lang;

use crate::state::Config;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Workshop>()
        .add_systems(Startup, start_link);
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
}

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
    link: Option<Link>,
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

fn start_link(config: Res<Config>, mut workshop: ResMut<Workshop>) {
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
    workshop.link = Some(Link::start(&dir.join(OUTBOX)));
    workshop.data_dir = Some(dir);
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
    /// Sends a finished 1on1 to the joined workshop (through the outbox).
    pub fn submit(&self, finished: &Finished) {
        if let (Some(joined), Some(link)) = (&self.joined, &self.link) {
            let submission = client::submission(finished, &joined.code, &joined.nickname);
            link.submit(&joined.server, submission);
        }
    }

    /// Forgets the joined workshop.
    pub fn leave(&mut self) {
        self.joined = None;
        self.join_note = None;
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
        self.link.as_ref().map(Link::status).unwrap_or_default()
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
    };
    let spawned = std::thread::Builder::new()
        .name("kiku-join".into())
        .spawn(move || {
            let result = client.join(&wanted.code, &wanted.nickname);
            let _ = tx.send((wanted, result));
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
        }
        Some((_, Err(e))) => workshop.join_error = Some(e.to_string()),
        None => workshop.join_error = Some("the join was interrupted".into()),
    }
}
