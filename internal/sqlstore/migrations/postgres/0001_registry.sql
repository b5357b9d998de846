-- The registry: regions, organisations, deputies, groups, stations, users,
-- sessions and the append-only event log. BIGSERIAL and plain constraints
-- only, to stay within what openGauss and KingbaseES accept.

CREATE TABLE regions (
	code        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	level       TEXT NOT NULL,
	parent_code TEXT NOT NULL DEFAULT ''
);
CREATE INDEX regions_parent ON regions (parent_code, code);
-- LIKE 'prefix%' on codes needs C collation ordering to use an index.
CREATE INDEX regions_code_prefix ON regions (code text_pattern_ops);

CREATE TABLE orgs (
	id          BIGSERIAL PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind IN ('npc', 'unit')),
	name        TEXT NOT NULL,
	region_code TEXT NOT NULL REFERENCES regions (code),
	parent_id   BIGINT REFERENCES orgs (id),
	contact     TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	address     TEXT NOT NULL DEFAULT '',
	active      BOOLEAN NOT NULL DEFAULT TRUE,
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX orgs_region_name ON orgs (region_code, name);
CREATE INDEX orgs_region ON orgs (region_code text_pattern_ops);

CREATE TABLE deputy_groups (
	id               BIGSERIAL PRIMARY KEY,
	name             TEXT NOT NULL,
	org_id           BIGINT NOT NULL REFERENCES orgs (id),
	region_code      TEXT NOT NULL REFERENCES regions (code),
	station_id       BIGINT,
	leader_id        BIGINT,
	deputy_leader_id BIGINT,
	recorder_id      BIGINT,
	active           BOOLEAN NOT NULL DEFAULT TRUE,
	version          INTEGER NOT NULL DEFAULT 1,
	created_at       TIMESTAMPTZ NOT NULL,
	updated_at       TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX deputy_groups_org_name ON deputy_groups (org_id, name);
CREATE INDEX deputy_groups_region ON deputy_groups (region_code text_pattern_ops);

CREATE TABLE deputies (
	id          BIGSERIAL PRIMARY KEY,
	name        TEXT NOT NULL,
	gender      TEXT NOT NULL,
	phone       TEXT NOT NULL DEFAULT '',
	ethnicity   TEXT NOT NULL DEFAULT '',
	party       TEXT NOT NULL DEFAULT '',
	occupation  TEXT NOT NULL DEFAULT '',
	work_unit   TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL REFERENCES regions (code),
	group_id    BIGINT REFERENCES deputy_groups (id),
	leader      BOOLEAN NOT NULL DEFAULT FALSE,
	status      TEXT NOT NULL DEFAULT 'in_office',
	bio         TEXT NOT NULL DEFAULT '',
	version     INTEGER NOT NULL DEFAULT 1,
	created_at  TIMESTAMPTZ NOT NULL,
	updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX deputies_region ON deputies (region_code text_pattern_ops);
CREATE INDEX deputies_group ON deputies (group_id);

CREATE TABLE deputy_seats (
	deputy_id    BIGINT NOT NULL REFERENCES deputies (id),
	level        TEXT NOT NULL,
	term         INTEGER NOT NULL DEFAULT 0,
	constituency TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (deputy_id, level)
);
CREATE INDEX deputy_seats_level ON deputy_seats (level);

CREATE TABLE stations (
	id             BIGSERIAL PRIMARY KEY,
	kind           TEXT NOT NULL,
	name           TEXT NOT NULL,
	region_code    TEXT NOT NULL REFERENCES regions (code),
	org_id         BIGINT NOT NULL REFERENCES orgs (id),
	address        TEXT NOT NULL DEFAULT '',
	opening_hours  TEXT NOT NULL DEFAULT '',
	phone          TEXT NOT NULL DEFAULT '',
	head_deputy_id BIGINT REFERENCES deputies (id),
	active         BOOLEAN NOT NULL DEFAULT TRUE,
	version        INTEGER NOT NULL DEFAULT 1,
	created_at     TIMESTAMPTZ NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX stations_region_name ON stations (region_code, name);
CREATE INDEX stations_region ON stations (region_code text_pattern_ops);

ALTER TABLE deputy_groups ADD FOREIGN KEY (station_id) REFERENCES stations (id);
ALTER TABLE deputy_groups ADD FOREIGN KEY (leader_id) REFERENCES deputies (id);
ALTER TABLE deputy_groups ADD FOREIGN KEY (deputy_leader_id) REFERENCES deputies (id);
ALTER TABLE deputy_groups ADD FOREIGN KEY (recorder_id) REFERENCES deputies (id);

CREATE TABLE station_liaisons (
	station_id BIGINT NOT NULL REFERENCES stations (id),
	position   INTEGER NOT NULL,
	name       TEXT NOT NULL,
	phone      TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (station_id, position)
);

CREATE TABLE station_deputies (
	station_id BIGINT NOT NULL REFERENCES stations (id),
	deputy_id  BIGINT NOT NULL REFERENCES deputies (id),
	PRIMARY KEY (station_id, deputy_id)
);
CREATE INDEX station_deputies_deputy ON station_deputies (deputy_id);

CREATE TABLE users (
	id              BIGSERIAL PRIMARY KEY,
	username        TEXT NOT NULL UNIQUE,
	password_hash   TEXT NOT NULL,
	display_name    TEXT NOT NULL,
	phone           TEXT NOT NULL DEFAULT '',
	active          BOOLEAN NOT NULL DEFAULT TRUE,
	failed_logins   INTEGER NOT NULL DEFAULT 0,
	locked_until    TIMESTAMPTZ,
	last_login_at   TIMESTAMPTZ,
	version         INTEGER NOT NULL DEFAULT 1,
	created_at      TIMESTAMPTZ NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_roles (
	user_id    BIGINT NOT NULL REFERENCES users (id),
	position   INTEGER NOT NULL,
	role       TEXT NOT NULL,
	org_id     BIGINT REFERENCES orgs (id),
	station_id BIGINT REFERENCES stations (id),
	deputy_id  BIGINT REFERENCES deputies (id),
	PRIMARY KEY (user_id, position)
);
CREATE INDEX user_roles_org ON user_roles (org_id);
CREATE INDEX user_roles_station ON user_roles (station_id);
CREATE INDEX user_roles_deputy ON user_roles (deputy_id);

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	created_at   TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL,
	client_addr  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE events (
	id          BIGSERIAL PRIMARY KEY,
	at          TIMESTAMPTZ NOT NULL,
	actor_id    BIGINT,
	actor_name  TEXT NOT NULL DEFAULT '',
	client_addr TEXT NOT NULL DEFAULT '',
	entity      TEXT NOT NULL,
	entity_id   BIGINT NOT NULL DEFAULT 0,
	action      TEXT NOT NULL,
	summary     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_entity ON events (entity, entity_id, id);
CREATE INDEX events_at ON events (at);

-- The event log is append-only: the database itself refuses edits.
CREATE FUNCTION events_append_only() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
	FOR EACH ROW EXECUTE PROCEDURE events_append_only();
