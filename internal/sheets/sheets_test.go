package sheets_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lianluo"
	"lianluo/internal/sheets"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func services(db *sqlstore.DB) lianluo.Services {
	return db.Services()
}

// wantHeaders are the template headers, the contract with offices' sheets.
var wantHeaders = map[string][]string{
	"orgs":     {"机构名称*", "类型*", "行政区划代码*", "上级机构", "联系人", "联系电话", "地址"},
	"stations": {"联络站名称*", "类型*", "行政区划代码*", "主管人大机构*", "地址", "开放时间", "联系电话", "站长（代表姓名）", "联络员", "进站代表"},
	"deputies": {"姓名*", "性别*", "手机号", "民族", "政治面貌", "职业", "工作单位及职务", "行政区划代码*", "代表层级*", "届次", "选区", "代表小组", "联络站", "领导干部", "状态"},
	"users":    {"用户名*", "姓名*", "手机号", "初始密码*", "角色*"},
}

// open parses a workbook, failing the test if it is not one.
func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// rows returns the rows of a sheet (the first when sheet is "").
func rows(t *testing.T, b []byte, sheet string) [][]string {
	t.Helper()
	f := open(t, b)
	if sheet == "" {
		sheet = f.GetSheetList()[0]
	}
	rs, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// book builds a one-sheet workbook of string cells.
func book(t testing.TB, rs ...[]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rs {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if v != "" {
				if err := f.SetCellStr("Sheet1", cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type rowErr struct {
	Row   int
	Field string
}

func mustRowErrors(t *testing.T, err error) []rowErr {
	t.Helper()
	var re lianluo.RowErrors
	if !errors.As(err, &re) {
		t.Fatalf("err = %v; want RowErrors", err)
	}
	var out []rowErr
	for _, e := range re {
		if e.Message == "" {
			t.Errorf("row %d %s: empty message", e.Row, e.Field)
		}
		out = append(out, rowErr{e.Row, e.Field})
	}
	return out
}

func importBytes(ctx context.Context, db *sqlstore.DB, kind string, b []byte) (int, error) {
	return sheets.Import(ctx, services(db), kind, bytes.NewReader(b))
}

func mustImport(t *testing.T, db *sqlstore.DB, kind string, b []byte, want int) {
	t.Helper()
	n, err := importBytes(storetest.SystemContext(), db, kind, b)
	if err != nil {
		var re lianluo.RowErrors
		errors.As(err, &re)
		t.Fatalf("Import(%s) = %v %+v", kind, err, re)
	}
	if n != want {
		t.Errorf("Import(%s) = %d; want %d", kind, n, want)
	}
}

func mustExport(t *testing.T, db *sqlstore.DB, kind string) []byte {
	t.Helper()
	b, err := sheets.Export(storetest.SystemContext(), services(db), kind)
	if err != nil {
		t.Fatalf("Export(%s) = %v", kind, err)
	}
	return b
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	for _, kind := range sheets.Kinds {
		t.Run(kind, func(t *testing.T) {
			b, err := sheets.Template(kind)
			if err != nil {
				t.Fatal(err)
			}
			f := open(t, b)
			if got, want := f.GetSheetList(), []string{sheets.KindNames[kind], "填写说明"}; !slices.Equal(got, want) {
				t.Errorf("sheets = %q; want %q", got, want)
			}
			data := rows(t, b, "")
			if len(data) != 1 {
				t.Errorf("data sheet has %d rows; want only the header (the example belongs in 填写说明)", len(data))
			}
			if got := data[0]; !slices.Equal(got, wantHeaders[kind]) {
				t.Errorf("headers = %q; want %q", got, wantHeaders[kind])
			}
			sheet := sheets.KindNames[kind]
			panes, err := f.GetPanes(sheet)
			if err != nil || !panes.Freeze || panes.YSplit != 1 {
				t.Errorf("panes = %+v, %v; want the header row frozen", panes, err)
			}
			// The header is bold and code columns are text.
			hs, _ := f.GetCellStyle(sheet, "A1")
			if st, err := f.GetStyle(hs); err != nil || st.Font == nil || !st.Font.Bold {
				t.Errorf("header style = %+v, %v; want bold", st, err)
			}
			for j, h := range data[0] {
				if !strings.Contains(h, "代码") && !strings.Contains(h, "电话") && !strings.Contains(h, "手机") {
					continue
				}
				col, _ := excelize.ColumnNumberToName(j + 1)
				id, _ := f.GetColStyle(sheet, col)
				if st, err := f.GetStyle(id); err != nil || st.NumFmt != 49 {
					t.Errorf("column %s style = %+v, %v; want text (49)", h, st, err)
				}
			}
			// The instructions list every column and end with an example row under the headers.
			help := rows(t, b, "填写说明")
			text := fmt.Sprint(help)
			for _, h := range wantHeaders[kind] {
				if !strings.Contains(text, h) {
					t.Errorf("填写说明 does not mention %s", h)
				}
			}
			if got := help[len(help)-2]; !slices.Equal(got, wantHeaders[kind]) {
				t.Errorf("example header = %q; want %q", got, wantHeaders[kind])
			}
		})
	}
	if _, err := sheets.Template("cases"); lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "file" {
		t.Errorf("Template(cases) = %v; want invalid file", err)
	}
}

// exampleSheet copies the example row of a template's instructions into the
// data sheet, as a user would.
func exampleSheet(t *testing.T, kind string) []byte {
	t.Helper()
	b, err := sheets.Template(kind)
	if err != nil {
		t.Fatal(err)
	}
	help := rows(t, b, "填写说明")
	return book(t, help[len(help)-2], help[len(help)-1])
}

// The example row of every template imports: the template's headers are
// the ones Import reads, and the examples are valid values.
func TestTemplateExamplesImport(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		if err := db.CreateOrg(ctx, &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}); err != nil {
			t.Fatal(err)
		}
		mustImport(t, db, "orgs", exampleSheet(t, "orgs"), 1)
		orgs, _, _ := db.FindOrgs(ctx, lianluo.OrgFilter{Q: "大碶"})
		if len(orgs) != 1 || orgs[0].ParentName != "北仑区人大常委会" || orgs[0].Kind != "npc" {
			t.Fatalf("imported example org = %+v", orgs)
		}
		for _, name := range []string{"张三", "赵六"} {
			d := &lianluo.Deputy{Name: name, Gender: "male", RegionCode: "330206004", Seats: []lianluo.Seat{{Level: "county"}}}
			if err := db.CreateDeputy(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		mustImport(t, db, "stations", exampleSheet(t, "stations"), 1)
		if err := db.CreateGroup(ctx, &lianluo.DeputyGroup{Name: "大碶代表小组", OrgID: orgs[0].ID, RegionCode: "330206004"}); err != nil {
			t.Fatal(err)
		}
		mustImport(t, db, "deputies", exampleSheet(t, "deputies"), 1)
		mustImport(t, db, "users", exampleSheet(t, "users"), 1)

		ss, _, _ := db.FindStations(ctx, lianluo.StationFilter{})
		if len(ss) != 1 || len(ss[0].Deputies) != 3 || ss[0].HeadName != "张三" || len(ss[0].Liaisons) != 2 {
			// Two deputies named in the sheet, and the imported example deputy joined the station.
			t.Errorf("example station = %+v", ss)
		}
		ds, _, _ := db.FindDeputies(ctx, lianluo.DeputyFilter{GroupID: 0, Level: "city"})
		if len(ds) != 1 {
			t.Fatalf("example deputy = %+v", ds)
		}
		want := []lianluo.Seat{{Level: "city", Term: 16}, {Level: "county", Term: 18, Constituency: "第3选区"}}
		if !reflect.DeepEqual(ds[0].Seats, want) || ds[0].GroupName != "大碶代表小组" || ds[0].Status != "in_office" {
			t.Errorf("example deputy = %+v; want seats %+v", ds[0], want)
		}
		us, _, _ := db.FindUsers(ctx, lianluo.UserFilter{})
		if len(us) != 1 || len(us[0].Roles) != 2 || us[0].Roles[0].Role != "npc_office" || us[0].Roles[1].Role != "liaison" {
			t.Errorf("example user = %+v", us)
		}
	})
}

// seed fills a database through the store: a district and a town body, a
// unit, a group, three deputies, two stations and two users.
func seed(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := storetest.SystemContext()
	district := &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206", Phone: "0574-86781234"}
	must(t, db.CreateOrg(ctx, district))
	town := &lianluo.Org{Kind: "npc", Name: "大碶街道人大工委", RegionCode: "330206004", ParentID: &district.ID, Contact: "王芳", Address: "大碶街道"}
	must(t, db.CreateOrg(ctx, town))
	unit := &lianluo.Org{Kind: "unit", Name: "大碶街道城管中队", RegionCode: "330206004", Phone: "13800001111"}
	must(t, db.CreateOrg(ctx, unit))
	g := &lianluo.DeputyGroup{Name: "大碶代表小组", OrgID: town.ID, RegionCode: "330206004"}
	must(t, db.CreateGroup(ctx, g))
	var deps []*lianluo.Deputy
	for i, d := range []lianluo.Deputy{
		{Name: "张三", Gender: "male", Phone: "13900001111", Ethnicity: "汉族", Party: "中共党员", Occupation: "企业管理", WorkUnit: "某公司总经理",
			Seats: []lianluo.Seat{{Level: "city", Term: 16}, {Level: "county", Term: 18, Constituency: "第3选区"}}, Leader: true},
		{Name: "李四", Gender: "female", Seats: []lianluo.Seat{{Level: "township", Term: 19}}, Status: "transferred"},
		{Name: "王五", Gender: "male", Seats: []lianluo.Seat{{Level: "county", Constituency: "第5选区"}}},
	} {
		d.RegionCode = "330206004"
		if i == 0 {
			d.GroupID = &g.ID
		}
		deps = append(deps, &d)
		must(t, db.CreateDeputy(ctx, &d))
	}
	center := &lianluo.Station{Kind: "center", Name: "大碶街道中心联络站", RegionCode: "330206004", OrgID: town.ID,
		Address: "大碶街道××路1号", OpeningHours: "每周三 9:00-11:30", Phone: "0574-86885678", HeadDeputyID: &deps[0].ID,
		Liaisons:  []lianluo.Liaison{{Name: "赵六", Phone: "13700001111"}, {Name: "钱七"}},
		DeputyIDs: []int64{deps[0].ID, deps[1].ID}}
	must(t, db.CreateStation(ctx, center))
	village := &lianluo.Station{Kind: "village", Name: "坝头社区联络站", RegionCode: "330206004002", OrgID: town.ID, DeputyIDs: []int64{deps[2].ID}}
	must(t, db.CreateStation(ctx, village))
	must(t, db.CreateUser(ctx, &lianluo.User{Username: "wangfang", DisplayName: "王芳", Phone: "13600001111", Password: "Daqi#2026wf",
		Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &town.ID}, {Role: "liaison", StationID: &center.ID}}}))
	must(t, db.CreateUser(ctx, &lianluo.User{Username: "zhangsan", DisplayName: "张三", Password: "Daqi#2026zs",
		Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &deps[0].ID}, {Role: "unit_handler", OrgID: &unit.ID}}}))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// setColumn sets every data cell of the column titled title (header match
// with or without "*").
func setColumn(t *testing.T, b []byte, title string, value func(row int) string) []byte {
	t.Helper()
	f := open(t, b)
	sheet := f.GetSheetList()[0]
	rs, _ := f.GetRows(sheet)
	j := slices.IndexFunc(rs[0], func(h string) bool { return strings.TrimSuffix(h, "*") == title })
	if j < 0 {
		t.Fatalf("no column %s in %q", title, rs[0])
	}
	for i := 1; i < len(rs); i++ {
		cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
		if err := f.SetCellStr(sheet, cell, value(i+1)); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withoutIDs drops the 编号 column, which differs between databases.
func withoutIDs(t *testing.T, rs [][]string) [][]string {
	t.Helper()
	if len(rs) == 0 || rs[0][0] != "编号" {
		t.Fatalf("export header = %q; want 编号 first", rs)
	}
	var out [][]string
	for _, r := range rs {
		out = append(out, r[1:])
	}
	return out
}

// Exports of one database, imported into a fresh one, export the same.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		seed(t, db)
		exports := map[string][]byte{}
		for _, kind := range sheets.Kinds {
			exports[kind] = mustExport(t, db, kind)
		}

		// The export has the template's columns between 编号 and 状态,
		// codes and phones as text, and never a password.
		orgs := rows(t, exports["orgs"], "")
		if got, want := orgs[0], append(append([]string{"编号"}, wantHeaders["orgs"]...), "状态"); !slices.Equal(got, want) {
			t.Errorf("orgs export header = %q; want %q", got, want)
		}
		if got, want := orgs[2][1:], []string{"大碶街道人大工委", "人大机构", "330206004", "北仑区人大常委会", "王芳", "", "大碶街道", "启用"}; !slices.Equal(got, want) {
			t.Errorf("orgs export row = %q; want %q", got, want)
		}
		f := open(t, exports["orgs"])
		if typ, _ := f.GetCellType("机构", "D3"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("region code cell type = %v; want a string", typ)
		}
		for _, r := range rows(t, exports["users"], "")[1:] {
			if r[4] != "" {
				t.Errorf("users export has a password: %q", r)
			}
		}
		deputies := rows(t, exports["deputies"], "")
		if got, want := deputies[1][1:], []string{"张三", "男", "13900001111", "汉族", "中共党员", "企业管理", "某公司总经理", "330206004",
			"市人大代表、区县人大代表", "16、18", "、第3选区", "大碶代表小组", "大碶街道中心联络站", "是", "在任"}; !slices.Equal(got, want) {
			t.Errorf("deputies export row = %q; want %q", got, want)
		}
		stations := rows(t, exports["stations"], "")
		if got, want := stations[1][8:11], []string{"张三", "赵六 13700001111；钱七", "张三、李四"}; !slices.Equal(got, want) {
			t.Errorf("stations export = %q; want %q", got, want)
		}

		// Into a fresh database: orgs, the group (no sheet for groups),
		// deputies without their stations (not there yet), stations (which
		// link the deputies again), users with new passwords.
		db2 := storetest.MustOpen(t, db.Dialect)
		storetest.MustLoadRegions(t, db2, "330206")
		ctx := storetest.SystemContext()
		mustImport(t, db2, "orgs", exports["orgs"], 3)
		town, _, _ := db2.FindOrgs(ctx, lianluo.OrgFilter{Q: "大碶街道人大工委"})
		must(t, db2.CreateGroup(ctx, &lianluo.DeputyGroup{Name: "大碶代表小组", OrgID: town[0].ID, RegionCode: "330206004"}))
		mustImport(t, db2, "deputies", setColumn(t, exports["deputies"], "联络站", func(int) string { return "" }), 3)
		mustImport(t, db2, "stations", exports["stations"], 2)
		mustImport(t, db2, "users", setColumn(t, exports["users"], "初始密码", func(row int) string { return fmt.Sprintf("Round#trip%d", row) }), 2)
		for _, kind := range sheets.Kinds {
			got, want := withoutIDs(t, rows(t, mustExport(t, db2, kind), "")), withoutIDs(t, rows(t, exports[kind], ""))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s after a round trip:\n got %q\nwant %q", kind, got, want)
			}
		}
		if _, err := db2.Login(context.Background(), "zhangsan", "Round#trip3", ""); err != nil {
			t.Errorf("Login(imported user) = %v", err)
		}
	})
}

