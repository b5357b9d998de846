package sqlstore_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// signaturePNG draws a w×h PNG with a stroke, like the signature pad sends.
func signaturePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 5; x < w-5; x++ {
		img.Set(x, h/2, color.Black)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// diaryWorld adds accounts for the second deputy of town A and an office of town B.
func diaryWorld(t *testing.T, db *sqlstore.DB) *storetest.World {
	t.Helper()
	w := storetest.MustWorld(t, db)
	ctx := storetest.SystemContext()
	for _, u := range []*lianluo.User{
		{Username: "deputya2", Password: storetest.Password, DisplayName: "李秀英", Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &w.DeputyA2.ID}}},
		{Username: "officeb", Password: storetest.Password, DisplayName: "小港人大办", Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &w.TownB.ID}}},
	} {
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		w.Users[u.Username] = u
	}
	return w
}

func newEntry(visited string) lianluo.DiaryInput {
	return lianluo.DiaryInput{VisitedAt: visited, Place: "大碶街道灵峰社区3号楼", VoterName: "张桂芳", VoterPhone: "13905741234",
		VoterAddress: "灵峰社区3号楼2单元501室", Content: "楼道灯坏了一个月，老人夜里上下楼不安全。", Handling: "向社区反映，请物业一周内修复。", Category: "小区物业"}
}

// lastCode reads the code of the last verification SMS from the outbox.
func lastCode(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	var body string
	if err := rawDB(t, db).QueryRow(`SELECT body FROM notifications WHERE template = 'verify_code' AND channel = 'sms' ORDER BY id DESC LIMIT 1`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`[0-9]{6}`).FindString(body)
	if m == "" {
		t.Fatalf("no code in %q", body)
	}
	return m
}

func wrongCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func TestDiaryEntries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		dep := w.As(t, "deputya")

		// Bad input names the field and writes nothing.
		for _, tc := range []struct {
			name  string
			edit  func(*lianluo.DiaryInput)
			field string
		}{
			{"no voter", func(in *lianluo.DiaryInput) { in.VoterName = " " }, "voter_name"},
			{"bad phone", func(in *lianluo.DiaryInput) { in.VoterPhone = "12345" }, "voter_phone"},
			{"no content", func(in *lianluo.DiaryInput) { in.Content = "" }, "content"},
			{"future visit", func(in *lianluo.DiaryInput) { in.VisitedAt = "2026-03-05T09:00" }, "visited_at"},
			{"bad time", func(in *lianluo.DiaryInput) { in.VisitedAt = "昨天" }, "visited_at"},
			{"unknown category", func(in *lianluo.DiaryInput) { in.Category = "不存在的类别" }, "category"},
		} {
			in := newEntry("2026-03-01T15:00")
			tc.edit(&in)
			if _, err := db.CreateDiaryEntry(dep, in); lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: CreateDiaryEntry = %v; want field %s", tc.name, err, tc.field)
			}
		}
		// 003: the deputy writes it in person; staff cannot.
		if _, err := db.CreateDiaryEntry(w.As(t, "heada"), newEntry("2026-03-01T15:00")); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("station head writing a diary: %v", err)
		}
		if _, n, _ := db.FindDiaryEntries(dep, lianluo.DiaryFilter{}); n != 0 {
			t.Fatalf("bad input wrote %d entries", n)
		}

		e, err := db.CreateDiaryEntry(dep, newEntry("2026-03-01T15:00"))
		if err != nil {
			t.Fatalf("CreateDiaryEntry: %v", err)
		}
		if e.Status != lianluo.DiaryDraft || e.Voter.Phone != "13905741234" || e.Voter.Masked || e.DeputyID != w.DeputyA1.ID || e.Version != 1 {
			t.Errorf("own entry = %+v", e)
		}

		// Scope: the office and the station's staff read it masked; another
		// deputy and another town's office do not find it.
		for _, who := range []string{"officea", "office", "heada", "liaisona"} {
			got, err := db.FindDiaryEntryByID(w.As(t, who), e.ID)
			if err != nil {
				t.Errorf("%s reads: %v", who, err)
				continue
			}
			if !got.Voter.Masked || got.Voter.Phone != "139****1234" || got.Voter.Name != "张桂芳" {
				t.Errorf("%s sees voter %+v; want masked", who, got.Voter)
			}
		}
		for _, who := range []string{"deputya2", "officeb", "unit"} {
			if _, err := db.FindDiaryEntryByID(w.As(t, who), e.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Errorf("%s reads another's diary: %v; want not found", who, err)
			}
			if list, n, err := db.FindDiaryEntries(w.As(t, who), lianluo.DiaryFilter{}); err != nil || n != 0 || len(list) != 0 {
				t.Errorf("%s lists %d entries, %v; want none", who, n, err)
			}
		}
		// Staff read but do not edit.
		place := "别处"
		if _, err := db.UpdateDiaryEntry(w.As(t, "officea"), e.ID, lianluo.DiaryUpdate{Place: &place, Version: e.Version}); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("office edits a diary: %v", err)
		}

		// Reveal: a reason, logged.
		if _, err := db.RevealDiaryVoter(w.As(t, "officea"), e.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: ""}); lianluo.ErrorField(err) != "reason" {
			t.Errorf("reveal without reason: %v", err)
		}
		if v, err := db.RevealDiaryVoter(w.As(t, "officea"), e.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"}); err != nil || v.Phone != "13905741234" {
			t.Errorf("reveal = %+v, %v", v, err)
		}
		if evs, _, _ := db.FindEvents(w.As(t, "auditor"), lianluo.EventFilter{Entity: "diary", EntityID: e.ID, Action: "reveal"}); len(evs) != 1 {
			t.Errorf("reveal events = %d; want 1", len(evs))
		}

		// Edits use versions.
		if _, err := db.UpdateDiaryEntry(dep, e.ID, lianluo.DiaryUpdate{Place: &place, Version: e.Version + 1}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale version: %v", err)
		}
		bad := "1"
		if _, err := db.UpdateDiaryEntry(dep, e.ID, lianluo.DiaryUpdate{VoterPhone: &bad, Version: e.Version}); lianluo.ErrorField(err) != "voter_phone" {
			t.Errorf("bad phone in update: %v", err)
		}
		e, err = db.UpdateDiaryEntry(dep, e.ID, lianluo.DiaryUpdate{Place: &place, Version: e.Version})
		if err != nil || e.Place != "别处" || e.Version != 2 {
			t.Fatalf("UpdateDiaryEntry = %+v, %v", e, err)
		}

		// Confirming by SMS: wrong code, resend too soon, expired, too many attempts.
		if err := db.SendDiaryCode(dep, e.ID); err != nil {
			t.Fatalf("SendDiaryCode: %v", err)
		}
		if got := countNotes(t, db, `template = 'verify_code' AND channel = 'sms' AND phone LIKE 'v1:%'`); got != 1 {
			t.Errorf("SMS codes in the outbox = %d; want 1", got)
		}
		if err := db.SendDiaryCode(dep, e.ID); lianluo.ErrorCode(err) != lianluo.ETOOMANY {
			t.Errorf("resend within a minute: %v", err)
		}
		code := lastCode(t, db)
		if _, err := db.ConfirmDiaryByCode(dep, e.ID, "12a"); lianluo.ErrorField(err) != "code" {
			t.Errorf("malformed code: %v", err)
		}
		if _, err := db.ConfirmDiaryByCode(dep, e.ID, wrongCode(code)); lianluo.ErrorField(err) != "code" {
			t.Errorf("wrong code: %v", err)
		}
		if got, _ := db.FindDiaryEntryByID(dep, e.ID); got.Status != lianluo.DiaryDraft {
			t.Errorf("a wrong code confirmed the entry")
		}
		at(db, "2026-03-02 09:41") // eleven minutes later
		if _, err := db.ConfirmDiaryByCode(dep, e.ID, code); lianluo.ErrorField(err) != "code" {
			t.Errorf("expired code: %v", err)
		}
		if err := db.SendDiaryCode(dep, e.ID); err != nil {
			t.Fatalf("resend: %v", err)
		}
		code = lastCode(t, db)
		for i := 0; i < 5; i++ {
			if _, err := db.ConfirmDiaryByCode(dep, e.ID, wrongCode(code)); lianluo.ErrorField(err) != "code" {
				t.Errorf("wrong code %d: %v", i+1, err)
			}
		}
		if _, err := db.ConfirmDiaryByCode(dep, e.ID, code); lianluo.ErrorCode(err) != lianluo.ETOOMANY {
			t.Errorf("right code after five wrong ones: %v; want rate_limited", err)
		}
		at(db, "2026-03-02 09:43")
		if err := db.SendDiaryCode(dep, e.ID); err != nil {
			t.Fatalf("resend: %v", err)
		}
		code = lastCode(t, db)
		if _, err := db.ConfirmDiaryByCode(w.As(t, "deputya2"), e.ID, code); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("another deputy confirms: %v", err)
		}
		e, err = db.ConfirmDiaryByCode(dep, e.ID, code)
		if err != nil || e.Status != lianluo.DiaryConfirmed || e.ConfirmedBy != lianluo.ConfirmSMS {
			t.Fatalf("ConfirmDiaryByCode = %+v, %v", e, err)
		}
		// Confirmed entries are locked.
		if _, err := db.UpdateDiaryEntry(dep, e.ID, lianluo.DiaryUpdate{Place: &place, Version: e.Version}); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("editing a confirmed entry: %v", err)
		}
		if _, err := db.ConfirmDiaryBySignature(dep, e.ID, signaturePNG(t, 300, 120)); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("confirming twice: %v", err)
		}

		// Confirming by signature: only a PNG of a sane size.
		e2, err := db.CreateDiaryEntry(dep, newEntry("2026-03-02T08:00"))
		if err != nil {
			t.Fatal(err)
		}
		var jpeg bytes.Buffer
		jpeg.Write([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0})
		for _, tc := range []struct {
			name string
			data []byte
		}{
			{"empty", nil},
			{"text", []byte("not an image at all")},
			{"jpeg", jpeg.Bytes()},
			{"tiny png", signaturePNG(t, 10, 10)},
		} {
			if _, err := db.ConfirmDiaryBySignature(dep, e2.ID, tc.data); lianluo.ErrorField(err) != "signature" {
				t.Errorf("signature %s: %v; want field signature", tc.name, err)
			}
		}
		if _, err := lianluo.ParseSignature("signature", "data:image/jpeg;base64,AAAA"); lianluo.ErrorField(err) != "signature" {
			t.Errorf("jpeg data URL: %v", err)
		}
		sig := signaturePNG(t, 300, 120)
		e2, err = db.ConfirmDiaryBySignature(dep, e2.ID, sig)
		if err != nil || e2.Status != lianluo.DiaryConfirmed || e2.ConfirmedBy != lianluo.ConfirmSignature {
			t.Fatalf("ConfirmDiaryBySignature = %+v, %v", e2, err)
		}
		if p, err := db.DiarySignature(w.As(t, "officea"), e2.ID); err != nil || !bytes.Equal(p.Data, sig) {
			t.Errorf("DiarySignature: %v", err)
		}
		if _, err := db.DiarySignature(w.As(t, "officeb"), e2.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("another town's office reads the signature: %v", err)
		}

		// To a case in one step, once.
		if _, err := db.DiaryToCase(w.As(t, "deputya2"), e.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("another deputy turns it into a case: %v", err)
		}
		c, err := db.DiaryToCase(dep, e.ID)
		if err != nil {
			t.Fatalf("DiaryToCase: %v", err)
		}
		if c.Channel != "diary" || c.Location != "别处" || c.Category != "小区物业" || len(c.ReceivedBy) != 1 || c.ReceivedBy[0] != w.DeputyA1.ID ||
			c.StationID == nil || *c.StationID != w.StationA.ID || c.Submitter.Name != "张桂芳" {
			t.Errorf("case = %+v", c)
		}
		// The voter's phone reaches the case, sealed (fieldcrypt.go), with its last four digits.
		var phone, last4 string
		if err := rawDB(t, db).QueryRow(`SELECT submitter_phone, submitter_phone_last4 FROM cases WHERE id = $1`, c.ID).Scan(&phone, &last4); err != nil ||
			!strings.HasPrefix(phone, "v1:") || last4 != "1234" {
			t.Errorf("voter's phone on the case = %q, %q, %v", phone, last4, err)
		}
		if s, err := db.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"}); err != nil || s.Phone != "13905741234" {
			t.Errorf("revealed %+v, %v", s, err)
		}
		if _, err := db.DiaryToCase(dep, e.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("to case twice: %v", err)
		}
		if _, err := db.DiaryToCase(w.As(t, "officea"), e.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("office turns it into a case again: %v", err)
		}
		got, _ := db.FindDiaryEntryByID(dep, e.ID)
		if got.CaseID == nil || *got.CaseID != c.ID || got.CaseCode != c.TrackingCode {
			t.Errorf("entry's case = %v %q; want %d %q", got.CaseID, got.CaseCode, c.ID, c.TrackingCode)
		}
		full, err := db.FindCaseByID(w.As(t, "officea"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ev := range full.Events {
			found = found || (ev.Action == "source" && regexp.MustCompile(`民情日记（编号\d+）`).MatchString(ev.Comment))
		}
		if !found {
			t.Errorf("the case's history does not name the diary entry: %+v", full.Events)
		}
	})
}

func TestDiaryCounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		dep := w.As(t, "deputya")
		// Three confirmed in February, two in March, one March draft.
		for i, day := range []string{"2026-02-03", "2026-02-10", "2026-02-20", "2026-03-01", "2026-03-02", "2026-03-02"} {
			e, err := db.CreateDiaryEntry(dep, newEntry(day+"T08:00"))
			if err != nil {
				t.Fatal(err)
			}
			if i == 5 {
				continue
			}
			if _, err := db.ConfirmDiaryBySignature(dep, e.ID, signaturePNG(t, 200, 80)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CreateDiaryEntry(w.As(t, "deputya2"), newEntry("2026-03-01T10:00")); err != nil {
			t.Fatal(err)
		}
		rows, err := db.DiaryCounts(w.As(t, "officea"), lianluo.DiaryCountFilter{Year: 2026, Month: 3})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]lianluo.DiaryCount{}
		for _, r := range rows {
			got[r.DeputyID] = r
		}
		if a1 := got[w.DeputyA1.ID]; a1.Month != 2 || a1.Year != 5 || a1.Unconfirmed != 1 || a1.MonthOK() {
			t.Errorf("DeputyA1 = %+v; want 2 this month, 5 this year, 1 unconfirmed", a1)
		}
		if a2 := got[w.DeputyA2.ID]; a2.Month != 0 || a2.Unconfirmed != 1 {
			t.Errorf("DeputyA2 = %+v", a2)
		}
		if _, ok := got[w.DeputyB.ID]; ok {
			t.Errorf("town A's office counts town B's deputy")
		}
		// A deputy sees their own row only.
		own, err := db.DiaryCounts(dep, lianluo.DiaryCountFilter{Year: 2026, Month: 2})
		if err != nil || len(own) != 1 || own[0].DeputyID != w.DeputyA1.ID || own[0].Month != 3 || own[0].Year != 3 {
			t.Errorf("own counts = %+v, %v", own, err)
		}
		if _, err := db.DiaryCounts(dep, lianluo.DiaryCountFilter{Year: 2026, Month: 13}); lianluo.ErrorField(err) != "month" {
			t.Errorf("month 13: %v", err)
		}
		if got, want := lianluo.YearDue(3), 15; got != want {
			t.Errorf("YearDue(3) = %d; want %d", got, want)
		}
		if got, want := lianluo.YearDue(12), 60; got != want {
			t.Errorf("YearDue(12) = %d; want %d", got, want)
		}
	})
}

