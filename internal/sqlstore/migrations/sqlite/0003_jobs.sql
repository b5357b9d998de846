-- Background work: the schedule of recurring jobs, and the ledger of the
-- deadline reminders already given.

-- One row per recurring job (the deadline sweep…). An instance runs a job
-- only after claiming its row: run_at is when it is next due, and
-- locked_until holds it while a run is in progress (a run whose instance
-- dies is released when the lease ends). So with several instances a job
-- runs once per period, not once per instance.
CREATE TABLE jobs (
	name         TEXT PRIMARY KEY,
	run_at       TIMESTAMP NOT NULL,
	locked_until TIMESTAMP,
	started_at   TIMESTAMP,
	finished_at  TIMESTAMP,
	result       TEXT NOT NULL DEFAULT '',
	last_error   TEXT NOT NULL DEFAULT '',
	runs         INTEGER NOT NULL DEFAULT 0
);

-- Automatic reminders (催办, 提醒) given on a case: the key says which one
-- (urge:before:<case>:<round>:<due date>, urge:overdue:<case>:<round>:<day>,
-- approve:near:…), so a reminder is given once however many sweeps or
-- instances compute it, and once per case whoever receives it.
CREATE TABLE reminders (
	key     TEXT PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases (id),
	kind    TEXT NOT NULL, -- before, due, overdue, approval_near, approval_overdue
	at      TIMESTAMP NOT NULL
);
CREATE INDEX reminders_case ON reminders (case_id, at);