// An export shows only what the caller can see.
func TestExportScope(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	storetest.MustLoadRegions(t, db, "330206")
	seed(t, db)
	ctx := storetest.SystemContext()
	other := &lianluo.Org{Kind: "npc", Name: "新碶街道人大工委", RegionCode: "330206002"}
	must(t, db.CreateOrg(ctx, other))
	must(t, db.CreateUser(ctx, &lianluo.User{Username: "xinqi", DisplayName: "新碶", Password: "Harbour#2026",
		Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &other.ID}}}))
	s, err := db.Login(context.Background(), "xinqi", "Harbour#2026", "")
	must(t, err)
	a, err := db.Authenticate(context.Background(), s.Token, "")
	must(t, err)
	b, err := sheets.Export(lianluo.NewContextWithActor(context.Background(), a), services(db), "orgs")
	must(t, err)
	rs := rows(t, b, "")
	if len(rs) != 2 || rs[1][1] != "新碶街道人大工委" {
		t.Errorf("scoped export = %q; want only 新碶街道人大工委", rs)
	}
}

func TestImportBadRows(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()

		// Problems found while reading the sheet, with Excel row numbers
		// (row 4 is blank and skipped) and column titles.
		deputies := book(t,
			[]string{"姓名*", "性别*", "行政区划代码*", "代表层级*", "届次", "选区", "领导干部", "状态"},
			[]string{"张三", "男", "330206004", "市", "16"},
			[]string{"李四", "未知", "330206004", "区县"},
			nil,
			[]string{"王五", "女", "330206004", "市、区", "16、第十八届x"},
			[]string{"赵六", "女", "330206004", "村人大代表"},
			[]string{"钱七", "女", "330206004", "乡镇", "", "", "也许", "退休"},
			[]string{"孙八", "女", "330206004", "市、区", "16"},
		)
		_, err := importBytes(ctx, db, "deputies", deputies)
		want := []rowErr{{3, "性别"}, {5, "届次"}, {6, "代表层级"}, {7, "领导干部"}, {7, "状态"}, {8, "届次"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("deputies errors = %v; want %v", got, want)
		}
		if _, n, _ := db.FindDeputies(ctx, lianluo.DeputyFilter{}); n != 0 {
			t.Errorf("deputies after a failed import = %d; want 0", n)
		}

		// Problems the store finds, mapped to rows and columns.
		orgs := book(t,
			[]string{"机构名称*", "类型*", "行政区划代码*", "上级机构", "联系电话"},
			[]string{"北仑区人大常委会", "人大机构", "330206"},
			[]string{"", "人大机构", "330206004", "北仑区人大常委会"},
			nil,
			[]string{"甲单位", "承办单位", "330299"},
			[]string{"乙单位", "承办单位", "330206", "不存在的机构"},
			[]string{"北仑区人大常委会", "人大机构", "330206"},
			[]string{"丙单位", "承办单位", "330206", "", "12345"},
		)
		_, err = importBytes(ctx, db, "orgs", orgs)
		want = []rowErr{{3, "机构名称"}, {5, "行政区划代码"}, {6, "上级机构"}, {7, "机构名称"}, {8, "联系电话"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("orgs errors = %v; want %v", got, want)
		}
		if _, n, _ := db.FindOrgs(ctx, lianluo.OrgFilter{}); n != 0 {
			t.Errorf("orgs after a failed import = %d; want 0", n)
		}

		// Users: an unknown role name is a parse problem; a missing record a store one.
		users := book(t,
			[]string{"用户名*", "姓名*", "初始密码*", "角色*"},
			[]string{"a1", "甲", "Daqi#2026a", "系统管理员"},
			[]string{"abc", "乙", "Daqi#2026b", "村长:某村"},
		)
		_, err = importBytes(ctx, db, "users", users)
		if got, want := mustRowErrors(t, err), []rowErr{{3, "角色"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("users parse errors = %v; want %v", got, want)
		}
		users = book(t,
			[]string{"用户名*", "姓名*", "初始密码*", "角色*"},
			[]string{"a1", "甲", "Daqi#2026a", "系统管理员"},
			[]string{"abc", "乙", "weak", "联络员：不存在的站"},
		)
		_, err = importBytes(ctx, db, "users", users)
		if got, want := mustRowErrors(t, err), []rowErr{{2, "用户名"}, {3, "初始密码"}}; !reflect.DeepEqual(got, want) {
			t.Errorf("users store errors = %v; want %v", got, want)
		}
	})
}

func TestImportFileErrors(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	ctx := storetest.SystemContext()
	header := []string{"机构名称*", "类型*", "行政区划代码*"}
	many := [][]string{header}
	for i := range sheets.MaxRows + 1 {
		many = append(many, []string{fmt.Sprintf("单位%d", i), "承办单位", "330206"})
	}
	for _, tc := range []struct {
		name string
		kind string
		file []byte
		msg  string // part of the message
	}{
		{"not a workbook", "orgs", []byte("姓名,性别\n张三,男\n"), "xlsx"},
		{"empty file", "orgs", nil, "xlsx"},
		{"unknown kind", "cases", book(t, header), "cases"},
		{"missing columns", "orgs", book(t, []string{"机构名称", "地址"}, []string{"甲", "乙"}), "类型、行政区划代码"},
		{"no header", "orgs", book(t, []string{"甲", "乙"}), "表头"},
		{"a deputies sheet as orgs", "orgs", book(t, wantHeaders["deputies"], []string{"张三"}), "机构名称"},
		{"no data", "orgs", book(t, header, nil, []string{" ", ""}), "没有要导入的数据"},
		{"too many rows", "orgs", book(t, many...), "5000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importBytes(ctx, db, tc.kind, tc.file)
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "file" || !strings.Contains(lianluo.ErrorMessage(err), tc.msg) {
				t.Errorf("Import = %v; want invalid file mentioning %q", err, tc.msg)
			}
		})
	}
	if _, n, _ := db.FindOrgs(ctx, lianluo.OrgFilter{}); n != 0 {
		t.Errorf("orgs after refused files = %d; want 0", n)
	}
}

