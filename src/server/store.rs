//! `--store FILE`: state machines, activities, executions and their histories in SQLite, so a
//! restart loses nothing. Every write is one transaction: an execution's new events and its
//! new status land together or not at all.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, params};
use serde_json::{Value, json};

use super::machines::build;
use super::registry::{ActivityRecord, Answer, ExecRecord, MachineRecord};

pub struct Store {
    conn: Mutex<Connection>,
}

/// Everything a store holds, read back at start.
pub struct Loaded {
    pub machines: Vec<MachineRecord>,
    pub activities: Vec<ActivityRecord>,
    /// Oldest first.
    pub executions: Vec<ExecRecord>,
}

const SCHEMA: &str = "
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS machines (arn TEXT PRIMARY KEY, name TEXT NOT NULL, definition TEXT NOT NULL,
        role_arn TEXT NOT NULL, kind TEXT NOT NULL, created_ms INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS activities (arn TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS executions (arn TEXT PRIMARY KEY, record TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS events (arn TEXT NOT NULL, idx INTEGER NOT NULL, event TEXT NOT NULL,
        PRIMARY KEY (arn, idx));
";

impl Store {
    pub fn open(path: &Path) -> Result<Store, String> {
        let conn = Connection::open(path).map_err(|e| format!("cannot open store '{}': {e}", path.display()))?;
        conn.execute_batch(SCHEMA).map_err(|e| format!("store '{}': {e}", path.display()))?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn put_machine(&self, m: &MachineRecord) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT INTO machines (arn, name, definition, role_arn, kind, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(arn) DO UPDATE SET definition = excluded.definition, role_arn = excluded.role_arn",
            params![m.arn, m.name, m.definition, m.role_arn, m.kind, m.created_ms],
        )?;
        Ok(())
    }

    pub fn delete_machine(&self, arn: &str) -> rusqlite::Result<()> {
        self.conn().execute("DELETE FROM machines WHERE arn = ?1", [arn])?;
        Ok(())
    }

    pub fn put_activity(&self, a: &ActivityRecord) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO activities (arn, name, created_ms) VALUES (?1, ?2, ?3)",
            params![a.arn, a.name, a.created_ms],
        )?;
        Ok(())
    }

    pub fn delete_activity(&self, arn: &str) -> rusqlite::Result<()> {
        self.conn().execute("DELETE FROM activities WHERE arn = ?1", [arn])?;
        Ok(())
    }

    /// Saves the record and its events from index `from` on, in one transaction.
    pub fn save_execution(&self, r: &ExecRecord, from: usize) -> rusqlite::Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO executions (arn, record) VALUES (?1, ?2) ON CONFLICT(arn) DO UPDATE SET record = excluded.record",
            params![r.arn, record_json(r).to_string()],
        )?;
        {
            let mut insert =
                tx.prepare_cached("INSERT OR REPLACE INTO events (arn, idx, event) VALUES (?1, ?2, ?3)")?;
            for (i, e) in r.events.iter().enumerate().skip(from) {
                insert.execute(params![r.arn, i as i64, e.to_string()])?;
            }
        }
        tx.commit()
    }

    pub fn load(&self) -> Result<Loaded, String> {
        let conn = self.conn();
        let e = |e: rusqlite::Error| e.to_string();
        let mut machines = Vec::new();
        let mut q = conn
            .prepare("SELECT arn, name, definition, role_arn, kind, created_ms FROM machines ORDER BY rowid")
            .map_err(e)?;
        let rows = q
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .map_err(e)?;
        for row in rows {
            let (arn, name, definition, role_arn, kind, created_ms) = row.map_err(e)?;
            let machine = build(&definition).map_err(|err| format!("stored machine '{arn}': {}", err.message))?;
            machines.push(MachineRecord { arn, name, definition, machine, role_arn, kind, created_ms });
        }
        let mut q = conn.prepare("SELECT arn, name, created_ms FROM activities ORDER BY rowid").map_err(e)?;
        let activities = q
            .query_map([], |r| Ok(ActivityRecord { arn: r.get(0)?, name: r.get(1)?, created_ms: r.get(2)? }))
            .map_err(e)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(e)?;
        let mut q = conn.prepare("SELECT record FROM executions ORDER BY rowid").map_err(e)?;
        let records: Vec<String> = q.query_map([], |r| r.get(0)).map_err(e)?.collect::<Result<_, _>>().map_err(e)?;
        let mut executions = Vec::new();
        for text in records {
            executions.push(execution_with_events(&conn, &text)?);
        }
        Ok(Loaded { machines, activities, executions })
    }

    /// One stored execution (a finished one the server no longer keeps in memory).
    pub fn load_execution(&self, arn: &str) -> Result<Option<ExecRecord>, String> {
        use rusqlite::OptionalExtension;
        let conn = self.conn();
        let text: Option<String> = conn
            .query_row("SELECT record FROM executions WHERE arn = ?1", [arn], |r| r.get(0))
            .optional()
            .map_err(|e| e.to_string())?;
        text.map(|t| execution_with_events(&conn, &t)).transpose()
    }

    /// How many events are stored for an execution (tests).
    #[cfg(test)]
    pub fn event_count(&self, arn: &str) -> i64 {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row("SELECT COUNT(*) FROM events WHERE arn = ?1", [arn], |r| r.get(0))
            .optional()
            .ok()
            .flatten()
            .unwrap_or_default()
    }
}

