package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"lianluo"
	"lianluo/internal/sheets"
)

// The session's handling report (办理情况报告, /console/sessions/{id}/report,
// docs/suggestions.md "Statistics and the handling report") and the
// printable 建议交办单 of one transferred suggestion
// (/console/cases/{id}/transfer-form). Both are standalone A4 documents
// like the other print forms; the figures are lianluo.CountSuggestion's,
// read through the same service as GET /api/v1/stats/suggestions.

type sugReportPage struct {
	Title    string
	Session  *lianluo.CongressSession
	Issued   string
	Back     string
	Excel    string
	Lead     string // the figures as the report's opening paragraph
	Bills    string // the bills in a sentence, "" when none
	Units    []sugUnitView
	Total    sugUnitView
	Chart    *sugChart
	List     []sugItemView
	UnitOnly bool
}

// sugUnitView is one row of the table by unit, formatted.
type sugUnitView struct {
	Name                                 string
	Received, Answered, A, B, C          int
	Consult, TransferOnTime, ReplyOnTime string
	Satisfaction                         string
}

type sugItemView struct {
	ID                          int64
	Number, Title, Deputy, Unit string
	Result, Rating, Status      string
	Key                         bool
}

func sugUnitOf(name string, c lianluo.SuggestionCounts) sugUnitView {
	return sugUnitView{Name: name, Received: c.Received, Answered: c.Answered, A: c.A, B: c.B, C: c.C,
		Consult: pct(c.ConsultRate), TransferOnTime: pct(c.TransferOnTimeRate), ReplyOnTime: pct(c.ReplyOnTimeRate),
		Satisfaction: pct(c.SatisfactionRate)}
}

// sugChart is the A/B/C shares of the answered suggestions of each unit as
// horizontal stacked bars, drawn as inline SVG so that it prints as it is
// shown, without scripts.
type sugChart struct {
	Height int
	Rows   []sugChartRow
}

type sugChartRow struct {
	Name       string
	Y, TextY   int
	Answered   int
	Bars       []sugBar
	ABC        string // "A 1 · B 0 · C 1", for the label and the title
	LabelShort string
}

type sugBar struct {
	Class    string
	X, Width float64 // in the SVG's user units
	Title    string
}

const (
	chartLabelW = 170.0
	chartBarW   = 400.0
	chartRowH   = 30
	chartTop    = 34
)

func sugChartOf(units []lianluo.SuggestionUnitRow) *sugChart {
	c := &sugChart{}
	for _, u := range units {
		if u.Answered == 0 {
			continue
		}
		y := chartTop + len(c.Rows)*chartRowH
		row := sugChartRow{Name: u.UnitName, Y: y, TextY: y + 15, Answered: u.Answered,
			ABC: fmt.Sprintf("A %d · B %d · C %d", u.A, u.B, u.C), LabelShort: lianluo.Truncate(u.UnitName, 11)}
		x := chartLabelW
		for _, p := range []struct {
			class string
			n     int
			share *float64
		}{{"a", u.A, u.AShare}, {"b", u.B, u.BShare}, {"c", u.C, u.CShare}} {
			if p.n == 0 || p.share == nil {
				continue
			}
			w := *p.share * chartBarW
			row.Bars = append(row.Bars, sugBar{Class: p.class, X: x, Width: w,
				Title: fmt.Sprintf("%s %s类 %d件（%s）", u.UnitName, strings.ToUpper(p.class), p.n, pct(p.share))})
			x += w
		}
		c.Rows = append(c.Rows, row)
	}
	if len(c.Rows) == 0 {
		return nil
	}
	c.Height = chartTop + len(c.Rows)*chartRowH + 4
	return c
}

// requireSuggestionStats refuses those who may not see the figures (the
// API's rule, lianluo.CanSeeSuggestionStats).
func requireSuggestionStats(r *http.Request) error {
	if !lianluo.CanSeeSuggestionStats(actor(r)) {
		return lianluo.Errorf(lianluo.EFORBIDDEN, "代表建议办理情况报告仅供人大工作人员、人大领导、系统管理员和承办单位查看。")
	}
	return nil
}

