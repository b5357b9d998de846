package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"lianluo"
)

// 工作评议 (docs/appraisals.md, migration 0028): appraisals, their units
// and steps, and the units' rectification items (appraisal_rectify.go).
// The rules are the root's (appraisal.go): DecideAppraisalStep, DecideRect,
// CanManageAppraisals, CanSeeAppraisal, UnitItemsVisible.

// scopeAppraisals: NPC staff see the appraisals of their subtree; a unit's
// handlers those of their unit; administrators all; nobody else any.
func scopeAppraisals(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	var or []string
	if a.HasAny(lianluo.RoleNPCOffice, lianluo.RoleNPCLeader) {
		or = regionClause(w, alias+".region_code", s.Regions)
	}
	if a.Has(lianluo.RoleUnitHandler) && len(s.Units) > 0 {
		or = append(or, alias+".id IN (SELECT appraisal_id FROM appraisal_units WHERE unit_id IN "+w.in(s.Units)+")")
	}
	addOr(w, or)
}

const appraisalColumns = `p.id, p.org_id, o.name, p.region_code, p.year, p.title, p.scheduled_on, p.schedule_reason,
	p.status, p.activity_id, p.version, p.created_at, p.updated_at`

const appraisalFrom = ` FROM appraisals p JOIN orgs o ON o.id = p.org_id`

func scanAppraisal(s interface{ Scan(...any) error }, p *lianluo.Appraisal, extra ...any) error {
	return s.Scan(append([]any{&p.ID, &p.OrgID, &p.OrgName, &p.RegionCode, &p.Year, &p.Title, &p.ScheduledOn, &p.ScheduleReason,
		&p.Status, &p.ActivityID, &p.Version, &p.CreatedAt, &p.UpdatedAt}, extra...)...)
}

// findAppraisal loads an appraisal in the caller's scope, whole (every
// unit and item): the callers filter what the actor sees (visibleTo).
func findAppraisal(ctx context.Context, c conn, id int64) (*lianluo.Appraisal, []lianluo.Rectification, error) {
	var w where
	w.add("p.id = " + w.arg(id))
	scopeAppraisals(&w, lianluo.ActorFromContext(ctx), "p")
	var p lianluo.Appraisal
	err := scanAppraisal(c.QueryRow(ctx, `SELECT `+appraisalColumns+appraisalFrom+w.String(), w.args...), &p)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, lianluo.NotFound("工作评议")
	} else if err != nil {
		return nil, nil, err
	}
	items, err := loadAppraisalParts(ctx, c, []*lianluo.Appraisal{&p})
	return &p, items[p.ID], err
}

