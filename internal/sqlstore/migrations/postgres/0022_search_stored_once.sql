-- Migration 0022: nothing to do on PostgreSQL. On SQLite it makes the
-- full-text index contentless, so that the search text is stored once; on
-- PostgreSQL cases.search and cases.search_tsv stay as they are (the
-- tsvector is built from the text, which it does not keep). The file exists
-- because both dialects have the same migrations.
SELECT 1;
