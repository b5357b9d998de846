package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// Deputies' diaries (民情日记 — 003). A deputy writes their
// own entries (003 一: 本人亲自填写) and nobody else edits them; the office
// over the deputy's region and the staff of the deputy's stations read
// them with the voter's details masked. The voter confirms an entry by a
// signature on the deputy's screen or by an SMS code, after which it is
// locked.

// scopeDiary: a deputy sees their own entries; the office their region's
// deputies' entries; station staff those of their stations' deputies.
func scopeDiary(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, alias+".region_code", s.Regions)
	if st := a.StaffStations(); len(st) > 0 {
		or = append(or, alias+".deputy_id IN (SELECT deputy_id FROM station_deputies WHERE station_id IN "+w.in(st)+")")
	}
	if len(s.Deputies) > 0 {
		or = append(or, alias+".deputy_id IN "+w.in(s.Deputies))
	}
	addOr(w, or)
}

// staffsDeputy reports whether the actor is the office over the entry's
// region or staff at one of the deputy's stations.
func staffsDeputy(ctx context.Context, c conn, a *lianluo.Actor, e *lianluo.DiaryEntry) (bool, error) {
	if a.CanManageRegion(e.RegionCode) || (a.Scope.InRegion(e.RegionCode) && a.HasAny(lianluo.RoleNPCLeader)) {
		return true, nil
	}
	st := a.StaffStations()
	if len(st) == 0 {
		return false, nil
	}
	var w where
	q := `SELECT COUNT(*) FROM station_deputies WHERE deputy_id = ` + w.arg(e.DeputyID) + ` AND station_id IN ` + w.in(st)
	var n int
	if err := c.QueryRow(ctx, q, w.args...).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// maskVoter hides the voter's phone and address from everyone but the
// deputy who wrote the entry; the name stays for the staff who read it.
func maskVoter(a *lianluo.Actor, e *lianluo.DiaryEntry) {
	if a != nil && lianluo.OwnsDiary(a, e) {
		return
	}
	v := &e.Voter
	v.Phone = lianluo.MaskPhone(v.Phone)
	if r := []rune(v.Address); len(r) > 6 {
		v.Address = string(r[:6]) + "****"
	}
	v.Masked = true
}

const diaryColumns = `e.id, e.deputy_id, d.name, e.region_code, e.visited_at, e.place, e.voter_name, e.voter_phone, e.voter_address,
	e.content, e.handling, e.category, e.status, e.confirmed_by, e.confirmed_at, e.case_id,
	COALESCE(c.tracking_code, ''), COALESCE(c.status, ''), e.version, e.created_at, e.updated_at`

const diaryFrom = ` FROM diary_entries e JOIN deputies d ON d.id = e.deputy_id LEFT JOIN cases c ON c.id = e.case_id`

// scanDiary reads a row of diaryColumns and opens the voter's sealed
// phone and address (fieldcrypt.go).
func scanDiary(kr *keyring, sc interface{ Scan(...any) error }, e *lianluo.DiaryEntry, extra ...any) error {
	err := sc.Scan(append([]any{&e.ID, &e.DeputyID, &e.DeputyName, &e.RegionCode, &e.VisitedAt, &e.Place,
		&e.Voter.Name, &e.Voter.Phone, &e.Voter.Address, &e.Content, &e.Handling, &e.Category, &e.Status,
		&e.ConfirmedBy, &e.ConfirmedAt, &e.CaseID, &e.CaseCode, &e.CaseStatus, &e.Version, &e.CreatedAt, &e.UpdatedAt}, extra...)...)
	e.VisitedAt = e.VisitedAt.In(lianluo.Beijing)
	if err == nil {
		err = kr.openAll(&e.Voter.Phone, &e.Voter.Address)
	}
	return err
}

// findDiary loads an entry (unmasked) inside the caller's scope.
func findDiary(ctx context.Context, c conn, id int64) (*lianluo.DiaryEntry, error) {
	var w where
	w.add("e.id = " + w.arg(id))
	scopeDiary(&w, lianluo.ActorFromContext(ctx), "e")
	var e lianluo.DiaryEntry
	err := scanDiary(c.db.keys, c.QueryRow(ctx, `SELECT `+diaryColumns+diaryFrom+w.String(), w.args...), &e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("民情日记")
	}
	return &e, err
}

// checkCategory accepts an empty category or an active one of the list.
func checkCategory(ctx context.Context, c conn, field, name string) error {
	if name == "" {
		return nil
	}
	var n int
	if err := c.QueryRow(ctx, `SELECT COUNT(*) FROM categories WHERE name = $1 AND active = TRUE`, name).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return lianluo.FieldError(field, "请从列表中选择类别。")
	}
	return nil
}

