// Published results (办理结果公开, /results): publishing an answered case,
// its preview, and the public list, masked.

package sqlstore

import (
	"context"
	"lianluo"
	"slices"
	"strings"
	"time"
)

// PublishCase puts an answered case into the public results (or takes it out).
// The public text defaults to the unit's answer (lianluo.DefaultPublicAnswer)
// and is refused while it carries the submitter's name, phone or address
// (lianluo.CheckPublicText).
func (db *DB) PublishCase(ctx context.Context, id int64, in lianluo.PublishInput) (_ *lianluo.Case, err error) {
	defer wrap(&err, "PublishCase(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if in.Version <= 0 {
		return nil, lianluo.CheckVersion("该意见", in.Version, 0)
	}
	in.Answer = strings.TrimSpace(in.Answer)
	if err := optional("answer", "公开的答复内容", in.Answer, 5000); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !isOffice(a, c) {
			return lianluo.Forbidden()
		}
		if err := lianluo.CheckVersion("该意见", in.Version, c.Version); err != nil {
			return err
		}
		var at *time.Time
		answer, action, note := c.PublicAnswer, lianluo.StepUnpublish, "撤回公开"
		if in.Published {
			if !slices.Contains(lianluo.PublishableStatuses, c.Status) {
				return lianluo.Errorf(lianluo.ESTATE, "该意见当前状态为“%s”，答复以后才能公开。", lianluo.StatusNames[c.Status])
			}
			if answer, err = publicAnswer(ctx, tx.conn, c, in.Answer); err != nil {
				return err
			}
			if err := lianluo.CheckPublicText("answer", answer, c.Submitter); err != nil {
				return err
			}
			at, action, note = &tx.now, lianluo.StepPublish, "公开办理结果"
		} else if c.PublishedAt == nil {
			return lianluo.Errorf(lianluo.ESTATE, "该意见没有公开。")
		}
		res, err := tx.Exec(ctx, `UPDATE cases SET published_at = $1, public_answer = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND version = $5`, at, answer, tx.now, id, in.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return caseEvent(ctx, tx, id, action, c.Status, c.Status, note)
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, id)
}

// publicAnswer is the text to publish: the one given, or by default the
// unit's answer (the closing text when no unit answered).
func publicAnswer(ctx context.Context, cn conn, c *lianluo.Case, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	if err := loadCaseDetails(ctx, cn, c, false); err != nil {
		return "", err
	}
	if answer := lianluo.DefaultPublicAnswer(c); answer != "" {
		return answer, nil
	}
	return "", lianluo.FieldError("answer", "请填写公开的答复内容。")
}

// PreviewPublish shows the office what publishing the case with answer
// would put on /results: the same query and masking as PublishedResults,
// with the text to publish in place of the published one. A text that
// publishing would refuse still has its preview; the refusal comes with it.
func (db *DB) PreviewPublish(ctx context.Context, id int64, answer string) (_ *lianluo.ResultPreview, err error) {
	defer wrap(&err, "PreviewPublish(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCase(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if !isOffice(a, c) {
		return nil, lianluo.Forbidden()
	}
	out := &lianluo.ResultPreview{}
	answer, err = publicAnswer(ctx, db.reader(), c, strings.TrimSpace(answer))
	if lianluo.ErrorCode(err) == lianluo.EINVALID {
		out.Refusal = err
	} else if err != nil {
		return nil, err
	} else {
		out.Refusal = lianluo.CheckPublicText("answer", answer, c.Submitter)
	}
	var w where
	w.add("c.id = " + w.arg(id))
	items, _, err := queryList(ctx, db.reader(), resultsQuery(&w, answer, lianluo.Page{}), w.args, db.scanResult)
	if err != nil {
		return nil, err
	}
	if len(items) != 1 {
		return nil, lianluo.NotFound("意见")
	}
	out.Result = items[0]
	out.Result.PublishedAt = db.Now()
	return out, nil
}

