package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func dutyInput(kind lianluo.DutyKind, date string) lianluo.DutyRecordInput {
	return lianluo.DutyRecordInput{Kind: kind, Date: date, Description: "为灵峰社区3号楼更换楼道灯，协调物业落实长效管理。"}
}

func TestDutyRecords(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		dep := w.As(t, "deputya")

		// Bad input names the field and writes nothing.
		for _, tc := range []struct {
			name  string
			who   string
			edit  func(*lianluo.DutyRecordInput)
			field string
		}{
			{"no kind", "deputya", func(in *lianluo.DutyRecordInput) { in.Kind = "" }, "kind"},
			{"wrong kind", "deputya", func(in *lianluo.DutyRecordInput) { in.Kind = "banquet" }, "kind"},
			{"no description", "deputya", func(in *lianluo.DutyRecordInput) { in.Description = "  " }, "description"},
			{"future", "deputya", func(in *lianluo.DutyRecordInput) { in.Date = "2026-03-03" }, "date"},
			{"bad date", "deputya", func(in *lianluo.DutyRecordInput) { in.Date = "3月1日" }, "date"},
			{"staff without deputy", "liaisona", func(*lianluo.DutyRecordInput) {}, "deputy_id"},
			{"another town's deputy", "officeb", func(in *lianluo.DutyRecordInput) { in.DeputyID = w.DeputyA1.ID }, "deputy_id"},
		} {
			in := dutyInput(lianluo.DutyGoodDeed, "2026-03-01")
			tc.edit(&in)
			if _, err := db.CreateDutyRecord(w.As(t, tc.who), in); lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: CreateDutyRecord = %v; want field %s", tc.name, err, tc.field)
			}
		}
		// A deputy records only their own, even for a colleague of their station.
		if _, err := db.CreateDutyRecord(dep, lianluo.DutyRecordInput{DeputyID: w.DeputyA2.ID, Kind: lianluo.DutyAid,
			Date: "2026-03-01", Description: "帮扶"}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("deputy recording for another: %v; want forbidden", err)
		}
		if _, n, _ := db.FindDutyRecords(w.As(t, "office"), lianluo.DutyRecordFilter{}); n != 0 {
			t.Fatalf("bad input wrote %d records", n)
		}

		own, err := db.CreateDutyRecord(dep, dutyInput(lianluo.DutyGoodDeed, "2026-03-01"))
		if err != nil {
			t.Fatalf("CreateDutyRecord(own): %v", err)
		}
		if own.DeputyID != w.DeputyA1.ID || own.Status != lianluo.DutyPending || own.Version != 1 || own.Date != "2026-03-01" ||
			own.CreatedBy != "王建国" || own.RegionCode != "330206004" {
			t.Errorf("own record = %+v", own)
		}
		// Station staff record for a deputy of their station.
		forA2, err := db.CreateDutyRecord(w.As(t, "liaisona"), lianluo.DutyRecordInput{DeputyID: w.DeputyA2.ID, Kind: lianluo.DutyAid,
			Date: "2025-12-20", Description: "帮扶困难户李大爷，联系低保。"})
		if err != nil {
			t.Fatalf("CreateDutyRecord(liaison for A2): %v", err)
		}
		forB, err := db.CreateDutyRecord(w.As(t, "officeb"), lianluo.DutyRecordInput{DeputyID: w.DeputyB.ID, Kind: lianluo.DutySurvey,
			Date: "2026-02-01", Description: "小港渡口民情调查。"})
		if err != nil {
			t.Fatalf("CreateDutyRecord(office B for B): %v", err)
		}

		// Scope: the deputy, the office and the station's staff read it;
		// another deputy and another town's office do not find it.
		for _, who := range []string{"deputya", "officea", "office", "heada", "liaisona", "leader"} {
			if _, err := db.FindDutyRecordByID(w.As(t, who), own.ID); err != nil {
				t.Errorf("%s reads the record: %v", who, err)
			}
		}
		for _, who := range []string{"deputya2", "officeb", "unit"} {
			if _, err := db.FindDutyRecordByID(w.As(t, who), own.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Errorf("%s reads the record: %v; want not found", who, err)
			}
		}
		if _, err := db.FindDutyRecordByID(w.As(t, "officea"), forB.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town A reads town B's record: %v; want not found", err)
		}

		// Lists and filters.
		for _, tc := range []struct {
			who  string
			f    lianluo.DutyRecordFilter
			want []int64
		}{
			{"office", lianluo.DutyRecordFilter{}, []int64{own.ID, forB.ID, forA2.ID}},
			{"officea", lianluo.DutyRecordFilter{}, []int64{own.ID, forA2.ID}},
			{"deputya", lianluo.DutyRecordFilter{}, []int64{own.ID}},
			{"officea", lianluo.DutyRecordFilter{DeputyID: w.DeputyA2.ID}, []int64{forA2.ID}},
			{"office", lianluo.DutyRecordFilter{Kind: lianluo.DutySurvey}, []int64{forB.ID}},
			{"office", lianluo.DutyRecordFilter{Year: 2025}, []int64{forA2.ID}},
			{"office", lianluo.DutyRecordFilter{Status: lianluo.DutyConfirmed}, nil},
		} {
			list, n, err := db.FindDutyRecords(w.As(t, tc.who), tc.f)
			var got []int64
			for _, r := range list {
				got = append(got, r.ID)
			}
			if err != nil || n != len(tc.want) || fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("%s FindDutyRecords(%+v) = %v (%d), %v; want %v", tc.who, tc.f, got, n, err, tc.want)
			}
		}
		if _, _, err := db.FindDutyRecords(dep, lianluo.DutyRecordFilter{Kind: "banquet"}); lianluo.ErrorField(err) != "kind" {
			t.Errorf("filter by a wrong kind: %v", err)
		}

		// Photos: the deputy's evidence, while the record waits.
		if _, err := db.AddDutyPhoto(dep, own.ID, []byte("not a photo")); lianluo.ErrorField(err) != "photo" {
			t.Errorf("AddDutyPhoto(text) = %v; want field photo", err)
		}
		if _, err := db.AddDutyPhoto(w.As(t, "officeb"), own.ID, signaturePNG(t, 300, 100)); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("AddDutyPhoto by town B = %v; want not found", err)
		}
		withPhoto, err := db.AddDutyPhoto(dep, own.ID, signaturePNG(t, 300, 100))
		if err != nil || withPhoto.Photos != 1 || withPhoto.Version != own.Version {
			t.Fatalf("AddDutyPhoto = %+v, %v; want 1 photo, version unchanged", withPhoto, err)
		}
		if p, err := db.DutyPhoto(w.As(t, "heada"), own.ID, 1); err != nil || p.ContentType != "image/png" {
			t.Errorf("DutyPhoto(1) = %v, %v", p, err)
		}
		if _, err := db.DutyPhoto(w.As(t, "heada"), own.ID, 2); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("DutyPhoto(2) = %v; want not found", err)
		}
		if _, err := db.DutyPhoto(w.As(t, "officeb"), own.ID, 1); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("DutyPhoto by town B = %v; want not found", err)
		}

		// Deciding: never one's own, only staff of the deputy, the current
		// version, a reason to return, and only once.
		confirm := lianluo.DutyDecision{Decision: "confirm", Version: own.Version}
		if _, err := db.DecideDutyRecord(dep, own.ID, confirm); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("deputy confirming their own: %v; want forbidden", err)
		}
		if _, err := db.DecideDutyRecord(w.As(t, "officeb"), own.ID, confirm); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town B confirming town A's: %v; want not found", err)
		}
		if _, err := db.DecideDutyRecord(w.As(t, "heada"), own.ID, lianluo.DutyDecision{Decision: "confirm", Version: 7}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale version: %v; want stale", err)
		}
		if _, err := db.DecideDutyRecord(w.As(t, "heada"), own.ID, lianluo.DutyDecision{Decision: "confirm"}); lianluo.ErrorField(err) != "version" {
			t.Errorf("no version: %v; want field version", err)
		}
		if _, err := db.DecideDutyRecord(w.As(t, "heada"), own.ID, lianluo.DutyDecision{Decision: "return", Version: own.Version}); lianluo.ErrorField(err) != "reason" {
			t.Errorf("return without a reason: %v; want field reason", err)
		}
		if got, _ := db.FindDutyRecordByID(dep, own.ID); got.Status != lianluo.DutyPending || got.Version != own.Version {
			t.Fatalf("refused decisions changed the record: %+v", got)
		}
		got, err := db.DecideDutyRecord(w.As(t, "heada"), own.ID, confirm)
		if err != nil {
			t.Fatalf("DecideDutyRecord(confirm): %v", err)
		}
		if got.Status != lianluo.DutyConfirmed || got.DecidedBy != "大碶站长" || got.DecidedAt == nil || got.Version != own.Version+1 {
			t.Errorf("confirmed = %+v", got)
		}
		if _, err := db.DecideDutyRecord(w.As(t, "heada"), own.ID, lianluo.DutyDecision{Decision: "return", Reason: "重复", Version: got.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("deciding twice: %v; want invalid state", err)
		}
		if _, err := db.AddDutyPhoto(dep, own.ID, signaturePNG(t, 300, 100)); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("photo of a confirmed record: %v; want invalid state", err)
		}
		ret, err := db.DecideDutyRecord(w.As(t, "officea"), forA2.ID, lianluo.DutyDecision{Decision: "return", Reason: "请补充帮扶对象和成效", Version: forA2.Version})
		if err != nil || ret.Status != lianluo.DutyReturned || ret.Reason != "请补充帮扶对象和成效" {
			t.Errorf("returned = %+v, %v", ret, err)
		}

		// The deputy is told in-app why it came back.
		if got := query(t, db, `SELECT body FROM notifications WHERE template = 'duty_returned'`); len(got) != 1 ||
			!strings.Contains(got[0], "帮扶困难户（2025-12-20）被退回：请补充帮扶对象和成效") {
			t.Errorf("return notices = %v", got)
		}

		// Every write is audited.
		if got := query(t, db, `SELECT action FROM events WHERE entity = 'duty_record' ORDER BY id`); fmt.Sprint(got) != "[[create] [create] [create] [photo] [approve] [return]]" {
			t.Errorf("audit events = %v", got)
		}

		// Powers as the pages see them.
		for _, tc := range []struct {
			who            string
			deputy         int64
			record, decide bool
		}{
			{"deputya", w.DeputyA1.ID, true, false},
			{"heada", w.DeputyA1.ID, true, true},
			{"officea", w.DeputyA2.ID, true, true},
			{"leader", w.DeputyA2.ID, false, false},
		} {
			r, d, err := db.DutyRecordPowers(w.As(t, tc.who), tc.deputy)
			if err != nil || r != tc.record || d != tc.decide {
				t.Errorf("%s DutyRecordPowers(%d) = %v, %v, %v; want %v, %v", tc.who, tc.deputy, r, d, err, tc.record, tc.decide)
			}
		}
		if _, _, err := db.DutyRecordPowers(w.As(t, "officeb"), w.DeputyA1.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town B's powers over A1: %v; want not found", err)
		}
	})
}

