package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lianluo"
)

// sweepBatch bounds the cases read, and the reminders written, per
// transaction: a backlog of overdue cases never holds the (SQLite: only)
// writer for long.
const sweepBatch = 500

// Kinds of reminders (the reminders table).
const (
	remindBefore          = "before"           // RemindBeforeDays working days before the handling deadline
	remindDue             = "due"              // on the deadline's date
	remindOverdue         = "overdue"          // each working day after it
	remindApprovalNear    = "approval_near"    // 000: assign within ten days — two days are left
	remindApprovalOverdue = "approval_overdue" // each working day after the approval deadline
	remindTransferNear    = "transfer_near"    // a suggestion's fifteen days to transfer (003): three are left
	remindTransferOverdue = "transfer_overdue" // each working day after them
)

// transferNearDays is how many days before a suggestion's transfer deadline
// the office is reminded.
const transferNearDays = 3

// deadlineCase is what the sweep reads of a case.
type deadlineCase struct {
	id        int64
	title     string
	status    lianluo.CaseStatus
	round     int
	due       *time.Time
	submitted *time.Time
	urgent    bool
	orgID     int64 // the NPC body whose queue holds the case
	lead      int64 // the current lead unit, 0 if none
}

// reminder is one reminder due now on a case: who gets it and what it says.
type reminder struct {
	key, kind string
	c         *deadlineCase
	role      string // recipients: users with this role on orgID
	orgID     int64
	template  lianluo.TemplateKey
	subject   string
	body      string
	note      string // the case history step
	nobody    string // added to the note when there is no one to tell
}

// sweep is one run of SweepCaseDeadlines: one clock reading, policy and calendar.
type sweep struct {
	db  *DB
	now time.Time
	pol lianluo.Policy
	cal *lianluo.Calendar
}

// sweepScan is one kind of candidate: a filter on cases c and the reminders
// due on a candidate now.
type sweepScan struct {
	filter    func(w *where)
	reminders func(c *deadlineCase) []reminder
}

