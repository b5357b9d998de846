-- The registry: regions, organisations, deputies, groups, stations, users,
-- sessions and the append-only event log.

CREATE TABLE regions (
	code        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	level       TEXT NOT NULL,
	parent_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX regions_parent ON regions (parent_code, code);

CREATE TABLE orgs (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('npc', 'unit')),
	name        TEXT NOT NULL,
	region_code TEXT NOT NULL REFERENCES regions (code),
	parent_id   INTEGER REFERENCES orgs (id),
	contact     TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	active      BOOLEAN NOT NULL DEFAULT TRUE,
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
-- Names are unique within a region so imports can refer to orgs by name.
CREATE UNIQUE INDEX orgs_region_name ON orgs (region_code, name);
CREATE INDEX orgs_region ON orgs (region_code);

CREATE TABLE deputy_groups (
	id               INTEGER PRIMARY KEY,
	name             TEXT NOT NULL,
	org_id           INTEGER NOT NULL REFERENCES orgs (id),
	region_code      TEXT NOT NULL REFERENCES regions (code),
	station_id       INTEGER REFERENCES stations (id),
	leader_id        INTEGER REFERENCES deputies (id),
	deputy_leader_id INTEGER REFERENCES deputies (id),
	recorder_id      INTEGER REFERENCES deputies (id),
	active           BOOLEAN NOT NULL DEFAULT TRUE,
	version          INTEGER NOT NULL DEFAULT 1,
	created_at       TIMESTAMP NOT NULL,
	updated_at       TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX deputy_groups_org_name ON deputy_groups (org_id, name);
CREATE INDEX deputy_groups_region ON deputy_groups (region_code);

CREATE TABLE deputies (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	gender      TEXT NOT NULL,
	phone       TEXT NOT NULL DEFAULT '',
	ethnicity   TEXT NOT NULL DEFAULT '',
	party       TEXT NOT NULL DEFAULT '',
	occupation  TEXT NOT NULL DEFAULT '',
	work_unit   TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL REFERENCES regions (code),
	group_id    INTEGER REFERENCES deputy_groups (id),
	leader      BOOLEAN NOT NULL DEFAULT FALSE,
	status      TEXT NOT NULL DEFAULT 'in_office',
	bio         TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX deputies_region ON deputies (region_code);
CREATE INDEX deputies_group ON deputies (group_id);

-- One person may hold seats at several levels (e.g. city and district).
CREATE TABLE deputy_seats (
	deputy_id    INTEGER NOT NULL REFERENCES deputies (id),
	level        TEXT NOT NULL,
	term         INTEGER NOT NULL DEFAULT 0,
	constituency TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (deputy_id, level)
);
CREATE INDEX deputy_seats_level ON deputy_seats (level);

CREATE TABLE stations (
	id             INTEGER PRIMARY KEY,
	kind           TEXT NOT NULL,
	name           TEXT NOT NULL,
	region_code    TEXT NOT NULL REFERENCES regions (code),
	org_id         INTEGER NOT NULL REFERENCES orgs (id),
	address        TEXT NOT NULL DEFAULT '',
	opening_hours  TEXT NOT NULL DEFAULT '',
	phone          TEXT NOT NULL DEFAULT '',
	head_deputy_id INTEGER REFERENCES deputies (id),
	active         BOOLEAN NOT NULL DEFAULT TRUE,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TIMESTAMP NOT NULL,
	updated_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX stations_region_name ON stations (region_code, name);
CREATE INDEX stations_region ON stations (region_code);

CREATE TABLE station_liaisons (
	station_id INTEGER NOT NULL REFERENCES stations (id),
	position   INTEGER NOT NULL,
	name       TEXT NOT NULL,
	phone      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (station_id, position)
);

CREATE TABLE station_deputies (
	station_id INTEGER NOT NULL REFERENCES stations (id),
	deputy_id  INTEGER NOT NULL REFERENCES deputies (id),
	PRIMARY KEY (station_id, deputy_id)
);
CREATE INDEX station_deputies_deputy ON station_deputies (deputy_id);

CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	username        TEXT NOT NULL UNIQUE,
	password_hash   TEXT NOT NULL,
	display_name    TEXT NOT NULL,
	phone           TEXT NOT NULL DEFAULT '',
	active          BOOLEAN NOT NULL DEFAULT TRUE,
	failed_logins   INTEGER NOT NULL DEFAULT 0,
	locked_until    TIMESTAMP,
	last_login_at   TIMESTAMP,
	version         INTEGER NOT NULL DEFAULT 1,
	created_at      TIMESTAMP NOT NULL,
	updated_at      TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
	user_id    INTEGER NOT NULL REFERENCES users (id),
	position   INTEGER NOT NULL,
	role       TEXT NOT NULL,
	org_id     INTEGER REFERENCES orgs (id),
	station_id INTEGER REFERENCES stations (id),
	deputy_id  INTEGER REFERENCES deputies (id),
	PRIMARY KEY (user_id, position)
);
CREATE INDEX user_roles_org ON user_roles (org_id);
CREATE INDEX user_roles_station ON user_roles (station_id);
CREATE INDEX user_roles_deputy ON user_roles (deputy_id);

-- Only a SHA-256 of the token is stored: a stolen database holds no live sessions.
CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users (id),
	created_at   TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	expires_at   TIMESTAMP NOT NULL,
	client_addr  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE events (
	id          INTEGER PRIMARY KEY,
	at          TIMESTAMP NOT NULL,
	actor_id    INTEGER,
	actor_name  TEXT NOT NULL DEFAULT '',
	client_addr TEXT NOT NULL DEFAULT '',
	entity      TEXT NOT NULL,
	entity_id   INTEGER NOT NULL DEFAULT 0,
	action      TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_entity ON events (entity, entity_id, id);
CREATE INDEX events_at ON events (at);

-- The event log is append-only: the database itself refuses edits.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
	SELECT RAISE(ABORT, 'events are append-only');
END;
