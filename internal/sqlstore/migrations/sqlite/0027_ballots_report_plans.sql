-- 民主测评 ballots (docs/reports.md): voters mark 满意 / 基本满意 / 不满意
-- for each item of a ballot (the reporting deputy of a 述职, or each unit of
-- an appraisal) on their phones, once per phone number; staff add the
-- paper ballots' counts. And the yearly 述职 plans of the deputy groups
-- (004: 20–30 % of a group's deputies report to the voters each year).

CREATE TABLE ballots (
	id            INTEGER PRIMARY KEY,
	subject_kind  TEXT NOT NULL, -- report | appraisal
	subject_id    INTEGER NOT NULL, -- report_plan_deputies.id, or the appraisal's
	activity_id   INTEGER NOT NULL REFERENCES activities (id),
	title         TEXT NOT NULL,
	token         TEXT NOT NULL UNIQUE, -- the public address /ballot/{token}
	closes_at     TIMESTAMP NOT NULL, -- the meeting's end + 24 h
	closed_at     TIMESTAMP,
	closed_by     INTEGER REFERENCES users (id),
	status        TEXT NOT NULL, -- open | closed
	summary       TEXT NOT NULL DEFAULT '', -- the tally in words, kept at closing
	paper_version INTEGER NOT NULL DEFAULT 1,
	version       INTEGER NOT NULL DEFAULT 1,
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL,
	UNIQUE (subject_kind, subject_id)
);
CREATE INDEX ballots_activity ON ballots (activity_id);
-- The job's look-up of open ballots past their closing time.
CREATE INDEX ballots_due ON ballots (status, closes_at);

CREATE TABLE ballot_items (
	ballot_id INTEGER NOT NULL REFERENCES ballots (id),
	position  INTEGER NOT NULL,
	item      TEXT NOT NULL, -- d<deputy id> | u<unit id>
	label     TEXT NOT NULL,
	PRIMARY KEY (ballot_id, item)
);

-- One vote per phone per ballot: only the phone's keyed look-up hash is
-- kept (fieldcrypt.go's key; a vote after a key rotation is checked
-- against the hashes under the older keys too), never the number.
CREATE TABLE ballot_votes (
	id          INTEGER PRIMARY KEY,
	ballot_id   INTEGER NOT NULL REFERENCES ballots (id),
	phone_hash  TEXT NOT NULL,
	addr_hash   TEXT NOT NULL DEFAULT '', -- the voter's address, keyed hash, for the rate limit
	comment     TEXT NOT NULL DEFAULT '', -- masked when stored
	created_at  TIMESTAMP NOT NULL,
	UNIQUE (ballot_id, phone_hash)
);
CREATE INDEX ballot_votes_addr ON ballot_votes (ballot_id, addr_hash, created_at);

CREATE TABLE ballot_answers (
	vote_id   INTEGER NOT NULL REFERENCES ballot_votes (id),
	ballot_id INTEGER NOT NULL REFERENCES ballots (id),
	item      TEXT NOT NULL,
	choice    TEXT NOT NULL, -- satisfied | basic | dissatisfied
	PRIMARY KEY (vote_id, item)
);
CREATE INDEX ballot_answers_ballot ON ballot_answers (ballot_id, item);

-- The paper ballots' counts, entered by staff (ballots.paper_version).
CREATE TABLE ballot_paper (
	ballot_id    INTEGER NOT NULL REFERENCES ballots (id),
	item         TEXT NOT NULL,
	satisfied    INTEGER NOT NULL DEFAULT 0,
	basic        INTEGER NOT NULL DEFAULT 0,
	dissatisfied INTEGER NOT NULL DEFAULT 0,
	updated_by   INTEGER REFERENCES users (id),
	updated_at   TIMESTAMP NOT NULL,
	PRIMARY KEY (ballot_id, item)
);

-- A deputy group's 述职 plan for a year: the deputies who report to the
-- voters in person; the reason staff gave for saving it despite the
-- warnings (CheckReportPlan), and those warnings, one a line.
CREATE TABLE report_plans (
	id         INTEGER PRIMARY KEY,
	group_id   INTEGER NOT NULL REFERENCES deputy_groups (id),
	year       INTEGER NOT NULL,
	reason     TEXT NOT NULL DEFAULT '',
	warnings   TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id),
	version    INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	UNIQUE (group_id, year)
);

-- A planned deputy: their 述职 activity once linked, the voters present,
-- and the ballot opened with the link.
CREATE TABLE report_plan_deputies (
	id             INTEGER PRIMARY KEY,
	plan_id        INTEGER NOT NULL REFERENCES report_plans (id),
	deputy_id      INTEGER NOT NULL REFERENCES deputies (id),
	position       INTEGER NOT NULL,
	activity_id    INTEGER REFERENCES activities (id),
	voters_present INTEGER NOT NULL DEFAULT 0,
	version        INTEGER NOT NULL DEFAULT 1,
	updated_at     TIMESTAMP NOT NULL,
	UNIQUE (plan_id, deputy_id)
);
CREATE INDEX report_plan_deputies_deputy ON report_plan_deputies (deputy_id);
CREATE INDEX report_plan_deputies_activity ON report_plan_deputies (activity_id);
