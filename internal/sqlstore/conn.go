package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// A conn runs the store's statements on a pool or a transaction: the
// placeholders rewritten for SQLite, times in UTC, and SQLite's statements
// kept prepared.

// rebind rewrites $N placeholders to ?N for SQLite, skipping string literals.
func (db *DB) rebind(q string) string {
	if db.Dialect != SQLite {
		return q
	}
	if v, ok := db.rebinds.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	inStr := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c == '\'' {
			inStr = !inStr
		}
		if c == '$' && !inStr && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
			b.WriteByte('?')
			continue
		}
		b.WriteByte(c)
	}
	s := b.String()
	db.rebinds.Store(q, s)
	return s
}

// normArgs stores every time in UTC: SQLite compares time text lexically, so
// a +08:00 time would silently miss a matching UTC row.
func normArgs(args []any) []any {
	for i, a := range args {
		switch v := a.(type) {
		case time.Time:
			args[i] = v.UTC()
		case *time.Time:
			if v != nil {
				args[i] = v.UTC()
			} else {
				args[i] = nil
			}
		}
	}
	return args
}

// querier is the read surface shared by Tx and the read pool.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// conn wraps a pool or a transaction with placeholder rewriting.
type conn struct {
	db *DB
	q  querier
}

func (c conn) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	c.counted()
	q = c.db.rebind(q)
	if st := c.prepared(ctx, q); st != nil {
		return st.QueryContext(ctx, normArgs(args)...)
	}
	if st := c.db.batch.stmt(ctx, c.q, q); st != nil {
		return st.QueryContext(ctx, normArgs(args)...)
	}
	return c.q.QueryContext(ctx, q, normArgs(args)...)
}

func (c conn) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	c.counted()
	q = c.db.rebind(q)
	if st := c.prepared(ctx, q); st != nil {
		return st.QueryRowContext(ctx, normArgs(args)...)
	}
	if st := c.db.batch.stmt(ctx, c.q, q); st != nil {
		return st.QueryRowContext(ctx, normArgs(args)...)
	}
	return c.q.QueryRowContext(ctx, q, normArgs(args)...)
}

// prepared is the reader pool's prepared statement for q on SQLite, where
// preparing is a large part of a short query's cost (database/sql keeps
// it prepared on each reader connection); nil elsewhere, and once the
// cache is full (list queries vary with their filters).
func (c conn) prepared(ctx context.Context, q string) *sql.Stmt {
	if c.db.Dialect != SQLite || c.q != querier(c.db.read) {
		return nil
	}
	if st, ok := c.db.stmts.Load(q); ok {
		return st.(*sql.Stmt)
	}
	if c.db.stmtCount.Load() >= maxPrepared {
		return nil
	}
	st, err := c.db.read.PrepareContext(ctx, q)
	if err != nil {
		return nil // the query itself will say what is wrong
	}
	if old, loaded := c.db.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return old.(*sql.Stmt)
	}
	c.db.stmtCount.Add(1)
	return st
}

// maxPrepared bounds the reader's prepared statements.
const maxPrepared = 2000

func (c conn) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	c.counted()
	q = c.db.rebind(q)
	if st := c.db.batch.stmt(ctx, c.q, q); st != nil {
		return st.ExecContext(ctx, normArgs(args)...)
	}
	return c.q.ExecContext(ctx, q, normArgs(args)...)
}

func (c conn) counted() {
	if c.db.onQuery != nil {
		c.db.onQuery()
	}
}

// reader returns the read pool.
func (db *DB) reader() conn { return conn{db: db, q: db.read} }
