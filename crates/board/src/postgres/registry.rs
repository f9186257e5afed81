//! The organisation's registry of workshops ([`crate::org::Registry`]) on
//! PostgreSQL: which codes exist, each one's size and last activity, and
//! making a new one (two servers making one code at once: one wins), and
//! one `LISTEN` connection that follows every workshop's changes and
//! announces the server's own.

use super::{
    Announcements, Ended, NOTICE_EVERY, PgStore, RECONNECT_AFTER, StoreError, announce_waiting,
    listening, now_ms,
};
use crate::org::{Notice, Registry, WorkshopSummary};

impl Registry for PgStore {
    fn workshop_codes(&mut self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .client
            .query(
                "SELECT code FROM workshops WHERE code <> '' ORDER BY code",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn has_workshop(&mut self, code: &str) -> Result<bool, StoreError> {
        Ok(self
            .client
            .query_opt("SELECT 1 FROM workshops WHERE code = $1", &[&code])?
            .is_some())
    }

    fn create_workshop(&mut self, code: &str) -> Result<bool, StoreError> {
        let made = self.client.execute(
            "INSERT INTO workshops (code, created_ms, active_ms) VALUES ($1, $2, $2)
             ON CONFLICT (code) DO NOTHING",
            &[&code, &now_ms()],
        )?;
        Ok(made == 1)
    }

    fn workshop_summaries(&mut self) -> Result<Vec<WorkshopSummary>, StoreError> {
        Ok(self
            .client
            .query(
                "SELECT w.code,
                     (SELECT COUNT(*) FROM entries e WHERE e.workshop = w.code),
                     (SELECT COUNT(*) FROM players p WHERE p.workshop = w.code),
                     GREATEST(w.active_ms,
                         COALESCE((SELECT MAX(created_ms) FROM entries e
                                   WHERE e.workshop = w.code), 0),
                         COALESCE((SELECT MAX(created_ms) FROM players p
                                   WHERE p.workshop = w.code), 0))
                 FROM workshops w WHERE w.code <> '' ORDER BY w.code",
                &[],
            )?
            .iter()
            .map(|r| WorkshopSummary {
                code: r.get(0),
                entries: u64::try_from(r.get::<_, i64>(1)).unwrap_or(0),
                players: u64::try_from(r.get::<_, i64>(2)).unwrap_or(0),
                active_ms: r.get(3),
            })
            .collect())
    }
}

impl PgStore {
    /// Follows every workshop's changes on one `LISTEN` connection of its
    /// own (on its own thread, reconnecting when lost), for a server of
    /// every workshop: `on_notice` hears each other server's change by
    /// code (this connection's own notices are skipped: they are this
    /// server's), that notices may have been missed (on every connect),
    /// and now and then whether to go on; it stops when `on_notice`
    /// answers false. The same connection announces the changes the open
    /// workshops' stores hand to `later` ([`PgStore::announce_through`]),
    /// all waiting in one statement, at most once per [`NOTICE_EVERY`]
    /// (so each workshop's at most once in that time); once the thread
    /// ends, those stores announce their own changes again.
    pub(crate) fn listen_all(
        url: &str,
        later: Announcements,
        on_notice: Box<dyn Fn(Notice<'_>) -> bool + Send>,
    ) -> Result<(), StoreError> {
        let url = url.to_string();
        let ended = Ended(std::sync::Arc::clone(&later));
        std::thread::Builder::new()
            .name("kiku-board-listen-all".into())
            .spawn(move || {
                let _ended = ended;
                let mut last_sent: Option<std::time::Instant> = None;
                while on_notice(Notice::StillWanted) {
                    // Its own notices are this server's.
                    let Some((mut client, own)) = listening(&url) else {
                        std::thread::sleep(RECONNECT_AFTER);
                        continue;
                    };
                    // Changes made before this LISTEN sent no notice here.
                    if !on_notice(Notice::Missed) {
                        return;
                    }
                    loop {
                        if !announce_waiting(&mut client, &later, &mut last_sent) {
                            break;
                        }
                        // A fresh wait each time: a timed-out iterator
                        // answers at once from then on.
                        let next = postgres::fallible_iterator::FallibleIterator::next(
                            &mut client.notifications().timeout_iter(NOTICE_EVERY),
                        );
                        match next {
                            Ok(Some(notice)) if notice.process_id() == own => {}
                            Ok(Some(notice)) => {
                                if !on_notice(Notice::Changed(notice.payload())) {
                                    return;
                                }
                            }
                            Ok(None) => {
                                if !on_notice(Notice::StillWanted) {
                                    return;
                                }
                                if client.is_closed() {
                                    break;
                                }
                            }
                            Err(_) => break,
                        }
                    }
                }
            })
            .map_err(|e| StoreError::Postgres(format!("cannot start the LISTEN thread: {e}")))?;
        Ok(())
    }
}
