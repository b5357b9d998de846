package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lianluo"
	"lianluo/internal/sheets"
)

// The ledgers (台账, 五簿 — docs/ledgers.md): /console/ledgers is the
// clerk's form (book, scope, year); /console/ledgers/{book} is the book
// printed on A4, a standalone document like the case print forms, and
// /console/ledgers/{book}.xlsx the same book as a workbook. The store
// decides who reads which scope (lianluo.CanReadLedger).

type ledgersPage struct {
	basePage
	Books  []option
	Scopes []optionGroup
	Years  []option
	Error  string
}

type optionGroup struct {
	Label   string
	Options []option
}

// ledgerPrint is a printed book.
type ledgerPrint struct {
	L         *lianluo.Ledger
	Title     string
	Excel     string // the workbook's link
	Back      string // the form, with the book chosen
	Generated string // 2026年12月7日
}

// Cols are the columns' width classes: each column's share of the page in
// whole percent (p1 … p60 in ledgers.css), from its width in characters.
func (p *ledgerPrint) Cols() []string {
	total := 0.0
	for _, c := range p.L.Columns {
		total += c.Width
	}
	out := make([]string, len(p.L.Columns))
	for i, c := range p.L.Columns {
		out[i] = "p" + strconv.Itoa(min(60, max(1, int(c.Width*100/total+0.5))))
	}
	return out
}

// ledgerPrintRow is a row's cells in column order, with its record's link.
type ledgerPrintRow struct {
	Cells []string
	Link  string
}

// Rows are the book's rows in column order, for the template.
func (p *ledgerPrint) Rows() []ledgerPrintRow {
	out := make([]ledgerPrintRow, 0, len(p.L.Rows))
	for _, r := range p.L.Rows {
		row := ledgerPrintRow{Link: r["link"]}
		for _, c := range p.L.Columns {
			row.Cells = append(row.Cells, r[c.Key])
		}
		out = append(out, row)
	}
	return out
}

// ledgerScopeValue is the form's value of a scope: "station:12", "group:3".
func ledgerScopeValue(kind lianluo.LedgerScopeKind, id int64) string {
	return string(kind) + ":" + strconv.FormatInt(id, 10)
}

