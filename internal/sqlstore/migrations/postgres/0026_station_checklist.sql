-- The standards checklist per station (星级联络站 九有: 有牌子, 有场所 …;
-- docs/station-ratings.md): the office ticks an item of the list (the
-- settings key "station_checklist") for a station, with the day it was
-- found met, and may keep a photo of it.

CREATE TABLE station_checklist (
	station_id BIGINT NOT NULL REFERENCES stations (id),
	item       TEXT NOT NULL, -- the key of the item in the list
	done       BOOLEAN NOT NULL,
	done_on    TEXT NOT NULL DEFAULT '', -- the day, Beijing, 2006-01-02
	updated_by BIGINT REFERENCES users (id),
	version    INTEGER NOT NULL DEFAULT 1,
	updated_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (station_id, item)
);

-- Photos of a ticked item (the sign on the door, the room), newest last.
CREATE TABLE station_checklist_photos (
	id           BIGSERIAL PRIMARY KEY,
	station_id   BIGINT NOT NULL REFERENCES stations (id),
	item         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         BYTEA NOT NULL,
	created_by   BIGINT REFERENCES users (id),
	created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX station_checklist_photos_item ON station_checklist_photos (station_id, item, id);
