package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/textsearch"
)

const caseColumns = `c.id, c.tracking_code, c.kind, c.channel, c.station_id, COALESCE(s.name, ''), c.org_id, COALESCE(o.name, ''),
	c.title, c.content, c.category, c.region_code, COALESCE(r.name, ''), c.location,
	c.submitter_name, c.submitter_phone, c.submitter_address, c.submitter_id_number,
	c.urgent, c.confidential, c.status, c.round, c.master_id, c.due_at, c.original_due_at,
	c.ext_until, c.ext_reason, c.ext_decided, c.ext_approved, c.ext_decided_at, c.outcome,
	c.closed_at, c.archived_year,
	(SELECT MIN(oc.occasion_id) FROM occasion_cases oc WHERE oc.kind = 'reception' AND oc.case_id = c.id), c.published_at, c.public_answer, c.version, c.created_at, c.updated_at`

const caseFrom = ` FROM cases c
	LEFT JOIN stations s ON s.id = c.station_id
	LEFT JOIN orgs o ON o.id = c.org_id
	LEFT JOIN regions r ON r.code = c.region_code`

// scanCase reads a row of caseColumns and opens the sealed submitter fields
// (fieldcrypt.go); the callers mask them for the actor (MaskSubmitterFor).
func scanCase(kr *keyring, sc interface{ Scan(...any) error }, c *lianluo.Case, extra ...any) error {
	var extUntil *time.Time
	var extReason string
	var extDecided, extApproved bool
	var extDecidedAt *time.Time
	err := sc.Scan(append([]any{&c.ID, &c.TrackingCode, &c.Kind, &c.Channel, &c.StationID, &c.StationName, &c.OrgID, &c.OrgName,
		&c.Title, &c.Content, &c.Category, &c.RegionCode, &c.RegionName, &c.Location,
		&c.Submitter.Name, &c.Submitter.Phone, &c.Submitter.Address, &c.Submitter.IDNumber,
		&c.Urgent, &c.Confidential, &c.Status, &c.Round, &c.MasterID, &c.DueDate, &c.OriginalDue,
		&extUntil, &extReason, &extDecided, &extApproved, &extDecidedAt, &c.Outcome,
		&c.ClosedAt, &c.ArchivedYear, &c.ReceptionID, &c.PublishedAt, &c.PublicAnswer, &c.Version, &c.CreatedAt, &c.UpdatedAt}, extra...)...)
	if err == nil && extUntil != nil {
		c.Extension = &lianluo.Extension{Until: *extUntil, Reason: extReason, Decided: extDecided, Approved: extApproved, DecidedAt: extDecidedAt}
	}
	if err == nil {
		err = kr.openSubmitter(&c.Submitter)
	}
	return err
}

// scopeCases: NPC staff see cases in their region subtree and in their
// bodies' queues; station staff their stations' cases; a deputy what they
// received and what their stations hold; a unit what was assigned to it.
func scopeCases(w *where, a *lianluo.Actor, alias string) {
	arms := scopeCaseArmsAs(w, a, alias)
	if arms == nil {
		return
	}
	or := make([]string, len(arms))
	for i, arm := range arms {
		or[i] = arm.cond
	}
	addOr(w, or)
}

