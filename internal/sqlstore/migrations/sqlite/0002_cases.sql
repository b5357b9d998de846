-- The case workflow: cases, their units, replies, ratings, history,
-- attachments; categories, settings, the working-day calendar, and the
-- notification outbox.

CREATE TABLE categories (
	id        INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES categories (id),
	name      TEXT NOT NULL,
	position  INTEGER NOT NULL DEFAULT 0,
	active    BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX categories_name ON categories (name);

CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- Public holidays and make-up working days (调休), seeded from
-- internal/holidays and editable by an administrator for the next year.
CREATE TABLE calendar_days (
	day  TEXT PRIMARY KEY, -- YYYY-MM-DD, Beijing date
	kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
	name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cases (
	id                  INTEGER PRIMARY KEY,
	tracking_code       TEXT NOT NULL UNIQUE,
	kind                TEXT NOT NULL,
	channel             TEXT NOT NULL,
	station_id          INTEGER REFERENCES stations (id),
	org_id              INTEGER NOT NULL REFERENCES orgs (id),
	title               TEXT NOT NULL,
	content             TEXT NOT NULL,
	category            TEXT NOT NULL DEFAULT '',
	region_code         TEXT NOT NULL REFERENCES regions (code),
	location            TEXT NOT NULL DEFAULT '',
	submitter_name      TEXT NOT NULL DEFAULT '',
	submitter_phone     TEXT NOT NULL DEFAULT '',
	submitter_address   TEXT NOT NULL DEFAULT '',
	submitter_id_number TEXT NOT NULL DEFAULT '',
	urgent              BOOLEAN NOT NULL DEFAULT FALSE,
	confidential        BOOLEAN NOT NULL DEFAULT FALSE,
	status              TEXT NOT NULL,
	round               INTEGER NOT NULL DEFAULT 1,
	master_id           INTEGER REFERENCES cases (id),
	due_at              TIMESTAMP,
	original_due_at     TIMESTAMP,
	submitted_at        TIMESTAMP,
	ext_until           TIMESTAMP,
	ext_reason          TEXT NOT NULL DEFAULT '',
	ext_decided         BOOLEAN NOT NULL DEFAULT FALSE,
	ext_approved        BOOLEAN NOT NULL DEFAULT FALSE,
	ext_decided_at      TIMESTAMP,
	outcome             TEXT NOT NULL DEFAULT '',
	closed_at           TIMESTAMP,
	archived_year       INTEGER NOT NULL DEFAULT 0,
	created_by          INTEGER REFERENCES users (id),
	search              TEXT NOT NULL DEFAULT '',
	version             INTEGER NOT NULL DEFAULT 1,
	created_at          TIMESTAMP NOT NULL,
	updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX cases_status ON cases (status, due_at);
CREATE INDEX cases_region ON cases (region_code, created_at);
CREATE INDEX cases_org ON cases (org_id, status);
CREATE INDEX cases_station ON cases (station_id, status);
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_master ON cases (master_id);

-- Han bigrams of title and content (internal/textsearch), indexed by FTS5
-- with rowid = cases.id.
CREATE VIRTUAL TABLE cases_fts USING fts5(search, tokenize = 'unicode61');

CREATE TABLE case_deputies (
	case_id   INTEGER NOT NULL REFERENCES cases (id),
	deputy_id INTEGER NOT NULL REFERENCES deputies (id),
	PRIMARY KEY (case_id, deputy_id)
);
CREATE INDEX case_deputies_deputy ON case_deputies (deputy_id);

CREATE TABLE case_units (
	case_id   INTEGER NOT NULL REFERENCES cases (id),
	org_id    INTEGER NOT NULL REFERENCES orgs (id),
	round     INTEGER NOT NULL,
	lead      BOOLEAN NOT NULL,
	active    BOOLEAN NOT NULL DEFAULT TRUE, -- false once returned or superseded
	signed_at TIMESTAMP,
	PRIMARY KEY (case_id, org_id, round)
);
CREATE INDEX case_units_org ON case_units (org_id, active);

CREATE TABLE case_replies (
	case_id    INTEGER NOT NULL REFERENCES cases (id),
	round      INTEGER NOT NULL,
	result     TEXT NOT NULL,
	content    TEXT NOT NULL,
	met_deputy BOOLEAN NOT NULL,
	actor_id   INTEGER,
	at         TIMESTAMP NOT NULL,
	PRIMARY KEY (case_id, round)
);

CREATE TABLE case_ratings (
	id       INTEGER PRIMARY KEY,
	case_id  INTEGER NOT NULL REFERENCES cases (id),
	round    INTEGER NOT NULL,
	by_kind  TEXT NOT NULL CHECK (by_kind IN ('deputy', 'voter')),
	rating   TEXT NOT NULL,
	comment  TEXT NOT NULL DEFAULT '',
	actor_id INTEGER,
	at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX case_ratings_once ON case_ratings (case_id, round, by_kind);

-- A case's history; like events, append-only.
CREATE TABLE case_events (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases (id),
	at          TIMESTAMP NOT NULL,
	actor_id    INTEGER,
	actor_name  TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status   TEXT NOT NULL DEFAULT '',
	comment     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
	SELECT RAISE(ABORT, 'case events are append-only');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
	SELECT RAISE(ABORT, 'case events are append-only');
END;

CREATE TABLE case_attachments (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER NOT NULL REFERENCES cases (id),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	data         BLOB NOT NULL,
	created_by   INTEGER,
	created_at   TIMESTAMP NOT NULL
);
CREATE INDEX case_attachments_case ON case_attachments (case_id);

-- The outbox: every notification is a row written in the transaction of the
-- change that causes it, and delivered afterwards with retries. dedupe_key
-- makes reminders idempotent across sweeps and instances.
CREATE TABLE notifications (
	id              INTEGER PRIMARY KEY,
	channel         TEXT NOT NULL,            -- inapp, sms, wecom, dingtalk, email, log
	user_id         INTEGER REFERENCES users (id),
	phone           TEXT NOT NULL DEFAULT '',
	template        TEXT NOT NULL,
	subject         TEXT NOT NULL DEFAULT '',
	body            TEXT NOT NULL,
	case_id         INTEGER REFERENCES cases (id),
	urgent          BOOLEAN NOT NULL DEFAULT FALSE,
	status          TEXT NOT NULL DEFAULT 'pending', -- pending, sent, dead
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TIMESTAMP NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	dedupe_key      TEXT,
	read_at         TIMESTAMP,
	created_at      TIMESTAMP NOT NULL,
	sent_at         TIMESTAMP
);
CREATE UNIQUE INDEX notifications_dedupe ON notifications (dedupe_key);
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX notifications_user ON notifications (user_id, read_at);

INSERT INTO categories (id, parent_id, name, position) VALUES
	(1, NULL, '城乡建设', 1), (2, NULL, '交通出行', 2), (3, NULL, '环境保护', 3), (4, NULL, '教育', 4),
	(5, NULL, '医疗卫生', 5), (6, NULL, '社会保障', 6), (7, NULL, '农业农村', 7), (8, NULL, '社会治安', 8),
	(9, NULL, '市场监管', 9), (10, NULL, '民政服务', 10), (11, NULL, '就业创业', 11), (12, NULL, '其他', 99),
	(13, 1, '道路照明', 1), (14, 1, '小区物业', 2), (15, 1, '违章建筑', 3), (16, 2, '公交线路', 1),
	(17, 2, '道路维修', 2), (18, 2, '停车管理', 3), (19, 3, '噪声扰民', 1), (20, 3, '水体污染', 2),
	(21, 3, '垃圾分类', 3), (22, 6, '养老服务', 1), (23, 6, '医保社保', 2);
