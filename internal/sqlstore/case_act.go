package sqlstore

import (
	"context"
	"time"

	"lianluo"
)

// Act performs one workflow action on a case (docs/workflow.md). In one
// transaction it loads the case and what the action's input names, lets
// lianluo.DecideStep decide (409 stale_version, 409 invalid_state, 403,
// 400), and writes what it decided: the change, the history step, the
// audit event, the notifications, and the linked cases (并案) that follow
// their master. Outside the caller's scope the case is not found (404).
func (db *DB) Act(ctx context.Context, id int64, action lianluo.WorkflowAction, in lianluo.CaseAction) (_ *lianluo.Case, err error) {
	defer wrap(&err, "Act(%d, %s)", id, action)
	if err := lianluo.CheckActionRequest(action, in); err != nil {
		return nil, err
	}
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		sc := lianluo.StepContext{Case: c, Action: action, Input: in, Roles: lianluo.RolesOn(a, c), Policy: pol, Calendar: cal, Now: tx.now}
		if a.User != nil {
			sc.ActorUserID = a.User.ID
		}
		// Check the state and the caller first, so that what the input
		// names is looked up only for an action that may be taken.
		if err := lianluo.CheckActionState(c, action, in.Version); err != nil {
			return err
		}
		if err := lianluo.CanAct(a, c, action, in.By); err != nil {
			return err
		}
		if err := loadStepInput(ctx, tx, &sc); err != nil {
			return err
		}
		d, err := lianluo.DecideStep(sc)
		if err != nil {
			return err
		}
		return applyStep(ctx, tx, c, d)
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, id)
}

// loadStepInput looks up what the action's input names, in the caller's
// scope, and the cases linked to this one.
func loadStepInput(ctx context.Context, tx *Tx, sc *lianluo.StepContext) error {
	c, in := sc.Case, sc.Input
	if lianluo.IsSuggestionKind(c.Kind) {
		if err := loadSuggestionStep(ctx, tx, tx.actor, sc); err != nil {
			return err
		}
	}
	switch sc.Action {
	case lianluo.ActApprove, lianluo.ActTransfer:
		sc.Units = map[int64]*lianluo.Org{}
		ids := in.CoUnitIDs
		if in.LeadUnitID != nil {
			ids = append([]int64{*in.LeadUnitID}, ids...)
		}
		for _, id := range ids {
			if o, err := findOrgByID(ctx, tx.conn, id); err == nil {
				sc.Units[id] = o
			}
		}
	case lianluo.ActEscalate:
		if err := tx.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = $1`, c.OrgID).Scan(&sc.ParentOrgID); err != nil {
			return err
		}
	case lianluo.ActLink:
		if in.MasterID != nil && *in.MasterID != c.ID {
			if m, err := findCase(ctx, tx.conn, *in.MasterID); err == nil {
				sc.Master = m
			}
		}
	}
	var err error
	sc.Linked, err = linkedCases(ctx, tx, c.ID)
	return err
}

// linkedCases are the cases joined to the case (并案).
func linkedCases(ctx context.Context, tx *Tx, id int64) ([]lianluo.LinkedCase, error) {
	rows, err := tx.Query(ctx, `SELECT id, status, title, submitter_phone FROM cases WHERE master_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ls []lianluo.LinkedCase
	for rows.Next() {
		var l lianluo.LinkedCase
		if err := rows.Scan(&l.ID, &l.Status, &l.Title, &l.Phone); err != nil {
			return nil, err
		}
		if l.Phone, err = tx.db.keys.open(l.Phone); err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range ls {
		if ls[i].ReceivedBy, err = queryIDs(ctx, tx.conn, `SELECT deputy_id FROM case_deputies WHERE case_id = $1 ORDER BY deputy_id`, ls[i].ID); err != nil {
			return nil, err
		}
	}
	return ls, nil
}

// applyStep writes what DecideStep decided on case c (as read): the case,
// its units, reply or rating, the history steps, the linked cases that
// follow it, and the notifications.
func applyStep(ctx context.Context, tx *Tx, c *lianluo.Case, d *lianluo.StepDecision) error {
	n := &d.Case
	// Find every recipient first: nothing is written when one cannot be found.
	var notes []lianluo.Notification
	for _, nt := range d.Notices {
		ns, err := notificationsOf(ctx, tx, nt)
		if err != nil {
			return err
		}
		notes = append(notes, ns...)
	}
	if err := applyUnits(ctx, tx, c, d); err != nil {
		return err
	}
	if r := d.Reply; r != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO case_replies (case_id, round, result, content, met_deputy, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, r.Round, r.Result, r.Content, r.MetDeputy, userRef(tx.actor), tx.now); err != nil {
			if isUniqueViolation(err) {
				return lianluo.Errorf(lianluo.ESTATE, "本轮已经答复过。")
			}
			return err
		}
	}
	if r := d.Rating; r != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO case_ratings (case_id, round, by_kind, rating, comment, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, r.Round, r.By, r.Rating, r.Comment, userRef(tx.actor), tx.now); err != nil {
			if isUniqueViolation(err) {
				return lianluo.Errorf(lianluo.ESTATE, "本轮%s已经测评过。", lianluo.EvaluatorNames[r.By])
			}
			return err
		}
	}
	var extUntil, extDecidedAt *time.Time
	var extReason string
	var extDecided, extApproved bool
	if e := n.Extension; e != nil {
		extUntil, extReason, extDecided, extApproved, extDecidedAt = &e.Until, e.Reason, e.Decided, e.Approved, e.DecidedAt
	}
	submitted := (*time.Time)(nil)
	if d.Submitted {
		submitted = &tx.now
	}
	res, err := tx.Exec(ctx, `
		UPDATE cases SET status = $1, org_id = $2, round = $3, master_id = $4, due_at = $5, original_due_at = $6,
			submitted_at = COALESCE($7, submitted_at), ext_until = $8, ext_reason = $9, ext_decided = $10, ext_approved = $11,
			ext_decided_at = $12, outcome = $13, closed_at = $14, archived_year = $15, version = version + 1, updated_at = $16
		WHERE id = $17 AND version = $18`,
		n.Status, n.OrgID, n.Round, n.MasterID, n.DueDate, n.OriginalDue, submitted, extUntil, extReason, extDecided,
		extApproved, extDecidedAt, n.Outcome, n.ClosedAt, n.ArchivedYear, tx.now, c.ID, c.Version)
	if err != nil {
		return err
	}
	if err := checkOne(res); err != nil {
		return err
	}
	if lianluo.IsSuggestionKind(c.Kind) {
		if err := applySuggestionStep(ctx, tx, c, d); err != nil {
			return err
		}
	}
	for _, st := range d.Steps {
		if err := caseEvent(ctx, tx, st.CaseID, st.Action, st.From, st.To, st.Note); err != nil {
			return err
		}
	}
	for _, st := range d.Follow {
		if _, err := tx.Exec(ctx, `UPDATE cases SET status = $1, due_at = $2, outcome = $3, closed_at = $4, archived_year = $5,
			version = version + 1, updated_at = $6 WHERE id = $7`,
			n.Status, n.DueDate, n.Outcome, n.ClosedAt, n.ArchivedYear, tx.now, st.CaseID); err != nil {
			return err
		}
		if err := caseEvent(ctx, tx, st.CaseID, st.Action, st.From, st.To, st.Note); err != nil {
			return err
		}
	}
	for _, note := range notes {
		if err := enqueue(ctx, tx, note); err != nil {
			return err
		}
	}
	return nil
}