// FindCaseByID returns a case inside the caller's scope with its units,
// reply, ratings, history and the actions the caller may take now.
func (db *DB) FindCaseByID(ctx context.Context, id int64) (_ *lianluo.Case, err error) {
	defer wrap(&err, "FindCaseByID(%d)", id)
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCaseRow(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if err := loadCaseDetails(ctx, db.reader(), c, true); err != nil {
		return nil, err
	}
	a := lianluo.ActorFromContext(ctx)
	c.Allowed = lianluo.AllowedActions(a, c, pol)
	lianluo.MaskSubmitterFor(a, c)
	return c, nil
}

// findCase loads the case (unmasked) inside the caller's scope, with the
// details the workflow's rules read (no history).
func findCase(ctx context.Context, cn conn, id int64) (*lianluo.Case, error) {
	c, err := findCaseRow(ctx, cn, id)
	if err != nil {
		return nil, err
	}
	return c, loadCaseDetails(ctx, cn, c, false)
}

// findCaseRow loads the case row alone (unmasked) inside the caller's scope.
func findCaseRow(ctx context.Context, cn conn, id int64) (*lianluo.Case, error) {
	var w where
	w.add("c.id = " + w.arg(id))
	scopeCases(&w, lianluo.ActorFromContext(ctx), "c")
	var c lianluo.Case
	err := scanCase(cn.db.keys, cn.QueryRow(ctx, `SELECT `+caseColumns+caseFrom+w.String(), w.args...), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("意见")
	} else if err != nil {
		return nil, err
	}
	return &c, nil
}

// loadCaseDetails fills the receiving deputies, the current units, the
// latest reply and the ratings; with history, the events too.
func loadCaseDetails(ctx context.Context, cn conn, c *lianluo.Case, history bool) error {
	c.ReceivedBy, c.ReceivedByNames, c.Units, c.Ratings = []int64{}, []string{}, []lianluo.CaseUnit{}, []lianluo.Rating{}
	rows, err := cn.Query(ctx, `SELECT d.id, d.name FROM case_deputies cd JOIN deputies d ON d.id = cd.deputy_id WHERE cd.case_id = $1 ORDER BY d.id`, c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return err
		}
		c.ReceivedBy, c.ReceivedByNames = append(c.ReceivedBy, id), append(c.ReceivedByNames, name)
	}
	rows.Close()
	rows, err = cn.Query(ctx, `SELECT cu.org_id, o.name, cu.lead, cu.round, cu.signed_at FROM case_units cu JOIN orgs o ON o.id = cu.org_id
		WHERE cu.case_id = $1 AND cu.active = TRUE ORDER BY cu.lead DESC, o.id`, c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var u lianluo.CaseUnit
		if err := rows.Scan(&u.OrgID, &u.Name, &u.Lead, &u.Round, &u.SignedAt); err != nil {
			rows.Close()
			return err
		}
		c.Units = append(c.Units, u)
	}
	rows.Close()
	var rp lianluo.Reply
	err = cn.QueryRow(ctx, `SELECT result, content, met_deputy, round, at FROM case_replies WHERE case_id = $1 ORDER BY round DESC LIMIT 1`, c.ID).
		Scan(&rp.Result, &rp.Content, &rp.MetDeputy, &rp.Round, &rp.At)
	if err == nil {
		c.Reply = &rp
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	rows, err = cn.Query(ctx, `SELECT by_kind, rating, comment, round, at FROM case_ratings WHERE case_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var r lianluo.Rating
		if err := rows.Scan(&r.By, &r.Rating, &r.Comment, &r.Round, &r.At); err != nil {
			rows.Close()
			return err
		}
		c.Ratings = append(c.Ratings, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if lianluo.IsSuggestionKind(c.Kind) || history {
		if err := loadSuggestionDetails(ctx, cn, c); err != nil {
			return err
		}
	}
	if !history {
		return nil
	}
	c.Events = []lianluo.CaseEvent{}
	rows, err = cn.Query(ctx, `SELECT id, at, actor_name, action, from_status, to_status, comment FROM case_events WHERE case_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e lianluo.CaseEvent
		if err := rows.Scan(&e.ID, &e.At, &e.ActorName, &e.Action, &e.From, &e.To, &e.Comment); err != nil {
			return err
		}
		c.Events = append(c.Events, e)
	}
	return rows.Err()
}

// isOffice reports whether the actor works in an NPC body responsible for the case.
func isOffice(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Office }

// isStationStaff reports whether the actor runs the case's station.
func isStationStaff(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Station }

// isReceivingDeputy reports whether the actor is a deputy who received the case.
func isReceivingDeputy(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Deputy }

// isLeadHandler reports whether the actor handles for the lead unit.
func isLeadHandler(a *lianluo.Actor, c *lianluo.Case) bool { return lianluo.RolesOn(a, c).Handler }

// RevealSubmitter returns the submitter unmasked to the office or the
// station's staff, with a reason, and records the reveal in the audit trail.
func (db *DB) RevealSubmitter(ctx context.Context, id int64, reason lianluo.RevealReason) (_ *lianluo.Submitter, err error) {
	defer wrap(&err, "RevealSubmitter(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	why, err := reason.Check()
	if err != nil {
		return nil, err
	}
	policy, err := db.SecurityPolicy(ctx)
	if err != nil {
		return nil, err
	}
	var out lianluo.Submitter
	var limited error
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !lianluo.CanRevealSubmitter(a, c) {
			return lianluo.Forbidden()
		}
		if limited, err = checkRevealRate(ctx, tx, a, policy); err != nil || limited != nil {
			return err
		}
		out = c.Submitter
		return tx.event(ctx, lianluo.EntityCase, id, lianluo.AuditReveal, "查看反映人联系方式，"+why)
	})
	if err == nil && limited != nil {
		return nil, limited
	}
	return &out, err
}

