package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lianluo"
	"lianluo/internal/textsearch"
)

// Deputies' suggestions and bills (docs/suggestions.md): congress
// sessions, and what a suggestion or bill has beside its case row — the
// session and number, the signers, the 面商 records and the opinions it was
// raised from. Their workflow is Act's (case_act.go), decided by
// lianluo.DecideStep.

const sessionColumns = `cs.id, cs.org_id, o.name, cs.name, cs.starts_on, cs.ends_on, cs.version, cs.created_at, cs.updated_at,
	(SELECT COUNT(*) FROM suggestions s JOIN cases c ON c.id = s.case_id WHERE s.session_id = cs.id AND c.kind = 'suggestion' AND c.status <> 'draft'),
	(SELECT COUNT(*) FROM suggestions s JOIN cases c ON c.id = s.case_id WHERE s.session_id = cs.id AND c.kind = 'bill' AND c.status <> 'draft')`

const sessionFrom = ` FROM congress_sessions cs JOIN orgs o ON o.id = cs.org_id`

func scanSession(sc interface{ Scan(...any) error }, s *lianluo.CongressSession) error {
	return sc.Scan(&s.ID, &s.OrgID, &s.OrgName, &s.Name, &s.StartsOn, &s.EndsOn, &s.Version, &s.CreatedAt, &s.UpdatedAt,
		&s.Suggestions, &s.Bills)
}

// scopeSessions: NPC staff see their bodies' sessions; a deputy the
// sessions of the bodies over their region (where they may raise
// suggestions); units the sessions of the bodies over theirs.
func scopeSessions(w *where, a *lianluo.Actor) {
	if a == nil || a.User == nil {
		w.add("1 = 0")
		return
	}
	if a.Scope.All {
		return
	}
	var or []string
	if len(a.Scope.Orgs) > 0 {
		or = append(or, "cs.org_id IN "+w.in(a.Scope.Orgs))
	}
	if len(a.Scope.Deputies) > 0 {
		or = append(or, "EXISTS (SELECT 1 FROM deputies d WHERE d.id IN "+w.in(a.Scope.Deputies)+
			" AND d.region_code LIKE o.region_code || '%')")
	}
	if len(a.Scope.Units) > 0 {
		or = append(or, "EXISTS (SELECT 1 FROM orgs u WHERE u.id IN "+w.in(a.Scope.Units)+" AND u.region_code LIKE o.region_code || '%')")
	}
	if len(or) == 0 {
		w.add("1 = 0")
		return
	}
	addOr(w, or)
}

// CreateSession adds a congress session of an NPC body (its office or leaders).
func (db *DB) CreateSession(ctx context.Context, in lianluo.SessionInput) (_ *lianluo.CongressSession, err error) {
	defer wrap(&err, "CreateSession")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if !lianluo.CanManageSessions(a, in.OrgID) {
		if a.HasAny(lianluo.RoleNPCOffice, lianluo.RoleNPCLeader, lianluo.RoleSystemAdmin) {
			return nil, lianluo.FieldError("org_id", "只能为本人大机构登记会议。")
		}
		return nil, lianluo.Forbidden()
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		var kind string
		if err := tx.QueryRow(ctx, `SELECT kind FROM orgs WHERE id = $1 AND active = TRUE`, in.OrgID).Scan(&kind); errors.Is(err, sql.ErrNoRows) || kind != lianluo.OrgNPC {
			return lianluo.FieldError("org_id", "请选择一个人大机构。")
		} else if err != nil {
			return err
		}
		var clash string
		err := tx.QueryRow(ctx, `SELECT name FROM congress_sessions WHERE org_id = $1 AND starts_on <= $2 AND ends_on >= $3 LIMIT 1`,
			in.OrgID, in.EndsOn, in.StartsOn).Scan(&clash)
		if err == nil {
			return lianluo.FieldError("starts_on", "会期与“%s”重叠。", clash)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO congress_sessions (org_id, name, starts_on, ends_on, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, in.OrgID, in.Name, in.StartsOn, in.EndsOn, userRef(a), tx.now).Scan(&id); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityCongress, id, lianluo.AuditCreate, fmt.Sprintf("登记会议“%s”（%s 至 %s）", in.Name, in.StartsOn, in.EndsOn))
	})
	if err != nil {
		return nil, err
	}
	return db.FindSessionByID(ctx, id)
}

