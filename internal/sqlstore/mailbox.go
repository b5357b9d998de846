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

// The deputy mailboxes (代表信箱 — 004 三). A station's box
// is set up by its first logged opening; from then on it is overdue when
// not opened for more than a week (004: 每周开启一次), and the deadline
// sweep reminds the station's staff once per overdue period.

// maskLetter hides the writer's phone and address; the name stays for the
// staff who read the box.
func maskLetter(l *lianluo.Letter) {
	l.WriterPhone = lianluo.MaskPhone(l.WriterPhone)
	if r := []rune(l.WriterAddress); len(r) > 6 {
		l.WriterAddress = string(r[:6]) + "****"
	}
}

// RecordOpening logs an opening of a station's box and registers the letters found.
func (db *DB) RecordOpening(ctx context.Context, stationID int64, in lianluo.OpeningInput) (_ *lianluo.MailboxOpening, err error) {
	defer wrap(&err, "RecordOpening(%d)", stationID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		st, err := findStationByID(ctx, tx.conn, stationID)
		if err != nil {
			return err
		}
		if !lianluo.KeepsMailbox(a, st) {
			return lianluo.Forbidden()
		}
		at, err := parseLocalTime("opened_at", in.OpenedAt)
		if err != nil {
			return lianluo.FieldError("opened_at", "开箱时间格式应为 2026-03-02T09:30。")
		}
		if at.After(tx.now.Add(10 * time.Minute)) {
			return lianluo.FieldError("opened_at", "开箱时间不能晚于现在。")
		}
		if at.Before(tx.now.AddDate(-1, 0, 0)) {
			return lianluo.FieldError("opened_at", "只能补记一年以内的开箱。")
		}
		for i, l := range in.Letters {
			if err := checkCategory(ctx, tx.conn, fmt.Sprintf("letters[%d].category", i), l.Category); err != nil {
				return err
			}
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO mailbox_openings (
				station_id,
				opened_at,
				opened_by,
				note,
				created_by,
				created_at
			) VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			stationID, at.UTC(), strings.Join(in.OpenedBy, "\n"), in.Note, userRef(a), tx.now).Scan(&id)
		if err != nil {
			return err
		}
		for _, l := range in.Letters {
			if _, err := tx.Exec(ctx, `
				INSERT INTO mailbox_letters (
					opening_id,
					station_id,
					writer_name,
					writer_phone,
					writer_address,
					anonymous,
					content,
					category,
					created_at,
					writer_phone_last4,
					writer_phone_hmac
				) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
				id, stationID, l.WriterName, tx.db.keys.seal(l.WriterPhone), tx.db.keys.seal(l.WriterAddress), l.Anonymous, l.Content, l.Category, tx.now,
				lianluo.PhoneTail(l.WriterPhone), tx.db.keys.phoneHash(l.WriterPhone)); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityMailbox, id, lianluo.AuditOpen, fmt.Sprintf("%s开启代表信箱，来信%d封（开箱人：%s）",
			st.Name, len(in.Letters), strings.Join(in.OpenedBy, "、")))
	})
	if err != nil {
		return nil, err
	}
	list, err := db.openings(ctx, db.reader(), "o.id = $1", []any{id}, lianluo.Page{})
	if err != nil {
		return nil, err
	}
	if len(list) != 1 {
		return nil, lianluo.NotFound("开箱记录")
	}
	return list[0], nil
}

// openings lists openings matching cond (on o and s), newest first, with their letters masked.
func (db *DB) openings(ctx context.Context, c conn, cond string, args []any, p lianluo.Page) ([]*lianluo.MailboxOpening, error) {
	w := where{args: args}
	w.add(cond)
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	rows, err := c.Query(ctx, `SELECT o.id, o.station_id, s.name, o.opened_at, o.opened_by, o.note, o.created_at
		FROM mailbox_openings o JOIN stations s ON s.id = o.station_id`+w.String()+` ORDER BY o.opened_at DESC, o.id DESC`+w.page(p), w.args...)
	if err != nil {
		return nil, err
	}
	var list []*lianluo.MailboxOpening
	byID := map[int64]*lianluo.MailboxOpening{}
	for rows.Next() {
		o := &lianluo.MailboxOpening{Letters: []*lianluo.Letter{}}
		var by string
		if err := rows.Scan(&o.ID, &o.StationID, &o.StationName, &o.OpenedAt, &by, &o.Note, &o.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		o.OpenedAt = o.OpenedAt.In(lianluo.Beijing)
		o.OpenedBy = strings.Split(by, "\n")
		list = append(list, o)
		byID[o.ID] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return list, nil
	}
	ids := make([]int64, 0, len(list))
	for _, o := range list {
		ids = append(ids, o.ID)
	}
	var lw where
	lw.add("l.opening_id IN " + lw.in(ids))
	letters, err := queryLetters(ctx, c, lw)
	if err != nil {
		return nil, err
	}
	for _, l := range letters {
		byID[l.OpeningID].Letters = append(byID[l.OpeningID].Letters, l)
	}
	return list, nil
}

const letterColumns = `l.id, l.opening_id, l.station_id, l.writer_name, l.writer_phone, l.writer_address, l.anonymous,
	l.content, l.category, l.case_id, COALESCE(c.tracking_code, ''), COALESCE(c.status, ''), l.created_at`

// queryLetters reads letters (masked) matching w, in order.
func queryLetters(ctx context.Context, c conn, w where) ([]*lianluo.Letter, error) {
	rows, err := c.Query(ctx, `SELECT `+letterColumns+` FROM mailbox_letters l LEFT JOIN cases c ON c.id = l.case_id`+
		w.String()+` ORDER BY l.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*lianluo.Letter
	for rows.Next() {
		var l lianluo.Letter
		if err := rows.Scan(&l.ID, &l.OpeningID, &l.StationID, &l.WriterName, &l.WriterPhone, &l.WriterAddress, &l.Anonymous,
			&l.Content, &l.Category, &l.CaseID, &l.CaseCode, &l.CaseStatus, &l.CreatedAt); err != nil {
			return nil, err
		}
		if err := c.db.keys.openAll(&l.WriterPhone, &l.WriterAddress); err != nil {
			return nil, err
		}
		maskLetter(&l)
		out = append(out, &l)
	}
	return out, rows.Err()
}

// FindOpenings lists a station's openings, newest first.
func (db *DB) FindOpenings(ctx context.Context, stationID int64, p lianluo.Page) (_ []*lianluo.MailboxOpening, _ int, err error) {
	defer wrap(&err, "FindOpenings(%d)", stationID)
	if _, err := findStationByID(ctx, db.reader(), stationID); err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.reader().QueryRow(ctx, `SELECT COUNT(*) FROM mailbox_openings WHERE station_id = $1`, stationID).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err := db.openings(ctx, db.reader(), "o.station_id = $1", []any{stationID}, p)
	return list, total, err
}

// MailboxStatuses lists the boxes of the active stations in scope: the
// last opening, the counts, and whether the box is overdue.
func (db *DB) MailboxStatuses(ctx context.Context, stationID int64) (_ []lianluo.MailboxStatus, err error) {
	defer wrap(&err, "MailboxStatuses")
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	w.add("s.active = TRUE")
	if stationID != 0 {
		w.add("s.id = " + w.arg(stationID))
	}
	c := db.reader()
	rows, err := c.Query(ctx, `SELECT s.id, s.name, s.region_code, s.created_at FROM stations s`+w.String()+` ORDER BY s.region_code, s.id`, w.args...)
	if err != nil {
		return nil, err
	}
	var out []lianluo.MailboxStatus
	var setUp []time.Time
	idx := map[int64]int{}
	for rows.Next() {
		var m lianluo.MailboxStatus
		var created time.Time
		if err := rows.Scan(&m.StationID, &m.StationName, &m.RegionCode, &created); err != nil {
			rows.Close()
			return nil, err
		}
		idx[m.StationID] = len(out)
		out = append(out, m)
		setUp = append(setUp, created)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return []lianluo.MailboxStatus{}, nil
	}
	ids := make([]int64, 0, len(out))
	for _, m := range out {
		ids = append(ids, m.StationID)
	}
	var ow where
	in := ow.in(ids)
	// Read the openings ordered rather than MAX(opened_at): SQLite returns
	// an aggregate of a timestamp as text. A box has ~52 openings a year.
	rows, err = c.Query(ctx, `SELECT o.station_id, o.opened_at, (SELECT COUNT(*) FROM mailbox_letters l WHERE l.opening_id = o.id)
		FROM mailbox_openings o WHERE o.station_id IN `+in+` ORDER BY o.station_id, o.opened_at DESC`, ow.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := db.Now()
	for rows.Next() {
		var sid int64
		var at time.Time
		var letters int
		if err := rows.Scan(&sid, &at, &letters); err != nil {
			return nil, err
		}
		m := &out[idx[sid]]
		if m.LastOpened == nil {
			t := at.In(lianluo.Beijing)
			m.LastOpened = &t
		}
		m.Openings++
		m.Letters += letters
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].DaysSince, out[i].Overdue = lianluo.MailboxWait(out[i].LastOpened, setUp[i], now)
	}
	return out, nil
}

// LetterToCase registers a letter as a case (channel mailbox) at its station: once.
func (db *DB) LetterToCase(ctx context.Context, letterID int64) (_ *lianluo.Case, err error) {
	defer wrap(&err, "LetterToCase(%d)", letterID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	var caseID int64
	err = db.transact(ctx, func(tx *Tx) error {
		var l lianluo.Letter
		var openedAt time.Time
		err := tx.QueryRow(ctx, `SELECT l.station_id, l.opening_id, l.writer_name, l.writer_phone, l.writer_address, l.content,
			l.category, l.case_id, o.opened_at FROM mailbox_letters l JOIN mailbox_openings o ON o.id = l.opening_id WHERE l.id = $1`,
			letterID).Scan(&l.StationID, &l.OpeningID, &l.WriterName, &l.WriterPhone, &l.WriterAddress, &l.Content, &l.Category, &l.CaseID, &openedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.NotFound("来信")
		} else if err != nil {
			return err
		}
		if err := tx.db.keys.openAll(&l.WriterPhone, &l.WriterAddress); err != nil {
			return err
		}
		st, err := findStationByID(ctx, tx.conn, l.StationID)
		if err != nil {
			return lianluo.NotFound("来信")
		}
		if !lianluo.KeepsMailbox(a, st) {
			return lianluo.Forbidden()
		}
		if l.CaseID != nil {
			return lianluo.Errorf(lianluo.ESTATE, "这封来信已转为群众意见（编号%d），不能重复转交。", *l.CaseID)
		}
		in := lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: "mailbox", StationID: &st.ID, Title: caseTitle(l.Content),
			Content: l.Content, Category: l.Category, RegionCode: st.RegionCode,
			Submitter:  lianluo.Submitter{Name: l.WriterName, Phone: l.WriterPhone, Address: l.WriterAddress},
			ReceivedBy: []int64{}}
		if err := in.Validate(); err != nil {
			return err
		}
		if caseID, err = createCase(ctx, tx, a, in); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE mailbox_letters SET case_id = $1 WHERE id = $2 AND case_id IS NULL`, caseID, letterID)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return lianluo.Errorf(lianluo.ESTATE, "这封来信已转为群众意见，不能重复转交。")
		}
		if err := caseEvent(ctx, tx, caseID, lianluo.StepSource, lianluo.StatusRegistered, lianluo.StatusRegistered,
			fmt.Sprintf("由%s代表信箱来信（%s开箱，来信编号%d）转来", st.Name, openedAt.In(lianluo.Beijing).Format("1月2日"), letterID)); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityMailbox, l.OpeningID, lianluo.AuditToCase, fmt.Sprintf("来信 #%d 转为群众意见 #%d", letterID, caseID))
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, caseID)
}

// caseAnswered reports whether a case's status means the person has had an answer.
func caseAnswered(status lianluo.CaseStatus) bool {
	return slices.Contains(lianluo.AnsweredStatuses, status)
}

// MailboxSummary is a quarter's letters of a station, or of the stations
// under a region, with what became of them (004 三 四).
func (db *DB) MailboxSummary(ctx context.Context, stationID int64, region string, q lianluo.Quarter) (_ *lianluo.MailboxSummary, err error) {
	defer wrap(&err, "MailboxSummary")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	c := db.reader()
	sum := &lianluo.MailboxSummary{Quarter: q.String(), ByCategory: []lianluo.MailboxSummaryRow{}, Letters: []*lianluo.Letter{}}
	var w where
	switch {
	case stationID != 0 && region != "":
		return nil, lianluo.FieldError("station_id", "请只选择联络站或地区中的一项。")
	case stationID != 0:
		st, err := findStationByID(ctx, c, stationID)
		if err != nil {
			return nil, err
		}
		sum.StationID, sum.Scope = st.ID, st.Name
		w.add("o.station_id = " + w.arg(st.ID))
	case region != "":
		code, err := requireRegion(ctx, c, "region", region)
		if err != nil {
			return nil, err
		}
		if !a.Scope.All && !a.Scope.InRegion(code) {
			return nil, lianluo.NotFound("地区")
		}
		r, err := findRegion(ctx, c, code)
		if err != nil {
			return nil, err
		}
		sum.Region, sum.Scope = code, r.Name
		w.add(regionRange(&w, "s.region_code", code))
	default:
		return nil, lianluo.FieldError("station_id", "请选择联络站或地区。")
	}
	scopeStations(&w, a, "s")
	from, to := q.Range()
	w.add("o.opened_at >= " + w.arg(from.UTC()))
	w.add("o.opened_at < " + w.arg(to.UTC()))
	if err := c.QueryRow(ctx, `SELECT COUNT(*) FROM mailbox_openings o JOIN stations s ON s.id = o.station_id`+w.String(), w.args...).Scan(&sum.Openings); err != nil {
		return nil, err
	}
	// The letters of those openings: the same clauses and arguments, as a subquery.
	lw := where{args: w.args}
	lw.add("l.opening_id IN (SELECT o.id FROM mailbox_openings o JOIN stations s ON s.id = o.station_id" + w.String() + ")")
	letters, err := queryLetters(ctx, c, lw)
	if err != nil {
		return nil, err
	}
	byCat := map[string]*lianluo.MailboxSummaryRow{}
	var cats []string
	for _, l := range letters {
		cat := l.Category
		if cat == "" {
			cat = "未分类"
		}
		row := byCat[cat]
		if row == nil {
			row = &lianluo.MailboxSummaryRow{Category: cat}
			byCat[cat] = row
			cats = append(cats, cat)
		}
		for _, r := range []*lianluo.MailboxSummaryRow{row, &sum.Totals} {
			r.Letters++
			if l.CaseID != nil {
				r.Cases++
				if caseAnswered(l.CaseStatus) {
					r.Answered++
				}
				if l.CaseStatus == lianluo.StatusClosed || l.CaseStatus == lianluo.StatusArchived {
					r.Closed++
				}
			}
		}
		// The summary goes to the district: the writer is named by surname only.
		if l.Anonymous || l.WriterName == "" {
			l.WriterName = "匿名"
		} else {
			l.WriterName = lianluo.MaskName(l.WriterName)
		}
		l.WriterPhone, l.WriterAddress = "", ""
		l.Content = lianluo.MaskText(l.Content)
		sum.Letters = append(sum.Letters, l)
	}
	slices.SortStableFunc(cats, func(x, y string) int { return byCat[y].Letters - byCat[x].Letters })
	for _, cat := range cats {
		sum.ByCategory = append(sum.ByCategory, *byCat[cat])
	}
	sum.Totals.Category = "合计"
	return sum, nil
}

// RemindMailboxes tells the staff of each station whose box has not been
// opened for more than a week (004: 每周开启一次), or never opened in the
// week since it was set up (lianluo.MailboxWait). Each overdue period —
// from one opening, or the setting up, to the next opening — is reminded
// once: the key carries its start. A station without staff accounts
// reaches the office of its NPC body.
func (db *DB) RemindMailboxes(ctx context.Context) (n int, err error) {
	defer wrap(&err, "RemindMailboxes")
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	err = db.transact(ctx, func(tx *Tx) error {
		// Every active station's box with its openings, latest first; a box
		// never opened comes once, without an opening.
		rows, err := tx.Query(ctx, `SELECT s.id, s.name, s.org_id, s.created_at, o.opened_at FROM stations s
			LEFT JOIN mailbox_openings o ON o.station_id = s.id
			WHERE s.active = TRUE ORDER BY s.id, o.opened_at DESC`)
		if err != nil {
			return err
		}
		type box struct {
			station, org int64
			name         string
			since        time.Time // the last opening, or the box's setting up
			days         int
			never        bool
		}
		var due []box
		seen := map[int64]bool{}
		for rows.Next() {
			var b box
			var created time.Time
			var last *time.Time
			if err := rows.Scan(&b.station, &b.name, &b.org, &created, &last); err != nil {
				rows.Close()
				return err
			}
			if seen[b.station] {
				continue
			}
			seen[b.station] = true
			var overdue bool
			b.days, overdue = lianluo.MailboxWait(last, created, tx.now)
			b.since, b.never = created, last == nil
			if last != nil {
				b.since = *last
			}
			if overdue {
				due = append(due, b)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, b := range due {
			key := fmt.Sprintf("mailbox_overdue:%d:%d", b.station, b.since.Unix())
			var exists int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE dedupe_key LIKE $1`, key+":%").Scan(&exists); err != nil {
				return err
			}
			if exists > 0 {
				continue
			}
			users, err := stationStaff(ctx, tx, b.station)
			if err != nil {
				return err
			}
			if len(users) == 0 {
				if users, err = usersWithRole(ctx, tx, lianluo.RoleNPCOffice, []int64{b.org}); err != nil {
					return err
				}
			}
			if len(users) == 0 {
				continue // nobody to tell: the mailbox page shows the warning
			}
			template, days := lianluo.MsgMailboxOverdue, b.days
			if b.never {
				template = lianluo.MsgMailboxNeverOpened
			}
			subject, body := lianluo.Message(template, b.name, days)
			for _, u := range users {
				uid := u
				if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: template, Subject: subject, Body: body,
					DedupeKey: fmt.Sprintf("%s:inapp:%d", key, u)}); err != nil {
					return err
				}
			}
			what := fmt.Sprintf("代表信箱已%d天未开启", days)
			if b.never {
				what = fmt.Sprintf("代表信箱设立%d天从未开启", days)
			}
			if err := tx.event(ctx, lianluo.EntityStation, b.station, lianluo.AuditMailboxOverdue, fmt.Sprintf("%s，已提醒%d人", what, len(users))); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// stationStaff are the active accounts of a station's head and liaisons.
func stationStaff(ctx context.Context, tx *Tx, stationID int64) ([]int64, error) {
	return queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role IN ('station_head', 'liaison') AND ur.station_id = $1 ORDER BY u.id`, stationID)
}