// Codes for one entry: one a minute, five a day; no phone, no code.
func TestDiaryCodeLimits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		dep := w.As(t, "deputya")
		e, err := db.CreateDiaryEntry(dep, newEntry("2026-03-01T15:00"))
		if err != nil {
			t.Fatal(err)
		}
		for i, when := range []string{"09:31", "09:32", "09:33", "09:34", "09:35"} {
			at(db, "2026-03-02 "+when)
			if err := db.SendDiaryCode(dep, e.ID); err != nil {
				t.Fatalf("code %d: %v", i+1, err)
			}
		}
		at(db, "2026-03-02 09:40")
		if err := db.SendDiaryCode(dep, e.ID); lianluo.ErrorCode(err) != lianluo.ETOOMANY {
			t.Errorf("sixth code in a day: %v; want rate_limited", err)
		}
		if got := countNotes(t, db, `template = 'verify_code' AND channel = 'sms'`); got != 5 {
			t.Errorf("codes sent = %d; want 5", got)
		}
		in := newEntry("2026-03-01T16:00")
		in.VoterPhone = ""
		e2, err := db.CreateDiaryEntry(dep, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SendDiaryCode(dep, e2.ID); lianluo.ErrorField(err) != "voter_phone" {
			t.Errorf("code without a phone: %v", err)
		}
		if _, err := db.ConfirmDiaryByCode(dep, e2.ID, "123456"); lianluo.ErrorField(err) != "code" {
			t.Errorf("confirm without a code sent: %v", err)
		}
	})
}
