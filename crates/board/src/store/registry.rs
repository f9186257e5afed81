//! The organisation's registry of workshops ([`crate::org::Registry`]) on
//! SQLite: which codes exist, each one's size and last activity, and
//! making a new one.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError, now_ms};
use crate::org::{Registry, WorkshopSummary};

impl Registry for Store {
    fn workshop_codes(&mut self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT code FROM workshops WHERE code <> '' ORDER BY code")?;
        let codes = stmt.query_map([], |r| r.get(0))?;
        Ok(codes.collect::<Result<_, _>>()?)
    }

    fn has_workshop(&mut self, code: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM workshops WHERE code = ?1",
                [code],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn create_workshop(&mut self, code: &str) -> Result<bool, StoreError> {
        let now = now_ms();
        let made = self.conn.execute(
            "INSERT INTO workshops (code, created_ms, active_ms) VALUES (?1, ?2, ?2)
             ON CONFLICT (code) DO NOTHING",
            params![code, now],
        )?;
        Ok(made == 1)
    }

    fn workshop_summaries(&mut self) -> Result<Vec<WorkshopSummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT w.code,
                 (SELECT COUNT(*) FROM entries e WHERE e.workshop = w.code),
                 (SELECT COUNT(*) FROM players p WHERE p.workshop = w.code),
                 MAX(w.active_ms,
                     COALESCE((SELECT MAX(created_ms) FROM entries e WHERE e.workshop = w.code), 0),
                     COALESCE((SELECT MAX(created_ms) FROM players p WHERE p.workshop = w.code), 0))
             FROM workshops w WHERE w.code <> '' ORDER BY w.code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(WorkshopSummary {
                code: r.get(0)?,
                entries: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                players: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                active_ms: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
