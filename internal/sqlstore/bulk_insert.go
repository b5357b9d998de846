package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"lianluo"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The bulk load's writing (bulk.go): multi-row INSERTs, each statement
// prepared once per transaction, and the statistics kept up by difference
// while their triggers rest.

// bulkInserter writes rows of one table many to a statement, each statement
// prepared once per transaction.
type bulkInserter struct {
	tx      *Tx
	head    string   // INSERT INTO t (cols) VALUES
	tail    string   // after the rows: ON CONFLICT …
	row     []string // one row's value expressions, $1 … $k numbered from 1
	nparams int
	per     int // rows a statement
	args    []any
	rows    int
	stmts   map[int]*sql.Stmt
}

// newBulkInserter prepares rows of the table: row holds the value
// expressions of one row with placeholders $1…$k (k = params), which may be
// used more than once, e.g. "to_tsvector('simple', $3)".
func (tx *Tx) newBulkInserter(table, cols string, params int, row ...string) *bulkInserter {
	// SQLite binds at most 32,766 parameters a statement, PostgreSQL 65,535.
	per := min(500, 30000/params)
	return &bulkInserter{tx: tx, head: `INSERT INTO ` + table + ` (` + cols + `) VALUES `, row: row, nparams: params, per: per,
		stmts: map[int]*sql.Stmt{}}
}

func (b *bulkInserter) add(args ...any) error {
	if len(args) != b.nparams {
		return fmt.Errorf("bulk insert %s: %d values for %d parameters", b.head, len(args), b.nparams)
	}
	b.args = append(b.args, args...)
	b.rows++
	return nil
}

// flush writes the rows added, per rows a statement.
func (b *bulkInserter) flush(ctx context.Context) error {
	for b.rows > 0 {
		n := min(b.rows, b.per)
		st := b.stmts[n]
		if st == nil {
			var sb strings.Builder
			sb.WriteString(b.head)
			for r := range n {
				if r > 0 {
					sb.WriteString(", ")
				}
				sb.WriteByte('(')
				for j, e := range b.row {
					if j > 0 {
						sb.WriteString(", ")
					}
					if b.tx.db.Dialect == SQLite {
						// Anonymous parameters: SQLite finds a numbered
						// one's name by a linear search, which makes
						// binding quadratic in the statement's parameters.
						sb.WriteString(anonymous(e))
					} else {
						sb.WriteString(renumber(e, r*b.nparams))
					}
				}
				sb.WriteByte(')')
			}
			sb.WriteString(b.tail)
			var err error
			if st, err = b.tx.tx.PrepareContext(ctx, sb.String()); err != nil {
				return err
			}
			b.stmts[n] = st
		}
		if _, err := st.ExecContext(ctx, normArgs(b.args[:n*b.nparams])...); err != nil {
			return fmt.Errorf("%s…: %w", b.head, err)
		}
		b.args = b.args[n*b.nparams:]
		b.rows -= n
	}
	b.args = b.args[:0]
	return nil
}

func (b *bulkInserter) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// renumber adds off to every $N placeholder of e.
func renumber(e string, off int) string {
	if off == 0 {
		return e
	}
	var sb strings.Builder
	for i := 0; i < len(e); i++ {
		if e[i] != '$' {
			sb.WriteByte(e[i])
			continue
		}
		j := i + 1
		for j < len(e) && e[j] >= '0' && e[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(e[i+1 : j])
		sb.WriteString("$" + strconv.Itoa(n+off))
		i = j - 1
	}
	return sb.String()
}

// anonymous replaces every $N placeholder of e with ?: on SQLite each row
// uses its parameters once, in order.
func anonymous(e string) string {
	var sb strings.Builder
	for i := 0; i < len(e); i++ {
		if e[i] != '$' {
			sb.WriteByte(e[i])
			continue
		}
		sb.WriteByte('?')
		for i+1 < len(e) && e[i+1] >= '0' && e[i+1] <= '9' {
			i++
		}
	}
	return sb.String()
}

// ph returns "$1", …, "$n".
func ph(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "$" + strconv.Itoa(i+1)
	}
	return out
}

// utc is t in UTC to the microsecond, as both databases keep it; nil stays nil.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// bulkStatsTables are the tables whose triggers mark changed cases in
// stats_dirty (migration 0010).
var bulkStatsTables = []string{"cases", "case_events", "case_replies", "case_ratings", "case_units", "case_deputies"}

// suspendStatsTriggers turns off, for this transaction, the triggers that
// mark inserted case rows in stats_dirty (a mark for each of a dozen rows a
// case, to be deleted again, as bulkWrite writes the facts directly), and
// returns the function that turns them on again, as they were, before the
// transaction commits. Both happen in the one transaction, so no one else
// ever sees them off. SQLite: the insert triggers are dropped and created
// again from their SQL; PostgreSQL: ALTER TABLE … DISABLE/ENABLE TRIGGER
// (which also keeps other writers of those tables waiting until the commit).
func (tx *Tx) suspendStatsTriggers(ctx context.Context) (restore func() error, err error) {
	var w where
	q := `SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%stats_insert' AND tbl_name IN `
	if tx.db.Dialect == Postgres {
		q = `SELECT c.relname, t.tgname, '' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
			WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgname LIKE '%stats' AND c.relname IN `
	}
	return tx.setTriggersAside(ctx, q+inArgs(&w, bulkStatsTables)+` ORDER BY 2`, w.args)
}

