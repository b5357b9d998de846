package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo"
)

// upload posts a file to an import form as a browser would.
func (c *client) upload(path string, file []byte) response {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "表格.xlsx")
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestSheetsPage(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		clerk := f.loggedIn(t, f.clerk.Username)
		res := clerk.get("/console/sheets")
		wantStatus(t, "sheets page", res, 200)
		wantBody(t, "sheets page", res, "下载机构导入模板", "导出代表", "导入用户")

		res = clerk.get("/console/sheets/deputies/export")
		wantStatus(t, "export", res, 200)
		if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("export content type %q", ct)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatalf("export is not a workbook: %v", err)
		}
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 3 { // header and the two 大碶 deputies, not 小港's
			t.Errorf("exported deputy rows = %d; want 3 (header + 2 in scope)", len(rows))
		}
		wantStatus(t, "template", clerk.get("/console/sheets/orgs/template"), 200)
		wantStatus(t, "unknown kind", clerk.get("/console/sheets/planets/template"), 404)

		// No file, a junk file, and a sheet with bad rows: messages, nothing written.
		_, before, _ := f.db.FindOrgs(lianluo.NewContextWithActor(t.Context(), lianluo.SystemActor()), lianluo.OrgFilter{})
		res = clerk.upload("/console/sheets/orgs/import", nil)
		wantStatus(t, "no file", res, 400)
		wantBody(t, "no file", res, "请选择要导入的 Excel 文件")
		res = clerk.upload("/console/sheets/orgs/import", []byte("not a workbook"))
		wantStatus(t, "junk", res, 400)
		bad := excelize.NewFile()
		bad.SetSheetRow("Sheet1", "A1", &[]string{"机构名称", "类型", "行政区划代码", "上级机构"})
		bad.SetSheetRow("Sheet1", "A2", &[]string{"大碶街道社区服务中心", "承办单位", "330206004", ""})
		bad.SetSheetRow("Sheet1", "A3", &[]string{"", "承办单位", "330206004", ""})
		var buf bytes.Buffer
		bad.Write(&buf)
		res = clerk.upload("/console/sheets/orgs/import", buf.Bytes())
		wantStatus(t, "bad rows", res, 400)
		wantBody(t, "bad rows", res, "错误清单", "第 3 行", "机构名称")
		_, after, _ := f.db.FindOrgs(lianluo.NewContextWithActor(t.Context(), lianluo.SystemActor()), lianluo.OrgFilter{})
		if after != before {
			t.Errorf("orgs after failed imports = %d; want %d", after, before)
		}

		// A good sheet imports and says how many.
		good := excelize.NewFile()
		good.SetSheetRow("Sheet1", "A1", &[]string{"机构名称", "类型", "行政区划代码", "上级机构"})
		good.SetSheetRow("Sheet1", "A2", &[]string{"大碶街道社区服务中心", "承办单位", "330206004", ""})
		buf.Reset()
		good.Write(&buf)
		res = clerk.upload("/console/sheets/orgs/import", buf.Bytes())
		wantStatus(t, "good import", res, http.StatusSeeOther)
		res = clerk.get(res.Header.Get("Location"))
		wantBody(t, "after import", res, "已导入机构 1 条")

		// Unit handlers have no import or export.
		h := f.loggedIn(t, f.handler.Username)
		wantStatus(t, "handler sheets page", h.get("/console/sheets"), 403)
		wantStatus(t, "handler export", h.get("/console/sheets/users/export"), 403)
		wantStatus(t, "handler import", h.upload("/console/sheets/orgs/import", buf.Bytes()), 403)
	})
}
