-- Migration 0035: nothing to do on PostgreSQL. On SQLite the overdue list
-- walks an index of the open cases alone (cases_open_id); PostgreSQL keeps
-- its per-status arms, each limited to the page, which its planner costs
-- from statistics. The file exists because both dialects have the same
-- migrations.
SELECT 1;