// trackingAlphabet leaves out 0/O and 1/I/L, which voters confuse.
const trackingAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newTrackingCode() string {
	b := make([]byte, 10)
	rand.Read(b)
	for i := range b {
		b[i] = trackingAlphabet[int(b[i])%len(trackingAlphabet)]
	}
	return string(b)
}

// CreateCase registers a case (接访登记). It enters the queue of the NPC
// body managing its station, or of the body whose region holds it.
func (db *DB) CreateCase(ctx context.Context, in lianluo.CaseInput) (_ *lianluo.Case, err error) {
	defer wrap(&err, "CreateCase")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	in.Title, in.Content = strings.TrimSpace(in.Title), strings.TrimSpace(in.Content)
	suggestion := lianluo.IsSuggestionKind(in.Kind)
	if (!suggestion && !lianluo.CanRegisterCases(a)) || (suggestion && !lianluo.CanRaiseSuggestions(a)) {
		return nil, lianluo.Forbidden()
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	// An opinion's references are checked on a reader before the write: on
	// SQLite the one writer is what limits registrations, and these reads
	// were a third of its work (BENCHMARKS.md). The foreign keys still hold
	// inside the write; a scope is as of the request.
	var target caseTarget
	if !suggestion {
		if target, err = checkCaseTarget(ctx, db.reader(), a, &in); err != nil {
			return nil, err
		}
	}
	var id int64
	var c *lianluo.Case
	err = db.transact(ctx, func(tx *Tx) error {
		var err error
		if suggestion {
			id, err = createSuggestion(ctx, tx, a, in)
		} else {
			c, err = writeCase(ctx, tx, a, in, target)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if suggestion {
		return db.FindCaseByID(ctx, id)
	}
	// The opinion as written, not read back: the read-back's seven queries
	// were a fifth of a registration's CPU (BENCHMARKS.md). What
	// FindCaseByID would return, to the byte (TestCreateCaseReturnsWhatIsStored).
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	c.Allowed = lianluo.AllowedActions(a, c, pol)
	lianluo.MaskSubmitterFor(a, c)
	return c, nil
}

// caseTarget is what a registration refers to, checked and looked up
// before it is written (checkCaseTarget).
type caseTarget struct {
	region   *lianluo.Region // the case's region, its code as stored
	orgID    int64           // the NPC body whose queue it joins
	orgName  string
	station  string   // the station's name, if at a station
	deputies []string // the names of the receiving deputies, in.ReceivedBy's order
	doc      string   // the search document of its title and content
}

// createCase registers an opinion inside tx: its references checked in tx,
// then written. For registrations inside a larger write (a diary entry, the
// mailbox, the online station).
func createCase(ctx context.Context, tx *Tx, a *lianluo.Actor, in lianluo.CaseInput) (int64, error) {
	t, err := checkCaseTarget(ctx, tx.conn, a, &in)
	if err != nil {
		return 0, err
	}
	c, err := writeCase(ctx, tx, a, in, t)
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// checkCaseTarget checks what an opinion refers to — the region, the
// station in the caller's scope (or the body of the region), the reception,
// the receiving deputies in scope — and sorts the deputies (and, for a deputy
// registering on their own, names them).
func checkCaseTarget(ctx context.Context, c conn, a *lianluo.Actor, in *lianluo.CaseInput) (caseTarget, error) {
	r, err := requireRegionRow(ctx, c, "region_code", in.RegionCode)
	if err != nil {
		return caseTarget{}, err
	}
	region := r.Code
	t := caseTarget{region: r}
	var within string // the region of the body the station reports to
	if in.StationID != nil {
		// The station in scope, its body and the body's region, in one query.
		var w where
		w.add("s.id = " + w.arg(*in.StationID))
		scopeStations(&w, a, "s")
		err := c.QueryRow(ctx, `SELECT s.org_id, o.name, o.region_code, s.name FROM stations s JOIN orgs o ON o.id = s.org_id`+w.String(), w.args...).
			Scan(&t.orgID, &t.orgName, &within, &t.station)
		if errors.Is(err, sql.ErrNoRows) {
			return caseTarget{}, lianluo.FieldError("station_id", "联络站不存在或不在您的范围内。")
		} else if err != nil {
			return caseTarget{}, err
		}
	} else {
		// The deepest NPC body whose region contains the case's region.
		err := c.QueryRow(ctx, `SELECT id, name FROM orgs WHERE kind = 'npc' AND active = TRUE AND $1 LIKE region_code || '%'
			ORDER BY LENGTH(region_code) DESC, id LIMIT 1`, region).Scan(&t.orgID, &t.orgName)
		if errors.Is(err, sql.ErrNoRows) {
			return caseTarget{}, lianluo.FieldError("station_id", "找不到负责该地区的人大机构，请选择联络站。")
		} else if err != nil {
			return caseTarget{}, err
		}
	}
	// The region decides which office sees the case: inside the caller's
	// subtrees, or inside the area of the station's body (station staff and
	// deputies), never another town's.
	if err := a.CheckRegionInScope("region_code", region, within); err != nil {
		return caseTarget{}, err
	}
	if in.ReceptionID != nil {
		// Registered during a reception: at that station, in the caller's scope.
		rc, err := findReception(ctx, c, *in.ReceptionID)
		if err != nil {
			return caseTarget{}, lianluo.FieldError("reception_id", "接待活动不存在或不在您的范围内。")
		}
		if rc.Status != lianluo.ReceptionPublished || in.StationID == nil || *in.StationID != rc.StationID {
			return caseTarget{}, lianluo.FieldError("reception_id", "只能关联本联络站已发布的接待活动。")
		}
	}
	slices.Sort(in.ReceivedBy)
	in.ReceivedBy = slices.Compact(in.ReceivedBy)
	for _, d := range in.ReceivedBy {
		name, err := deputyNameInScope(ctx, c, d)
		if err != nil {
			return caseTarget{}, lianluo.FieldError("received_by", "接待代表（编号%d）不存在或不在您的范围内。", d)
		}
		t.deputies = append(t.deputies, name)
	}
	// A deputy registering on their own is the receiving deputy.
	if d, ok := a.OwnDeputy(); ok && len(in.ReceivedBy) == 0 {
		var name string
		if err := c.QueryRow(ctx, `SELECT name FROM deputies WHERE id = $1`, d).Scan(&name); err != nil {
			return caseTarget{}, err
		}
		in.ReceivedBy, t.deputies = []int64{d}, []string{name}
	}
	t.doc = textsearch.Document(in.Title, in.Content)
	return t, nil
}

// writeCase writes a registration whose references checkCaseTarget checked,
// and returns the case as FindCaseByID would read it back, unmasked and
// without its Allowed actions.
func writeCase(ctx context.Context, tx *Tx, a *lianluo.Actor, in lianluo.CaseInput, t caseTarget) (*lianluo.Case, error) {
	region, orgID := t.region.Code, t.orgID
	var err error
	var creator *int64
	if a.User != nil && a.User.ID != 0 {
		creator = &a.User.ID
	}
	var id int64
	var code string
	for attempt := 0; ; attempt++ {
		code = newTrackingCode()
		err = tx.QueryRow(ctx, `
			INSERT INTO cases (tracking_code, kind, channel, station_id, org_id, title, content, category, region_code,
				location, submitter_name, submitter_phone, submitter_address, submitter_id_number, urgent, confidential,
				status, round, created_by, version, created_at, updated_at, submitter_phone_last4, submitter_phone_hmac)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'registered', 1, $17, 1, $18, $19, $20, $21)
			RETURNING id`,
			code, in.Kind, in.Channel, in.StationID, orgID, in.Title, in.Content, in.Category, region,
			in.Location, strings.TrimSpace(in.Submitter.Name), tx.db.keys.seal(in.Submitter.Phone), tx.db.keys.seal(in.Submitter.Address), tx.db.keys.seal(in.Submitter.IDNumber),
			in.Urgent, in.Confidential, creator, tx.now, tx.now, lianluo.PhoneTail(in.Submitter.Phone), tx.db.keys.phoneHash(in.Submitter.Phone)).Scan(&id)
		if isUniqueViolation(err) && attempt < 5 {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	if in.ReceptionID != nil {
		if err := receptionOccasions.linkCase(ctx, tx, *in.ReceptionID, id); err != nil {
			return nil, err
		}
	}
	for _, d := range in.ReceivedBy {
		// The case's registration date (migration 0025) and status (0036)
		// beside the deputy.
		if _, err := tx.Exec(ctx, `INSERT INTO case_deputies (case_id, deputy_id, created_at, case_status) VALUES ($1, $2, $3, $4)`,
			id, d, tx.now, lianluo.StatusRegistered); err != nil {
			return nil, err
		}
	}
	if err := indexSearch(ctx, tx, "cases", id, t.doc); err != nil {
		return nil, err
	}
	comment := "渠道：" + lianluo.ChannelNames[in.Channel]
	if in.Urgent {
		comment += "；情况紧急"
	}
	registered, err := addCaseEvent(ctx, tx, id, lianluo.StepRegister, "", lianluo.StatusRegistered, comment)
	if err != nil {
		return nil, err
	}
	if in.Urgent {
		// 000: urgent matters go to the town and district NPC offices at once.
		if err := notifyUrgent(ctx, tx, id, orgID, in.Title); err != nil {
			return nil, err
		}
	}
	c := &lianluo.Case{ID: id, TrackingCode: code, Kind: in.Kind, Channel: in.Channel, StationID: in.StationID, StationName: t.station,
		OrgID: orgID, OrgName: t.orgName, Title: in.Title, Content: in.Content, Category: in.Category,
		RegionCode: region, RegionName: t.region.Name, Location: in.Location,
		Submitter: lianluo.Submitter{Name: strings.TrimSpace(in.Submitter.Name), Phone: in.Submitter.Phone,
			Address: in.Submitter.Address, IDNumber: in.Submitter.IDNumber},
		Urgent: in.Urgent, Confidential: in.Confidential, Status: lianluo.StatusRegistered, Round: 1, ReceptionID: in.ReceptionID,
		Version: 1, CreatedAt: tx.now, UpdatedAt: tx.now,
		ReceivedBy: append([]int64{}, in.ReceivedBy...), ReceivedByNames: append([]string{}, t.deputies...),
		Units: []lianluo.CaseUnit{}, Ratings: []lianluo.Rating{}, Events: []lianluo.CaseEvent{registered}}
	return c, nil
}

// notifyUrgent tells the office staff of the case's body and of its parent.
func notifyUrgent(ctx context.Context, tx *Tx, caseID, orgID int64, title string) error {
	orgs := []int64{orgID}
	var parent *int64
	if err := tx.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = $1`, orgID).Scan(&parent); err != nil {
		return err
	}
	if parent != nil {
		orgs = append(orgs, *parent)
	}
	users, err := usersWithRole(ctx, tx, lianluo.RoleNPCOffice, orgs)
	if err != nil {
		return err
	}
	for _, u := range users {
		uid := u
		subject, body := lianluo.Message(lianluo.MsgCaseUrgent, lianluo.Truncate(title, 30))
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgCaseUrgent, Urgent: true, CaseID: &caseID,
			Subject: subject, Body: body,
			DedupeKey: fmt.Sprintf("urgent:%d:%d", caseID, uid)}); err != nil {
			return err
		}
	}
	return nil
}

// userRef is the actor's user ID for an actor_id column: NULL for the
// system and for the anonymous voter.
func userRef(a *lianluo.Actor) *int64 {
	if a == nil || a.User == nil || a.User.ID == 0 {
		return nil
	}
	return &a.User.ID
}

// caseEvent appends a step to the case's history, and to the audit trail.
func caseEvent(ctx context.Context, tx *Tx, caseID int64, action lianluo.WorkflowAction, from, to lianluo.CaseStatus, comment string) error {
	_, err := addCaseEvent(ctx, tx, caseID, action, from, to, comment)
	return err
}

// addCaseEvent is caseEvent returning the step as the history reads it.
func addCaseEvent(ctx context.Context, tx *Tx, caseID int64, action lianluo.WorkflowAction, from, to lianluo.CaseStatus, comment string) (lianluo.CaseEvent, error) {
	var actorID *int64
	e := lianluo.CaseEvent{At: tx.now, ActorName: "系统", Action: action, From: from, To: to, Comment: comment}
	if a := tx.actor; a != nil && a.User != nil {
		actorID = userRef(a)
		if a.User.DisplayName != "" {
			e.ActorName = a.User.DisplayName
		}
	}
	if err := tx.QueryRow(ctx, `INSERT INTO case_events (case_id, at, actor_id, actor_name, action, from_status, to_status, comment)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, caseID, tx.now, actorID, e.ActorName, action, from, to, comment).Scan(&e.ID); err != nil {
		return e, err
	}
	summary := lianluo.ActionNamesCase[action]
	switch {
	case action == lianluo.StepRegister:
		summary = "登记"
	case summary == "":
		summary = comment
	}
	if to != "" && to != from {
		summary += "：" + lianluo.StatusNames[from] + " → " + lianluo.StatusNames[to]
	}
	return e, tx.event(ctx, lianluo.EntityCase, caseID, lianluo.AuditAction(action), strings.TrimPrefix(summary, "："))
}