/// An execution record and its events, from its stored JSON.
fn execution_with_events(conn: &rusqlite::Connection, text: &str) -> Result<ExecRecord, String> {
    let e = |e: rusqlite::Error| e.to_string();
    let v: Value = serde_json::from_str(text).map_err(|err| format!("stored execution: {err}"))?;
    let mut r = record_from_json(&v).ok_or("a stored execution is malformed")?;
    let mut events = conn.prepare_cached("SELECT event FROM events WHERE arn = ?1 ORDER BY idx").map_err(e)?;
    let stored: Vec<String> =
        events.query_map([&r.arn], |row| row.get(0)).map_err(e)?.collect::<Result<_, _>>().map_err(e)?;
    r.events = stored.iter().filter_map(|t| serde_json::from_str(t).ok()).collect();
    Ok(r)
}

fn record_json(r: &ExecRecord) -> Value {
    json!({
        "arn": r.arn, "name": r.name, "machineArn": r.machine_arn, "machineName": r.machine_name,
        "definition": r.definition, "roleArn": r.role_arn, "express": r.express, "testCase": r.test_case,
        "input": r.input, "seed": r.seed, "startMs": r.start_ms, "stopMs": r.stop_ms, "status": r.status,
        "output": r.output, "error": r.error, "cause": r.cause,
        "answers": r.answers.iter().map(Answer::to_json).collect::<Vec<_>>(),
    })
}

fn record_from_json(v: &Value) -> Option<ExecRecord> {
    let s = |k: &str| v[k].as_str().map(str::to_string);
    Some(ExecRecord {
        arn: s("arn")?,
        name: s("name")?,
        machine_arn: s("machineArn")?,
        machine_name: s("machineName")?,
        definition: s("definition")?,
        role_arn: s("roleArn").unwrap_or_default(),
        express: v["express"].as_bool().unwrap_or(false),
        test_case: s("testCase"),
        input: s("input")?,
        seed: v["seed"].as_u64()?,
        start_ms: v["startMs"].as_i64()?,
        stop_ms: v["stopMs"].as_i64(),
        status: s("status")?,
        output: s("output"),
        error: s("error"),
        cause: s("cause"),
        events: Vec::new(),
        answers: v["answers"].as_array()?.iter().filter_map(Answer::from_json).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executions_round_trip_with_their_events() {
        let dir = std::env::temp_dir().join(format!("statescope-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("s.db");
        let _ = std::fs::remove_file(&path);
        let store = Store::open(&path).expect("open");
        let mut r = ExecRecord {
            arn: "arn:aws:states:us-east-1:1:execution:m:e".into(),
            name: "e".into(),
            machine_arn: "arn:aws:states:us-east-1:1:stateMachine:m".into(),
            machine_name: "m".into(),
            definition: "{}".into(),
            input: "{}".into(),
            status: "RUNNING".into(),
            events: vec![json!({"id": 1})],
            ..ExecRecord::default()
        };
        store.save_execution(&r, 0).expect("save");
        r.events.push(json!({"id": 2}));
        r.status = "SUCCEEDED".into();
        store.save_execution(&r, 1).expect("save");
        assert_eq!(store.event_count(&r.arn), 2);
        drop(store);
        let loaded = Store::open(&path).expect("reopen").load().expect("load");
        assert_eq!(loaded.executions.len(), 1);
        assert_eq!(loaded.executions[0].status, "SUCCEEDED");
        assert_eq!(loaded.executions[0].events, r.events);
    }
}
