package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"lianluo"
)

// 代表信箱 (004 三): the boxes in scope with their state,
// a station's box (overdue warning, the openings log, the form for a new
// opening with its letters, a letter to a case) and the quarterly summary.

var mailboxFlashes = map[string]string{
	"opened": "开箱记录已登记。",
	"case":   "来信已转为群众意见，进入梳理流程。",
}

type mailboxRow struct {
	M        lianluo.MailboxStatus
	Last     string
	NeverYet bool
}

type mailboxHomePage struct {
	basePage
	Boxes   []mailboxRow
	Overdue int
	Quarter string
	Region  string // the office's own region, for the region's summary
}

func mailboxRows(ms []lianluo.MailboxStatus) ([]mailboxRow, int) {
	var out []mailboxRow
	overdue := 0
	for _, m := range ms {
		row := mailboxRow{M: m, NeverYet: m.LastOpened == nil}
		if m.LastOpened != nil {
			row.Last = m.LastOpened.Format("2006-01-02 15:04")
		}
		if m.Overdue {
			overdue++
		}
		out = append(out, row)
	}
	return out, overdue
}

func (a *app) mailboxHome(w http.ResponseWriter, r *http.Request) error {
	ms, err := a.svc.Mailbox.MailboxStatuses(r.Context(), 0)
	if err != nil {
		return err
	}
	p := &mailboxHomePage{basePage: basePage{Title: "代表信箱", Section: "mailbox"}, Quarter: lianluo.QuarterOf(a.now()).String()}
	p.Boxes, p.Overdue = mailboxRows(ms)
	if rs := actor(r).Scope.Regions; len(rs) > 0 {
		p.Region = rs[0]
	}
	return a.render(w, r, http.StatusOK, "mailbox", p)
}

// letterInput is one letter's row of the opening form.
type letterInput struct {
	N      int // 0-based, for the field names letters[N].…
	Num    int // N+1, as people count
	L      lianluo.Letter
	Errors map[string]string // by the short field name
}

type openingView struct {
	O       *lianluo.MailboxOpening
	When    string
	By      string
	Letters []letterView
}

type letterView struct {
	Num        int
	L          *lianluo.Letter
	CaseStatus string
}

type mailboxPage struct {
	basePage
	S        *lianluo.Station
	Status   *mailboxRow
	CanOpen  bool
	Openings []openingView
	Total    int
	Form     formState
	OpenedAt string
	OpenedBy string
	Note     string
	Letters  []letterInput
	More     int // the number of letter rows of a "more rows" link
	Quarter  string
}

// defaultLetterRows is how many empty letter rows the form shows; a link
// adds more without JavaScript (?rows=N).
const defaultLetterRows = 3

func (a *app) mailboxPageFor(r *http.Request, id int64) (*mailboxPage, error) {
	ctx, ac := r.Context(), actor(r)
	st, err := a.svc.Stations.FindStationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &mailboxPage{basePage: basePage{Title: st.Name + " · 代表信箱", Section: "mailbox"}, S: st,
		CanOpen: lianluo.KeepsMailbox(ac, st), Quarter: lianluo.QuarterOf(a.now()).String()}
	if s, ok := mailboxFlashes[r.URL.Query().Get("ok")]; ok {
		p.Flash = s
	}
	ms, err := a.svc.Mailbox.MailboxStatuses(ctx, id)
	if err != nil {
		return nil, err
	}
	if rows, _ := mailboxRows(ms); len(rows) == 1 {
		p.Status = &rows[0]
	}
	list, total, err := a.svc.Mailbox.FindOpenings(ctx, id, lianluo.Page{PerPage: 52})
	if err != nil {
		return nil, err
	}
	p.Total = total
	for _, o := range list {
		v := openingView{O: o, When: o.OpenedAt.Format("2006-01-02 15:04"), By: strings.Join(o.OpenedBy, "、")}
		for _, l := range o.Letters {
			v.Letters = append(v.Letters, letterView{L: l, CaseStatus: lianluo.StatusNames[l.CaseStatus]})
		}
		p.Openings = append(p.Openings, v)
	}
	p.OpenedAt = a.now().In(lianluo.Beijing).Format("2006-01-02T15:04")
	n := defaultLetterRows
	if m, err := strconv.Atoi(r.URL.Query().Get("rows")); err == nil && m > 0 && m <= lianluo.MaxLettersPerOpening {
		n = m
	}
	for i := 0; i < n; i++ {
		p.Letters = append(p.Letters, letterInput{N: i, Num: i + 1})
	}
	p.More = min(n+3, lianluo.MaxLettersPerOpening)
	return p, nil
}