// FindSessions lists the sessions in the caller's scope, newest first.
func (db *DB) FindSessions(ctx context.Context) (_ []lianluo.CongressSession, err error) {
	defer wrap(&err, "FindSessions")
	a, err := sessionsActor(ctx)
	if err != nil {
		return nil, err
	}
	var w where
	scopeSessions(&w, a)
	out := []lianluo.CongressSession{}
	err = scanEach(ctx, db.reader(), `SELECT `+sessionColumns+sessionFrom+w.String()+` ORDER BY cs.starts_on DESC, cs.id DESC LIMIT 200`,
		w.args, func(sc func(...any) error) error {
			var s lianluo.CongressSession
			if err := scanSession(scanFunc(sc), &s); err != nil {
				return err
			}
			out = append(out, s)
			return nil
		})
	return out, err
}

// FindSessionByID returns a session in the caller's scope.
func (db *DB) FindSessionByID(ctx context.Context, id int64) (_ *lianluo.CongressSession, err error) {
	defer wrap(&err, "FindSessionByID(%d)", id)
	if _, err := sessionsActor(ctx); err != nil {
		return nil, err
	}
	return findSession(ctx, db.reader(), id)
}

// sessionsActor is the caller, who must work with sessions (CanSeeSessions).
func sessionsActor(ctx context.Context) (*lianluo.Actor, error) {
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanSeeSessions(a) {
		return nil, lianluo.Forbidden()
	}
	return a, nil
}

func findSession(ctx context.Context, cn conn, id int64) (*lianluo.CongressSession, error) {
	var w where
	w.add("cs.id = " + w.arg(id))
	scopeSessions(&w, lianluo.ActorFromContext(ctx))
	var s lianluo.CongressSession
	err := scanSession(cn.QueryRow(ctx, `SELECT `+sessionColumns+sessionFrom+w.String(), w.args...), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("会议")
	}
	return &s, err
}

// scanFunc adapts scanEach's scan function to a Scan method.
type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// createSuggestion writes a new suggestion or bill as a draft: the case
// row, its suggestion row, its signers and the opinions it was raised
// from, and invites the co-signers. The lead deputy submits it (Act submit).
func createSuggestion(ctx context.Context, tx *Tx, a *lianluo.Actor, in lianluo.CaseInput) (int64, error) {
	var orgID int64
	if in.SessionID != nil {
		s, err := findSession(ctx, tx.conn, *in.SessionID)
		if err != nil {
			return 0, lianluo.FieldError("session_id", "会议不存在或不在您的范围内。")
		}
		orgID = s.OrgID
	} else {
		orgID = *in.OrgID
	}
	var region, kind string
	if err := tx.QueryRow(ctx, `SELECT region_code, kind FROM orgs WHERE id = $1 AND active = TRUE`, orgID).Scan(&region, &kind); errors.Is(err, sql.ErrNoRows) || kind != lianluo.OrgNPC {
		return 0, lianluo.FieldError("org_id", "请选择一个人大机构。")
	} else if err != nil {
		return 0, err
	}
	if err := lianluo.MayRaiseSuggestion(a, in, orgID); err != nil {
		return 0, err
	}
	// The signers: in-office deputies of the body's area.
	signers := in.CosignerIDs
	if in.LeadDeputyID != nil {
		signers = append([]int64{*in.LeadDeputyID}, signers...)
	}
	for i, d := range signers {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM deputies WHERE id = $1 AND status = 'in_office' AND region_code LIKE $2`,
			d, region+"%").Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			field := "cosigner_ids"
			if i == 0 && in.LeadDeputyID != nil {
				field = "lead_deputy_id"
			}
			return 0, lianluo.FieldError(field, "代表（编号%d）不是本级人大的在任代表。", d)
		}
	}
	// The opinions it is raised from: in the caller's scope.
	for _, e := range in.EvidenceCaseIDs {
		c, err := findCaseRow(ctx, tx.conn, e)
		if err != nil || c.Kind != lianluo.KindOpinion {
			return 0, lianluo.FieldError("evidence_case_ids", "群众意见 #%d 不存在或不在您的范围内。", e)
		}
	}
	var id int64
	for attempt := 0; ; attempt++ {
		err := tx.QueryRow(ctx, `
			INSERT INTO cases (tracking_code, kind, channel, org_id, title, content, category, region_code,
				status, round, created_by, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', 1, $9, 1, $10, $10) RETURNING id`,
			newTrackingCode(), in.Kind, in.Channel, orgID, in.Title, in.Content, in.Category, region, userRef(a), tx.now).Scan(&id)
		if isUniqueViolation(err) && attempt < 5 {
			continue
		}
		if err != nil {
			return 0, err
		}
		break
	}
	if _, err := tx.Exec(ctx, `INSERT INTO suggestions (case_id, session_id, reasons, proposals, presidium) VALUES ($1, $2, $3, $4, $5)`,
		id, in.SessionID, strings.TrimSpace(in.Reasons), strings.TrimSpace(in.Proposals), in.Presidium); err != nil {
		return 0, err
	}
	for i, d := range signers {
		if _, err := tx.Exec(ctx, `INSERT INTO suggestion_signers (case_id, deputy_id, lead) VALUES ($1, $2, $3)`,
			id, d, i == 0 && in.LeadDeputyID != nil); err != nil {
			return 0, err
		}
	}
	for _, e := range slices.Compact(slices.Sorted(slices.Values(in.EvidenceCaseIDs))) {
		if _, err := tx.Exec(ctx, `INSERT INTO suggestion_evidence (suggestion_id, case_id) VALUES ($1, $2)`, id, e); err != nil {
			return 0, err
		}
		if err := caseEvent(ctx, tx, e, lianluo.StepSource, "", "", fmt.Sprintf("代表据此提出建议 #%d“%s”", id, lianluo.Truncate(in.Title, 30))); err != nil {
			return 0, err
		}
	}
	if err := indexSearch(ctx, tx, "cases", id, textsearch.Document(in.Title, in.Content)); err != nil {
		return 0, err
	}
	comment := lianluo.SuggestionChannelNames[in.Channel]
	if in.Presidium {
		comment += "；主席团提出"
	}
	if len(in.CosignerIDs) > 0 {
		comment += fmt.Sprintf("；邀请%d位代表附议", len(in.CosignerIDs))
	}
	if err := caseEvent(ctx, tx, id, lianluo.StepRegister, "", lianluo.StatusDraft, comment); err != nil {
		return 0, err
	}
	c, err := findCase(ctx, tx.conn, id)
	if err != nil {
		return 0, err
	}
	var actorUser int64
	if a.User != nil {
		actorUser = a.User.ID
	}
	for _, nt := range lianluo.CosignInvites(c, actorUser) {
		ns, err := notificationsOf(ctx, tx, nt)
		if err != nil {
			return 0, err
		}
		for _, n := range ns {
			if err := enqueue(ctx, tx, n); err != nil {
				return 0, err
			}
		}
	}
	return id, nil
}