// SweepCaseDeadlines gives the automatic case reminders due now (催办): to
// the lead unit's handlers before a handling deadline, on it, and each
// working day after it; to the NPC body's leaders when a case has waited
// near the approval limit (000: assign within ten days) and each working
// day after it. Each reminder is a step in the case's history, an audit
// event and an in-app notification per recipient, all in one transaction.
//
// It is idempotent and safe to run every minute on every instance at once: a
// reminder's key in the reminders table lets exactly one sweep give it. It
// returns the number of reminders given. The other reminders (receptions,
// activities, mailboxes) are jobs of their own (internal/jobs), so that one
// failing does not hold up the rest.
func (db *DB) SweepCaseDeadlines(ctx context.Context) (n int, err error) {
	defer wrap(&err, "SweepCaseDeadlines")
	// The sweep acts for the system whoever starts it: its steps read 系统.
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	sw, err := db.newSweep(ctx)
	if err != nil {
		return 0, err
	}
	for _, scan := range sw.scans() {
		after := int64(0)
		for {
			if err := ctx.Err(); err != nil {
				return n, err
			}
			cs, err := loadDeadlineCases(ctx, db.reader(), scan, after, nil)
			if err != nil {
				return n, err
			}
			if len(cs) == 0 {
				break
			}
			after = cs[len(cs)-1].id
			given, err := sw.batch(ctx, scan, cs)
			n += given
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// newSweep is a sweep as of now, with the policy and calendar.
func (db *DB) newSweep(ctx context.Context) (*sweep, error) {
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	return &sweep{db: db, now: db.Now().UTC().Truncate(time.Microsecond), pol: pol, cal: cal}, nil
}

// scans are the sweep's kinds of candidates.
func (sw *sweep) scans() []sweepScan {
	return []sweepScan{sw.handlingScan(lianluo.StatusAssigned), sw.handlingScan(lianluo.StatusHandling), sw.approvalScan(), sw.transferScan()}
}

// handlingScan finds the cases of one handling status (assigned or
// handling) whose deadline is near or past. One status a scan: each batch
// is then a range of cases_status_id (status, id) in id order. With both
// statuses in one IN, SQLite walked cases_master (master_id, id) instead,
// the only index in id order that the IN left, over every case: 1.3–1.5 s
// a sweep at a million cases, every minute, with nothing to remind
// (BENCHMARKS.md).
func (sw *sweep) handlingScan(status lianluo.CaseStatus) sweepScan {
	// A case is "before" when at most RemindBeforeDays working days are left
	// after today; every such deadline falls before the end of the next
	// working day after those, so that bounds the index range.
	horizon := sw.cal.AddWorkdays(sw.now, max(sw.pol.RemindBeforeDays, 0)+1)
	return sweepScan{
		filter: func(w *where) {
			w.add("c.status = " + w.arg(string(status)))
			w.add("c.due_at IS NOT NULL")
			w.add("c.due_at <= " + w.arg(horizon))
		},
		reminders: sw.handlingReminders,
	}
}

func (sw *sweep) handlingReminders(c *deadlineCase) []reminder {
	if c.due == nil {
		return nil
	}
	today, dueDay := beijingDay(sw.now), beijingDay(*c.due)
	due := dueText(c.due)
	title := lianluo.Truncate(c.title, 30)
	r := reminder{c: c, role: lianluo.RoleUnitHandler, orgID: c.lead, nobody: "；承办单位尚无经办人账号，未能送达"}
	switch {
	case today < dueDay:
		left := sw.cal.WorkdaysBetween(sw.now, *c.due)
		if sw.pol.RemindBeforeDays <= 0 || left > sw.pol.RemindBeforeDays {
			return nil
		}
		// The key names the deadline: an extended deadline gets reminders of its own.
		r.kind, r.key = remindBefore, fmt.Sprintf("urge:before:%d:%d:%s", c.id, c.round, yyyymmdd(*c.due))
		r.template = lianluo.MsgCaseDueSoon
		if left > 0 {
			r.subject, r.body = lianluo.Message(r.template, title, due, fmt.Sprintf("（还有%d个工作日）", left))
			r.note = fmt.Sprintf("系统自动催办：距办理期限 %s 还有%d个工作日", due, left)
		} else {
			r.subject, r.body = lianluo.Message(r.template, title, due, "")
			r.note = fmt.Sprintf("系统自动催办：办理期限 %s 将到", due)
		}
	case today == dueDay:
		r.kind, r.key = remindDue, fmt.Sprintf("urge:due:%d:%d:%s", c.id, c.round, yyyymmdd(*c.due))
		r.template = lianluo.MsgCaseDueToday
		r.subject, r.body = lianluo.Message(r.template, title, due)
		r.note = fmt.Sprintf("系统自动催办：今日到期（期限 %s）", due)
	default:
		// Daily, but on working days: a unit does not read its inbox at the
		// weekend, and three reminders waiting on Monday help no one.
		if !sw.cal.IsWorkday(sw.now) {
			return nil
		}
		late := today - dueDay
		r.kind, r.key = remindOverdue, fmt.Sprintf("urge:overdue:%d:%d:%s", c.id, c.round, yyyymmdd(sw.now))
		r.template = lianluo.MsgCaseOverdue
		r.subject, r.body = lianluo.Message(r.template, title, due, late)
		r.note = fmt.Sprintf("系统自动催办：已超期%d天（期限 %s）", late, due)
	}
	return []reminder{r}
}

// nearApprovalDays is how many days after submission the leaders are
// reminded: two days before the limit (8 of 10), at least one.
func (sw *sweep) nearApprovalDays() int { return max(sw.pol.ApprovalDays-2, 1) }

// approvalScan finds cases waiting for approval near or past the limit.
func (sw *sweep) approvalScan() sweepScan {
	// Submitted on or before this Beijing date → near the limit today.
	near := sw.cal.AddDays(sw.now, -sw.nearApprovalDays())
	now := sw.now
	return sweepScan{
		filter: func(w *where) {
			w.add("c.status = 'pending_approval'")
			w.add("c.submitted_at IS NOT NULL")
			w.add("(c.submitted_at <= " + w.arg(near) + " OR c.due_at < " + w.arg(now) + ")")
		},
		reminders: sw.approvalReminders,
	}
}

func (sw *sweep) approvalReminders(c *deadlineCase) []reminder {
	if c.submitted == nil {
		return nil
	}
	due := c.due
	if due == nil {
		d := lianluo.ApprovalDue(sw.pol, sw.cal, *c.submitted)
		due = &d
	}
	today := beijingDay(sw.now)
	waited := today - beijingDay(*c.submitted)
	title := lianluo.Truncate(c.title, 30)
	r := reminder{c: c, role: lianluo.RoleNPCLeader, orgID: c.orgID, nobody: "；本机构尚无审核交办负责人账号，未能送达"}
	switch {
	case today > beijingDay(*due):
		if !sw.cal.IsWorkday(sw.now) {
			return nil
		}
		late := today - beijingDay(*due)
		r.kind, r.key = remindApprovalOverdue, fmt.Sprintf("approve:overdue:%d:%s", c.id, yyyymmdd(sw.now))
		r.template = lianluo.MsgCaseApprovalOverdue
		r.subject, r.body = lianluo.Message(r.template, title, waited, dueText(due))
		r.note = fmt.Sprintf("系统自动提醒：交办已超期%d天（期限 %s）", late, dueText(due))
	case waited >= sw.nearApprovalDays():
		// Once per submission: escalation or a return submits it anew.
		r.kind, r.key = remindApprovalNear, fmt.Sprintf("approve:near:%d:%d", c.id, c.submitted.Unix())
		r.template = lianluo.MsgCaseApprovalDueSoon
		r.subject, r.body = lianluo.Message(r.template, title, waited, dueText(due))
		r.note = fmt.Sprintf("系统自动提醒：报送审核已%d天，请于 %s 前交办", waited, dueText(due))
	default:
		return nil
	}
	return []reminder{r}
}

// transferScan finds suggestions waiting to be transferred near or past
// their deadline (003 2: 会后十五日内移交).
func (sw *sweep) transferScan() sweepScan {
	horizon := sw.cal.AddDays(sw.now, transferNearDays)
	return sweepScan{
		filter: func(w *where) {
			w.add("c.status = 'submitted'")
			w.add("c.due_at IS NOT NULL")
			w.add("c.due_at <= " + w.arg(horizon))
		},
		reminders: sw.transferReminders,
	}
}

func (sw *sweep) transferReminders(c *deadlineCase) []reminder {
	if c.due == nil {
		return nil
	}
	today, dueDay := beijingDay(sw.now), beijingDay(*c.due)
	due := dueText(c.due)
	title := lianluo.Truncate(c.title, 30)
	r := reminder{c: c, role: lianluo.RoleNPCOffice, orgID: c.orgID, nobody: "；本机构尚无人大办工作人员账号，未能送达"}
	if today <= dueDay {
		r.kind, r.key = remindTransferNear, fmt.Sprintf("transfer:near:%d:%s", c.id, yyyymmdd(*c.due))
		r.template = lianluo.MsgSuggestionTransferDueSoon
		r.subject, r.body = lianluo.Message(r.template, title, due, dueDay-today)
		r.note = fmt.Sprintf("系统自动提醒：请于 %s 前交办（还有%d天）", due, dueDay-today)
		return []reminder{r}
	}
	if !sw.cal.IsWorkday(sw.now) {
		return nil
	}
	late := today - dueDay
	r.kind, r.key = remindTransferOverdue, fmt.Sprintf("transfer:overdue:%d:%s", c.id, yyyymmdd(sw.now))
	r.template = lianluo.MsgSuggestionTransferOverdue
	r.subject, r.body = lianluo.Message(r.template, title, due, late)
	r.note = fmt.Sprintf("系统自动提醒：交办已超期%d天（期限 %s）", late, due)
	return []reminder{r}
}

// loadDeadlineCases reads up to sweepBatch candidates after the id, or only
// those of ids when ids is not nil.
func loadDeadlineCases(ctx context.Context, cn conn, scan sweepScan, after int64, ids []int64) ([]*deadlineCase, error) {
	q, args := deadlineCasesQuery(scan, after, ids)
	rows, err := cn.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*deadlineCase
	for rows.Next() {
		c := new(deadlineCase)
		if err := rows.Scan(&c.id, &c.title, &c.status, &c.round, &c.due, &c.submitted, &c.urgent, &c.orgID, &c.lead); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// deadlineCasesQuery is loadDeadlineCases's query.
func deadlineCasesQuery(scan sweepScan, after int64, ids []int64) (string, []any) {
	var w where
	scan.filter(&w)
	// A linked case (并案) follows its master: reminders go to the master only.
	w.add("c.master_id IS NULL")
	w.add("c.id > " + w.arg(after))
	if ids != nil {
		w.add("c.id IN " + w.in(ids))
	}
	q := `
		SELECT c.id, c.title, c.status, c.round, c.due_at, c.submitted_at, c.urgent, c.org_id,
			COALESCE((SELECT MAX(cu.org_id) FROM case_units cu
				WHERE cu.case_id = c.id AND cu.active = TRUE AND cu.lead = TRUE), 0)
		FROM cases c` + w.String() + `
		ORDER BY c.id
		LIMIT ` + w.arg(sweepBatch)
	return q, w.args
}

// batch gives the reminders due on a batch of candidates, in one transaction.
func (sw *sweep) batch(ctx context.Context, scan sweepScan, cs []*deadlineCase) (int, error) {
	var keys []string
	for _, c := range cs {
		for _, r := range scan.reminders(c) {
			keys = append(keys, r.key)
		}
	}
	if len(keys) == 0 {
		return 0, nil
	}
	// Nearly every candidate was reminded by an earlier sweep: look the keys
	// up on the reader first, so that a quiet minute writes nothing.
	todo, err := missingReminders(ctx, sw.db.reader(), keys)
	if err != nil || len(todo) == 0 {
		return 0, err
	}
	var ids []int64
	for _, c := range cs {
		for _, r := range scan.reminders(c) {
			if todo[r.key] {
				ids = append(ids, c.id)
				break
			}
		}
	}
	n := 0
	err = sw.db.transact(ctx, func(tx *Tx) error {
		n = 0
		// Read the cases again inside the transaction: one may have been
		// replied to, extended or approved since.
		fresh, err := loadDeadlineCases(ctx, tx.conn, scan, 0, ids)
		if err != nil {
			return err
		}
		for _, c := range fresh {
			for _, r := range scan.reminders(c) {
				if !todo[r.key] {
					continue
				}
				given, err := give(ctx, tx, r)
				if err != nil {
					return fmt.Errorf("case %d: %w", c.id, err)
				}
				if given {
					n++
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// missingReminders returns the keys not yet in the reminders table.
func missingReminders(ctx context.Context, cn conn, keys []string) (map[string]bool, error) {
	todo := make(map[string]bool, len(keys))
	var w where
	ph := ""
	for i, k := range keys {
		todo[k] = true
		if i > 0 {
			ph += ", "
		}
		ph += w.arg(k)
	}
	rows, err := cn.Query(ctx, `SELECT key FROM reminders WHERE key IN (`+ph+`)`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		delete(todo, k)
	}
	return todo, rows.Err()
}

// give records the reminder unless another sweep already did, and then
// writes its history step and its notifications. Another sweep inserting
// the same key concurrently waits on the key's index until this
// transaction ends and then inserts nothing.
func give(ctx context.Context, tx *Tx, r reminder) (bool, error) {
	var key string
	err := tx.QueryRow(ctx, `
		INSERT INTO reminders (key, case_id, kind, at)
		VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO NOTHING
		RETURNING key`,
		r.key, r.c.id, r.kind, tx.now).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	var users []int64
	if r.orgID != 0 {
		if users, err = usersWithRole(ctx, tx, r.role, []int64{r.orgID}); err != nil {
			return false, err
		}
	}
	id := r.c.id
	for _, u := range users {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{Channel: lianluo.ChannelInApp, UserID: &uid, Template: r.template,
			Subject: r.subject, Body: r.body, CaseID: &id, Urgent: r.c.urgent,
			DedupeKey: fmt.Sprintf("%s:%d", r.key, uid)}); err != nil {
			return false, err
		}
	}
	note := r.note
	if len(users) == 0 {
		// Say so in the history: the office must see that no one was told.
		note += r.nobody
	}
	return true, caseEvent(ctx, tx, r.c.id, lianluo.ActUrge, r.c.status, r.c.status, note)
}

// beijingDay numbers the Beijing date of t (days since 1970-01-01 there).
func beijingDay(t time.Time) int {
	s := t.Unix() + 8*3600
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return int(d)
}

// yyyymmdd is the Beijing date of t, for reminder keys.
func yyyymmdd(t time.Time) string { return t.In(lianluo.Beijing).Format("20060102") }
