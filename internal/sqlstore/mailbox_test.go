package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func twoLetters() []lianluo.Letter {
	return []lianluo.Letter{
		{WriterName: "赵大海", WriterPhone: "13805745678", WriterAddress: "大碶街道庐山西路88号", Content: "庐山西路夜间货车噪声大，影响休息。", Category: "噪声扰民"},
		{Anonymous: true, WriterName: "不该留下", Content: "小区门口人行道被占用停车。", Category: "停车管理"},
	}
}

func TestMailboxOpenings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		liaison := w.As(t, "liaisona")

		// Bad input names the field and writes nothing.
		for _, tc := range []struct {
			name  string
			in    lianluo.OpeningInput
			field string
		}{
			{"no opener", lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{" "}}, "opened_by"},
			{"no time", lianluo.OpeningInput{OpenedBy: []string{"周敏"}}, "opened_at"},
			{"future", lianluo.OpeningInput{OpenedAt: "2026-03-09T09:00", OpenedBy: []string{"周敏"}}, "opened_at"},
			{"empty letter", lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{"周敏"}, Letters: []lianluo.Letter{{Content: "有内容"}, {Content: " "}}}, "letters[1].content"},
			{"bad phone", lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{"周敏"}, Letters: []lianluo.Letter{{Content: "有内容", WriterPhone: "110"}}}, "letters[0].writer_phone"},
			{"bad category", lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{"周敏"}, Letters: []lianluo.Letter{{Content: "有内容", Category: "没有"}}}, "letters[0].category"},
		} {
			if _, err := db.RecordOpening(liaison, w.StationA.ID, tc.in); lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: RecordOpening = %v; want field %s", tc.name, err, tc.field)
			}
		}
		if _, n, err := db.FindOpenings(liaison, w.StationA.ID, lianluo.Page{}); err != nil || n != 0 {
			t.Fatalf("bad input wrote %d openings, %v", n, err)
		}

		// Another region's mailbox is not found; a unit may not open one.
		in := lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{"王建国", "周敏"}, Letters: twoLetters()}
		if _, err := db.RecordOpening(w.As(t, "officea"), w.StationB.ID, in); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town A's office opens town B's box: %v", err)
		}
		if _, _, err := db.FindOpenings(w.As(t, "officea"), w.StationB.ID, lianluo.Page{}); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town A's office reads town B's box: %v", err)
		}
		if _, err := db.RecordOpening(w.As(t, "unit"), w.StationA.ID, in); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("unit opens a box: %v", err)
		}

		// 004: the deputy keeps the box (or a liaison); one opener is enough.
		o, err := db.RecordOpening(w.As(t, "deputya"), w.StationA.ID, in)
		if err != nil {
			t.Fatalf("RecordOpening: %v", err)
		}
		if len(o.Letters) != 2 || len(o.OpenedBy) != 2 || o.StationName != w.StationA.Name {
			t.Fatalf("opening = %+v", o)
		}
		l1, l2 := o.Letters[0], o.Letters[1]
		if l1.WriterPhone != "138****5678" || l1.WriterName != "赵大海" || l1.WriterAddress != "大碶街道庐山****" {
			t.Errorf("letter 1 writer = %q %q %q; want masked", l1.WriterName, l1.WriterPhone, l1.WriterAddress)
		}
		if !l2.Anonymous || l2.WriterName != "" {
			t.Errorf("anonymous letter keeps a name: %+v", l2)
		}
		list, n, err := db.FindOpenings(w.As(t, "office"), w.StationA.ID, lianluo.Page{})
		if err != nil || n != 1 || len(list[0].Letters) != 2 {
			t.Errorf("FindOpenings = %v, %d, %v", list, n, err)
		}

		// A letter becomes a case in one step, once; not from another town.
		if _, err := db.LetterToCase(w.As(t, "officeb"), l1.ID); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town B's office turns town A's letter into a case: %v", err)
		}
		c, err := db.LetterToCase(liaison, l1.ID)
		if err != nil {
			t.Fatalf("LetterToCase: %v", err)
		}
		if c.Channel != "mailbox" || c.StationID == nil || *c.StationID != w.StationA.ID || c.Category != "噪声扰民" || c.Submitter.Name != "赵大海" {
			t.Errorf("case = %+v", c)
		}
		if _, err := db.LetterToCase(liaison, l1.ID); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("to case twice: %v", err)
		}
		list, _, _ = db.FindOpenings(liaison, w.StationA.ID, lianluo.Page{})
		if got := list[0].Letters[0]; got.CaseID == nil || *got.CaseID != c.ID || got.CaseCode != c.TrackingCode {
			t.Errorf("letter's case = %v %q", got.CaseID, got.CaseCode)
		}
	})
}