// loadSuggestionDetails fills what a suggestion or bill has beside its case
// row; for an opinion, the suggestions raised from it.
func loadSuggestionDetails(ctx context.Context, cn conn, c *lianluo.Case) error {
	if !lianluo.IsSuggestionKind(c.Kind) {
		ids, err := queryIDs(ctx, cn, `SELECT suggestion_id FROM suggestion_evidence WHERE case_id = $1 ORDER BY suggestion_id`, c.ID)
		c.SuggestionIDs = ids
		return err
	}
	err := cn.QueryRow(ctx, `SELECT s.session_id, COALESCE(cs.name, ''), s.number, s.reasons, s.proposals, s.presidium, s.key_supervisor
		FROM suggestions s LEFT JOIN congress_sessions cs ON cs.id = s.session_id WHERE s.case_id = $1`, c.ID).
		Scan(&c.SessionID, &c.SessionName, &c.Number, &c.Reasons, &c.Proposals, &c.Presidium, &c.KeySupervisor)
	if err != nil {
		return err
	}
	c.Signers, c.Consultations = []lianluo.Signer{}, []lianluo.Consultation{}
	if err := scanEach(ctx, cn, `SELECT ss.deputy_id, d.name, ss.lead, ss.confirmed_at, ss.declined_at FROM suggestion_signers ss
		JOIN deputies d ON d.id = ss.deputy_id WHERE ss.case_id = $1 ORDER BY ss.lead DESC, ss.confirmed_at IS NULL, ss.confirmed_at, d.id`,
		[]any{c.ID}, func(sc func(...any) error) error {
			var s lianluo.Signer
			if err := sc(&s.DeputyID, &s.Name, &s.Lead, &s.ConfirmedAt, &s.DeclinedAt); err != nil {
				return err
			}
			c.Signers = append(c.Signers, s)
			return nil
		}); err != nil {
		return err
	}
	if err := scanEach(ctx, cn, `SELECT id, round, held_on, form, deputies, notes, at FROM suggestion_consultations WHERE case_id = $1 ORDER BY id`,
		[]any{c.ID}, func(sc func(...any) error) error {
			var x lianluo.Consultation
			if err := sc(&x.ID, &x.Round, &x.HeldOn, &x.Form, &x.Deputies, &x.Notes, &x.At); err != nil {
				return err
			}
			x.Waived = x.Form == "waived"
			c.Consultations = append(c.Consultations, x)
			return nil
		}); err != nil {
		return err
	}
	ids, err := queryIDs(ctx, cn, `SELECT case_id FROM suggestion_evidence WHERE suggestion_id = $1 ORDER BY case_id`, c.ID)
	c.EvidenceIDs = ids
	return err
}

