-- case_deputies_deputy (deputy_id) is a prefix of case_deputies_deputy_case
-- (deputy_id, case_id) and of case_deputies_deputy_created: every lookup by
-- deputy can use either, and each case registered paid for one more index
-- entry per receiving deputy (BENCHMARKS.md).
DROP INDEX case_deputies_deputy;
