package sqlstore

import (
	"context"
	"fmt"
	"time"

	"lianluo"
)

// 六个一 (docs/duty-records.md). The store fetches a year's facts — every
// record that could count, with its status — and lianluo.MeasureSixOnes
// decides what counts. Scope is the deputy's or the group's: whoever does
// not find the deputy (group) gets not found.

// DeputySixOnes measures a deputy's 六个一 in a year.
func (db *DB) DeputySixOnes(ctx context.Context, deputyID int64, year int) (_ *lianluo.SixOnes, err error) {
	defer wrap(&err, "DeputySixOnes(%d, %d)", deputyID, year)
	if err := checkSixOneYear(year); err != nil {
		return nil, err
	}
	c := db.reader()
	d, err := findDeputyByID(ctx, c, deputyID)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanReadDeputyRecord(lianluo.ActorFromContext(ctx), d.ID) {
		return nil, lianluo.NotFound("代表")
	}
	return deputySixOnes(ctx, c, d, year)
}

// deputySixOnes measures the 六个一 of a deputy the caller has found and may read.
func deputySixOnes(ctx context.Context, c conn, d *lianluo.Deputy, year int) (_ *lianluo.SixOnes, err error) {
	from, to := yearBounds(year)
	var facts []lianluo.SixOneFact
	if d.GroupID != nil {
		// Activities of the deputy's group they were invited to; the
		// attendance is the status.
		if facts, err = sixOneFacts(ctx, c, facts, lianluo.EvidenceActivity, `
			SELECT a.id, a.kind, i.attendance, a.starts_at
			FROM activities a JOIN occasion_invitees i ON i.kind = 'activity' AND i.occasion_id = a.id
			WHERE i.deputy_id = $1 AND a.group_id = $2 AND a.status <> 'cancelled'
				AND a.starts_at >= $3 AND a.starts_at < $4`, d.ID, *d.GroupID, from, to); err != nil {
			return nil, err
		}
	}
	for _, q := range []struct {
		kind, sql string
	}{
		{lianluo.EvidenceReception, `
			SELECT r.id, '', i.attendance, r.starts_at
			FROM receptions r JOIN occasion_invitees i ON i.kind = 'reception' AND i.occasion_id = r.id
			WHERE i.deputy_id = $1 AND r.status <> 'cancelled' AND r.starts_at >= $2 AND r.starts_at < $3`},
		{lianluo.EvidenceDiary, `
			SELECT id, '', status, visited_at FROM diary_entries
			WHERE deputy_id = $1 AND visited_at >= $2 AND visited_at < $3`},
		{lianluo.EvidenceCase, sixOneCasesSQL},
	} {
		if facts, err = sixOneFacts(ctx, c, facts, q.kind, q.sql, d.ID, from, to); err != nil {
			return nil, err
		}
	}
	if facts, err = dutyFacts(ctx, c, facts, d.ID, year); err != nil {
		return nil, err
	}
	if facts, err = suggestionFacts(ctx, c, facts, d.ID, from, to); err != nil {
		return nil, err
	}
	return &lianluo.SixOnes{Whose: lianluo.SixOnesDeputy, ID: d.ID, Name: d.Name, Year: year,
		Items: lianluo.MeasureSixOnes(lianluo.SixOnesDeputy, year, facts)}, nil
}

// GroupSixOnes measures a deputy group's 六个一 in a year, from the
// activities the group organised.
func (db *DB) GroupSixOnes(ctx context.Context, groupID int64, year int) (_ *lianluo.SixOnes, err error) {
	defer wrap(&err, "GroupSixOnes(%d, %d)", groupID, year)
	if err := checkSixOneYear(year); err != nil {
		return nil, err
	}
	c := db.reader()
	g, err := findGroupByID(ctx, c, groupID)
	if err != nil {
		return nil, err
	}
	from, to := yearBounds(year)
	facts, err := sixOneFacts(ctx, c, nil, lianluo.EvidenceActivity, `
		SELECT id, kind, status, starts_at FROM activities
		WHERE group_id = $1 AND starts_at >= $2 AND starts_at < $3`, g.ID, from, to)
	if err != nil {
		return nil, err
	}
	return &lianluo.SixOnes{Whose: lianluo.SixOnesGroup, ID: g.ID, Name: g.Name, Year: year,
		Items: lianluo.MeasureSixOnes(lianluo.SixOnesGroup, year, facts)}, nil
}

