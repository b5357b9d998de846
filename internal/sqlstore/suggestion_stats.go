package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"lianluo"
)

// The statistics of a session's suggestions and bills (docs/suggestions.md,
// "Statistics and the handling report"): the facts of each suggestion are
// read in a handful of queries over the whole session (the rows, the
// history, the answers, the 面商 records, the ratings, the lead units) and
// counted with lianluo.CountSuggestion.

// sugStat is one suggestion or bill as the statistics read it.
type sugStat struct {
	facts    lianluo.SuggestionFacts
	item     lianluo.SuggestionStatsItem
	submitAt *time.Time
	due      *time.Time // the reply deadline set last by transfer, extension or redo, as the history is read
	replied  bool       // the history has reached the first reply
	unitID   int64
	rounds   map[int]string // round → form of its 面商 records ("waived" only if no meeting)
	replyRnd int            // the latest answer's round
}

// The deadlines the history notes name: "交办：主办 …，期限 2026-06-26",
// "同意延期至 2026-07-26", "责成重新办理，第2轮，期限 2026-08-10".
var (
	noteDue       = regexp.MustCompile(`期限 ([0-9]{4}-[0-9]{2}-[0-9]{2})`)
	noteExtension = regexp.MustCompile(`^同意延期至 ([0-9]{4}-[0-9]{2}-[0-9]{2})`)
)

// noteDay is the end of the Beijing day a history note names.
func noteDay(re *regexp.Regexp, comment string) (time.Time, bool) {
	m := re.FindStringSubmatch(comment)
	if m == nil {
		return time.Time{}, false
	}
	d, err := time.ParseInLocation("2006-01-02", m[1], lianluo.Beijing)
	if err != nil {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, 1).Add(-time.Microsecond).UTC(), true
}

// SuggestionStats counts the suggestions and bills of a session (or of an
// NPC body between sessions in a year) for the caller: the body's office
// and leaders and the system administrator see all; a handling unit sees
// the suggestions it leads only (lianluo.SuggestionStatsScope).
func (db *DB) SuggestionStats(ctx context.Context, f lianluo.SuggestionStatsFilter) (_ *lianluo.SuggestionStatsResult, err error) {
	defer wrap(&err, "SuggestionStats")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !lianluo.CanSeeSuggestionStats(a) {
		return nil, lianluo.Forbidden()
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	cn := db.reader()
	res := &lianluo.SuggestionStatsResult{Units: []lianluo.SuggestionUnitRow{}, Suggestions: []lianluo.SuggestionStatsItem{}}
	var w where
	sessionEnd := ""
	orgID := f.OrgID
	if f.SessionID > 0 {
		s, err := findSession(ctx, cn, f.SessionID)
		if err != nil {
			return nil, err
		}
		res.Session, res.Title, orgID, sessionEnd = s, s.Name, s.OrgID, s.EndsOn
		w.add("s.session_id = " + w.arg(f.SessionID))
	} else {
		var name, kind string
		err := cn.QueryRow(ctx, `SELECT name, kind FROM orgs WHERE id = $1`, f.OrgID).Scan(&name, &kind)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != lianluo.OrgNPC) {
			return nil, lianluo.NotFound("人大机构")
		} else if err != nil {
			return nil, err
		}
		res.Title = fmt.Sprintf("%s%d年闭会期间", name, f.Year)
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
		w.add("s.session_id IS NULL")
		w.add("c.org_id = " + w.arg(f.OrgID))
		w.add("c.created_at >= " + w.arg(from.UTC()))
		w.add("c.created_at < " + w.arg(from.AddDate(1, 0, 0).UTC()))
	}
	all, units, ok := lianluo.SuggestionStatsScope(a, orgID)
	if !ok {
		// The role may see statistics, not this body's: as if it did not exist.
		if f.SessionID == 0 {
			return nil, lianluo.NotFound("人大机构")
		}
		return nil, lianluo.NotFound("会议")
	}
	res.UnitsOnly = !all
	w.add("c.status <> 'draft'")
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	cases, order, err := loadSuggestionStats(ctx, cn, &w)
	if err != nil {
		return nil, err
	}

	now := db.Now()
	byUnit := map[int64]*lianluo.SuggestionUnitRow{}
	for _, id := range order {
		s := cases[id]
		if !all && !slices.Contains(units, s.unitID) {
			continue
		}
		fa := &s.facts
		if fa.Kind == lianluo.KindSuggestion && s.submitAt != nil {
			fa.TransferDue = ptrTime(lianluo.TransferDue(cal, sessionEnd, *s.submitAt))
		}
		if form, ok := s.rounds[s.replyRnd]; ok && s.replyRnd > 0 {
			fa.Consulted, fa.Waived = true, form == "waived"
		}
		sc, bc := lianluo.CountSuggestion(*fa, now)
		res.Totals = res.Totals.Plus(sc)
		res.Bills = res.Bills.Plus(bc)
		if fa.Kind != lianluo.KindSuggestion {
			continue
		}
		row := byUnit[s.unitID]
		if row == nil {
			row = &lianluo.SuggestionUnitRow{UnitID: s.unitID, UnitName: s.item.LeadUnit}
			if s.unitID == 0 {
				row.UnitName = "尚未交办"
			}
			byUnit[s.unitID] = row
		}
		row.SuggestionCounts = row.SuggestionCounts.Plus(sc)
		s.item.Result, s.item.Rating, s.item.Key, s.item.Status = fa.Result, fa.Rating, fa.Key, fa.Status
		res.Suggestions = append(res.Suggestions, s.item)
	}
	res.Totals = res.Totals.WithRates()
	for _, r := range byUnit {
		res.Units = append(res.Units, *r)
	}
	slices.SortFunc(res.Units, func(x, y lianluo.SuggestionUnitRow) int {
		switch {
		case noUnit(x) != noUnit(y):
			return noUnit(x) - noUnit(y)
		case x.Received != y.Received:
			return y.Received - x.Received
		}
		return strings.Compare(x.UnitName, y.UnitName)
	})
	return res, nil
}

