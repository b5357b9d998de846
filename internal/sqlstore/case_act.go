package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// Act performs one workflow action on a case (docs/workflow.md). In one
// transaction it checks the version (409 stale_version), the state (409
// invalid_state) and the caller's role and scope (403, or 404 outside
// scope), writes the change, the history step, the audit event and any
// notification, and carries linked cases (并案) along with their master.
func (db *DB) Act(ctx context.Context, id int64, action lianluo.WorkflowAction, in lianluo.CaseAction) (_ *lianluo.Case, err error) {
	defer wrap(&err, "Act(%d, %s)", id, action)
	if !slices.Contains(lianluo.Actions, action) {
		return nil, lianluo.FieldError("action", "没有“%s”这个办理操作。", truncate(string(action), 30))
	}
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if in.Version <= 0 {
		return nil, lianluo.FieldError("version", "请提供该意见的当前版本号（version）。")
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
		if c.Version != in.Version {
			return lianluo.Stale()
		}
		if c.MasterID != nil {
			return lianluo.Errorf(lianluo.ESTATE, "本件已并入意见 #%d 一并办理，请在该意见上操作。", *c.MasterID)
		}
		if !lianluo.ActionAllowedIn(action, c.Status) {
			return lianluo.Errorf(lianluo.ESTATE, "该意见当前状态为“%s”，不能%s。", lianluo.StatusNames[c.Status], lianluo.ActionNamesCase[action])
		}
		if err := lianluo.CanAct(a, c, action, in.By); err != nil {
			return err
		}
		s := &step{db: db, tx: tx, a: a, c: c, n: *c, in: in, pol: pol, cal: cal, now: tx.now}
		if err := s.run(ctx, action); err != nil {
			return err
		}
		return s.save(ctx, action)
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, id)
}

// step is one action in progress: c is the case as read, n the case as it
// will be written.
type step struct {
	db    *DB
	tx    *Tx
	a     *lianluo.Actor
	c     *lianluo.Case
	n     lianluo.Case
	in    lianluo.CaseAction
	pol   lianluo.Policy
	cal   *lianluo.Calendar
	now   time.Time
	note  string // the history comment
	notes []lianluo.Notification
	err   error // the first error finding whom to notify
}

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

// parseDate reads a YYYY-MM-DD Beijing date as the end of that day; a date
// before today is refused.
func (s *step) parseDate(field, value string) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(value), lianluo.Beijing)
	if err != nil {
		return time.Time{}, lianluo.FieldError(field, "日期格式应为 2026-03-31。")
	}
	today := s.now.In(lianluo.Beijing)
	if d.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, lianluo.Beijing)) {
		return time.Time{}, lianluo.FieldError(field, "日期不能早于今天。")
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, lianluo.Beijing).UTC(), nil
}

