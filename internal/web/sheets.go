package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"lianluo"
	"lianluo/internal/sheets"
)

// Excel import and export of the registry (机构, 联络站, 代表, 用户).

// maxUploadBytes bounds an uploaded sheet: 5,000 rows fit in well under 10 MB.
const maxUploadBytes = 10 << 20

type sheetKindView struct {
	Kind, Name string
}

type sheetsPage struct {
	basePage
	Kinds   []sheetKindView
	Kind    string // the kind just imported
	Created int
	Message string // a whole-file problem
	Rows    []lianluo.RowError
}

func (a *app) newSheetsPage() *sheetsPage {
	p := &sheetsPage{basePage: basePage{Title: "Excel导入导出", Section: "sheets"}}
	for _, k := range sheets.Kinds {
		p.Kinds = append(p.Kinds, sheetKindView{Kind: k, Name: sheets.KindNames[k]})
	}
	return p
}

func requireSheetKind(r *http.Request) (string, error) {
	k := r.PathValue("kind")
	if !slices.Contains(sheets.Kinds, k) {
		return "", lianluo.Errorf(lianluo.ENOTFOUND, "没有这种表格。")
	}
	if !actor(r).CanManageRegistry() {
		return "", lianluo.Forbidden()
	}
	return k, nil
}

func (a *app) sheetsPage(w http.ResponseWriter, r *http.Request) error {
	if !actor(r).CanManageRegistry() {
		return lianluo.Forbidden()
	}
	p := a.newSheetsPage()
	if k := r.URL.Query().Get("imported"); slices.Contains(sheets.Kinds, k) {
		p.Kind = k
		fmt.Sscan(r.URL.Query().Get("n"), &p.Created)
		p.Flash = fmt.Sprintf("已导入%s %d 条。", sheets.KindNames[k], p.Created)
	}
	return a.render(w, r, http.StatusOK, "sheets", p)
}

func (a *app) sheetImport(w http.ResponseWriter, r *http.Request) error {
	kind, err := requireSheetKind(r)
	if err != nil {
		return err
	}
	p := a.newSheetsPage()
	p.Kind = kind
	f, _, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return lianluo.Errorf(lianluo.ETOOLARGE, "文件不能超过10MB，请分批导入。")
		}
		p.Message = "请选择要导入的 Excel 文件（.xlsx）。"
		return a.render(w, r, http.StatusBadRequest, "sheets", p)
	}
	defer f.Close()
	n, err := sheets.Import(r.Context(), a.svc, kind, io.Reader(f))
	if err != nil {
		code := lianluo.ErrorCode(err)
		if code == lianluo.EINTERNAL || code == lianluo.EFORBIDDEN {
			return err
		}
		p.Message = lianluo.ErrorMessage(err)
		var rows lianluo.RowErrors
		if errors.As(err, &rows) {
			p.Rows = rows
		}
		return a.render(w, r, errorStatus(code), "sheets", p)
	}
	return redirect(w, r, fmt.Sprintf("/console/sheets?imported=%s&n=%d", kind, n))
}

func (a *app) sheetExport(w http.ResponseWriter, r *http.Request) error {
	kind, err := requireSheetKind(r)
	if err != nil {
		return err
	}
	b, err := sheets.Export(r.Context(), a.svc, kind)
	if err != nil {
		return err
	}
	return sendXLSX(w, fmt.Sprintf("%s-%s.xlsx", sheets.KindNames[kind], a.now().In(lianluo.Beijing).Format("20060102")), b)
}

func (a *app) sheetTemplate(w http.ResponseWriter, r *http.Request) error {
	kind, err := requireSheetKind(r)
	if err != nil {
		return err
	}
	b, err := sheets.Template(kind)
	if err != nil {
		return err
	}
	return sendXLSX(w, sheets.KindNames[kind]+"导入模板.xlsx", b)
}

func sendXLSX(w http.ResponseWriter, name string, b []byte) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(b)
	return err
}
