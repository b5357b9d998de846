-- Deputies' formal suggestions and bills (docs/suggestions.md). They are
-- cases (kind suggestion or bill) in the same workflow engine; what only
-- they have lives beside the case row, so the cases table and its indexes
-- stay as they are.

-- Congress sessions (人民代表大会会议) of an NPC body: suggestions and bills
-- are numbered per session and kind, and the transfer deadline runs from
-- ends_on.
CREATE TABLE congress_sessions (
	id                 INTEGER PRIMARY KEY,
	org_id             INTEGER NOT NULL REFERENCES orgs (id),
	name               TEXT NOT NULL,
	starts_on          TEXT NOT NULL, -- YYYY-MM-DD, Beijing
	ends_on            TEXT NOT NULL,
	last_suggestion_no INTEGER NOT NULL DEFAULT 0,
	last_bill_no       INTEGER NOT NULL DEFAULT 0,
	created_by         INTEGER REFERENCES users (id),
	version            INTEGER NOT NULL DEFAULT 1,
	created_at         TIMESTAMP NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);
CREATE INDEX congress_sessions_org ON congress_sessions (org_id, starts_on);

-- One row per suggestion or bill.
CREATE TABLE suggestions (
	case_id        INTEGER PRIMARY KEY REFERENCES cases (id),
	session_id     INTEGER REFERENCES congress_sessions (id), -- NULL between sessions
	number         INTEGER NOT NULL DEFAULT 0, -- 第N号 from submission; 0 before, or between sessions
	reasons        TEXT NOT NULL DEFAULT '',
	proposals      TEXT NOT NULL DEFAULT '',
	presidium      BOOLEAN NOT NULL DEFAULT FALSE,
	key_supervisor TEXT NOT NULL DEFAULT '' -- 重点督办 when not empty
);
-- A session's desk, in number order.
CREATE INDEX suggestions_session ON suggestions (session_id, number);

-- The deputies who raise it: the lead (领衔) and the co-signers (附议/联名).
CREATE TABLE suggestion_signers (
	case_id      INTEGER NOT NULL REFERENCES cases (id),
	deputy_id    INTEGER NOT NULL REFERENCES deputies (id),
	lead         BOOLEAN NOT NULL DEFAULT FALSE,
	confirmed_at TIMESTAMP,
	declined_at  TIMESTAMP,
	PRIMARY KEY (case_id, deputy_id)
);
-- A deputy's suggestions (scope, 履职).
CREATE INDEX suggestion_signers_deputy ON suggestion_signers (deputy_id, case_id);

-- 面商: the unit meeting the deputy before it answers, or the deputy's
-- written waiver (form 'waived').
CREATE TABLE suggestion_consultations (
	id       INTEGER PRIMARY KEY,
	case_id  INTEGER NOT NULL REFERENCES cases (id),
	round    INTEGER NOT NULL,
	held_on  TEXT NOT NULL,
	form     TEXT NOT NULL,
	deputies TEXT NOT NULL DEFAULT '',
	notes    TEXT NOT NULL DEFAULT '',
	actor_id INTEGER REFERENCES users (id),
	at       TIMESTAMP NOT NULL
);
CREATE INDEX suggestion_consultations_case ON suggestion_consultations (case_id, round);

-- The opinions a suggestion was raised from (evidence), both ways.
CREATE TABLE suggestion_evidence (
	suggestion_id INTEGER NOT NULL REFERENCES cases (id),
	case_id       INTEGER NOT NULL REFERENCES cases (id),
	PRIMARY KEY (suggestion_id, case_id)
);
CREATE INDEX suggestion_evidence_case ON suggestion_evidence (case_id);
