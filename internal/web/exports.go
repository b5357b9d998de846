package web

import (
	"bytes"
	"net/http"
	"net/url"

	"lianluo"
	"lianluo/internal/sheets"
)

// The Excel downloads of the statistics and of the case list
// (docs/statistics.md, "Exports"): the same writers as the API's.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func setXLSXHeaders(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
}

// statsExcel answers GET /console/stats.xlsx: the statistics of the query
// (region, station_id, category, unit_id, group_by and the period) as a
// workbook. The service checks who may see them.
func (a *app) statsExcel(w http.ResponseWriter, r *http.Request) error {
	ctx, q := r.Context(), r.URL.Query()
	f := lianluo.StatsFilter{Region: q.Get("region"), GroupBy: q.Get("group_by"), Category: q.Get("category")}
	for _, x := range []struct {
		name, label string
		to          *int64
	}{{"station_id", "联络站", &f.StationID}, {"unit_id", "承办单位", &f.UnitID}} {
		id, err := parseID(q.Get(x.name), x.name, x.label)
		if err != nil {
			return err
		}
		if id != nil {
			*x.to = *id
		}
	}
	var err error
	if f.Period, _, err = a.statsPeriod(q, lianluo.PresetYear); err != nil {
		return err
	}
	res, err := a.svc.Stats.CaseStats(ctx, f)
	if err != nil {
		return err
	}
	title, err := sheets.CaseStatsTitle(ctx, a.svc, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheets.WriteCaseStats(&buf, title, f.GroupBy, res); err != nil {
		return err
	}
	if err := a.svc.Events.RecordEvent(ctx, lianluo.EntityStats, 0, lianluo.AuditExport, "导出"+title+"（Excel）"); err != nil {
		return err
	}
	setXLSXHeaders(w, sheets.CaseStatsFilename(f.Period))
	_, err = w.Write(buf.Bytes())
	return err
}

// casesExcel answers GET /console/cases.xlsx: every case of the case list's
// query (all pages) as a workbook streamed from the store; the list's 导出
// Excel button links here with its filters.
func (a *app) casesExcel(w http.ResponseWriter, r *http.Request) error {
	_, f, err := caseListQuery(r)
	if err != nil {
		return err
	}
	now := a.now().In(lianluo.Beijing)
	book, err := sheets.NewCaseBook("群众意见导出（" + f.Text() + "，" + now.Format("2006-01-02 15:04") + "导出）")
	if err != nil {
		return err
	}
	defer book.Close()
	if _, err := a.svc.Cases.EachCaseForExport(r.Context(), f, book.Add); err != nil {
		return err
	}
	setXLSXHeaders(w, "群众意见_"+now.Format("20060102")+".xlsx")
	_, err = book.WriteTo(w)
	return err
}
