// Following an opinion with its tracking code (/track): the public-safe
// timeline, the unit's answer and the feedback, and the voter's rating.

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"lianluo"
	"math"
)

// FollowOpinion shows an opinion to the voter who holds its code.
func (db *DB) FollowOpinion(ctx context.Context, code, phoneTail string) (_ *lianluo.PublicOpinion, err error) {
	defer wrap(&err, "FollowOpinion")
	var out *lianluo.PublicOpinion
	err = db.withCodeLookup(ctx, func() error {
		c, err := db.findPublicCase(ctx, db.reader(), code, phoneTail)
		if err != nil {
			return err
		}
		out, err = db.publicOpinion(ctx, db.reader(), c)
		return err
	})
	return out, err
}

// publicStatus words each status for the voter, with the progress stage.
var publicStatus = map[lianluo.CaseStatus]struct {
	Text  string
	Stage int
}{
	lianluo.StatusRegistered:         {"已收到，等待工作人员梳理", 1},
	lianluo.StatusAnswered:           {"已当场答复", 4},
	lianluo.StatusNotAccepted:        {"不属于联络站受理范围，已告知办理途径", 4},
	lianluo.StatusExplained:          {"已向您解释说明", 4},
	lianluo.StatusPendingApproval:    {"已受理，正在审核交办", 2},
	lianluo.StatusAssigned:           {"已交相关部门办理", 3},
	lianluo.StatusHandling:           {"相关部门正在办理", 3},
	lianluo.StatusReplied:            {"部门已答复，即将向您反馈", 3},
	lianluo.StatusAwaitingEvaluation: {"已答复，请您评价办理结果", 4},
	lianluo.StatusSupervising:        {"对答复不满意，正在督促重新办理", 3},
	lianluo.StatusClosed:             {"已办结", 4},
	lianluo.StatusArchived:           {"已办结", 4},
}

// answerLabels head what the voter was told, by the status it led to.
var answerLabels = map[lianluo.CaseStatus]string{
	lianluo.StatusAnswered:    "当场答复",
	lianluo.StatusExplained:   "解释说明",
	lianluo.StatusNotAccepted: "办理途径",
}

// publicStep words a history step for the voter; "" leaves it out (staff
// names and comments never leave).
func publicStep(e lianluo.CaseEvent, lead string) string {
	switch e.Action {
	case lianluo.StepRegister:
		return "意见已登记"
	case lianluo.StepAttach:
		return "补充了照片或材料"
	case lianluo.ActTriage:
		switch e.To {
		case lianluo.StatusAnswered:
			return "工作人员已答复"
		case lianluo.StatusNotAccepted:
			return "经审查不属于联络站受理范围，已告知办理途径"
		case lianluo.StatusExplained:
			return "工作人员已解释说明"
		case lianluo.StatusPendingApproval:
			return "已受理，报送审核交办"
		}
	case lianluo.ActEscalate:
		return "已报送上级人大常委会审核"
	case lianluo.ActApprove:
		if lead != "" {
			return "已交由" + lead + "办理"
		}
		return "已交相关部门办理"
	case lianluo.ActSign:
		return "承办单位已签收，开始办理"
	case lianluo.ActReturn:
		return "正在重新确定承办单位"
	case lianluo.ActDecideExtension:
		return "办理期限经审批作了调整"
	case lianluo.ActUrge:
		return "已催促承办单位抓紧办理"
	case lianluo.ActReply:
		return "承办单位已答复"
	case lianluo.ActFeedback:
		return "已向您反馈办理结果"
	case lianluo.ActEvaluate:
		return "已进行满意度测评"
	case lianluo.ActSupervise:
		return "对答复不满意，已督促承办单位重新办理"
	case lianluo.ActClose:
		return "已办结"
	case lianluo.ActArchive:
		return "已归档"
	case lianluo.ActLink:
		return "与反映同类问题的意见合并办理"
	}
	return ""
}

