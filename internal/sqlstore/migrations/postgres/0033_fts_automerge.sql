-- Migration 0033: nothing to do on PostgreSQL. On SQLite it sets the FTS5
-- index's automerge option (the segments merged eight at a time); the GIN
-- index of search_tsv has no such setting. The file exists because both
-- dialects have the same migrations.
SELECT 1;