// A returned record, corrected by the deputy, waits for confirmation again;
// a confirmed one is no longer changed.
func TestDutyRecordResubmit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		dep, head := w.As(t, "deputya"), w.As(t, "heada")
		r, err := db.CreateDutyRecord(dep, dutyInput(lianluo.DutySurvey, "2026-02-20"))
		if err != nil {
			t.Fatal(err)
		}
		r, err = db.DecideDutyRecord(head, r.ID, lianluo.DutyDecision{Decision: "return", Reason: "请补充调查结论", Version: r.Version})
		if err != nil {
			t.Fatal(err)
		}
		desc, bad := "走访菜场摊主20户，结论：早市需划定临时摊位。", "2026-13-01"
		for _, tc := range []struct {
			name string
			who  string
			u    lianluo.DutyRecordUpdate
			code string
		}{
			{"no version", "deputya", lianluo.DutyRecordUpdate{Description: &desc}, lianluo.EINVALID},
			{"stale", "deputya", lianluo.DutyRecordUpdate{Description: &desc, Version: 1}, lianluo.ESTALE},
			{"bad date", "deputya", lianluo.DutyRecordUpdate{Date: &bad, Version: r.Version}, lianluo.EINVALID},
			{"another deputy", "deputya2", lianluo.DutyRecordUpdate{Description: &desc, Version: r.Version}, lianluo.ENOTFOUND},
			{"another town", "officeb", lianluo.DutyRecordUpdate{Description: &desc, Version: r.Version}, lianluo.ENOTFOUND},
		} {
			if _, err := db.UpdateDutyRecord(w.As(t, tc.who), r.ID, tc.u); lianluo.ErrorCode(err) != tc.code {
				t.Errorf("%s: UpdateDutyRecord = %v; want %s", tc.name, err, tc.code)
			}
		}
		got, err := db.UpdateDutyRecord(dep, r.ID, lianluo.DutyRecordUpdate{Description: &desc, Version: r.Version})
		if err != nil {
			t.Fatalf("UpdateDutyRecord: %v", err)
		}
		if got.Status != lianluo.DutyPending || got.Reason != "" || got.DecidedAt != nil || got.Description != desc ||
			got.Kind != lianluo.DutySurvey || got.Date != "2026-02-20" || got.Version != r.Version+1 {
			t.Errorf("resubmitted = %+v", got)
		}
		got, err = db.DecideDutyRecord(head, r.ID, lianluo.DutyDecision{Decision: "confirm", Version: got.Version})
		if err != nil || got.Status != lianluo.DutyConfirmed {
			t.Fatalf("confirm the resubmitted record: %+v, %v", got, err)
		}
		if _, err := db.UpdateDutyRecord(dep, r.ID, lianluo.DutyRecordUpdate{Description: &desc, Version: got.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("changing a confirmed record: %v; want invalid state", err)
		}
		if got := query(t, db, `SELECT action FROM events WHERE entity = 'duty_record' ORDER BY id`); fmt.Sprint(got) != "[[create] [return] [update] [approve]]" {
			t.Errorf("audit events = %v", got)
		}
	})
}