func (a *app) mailboxStation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := a.mailboxPageFor(r, id)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "mailbox_station", p)
}

// readOpening reads the opening form: the openers one per line (or
// separated by 、，,), and the letter rows that have any content.
func readOpening(r *http.Request) (lianluo.OpeningInput, []letterInput) {
	in := lianluo.OpeningInput{OpenedAt: formStr(r, "opened_at"), Note: formStr(r, "note")}
	by := strings.NewReplacer("、", "\n", "，", "\n", ",", "\n").Replace(formStr(r, "opened_by"))
	for _, n := range strings.Split(by, "\n") {
		if n = strings.TrimSpace(n); n != "" {
			in.OpenedBy = append(in.OpenedBy, n)
		}
	}
	rows, _ := strconv.Atoi(formStr(r, "rows"))
	rows = max(0, min(rows, lianluo.MaxLettersPerOpening))
	var shown []letterInput
	for i := 0; i < rows; i++ {
		f := func(name string) string { return formStr(r, fmt.Sprintf("letters[%d].%s", i, name)) }
		l := lianluo.Letter{WriterName: f("writer_name"), WriterPhone: f("writer_phone"), WriterAddress: f("writer_address"),
			Content: f("content"), Category: f("category"), Anonymous: formBool(r, fmt.Sprintf("letters[%d].anonymous", i))}
		shown = append(shown, letterInput{N: i, Num: i + 1, L: l})
		if l.Content == "" && l.WriterName == "" && l.WriterPhone == "" && l.WriterAddress == "" {
			continue // an empty row
		}
		in.Letters = append(in.Letters, l)
	}
	return in, shown
}

func (a *app) mailboxOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	in, shown := readOpening(r)
	// The store numbers letters by their place among the non-empty rows;
	// map that back to the form's row numbers.
	var rowOf []int
	for _, s := range shown {
		if s.L.Content != "" || s.L.WriterName != "" || s.L.WriterPhone != "" || s.L.WriterAddress != "" {
			rowOf = append(rowOf, s.N)
		}
	}
	_, err = a.svc.Mailbox.RecordOpening(r.Context(), id, in)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/console/stations/%d/mailbox?ok=opened", id))
	}
	p, perr := a.mailboxPageFor(r, id)
	if perr != nil {
		return perr
	}
	p.OpenedAt, p.OpenedBy, p.Note = in.OpenedAt, strings.Join(in.OpenedBy, "\n"), in.Note
	if len(shown) > 0 {
		p.Letters = shown
		p.More = min(len(shown)+3, lianluo.MaxLettersPerOpening)
	}
	field := lianluo.ErrorField(err)
	var i int
	var short string
	if _, scanErr := fmt.Sscanf(field, "letters[%d].", &i); scanErr == nil && i < len(rowOf) {
		short = field[strings.Index(field, ".")+1:]
		row := rowOf[i]
		err = renameField(err, map[string]string{field: fmt.Sprintf("letters[%d].%s", row, short)})
		if row < len(p.Letters) {
			p.Letters[row].Errors = map[string]string{short: lianluo.ErrorMessage(err)}
		}
	}
	fields := []string{"opened_at", "opened_by", "note", "letters"}
	if short != "" {
		fields = append(fields, lianluo.ErrorField(err))
	}
	if !p.Form.take(err, fields...) {
		return err
	}
	return a.render(w, r, p.Form.status(err), "mailbox_station", p)
}

func (a *app) letterCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := a.svc.Mailbox.LetterToCase(r.Context(), id)
	if err != nil {
		return err
	}
	if c.StationID != nil {
		return redirect(w, r, fmt.Sprintf("/console/stations/%d/mailbox?ok=case", *c.StationID))
	}
	return redirect(w, r, fmt.Sprintf("/console/cases/%d", c.ID))
}

