package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// A large bulk load (bulk.go) into a database smaller than what it writes
// drops the secondary indexes of the tables it fills and creates them again
// at its end: an index created over the rows already there is one sort and
// one sequential write, where keeping it up row by row is a B-tree descent
// and an insertion per row, and once the indexes outgrow the page cache, a
// page read and written again per row (BENCHMARKS.md, "Bulk load").
//
// Only indexes that are neither unique nor a key go: a uniqueness check is
// a constraint the load relies on, and none of the tables' other
// constraints depend on an index. Each index dropped is recorded in
// bulk_deferred_indexes in the same transaction, so that if the load is
// interrupted (a crash, a kill) the next Open creates it again
// (restoreBulkIndexes). Meanwhile the lists read those tables without their
// indexes: a server using the database during such a load is slow, never
// wrong.

// bulkIndexedTables are the tables whose indexes a large load defers.
var bulkIndexedTables = []string{"cases", "case_events", "case_facts", "case_deputies", "case_units"}

// bulkDeferMin is the least number of cases a load must announce to defer
// the indexes, and it must also be at least as many as the cases already
// there: creating an index reads the whole table.
const bulkDeferMin = 50000

// deferBulkIndexes drops the bulk tables' secondary indexes and records
// them, in one transaction.
func (db *DB) deferBulkIndexes(ctx context.Context) error {
	return db.ownTransaction(ctx, func(tx *Tx) error {
		var w where
		in := inArgs(&w, bulkIndexedTables)
		q := `SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ` + in + ` ORDER BY name`
		if db.Dialect == Postgres {
			q = `SELECT indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ` + in +
				` ORDER BY indexname`
		}
		type index struct{ name, table, sql string }
		var drop []index
		err := scanEach(ctx, tx.conn, q, w.args, func(sc func(...any) error) error {
			var x index
			if err := sc(&x.name, &x.table, &x.sql); err != nil {
				return err
			}
			if !searchName.MatchString(x.name) {
				return fmt.Errorf("index %q", x.name)
			}
			if strings.HasPrefix(x.sql, "CREATE INDEX ") { // not UNIQUE, not a key
				drop = append(drop, x)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, x := range drop {
			if _, err := tx.Exec(ctx, `INSERT INTO bulk_deferred_indexes (name, table_name, sql) VALUES ($1, $2, $3)`,
				x.name, x.table, x.sql); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+x.name); err != nil {
				return err
			}
		}
		return nil
	})
}

// restoreBulkIndexes creates every index a bulk load deferred, each in a
// transaction of its own that also deletes its record. It is called at the
// load's end, failed or not, and by Open, which finds the records an
// interrupted load left.
func (db *DB) restoreBulkIndexes(ctx context.Context) error {
	type index struct{ name, sql string }
	var todo []index
	err := scanEach(ctx, db.reader(), `SELECT name, sql FROM bulk_deferred_indexes ORDER BY name`, nil, func(sc func(...any) error) error {
		var x index
		if err := sc(&x.name, &x.sql); err != nil {
			return err
		}
		todo = append(todo, x)
		return nil
	})
	if err != nil || len(todo) == 0 {
		return err
	}
	if db.Dialect == SQLite {
		// A large cache to sort in, as the load's. (A second thread for
		// the sorter, PRAGMA threads = 2, made no difference: 8.5–9.6 s
		// for 200,000 cases either way.)
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return err
		}
		defer db.write.ExecContext(context.WithoutCancel(ctx), writerCacheSize)
	}
	for _, x := range todo {
		q, ok := strings.CutPrefix(x.sql, "CREATE INDEX ")
		if !ok {
			return fmt.Errorf("deferred index %s: %q is not a CREATE INDEX", x.name, x.sql)
		}
		err := db.ownTransaction(ctx, func(tx *Tx) error {
			if db.Dialect == Postgres {
				if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `CREATE INDEX IF NOT EXISTS `+q); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `DELETE FROM bulk_deferred_indexes WHERE name = $1`, x.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("create index %s again: %w", x.name, err)
		}
	}
	return nil
}
