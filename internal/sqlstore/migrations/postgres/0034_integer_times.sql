-- Migration 0034: nothing to do on PostgreSQL, whose timestamptz is
-- already 8 bytes. On SQLite the timestamps stored as text become integers
-- (microseconds since the Unix epoch, integer_times.go). The file exists
-- because both dialects have the same migrations.
SELECT 1;