// Codes and phone numbers typed as numbers, in any number format, import
// with their digits; a title row above the header and reordered columns are
// fine.
func TestImportNumericCells(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		f := excelize.NewFile()
		defer f.Close()
		sci, _ := f.NewStyle(&excelize.Style{NumFmt: 11})  // 0.00E+00
		fixed, _ := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
		for cell, v := range map[string]any{
			"A1": "北仑区机构名册",
			"A2": "类型", "B2": "行政区划代码", "C2": "名称", "D2": "联系电话", "E2": "备注",
			"A3": "承办单位", "B3": 330206004, "C3": "甲单位", "D3": 13800001111, "E3": "x",
			"A4": "承办单位", "B4": 330206004002, "C4": "乙单位", "D4": 13900001111,
			"A5": "人大机构", "B5": 330206000000, "C5": "北仑区人大常委会",
		} {
			must(t, f.SetCellValue("Sheet1", cell, v))
		}
		must(t, f.SetCellStyle("Sheet1", "B4", "B4", sci))
		must(t, f.SetCellStyle("Sheet1", "D4", "D4", fixed))
		buf, err := f.WriteToBuffer()
		must(t, err)
		mustImport(t, db, "orgs", buf.Bytes(), 3)
		orgs, _, err := db.FindOrgs(storetest.SystemContext(), lianluo.OrgFilter{})
		must(t, err)
		got := map[string]string{}
		for _, o := range orgs {
			got[o.Name] = o.RegionCode + " " + o.Phone
		}
		want := map[string]string{"甲单位": "330206004 13800001111", "乙单位": "330206004002 13900001111", "北仑区人大常委会": "330206 "}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("imported orgs = %q; want %q", got, want)
		}
	})
}

