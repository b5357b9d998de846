package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// exportColumns are what an export row needs of a case: its own columns,
// and per case the current lead unit, the latest reply and the latest
// rating of each evaluator, each a lookup on the case's primary key or a
// unique index (case_units, case_replies, case_ratings_once).
const exportColumns = `c.id, c.created_at, c.channel, COALESCE(s.name, ''), COALESCE(r.name, ''), c.category,
	c.title, c.content, c.status, c.due_at, c.tracking_code,
	c.submitter_name, c.submitter_address, c.confidential,
	COALESCE((SELECT o.name FROM case_units cu JOIN orgs o ON o.id = cu.org_id
		WHERE cu.case_id = c.id AND cu.active = TRUE AND cu.lead = TRUE ORDER BY cu.round DESC LIMIT 1), ''),
	COALESCE((SELECT rp.result FROM case_replies rp WHERE rp.case_id = c.id ORDER BY rp.round DESC LIMIT 1), ''),
	COALESCE((SELECT rp.content FROM case_replies rp WHERE rp.case_id = c.id ORDER BY rp.round DESC LIMIT 1), ''),
	COALESCE((SELECT rt.rating FROM case_ratings rt WHERE rt.case_id = c.id AND rt.by_kind = 'deputy' ORDER BY rt.round DESC, rt.id DESC LIMIT 1), ''),
	COALESCE((SELECT rt.rating FROM case_ratings rt WHERE rt.case_id = c.id AND rt.by_kind = 'voter' ORDER BY rt.round DESC, rt.id DESC LIMIT 1), '')`

// EachCaseForExport hands fn every case of the filter in the caller's
// scope — the rows the case list shows (caseListWhere) — masked, newest
// first, and returns how many it handed on.
//
// It reads lianluo.ExportBatch cases per query, each batch after the last
// id of the one before (keyset paging): memory stays that of one batch
// whatever the total, and no query or transaction stays open while fn
// writes, so an export of a million cases never holds the database for
// minutes (a snapshot across batches is not needed: a case changing
// meanwhile is exported as it was when its batch was read).
//
// The export is recorded in the audit trail after the rows are read, in its
// own small transaction, with the filter and the exact row count. The
// caller writes the file out only after this returns (the sheet is built in
// a temporary file first), so nothing reaches the reader unless the audit
// row is committed; an export cut short by an error is recorded too, with
// the rows read so far.
func (db *DB) EachCaseForExport(ctx context.Context, f lianluo.CaseFilter, fn func(*lianluo.CaseExportRow) error) (n int, err error) {
	defer wrap(&err, "EachCaseForExport")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if !lianluo.CanExportCases(a) {
		return 0, lianluo.Forbidden()
	}
	w, from, order, err := db.caseListWhere(ctx, a, f)
	if err != nil {
		return 0, err
	}
	n, err = db.eachExportBatch(ctx, w, from, order, fn)
	summary := fmt.Sprintf("导出意见%d件（%s）", n, f.Text())
	if err != nil {
		summary += "，未完成"
	}
	// Without the request's cancellation: a reader who went away mid-export
	// still took the rows read so far.
	ctx = context.WithoutCancel(ctx)
	if aerr := db.transact(ctx, func(tx *Tx) error { return tx.event(ctx, lianluo.EntityCase, 0, lianluo.AuditExport, summary) }); aerr != nil && err == nil {
		err = aerr
	}
	return n, err
}

// eachExportBatch runs the batches of EachCaseForExport.
func (db *DB) eachExportBatch(ctx context.Context, w where, from, order string, fn func(*lianluo.CaseExportRow) error) (int, error) {
	n := 0
	var last *int64
	for {
		b := w
		b.clauses, b.args = slices.Clone(w.clauses), slices.Clone(w.args)
		if last != nil {
			b.add(order + " < " + b.arg(*last))
		}
		ids := `SELECT ` + order + ` AS id FROM ` + from + b.String() + ` ORDER BY ` + order + ` DESC LIMIT ` + b.arg(lianluo.ExportBatch)
		q := `SELECT ` + exportColumns + strings.Replace(caseFrom, " FROM cases c", " FROM ("+ids+") p JOIN cases c ON c.id = p.id", 1) +
			` ORDER BY c.id DESC`
		batch, err := db.readExportBatch(ctx, q, b.args)
		if err != nil {
			return n, err
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return n, err
			}
			n++
		}
		if len(batch) < lianluo.ExportBatch {
			return n, nil
		}
		last = &batch[len(batch)-1].ID
	}
}

// readExportBatch reads one batch into memory, masked, and closes the
// query before the rows are written out.
func (db *DB) readExportBatch(ctx context.Context, q string, args []any) ([]lianluo.CaseExportRow, error) {
	rows, err := db.reader().Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]lianluo.CaseExportRow, 0, lianluo.ExportBatch)
	for rows.Next() {
		var r lianluo.CaseExportRow
		var s lianluo.Submitter
		var confidential bool
		var due *time.Time
		if err := rows.Scan(&r.ID, &r.RegisteredAt, &r.Channel, &r.StationName, &r.RegionName, &r.Category,
			&r.Title, &r.Content, &r.Status, &due, &r.TrackingCode,
			&s.Name, &s.Address, &confidential,
			&r.LeadUnit, &r.ReplyResult, &r.ReplyContent, &r.DeputyRating, &r.VoterRating); err != nil {
			return nil, err
		}
		r.DueDate = due
		if s.Address, err = db.keys.open(s.Address); err != nil {
			return nil, err
		}
		r.Mask(s, confidential)
		out = append(out, r)
	}
	return out, rows.Err()
}