// checkDiary validates an entry's fields against the store: the visit
// time parses and is not in the future, the category exists.
func checkDiary(ctx context.Context, c conn, in *lianluo.DiaryInput, now time.Time) (time.Time, error) {
	if err := in.Validate(); err != nil {
		return time.Time{}, err
	}
	at, err := parseLocalTime("visited_at", in.VisitedAt)
	if err != nil {
		return at, lianluo.FieldError("visited_at", "走访时间格式应为 2026-03-02T09:30。")
	}
	if at.After(now.Add(10 * time.Minute)) {
		return at, lianluo.FieldError("visited_at", "走访时间不能晚于现在。")
	}
	if at.Before(now.AddDate(-1, 0, 0)) {
		return at, lianluo.FieldError("visited_at", "只能补记一年以内的走访。")
	}
	return at, checkCategory(ctx, c, "category", in.Category)
}

// CreateDiaryEntry records a deputy's visit, as the deputy's own entry.
func (db *DB) CreateDiaryEntry(ctx context.Context, in lianluo.DiaryInput) (_ *lianluo.DiaryEntry, err error) {
	defer wrap(&err, "CreateDiaryEntry")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	// 003 一: 民情日记必须由代表本人亲自填写.
	if !a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0 {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "民情日记须由代表本人填写。")
	}
	deputyID := a.Scope.Deputies[0]
	if in.DeputyID != 0 {
		if !slices.Contains(a.Scope.Deputies, in.DeputyID) {
			return nil, lianluo.FieldError("deputy_id", "只能填写您本人的民情日记。")
		}
		deputyID = in.DeputyID
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		at, err := checkDiary(ctx, tx.conn, &in, tx.now)
		if err != nil {
			return err
		}
		var region string
		if err := tx.QueryRow(ctx, `SELECT region_code FROM deputies WHERE id = $1`, deputyID).Scan(&region); err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO diary_entries (
				deputy_id,
				region_code,
				visited_at,
				place,
				voter_name,
				voter_phone,
				voter_address,
				content,
				handling,
				category,
				status,
				created_by,
				version,
				created_at,
				updated_at,
				voter_phone_last4,
				voter_phone_hmac
			) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, 1, $12, $12, $13, $14)
			RETURNING id`,
			deputyID, region, at.UTC(), in.Place, in.VoterName, tx.db.keys.seal(in.VoterPhone), tx.db.keys.seal(in.VoterAddress), in.Content, in.Handling,
			in.Category, userRef(a), tx.now, lianluo.PhoneTail(in.VoterPhone), tx.db.keys.phoneHash(in.VoterPhone)).Scan(&id)
		if err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDiary, id, lianluo.AuditCreate, "记录民情日记："+lianluo.Truncate(in.Place, 30))
	})
	if err != nil {
		return nil, err
	}
	return db.FindDiaryEntryByID(ctx, id)
}

// FindDiaryEntries lists entries in scope, latest visit first.
func (db *DB) FindDiaryEntries(ctx context.Context, f lianluo.DiaryFilter) (_ []*lianluo.DiaryEntry, _ int, err error) {
	defer wrap(&err, "FindDiaryEntries")
	a := lianluo.ActorFromContext(ctx)
	var w where
	scopeDiary(&w, a, "e")
	if f.DeputyID != 0 {
		w.add("e.deputy_id = " + w.arg(f.DeputyID))
	}
	if f.Region != "" {
		w.add(regionRange(&w, "e.region_code", f.Region))
	}
	if f.From != nil {
		w.add("e.visited_at >= " + w.arg(f.From.UTC()))
	}
	if f.To != nil {
		w.add("e.visited_at < " + w.arg(f.To.UTC()))
	}
	list, total, err := queryList(ctx, db.reader(), `SELECT `+diaryColumns+`, COUNT(*) OVER ()`+diaryFrom+w.String()+
		` ORDER BY e.visited_at DESC, e.id DESC`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, e *lianluo.DiaryEntry, n *int) error {
			return scanDiary(db.keys, sc, e, n)
		})
	if err != nil {
		return nil, 0, err
	}
	for _, e := range list {
		maskVoter(a, e)
	}
	return list, total, nil
}

// FindDiaryEntryByID returns an entry in scope, the voter masked unless it is the caller's own.
func (db *DB) FindDiaryEntryByID(ctx context.Context, id int64) (_ *lianluo.DiaryEntry, err error) {
	defer wrap(&err, "FindDiaryEntryByID(%d)", id)
	e, err := findDiary(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	maskVoter(lianluo.ActorFromContext(ctx), e)
	return e, nil
}

// requireOwnDraft loads an entry the actor may change: their own, not yet
// confirmed and not yet turned into a case.
func requireOwnDraft(ctx context.Context, tx *Tx, a *lianluo.Actor, id int64) (*lianluo.DiaryEntry, error) {
	e, err := findDiary(ctx, tx.conn, id)
	if err != nil {
		return nil, err
	}
	if !lianluo.OwnsDiary(a, e) {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "只有记录这篇民情日记的代表本人可以修改或请选民确认。")
	}
	if e.Status == lianluo.DiaryConfirmed {
		return nil, lianluo.Errorf(lianluo.ESTATE, "这篇民情日记已经选民确认，不能再修改。")
	}
	if e.CaseID != nil {
		return nil, lianluo.Errorf(lianluo.ESTATE, "这篇民情日记已转为群众意见，不能再修改。")
	}
	return e, nil
}

// UpdateDiaryEntry edits the deputy's own unconfirmed entry.
func (db *DB) UpdateDiaryEntry(ctx context.Context, id int64, u lianluo.DiaryUpdate) (_ *lianluo.DiaryEntry, err error) {
	defer wrap(&err, "UpdateDiaryEntry(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		e, err := requireOwnDraft(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("该民情日记", u.Version, e.Version); err != nil {
			return err
		}
		in := lianluo.DiaryInput{VisitedAt: e.VisitedAt.Format(time.RFC3339), Place: e.Place, VoterName: e.Voter.Name,
			VoterPhone: e.Voter.Phone, VoterAddress: e.Voter.Address, Content: e.Content, Handling: e.Handling, Category: e.Category}
		for _, p := range []struct {
			from *string
			to   *string
		}{{u.VisitedAt, &in.VisitedAt}, {u.Place, &in.Place}, {u.VoterName, &in.VoterName}, {u.VoterPhone, &in.VoterPhone},
			{u.VoterAddress, &in.VoterAddress}, {u.Content, &in.Content}, {u.Handling, &in.Handling}, {u.Category, &in.Category}} {
			if p.from != nil {
				*p.to = *p.from
			}
		}
		at, err := checkDiary(ctx, tx.conn, &in, tx.now)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `
			UPDATE diary_entries SET
				visited_at = $1,
				place = $2,
				voter_name = $3,
				voter_phone = $4,
				voter_address = $5,
				content = $6,
				handling = $7,
				category = $8,
				version = version + 1,
				updated_at = $9,
				voter_phone_last4 = $12,
				voter_phone_hmac = $13
			WHERE id = $10 AND version = $11 AND status = 'draft'`,
			at.UTC(), in.Place, in.VoterName, tx.db.keys.seal(in.VoterPhone), tx.db.keys.seal(in.VoterAddress), in.Content, in.Handling, in.Category, tx.now, id, u.Version,
			lianluo.PhoneTail(in.VoterPhone), tx.db.keys.phoneHash(in.VoterPhone))
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		var c changes
		c.str("地点", e.Place, in.Place)
		c.str("类别", e.Category, in.Category)
		if in.Content != e.Content || in.Handling != e.Handling || in.VoterName != e.Voter.Name ||
			in.VoterPhone != e.Voter.Phone || in.VoterAddress != e.Voter.Address || !at.Equal(e.VisitedAt) {
			c = append(c, "修改了走访记录")
		}
		return tx.event(ctx, lianluo.EntityDiary, id, lianluo.AuditUpdate, strings.Join(c, "；"))
	})
	if err != nil {
		return nil, err
	}
	return db.FindDiaryEntryByID(ctx, id)
}

// DiaryToCase registers an entry as a case (channel diary) with the
// voter's details, received by the deputy, at the deputy's station: once.
func (db *DB) DiaryToCase(ctx context.Context, id int64) (_ *lianluo.Case, err error) {
	defer wrap(&err, "DiaryToCase(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var caseID int64
	err = db.transact(ctx, func(tx *Tx) error {
		e, err := findDiary(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		staff, err := staffsDeputy(ctx, tx.conn, a, e)
		if err != nil {
			return err
		}
		if !staff && !lianluo.OwnsDiary(a, e) {
			return lianluo.Forbidden()
		}
		if e.CaseID != nil {
			return lianluo.Errorf(lianluo.ESTATE, "这篇民情日记已转为群众意见（查询码%s），不能重复转交。", e.CaseCode)
		}
		in := lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: "diary", Title: caseTitle(e.Content),
			Content: e.Content, Category: e.Category, RegionCode: e.RegionCode, Location: e.Place,
			Submitter:  lianluo.Submitter{Name: e.Voter.Name, Phone: e.Voter.Phone, Address: e.Voter.Address},
			ReceivedBy: []int64{e.DeputyID}}
		if e.Handling != "" {
			in.Content += "\n\n代表处理意见：" + e.Handling
		}
		sid, err := deputyStation(ctx, tx, a, e.DeputyID)
		if err != nil {
			return err
		}
		in.StationID = sid
		if sid != nil {
			// The case goes to the station's body: the entry of a deputy
			// registered outside that body's area (a district deputy at a
			// town station) takes the station's region, so the case stays
			// inside the area of the body handling it (createCase checks).
			var stRegion, bodyRegion string
			if err := tx.QueryRow(ctx, `SELECT s.region_code, o.region_code FROM stations s JOIN orgs o ON o.id = s.org_id
				WHERE s.id = $1`, *sid).Scan(&stRegion, &bodyRegion); err != nil {
				return err
			}
			if !strings.HasPrefix(in.RegionCode, bodyRegion) {
				in.RegionCode = stRegion
			}
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if caseID, err = createCase(ctx, tx, a, in); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE diary_entries SET case_id = $1, version = version + 1, updated_at = $2
			WHERE id = $3 AND case_id IS NULL`, caseID, tx.now, id)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return lianluo.Errorf(lianluo.ESTATE, "这篇民情日记已转为群众意见，不能重复转交。")
		}
		if err := caseEvent(ctx, tx, caseID, lianluo.StepSource, lianluo.StatusRegistered, lianluo.StatusRegistered,
			fmt.Sprintf("由%s代表%s的民情日记（编号%d）转来", e.DeputyName, e.VisitedAt.Format("1月2日"), id)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDiary, id, lianluo.AuditToCase, fmt.Sprintf("转为群众意见 #%d", caseID))
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, caseID)
}