func (a *app) suggestionReport(w http.ResponseWriter, r *http.Request) error {
	if err := requireSuggestionStats(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	res, err := a.svc.SuggestionStats.SuggestionStats(r.Context(), lianluo.SuggestionStatsFilter{SessionID: id})
	if err != nil {
		return err
	}
	base := fmt.Sprintf("/console/sessions/%d", id)
	now := a.now()
	p := &sugReportPage{Title: "关于" + res.Title + "代表建议办理情况的报告", Session: res.Session, Issued: bjDateCN(now),
		Back: base, Excel: base + "/report.xlsx", UnitOnly: res.UnitsOnly}
	for _, u := range res.Units {
		p.Units = append(p.Units, sugUnitOf(u.UnitName, u.SuggestionCounts))
	}
	p.Total = sugUnitOf("合计", res.Totals)
	p.Chart = sugChartOf(res.Units)
	for _, s := range res.Suggestions {
		v := sugItemView{ID: s.ID, Number: s.NumberText, Title: s.Title, Deputy: s.LeadDeputy, Unit: s.LeadUnit,
			Rating: lianluo.RatingNames[s.Rating], Status: lianluo.StatusNames[s.Status], Key: s.Key}
		if s.Result != "" {
			v.Result = s.Result + "类"
		}
		p.List = append(p.List, v)
	}
	p.Lead = sugReportLead(res, bjDateCN(now))
	if b := res.Bills; b.Proposed > 0 && !res.UnitsOnly {
		p.Bills = fmt.Sprintf("会议期间，代表联名或主席团提出议案%d件，其中主席团决定列入大会议程%d件，经大会表决通过并作出决议%d件；不列入大会议程、转为建议办理%d件（已计入上述建议件数）。",
			b.Proposed, b.OnAgenda, b.Passed, b.Converted)
	}
	return a.renderPrint(w, "suggestion_report", p)
}

// sugReportLead is the report's opening paragraph.
func sugReportLead(res *lianluo.SuggestionStatsResult, today string) string {
	c := res.Totals
	who := res.Title + "期间及会后，代表"
	if res.UnitsOnly {
		who = res.Title + "交由本单位主办的代表"
	}
	if c.Received == 0 {
		return who + "建议共0件。"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s提出建议、批评和意见共%d件。已交办%d件，其中在规定的十五日内交办%d件，按时交办率%s；", who, c.Received, c.Transferred, c.TransferredOnTime, pct(c.TransferOnTimeRate))
	fmt.Fprintf(&b, "承办单位已书面答复%d件，其中按期答复（含经批准延期）%d件，按时答复率%s；答复前与代表面商（含代表书面表示无需面商%d件）%d件，面商率%s。",
		c.Answered, c.AnsweredOnTime, pct(c.ReplyOnTimeRate), c.Waived, c.Consulted, pct(c.ConsultRate))
	if c.Answered > 0 {
		fmt.Fprintf(&b, "从办理结果看，A类（已解决或采纳）%d件，占%s；B类（正在解决或列入计划）%d件，占%s；C类（因条件限制暂不能解决）%d件，占%s。",
			c.A, pct(c.AShare), c.B, pct(c.BShare), c.C, pct(c.CShare))
	}
	fmt.Fprintf(&b, "领衔代表已评价%d件，满意和基本满意%d件，满意率%s。", c.Evaluated, c.Satisfied, pct(c.SatisfactionRate))
	if c.Key > 0 {
		fmt.Fprintf(&b, "列为重点督办的建议%d件。", c.Key)
	}
	fmt.Fprintf(&b, "截至%s，逾期未交办%d件，逾期未答复%d件，已办结%d件。", today, c.TransferOverdue, c.ReplyOverdue, c.Closed)
	return b.String()
}

// suggestionReportExcel is the report's figures as a workbook, audited.
func (a *app) suggestionReportExcel(w http.ResponseWriter, r *http.Request) error {
	if err := requireSuggestionStats(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, b, err := sheets.ExportSuggestionStats(r.Context(), a.svc, lianluo.SuggestionStatsFilter{SessionID: id})
	if err != nil {
		return err
	}
	return sendXLSX(w, name, b)
}

// The 建议交办单.

type transferForm struct {
	Title      string
	C          *lianluo.Case
	Back       string
	Body       string // the NPC body (主席团 through its office)
	Number     string
	Lead, Co   string // units
	Deputy     string // the lead deputy
	Cosigners  string
	Transfered string // 2026年3月26日
	Due        string // 2026年6月26日前
	Issuer     string
	Signer     string
	SignedOn   string
}

var transferDue = regexp.MustCompile(`期限 ([0-9]{4})-([0-9]{2})-([0-9]{2})`)

func (a *app) suggestionTransferForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.svc.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		return err
	}
	if c.Kind != lianluo.KindSuggestion {
		return lianluo.Errorf(lianluo.ESTATE, "只有代表建议有建议交办单。")
	}
	tr := lastEvent(c, lianluo.ActTransfer)
	if tr == nil || len(c.Units) == 0 {
		return lianluo.Errorf(lianluo.ESTATE, "本件建议尚未交办，没有交办单。")
	}
	p := &transferForm{Title: "代表建议交办单", C: c, Back: caseURL(id), Body: c.OrgName, Number: c.NumberText(),
		Transfered: bjDateCN(tr.At), Issuer: tr.ActorName}
	var co, cos []string
	seen := map[int64]bool{}
	for _, u := range c.Units {
		if seen[u.OrgID] {
			continue
		}
		seen[u.OrgID] = true
		if u.Lead && p.Lead == "" {
			p.Lead = u.Name
		} else if !u.Lead {
			co = append(co, u.Name)
		}
	}
	p.Co = strings.Join(co, "、")
	for _, s := range c.Signers {
		switch {
		case s.Lead:
			p.Deputy = s.Name
		case s.ConfirmedAt != nil:
			cos = append(cos, s.Name)
		}
	}
	if p.Deputy == "" && c.Presidium {
		p.Deputy = "主席团"
	}
	p.Cosigners = strings.Join(cos, "、")
	// The deadline the transfer set, as its history note says.
	if m := transferDue.FindStringSubmatch(tr.Comment); m != nil {
		if d, err := time.ParseInLocation("2006-01-02", m[1]+"-"+m[2]+"-"+m[3], lianluo.Beijing); err == nil {
			p.Due = bjDateCN(d) + "前"
		}
	} else if d := cmpOr(c.OriginalDue, c.DueDate); d != nil {
		p.Due = bjDateCN(*d) + "前"
	}
	if sign := lastEvent(c, lianluo.ActSign); sign != nil && sign.ID > tr.ID && p.Lead != "" {
		p.Signer = sign.ActorName + "（" + p.Lead + "）"
		p.SignedOn = bjDateCN(sign.At) + " " + sign.At.In(lianluo.Beijing).Format("15:04")
	}
	return a.renderPrint(w, "suggestion_transfer_form", p)
}
