-- Migration 0034: timestamps are stored as integers, microseconds since
-- 1970-01-01 UTC, instead of the driver's text ("2025-07-05 15:59:59 +0000
-- UTC", 29 bytes and more with a fraction): 8 bytes in the row and in every
-- index that holds one. The driver writes and reads them so
-- (_time_integer_format=unix_micro and _inttotime, db.go); the rows written
-- before are converted by the Go step integerTimes (integer_times.go),
-- which finds every column declared TIMESTAMP, so nothing is listed here.
SELECT 1;
