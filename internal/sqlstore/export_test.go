package sqlstore

import "context"

// SeedCalendar runs the start-up seeding of the calendar again, for tests.
func (db *DB) SeedCalendar(ctx context.Context) error { return db.seedCalendar(ctx) }

// ExecForTest runs SQL on the writer, for tests that take a database back
// to an earlier schema.
func (db *DB) ExecForTest(ctx context.Context, q string) error {
	_, err := db.write.ExecContext(ctx, q)
	return err
}