func TestMailboxOverdueReminder(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		liaison := w.As(t, "liaisona")
		if _, err := db.RecordOpening(liaison, w.StationA.ID, lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{"周敏"}}); err != nil {
			t.Fatal(err)
		}
		remind := func(when string, want int) {
			t.Helper()
			at(db, when)
			n, err := db.RemindMailboxes(storetest.SystemContext())
			if err != nil || n != want {
				t.Errorf("RemindMailboxes at %s = %d, %v; want %d", when, n, err, want)
			}
		}
		remind("2026-03-09 09:00", 0) // exactly a week: not yet overdue
		if got := countNotes(t, db, `template = 'mailbox_overdue'`); got != 0 {
			t.Errorf("reminders before overdue = %d", got)
		}
		// Station A's box, and town B's station's, never opened in the
		// week since the station was set up (2026-03-02 09:30).
		remind("2026-03-09 10:00", 2)
		// Head and liaison of station A, in-app (and whatever channels they chose).
		if got := countNotes(t, db, `template = 'mailbox_overdue' AND channel = 'inapp'`); got != 2 {
			t.Errorf("in-app reminders = %d; want 2 (head and liaison)", got)
		}
		// Station B has no staff accounts: its town's office is told.
		if got := countNotes(t, db, `template = 'mailbox_never_opened' AND channel = 'inapp' AND body LIKE '%设立已7天，还没有开启过%'`); got != 1 {
			t.Errorf("never-opened reminders = %d; want 1 (town B's office)", got)
		}
		if st, err := db.MailboxStatuses(w.As(t, "officeb"), 0); err != nil || len(st) != 1 || !st[0].Overdue || st[0].DaysSince != 7 || st[0].LastOpened != nil {
			t.Errorf("town B's never-opened box = %+v, %v; want overdue for 7 days", st, err)
		}
		remind("2026-03-09 10:05", 0) // once per overdue period
		remind("2026-03-12 10:00", 0)
		st, err := db.MailboxStatuses(w.As(t, "heada"), w.StationA.ID)
		if err != nil || len(st) != 1 || !st[0].Overdue || st[0].DaysSince != 10 || st[0].Openings != 1 {
			t.Errorf("MailboxStatuses = %+v, %v", st, err)
		}
		// The case deadline sweep leaves the boxes to their own job.
		at(db, "2026-03-12 10:00")
		if n, err := db.SweepCaseDeadlines(storetest.SystemContext()); err != nil || n != 0 {
			t.Errorf("SweepCaseDeadlines = %d, %v; want 0", n, err)
		}
		if got := countNotes(t, db, `template = 'mailbox_overdue' AND channel = 'inapp'`); got != 2 {
			t.Errorf("in-app reminders after the case sweep = %d; want still 2", got)
		}
		// Opened again: a new period, reminded again once it is overdue.
		if _, err := db.RecordOpening(liaison, w.StationA.ID, lianluo.OpeningInput{OpenedAt: "2026-03-12T09:30", OpenedBy: []string{"周敏"}}); err != nil {
			t.Fatal(err)
		}
		remind("2026-03-13 10:00", 0)
		if st, _ := db.MailboxStatuses(w.As(t, "heada"), w.StationA.ID); st[0].Overdue {
			t.Errorf("box opened yesterday is overdue")
		}
		remind("2026-03-20 10:00", 1)
		if got := countNotes(t, db, `template = 'mailbox_overdue' AND channel = 'inapp'`); got != 4 {
			t.Errorf("in-app reminders = %d; want 4", got)
		}
		// Town B's never-opened box was reminded once; town A's office does not see it.
		if got := countNotes(t, db, `template = 'mailbox_never_opened'`); got != 1 {
			t.Errorf("never-opened reminders = %d; want still 1", got)
		}
		all, err := db.MailboxStatuses(w.As(t, "officea"), 0)
		if err != nil || len(all) != 1 || all[0].StationID != w.StationA.ID {
			t.Errorf("town A's boxes = %+v, %v", all, err)
		}
	})
}

