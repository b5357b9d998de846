package sqlstore

import "context"

// SeedCalendar runs the start-up seeding of the calendar again, for tests.
func (db *DB) SeedCalendar(ctx context.Context) error { return db.seedCalendar(ctx) }
