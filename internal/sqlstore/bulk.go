package sqlstore

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/textsearch"
)

// Bulk loading of generated cases (lianluo demo --cases N): cases that
// already carry their whole history, written many to a statement in large
// transactions on the writer, without reading anything back. Every table a
// case worked through the services would touch, as far as lists, case
// pages, search and statistics read them, is written in the same
// transaction as the case:
//
//	cases           the row, its submitter sealed (fieldcrypt.go) with the
//	                phone's last four digits and look-up hash
//	cases_fts       SQLite: the search document, stored nowhere else
//	                (search.go); on PostgreSQL cases.search and search_tsv
//	case_deputies   the receiving deputies, beside the case's status
//	case_units      the handling units, signed or not, beside the case's status
//	case_replies    the reply
//	case_ratings    the ratings
//	case_events     the history, one step per action
//	case_facts      each case's figures, counted by the rules the rollups use
//	case_rollups    the monthly sums, moved by the difference (stats_rollup.go)
//
// As the facts and rollups are written here, the triggers' marks in
// stats_dirty are not wanted: the transaction turns the marking triggers
// off and on again before it commits (suspendStatsTriggers), and deletes
// any mark of its cases left. No audit event is
// written per case; one event records the load (AuditImport). Notifications,
// reception links and public answers are not written.

// bulkTxCases is how many cases one transaction writes.
const bulkTxCases = 20000

// BulkOptions are a bulk load's settings.
type BulkOptions struct {
	// Expected is how many cases the load will write, if known. A load of
	// at least bulkDeferMin cases and of at least as many as the database
	// holds creates the tables' indexes after its rows (bulk_indexes.go).
	Expected int
	// Progress, if not nil, is called after every commit with the number
	// of cases written so far, and with -1 when the indexes deferred are
	// being created again.
	Progress func(done int)
}

// BulkResult is what a bulk load wrote.
type BulkResult struct {
	Cases           int
	FirstID, LastID int64
}

