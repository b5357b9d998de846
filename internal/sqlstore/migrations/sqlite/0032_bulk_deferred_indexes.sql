-- The secondary indexes a large bulk load (lianluo demo --cases N) dropped
-- to create again once its rows are in (bulk_indexes.go): recorded in the
-- transaction that drops them, so that an interrupted load's indexes are
-- created again when the database is next opened.
CREATE TABLE bulk_deferred_indexes (
	name       TEXT PRIMARY KEY,
	table_name TEXT NOT NULL,
	sql        TEXT NOT NULL
);
