//! The organisation's registry of workshops ([`crate::org::Registry`]) on
//! PostgreSQL: which codes exist, each one's size and last activity, and
//! making a new one (two servers making one code at once: one wins).

use super::{PgStore, StoreError, now_ms};
use crate::org::{Registry, WorkshopSummary};

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