// PublishedResults lists the published cases, newest first, with personal
// details masked (names, and numbers written into the text).
func (db *DB) PublishedResults(ctx context.Context, f lianluo.ResultFilter) (_ []*lianluo.PublishedResult, _ int, err error) {
	defer wrap(&err, "PublishedResults")
	var w where
	w.add("c.published_at IS NOT NULL")
	if f.Region != "" {
		code := lianluo.NormalizeRegionCode(f.Region)
		if code == "" {
			return nil, 0, lianluo.FieldError("region", "地区代码不正确。")
		}
		w.add(regionRange(&w, "c.region_code", code))
	}
	if f.Category != "" {
		// A top category includes its subcategories.
		p := w.arg(f.Category)
		w.add(`(c.category = ` + p + ` OR c.category IN (SELECT k.name FROM categories k JOIN categories t ON t.id = k.parent_id WHERE t.name = ` + p + `))`)
	}
	if f.Month != "" {
		m, err := time.ParseInLocation("2006-01", f.Month, lianluo.Beijing)
		if err != nil {
			return nil, 0, lianluo.FieldError("month", "月份格式应为 2026-03。")
		}
		w.add("c.created_at >= " + w.arg(m.UTC()) + " AND c.created_at < " + w.arg(m.AddDate(0, 1, 0).UTC()))
	}
	return queryList(ctx, db.reader(), resultsQuery(&w, "", f.Page), w.args, db.scanResult)
}

// resultsQuery selects published results as /results shows them. With a
// preview text, that text stands in for the published one (and a case
// not yet published gets a publication time of now, set by the caller).
func resultsQuery(w *where, preview string, pg lianluo.Page) string {
	answer, published := "c.public_answer", "c.published_at"
	if preview != "" {
		answer, published = "CAST("+w.arg(preview)+" AS TEXT)", "c.created_at"
	}
	return `SELECT c.id, c.title, c.content, c.category, c.region_code, COALESCE(r.name, ''), COALESCE(s.name, ''),
			c.submitter_name, c.submitter_address, c.confidential, ` + answer + `, c.created_at, ` + published + `,
			COALESCE((SELECT rp.result FROM case_replies rp WHERE rp.case_id = c.id ORDER BY rp.round DESC LIMIT 1), ''),
			COALESCE((SELECT rt.rating FROM case_ratings rt WHERE rt.case_id = c.id ORDER BY rt.round DESC, rt.by_kind LIMIT 1), ''),
			COUNT(*) OVER ()
		FROM cases c
		LEFT JOIN stations s ON s.id = c.station_id
		LEFT JOIN regions r ON r.code = c.region_code` + w.String() + ` ORDER BY c.published_at DESC, c.id DESC` + w.page(pg)
}

// scanResult reads a row of resultsQuery and masks what the public may not
// see: the submitter's name (匿名 when confidential), and in the texts the
// submitter's name and address and any numbers.
func (db *DB) scanResult(sc interface{ Scan(...any) error }, p *lianluo.PublishedResult, n *int) error {
	var who lianluo.Submitter
	var confidential bool
	if err := sc.Scan(&p.ID, &p.Title, &p.Content, &p.Category, &p.RegionCode, &p.RegionName, &p.StationName,
		&who.Name, &who.Address, &confidential, &p.Answer, &p.SubmittedAt, &p.PublishedAt, &p.Result, &p.Rating, n); err != nil {
		return err
	}
	var err error
	if who.Address, err = db.keys.open(who.Address); err != nil {
		return err
	}
	p.Submitter = "匿名"
	if who.Name != "" && !confidential {
		p.Submitter = lianluo.MaskName(who.Name)
	}
	mask := func(s string) string { return lianluo.MaskText(lianluo.MaskSubmitterIn(s, who)) }
	p.Title, p.Content, p.Answer = mask(p.Title), mask(p.Content), mask(p.Answer)
	return nil
}