func checkSixOneYear(year int) error {
	if year < 2000 || year > 2100 {
		return lianluo.FieldError("year", "年份不正确。")
	}
	return nil
}

// yearBounds are the instants (UTC) a Beijing year starts and ends.
func yearBounds(year int) (time.Time, time.Time) {
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	return from.UTC(), from.AddDate(1, 0, 0).UTC()
}

// dayBounds are the year's first day and the next year's as the text the
// day columns hold (duty_records.done_on): "2026-01-01", "2027-01-01".
func dayBounds(year int) []any {
	return []any{fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)}
}

// confirmedDuties are the deputy's duty records of the year that count
// (confirmed), by the day of the deed: the record lists them, the
// handbook too.
func confirmedDuties(ctx context.Context, c conn, deputyID int64, year int) ([]lianluo.RecordDuty, error) {
	var out []lianluo.RecordDuty
	err := scanEach(ctx, c, `SELECT id, done_on, kind, description FROM duty_records
		WHERE deputy_id = $1 AND status = $2 AND done_on >= $3 AND done_on < $4 ORDER BY done_on, id`,
		append([]any{deputyID, string(lianluo.DutyConfirmed)}, dayBounds(year)...), func(sc func(...any) error) error {
			var r lianluo.RecordDuty
			var kind string
			if err := sc(&r.ID, &r.Date, &kind, &r.Description); err != nil {
				return err
			}
			r.Kind, r.Description = lianluo.DutyKind(kind).Name(), lianluo.MaskPhonesIn(r.Description)
			out = append(out, r)
			return nil
		})
	return out, err
}

// sixOneFacts appends the rows of q — id, sub, status, time — as facts of
// the kind, dated by the Beijing day of the time.
func sixOneFacts(ctx context.Context, c conn, facts []lianluo.SixOneFact, kind, q string, args ...any) ([]lianluo.SixOneFact, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f := lianluo.SixOneFact{SixOneEvidence: lianluo.SixOneEvidence{Kind: kind}}
		var at time.Time
		if err := rows.Scan(&f.ID, &f.Sub, &f.Status, &at); err != nil {
			return nil, err
		}
		f.Date = at.In(lianluo.Beijing).Format("2006-01-02")
		facts = append(facts, f)
	}
	return facts, rows.Err()
}

// dutyFacts appends the deputy's duty records of the year, whatever their status.
func dutyFacts(ctx context.Context, c conn, facts []lianluo.SixOneFact, deputyID int64, year int) ([]lianluo.SixOneFact, error) {
	rows, err := c.Query(ctx, `SELECT id, kind, status, done_on FROM duty_records
		WHERE deputy_id = $1 AND done_on >= $2 AND done_on < $3 ORDER BY done_on, id`,
		append([]any{deputyID}, dayBounds(year)...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		f := lianluo.SixOneFact{SixOneEvidence: lianluo.SixOneEvidence{Kind: lianluo.EvidenceDutyRecord}}
		if err := rows.Scan(&f.ID, &f.Sub, &f.Status, &f.Date); err != nil {
			return nil, err
		}
		facts = append(facts, f)
	}
	return facts, rows.Err()
}

// sixOneCasesSQL lists the cases deputy $1 received (raised on a voter's
// behalf) registered in [$2, $3): a range of case_deputies_deputy_created.
// One handed to a unit is accepted.
const sixOneCasesSQL = `
	SELECT c.id, c.kind,
		CASE WHEN EXISTS (SELECT 1 FROM case_units u WHERE u.case_id = c.id) THEN '` + lianluo.CaseAccepted + `' ELSE c.status END,
		c.created_at
	FROM case_deputies cd JOIN cases c ON c.id = cd.case_id
	WHERE cd.deputy_id = $1 AND cd.created_at >= $2 AND cd.created_at < $3`