// setTriggersAside turns off, for this transaction, the triggers q finds
// (rows of table, name and, on SQLite, the trigger's SQL), and returns the
// function that turns them on again, as they were, before the transaction
// commits. SQLite: dropped and created again from their SQL; PostgreSQL:
// ALTER TABLE … DISABLE/ENABLE TRIGGER.
func (tx *Tx) setTriggersAside(ctx context.Context, q string, args []any) (restore func() error, err error) {
	type trigger struct{ table, name, sql string }
	var ts []trigger
	err = scanEach(ctx, tx.conn, q, args, func(sc func(...any) error) error {
		var t trigger
		if err := sc(&t.table, &t.name, &t.sql); err != nil {
			return err
		}
		if !searchName.MatchString(t.table) || !searchName.MatchString(t.name) {
			return fmt.Errorf("trigger %q on %q", t.name, t.table)
		}
		ts = append(ts, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		q := `DROP TRIGGER ` + t.name
		if tx.db.Dialect == Postgres {
			q = `ALTER TABLE ` + t.table + ` DISABLE TRIGGER ` + t.name
		}
		if _, err := tx.Exec(ctx, q); err != nil {
			return nil, err
		}
	}
	return func() error {
		for _, t := range ts {
			q := t.sql
			if tx.db.Dialect == Postgres {
				q = `ALTER TABLE ` + t.table + ` ENABLE TRIGGER ` + t.name
			}
			if _, err := tx.tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("restore trigger %s: %w", t.name, err)
			}
		}
		return nil
	}, nil
}

// addRollups adds the figures of new cases to case_rollups: applyRollupDelta
// for additions only, many rows to a statement.
func (tx *Tx) addRollups(ctx context.Context, delta map[rollupKey]*figures) error {
	set := make([]string, len(factCols))
	for i, c := range factCols {
		set[i] = c + " = case_rollups." + c + " + excluded." + c
	}
	n := 8 + len(factCols)
	b := tx.newBulkInserter("case_rollups", "gset, month, region_code, station_id, category, channel, unit_id, status, "+
		strings.Join(factCols, ", "), n, ph(n)...)
	defer b.close()
	b.tail = ` ON CONFLICT (gset, month, region_code, station_id, category, channel, unit_id, status) DO UPDATE SET ` + strings.Join(set, ", ")
	for k, d := range delta {
		args := []any{k.gset, k.month, k.region, k.station, k.category, k.channel, k.unit, k.status}
		for _, v := range d {
			args = append(args, v)
		}
		if err := b.add(args...); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

// factArgs are the values of a case_facts row in insertFactRows' order.
func (r *factRow) factArgs() []any {
	out := []any{r.caseID, r.day, r.month, r.region, r.station, r.category, r.channel, r.unit, r.status, r.due}
	for _, f := range r.figs {
		out = append(out, f)
	}
	return out
}

// bulkStatsCase is what loadStatsCases would read back for the case as
// bulkWrite writes it.
func bulkStatsCase(c *lianluo.Case) *statsCase {
	s := &statsCase{round: max(c.Round, 1), origDue: utc(c.OriginalDue), region: c.RegionCode, stationID: c.StationID,
		category: c.Category, channel: c.Channel}
	s.facts.RegisteredAt = *utc(&c.CreatedAt)
	s.facts.Status = c.Status
	s.facts.DueDate = utc(c.DueDate)
	s.facts.ReceivedByDeputy = len(c.ReceivedBy) > 0
	for _, e := range c.Events {
		if e.Action == lianluo.ActTriage {
			s.facts.Triage = triageOutcome(e.To)
		}
		if e.Action == lianluo.ActApprove {
			s.approveAt = append(s.approveAt, approveNote{*utc(&e.At), e.Comment})
		}
		switch e.To {
		case lianluo.StatusAssigned:
			s.facts.EverAssigned = true
		case lianluo.StatusAwaitingEvaluation:
			s.facts.EverAwaitingEvaluation = true
		}
	}
	if r := c.Reply; r != nil {
		s.facts.FirstReplyAt, s.replyRnd = utc(&r.At), r.Round
	}
	ratings := slices.Clone(c.Ratings)
	slices.SortStableFunc(ratings, func(a, b lianluo.Rating) int { return a.Round - b.Round })
	for _, r := range ratings {
		if r.By == lianluo.ByDeputy {
			s.facts.DeputyRating = r.Rating
		} else {
			s.facts.VoterRating = r.Rating
		}
	}
	// The lead unit of the latest round that has one (all are active), as
	// the loader's ORDER BY round leaves it.
	units := slices.Clone(c.Units)
	slices.SortStableFunc(units, func(a, b lianluo.CaseUnit) int { return a.Round - b.Round })
	for _, u := range units {
		if u.Lead {
			id := u.OrgID
			s.leadUnit = &id
		}
	}
	s.facts.DueAtFirstReply = s.dueAtFirstReply()
	return s
}