// BulkCreateCases writes the cases of every batch received from batches, in
// transactions of about 20,000 cases, until batches is closed. Each case is
// a complete *lianluo.Case: its row (status, deadlines, dates), ReceivedBy,
// Units, Reply, Ratings and Events (the history, oldest first, the first
// being the registration); its OrgID is the NPC body whose queue holds it.
// IDs and tracking codes are the store's. Only the
// system administrator may load (the command line's lianluo.SystemActor).
// The load ends with one audit event summarising it.
func (db *DB) BulkCreateCases(ctx context.Context, batches <-chan []*lianluo.Case, opt BulkOptions) (res BulkResult, err error) {
	defer wrap(&err, "BulkCreateCases")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return res, err
	}
	if !a.IsSystemAdmin() {
		return res, lianluo.Forbidden()
	}
	if db.Dialect == SQLite {
		// A page cache of 256 MB for the load instead of the writer's
		// 16 MB: with the smaller one, dirty index pages spill to the WAL
		// over and over. (The writer's statement journals are in memory,
		// openSQLite.)
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
			return res, err
		}
		defer db.write.ExecContext(context.WithoutCancel(ctx), writerCacheSize)
	}
	deferred := false // the indexes dropped, to create again
	if opt.Expected >= bulkDeferMin {
		var have int64
		if err := db.reader().QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM cases`).Scan(&have); err != nil {
			return res, err
		}
		if int64(opt.Expected) >= have {
			if err := db.deferBulkIndexes(ctx); err != nil {
				return res, err
			}
			deferred = true
			// Created again below, also when the load fails; after a
			// crash, by the next Open.
			defer func() {
				if deferred {
					if e := db.restoreBulkIndexes(context.WithoutCancel(ctx)); err == nil {
						err = e
					}
				}
			}()
		}
	}
	// A goroutine does the work that needs no database — search documents,
	// sealing, the statistics facts — while the writer writes.
	prepared := make(chan []*bulkCase, 4)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(prepared)
		for b := range batches {
			out := make([]*bulkCase, len(b))
			for i, c := range b {
				out[i] = db.prepareBulkCase(c)
			}
			select {
			case prepared <- out:
			case <-stop:
				for range batches { // let the sender finish
				}
				return
			}
		}
	}()
	var pending []*bulkCase
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		first, last, err := db.bulkWrite(ctx, pending)
		if err != nil {
			return err
		}
		if res.FirstID == 0 {
			res.FirstID = first
		}
		res.LastID = last
		res.Cases += len(pending)
		pending = pending[:0]
		if opt.Progress != nil {
			opt.Progress(res.Cases)
		}
		return nil
	}
	// One audit event records what was written, also when a later
	// transaction fails.
	defer func() {
		if res.Cases == 0 {
			return
		}
		summary := fmt.Sprintf("批量生成演示意见%d件（编号%d—%d）", res.Cases, res.FirstID, res.LastID)
		if err != nil {
			summary += "，其后中断"
		}
		if e := db.transact(context.WithoutCancel(ctx), func(tx *Tx) error {
			return tx.event(ctx, lianluo.EntityCase, 0, lianluo.AuditImport, summary)
		}); err == nil {
			err = e
		}
	}()
	for b := range prepared {
		pending = append(pending, b...)
		if len(pending) >= bulkTxCases {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := flush(); err != nil {
		return res, err
	}
	if deferred {
		deferred = false
		if opt.Progress != nil {
			opt.Progress(-1)
		}
		if err := db.restoreBulkIndexes(ctx); err != nil {
			return res, err
		}
	}
	if db.Dialect == Postgres {
		// The planner's statistics of the tables just filled: without
		// them the lists' plans are those of a small table until
		// autovacuum gets there (a category's page: 3.5 s, then 17 ms).
		// After the indexes: the statistics of an expression index
		// (cases_town_id, cases_district_id) are gathered only while it
		// exists, and without them a status list of a district office
		// took 1.7 s instead of 30 ms.
		if _, err := db.write.ExecContext(ctx, `ANALYZE cases, case_events, case_units, case_deputies, case_replies, case_ratings, case_facts`); err != nil {
			return res, err
		}
	}
	return res, nil
}

// bulkWrite writes cases in one transaction and returns their first and
// last ids. A tracking code already taken (one chance in about 10⁹ a case)
// fails the transaction, which is tried again with new codes.
func (db *DB) bulkWrite(ctx context.Context, cases []*bulkCase) (first, last int64, err error) {
	for attempt := 0; ; attempt++ {
		write := db.ownTransaction
		if db.Dialect == SQLite {
			write = db.bulkTransaction
		}
		err = write(ctx, func(tx *Tx) error {
			var err error
			first, last, err = tx.bulkWrite(ctx, cases)
			return err
		})
		if err == nil || !isUniqueViolation(err) || attempt >= 3 {
			return first, last, err
		}
	}
}

// bulkTransaction is ownTransaction for the bulk load on SQLite, with the
// writer's foreign keys off for the transaction and on again before any
// other transaction has the connection.
//
// Why: SQLite keeps a statement journal for every statement that writes
// several rows and may fail halfway, so that the failed statement alone can
// be undone: a copy of every page the statement changes, allocated and
// freed statement by statement (memjrnlWrite and its frees: about a fifth
// of the load's CPU time at 100,000 cases). A multi-row INSERT may fail
// halfway if it checks an immediate foreign key or a constraint whose
// conflict is ABORT, gives an explicit rowid, or computes an index
// expression. The history, deputies, units, replies and ratings of the
// cases need none of those: their inserts are INSERT OR ROLLBACK (a
// violated constraint undoes the whole transaction, which the load retries
// or gives up anyway) with no foreign keys, whose references bulkRefs
// checks once per transaction instead. The rows of cases, which would
// keep the journal whatever their conflict clause, go one a statement
// (tx.bulkWrite).
func (db *DB) bulkTransaction(ctx context.Context, fn func(tx *Tx) error) (err error) {
	c, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// PRAGMA foreign_keys does nothing inside a transaction: read it back.
		bg := context.WithoutCancel(ctx)
		on := 0
		_, e := c.ExecContext(bg, `PRAGMA foreign_keys = ON`)
		if e == nil {
			e = c.QueryRowContext(bg, `PRAGMA foreign_keys`).Scan(&on)
		}
		if e == nil && on != 1 {
			e = fmt.Errorf("foreign keys still off after the bulk transaction")
		}
		if e != nil {
			// Never hand the connection on without its foreign keys: the
			// pool opens a new one instead.
			c.Raw(func(any) error { return driver.ErrBadConn })
			if err == nil {
				err = e
			}
		}
		c.Close()
	}()
	if _, err := c.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	sqlTx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := db.newTx(ctx, sqlTx)
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// bulkRefs are the rows of other tables a bulk transaction's cases refer
// to, checked once at its end on SQLite, where the foreign keys are off for
// it (bulkTransaction).
type bulkRefs struct {
	stations, orgs, deputies map[int64]bool
	regions                  map[string]bool
}

func (r *bulkRefs) check(ctx context.Context, tx *Tx) error {
	for _, ref := range []struct {
		table, col string
		keys       []any
	}{
		{"stations", "id", mapKeys(r.stations)}, {"orgs", "id", mapKeys(r.orgs)},
		{"deputies", "id", mapKeys(r.deputies)}, {"regions", "code", mapKeys(r.regions)},
	} {
		if len(ref.keys) == 0 {
			continue
		}
		b, err := json.Marshal(ref.keys)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+ref.table+` WHERE `+ref.col+` IN (SELECT value FROM json_each($1))`,
			string(b)).Scan(&n); err != nil {
			return err
		}
		if n != len(ref.keys) {
			return fmt.Errorf("FOREIGN KEY constraint failed: %d of the %s the cases refer to do not exist", len(ref.keys)-n, ref.table)
		}
	}
	return nil
}

func mapKeys[K comparable](m map[K]bool) []any {
	keys := make([]any, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

const bulkCaseCols = `id, tracking_code, kind, channel, station_id, org_id, title, content, category, region_code, location,
	submitter_name, submitter_phone, submitter_address, submitter_id_number, submitter_phone_last4, submitter_phone_hmac,
	urgent, confidential, status, round, due_at, original_due_at, submitted_at, outcome, closed_at, archived_year,
	version, created_at, updated_at, search`

const bulkCaseParams = 31

// bulkCase is a case ready to write: what can be computed without the
// database, outside the transaction.
type bulkCase struct {
	c                        *lianluo.Case
	doc                      string
	phone, address, idNumber string // sealed
	last4, hmac              string
	submitted                *time.Time
	fact                     *factRow // caseID 0: set when written; nil if not counted
}

func (db *DB) prepareBulkCase(c *lianluo.Case) *bulkCase {
	b := &bulkCase{c: c, doc: textsearch.Document(c.Title, c.Content), phone: db.keys.seal(c.Submitter.Phone),
		address: db.keys.seal(c.Submitter.Address), idNumber: db.keys.seal(c.Submitter.IDNumber),
		last4: lianluo.PhoneTail(c.Submitter.Phone), hmac: db.keys.phoneHash(c.Submitter.Phone)}
	for _, e := range c.Events {
		if e.To == lianluo.StatusPendingApproval {
			b.submitted = utc(&e.At)
		}
	}
	b.fact = factRowOf(0, bulkStatsCase(c))
	return b
}

func (tx *Tx) bulkWrite(ctx context.Context, cases []*bulkCase) (first, last int64, err error) {
	db := tx.db
	if err := tx.statsLock(ctx); err != nil {
		return 0, 0, err
	}
	n := int64(len(cases))
	if db.Dialect == Postgres {
		// No other transaction inserts cases meanwhile, so the ids taken
		// here are a range of this transaction's alone.
		if _, err := tx.Exec(ctx, `LOCK TABLE cases IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return 0, 0, err
		}
		if err := tx.QueryRow(ctx, `SELECT nextval('cases_id_seq')`).Scan(&first); err != nil {
			return 0, 0, err
		}
		if _, err := tx.Exec(ctx, `SELECT setval('cases_id_seq', $1)`, first+n-1); err != nil {
			return 0, 0, err
		}
	} else {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM cases`).Scan(&first); err != nil {
			return 0, 0, err
		}
	}
	last = first + n - 1
	{
		restore, serr := tx.suspendStatsTriggers(ctx)
		if serr != nil {
			return 0, 0, serr
		}
		defer func() {
			if err == nil {
				err = restore() // before the commit: the triggers are never missing outside
			}
		}()
	}
	var marks int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM stats_dirty`).Scan(&marks); err != nil {
		return 0, 0, err
	}

	caseRow := ph(bulkCaseParams)
	caseCols := bulkCaseCols
	if db.Dialect == Postgres {
		caseCols += `, search_tsv`
		caseRow = append(caseRow, "to_tsvector('simple', $31)")
	}
	ins := map[string]*bulkInserter{
		"cases":    tx.newBulkInserter("cases", caseCols, bulkCaseParams, caseRow...),
		"fts":      tx.newBulkInserter("cases_fts", "rowid, search", 2, ph(2)...),
		"deputies": tx.newBulkInserter("case_deputies", "case_id, deputy_id, created_at, case_status", 4, ph(4)...),
		"units":    tx.newBulkInserter("case_units", "case_id, org_id, round, lead, active, signed_at, case_status", 7, ph(7)...),
		"replies":  tx.newBulkInserter("case_replies", "case_id, round, result, content, met_deputy, at", 6, ph(6)...),
		"ratings":  tx.newBulkInserter("case_ratings", "case_id, round, by_kind, rating, comment, at", 6, ph(6)...),
		"events": tx.newBulkInserter("case_events", "case_id, at, actor_name, action, from_status, to_status, comment", 7,
			ph(7)...),
		"facts": tx.newBulkInserter("case_facts", "case_id, day, month, region_code, station_id, category, channel, unit_id, status, due_at, "+
			strings.Join(factCols, ", "), 10+len(factCols), ph(10+len(factCols))...),
	}
	defer func() {
		for _, b := range ins {
			b.close()
		}
	}()
	refs := &bulkRefs{stations: map[int64]bool{}, orgs: map[int64]bool{}, deputies: map[int64]bool{}, regions: map[string]bool{}}
	if db.Dialect == SQLite {
		for name, b := range ins {
			if name != "fts" { // a virtual table's insert keeps its journal
				b.head = strings.Replace(b.head, "INSERT INTO", "INSERT OR ROLLBACK INTO", 1)
			}
		}
	}
	// The full-text rows go last, in large statements: FTS5 writes its
	// pending terms to disk whenever a later statement of the transaction
	// opens a savepoint, and many small flushes cost many merges.
	order := []string{"cases", "deputies", "units", "replies", "ratings", "events", "facts"}
	ins["fts"].per = 5000
	if db.Dialect == SQLite {
		// The rows of cases one a statement: a multi-row INSERT into
		// cases keeps a statement journal whatever its conflict clause
		// (the table's expression and partial indexes), and its pages'
		// copies, allocated and freed statement by statement, cost more
		// than a statement per row.
		ins["cases"].per = 1
	}
	// Every 200 cases the rows gathered are written, the cases first (the
	// other tables refer to them).
	flush := func() error {
		for _, name := range order {
			if err := ins[name].flush(ctx); err != nil {
				return err
			}
		}
		return nil
	}
	codes := map[string]bool{}
	delta := map[rollupKey]*figures{}
	for i, bc := range cases {
		c := bc.c
		if i > 0 && i%200 == 0 {
			if err := flush(); err != nil {
				return 0, 0, err
			}
		}
		id := first + int64(i)
		code := newTrackingCode()
		for codes[code] {
			code = newTrackingCode()
		}
		codes[code] = true
		if len(c.Events) == 0 {
			return 0, 0, fmt.Errorf("case %d (%s): no history", i, c.Title)
		}
		search := bc.doc // PostgreSQL: cases.search and its tsvector
		if db.Dialect == SQLite {
			search = "" // the document goes to cases_fts alone (search.go)
		}
		kind := c.Kind
		if kind == "" {
			kind = lianluo.KindOpinion
		}
		if err := ins["cases"].add(id, code, kind, c.Channel, c.StationID, c.OrgID, c.Title, c.Content, c.Category,
			c.RegionCode, c.Location, c.Submitter.Name, bc.phone, bc.address, bc.idNumber, bc.last4, bc.hmac,
			c.Urgent, c.Confidential, c.Status, max(c.Round, 1), utc(c.DueDate), utc(c.OriginalDue), bc.submitted, c.Outcome,
			utc(c.ClosedAt), c.ArchivedYear, len(c.Events), *utc(&c.CreatedAt), *utc(&c.Events[len(c.Events)-1].At), search); err != nil {
			return 0, 0, err
		}
		if c.StationID != nil {
			refs.stations[*c.StationID] = true
		}
		refs.orgs[c.OrgID] = true
		refs.regions[c.RegionCode] = true
		for _, d := range c.ReceivedBy {
			refs.deputies[d] = true
		}
		for _, u := range c.Units {
			refs.orgs[u.OrgID] = true
		}
		if db.Dialect == SQLite {
			if err := ins["fts"].add(id, bc.doc); err != nil {
				return 0, 0, err
			}
		}
		for _, d := range c.ReceivedBy {
			if err := ins["deputies"].add(id, d, *utc(&c.CreatedAt), c.Status); err != nil {
				return 0, 0, err
			}
		}
		for _, u := range c.Units {
			if err := ins["units"].add(id, u.OrgID, u.Round, u.Lead, true, utc(u.SignedAt), c.Status); err != nil {
				return 0, 0, err
			}
		}
		if r := c.Reply; r != nil {
			if err := ins["replies"].add(id, r.Round, r.Result, r.Content, r.MetDeputy, *utc(&r.At)); err != nil {
				return 0, 0, err
			}
		}
		for _, r := range c.Ratings {
			if err := ins["ratings"].add(id, r.Round, r.By, r.Rating, r.Comment, *utc(&r.At)); err != nil {
				return 0, 0, err
			}
		}
		for _, e := range c.Events {
			name := e.ActorName
			if name == "" {
				name = "系统"
			}
			if err := ins["events"].add(id, *utc(&e.At), name, e.Action, e.From, e.To, e.Comment); err != nil {
				return 0, 0, err
			}
		}
		if r := bc.fact; r != nil {
			r.caseID = id
			if err := ins["facts"].add(r.factArgs()...); err != nil {
				return 0, 0, err
			}
			addToRollups(delta, r, +1)
		}
	}
	if err := flush(); err != nil {
		return 0, 0, err
	}
	if db.Dialect == SQLite {
		if err := refs.check(ctx, tx); err != nil {
			return 0, 0, err
		}
	}
	if err := tx.addRollups(ctx, delta); err != nil {
		return 0, 0, err
	}
	// The marks of this transaction's cases: their facts are written.
	if _, err := tx.Exec(ctx, `DELETE FROM stats_dirty WHERE seq > $1 AND case_id >= $2 AND case_id <= $3`, marks, first, last); err != nil {
		return 0, 0, err
	}
	if err := ins["fts"].flush(ctx); err != nil {
		return 0, 0, err
	}
	return first, last, nil
}