// caseTitle is the first line of a text, cut to 30 characters.
func caseTitle(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return lianluo.Truncate(s, 30)
}

// deputyStation is the station a case from the deputy goes to: one of the
// deputy's stations the actor works at, else the deputy's first; nil when
// the deputy serves at none.
func deputyStation(ctx context.Context, tx *Tx, a *lianluo.Actor, deputyID int64) (*int64, error) {
	rows, err := tx.Query(ctx, `SELECT s.id FROM station_deputies sd JOIN stations s ON s.id = sd.station_id
		WHERE sd.deputy_id = $1 AND s.active = TRUE ORDER BY s.id`, deputyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if slices.Contains(a.Scope.Stations, id) {
			return &id, nil
		}
	}
	if len(ids) > 0 {
		return &ids[0], nil
	}
	return nil, nil
}

// DiaryCounts counts each deputy's confirmed entries (003: only a signed
// entry is valid) in a month and in its year so far, for the deputies in
// the caller's scope. A deputy who is nobody's staff sees only their own.
func (db *DB) DiaryCounts(ctx context.Context, f lianluo.DiaryCountFilter) (_ []lianluo.DiaryCount, err error) {
	defer wrap(&err, "DiaryCounts")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if f.Month < 1 || f.Month > 12 {
		return nil, lianluo.FieldError("month", "月份应为1到12。")
	}
	if f.Year < 2000 || f.Year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	m0 := time.Date(f.Year, time.Month(f.Month), 1, 0, 0, 0, 0, lianluo.Beijing)
	m1, y0 := m0.AddDate(0, 1, 0), time.Date(f.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	var w where
	pm0, pm1, py0 := w.arg(m0.UTC()), w.arg(m1.UTC()), w.arg(y0.UTC())
	q := `SELECT d.id, d.name, d.region_code,
		COUNT(CASE WHEN e.status = 'confirmed' AND e.visited_at >= ` + pm0 + ` AND e.visited_at < ` + pm1 + ` THEN 1 END),
		COUNT(CASE WHEN e.status = 'confirmed' AND e.visited_at >= ` + py0 + ` AND e.visited_at < ` + pm1 + ` THEN 1 END),
		COUNT(CASE WHEN e.status = 'draft' AND e.visited_at >= ` + pm0 + ` AND e.visited_at < ` + pm1 + ` THEN 1 END)
		FROM deputies d LEFT JOIN diary_entries e ON e.deputy_id = d.id`
	w.add("d.status = 'in_office'")
	if !a.Scope.All && len(a.Scope.Regions) == 0 && len(a.StaffStations()) == 0 {
		if len(a.Scope.Deputies) == 0 {
			return []lianluo.DiaryCount{}, nil
		}
		w.add("d.id IN " + w.in(a.Scope.Deputies))
	} else {
		scopeDeputies(&w, a, "d")
	}
	if f.Region != "" {
		w.add(regionRange(&w, "d.region_code", f.Region))
	}
	if f.DeputyID != 0 {
		w.add("d.id = " + w.arg(f.DeputyID))
	}
	rows, err := db.reader().Query(ctx, q+w.String()+` GROUP BY d.id, d.name, d.region_code ORDER BY d.region_code, d.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.DiaryCount{}
	for rows.Next() {
		var c lianluo.DiaryCount
		if err := rows.Scan(&c.DeputyID, &c.Name, &c.RegionCode, &c.Month, &c.Year, &c.Unconfirmed); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
