package sheets_test

import (
	"bytes"
	"testing"

	"lianluo"
	"lianluo/internal/sheets"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// FuzzImport: any upload, imported as any kind, either creates its rows or
// is refused as the user's mistake (a file error or row errors) — never an
// internal error, which a database refusing the data (a NUL on
// PostgreSQL) would be. On PostgreSQL when LIANLUO_TEST_POSTGRES_URL is set.
func FuzzImport(f *testing.F) {
	kinds := []string{"orgs", "stations", "deputies", "users"}
	for kind, rows := range map[string][][]string{
		"orgs": {{"机构名称*", "类型*", "行政区划代码*", "联系人", "联系电话"},
			{"北仑区人大常委会", "人大机构", "330206", "张_x0000_三", "0574-86881234"}, {"甲单位", "承办单位", "3.30206E5"}},
		"deputies": {{"姓名*", "性别*", "行政区划代码*", "代表层级*", "届次"}, {"王五", "女", "330206004", "市、区", "16"}},
		"users":    {{"用户名*", "姓名*", "初始密码*", "角色*"}, {"a1", "甲", "Daqi#2026a", "系统管理员"}},
		"stations": {{"联络站名称*", "类型*", "行政区划代码*", "主管人大机构*"}, {"大碶站", "中心站", "330206004", "北仑区人大常委会"}},
	} {
		for i, k := range kinds {
			if k == kind {
				f.Add(book(f, rows...), uint8(i))
			}
		}
	}
	f.Add([]byte("姓名,性别\n张三,男\n"), uint8(0))
	dialect := sqlstore.SQLite
	if storetest.PostgresURL() != "" {
		dialect = sqlstore.Postgres
	}
	db := storetest.MustOpen(f, dialect)
	storetest.MustLoadRegions(f, db, "330206")
	f.Fuzz(func(t *testing.T, file []byte, kind uint8) {
		k := kinds[int(kind)%len(kinds)]
		n, err := sheets.Import(storetest.SystemContext(), db.Services(), k, bytes.NewReader(file))
		switch {
		case err == nil && n <= 0:
			t.Fatalf("Import(%s) = %d, nil; want rows or an error", k, n)
		case err != nil && lianluo.ErrorCode(err) != lianluo.EINVALID:
			t.Fatalf("Import(%s) = %v; want created rows or a user's error", k, err)
		}
	})
}
