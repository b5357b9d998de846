-- Migration 0022: the search text stored once (docs/storage.md, "Chinese
-- full-text search"). Until now a case's search document was kept twice:
-- in cases.search and in the content table of the regular FTS5 table
-- cases_fts (about 1.2 GB per million cases). The index becomes a
-- contentless-delete FTS5 table (SQLite 3.43 or newer): it keeps only the
-- index, and a row is still re-indexed or dropped by its rowid alone,
-- without the old text. cases.search is emptied and no longer written on
-- SQLite; the column stays (PostgreSQL uses it, and dropping it would
-- rewrite every row).
CREATE VIRTUAL TABLE cases_fts_new USING fts5(search, content = '', contentless_delete = 1, tokenize = 'unicode61');
INSERT INTO cases_fts_new (rowid, search) SELECT id, search FROM cases WHERE search <> '';
DROP TABLE cases_fts;
ALTER TABLE cases_fts_new RENAME TO cases_fts;
UPDATE cases SET search = '' WHERE search <> '';