// ledgers answers GET /console/ledgers: the form, or, once a book, a scope
// and a year are chosen, the way to the printed book.
func (a *app) ledgers(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	ac := lianluo.ActorFromContext(ctx)
	year := a.yearParam(r)
	p := &ledgersPage{basePage: basePage{Title: "台账（五簿）", Section: "ledgers"}, Years: yearOptions(a.thisYear()-4, a.thisYear(), year)}
	book, scope := q.Get("book"), q.Get("scope")
	for _, b := range lianluo.LedgerBooks {
		p.Books = append(p.Books, option{Value: string(b.Book), Label: b.Title, Selected: string(b.Book) == book})
	}
	active := true
	stations, _, err := a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: &active, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	st := optionGroup{Label: "联络站"}
	for _, s := range stations {
		// A deputy sees their stations, but keeps only their group's books.
		sid := s.ID
		if lianluo.CanReadLedger(ac, &lianluo.LedgerScope{Kind: lianluo.LedgerStation, ID: s.ID, RegionCode: s.RegionCode, StationID: &sid}) {
			v := ledgerScopeValue(lianluo.LedgerStation, s.ID)
			st.Options = append(st.Options, option{Value: v, Label: s.Name, Selected: v == scope})
		}
	}
	groups, _, err := a.svc.Groups.FindGroups(ctx, lianluo.GroupFilter{Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	gr := optionGroup{Label: "代表小组"}
	for _, g := range groups {
		v := ledgerScopeValue(lianluo.LedgerGroup, g.ID)
		gr.Options = append(gr.Options, option{Value: v, Label: g.Name, Selected: v == scope})
	}
	// The handbook is a deputy's: the deputies in scope whose handbook the
	// caller reads (a deputy their own).
	deputies, _, err := a.svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Status: lianluo.DeputyInOffice, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	dp := optionGroup{Label: "代表（履职手册）"}
	for _, d := range deputies {
		if lianluo.CanReadLedger(ac, &lianluo.LedgerScope{Kind: lianluo.LedgerDeputy, ID: d.ID, RegionCode: d.RegionCode, Stations: d.StationIDs}) {
			v := ledgerScopeValue(lianluo.LedgerDeputy, d.ID)
			dp.Options = append(dp.Options, option{Value: v, Label: d.Name, Selected: v == scope})
		}
	}
	for _, g := range []optionGroup{st, gr, dp} {
		if len(g.Options) > 0 {
			p.Scopes = append(p.Scopes, g)
		}
	}
	if book == "" && scope == "" {
		return a.render(w, r, http.StatusOK, "ledgers", p)
	}
	kind, id, _ := strings.Cut(scope, ":")
	var stationID, groupID, deputyID string
	switch lianluo.LedgerScopeKind(kind) {
	case lianluo.LedgerStation:
		stationID = id
	case lianluo.LedgerGroup:
		groupID = id
	case lianluo.LedgerDeputy:
		deputyID = id
	}
	lq, err := lianluo.ParseLedgerQuery(book, stationID, groupID, deputyID, q.Get("year"))
	if err != nil {
		if f := lianluo.ErrorField(err); f == "station_id" || f == "group_id" {
			err = lianluo.FieldError("scope", "请选择联络站或代表小组。")
		} else if f == "deputy_id" {
			err = lianluo.FieldError("scope", "%s", lianluo.ErrorMessage(err))
		}
		p.Error = lianluo.ErrorMessage(err)
		return a.render(w, r, http.StatusBadRequest, "ledgers", p)
	}
	http.Redirect(w, r, ledgerURL(lq, ""), http.StatusSeeOther)
	return nil
}

// ledgerURL is the printed book's address (ext ".xlsx" for the workbook).
func ledgerURL(q lianluo.LedgerQuery, ext string) string {
	v := url.Values{"year": {strconv.Itoa(q.Year)}}
	switch {
	case q.StationID != 0:
		v.Set("station_id", strconv.FormatInt(q.StationID, 10))
	case q.DeputyID != 0:
		v.Set("deputy_id", strconv.FormatInt(q.DeputyID, 10))
	default:
		v.Set("group_id", strconv.FormatInt(q.GroupID, 10))
	}
	return "/console/ledgers/" + string(q.Book) + ext + "?" + v.Encode()
}

// ledgerBook answers GET /console/ledgers/{book}: the printed book, or its
// workbook for "{book}.xlsx" (a path wildcard is a whole segment).
func (a *app) ledgerBook(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	book, xlsx := strings.CutSuffix(r.PathValue("book"), ".xlsx")
	lq, err := lianluo.ParseLedgerQuery(book, q.Get("station_id"), q.Get("group_id"), q.Get("deputy_id"), q.Get("year"))
	if err != nil {
		return err
	}
	l, err := a.svc.Ledgers.Ledger(ctx, lq)
	if err != nil {
		return err
	}
	if xlsx {
		var buf bytes.Buffer
		if err := sheets.WriteLedger(&buf, l); err != nil {
			return err
		}
		if err := a.svc.Events.RecordEvent(ctx, lianluo.EntityLedger, l.Scope.ID, lianluo.AuditExport, "导出"+l.FullTitle()+"（Excel）"); err != nil {
			return err
		}
		setXLSXHeaders(w, l.FullTitle()+".xlsx")
		_, err = w.Write(buf.Bytes())
		return err
	}
	back := url.Values{"book": {string(l.Book)}, "scope": {ledgerScopeValue(l.Scope.Kind, l.Scope.ID)}, "year": {strconv.Itoa(l.Year)}}
	p := &ledgerPrint{L: l, Title: l.FullTitle(), Excel: ledgerURL(lq, ".xlsx"), Back: "/console/ledgers?" + back.Encode(),
		Generated: bjDateCN(a.now())}
	return a.renderPrint(w, "ledger_print", p)
}