type mailboxSummaryPage struct {
	basePage
	S        *lianluo.MailboxSummary
	Quarter  lianluo.Quarter
	Quarters []option
	Stations []option
	Station  int64
	Region   string
	Letters  []letterView
	Printed  string
}

func (a *app) mailboxSummary(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	q := r.URL.Query()
	region := lianluo.NormalizeRegionCode(q.Get("region"))
	var stationID int64
	// The picker's entries are stations ("12") and, for an NPC office, its
	// whole region ("region-330206").
	if v := q.Get("station_id"); strings.HasPrefix(v, "region-") {
		if region = lianluo.NormalizeRegionCode(strings.TrimPrefix(v, "region-")); region == "" {
			return lianluo.FieldError("station_id", "地区代码格式不正确。")
		}
	} else if v != "" {
		var err error
		if stationID, err = strconv.ParseInt(v, 10, 64); err != nil || stationID <= 0 {
			return lianluo.FieldError("station_id", "请选择联络站。")
		}
	}
	// The quarter holding today (Beijing): letters come in during the
	// quarter and the summary is kept up as they do; earlier quarters are
	// in the picker.
	cur := lianluo.QuarterOf(a.now())
	quarter := cur
	if s := q.Get("quarter"); s != "" {
		var err error
		if quarter, err = lianluo.ParseQuarter("quarter", s); err != nil {
			return err
		}
	}
	p := &mailboxSummaryPage{basePage: basePage{Title: "代表信箱季度汇总", Section: "mailbox"}, Quarter: quarter, Station: stationID,
		Region: region, Printed: a.now().In(lianluo.Beijing).Format("2006年1月2日")}
	for i, x := 0, cur; i < 8; i, x = i+1, x.Prev() {
		p.Quarters = append(p.Quarters, option{Value: x.String(), Label: x.Text(), Selected: x == quarter})
	}
	stations, err := collect(200, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: pg})
	})
	if err != nil {
		return err
	}
	rs := slices.Compact(slices.Clone(ac.Scope.Regions))
	if stationID == 0 && region == "" && len(rs) > 0 {
		region = rs[0] // an NPC office: its whole region
	}
	if region != "" && !slices.Contains(rs, region) {
		rs = append(rs, region) // a part of it, from a link
	}
	p.Region = region
	for _, code := range rs {
		label, err := a.wholeRegionLabel(ctx, code)
		if err != nil {
			return err
		}
		p.Stations = append(p.Stations, option{Value: "region-" + code, Label: label, Selected: stationID == 0 && code == region})
	}
	for _, s := range stations {
		p.Stations = append(p.Stations, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name, Selected: s.ID == stationID})
	}
	if stationID == 0 && region == "" {
		if len(stations) == 0 {
			return lianluo.NotFound("联络站")
		}
		stationID = stations[0].ID
		p.Station = stationID
		p.Stations[0].Selected = true
	}
	s, err := a.svc.Mailbox.MailboxSummary(ctx, stationID, region, quarter)
	if err != nil {
		return err
	}
	p.S = s
	p.Title = s.Scope + quarter.Text() + "代表信箱来信汇总"
	for i, l := range s.Letters {
		p.Letters = append(p.Letters, letterView{Num: i + 1, L: l, CaseStatus: lianluo.StatusNames[l.CaseStatus]})
	}
	return a.render(w, r, http.StatusOK, "mailbox_summary", p)
}

// wholeRegionLabel names the picker's entry for a whole region the way its
// people say it: 全区（北仑区）, 全街道（大碶街道）, 全镇（…镇）.
func (a *app) wholeRegionLabel(ctx context.Context, code string) (string, error) {
	rg, err := a.svc.Regions.FindRegion(ctx, code)
	if err != nil {
		return "", err
	}
	whole := "全部"
	for _, suffix := range []string{"街道", "社区", "区", "县", "市", "镇", "乡", "村"} {
		if strings.HasSuffix(rg.Name, suffix) {
			whole = "全" + suffix
			break
		}
	}
	return whole + "（" + rg.Name + "）", nil
}