// publicOpinion builds the voter's view of a case.
func (db *DB) publicOpinion(ctx context.Context, cn conn, c *lianluo.Case) (*lianluo.PublicOpinion, error) {
	if err := loadCaseDetails(publicActor(ctx), cn, c, true); err != nil {
		return nil, err
	}
	st := publicStatus[c.Status]
	p := &lianluo.PublicOpinion{TrackingCode: c.TrackingCode, Title: c.Title, Content: c.Content, Category: c.Category,
		StationName: c.StationName, DeputyNames: c.ReceivedByNames, Status: c.Status, StatusText: st.Text, Stage: st.Stage,
		SubmittedAt: c.CreatedAt, Steps: []lianluo.PublicStep{}, Ratings: []lianluo.PublicRating{}}
	lead := ""
	for _, u := range c.Units {
		if u.Lead {
			lead = u.Name
		}
	}
	fedBack := false
	for _, e := range c.Events {
		if e.Action == lianluo.ActFeedback || (e.Action == lianluo.ActTriage && e.To != lianluo.StatusPendingApproval) {
			at := e.At
			p.AnsweredAt, p.AnswerLabel = &at, answerLabels[e.To]
		}
		if e.Action == lianluo.ActFeedback {
			fedBack, p.AnswerLabel = true, "给您的反馈"
		}
		text := publicStep(e, lead)
		if text == "" || (len(p.Steps) > 0 && p.Steps[len(p.Steps)-1].Text == text) {
			continue
		}
		p.Steps = append(p.Steps, lianluo.PublicStep{At: e.At, Text: text})
	}
	if p.AnsweredAt != nil {
		p.Answer = c.Outcome
	}
	if fedBack {
		// The unit's answer that was fed back: the latest reply, unless
		// the current round's reply still waits for its own feedback.
		id, round := c.ID, c.Round
		if c.Status == lianluo.StatusReplied {
			round--
		}
		if c.MasterID != nil {
			// A linked case is answered with its master (并案).
			id, round = *c.MasterID, math.MaxInt32
		}
		r := &lianluo.PublicReply{Unit: lead}
		err := cn.QueryRow(ctx, `SELECT result, content, at FROM case_replies WHERE case_id = $1 AND round <= $2 ORDER BY round DESC LIMIT 1`,
			id, round).Scan(&r.Result, &r.Content, &r.At)
		switch {
		case err == nil:
			r.ResultText = lianluo.ReplyResults[r.Result]
			if r.Unit == "" {
				r.Unit = "承办单位"
			}
			p.Reply = r
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	}
	for _, r := range c.Ratings {
		if r.By == lianluo.ByVoter {
			p.Ratings = append(p.Ratings, lianluo.PublicRating{Rating: r.Rating, Comment: r.Comment, Round: r.Round, At: r.At})
		}
	}
	p.FedBack = fedBack
	p.CanRate = lianluo.VoterMayRate(c, fedBack)
	if err := cn.QueryRow(ctx, `SELECT COUNT(*) FROM case_attachments WHERE case_id = $1`, c.ID).Scan(&p.Photos); err != nil {
		return nil, err
	}
	p.CanAddPhotos = c.Channel == "online" && c.Status == lianluo.StatusRegistered && db.Now().Sub(c.CreatedAt) <= lianluo.PhotoWindow &&
		p.Photos < lianluo.MaxPublicPhotos
	return p, nil
}

// RateOpinion records the voter's satisfaction rating. When no deputy
// received the case the voter's rating drives the workflow (closed, or
// supervised when unsatisfied); otherwise the deputy's does and the voter's
// is kept beside it.
func (db *DB) RateOpinion(ctx context.Context, code, phoneTail string, r lianluo.PublicRating) (_ *lianluo.PublicOpinion, err error) {
	defer wrap(&err, "RateOpinion")
	if err := lianluo.CheckOnlineRating(r.Rating, r.Comment); err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	ctx = publicActor(ctx)
	var out *lianluo.PublicOpinion
	rate := func(tx *Tx) error {
		c, err := db.findPublicCase(ctx, tx.conn, code, phoneTail)
		if err != nil {
			return err
		}
		view, err := db.publicOpinion(ctx, tx.conn, c)
		if err != nil {
			return err
		}
		linked, err := linkedCases(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		d, err := lianluo.DecideOnlineRating(lianluo.OnlineRatingContext{Case: c, FedBack: view.FedBack, Rating: r.Rating,
			Comment: r.Comment, Policy: pol, Now: tx.now, Linked: linked})
		if err != nil {
			return err
		}
		if err := applyStep(ctx, tx, c, d); err != nil {
			return err
		}
		c, err = findCase(ctx, tx.conn, c.ID)
		if err != nil {
			return err
		}
		out, err = db.publicOpinion(ctx, tx.conn, c)
		return err
	}
	err = db.withCodeLookup(ctx, func() error { return db.transact(ctx, rate) })
	return out, err
}
