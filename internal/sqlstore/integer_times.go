package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Timestamps on SQLite: an integer, microseconds since 1970-01-01 UTC, in
// every column declared TIMESTAMP (migration 0034). The driver binds a
// time.Time so and reads such an integer back as a time.Time in UTC; text
// it still parses, so a database opened before the migration has run reads
// as before. Microseconds are what the store keeps anyway (timeResolution,
// and PostgreSQL's timestamptz). The text form it replaces, time.Time's
// String(), took 29 bytes and more with a fraction, in the row and in each
// index on the column; the integer takes 8. Order and comparisons are the
// same: both sort as the times do, and every argument is a time.Time.
const sqliteTimeParams = "_time_integer_format=unix_micro&_inttotime=1"

// SQLiteDSN is the driver's name for the SQLite file at path, with the
// timestamps as the store keeps them: what any other connection to a
// store's file (a test planting rows, a tool) must open.
func SQLiteDSN(path string) string { return "file:" + path + "?" + sqliteTimeParams }

// timeTextToMicros is SQL for the microseconds of the time text in column
// c as the driver wrote it before 0034 ("2006-01-02 15:04:05.999999999
// -0700 MST", always UTC since normArgs, any offset honoured), or a bare
// "2006-01-02[ 15:04:05]"; NULL if it is none of these. The fraction is cut
// to microseconds, as the store and the audit chain's hashes cut it.
func timeTextToMicros(c string) string {
	// k: where the space before the offset is, counted from the 20th
	// character (0: no offset).
	k := "instr(substr(" + c + ", 20), ' ')"
	sign := "(CASE substr(" + c + ", " + k + " + 20, 1) WHEN '-' THEN -1 ELSE 1 END)"
	offset := sign + " * (CAST(substr(" + c + ", " + k + " + 21, 2) AS INTEGER) * 3600 + CAST(substr(" + c + ", " + k + " + 23, 2) AS INTEGER) * 60)"
	frac := "(CASE WHEN substr(" + c + ", 20, 1) = '.' THEN CAST(substr(substr(" + c + ", 21, " + k + " - 2) || '000000', 1, 6) AS INTEGER) ELSE 0 END)"
	return "((unixepoch(substr(" + c + ", 1, 19)) - " + offset + ") * 1000000 + " + frac + ")"
}

// integerTimes is migration 0034's step on SQLite: every text value of a
// column declared TIMESTAMP, in every table, becomes its microseconds. A
// table's triggers are set aside while its rows are rewritten (the
// append-only histories refuse updates, and the statistics triggers would
// mark every case changed) and created again from their own SQL, in the
// same transaction. A value that is not a time text stops the migration,
// naming the table, column and row: nothing is guessed.
func integerTimes(ctx context.Context, tx *Tx) error {
	if tx.db.Dialect != SQLite {
		return nil
	}
	var tables []string
	err := scanEach(ctx, tx.conn, `SELECT name FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`, nil,
		func(sc func(...any) error) error {
			var t string
			if err := sc(&t); err != nil {
				return err
			}
			tables = append(tables, t)
			return nil
		})
	if err != nil {
		return err
	}
	for _, table := range tables {
		var cols []string
		err := scanEach(ctx, tx.conn, `SELECT name FROM pragma_table_info($1) WHERE upper(type) = 'TIMESTAMP' ORDER BY cid`, []any{table},
			func(sc func(...any) error) error {
				var c string
				if err := sc(&c); err != nil {
					return err
				}
				cols = append(cols, c)
				return nil
			})
		if err != nil {
			return err
		}
		if len(cols) == 0 {
			continue
		}
		if err := rewriteTimes(ctx, tx, table, cols); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// rewriteTimes turns the time texts in table's cols into microseconds.
func rewriteTimes(ctx context.Context, tx *Tx, table string, cols []string) error {
	if !searchName.MatchString(table) {
		return fmt.Errorf("table name %q", table)
	}
	type trigger struct{ name, sql string }
	var triggers []trigger
	err := scanEach(ctx, tx.conn, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 ORDER BY name`, []any{table},
		func(sc func(...any) error) error {
			var t trigger
			if err := sc(&t.name, &t.sql); err != nil {
				return err
			}
			if !searchName.MatchString(t.name) {
				return fmt.Errorf("trigger name %q", t.name)
			}
			triggers = append(triggers, t)
			return nil
		})
	if err != nil {
		return err
	}
	for _, t := range triggers {
		if _, err := tx.Exec(ctx, `DROP TRIGGER `+t.name); err != nil {
			return err
		}
	}
	var set, text []string
	for _, c := range cols {
		if !searchName.MatchString(c) {
			return fmt.Errorf("column name %q", c)
		}
		q := c
		set = append(set, q+" = CASE WHEN typeof("+q+") = 'text' THEN COALESCE("+timeTextToMicros(q)+", "+q+") ELSE "+q+" END")
		text = append(text, "typeof("+q+") = 'text'")
	}
	anyText := " WHERE " + strings.Join(text, " OR ")
	if _, err := tx.Exec(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+anyText); err != nil {
		return err
	}
	// Whatever is still text did not read as a time.
	for _, c := range cols {
		q := c
		var bad string
		err := tx.QueryRow(ctx, `SELECT `+q+` FROM `+table+` WHERE typeof(`+q+`) = 'text' LIMIT 1`).Scan(&bad)
		if err == nil {
			return fmt.Errorf("column %s holds %q, which is not a time", c, bad)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	for _, t := range triggers {
		if _, err := tx.Exec(ctx, t.sql); err != nil {
			return fmt.Errorf("trigger %s: %w", t.name, err)
		}
	}
	return nil
}