// noUnit is 1 for the row of suggestions not yet transferred, which comes last.
func noUnit(r lianluo.SuggestionUnitRow) int {
	if r.UnitID == 0 {
		return 1
	}
	return 0
}

func ptrTime(t time.Time) *time.Time { return &t }

// loadSuggestionStats reads the facts of the suggestions and bills w
// chooses (on cases c joined with suggestions s), in number order.
func loadSuggestionStats(ctx context.Context, cn conn, w *where) (map[int64]*sugStat, []int64, error) {
	const base = ` FROM cases c JOIN suggestions s ON s.case_id = c.id`
	chosen := "(SELECT c.id" + base + w.String() + ")"
	cases := map[int64]*sugStat{}
	var order []int64
	if err := scanEach(ctx, cn, `SELECT c.id, c.kind, c.status, c.due_at, c.title, s.number, s.key_supervisor, s.presidium, COALESCE(d.name, '')`+base+
		` LEFT JOIN suggestion_signers ss ON ss.case_id = c.id AND ss.lead = TRUE LEFT JOIN deputies d ON d.id = ss.deputy_id`+
		w.String()+` ORDER BY s.number = 0, s.number, c.id`, w.args, func(sc func(...any) error) error {
		st := &sugStat{rounds: map[int]string{}}
		var id int64
		var key string
		var presidium bool
		it := &st.item
		if err := sc(&id, &st.facts.Kind, &st.facts.Status, &st.facts.DueDate, &it.Title, &it.Number, &key, &presidium, &it.LeadDeputy); err != nil {
			return err
		}
		if presidium && it.LeadDeputy == "" {
			it.LeadDeputy = "主席团"
		}
		it.ID, st.facts.Key = id, key != ""
		it.NumberText = (&lianluo.Case{Number: it.Number, Status: st.facts.Status}).NumberText()
		cases[id] = st
		order = append(order, id)
		return nil
	}); err != nil {
		return nil, nil, err
	}
	if len(order) == 0 {
		return cases, order, nil
	}
	// The history: submission (the fifteen days), transfer, the deadlines
	// set and the one in force at the first answer, the bills' agenda and
	// resolution.
	if err := scanEach(ctx, cn, `SELECT case_id, at, action, comment FROM case_events WHERE case_id IN `+chosen+`
		AND action IN ('submit', 'convert_to_suggestion', 'transfer', 'decide_extension', 'redo', 'reply', 'list_on_agenda', 'record_resolution') ORDER BY id`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var at time.Time
			var action lianluo.WorkflowAction
			var comment string
			if err := sc(&id, &at, &action, &comment); err != nil {
				return err
			}
			s := cases[id]
			if s == nil {
				return nil
			}
			f := &s.facts
			switch action {
			case lianluo.ActSubmit:
				s.submitAt = ptrTime(at)
			case lianluo.ActConvertToSuggestion:
				s.submitAt, f.Converted = ptrTime(at), true
			case lianluo.ActTransfer:
				if f.TransferredAt == nil {
					f.TransferredAt = ptrTime(at)
				}
				if d, ok := noteDay(noteDue, comment); ok {
					s.due = &d
				}
			case lianluo.ActRedo:
				if d, ok := noteDay(noteDue, comment); ok {
					s.due = &d
				}
			case lianluo.ActDecideExtension:
				if d, ok := noteDay(noteExtension, comment); ok {
					s.due = &d
				}
			case lianluo.ActReply:
				// The deadline in force at the first answer: the history
				// read so far, in order.
				if !s.replied {
					s.replied, f.DueAtFirstReply = true, s.due
				}
			case lianluo.ActListOnAgenda:
				f.OnAgenda = true
			case lianluo.ActRecordResolution:
				f.Passed = strings.HasPrefix(comment, "大会表决通过")
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The answers: the first one's time, the latest one's class and round.
	if err := scanEach(ctx, cn, `SELECT case_id, round, result, at FROM case_replies WHERE case_id IN `+chosen+` ORDER BY round`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var round int
			var result string
			var at time.Time
			if err := sc(&id, &round, &result, &at); err != nil {
				return err
			}
			if s := cases[id]; s != nil {
				if s.facts.FirstReplyAt == nil {
					s.facts.FirstReplyAt = ptrTime(at)
				}
				s.facts.Result, s.replyRnd = result, round
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The 面商 records by round: a meeting counts over a waiver.
	if err := scanEach(ctx, cn, `SELECT case_id, round, form FROM suggestion_consultations WHERE case_id IN `+chosen+` ORDER BY id`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var round int
			var form string
			if err := sc(&id, &round, &form); err != nil {
				return err
			}
			if s := cases[id]; s != nil {
				if prev, ok := s.rounds[round]; !ok || prev == "waived" {
					s.rounds[round] = form
				}
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The lead deputy's latest evaluation.
	if err := scanEach(ctx, cn, `SELECT case_id, rating FROM case_ratings WHERE by_kind = 'deputy' AND case_id IN `+chosen+` ORDER BY round, id`,
		w.args, func(sc func(...any) error) error {
			var id int64
			var rating string
			if err := sc(&id, &rating); err != nil {
				return err
			}
			if s := cases[id]; s != nil {
				s.facts.Rating = rating
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	// The lead unit: of the latest round, the active one last.
	if err := scanEach(ctx, cn, `SELECT cu.case_id, cu.org_id, o.name FROM case_units cu JOIN orgs o ON o.id = cu.org_id
		WHERE cu.lead = TRUE AND cu.case_id IN `+chosen+` ORDER BY cu.round, cu.active`,
		w.args, func(sc func(...any) error) error {
			var id, org int64
			var name string
			if err := sc(&id, &org, &name); err != nil {
				return err
			}
			if s := cases[id]; s != nil {
				s.unitID, s.item.LeadUnit = org, name
			}
			return nil
		}); err != nil {
		return nil, nil, err
	}
	return cases, order, nil
}
