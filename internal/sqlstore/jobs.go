// The recurring jobs' claims: one run per period, across instances
// (internal/jobs runs the list; docs/architecture.md, "Adding a recurring job").

package sqlstore

import (
	"context"
	"fmt"
	"time"

	"lianluo"
)

// ClaimJob claims one run of the recurring job name for this instance: it
// reports true when the job is due (every period, aligned to multiples of
// every) and no other run holds it, and then holds it for lease or until
// FinishJob. With several instances each period's run goes to exactly one:
// the claim is a single conditional UPDATE, which PostgreSQL re-checks
// against the committed row when two instances race for it (and the single
// SQLite writer serialises).
func (db *DB) ClaimJob(ctx context.Context, name string, every, lease time.Duration) (ok bool, err error) {
	defer wrap(&err, "ClaimJob(%s)", name)
	if every <= 0 || lease <= 0 {
		return false, fmt.Errorf("every and lease must be positive")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		// A job never seen before is due at once.
		if _, err := tx.Exec(ctx, `INSERT INTO jobs (name, run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, tx.now); err != nil {
			return err
		}
		// The next run is at the next multiple of every: a fresh "now + every"
		// would drift, and a ticker firing a hair early would skip a period.
		next := tx.now.Truncate(every).Add(every)
		res, err := tx.Exec(ctx, `
			UPDATE jobs SET run_at = $1, locked_until = $2, started_at = $3, runs = runs + 1
			WHERE name = $4 AND run_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)`,
			next, tx.now.Add(lease), tx.now, name)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// FinishJob releases the job claimed by ClaimJob and records the run's
// result (or error) for the administrator.
func (db *DB) FinishJob(ctx context.Context, name, result string, runErr error) (err error) {
	defer wrap(&err, "FinishJob(%s)", name)
	msg := ""
	if runErr != nil {
		msg = lianluo.Truncate(runErr.Error(), 1000)
	}
	return db.transact(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE jobs SET locked_until = NULL, finished_at = $1, result = $2, last_error = $3 WHERE name = $4`,
			tx.now, lianluo.Truncate(result, 1000), msg, name)
		return err
	})
}
