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
// "2006-01-02[ 15:04:05]"; NULL if it does not begin so. The fraction is
// cut to microseconds, as the store and the audit chain's hashes cut it.
// The text must begin as a date (GLOB), and the date is counted in integer
// arithmetic (days from the civil date, after Howard Hinnant's algorithm),
// so that nothing else SQLite's date functions would accept
// ("2026-03-01T08:00", "now") passes for one.
func timeTextToMicros(c string) string {
	return strings.NewReplacer("{c}", c).Replace(`(CASE WHEN {c} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
		OR {c} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9]*' THEN
		((` + civilDays + `) * 86400
			+ CAST(substr({c}, 12, 2) AS INTEGER) * 3600 + CAST(substr({c}, 15, 2) AS INTEGER) * 60 + CAST(substr({c}, 18, 2) AS INTEGER)
			- ` + textOffset + `) * 1000000
		+ (CASE WHEN substr({c}, 20, 1) = '.' THEN CAST(substr(substr({c}, 21, instr(substr({c}, 20), ' ') - 2) || '000000', 1, 6) AS INTEGER) ELSE 0 END)
	END)`)
}

// civilDays is SQL for the days from 1970-01-01 to the date at the start
// of {c}: y is the year counted from March (January and February belong to
// the year before), era its 400-year cycle, yoe the year in it, and the
// day of that year from the month shifted to start in March.
var civilDays = strings.NewReplacer(
	"{y}", "(CAST(substr({c}, 1, 4) AS INTEGER) - (CAST(substr({c}, 6, 2) AS INTEGER) <= 2))",
	"{doy}", "((153 * ((CAST(substr({c}, 6, 2) AS INTEGER) + 9) % 12) + 2) / 5 + CAST(substr({c}, 9, 2) AS INTEGER) - 1)",
).Replace(`({y} / 400) * 146097 + ({y} - ({y} / 400) * 400) * 365 + ({y} - ({y} / 400) * 400) / 4 - ({y} - ({y} / 400) * 400) / 100 + {doy} - 719468`)

// textOffset is SQL for the seconds east of UTC of the offset that follows
// the time in {c} (" +0800 CST"), 0 when there is none: k is where the
// space before it is, counted from the 20th character.
var textOffset = strings.NewReplacer("{k}", "instr(substr({c}, 20), ' ')").Replace(
	`(CASE substr({c}, {k} + 20, 1) WHEN '-' THEN -1 ELSE 1 END) * (CAST(substr({c}, {k} + 21, 2) AS INTEGER) * 3600 + CAST(substr({c}, {k} + 23, 2) AS INTEGER) * 60)`)

// integerTimes is migration 0034's step on SQLite: every text value of a
// column declared TIMESTAMP, in every table, becomes its microseconds. A
// table's triggers are set aside while its rows are rewritten (the
// append-only histories refuse updates, and the statistics triggers would
// mark every case changed) and created again from their own SQL, in the
// same transaction. A value that is not a time text stops the migration,
// naming the table, column and value: nothing is guessed.
func integerTimes(ctx context.Context, tx *Tx) error {
	if tx.db.Dialect != SQLite {
		return nil
	}
	cols, err := timeColumns(ctx, tx.conn)
	if err != nil {
		return err
	}
	for i := 0; i < len(cols); {
		j := i
		var names []string
		for ; j < len(cols) && cols[j].table == cols[i].table; j++ {
			names = append(names, cols[j].name)
		}
		if err := rewriteTimes(ctx, tx, cols[i].table, names); err != nil {
			return fmt.Errorf("%s: %w", cols[i].table, err)
		}
		i = j
	}
	return nil
}

// column is a table's column.
type column struct{ table, name string }

// timeColumns are the columns declared TIMESTAMP of every table, by table.
func timeColumns(ctx context.Context, c conn) ([]column, error) {
	var cols []column
	err := scanEach(ctx, c, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) = 'TIMESTAMP' ORDER BY m.name, p.cid`, nil,
		func(sc func(...any) error) error {
			var col column
			if err := sc(&col.table, &col.name); err != nil {
				return err
			}
			cols = append(cols, col)
			return nil
		})
	return cols, err
}

// rewriteTimes turns the time texts in table's cols into microseconds.
func rewriteTimes(ctx context.Context, tx *Tx, table string, cols []string) error {
	if !searchName.MatchString(table) {
		return fmt.Errorf("table name %q", table)
	}
	restore, err := tx.setTriggersAside(ctx, `SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 ORDER BY name`,
		[]any{table})
	if err != nil {
		return err
	}
	var set, text []string
	for _, c := range cols {
		if !searchName.MatchString(c) {
			return fmt.Errorf("column name %q", c)
		}
		set = append(set, c+" = CASE WHEN typeof("+c+") = 'text' THEN COALESCE("+timeTextToMicros(c)+", "+c+") ELSE "+c+" END")
		text = append(text, "typeof("+c+") = 'text'")
	}
	if _, err := tx.Exec(ctx, `UPDATE `+table+` SET `+strings.Join(set, ", ")+` WHERE `+strings.Join(text, " OR ")); err != nil {
		return err
	}
	// Whatever is still text did not read as a time.
	for _, c := range cols {
		var bad string
		err := tx.QueryRow(ctx, `SELECT `+c+` FROM `+table+` WHERE typeof(`+c+`) = 'text' LIMIT 1`).Scan(&bad)
		if err == nil {
			return fmt.Errorf("column %s holds %q, which is not a time", c, bad)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return restore()
}