func (s *step) run(ctx context.Context, action lianluo.WorkflowAction) error {
	in, c, n := s.in, s.c, &s.n
	if err := optional("comment", "意见", in.Comment, 2000); err != nil {
		return err
	}
	s.note = strings.TrimSpace(in.Comment)
	switch action {
	case lianluo.ActTriage:
		to, ok := lianluo.TriageOutcomes[in.Outcome]
		if !ok {
			return lianluo.FieldError("outcome", "请选择梳理结果：当场答复、不予受理、解释说明或报送审核。")
		}
		n.Status = to
		switch in.Outcome {
		case "answered":
			if err := require("answer", "答复内容", in.Answer, 2000); err != nil {
				return err
			}
			n.Outcome, s.note = in.Answer, joinNote("当场答复："+in.Answer, s.note)
		case "not_accepted":
			r, ok := lianluo.NotAcceptedReasons[in.ReasonCode]
			if !ok {
				return lianluo.FieldError("reason_code", "请选择不予受理的原因。")
			}
			if in.ReasonCode == "other" && s.note == "" {
				return lianluo.FieldError("comment", "选择“其他原因”时请写明原因。")
			}
			n.Outcome = r.Signpost
			s.note = joinNote("不予受理（"+r.Name+"）", s.note)
			s.smsVoter(lianluo.MsgCaseNotAccepted, truncate(c.Title, 20), r.Signpost)
		case "explained":
			if err := require("explanation", "解释说明", in.Explanation, 2000); err != nil {
				return err
			}
			n.Outcome, s.note = in.Explanation, joinNote("解释说明："+in.Explanation, s.note)
			s.smsVoter(lianluo.MsgCaseExplained, truncate(c.Title, 20), truncate(in.Explanation, 200))
		case "forward":
			// 000: 报送 to the chair; assignment is due within ten days.
			n.DueDate = ptrTime(s.cal.AddDays(s.now, s.pol.ApprovalDays))
			s.notifyLeaders(ctx, c.OrgID, lianluo.MsgCasePendingApproval, "有意见", truncate(c.Title, 30))
		}
	case lianluo.ActApprove:
		if err := s.approve(ctx); err != nil {
			return err
		}
	case lianluo.ActEscalate:
		var parent *int64
		if err := s.tx.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = $1`, c.OrgID).Scan(&parent); err != nil {
			return err
		}
		if parent == nil {
			return lianluo.Errorf(lianluo.ESTATE, "“%s”没有上级人大机构，不能再报上级。", c.OrgName)
		}
		n.OrgID = *parent
		n.DueDate = ptrTime(s.cal.AddDays(s.now, s.pol.ApprovalDays))
		s.note = joinNote("报上级人大机构", s.note)
		s.notifyLeaders(ctx, *parent, lianluo.MsgCasePendingApproval, "下级报送意见", truncate(c.Title, 30))
	case lianluo.ActSendBack:
		if err := require("comment", "退回意见", in.Comment, 2000); err != nil {
			return err
		}
		n.Status, n.DueDate = lianluo.StatusRegistered, nil
	case lianluo.ActSign:
		if _, err := s.tx.Exec(ctx, `UPDATE case_units SET signed_at = $1 WHERE case_id = $2 AND active = TRUE AND lead = TRUE`, s.now, c.ID); err != nil {
			return err
		}
		n.Status = lianluo.StatusHandling
	case lianluo.ActReturn:
		if err := require("reason", "退回理由", in.Reason, 2000); err != nil {
			return err
		}
		if _, err := s.tx.Exec(ctx, `UPDATE case_units SET active = FALSE WHERE case_id = $1`, c.ID); err != nil {
			return err
		}
		n.Status = lianluo.StatusPendingApproval
		n.DueDate = ptrTime(s.cal.AddDays(s.now, s.pol.ApprovalDays))
		s.note = joinNote("退回理由："+in.Reason, s.note)
		s.notifyLeaders(ctx, c.OrgID, lianluo.MsgCaseReturned, truncate(c.Title, 30))
	case lianluo.ActRequestExtension:
		if c.Extension != nil {
			return lianluo.Errorf(lianluo.ESTATE, "每件意见只能申请一次延期。")
		}
		if err := require("reason", "延期理由", in.Reason, 2000); err != nil {
			return err
		}
		until, err := s.parseDate("until", in.Until)
		if err != nil {
			return err
		}
		orig := c.OriginalDue
		if orig == nil {
			orig = c.DueDate
		}
		if c.DueDate != nil && !until.After(*c.DueDate) {
			return lianluo.FieldError("until", "延期后的期限应晚于现在的期限。")
		}
		// 003: one extension of at most one month beyond the original deadline.
		if orig != nil && until.After(orig.In(lianluo.Beijing).AddDate(0, s.pol.ExtensionMonths, 0)) {
			return lianluo.FieldError("until", "延期不能超过原办理期限%d个月。", s.pol.ExtensionMonths)
		}
		n.Extension = &lianluo.Extension{Until: until, Reason: in.Reason}
		s.note = joinNote(fmt.Sprintf("申请延期至 %s：%s", until.In(lianluo.Beijing).Format("2006-01-02"), in.Reason), s.note)
		s.notifyOffice(ctx, c.OrgID, lianluo.MsgCaseExtension, truncate(c.Title, 30))
	case lianluo.ActDecideExtension:
		if c.Extension == nil || c.Extension.Decided {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的延期申请。")
		}
		if in.Approve == nil {
			return lianluo.FieldError("approve", "请选择同意或不同意延期。")
		}
		e := *c.Extension
		e.Decided, e.Approved, e.DecidedAt = true, *in.Approve, ptrTime(s.now)
		n.Extension = &e
		verdict := "不同意延期"
		if e.Approved {
			n.DueDate = ptrTime(e.Until)
			verdict = "同意延期至 " + e.Until.In(lianluo.Beijing).Format("2006-01-02")
		}
		s.note = joinNote(verdict, s.note)
		s.notifyUnits(ctx, true, lianluo.MsgCaseExtensionDecided, verdict, truncate(c.Title, 30))
	case lianluo.ActUrge:
		s.note = joinNote("催办", s.note)
		s.notifyUnits(ctx, true, lianluo.MsgCaseUrged, truncate(c.Title, 30), dueText(c.DueDate))
	case lianluo.ActReply:
		if _, ok := lianluo.ReplyResults[in.Result]; !ok {
			return lianluo.FieldError("result", "请选择办理结果：A 已解决、B 正在解决、C 暂不能解决。")
		}
		if err := require("content", "答复内容", in.Content, 5000); err != nil {
			return err
		}
		if _, err := s.tx.Exec(ctx, `INSERT INTO case_replies (case_id, round, result, content, met_deputy, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.Round, in.Result, in.Content, in.MetDeputy, s.a.User.ID, s.now); err != nil {
			if isUniqueViolation(err) {
				return lianluo.Errorf(lianluo.ESTATE, "本轮已经答复过。")
			}
			return err
		}
		n.Status = lianluo.StatusReplied
		s.note = joinNote(fmt.Sprintf("答复（%s %s）", in.Result, lianluo.ReplyResults[in.Result]), s.note)
		s.notifyOffice(ctx, c.OrgID, lianluo.MsgCaseReplied, truncate(c.Title, 30))
	case lianluo.ActFeedback:
		if err := require("content", "反馈内容", in.Content, 2000); err != nil {
			return err
		}
		n.Status, n.Outcome = lianluo.StatusAwaitingEvaluation, in.Content
		s.note = joinNote("反馈："+in.Content, s.note)
		s.smsVoter(lianluo.MsgCaseFeedback, truncate(c.Title, 20), truncate(in.Content, 200))
		s.notifyReceivingDeputies(ctx, lianluo.MsgCaseFedBack, truncate(c.Title, 30), truncate(strings.TrimRight(strings.TrimSpace(in.Content), "。."), 200))
	case lianluo.ActEvaluate:
		if _, ok := lianluo.RatingNames[in.Rating]; !ok {
			return lianluo.FieldError("rating", "请选择满意、基本满意或不满意。")
		}
		if _, err := s.tx.Exec(ctx, `INSERT INTO case_ratings (case_id, round, by_kind, rating, comment, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.Round, in.By, in.Rating, s.note, userRef(s.a), s.now); err != nil {
			if isUniqueViolation(err) {
				return lianluo.Errorf(lianluo.ESTATE, "本轮%s已经测评过。", map[string]string{"deputy": "代表", "voter": "群众"}[in.By])
			}
			return err
		}
		who := map[string]string{"deputy": "代表", "voter": "群众"}[in.By]
		s.note = joinNote(who+"测评："+lianluo.RatingNames[in.Rating], s.note)
		// The deputy's rating drives the workflow when a deputy received the
		// case, otherwise the voter's (000 七: 直到代表基本满意为止).
		driver := "voter"
		if len(c.ReceivedBy) > 0 {
			driver = "deputy"
		}
		if in.By == driver {
			if in.Rating == "unsatisfied" {
				n.Status = lianluo.StatusSupervising
				s.notifyOffice(ctx, c.OrgID, lianluo.MsgCaseUnsatisfied, truncate(c.Title, 30))
			} else {
				n.Status, n.ClosedAt = lianluo.StatusClosed, ptrTime(s.now)
			}
		}
	case lianluo.ActSupervise:
		if err := require("comment", "督办意见", in.Comment, 2000); err != nil {
			return err
		}
		due := s.cal.AddWorkdays(s.now, s.pol.ReplyWorkdays)
		if in.DueDate != "" {
			d, err := s.parseDate("due_date", in.DueDate)
			if err != nil {
				return err
			}
			due = d
		}
		n.Round = c.Round + 1
		n.Status, n.DueDate, n.OriginalDue = lianluo.StatusHandling, &due, &due
		// The same units handle the new round; they have already signed.
		if _, err := s.tx.Exec(ctx, `INSERT INTO case_units (case_id, org_id, round, lead, active, signed_at)
			SELECT case_id, org_id, $1, lead, TRUE, $2 FROM case_units WHERE case_id = $3 AND active = TRUE AND round = $4`,
			n.Round, s.now, c.ID, c.Round); err != nil {
			return err
		}
		if _, err := s.tx.Exec(ctx, `UPDATE case_units SET active = FALSE WHERE case_id = $1 AND round = $2`, c.ID, c.Round); err != nil {
			return err
		}
		s.note = joinNote(fmt.Sprintf("督办，第%d轮办理", n.Round), s.note)
		s.notifyUnits(ctx, false, lianluo.MsgCaseSupervised, truncate(c.Title, 30), dueText(&due))
	case lianluo.ActClose:
		if c.Status == lianluo.StatusSupervising {
			if c.Round < s.pol.MaxRounds {
				return lianluo.Errorf(lianluo.ESTATE, "督办未满%d轮，请继续督办。", s.pol.MaxRounds)
			}
			if err := require("comment", "办结说明", in.Comment, 2000); err != nil {
				return err
			}
		}
		n.Status, n.ClosedAt = lianluo.StatusClosed, ptrTime(s.now)
	case lianluo.ActArchive:
		closed := s.now
		if c.ClosedAt != nil {
			closed = *c.ClosedAt
		}
		n.Status, n.ArchivedYear = lianluo.StatusArchived, closed.In(lianluo.Beijing).Year()
		s.note = joinNote(fmt.Sprintf("归入%d年度档案", n.ArchivedYear), s.note)
	case lianluo.ActLink:
		if err := s.link(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (s *step) approve(ctx context.Context) error {
	in, c, n := s.in, s.c, &s.n
	if in.LeadUnitID == nil {
		return lianluo.FieldError("lead_unit_id", "请选择主办单位。")
	}
	units := append([]int64{*in.LeadUnitID}, in.CoUnitIDs...)
	seen := map[int64]bool{}
	var names []string
	for i, id := range units {
		field := "lead_unit_id"
		if i > 0 {
			field = "co_unit_ids"
		}
		if seen[id] {
			return lianluo.FieldError(field, "主办单位和协办单位不能重复。")
		}
		seen[id] = true
		o, err := findOrgByID(ctx, s.tx.conn, id)
		if err != nil || o.Kind != lianluo.OrgUnit || !o.Active {
			return lianluo.FieldError(field, "承办单位（编号%d）不存在、已停用或不在您的范围内。", id)
		}
		names = append(names, o.Name)
	}
	if len(units) > 10 {
		return lianluo.FieldError("co_unit_ids", "协办单位不能超过9个。")
	}
	due := s.cal.AddWorkdays(s.now, s.pol.ReplyWorkdays)
	if in.DueDate != "" {
		d, err := s.parseDate("due_date", in.DueDate)
		if err != nil {
			return err
		}
		due = d
	}
	if _, err := s.tx.Exec(ctx, `UPDATE case_units SET active = FALSE WHERE case_id = $1`, c.ID); err != nil {
		return err
	}
	for i, id := range units {
		if _, err := s.tx.Exec(ctx, `INSERT INTO case_units (case_id, org_id, round, lead, active) VALUES ($1, $2, $3, $4, TRUE)
			ON CONFLICT (case_id, org_id, round) DO UPDATE SET lead = excluded.lead, active = TRUE, signed_at = NULL`,
			c.ID, id, c.Round, i == 0); err != nil {
			return err
		}
	}
	n.Status, n.DueDate, n.OriginalDue = lianluo.StatusAssigned, &due, &due
	n.Units = nil
	for i, id := range units {
		n.Units = append(n.Units, lianluo.CaseUnit{OrgID: id, Lead: i == 0})
	}
	s.note = joinNote(fmt.Sprintf("交办：主办 %s%s，期限 %s", names[0], coText(names[1:]), dueText(&due)), s.note)
	s.notifyUnitsOf(ctx, units, lianluo.MsgCaseAssigned, truncate(c.Title, 30), dueText(&due))
	return nil
}

func (s *step) link(ctx context.Context) error {
	c, n := s.c, &s.n
	if s.in.MasterID == nil {
		return lianluo.FieldError("master_id", "请填写要并入的意见编号。")
	}
	if *s.in.MasterID == c.ID {
		return lianluo.FieldError("master_id", "不能并入本件自身。")
	}
	m, err := findCase(ctx, s.tx.conn, *s.in.MasterID)
	if err != nil {
		return lianluo.FieldError("master_id", "要并入的意见不存在或不在您的范围内。")
	}
	if m.MasterID != nil {
		return lianluo.FieldError("master_id", "意见 #%d 本身已并入意见 #%d，请并入后者。", m.ID, *m.MasterID)
	}
	if !lianluo.IsOpen(m.Status) {
		return lianluo.FieldError("master_id", "要并入的意见已办结，不能并入。")
	}
	var followers int
	if err := s.tx.QueryRow(ctx, `SELECT COUNT(*) FROM cases WHERE master_id = $1`, c.ID).Scan(&followers); err != nil {
		return err
	}
	if followers > 0 {
		return lianluo.Errorf(lianluo.ESTATE, "已有其他意见并入本件，本件不能再并入其他意见。")
	}
	n.MasterID, n.Status, n.DueDate = &m.ID, m.Status, m.DueDate
	s.note = joinNote(fmt.Sprintf("并入意见 #%d“%s”", m.ID, truncate(m.Title, 30)), s.note)
	return caseEvent(ctx, s.tx, m.ID, lianluo.ActLink, m.Status, m.Status, fmt.Sprintf("意见 #%d 并入本件", c.ID))
}

// save writes the case as changed, its history step, the linked cases that
// follow it, and the notifications.
func (s *step) save(ctx context.Context, action lianluo.WorkflowAction) error {
	n, tx := &s.n, s.tx
	if s.err != nil {
		return s.err
	}
	var extUntil, extDecidedAt *time.Time
	var extReason string
	var extDecided, extApproved bool
	if e := n.Extension; e != nil {
		extUntil, extReason, extDecided, extApproved, extDecidedAt = &e.Until, e.Reason, e.Decided, e.Approved, e.DecidedAt
	}
	submitted := (*time.Time)(nil)
	if n.Status == lianluo.StatusPendingApproval {
		submitted = &s.now
	}
	res, err := tx.Exec(ctx, `
		UPDATE cases SET status = $1, org_id = $2, round = $3, master_id = $4, due_at = $5, original_due_at = $6,
			submitted_at = COALESCE($7, submitted_at), ext_until = $8, ext_reason = $9, ext_decided = $10, ext_approved = $11,
			ext_decided_at = $12, outcome = $13, closed_at = $14, archived_year = $15, version = version + 1, updated_at = $16
		WHERE id = $17 AND version = $18`,
		n.Status, n.OrgID, n.Round, n.MasterID, n.DueDate, n.OriginalDue, submitted, extUntil, extReason, extDecided,
		extApproved, extDecidedAt, n.Outcome, n.ClosedAt, n.ArchivedYear, s.now, s.c.ID, s.c.Version)
	if err != nil {
		return err
	}
	if err := checkOne(res); err != nil {
		return err
	}
	if err := caseEvent(ctx, tx, s.c.ID, action, s.c.Status, n.Status, s.note); err != nil {
		return err
	}
	if n.Status != s.c.Status && action != lianluo.ActLink {
		if err := s.carryLinked(ctx, action); err != nil {
			return err
		}
	}
	for _, note := range s.notes {
		if err := enqueue(ctx, tx, note); err != nil {
			return err
		}
	}
	return nil
}

// carryLinked moves the cases linked to this one (并案) to its new status;
// feedback on the master reaches every linked voter.
func (s *step) carryLinked(ctx context.Context, action lianluo.WorkflowAction) error {
	rows, err := s.tx.Query(ctx, `SELECT id, status, title, submitter_phone FROM cases WHERE master_id = $1`, s.c.ID)
	if err != nil {
		return err
	}
	type linked struct {
		id           int64
		status       lianluo.CaseStatus
		title, phone string
	}
	var ls []linked
	for rows.Next() {
		var l linked
		if err := rows.Scan(&l.id, &l.status, &l.title, &l.phone); err != nil {
			rows.Close()
			return err
		}
		ls = append(ls, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range ls {
		if _, err := s.tx.Exec(ctx, `UPDATE cases SET status = $1, due_at = $2, outcome = $3, closed_at = $4, archived_year = $5,
			version = version + 1, updated_at = $6 WHERE id = $7`,
			s.n.Status, s.n.DueDate, s.n.Outcome, s.n.ClosedAt, s.n.ArchivedYear, s.now, l.id); err != nil {
			return err
		}
		if err := caseEvent(ctx, s.tx, l.id, action, l.status, s.n.Status, fmt.Sprintf("随意见 #%d 一并办理", s.c.ID)); err != nil {
			return err
		}
		if action == lianluo.ActFeedback && l.phone != "" {
			id := l.id
			_, body := lianluo.Message(lianluo.MsgCaseFeedback, truncate(l.title, 20), truncate(s.n.Outcome, 200))
			s.notes = append(s.notes, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: l.phone, Template: lianluo.MsgCaseFeedback, CaseID: &id,
				Body:      body,
				DedupeKey: fmt.Sprintf("feedback:%d:%d", id, s.n.Round)})
		}
	}
	return nil
}

// smsVoter queues a text message to the person who raised the case, when a
// phone number is known, worded by the template with args.
func (s *step) smsVoter(template lianluo.TemplateKey, args ...any) {
	if s.c.Submitter.Phone == "" {
		return
	}
	_, body := lianluo.Message(template, args...)
	id := s.c.ID
	s.notes = append(s.notes, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: s.c.Submitter.Phone, Template: template,
		CaseID: &id, Body: body, DedupeKey: fmt.Sprintf("%s:%d:%d", template, id, s.n.Round)})
}

// inapp queues a notification to each user, worded by the template with args.
func (s *step) inapp(ctx context.Context, users []int64, template lianluo.TemplateKey, args ...any) {
	_, body := lianluo.Message(template, args...)
	id := s.c.ID
	for _, u := range users {
		uid := u
		s.notes = append(s.notes, lianluo.Notification{UserID: &uid, Template: template, CaseID: &id, Body: body, Urgent: s.c.Urgent})
	}
}

func (s *step) notifyLeaders(ctx context.Context, orgID int64, template lianluo.TemplateKey, args ...any) {
	users, err := usersWithRole(ctx, s.tx, lianluo.RoleNPCLeader, []int64{orgID})
	s.fail(err)
	s.inapp(ctx, users, template, args...)
}

func (s *step) notifyOffice(ctx context.Context, orgID int64, template lianluo.TemplateKey, args ...any) {
	users, err := usersWithRole(ctx, s.tx, lianluo.RoleNPCOffice, []int64{orgID})
	s.fail(err)
	s.inapp(ctx, users, template, args...)
}

// notifyUnits tells the handlers of the case's current units (or only the lead).
func (s *step) notifyUnits(ctx context.Context, leadOnly bool, template lianluo.TemplateKey, args ...any) {
	var ids []int64
	for _, u := range s.c.Units {
		if u.Lead || !leadOnly {
			ids = append(ids, u.OrgID)
		}
	}
	s.notifyUnitsOf(ctx, ids, template, args...)
}

func (s *step) notifyUnitsOf(ctx context.Context, orgIDs []int64, template lianluo.TemplateKey, args ...any) {
	users, err := usersWithRole(ctx, s.tx, lianluo.RoleUnitHandler, orgIDs)
	s.fail(err)
	s.inapp(ctx, users, template, args...)
}

// fail keeps the first error; save returns it.
func (s *step) fail(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

func joinNote(a, b string) string {
	if b == "" {
		return a
	}
	if a == "" {
		return b
	}
	return a + "。" + b
}

func coText(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return "，协办 " + strings.Join(names, "、")
}

func dueText(t *time.Time) string {
	if t == nil {
		return "未定"
	}
	return t.In(lianluo.Beijing).Format("2006-01-02")
}

func ptrTime(t time.Time) *time.Time { return &t }

var _ lianluo.CaseService = (*DB)(nil)