// applyUnits writes what the step does to the case's handling units.
func applyUnits(ctx context.Context, tx *Tx, c *lianluo.Case, d *lianluo.StepDecision) error {
	switch d.Units {
	case lianluo.UnitsSignLead:
		_, err := tx.Exec(ctx, `UPDATE case_units SET signed_at = $1 WHERE case_id = $2 AND active = TRUE AND lead = TRUE`, tx.now, c.ID)
		return err
	case lianluo.UnitsDrop:
		_, err := tx.Exec(ctx, `UPDATE case_units SET active = FALSE WHERE case_id = $1`, c.ID)
		return err
	case lianluo.UnitsAssign:
		if _, err := tx.Exec(ctx, `UPDATE case_units SET active = FALSE WHERE case_id = $1`, c.ID); err != nil {
			return err
		}
		for _, u := range d.AssignUnits {
			// With the case's status as it is in the row now (migration
			// 0036): the trigger on cases keeps the copy when it changes.
			if _, err := tx.Exec(ctx, `INSERT INTO case_units (case_id, org_id, round, lead, active, case_status)
				VALUES ($1, $2, $3, $4, TRUE, (SELECT status FROM cases WHERE id = $1))
				ON CONFLICT (case_id, org_id, round) DO UPDATE SET lead = excluded.lead, active = TRUE, signed_at = NULL`,
				c.ID, u.OrgID, c.Round, u.Lead); err != nil {
				return err
			}
		}
	case lianluo.UnitsNewRound:
		if _, err := tx.Exec(ctx, `INSERT INTO case_units (case_id, org_id, round, lead, active, signed_at, case_status)
			SELECT case_id, org_id, $1, lead, TRUE, $2, case_status FROM case_units WHERE case_id = $3 AND active = TRUE AND round = $4`,
			d.Case.Round, tx.now, c.ID, c.Round); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE case_units SET active = FALSE WHERE case_id = $1 AND round = $2`, c.ID, c.Round)
		return err
	}
	return nil
}

// require and optional check one text field of a store method's input.
func require(field, label, s string, max int) error {
	var v lianluo.Validator
	v.Require(field, label, s)
	v.MaxLen(field, label, s, max)
	return v.Err
}

func optional(field, label, s string, max int) error {
	var v lianluo.Validator
	v.MaxLen(field, label, s, max)
	return v.Err
}

func dueText(t *time.Time) string { return lianluo.DueText(t) }

var _ lianluo.CaseService = (*DB)(nil)