// loadAppraisalParts fills the units, steps and case ids of the appraisals
// and returns their items, by appraisal.
func loadAppraisalParts(ctx context.Context, c conn, list []*lianluo.Appraisal) (map[int64][]lianluo.Rectification, error) {
	items := map[int64][]lianluo.Rectification{}
	if len(list) == 0 {
		return items, nil
	}
	byID := map[int64]*lianluo.Appraisal{}
	ids := make([]int64, 0, len(list))
	for _, p := range list {
		byID[p.ID] = p
		ids = append(ids, p.ID)
		p.Units, p.Steps, p.CaseIDs = []lianluo.AppraisalUnit{}, []lianluo.AppraisalStepRecord{}, []int64{}
	}
	var w where
	in := w.in(ids)
	err := scanEach(ctx, c, `SELECT u.appraisal_id, u.unit_id, o.name, u.report, u.findings, u.satisfied, u.basic, u.unsatisfied, u.ballot_id
		FROM appraisal_units u JOIN orgs o ON o.id = u.unit_id WHERE u.appraisal_id IN `+in+` ORDER BY u.appraisal_id, u.position`, w.args,
		func(sc func(...any) error) error {
			var id int64
			var u lianluo.AppraisalUnit
			if err := sc(&id, &u.UnitID, &u.Name, &u.Report, &u.Findings, &u.Tally.Satisfied, &u.Tally.Basic, &u.Tally.Unsatisfied, &u.BallotID); err != nil {
				return err
			}
			u.Items = []lianluo.Rectification{}
			byID[id].Units = append(byID[id].Units, u)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = scanEach(ctx, c, `SELECT s.appraisal_id, s.step, s.done_on, s.note, COALESCE(us.display_name, ''), s.recorded_at
		FROM appraisal_steps s LEFT JOIN users us ON us.id = s.recorded_by WHERE s.appraisal_id IN `+in, w.args,
		func(sc func(...any) error) error {
			var id int64
			var r lianluo.AppraisalStepRecord
			if err := sc(&id, &r.Step, &r.On, &r.Note, &r.By, &r.At); err != nil {
				return err
			}
			r.Name = r.Step.Name()
			byID[id].Steps = append(byID[id].Steps, r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = scanEach(ctx, c, `SELECT appraisal_id, case_id FROM appraisal_cases WHERE appraisal_id IN `+in+` ORDER BY case_id`, w.args,
		func(sc func(...any) error) error {
			var id, caseID int64
			if err := sc(&id, &caseID); err != nil {
				return err
			}
			byID[id].CaseIDs = append(byID[id].CaseIDs, caseID)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = scanEach(ctx, c, `SELECT `+rectColumns+rectFrom+` WHERE r.appraisal_id IN `+in+` ORDER BY r.due_on, r.id`, w.args,
		func(sc func(...any) error) error {
			var r lianluo.Rectification
			if err := scanRect(sc, &r); err != nil {
				return err
			}
			items[r.AppraisalID] = append(items[r.AppraisalID], r)
			return nil
		})
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		sortSteps(p)
		if p.ActivityID != nil {
			for i := range p.Steps {
				if p.Steps[i].Step == lianluo.StepMeeting {
					p.Steps[i].ActivityID = p.ActivityID
				}
			}
		}
	}
	return items, nil
}

// sortSteps puts the recorded steps in 003's order.
func sortSteps(p *lianluo.Appraisal) {
	var out []lianluo.AppraisalStepRecord
	for _, s := range lianluo.AppraisalSteps {
		for _, r := range p.Steps {
			if r.Step == s {
				out = append(out, r)
			}
		}
	}
	if out == nil {
		out = []lianluo.AppraisalStepRecord{}
	}
	p.Steps = out
}

// visibleTo finishes an appraisal for the actor at now: the units it may
// see (a unit's handlers only their own), each with its items and progress,
// the next step, what the actor may do.
func visibleTo(a *lianluo.Actor, p *lianluo.Appraisal, items []lianluo.Rectification, now time.Time) {
	p.StatusName = p.Status.Name()
	p.CanManage = lianluo.CanManageAppraisals(a, p.RegionCode)
	if p.Next = lianluo.NextStep(p.Steps); !p.CanManage {
		p.Next = ""
	}
	closed := p.Status == lianluo.AppraisalClosed
	var units []lianluo.AppraisalUnit
	for _, u := range p.Units {
		if !lianluo.UnitItemsVisible(a, p.RegionCode, u.UnitID) {
			continue
		}
		for _, r := range items {
			if r.UnitID != u.UnitID {
				continue
			}
			finishRect(a, &r, p, now, closed)
			u.Items = append(u.Items, r)
			u.Progress.Total++
			if r.Status == lianluo.RectAccepted {
				u.Progress.Done++
			}
			if r.Overdue {
				u.Progress.Overdue++
			}
		}
		units = append(units, u)
	}
	if units == nil {
		units = []lianluo.AppraisalUnit{}
	}
	p.Units = units
	if !p.CanManage && !a.HasAny(lianluo.RoleNPCOffice, lianluo.RoleNPCLeader) && !a.IsSystemAdmin() {
		p.CaseIDs = []int64{} // the opinions are the body's working papers
	}
}

// finishRect fills what an item's reader is told: its status name,
// whether it is overdue, what the actor may do with it.
func finishRect(a *lianluo.Actor, r *lianluo.Rectification, p *lianluo.Appraisal, now time.Time, closed bool) {
	r.AppraisalTitle = p.Title
	r.StatusName = r.Status.Name()
	r.Overdue = lianluo.RectOverdue(r.DueOn, r.Status, now)
	r.CanReport = !closed && lianluo.CanReportRect(a, r.UnitID) && (r.Status == lianluo.RectOpen || r.Status == lianluo.RectReturned)
	r.CanDecide = !closed && lianluo.CanManageAppraisals(a, p.RegionCode) && r.Status == lianluo.RectReported
}

// FindAppraisals lists the appraisals in scope, newest year first.
func (db *DB) FindAppraisals(ctx context.Context, f lianluo.AppraisalFilter) (_ []*lianluo.Appraisal, _ int, err error) {
	defer wrap(&err, "FindAppraisals")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	if !lianluo.CanListAppraisals(a) {
		return nil, 0, lianluo.Forbidden()
	}
	c := db.reader()
	var w where
	scopeAppraisals(&w, a, "p")
	if f.Year != 0 {
		w.add("p.year = " + w.arg(f.Year))
	}
	list, total, err := queryList(ctx, c, `SELECT `+appraisalColumns+`, COUNT(*) OVER ()`+appraisalFrom+w.String()+
		` ORDER BY p.year DESC, p.scheduled_on DESC, p.id DESC`+w.page(f.Page), w.args,
		func(s interface{ Scan(...any) error }, p *lianluo.Appraisal, n *int) error {
			return scanAppraisal(s, p, n)
		})
	if err != nil {
		return nil, 0, err
	}
	items, err := loadAppraisalParts(ctx, c, list)
	if err != nil {
		return nil, 0, err
	}
	now := db.Now()
	for _, p := range list {
		visibleTo(a, p, items[p.ID], now)
	}
	if list == nil {
		list = []*lianluo.Appraisal{}
	}
	return list, total, nil
}

// FindAppraisalByID returns an appraisal in scope as the caller may see it.
func (db *DB) FindAppraisalByID(ctx context.Context, id int64) (_ *lianluo.Appraisal, err error) {
	defer wrap(&err, "FindAppraisalByID(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	p, items, err := findAppraisal(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	visibleTo(a, p, items, db.Now())
	return p, nil
}

// CreateAppraisal plans an appraisal: the body (an NPC body in scope,
// whose region the actor manages) and its units (units in scope, inside
// the body's region: a town appraises its own 站办所).
func (db *DB) CreateAppraisal(ctx context.Context, in lianluo.AppraisalInput) (_ *lianluo.Appraisal, err error) {
	defer wrap(&err, "CreateAppraisal")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.CanManageRegistry() {
		return nil, lianluo.Forbidden()
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		body, err := findOrgByID(ctx, tx.conn, in.OrgID)
		if err != nil && !lianluo.Is(err, lianluo.ENOTFOUND) {
			return err
		}
		if err != nil || body.Kind != lianluo.OrgNPC {
			return lianluo.NotInScope("org_id", "人大机构")
		}
		if !lianluo.CanManageAppraisals(a, body.RegionCode) {
			return lianluo.Forbidden()
		}
		var names []string
		for _, uid := range in.UnitIDs {
			u, err := findOrgByID(ctx, tx.conn, uid)
			if err != nil && !lianluo.Is(err, lianluo.ENOTFOUND) {
				return err
			}
			if err != nil || u.Kind != lianluo.OrgUnit || !strings.HasPrefix(u.RegionCode, body.RegionCode) {
				return lianluo.NotInScope("unit_ids", "被评议单位")
			}
			names = append(names, u.Name)
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO appraisals (
				org_id,
				region_code,
				year,
				title,
				scheduled_on,
				schedule_reason,
				status,
				created_by,
				version,
				created_at,
				updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id`,
			body.ID, body.RegionCode, in.Year, in.Title, in.ScheduledOn, in.ScheduleReason, lianluo.AppraisalPlanned, userRef(a), tx.now).Scan(&id); err != nil {
			return err
		}
		for i, uid := range in.UnitIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO appraisal_units (appraisal_id, unit_id, position) VALUES ($1, $2, $3)`, id, uid, i); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("新建工作评议“%s”（%s，被评议单位：%s）", in.Title, in.ScheduledOn, strings.Join(names, "、"))
		if in.ScheduleReason != "" {
			summary += "；安排在第四季度以外，理由：" + in.ScheduleReason
		}
		return tx.event(ctx, lianluo.EntityAppraisal, id, lianluo.AuditCreate, summary)
	})
	if err != nil {
		return nil, err
	}
	return db.FindAppraisalByID(ctx, id)
}

// RecordStep records the appraisal's next step (DecideAppraisalStep) and
// what it brings: the opinions collected, the meeting and the units'
// reports, the tally, the appraisal opinions (told to each unit's handlers).
func (db *DB) RecordStep(ctx context.Context, id int64, in lianluo.AppraisalStepInput) (_ *lianluo.Appraisal, err error) {
	defer wrap(&err, "RecordStep(%d, %s)", id, in.Step)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		p, items, err := findAppraisal(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !lianluo.CanManageAppraisals(a, p.RegionCode) {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("该评议", in.Version, p.Version); err != nil {
			return err
		}
		facts := lianluo.AppraisalStepFacts{Items: items, HasBallot: len(p.Units) > 0 && p.Units[0].BallotID != nil}
		var meeting *lianluo.Activity
		if in.Step == lianluo.StepMeeting && in.ActivityID != nil {
			if x, err := findActivity(ctx, tx.conn, *in.ActivityID); err == nil && lianluo.CanManageAppraisals(a, x.RegionCode) {
				facts.ActivityKind, meeting = x.Kind, x
			} else if err != nil && !lianluo.Is(err, lianluo.ENOTFOUND) {
				return err
			}
		}
		rec, err := lianluo.DecideAppraisalStep(p, &in, facts, tx.now)
		if err != nil {
			return err
		}
		if err := applyAppraisalStep(ctx, tx, p, in, meeting); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO appraisal_steps (appraisal_id, step, done_on, note, recorded_by, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, rec.Step, rec.On, rec.Note, userRef(a), tx.now); err != nil {
			return err
		}
		status := lianluo.StatusAfter(append(p.Steps, rec))
		res, err := tx.Exec(ctx, `UPDATE appraisals SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4`,
			status, tx.now, id, p.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityAppraisal, id, lianluo.AuditRecord, lianluo.StepSummary(p.Title, rec))
	})
	if err != nil {
		return nil, err
	}
	return db.FindAppraisalByID(ctx, id)
}

// applyAppraisalStep writes what a step brings besides its record; meeting
// is the appraisal meeting's activity, for the meeting step.
func applyAppraisalStep(ctx context.Context, tx *Tx, p *lianluo.Appraisal, in lianluo.AppraisalStepInput, meeting *lianluo.Activity) error {
	switch in.Step {
	case lianluo.StepCollect:
		seen := map[int64]bool{}
		for _, cid := range in.CaseIDs {
			if seen[cid] {
				continue
			}
			seen[cid] = true
			if _, err := findCaseRow(ctx, tx.conn, cid); err != nil {
				if lianluo.Is(err, lianluo.ENOTFOUND) {
					return lianluo.NotInScope("case_ids", fmt.Sprintf("意见（编号%d）", cid))
				}
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO appraisal_cases (appraisal_id, case_id) VALUES ($1, $2)`, p.ID, cid); err != nil {
				return err
			}
		}
	case lianluo.StepMeeting:
		if _, err := tx.Exec(ctx, `UPDATE appraisals SET activity_id = $1 WHERE id = $2`, *in.ActivityID, p.ID); err != nil {
			return err
		}
		for _, u := range in.Units {
			if _, err := tx.Exec(ctx, `UPDATE appraisal_units SET report = $1 WHERE appraisal_id = $2 AND unit_id = $3`,
				strings.TrimSpace(u.Report), p.ID, u.UnitID); err != nil {
				return err
			}
		}
		// The 民意测评 of the meeting: one ballot, an item per unit, voted
		// on the phones of those present (docs/reports.md).
		var items []lianluo.BallotItem
		for _, u := range p.Units {
			items = append(items, lianluo.BallotItem{Key: lianluo.UnitBallotKey(u.UnitID), Label: u.Name})
		}
		b, err := openBallot(ctx, tx, lianluo.BallotAppraisal, p.ID, meeting, p.Title+"民意测评", items)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE appraisal_units SET ballot_id = $1 WHERE appraisal_id = $2`, b.ID, p.ID); err != nil {
			return err
		}
	case lianluo.StepBallot:
		if len(p.Units) > 0 && p.Units[0].BallotID != nil {
			return closeAppraisalBallot(ctx, tx, *p.Units[0].BallotID, in.Units)
		}
		for _, u := range in.Units {
			if _, err := tx.Exec(ctx, `UPDATE appraisal_units SET satisfied = $1, basic = $2, unsatisfied = $3 WHERE appraisal_id = $4 AND unit_id = $5`,
				u.Tally.Satisfied, u.Tally.Basic, u.Tally.Unsatisfied, p.ID, u.UnitID); err != nil {
				return err
			}
		}
	case lianluo.StepFindings:
		for _, u := range in.Units {
			text := strings.TrimSpace(u.Findings)
			if _, err := tx.Exec(ctx, `UPDATE appraisal_units SET findings = $1 WHERE appraisal_id = $2 AND unit_id = $3`, text, p.ID, u.UnitID); err != nil {
				return err
			}
			name := ""
			for _, x := range p.Units {
				if x.UnitID == u.UnitID {
					name = x.Name
				}
			}
			_, body := lianluo.Message(lianluo.MsgAppraisalFindings, lianluo.Truncate(p.Title, 30), name, lianluo.Truncate(text, 200))
			if err := tellUnit(ctx, tx, u.UnitID, lianluo.MsgAppraisalFindings, body, fmt.Sprintf("appraisal_findings:%d:%d", p.ID, u.UnitID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// tellUnit sends a notice to every active handler of the unit, each once
// (the dedupe key with the user's id appended).
func tellUnit(ctx context.Context, tx *Tx, unitID int64, key lianluo.TemplateKey, body, dedupe string) error {
	users, err := usersWithRole(ctx, tx, lianluo.RoleUnitHandler, []int64{unitID})
	if err != nil {
		return err
	}
	for _, u := range users {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: key, Body: body,
			DedupeKey: fmt.Sprintf("%s:%d", dedupe, u)}); err != nil {
			return err
		}
	}
	return nil
}

func init() { ballotClosers[lianluo.BallotAppraisal] = copyAppraisalTally }

// copyAppraisalTally keeps a closed ballot's totals (votes and paper) on
// the appraisal's units, where the lists read them.
func copyAppraisalTally(ctx context.Context, tx *Tx, b *lianluo.Ballot) error {
	for _, it := range b.Tally.Items {
		uid, err := strconv.ParseInt(strings.TrimPrefix(it.Key, "u"), 10, 64)
		if err != nil {
			continue // not a unit's item
		}
		if _, err := tx.Exec(ctx, `UPDATE appraisal_units SET satisfied = $1, basic = $2, unsatisfied = $3 WHERE appraisal_id = $4 AND unit_id = $5`,
			it.Total.Satisfied, it.Total.Basic, it.Total.Dissatisfied, b.SubjectID, uid); err != nil {
			return err
		}
	}
	return nil
}

// closeAppraisalBallot is the 民意测评 step on a ballot: the units' paper
// counts given (replacing those entered before), then the ballot closed —
// or, closed already (by staff or the job), its totals taken again.
func closeAppraisalBallot(ctx context.Context, tx *Tx, ballotID int64, units []lianluo.AppraisalStepUnit) error {
	b, err := loadBallot(ctx, tx.conn, "id", ballotID)
	if err != nil {
		return err
	}
	paper := false
	for _, u := range units {
		if u.Tally == nil {
			continue
		}
		paper = true
		if _, err := tx.Exec(ctx, `INSERT INTO ballot_paper (ballot_id, item, satisfied, basic, dissatisfied, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (ballot_id, item) DO UPDATE SET satisfied = excluded.satisfied, basic = excluded.basic,
				dissatisfied = excluded.dissatisfied, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			b.ID, lianluo.UnitBallotKey(u.UnitID), u.Tally.Satisfied, u.Tally.Basic, u.Tally.Unsatisfied, userRef(tx.actor), tx.now); err != nil {
			return err
		}
	}
	if paper {
		if _, err := tx.Exec(ctx, `UPDATE ballots SET paper_version = paper_version + 1, updated_at = $1 WHERE id = $2`, tx.now, b.ID); err != nil {
			return err
		}
	}
	if b.Status == lianluo.BallotOpen {
		return closeBallot(ctx, tx, b)
	}
	if b.Tally, err = ballotTally(ctx, tx.conn, b); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE ballots SET summary = $1 WHERE id = $2`, b.Tally.Summary(), b.ID); err != nil {
		return err
	}
	return copyAppraisalTally(ctx, tx, b)
}