func TestMailboxSummary(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := diaryWorld(t, db)
		liaison := w.As(t, "liaisona")
		at(db, "2026-03-30 10:00")
		o, err := db.RecordOpening(liaison, w.StationA.ID, lianluo.OpeningInput{OpenedAt: "2026-03-30T09:00", OpenedBy: []string{"周敏"}, Letters: twoLetters()})
		if err != nil {
			t.Fatal(err)
		}
		// One letter into a case, answered on the spot and closed.
		c, err := db.LetterToCase(liaison, o.Letters[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		office := w.As(t, "officea")
		c, err = db.Act(office, c.ID, "triage", lianluo.CaseAction{Version: c.Version, Outcome: "answered", Answer: "已联系交警夜间限行。"})
		if err != nil {
			t.Fatal(err)
		}
		// April: next quarter's letter.
		at(db, "2026-04-07 10:00")
		if _, err := db.RecordOpening(liaison, w.StationA.ID, lianluo.OpeningInput{OpenedAt: "2026-04-07T09:00", OpenedBy: []string{"周敏"},
			Letters: []lianluo.Letter{{Content: "四月来信", Category: "噪声扰民"}}}); err != nil {
			t.Fatal(err)
		}
		q, err := lianluo.ParseQuarter("quarter", "2026Q1")
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.MailboxSummary(office, w.StationA.ID, "", q)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := s.Totals, (lianluo.MailboxSummaryRow{Category: "合计", Letters: 2, Cases: 1, Answered: 1, Closed: 0}); got != want {
			t.Errorf("Q1 totals = %+v; want %+v", got, want)
		}
		if s.Openings != 1 || len(s.ByCategory) != 2 || len(s.Letters) != 2 {
			t.Errorf("Q1 summary = %+v", s)
		}
		if s.Letters[0].WriterName != "赵**" || s.Letters[0].WriterPhone != "" || s.Letters[1].WriterName != "匿名" {
			t.Errorf("writers in the summary = %q, %q; want masked", s.Letters[0].WriterName, s.Letters[1].WriterName)
		}
		if _, err := db.Act(office, c.ID, "close", lianluo.CaseAction{Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		// By region (the district), both quarters.
		s, err = db.MailboxSummary(w.As(t, "office"), 0, "330206", q)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := s.Totals, (lianluo.MailboxSummaryRow{Category: "合计", Letters: 2, Cases: 1, Answered: 1, Closed: 1}); got != want {
			t.Errorf("district Q1 totals = %+v; want %+v", got, want)
		}
		q2, _ := lianluo.ParseQuarter("quarter", "2026q2")
		if s, err := db.MailboxSummary(office, w.StationA.ID, "", q2); err != nil || s.Totals.Letters != 1 || s.Totals.Cases != 0 {
			t.Errorf("Q2 = %+v, %v", s, err)
		}
		// Scope and input.
		if _, err := db.MailboxSummary(office, w.StationB.ID, "", q); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town A's office summarises town B: %v", err)
		}
		if _, err := db.MailboxSummary(office, 0, "330206003", q); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("town A's office summarises town B's region: %v", err)
		}
		if _, err := db.MailboxSummary(office, 0, "", q); lianluo.ErrorField(err) != "station_id" {
			t.Errorf("no station or region: %v", err)
		}
		if _, err := lianluo.ParseQuarter("quarter", "2026Q5"); lianluo.ErrorField(err) != "quarter" {
			t.Errorf("ParseQuarter(2026Q5) = %v", err)
		}
	})
}