// The ways offices write lists: liaisons with phones, short level names,
// Chinese term numbers, several records for one role.
func TestImportLists(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		town := &lianluo.Org{Kind: "npc", Name: "大碶街道人大工委", RegionCode: "330206004"}
		must(t, db.CreateOrg(ctx, town))
		mustImport(t, db, "deputies", book(t,
			[]string{"姓名", "性别", "行政区划代码", "代表层级", "届次", "选区", "领导干部", "状态"},
			[]string{"张三", "男性", "330206004", "市人大代表，区", "第十六届；18", "；第3选区", "是", "资格终止"},
			[]string{"李四", "女", "330206004", "乡镇", "", "", "否"},
		), 2)
		mustImport(t, db, "stations", book(t,
			[]string{"联络站名称", "类型", "行政区划代码", "主管人大机构", "站长", "联络员", "进站代表"},
			[]string{"甲站", "村（社区）联络站", "330206004002", "大碶街道人大工委", "张三",
				"赵六 13700001111；钱七,13600001111\n孙八（0574-86881234）、周九", "张三，李四"},
			[]string{"乙站", "接待室", "330206004", "大碶街道人大工委"},
		), 2)
		mustImport(t, db, "users", book(t,
			[]string{"用户名", "姓名", "初始密码", "角色"},
			[]string{"Liaison1", "吴十", "Daqi#2026x", "联络员：甲站、乙站\n人大代表:张三"},
		), 1)

		ds, _, err := db.FindDeputies(ctx, lianluo.DeputyFilter{Q: "张三"})
		must(t, err)
		wantSeats := []lianluo.Seat{{Level: "city", Term: 16}, {Level: "county", Term: 18, Constituency: "第3选区"}}
		if len(ds) != 1 || !reflect.DeepEqual(ds[0].Seats, wantSeats) || !ds[0].Leader || ds[0].Status != "terminated" || ds[0].Gender != "male" {
			t.Errorf("deputy = %+v; want seats %+v, leader, terminated", ds, wantSeats)
		}
		ss, _, err := db.FindStations(ctx, lianluo.StationFilter{Q: "甲站"})
		must(t, err)
		wantLiaisons := []lianluo.Liaison{{Name: "赵六", Phone: "13700001111"}, {Name: "钱七", Phone: "13600001111"},
			{Name: "孙八", Phone: "0574-86881234"}, {Name: "周九"}}
		if len(ss) != 1 || !reflect.DeepEqual(ss[0].Liaisons, wantLiaisons) || len(ss[0].DeputyIDs) != 2 || ss[0].Kind != "village" {
			t.Errorf("station = %+v; want liaisons %+v and two deputies", ss, wantLiaisons)
		}
		us, _, err := db.FindUsers(ctx, lianluo.UserFilter{Q: "liaison1"})
		must(t, err)
		var roles []string
		for _, u := range us {
			for _, g := range u.Roles {
				roles = append(roles, g.Role+":"+g.Label)
			}
		}
		if want := []string{"liaison:甲站", "liaison:乙站", "deputy:张三"}; !slices.Equal(roles, want) {
			t.Errorf("user roles = %q; want %q", roles, want)
		}
	})
}

