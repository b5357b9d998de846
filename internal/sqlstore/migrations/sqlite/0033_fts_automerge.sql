-- Migration 0033: the full-text index merges its segments eight at a time
-- instead of four (FTS5's automerge option, kept in cases_fts_config).
-- Every commit that registers cases writes a new segment, and the merges
-- that follow ran in the commit, on the one writer: at a million cases
-- they were 11 % of the server's CPU under registrations, which went from
-- 1,041–1,257 to 1,304–1,652 a second with p99 78 → 35 ms; a frequent
-- word's search page reads more segments, 19 → 27 ms at p95
-- (BENCHMARKS.md).
INSERT INTO cases_fts (cases_fts, rank) VALUES ('automerge', 8);
