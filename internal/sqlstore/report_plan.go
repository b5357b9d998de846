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

// The deputy groups' 述职 plans (lianluo.ReportPlan; migration 0027): the
// deputies planned for a year, each one's 述职 activity with the voters
// present and the ballot opened when it is linked; the deputies not
// planned, with their written reports (duty records of kind report).

// groupMembersInOffice are the group's deputies in office, by id.
func groupMembersInOffice(ctx context.Context, c conn, groupID int64) ([]lianluo.DeputyRef, error) {
	var out []lianluo.DeputyRef
	err := scanEach(ctx, c, `SELECT id, name FROM deputies WHERE group_id = $1 AND status = $2 ORDER BY id`,
		[]any{groupID, lianluo.DeputyInOffice}, func(sc func(...any) error) error {
			var d lianluo.DeputyRef
			if err := sc(&d.ID, &d.Name); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	return out, err
}

// reportPlanFacts loads what CheckReportPlan decides on, and refuses
// planned deputies who are not the group's deputies in office.
func reportPlanFacts(ctx context.Context, c conn, g *lianluo.DeputyGroup, in lianluo.ReportPlanInput) (lianluo.ReportPlanFacts, error) {
	f := lianluo.ReportPlanFacts{Year: in.Year, Planned: in.DeputyIDs, Earlier: map[int64][]int{}}
	var err error
	if f.Members, err = groupMembersInOffice(ctx, c, g.ID); err != nil {
		return f, err
	}
	for _, id := range in.DeputyIDs {
		if !slices.ContainsFunc(f.Members, func(d lianluo.DeputyRef) bool { return d.ID == id }) {
			return f, lianluo.FieldError("deputy_ids", "所列代表（%d）不是%s的在任代表。", id, g.Name)
		}
	}
	err = scanEach(ctx, c, `SELECT e.deputy_id, p.year FROM report_plan_deputies e JOIN report_plans p ON p.id = e.plan_id
		WHERE p.group_id = $1 AND p.year >= $2 AND p.year < $3 ORDER BY p.year`,
		[]any{g.ID, lianluo.TermStart(in.Year), in.Year}, func(sc func(...any) error) error {
			var d int64
			var y int
			if err := sc(&d, &y); err != nil {
				return err
			}
			f.Earlier[d] = append(f.Earlier[d], y)
			return nil
		})
	return f, err
}

// checkReportPlan checks a plan about to be saved: its warnings refuse it
// unless in.Reason explains them; with none, the reason is dropped (nothing
// to explain). It returns the facts and the warnings' words to record.
func checkReportPlan(ctx context.Context, c conn, g *lianluo.DeputyGroup, in *lianluo.ReportPlanInput) (lianluo.ReportPlanFacts, []string, error) {
	f, err := reportPlanFacts(ctx, c, g, *in)
	if err != nil {
		return f, nil, err
	}
	ws := lianluo.CheckReportPlan(f)
	if len(ws) > 0 && in.Reason == "" {
		return f, nil, lianluo.WarningsError(ws)
	}
	msgs := make([]string, len(ws))
	for i, w := range ws {
		msgs[i] = w.Message
	}
	if len(ws) == 0 {
		in.Reason = ""
	}
	return f, msgs, nil
}

// ReportPlanWarnings checks a plan without saving it.
func (db *DB) ReportPlanWarnings(ctx context.Context, in lianluo.ReportPlanInput) (_ []lianluo.Warning, err error) {
	defer wrap(&err, "ReportPlanWarnings")
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c := db.reader()
	g, err := findGroupByID(ctx, c, in.GroupID)
	if lianluo.Is(err, lianluo.ENOTFOUND) {
		return nil, lianluo.NotInScope("group_id", "代表小组")
	} else if err != nil {
		return nil, err
	}
	f, err := reportPlanFacts(ctx, c, g, in)
	if err != nil {
		return nil, err
	}
	return lianluo.CheckReportPlan(f), nil
}

// CreateReportPlan saves a group's plan for a year: one a year; with
// warnings only when a reason is given, kept with them.
func (db *DB) CreateReportPlan(ctx context.Context, in lianluo.ReportPlanInput) (_ *lianluo.ReportPlan, err error) {
	defer wrap(&err, "CreateReportPlan")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		g, err := findGroupByID(ctx, tx.conn, in.GroupID)
		if lianluo.Is(err, lianluo.ENOTFOUND) {
			return lianluo.NotInScope("group_id", "代表小组")
		} else if err != nil {
			return err
		}
		if !lianluo.CanManageReportPlan(a, g) {
			return lianluo.Forbidden()
		}
		f, msgs, err := checkReportPlan(ctx, tx.conn, g, &in)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO report_plans (group_id, year, reason, warnings, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
			g.ID, in.Year, in.Reason, strings.Join(msgs, "\n"), userRef(a), tx.now).Scan(&id)
		if isUniqueViolation(err) {
			return lianluo.Errorf(lianluo.ECONFLICT, "%s%d年的述职计划已经制定过了。", g.Name, in.Year)
		} else if err != nil {
			return err
		}
		var names []string
		for i, d := range in.DeputyIDs {
			if _, err := tx.Exec(ctx, `INSERT INTO report_plan_deputies (plan_id, deputy_id, position, updated_at) VALUES ($1, $2, $3, $4)`,
				id, d, i, tx.now); err != nil {
				return err
			}
			for _, m := range f.Members {
				if m.ID == d {
					names = append(names, m.Name)
				}
			}
		}
		what := fmt.Sprintf("制定%d年代表述职计划：%s", in.Year, strings.Join(names, "、"))
		if in.Reason != "" {
			what += "。理由：" + in.Reason
		}
		return tx.event(ctx, lianluo.EntityGroup, g.ID, lianluo.AuditCreate, what)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReportPlanByID(ctx, id)
}

// UpdateReportPlan changes the planned deputies of a plan: the new list is
// checked as a new plan is (CheckReportPlan, a reason for its warnings, kept
// with them); deputies whose 述职 is linked to its activity cannot leave it.
func (db *DB) UpdateReportPlan(ctx context.Context, id int64, u lianluo.ReportPlanUpdate) (_ *lianluo.ReportPlan, err error) {
	defer wrap(&err, "UpdateReportPlan(%d)", id)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		p, err := loadReportPlan(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !p.CanManage {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("述职计划", u.Version, p.Version); err != nil {
			return err
		}
		in := lianluo.ReportPlanInput{GroupID: p.GroupID, Year: p.Year, DeputyIDs: u.DeputyIDs, Reason: u.Reason}
		if err := in.Validate(); err != nil {
			return err
		}
		for _, e := range p.Deputies {
			if e.ActivityID != nil && !slices.Contains(in.DeputyIDs, e.DeputyID) {
				return lianluo.FieldError("deputy_ids", "%s代表的述职已登记活动，不能移出计划。", e.DeputyName)
			}
		}
		g, err := findGroupByID(ctx, tx.conn, p.GroupID)
		if err != nil {
			return err
		}
		f, msgs, err := checkReportPlan(ctx, tx.conn, g, &in)
		if err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `UPDATE report_plans SET reason = $1, warnings = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND version = $5`, in.Reason, strings.Join(msgs, "\n"), tx.now, id, p.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		name := map[int64]string{}
		for _, m := range f.Members {
			name[m.ID] = m.Name
		}
		var added, removed []string
		for _, e := range p.Deputies {
			if slices.Contains(in.DeputyIDs, e.DeputyID) {
				continue
			}
			if _, err := tx.Exec(ctx, `DELETE FROM report_plan_deputies WHERE id = $1`, e.ID); err != nil {
				return err
			}
			removed = append(removed, e.DeputyName)
		}
		for i, d := range in.DeputyIDs {
			if slices.ContainsFunc(p.Deputies, func(e lianluo.PlannedReport) bool { return e.DeputyID == d }) {
				if _, err := tx.Exec(ctx, `UPDATE report_plan_deputies SET position = $1 WHERE plan_id = $2 AND deputy_id = $3`, i, id, d); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO report_plan_deputies (plan_id, deputy_id, position, updated_at) VALUES ($1, $2, $3, $4)`,
				id, d, i, tx.now); err != nil {
				return err
			}
			added = append(added, name[d])
		}
		what := fmt.Sprintf("修改%d年代表述职计划", p.Year)
		if len(added) > 0 {
			what += "：增加" + strings.Join(added, "、")
		}
		if len(removed) > 0 {
			what += "：移出" + strings.Join(removed, "、")
		}
		if in.Reason != "" {
			what += "。理由：" + in.Reason
		}
		return tx.event(ctx, lianluo.EntityGroup, p.GroupID, lianluo.AuditUpdate, what)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReportPlanByID(ctx, id)
}

// DeleteReportPlan withdraws a plan while none of its 述职 is linked to an
// activity (nothing hangs on it: no ballot, no record), recorded in the
// audit trail with its deputies.
func (db *DB) DeleteReportPlan(ctx context.Context, id int64, version int) (err error) {
	defer wrap(&err, "DeleteReportPlan(%d)", id)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		p, err := loadReportPlan(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !p.CanManage {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("述职计划", version, p.Version); err != nil {
			return err
		}
		var names []string
		for _, e := range p.Deputies {
			if e.ActivityID != nil {
				return lianluo.Errorf(lianluo.ESTATE, "%s代表的述职已登记活动，这份计划不能删除；可修改述职名单。", e.DeputyName)
			}
			names = append(names, e.DeputyName)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM report_plan_deputies WHERE plan_id = $1`, id); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM report_plans WHERE id = $1 AND version = $2`, id, p.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityGroup, p.GroupID, lianluo.AuditDelete,
			fmt.Sprintf("删除%d年代表述职计划（%s）", p.Year, strings.Join(names, "、")))
	})
}

// FindReportPlanByID returns a plan of a group in scope.
func (db *DB) FindReportPlanByID(ctx context.Context, id int64) (_ *lianluo.ReportPlan, err error) {
	defer wrap(&err, "FindReportPlanByID(%d)", id)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	return loadReportPlan(ctx, db.reader(), id)
}

// FindReportPlans lists the plans of the groups in scope, newest year first.
func (db *DB) FindReportPlans(ctx context.Context, f lianluo.ReportPlanFilter) (_ []*lianluo.ReportPlan, _ int, err error) {
	defer wrap(&err, "FindReportPlans")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, 0, err
	}
	c := db.reader()
	var w where
	scopeGroups(&w, a, "g")
	if f.Year != 0 {
		w.add("p.year = " + w.arg(f.Year))
	}
	if f.GroupID != 0 {
		w.add("p.group_id = " + w.arg(f.GroupID))
	}
	var ids []int64
	total := 0
	err = scanEach(ctx, c, `SELECT p.id, COUNT(*) OVER () FROM report_plans p JOIN deputy_groups g ON g.id = p.group_id`+
		w.String()+` ORDER BY p.year DESC, g.name, p.id`+w.page(f.Page), w.args, func(sc func(...any) error) error {
		var id int64
		if err := sc(&id, &total); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	out := []*lianluo.ReportPlan{}
	for _, id := range ids {
		p, err := loadReportPlan(ctx, c, id)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, nil
}

// loadReportPlan reads a plan whose group is in the caller's scope, with
// every planned 述职 and the written reports of the others.
func loadReportPlan(ctx context.Context, c conn, id int64) (*lianluo.ReportPlan, error) {
	a := lianluo.ActorFromContext(ctx)
	p := &lianluo.ReportPlan{ID: id, Deputies: []lianluo.PlannedReport{}, NotPlanned: []lianluo.WrittenReport{}, Warnings: []string{}}
	var warnings string
	err := c.QueryRow(ctx, `SELECT p.group_id, p.year, p.reason, p.warnings, COALESCE(u.display_name, ''), p.version, p.created_at, p.updated_at
		FROM report_plans p LEFT JOIN users u ON u.id = p.created_by WHERE p.id = $1`, id).
		Scan(&p.GroupID, &p.Year, &p.Reason, &warnings, &p.CreatedBy, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("述职计划")
	} else if err != nil {
		return nil, err
	}
	g, err := findGroupByID(ctx, c, p.GroupID)
	if lianluo.Is(err, lianluo.ENOTFOUND) {
		return nil, lianluo.NotFound("述职计划")
	} else if err != nil {
		return nil, err
	}
	p.GroupName, p.RegionCode, p.CanManage = g.Name, g.RegionCode, lianluo.CanManageReportPlan(a, g)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.In(lianluo.Beijing), p.UpdatedAt.In(lianluo.Beijing)
	if warnings != "" {
		p.Warnings = strings.Split(warnings, "\n")
	}

	var ballots []int64
	err = scanEach(ctx, c, `SELECT e.id, e.deputy_id, d.name, e.activity_id, e.voters_present, e.version,
			COALESCE(a.title, ''), a.starts_at, COALESCE(a.status, ''), a.recorded_at, COALESCE(b.id, 0)
		FROM report_plan_deputies e
		JOIN deputies d ON d.id = e.deputy_id
		LEFT JOIN activities a ON a.id = e.activity_id
		LEFT JOIN ballots b ON b.subject_kind = $2 AND b.subject_id = e.id
		WHERE e.plan_id = $1 ORDER BY e.position, e.id`, []any{id, string(lianluo.BallotReport)}, func(sc func(...any) error) error {
		var r lianluo.PlannedReport
		var recorded *time.Time
		var ballot int64
		if err := sc(&r.ID, &r.DeputyID, &r.DeputyName, &r.ActivityID, &r.VotersPresent, &r.Version,
			&r.ActivityTitle, &r.ActivityStart, &r.ActivityStatus, &recorded, &ballot); err != nil {
			return err
		}
		if r.ActivityStart != nil {
			t := r.ActivityStart.In(lianluo.Beijing)
			r.ActivityStart = &t
		}
		r.WrittenReport = recorded != nil
		r.FewVoters = r.ActivityID != nil && r.VotersPresent < lianluo.MinReportVoters
		p.Deputies = append(p.Deputies, r)
		ballots = append(ballots, ballot)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, bid := range ballots {
		if bid == 0 {
			continue
		}
		b, _, err := ballotInScope(ctx, c, bid)
		if lianluo.Is(err, lianluo.ENOTFOUND) {
			// The meeting is not the caller's to see (a station's
			// activity, a group leader reading): the tally, no more.
			if b, err = loadBallot(ctx, c, "id", bid); err != nil {
				return nil, err
			}
			b.Token = ""
		} else if err != nil {
			return nil, err
		} else if !b.CanManage {
			b.Token = ""
		}
		if b.Tally, err = ballotTally(ctx, c, b); err != nil {
			return nil, err
		}
		p.Deputies[i].Ballot = b
	}

	members, err := groupMembersInOffice(ctx, c, g.ID)
	if err != nil {
		return nil, err
	}
	p.Members = len(members)
	for _, m := range members {
		if slices.ContainsFunc(p.Deputies, func(r lianluo.PlannedReport) bool { return r.DeputyID == m.ID }) {
			continue
		}
		wr := lianluo.WrittenReport{DeputyID: m.ID, DeputyName: m.Name}
		var rid int64
		var status, by string
		var at *time.Time
		err := c.QueryRow(ctx, `SELECT r.id, r.status, COALESCE(u.display_name, ''), r.decided_at FROM duty_records r
			LEFT JOIN users u ON u.id = r.decided_by
			WHERE r.deputy_id = $1 AND r.kind = $2 AND r.done_on >= $3 AND r.done_on < $4 ORDER BY r.id DESC LIMIT 1`,
			m.ID, string(lianluo.DutyReport), fmt.Sprintf("%d-01-01", p.Year), fmt.Sprintf("%d-01-01", p.Year+1)).Scan(&rid, &status, &by, &at)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, err
		default:
			wr.DutyRecordID, wr.Status = &rid, lianluo.DutyStatus(status)
			if wr.Status == lianluo.DutyConfirmed {
				wr.ReviewedBy = by
				if at != nil {
					t := at.In(lianluo.Beijing)
					wr.ReviewedAt = &t
				}
			}
		}
		p.NotPlanned = append(p.NotPlanned, wr)
	}

	if p.CanManage {
		from := time.Date(p.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
		to := from.AddDate(1, 0, 0)
		acts, _, err := findActivities(ctx, c, lianluo.ActivityFilter{Kind: lianluo.ActivityReport, From: &from, To: &to, Page: lianluo.Page{PerPage: -1}})
		if err != nil {
			return nil, err
		}
		for _, x := range acts {
			if x.Status != lianluo.ActivityCancelled {
				p.Activities = append(p.Activities, lianluo.ReportActivity{ID: x.ID, Title: x.Title, StartsAt: x.StartsAt})
			}
		}
	}
	return p, nil
}

// LinkReport links a planned deputy's 述职 activity and the voters
// present; the first link opens the ballot, after which the activity
// stays (the votes are about that meeting) and only the count changes.
func (db *DB) LinkReport(ctx context.Context, planID, deputyID int64, l lianluo.ReportLink) (_ *lianluo.ReportPlan, err error) {
	defer wrap(&err, "LinkReport(%d, %d)", planID, deputyID)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		p, err := loadReportPlan(ctx, tx.conn, planID)
		if err != nil {
			return err
		}
		if !p.CanManage {
			return lianluo.Forbidden()
		}
		i := slices.IndexFunc(p.Deputies, func(r lianluo.PlannedReport) bool { return r.DeputyID == deputyID })
		if i < 0 {
			return lianluo.NotFound("计划述职的代表")
		}
		e := p.Deputies[i]
		if err := lianluo.CheckVersion("该代表的述职", l.Version, e.Version); err != nil {
			return err
		}
		if l.ActivityID <= 0 {
			return lianluo.FieldError("activity_id", "请选择述职活动。")
		}
		act, err := findActivity(ctx, tx.conn, l.ActivityID)
		if lianluo.Is(err, lianluo.ENOTFOUND) {
			return lianluo.NotInScope("activity_id", "述职活动")
		} else if err != nil {
			return err
		}
		if err := l.Validate(p.Year, deputyID, act); err != nil {
			return err
		}
		if e.Ballot != nil && (e.ActivityID == nil || *e.ActivityID != act.ID) {
			return lianluo.Errorf(lianluo.ESTATE, "已开启民主测评，不能更换述职活动。")
		}
		res, err := tx.Exec(ctx, `UPDATE report_plan_deputies SET activity_id = $1, voters_present = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND version = $5`, act.ID, l.VotersPresent, tx.now, e.ID, e.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if e.Ballot == nil {
			if _, err := openBallot(ctx, tx, lianluo.BallotReport, e.ID, act, e.DeputyName+"代表向选民述职",
				[]lianluo.BallotItem{{Key: lianluo.DeputyItemKey(deputyID), Label: e.DeputyName + "代表"}}); err != nil {
				return err
			}
		}
		what := fmt.Sprintf("登记%s代表%d年述职：%s，到会选民%d人", e.DeputyName, p.Year, act.Title, l.VotersPresent)
		if l.VotersPresent < lianluo.MinReportVoters {
			what += fmt.Sprintf("（少于%d人）", lianluo.MinReportVoters)
		}
		return tx.event(ctx, lianluo.EntityGroup, p.GroupID, lianluo.AuditUpdate, what)
	})
	if err != nil {
		return nil, err
	}
	return db.FindReportPlanByID(ctx, planID)
}

// closeReportBallot tells the deputy their 述职's tally and the voters'
// comments (003 述职制度 七: 选民评议意见应汇总后书面反馈代表本人), in-app
// and by text message. The performance record and the group's ledger read
// the closed ballot's summary (deputy_record.go, ledger.go).
func closeReportBallot(ctx context.Context, tx *Tx, b *lianluo.Ballot) error {
	var deputyID int64
	var stationID sql.NullInt64
	var starts time.Time
	var name string
	err := tx.QueryRow(ctx, `SELECT e.deputy_id, d.name, a.station_id, a.starts_at FROM report_plan_deputies e
		JOIN deputies d ON d.id = e.deputy_id JOIN activities a ON a.id = $2 WHERE e.id = $1`, b.SubjectID, b.ActivityID).
		Scan(&deputyID, &name, &stationID, &starts)
	if err != nil {
		return err
	}
	comments := "无"
	if len(b.Tally.Comments) > 0 {
		comments = lianluo.Truncate(strings.Join(b.Tally.Comments, "；"), 300)
	}
	_, body := lianluo.Message(lianluo.MsgReportEvaluated, name, starts.In(lianluo.Beijing).Format("1月2日"), b.Tally.Summary(), comments)
	// Keyed by the meeting too: the inbox links the notice to it, whose page
	// shows the tally (noticeAbout).
	return notifyDeputyText(ctx, tx, deputyID, stationID.Int64, fmt.Sprintf("report_evaluated:%d:%d", b.ActivityID, b.ID),
		lianluo.MsgReportEvaluated, body)
}