// loadSuggestionStep looks up what a suggestion's step needs: the caller's
// deputy, the level of the body's region, the session's last day, the
// units a transfer names and the voters of the opinions it came from.
func loadSuggestionStep(ctx context.Context, tx *Tx, a *lianluo.Actor, sc *lianluo.StepContext) error {
	c := sc.Case
	for _, s := range c.Signers {
		if slices.Contains(a.Scope.Deputies, s.DeputyID) && !s.Lead {
			sc.ActorDeputyID = s.DeputyID
		}
	}
	if err := tx.QueryRow(ctx, `SELECT r.level FROM orgs o JOIN regions r ON r.code = o.region_code WHERE o.id = $1`, c.OrgID).Scan(&sc.Level); err != nil {
		return err
	}
	if c.SessionID != nil {
		if err := tx.QueryRow(ctx, `SELECT ends_on FROM congress_sessions WHERE id = $1`, *c.SessionID).Scan(&sc.SessionEnd); err != nil {
			return err
		}
	}
	if sc.Action == lianluo.ActReply && len(c.EvidenceIDs) > 0 {
		var w where
		rows, err := tx.Query(ctx, `SELECT id, title, submitter_phone FROM cases WHERE id IN `+w.in(c.EvidenceIDs)+` ORDER BY id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l lianluo.LinkedCase
			if err := rows.Scan(&l.ID, &l.Title, &l.Phone); err != nil {
				return err
			}
			if l.Phone, err = tx.db.keys.open(l.Phone); err != nil {
				return err
			}
			sc.Evidence = append(sc.Evidence, l)
		}
		return rows.Err()
	}
	return nil
}

// applySuggestionStep writes what a suggestion's step decided beside the
// case row: the number, the kind, the co-signer's answer, the 面商, the
// key supervisor.
func applySuggestionStep(ctx context.Context, tx *Tx, c *lianluo.Case, d *lianluo.StepDecision) error {
	n := &d.Case
	number := n.Number
	if d.AssignNumber && c.SessionID != nil {
		col := "last_suggestion_no"
		if n.Kind == lianluo.KindBill {
			col = "last_bill_no"
		}
		// The row lock serialises the numbering of a session on PostgreSQL.
		if err := tx.QueryRow(ctx, `UPDATE congress_sessions SET `+col+` = `+col+` + 1 WHERE id = $1 RETURNING `+col, *c.SessionID).Scan(&number); err != nil {
			return err
		}
		d.Steps[0].Note = joinNote(d.Steps[0].Note, fmt.Sprintf("编为第%d号", number))
	}
	if _, err := tx.Exec(ctx, `UPDATE suggestions SET number = $1, key_supervisor = $2, reasons = $3, proposals = $4 WHERE case_id = $5`,
		number, n.KeySupervisor, n.Reasons, n.Proposals, c.ID); err != nil {
		return err
	}
	if d.Edited {
		if _, err := tx.Exec(ctx, `UPDATE cases SET title = $1, content = $2, category = $3 WHERE id = $4`, n.Title, n.Content, n.Category, c.ID); err != nil {
			return err
		}
		if err := indexSearch(ctx, tx, "cases", c.ID, textsearch.Document(n.Title, n.Content)); err != nil {
			return err
		}
	}
	if n.Kind != c.Kind {
		if _, err := tx.Exec(ctx, `UPDATE cases SET kind = $1 WHERE id = $2`, n.Kind, c.ID); err != nil {
			return err
		}
	}
	if s := d.Signer; s != nil {
		col := "confirmed_at"
		if !s.Confirm {
			col = "declined_at"
		}
		if _, err := tx.Exec(ctx, `UPDATE suggestion_signers SET `+col+` = $1 WHERE case_id = $2 AND deputy_id = $3`, tx.now, c.ID, s.DeputyID); err != nil {
			return err
		}
	}
	if x := d.Consultation; x != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO suggestion_consultations (case_id, round, held_on, form, deputies, notes, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, x.Round, x.HeldOn, x.Form, x.Deputies, x.Notes, userRef(tx.actor), tx.now); err != nil {
			return err
		}
	}
	return nil
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "，" + b
}

// loadSuggestionSummaries fills, for the suggestions and bills of a list
// page, what the lists show and the rules read: session, number, key
// supervisor, signers, current units, 面商 and ratings (five queries for
// the page, whatever its length).
func loadSuggestionSummaries(ctx context.Context, cn conn, cs []*lianluo.Case) error {
	byID := map[int64]*lianluo.Case{}
	var ids []int64
	for _, c := range cs {
		if lianluo.IsSuggestionKind(c.Kind) {
			byID[c.ID] = c
			ids = append(ids, c.ID)
			c.Signers, c.Consultations = []lianluo.Signer{}, []lianluo.Consultation{}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var w where
	in := w.in(ids)
	if err := scanEach(ctx, cn, `SELECT s.case_id, s.session_id, COALESCE(cs.name, ''), s.number, s.presidium, s.key_supervisor
		FROM suggestions s LEFT JOIN congress_sessions cs ON cs.id = s.session_id WHERE s.case_id IN `+in, w.args,
		func(sc func(...any) error) error {
			var id int64
			var x lianluo.Case
			if err := sc(&id, &x.SessionID, &x.SessionName, &x.Number, &x.Presidium, &x.KeySupervisor); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.SessionID, c.SessionName, c.Number, c.Presidium, c.KeySupervisor = x.SessionID, x.SessionName, x.Number, x.Presidium, x.KeySupervisor
			}
			return nil
		}); err != nil {
		return err
	}
	if err := scanEach(ctx, cn, `SELECT ss.case_id, ss.deputy_id, d.name, ss.lead, ss.confirmed_at, ss.declined_at FROM suggestion_signers ss
		JOIN deputies d ON d.id = ss.deputy_id WHERE ss.case_id IN `+in+` ORDER BY ss.case_id, ss.lead DESC, d.id`, w.args,
		func(sc func(...any) error) error {
			var id int64
			var s lianluo.Signer
			if err := sc(&id, &s.DeputyID, &s.Name, &s.Lead, &s.ConfirmedAt, &s.DeclinedAt); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Signers = append(c.Signers, s)
			}
			return nil
		}); err != nil {
		return err
	}
	// What the rules read to offer a suggestion's steps on a list
	// (lianluo.AllowedActions): its current units, 面商 records and ratings.
	if err := scanEach(ctx, cn, `SELECT cu.case_id, cu.org_id, o.name, cu.lead, cu.round, cu.signed_at FROM case_units cu
		JOIN orgs o ON o.id = cu.org_id WHERE cu.active = TRUE AND cu.case_id IN `+in+` ORDER BY cu.case_id, cu.lead DESC, o.id`, w.args,
		func(sc func(...any) error) error {
			var id int64
			var u lianluo.CaseUnit
			if err := sc(&id, &u.OrgID, &u.Name, &u.Lead, &u.Round, &u.SignedAt); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Units = append(c.Units, u)
			}
			return nil
		}); err != nil {
		return err
	}
	if err := scanEach(ctx, cn, `SELECT case_id, id, round, held_on, form, deputies, notes, at FROM suggestion_consultations
		WHERE case_id IN `+in+` ORDER BY id`, w.args, func(sc func(...any) error) error {
		var id int64
		var x lianluo.Consultation
		if err := sc(&id, &x.ID, &x.Round, &x.HeldOn, &x.Form, &x.Deputies, &x.Notes, &x.At); err != nil {
			return err
		}
		x.Waived = x.Form == "waived"
		if c := byID[id]; c != nil {
			c.Consultations = append(c.Consultations, x)
		}
		return nil
	}); err != nil {
		return err
	}
	return scanEach(ctx, cn, `SELECT case_id, by_kind, rating, comment, round, at FROM case_ratings WHERE case_id IN `+in+` ORDER BY id`, w.args,
		func(sc func(...any) error) error {
			var id int64
			var r lianluo.Rating
			if err := sc(&id, &r.By, &r.Rating, &r.Comment, &r.Round, &r.At); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Ratings = append(c.Ratings, r)
			}
			return nil
		})
}