// A cell with a NUL (Excel writes it _x0000_) is a row error naming the
// sheet, the row and the column: PostgreSQL could not store it, and SQLite
// must not either. Bytes that are not UTF-8 do not get that far: the
// workbook's XML does not parse.
func TestImportBadText(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		orgs := book(t,
			[]string{"机构名称*", "类型*", "行政区划代码*", "联系人", "地址"},
			[]string{"北仑区人大常委会", "人大机构", "330206"},
			[]string{"甲单位", "承办单位", "330206", "张_x0000_三"},
			[]string{"乙单位", "承办单位", "330206", "", "庐山西路_x0000_号"},
		)
		_, err := importBytes(ctx, db, "orgs", orgs)
		want := []rowErr{{3, "联系人"}, {4, "地址"}}
		if got := mustRowErrors(t, err); !reflect.DeepEqual(got, want) {
			t.Errorf("errors = %v; want %v", got, want)
		}
		var re lianluo.RowErrors
		errors.As(err, &re)
		for _, e := range re {
			if w := fmt.Sprintf("工作表“Sheet1”第%d行", e.Row); !strings.Contains(e.Message, w) || !strings.Contains(e.Message, "“"+e.Field+"”") {
				t.Errorf("message %q; want it to name %s and column %s", e.Message, w, e.Field)
			}
		}

		invalid := replaceInBook(t, book(t,
			[]string{"机构名称*", "类型*", "行政区划代码*", "地址"},
			[]string{"北仑区人大常委会", "人大机构", "330206", "庐山西路BADBYTES号"},
		), "BADBYTES", "\xff\xfe")
		if _, err := importBytes(ctx, db, "orgs", invalid); lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != "file" {
			t.Errorf("Import(invalid UTF-8) = %v; want an invalid file", err)
		}
		if _, n, _ := db.FindOrgs(ctx, lianluo.OrgFilter{}); n != 0 {
			t.Errorf("orgs after refused imports = %d; want 0", n)
		}
	})
}

// replaceInBook replaces old by new in every part of a workbook (a zip of
// XML files), to write bytes no spreadsheet program would.
func replaceInBook(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bytes.ReplaceAll(data, []byte(old), []byte(new)))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
