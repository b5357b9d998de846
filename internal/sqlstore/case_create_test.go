package sqlstore_test

import (
	"encoding/json"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// CreateCase returns the opinion as written instead of reading it back;
// what it returns is what FindCaseByID then gives the same user, field for
// field as the API would send it: names of the station, body, region and
// deputies, the history's first step with its id, masks and actions.
func TestCreateCaseReturnsWhatIsStored(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		rota := wednesdays(t, db, w, false)
		if _, err := db.PublishRota(w.As(t, "officea"), w.StationA.ID, 2026); err != nil {
			t.Fatal(err)
		}
		rid := rota.Sessions[0].ID
		voter := lianluo.Submitter{Name: " 张阿姨 ", Phone: "13955556666", Address: "大碶街道灵峰路8号", IDNumber: "11010519491231002X"}
		for _, tc := range []struct {
			user string
			in   lianluo.CaseInput
		}{
			{"liaisona", lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "电梯加装", Content: "老小区想加装电梯，请帮助协调。",
				Category: "城乡建设", RegionCode: "330206004", Location: "灵峰路8号", Submitter: voter, ReceptionID: &rid,
				ReceivedBy: []int64{w.DeputyA2.ID, w.DeputyA1.ID, w.DeputyA2.ID}}},
			{"liaisona", lianluo.CaseInput{Channel: "phone", StationID: &w.StationA.ID, Title: "路灯不亮", Content: "路口的路灯坏了一个月。",
				RegionCode: "330206004", Urgent: true, Confidential: true}},
			{"office", lianluo.CaseInput{Channel: "letter", Title: "垃圾分类", Content: "小区垃圾分类设施不足。", RegionCode: "330206003",
				Submitter: voter}},
			{"deputya", lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "停车难", Content: "菜场门口停车难。",
				RegionCode: "330206004", Submitter: voter}},
		} {
			ctx := w.As(t, tc.user)
			made, err := db.CreateCase(ctx, tc.in)
			if err != nil {
				t.Fatalf("%s: CreateCase(%s): %v", tc.user, tc.in.Title, err)
			}
			read, err := db.FindCaseByID(ctx, made.ID)
			if err != nil {
				t.Fatalf("%s: FindCaseByID(%d): %v", tc.user, made.ID, err)
			}
			got, _ := json.Marshal(made)
			want, _ := json.Marshal(read)
			if string(got) != string(want) {
				t.Errorf("%s, %s: CreateCase returned\n%s\nFindCaseByID reads\n%s", tc.user, tc.in.Title, got, want)
			}
			if len(made.Events) != 1 || made.Events[0].ID == 0 || made.StationName == "" && made.StationID != nil || made.RegionName == "" || made.OrgName == "" {
				t.Errorf("%s, %s: %s", tc.user, tc.in.Title, got)
			}
		}
	})
}

// On SQLite the full-text index merges its segments eight at a time
// (migration 0033), not FTS5's four: the merges run in the commits that
// register cases.
func TestSearchIndexAutomerge(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t, sqlstore.SQLite)
	rows, err := db.QueryForTest(storetest.SystemContext(), `SELECT v FROM cases_fts_config WHERE k = 'automerge'`)
	if err != nil || len(rows) != 1 || rows[0] != "[8]" {
		t.Errorf("cases_fts automerge = %v, %v; want [8]", rows, err)
	}
}
