package api

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"lianluo"
	"lianluo/internal/sheets"
)

// maxUpload bounds an uploaded sheet; 5,000 rows of any kind fit easily.
const maxUpload = 10 << 20

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func sheetKind(r *http.Request) (string, error) {
	k := r.PathValue("kind")
	if !slices.Contains(sheets.Kinds, k) {
		return "", lianluo.Errorf(lianluo.ENOTFOUND, "没有“%s”这种表格，可用：%s。", lianluo.Truncate(k, 20), strings.Join(sheets.Kinds, "、"))
	}
	return k, nil
}

func writeXLSX(w http.ResponseWriter, name string, b []byte) error {
	setXLSXHeaders(w, name)
	_, err := w.Write(b)
	return err
}

func (h *Handler) exportSheet(w http.ResponseWriter, r *http.Request) error {
	kind, err := sheetKind(r)
	if err != nil {
		return err
	}
	b, err := sheets.Export(r.Context(), h.svc, kind)
	if err != nil {
		return err
	}
	return writeXLSX(w, fmt.Sprintf("%s-%s.xlsx", sheets.KindNames[kind], h.now().In(lianluo.Beijing).Format("20060102")), b)
}

func (h *Handler) templateSheet(w http.ResponseWriter, r *http.Request) error {
	kind, err := sheetKind(r)
	if err != nil {
		return err
	}
	b, err := sheets.Template(kind)
	if err != nil {
		return err
	}
	return writeXLSX(w, sheets.KindNames[kind]+"导入模板.xlsx", b)
}

type importResult struct {
	Created int `json:"created"`
}

// importSheet takes the .xlsx as a multipart field "file" or as the raw body.
func (h *Handler) importSheet(w http.ResponseWriter, r *http.Request) error {
	kind, err := sheetKind(r)
	if err != nil {
		return err
	}
	a := lianluo.ActorFromContext(r.Context())
	if !a.CanManageRegistry() {
		return lianluo.Forbidden()
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	var src io.Reader = r.Body
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, _, err := r.FormFile("file")
		if err != nil {
			if strings.Contains(err.Error(), "too large") {
				return lianluo.Errorf(lianluo.ETOOLARGE, "文件不能超过10MB。")
			}
			return lianluo.FieldError("file", "请选择要导入的 Excel 文件（.xlsx）。")
		}
		defer f.Close()
		src = f
	}
	b, err := io.ReadAll(src)
	if err != nil {
		return lianluo.Errorf(lianluo.ETOOLARGE, "文件不能超过10MB。")
	}
	n, err := sheets.Import(r.Context(), h.svc, kind, bytes.NewReader(b))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, importResult{Created: n})
}
