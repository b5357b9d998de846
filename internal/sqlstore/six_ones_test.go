package sqlstore_test

import (
	"fmt"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// sixOnesMet is "key:done/required+" (met) or "key:done/required-" per item.
func sixOnesMet(s *lianluo.SixOnes) string {
	out := ""
	for _, it := range s.Items {
		mark := "-"
		if it.Met {
			mark = "+"
		}
		out += fmt.Sprintf("%s:%d/%d%s ", it.Key, it.Done, it.Required, mark)
	}
	return out
}

// A year (2025) of records for two deputies of one group, entered on the
// days they happened, measured against both 六个一 lists by hand.
func TestSixOnes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		storetest.MustCreateUser(t, db, storetest.SystemContext(), &lianluo.User{Username: "deputya2", Password: storetest.Password,
			DisplayName: "李秀英", Roles: []lianluo.Grant{{Role: "deputy", DeputyID: &w.DeputyA2.ID}}})
		storetest.MustCreateUser(t, db, storetest.SystemContext(), &lianluo.User{Username: "officeb", Password: storetest.Password,
			DisplayName: "小港人大办", Roles: []lianluo.Grant{{Role: "npc_office", OrgID: &w.TownB.ID}}})
		storetest.NoSecondFactor(t, db)
		g := mustGroup(t, db, w.World, true)
		office := w.As(t, "officea")
		a1, a2 := w.DeputyA1.ID, w.DeputyA2.ID

		// The group's activities, entered afterwards (补录) from the paper
		// ledger, with each deputy's attendance.
		at(db, "2026-01-10 09:00")
		activity := func(kind, day string, record bool, attendance map[int64]string) {
			t.Helper()
			x, err := db.CreateActivity(office, lianluo.ActivityInput{Kind: kind, Title: lianluo.ActivityKindNames[kind], GroupID: &g.ID,
				StartsAt: day + "T09:00", EndsAt: day + "T11:00"})
			if err != nil {
				t.Fatalf("CreateActivity(%s %s): %v", kind, day, err)
			}
			if !record {
				return
			}
			// Attendance is kept once the activity is recorded (held).
			if _, err := db.RecordActivity(office, x.ID, x.Version, lianluo.ActivityRecord{Minutes: "按计划开展。"}); err != nil {
				t.Fatalf("RecordActivity(%s %s): %v", kind, day, err)
			}
			for d, a := range attendance {
				if _, err := act(db).MarkAttendance(office, x.ID, d, a); err != nil {
					t.Fatalf("MarkAttendance(%s %s): %v", kind, day, err)
				}
			}
		}
		activity("voter_talk", "2025-02-20", true, map[int64]string{a1: "present", a2: "absent"})
		activity("group_meeting", "2025-03-15", true, map[int64]string{a1: "present", a2: "absent"})
		activity("law_check", "2025-05-15", true, map[int64]string{a1: "absent", a2: "absent"})
		activity("training", "2025-09-15", true, map[int64]string{a1: "present", a2: "present"})
		activity("voter_talk", "2025-10-20", false, nil)                        // entered, not recorded
		activity("report", "2024-12-20", true, map[int64]string{a1: "present"}) // the year before

		// Opinions received: A1's was handed to a unit; A2's answered on the spot.
		at(db, "2025-04-01 10:00")
		w.path(t, lianluo.StatusAssigned)
		c, err := db.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "菜场门口积水",
			Content: "菜场门口下雨积水。", Category: "城乡建设", RegionCode: "330206004", Submitter: lianluo.Submitter{Name: "赵六"},
			ReceivedBy: []int64{a2}})
		if err != nil {
			t.Fatal(err)
		}
		w.act(t, "officea", c, "triage", lianluo.CaseAction{Outcome: "answered", Answer: "已疏通。"})

		// 民情日记: A1's confirmed by the voter, A2's still a draft.
		at(db, "2025-06-01 16:00")
		e, err := db.CreateDiaryEntry(w.As(t, "deputya"), newEntry("2025-06-01T15:00"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConfirmDiaryBySignature(w.As(t, "deputya"), e.ID, signaturePNG(t, 300, 100)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateDiaryEntry(w.As(t, "deputya2"), newEntry("2025-06-01T15:00")); err != nil {
			t.Fatal(err)
		}

		// Duty records, confirmed, returned or left pending.
		at(db, "2026-01-10 09:00")
		duty := func(deputy int64, kind lianluo.DutyKind, day, decision string) {
			t.Helper()
			r, err := db.CreateDutyRecord(w.As(t, "liaisona"), lianluo.DutyRecordInput{DeputyID: deputy, Kind: kind, Date: day, Description: "记录"})
			if err != nil {
				t.Fatalf("CreateDutyRecord(%s %s): %v", kind, day, err)
			}
			if decision != "" {
				if _, err := db.DecideDutyRecord(office, r.ID, lianluo.DutyDecision{Version: r.Version, Decision: decision, Reason: "材料不全"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		duty(a1, lianluo.DutyGoodDeed, "2025-07-01", "confirm")
		duty(a1, lianluo.DutyAid, "2025-11-11", "confirm")
		duty(a1, lianluo.DutySurvey, "2025-02-01", "confirm")
		duty(a1, lianluo.DutySurvey, "2025-05-01", "confirm") // the first half twice
		duty(a1, lianluo.DutySurvey, "2025-08-01", "")        // pending: does not count
		duty(a2, lianluo.DutyGoodDeed, "2025-07-01", "")
		duty(a2, lianluo.DutyAid, "2025-11-11", "return")
		duty(a2, lianluo.DutySurvey, "2025-03-01", "confirm")
		duty(a2, lianluo.DutySurvey, "2025-12-31", "confirm")

		for _, tc := range []struct {
			who    string
			deputy int64
			want   string
		}{
			// A1: group activities in March and September; the opinion handed
			// over; good deed, aid; a confirmed diary; surveys in one half only.
			{"officea", a1, "group_activity:2/2+ opinion:1/1+ good_deed:1/1+ contact_voters:1/1+ aid:1/1+ survey:1/2- "},
			// A2: present only in September; answered on the spot; good deed
			// pending; diary a draft; aid returned; surveys in both halves.
			{"heada", a2, "group_activity:1/2- opinion:0/1- good_deed:0/1- contact_voters:0/1- aid:0/1- survey:2/2+ "},
			{"deputya", a1, "group_activity:2/2+ opinion:1/1+ good_deed:1/1+ contact_voters:1/1+ aid:1/1+ survey:1/2- "},
		} {
			s, err := db.DeputySixOnes(w.As(t, tc.who), tc.deputy, 2025)
			if err != nil {
				t.Fatalf("%s DeputySixOnes(%d): %v", tc.who, tc.deputy, err)
			}
			if got := sixOnesMet(s); got != tc.want {
				t.Errorf("%s DeputySixOnes(%d) = %s; want %s", tc.who, tc.deputy, got, tc.want)
			}
		}
		s, _ := db.DeputySixOnes(office, a1, 2025)
		if ev := s.Items[5].Evidence; len(ev) != 2 || ev[0].Kind != "duty_record" || ev[0].Date != "2025-02-01" || ev[1].Date != "2025-05-01" {
			t.Errorf("A1 survey evidence = %+v", ev)
		}
		// Three group activities attended, in two halves: done 2.
		if ev := s.Items[0].Evidence; len(ev) != 3 || ev[0].Kind != "activity" || ev[0].Date != "2025-02-20" || ev[2].Date != "2025-09-15" {
			t.Errorf("A1 group activity evidence = %+v", ev)
		}
		if s, _ := db.DeputySixOnes(office, a1, 2026); s.Met() != 0 {
			t.Errorf("2026 met = %d; want 0", s.Met())
		}

		// The group: training and a law check held; 民情恳谈 in the first
		// half only (the second not recorded); no 述职 this year (last
		// year's does not count), no opinion review, no summary.
		gs, err := db.GroupSixOnes(office, g.ID, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := sixOnesMet(gs), "training:1/1+ report:0/1- inspection:1/1+ voter_talk:1/2- opinion_review:0/1- duty_review:0/1- "; got != want {
			t.Errorf("GroupSixOnes = %s; want %s", got, want)
		}

		// Scope: another town, another deputy, a unit: not found.
		for _, tc := range []struct {
			who    string
			deputy int64
		}{{"officeb", a1}, {"deputya2", a1}, {"unit", a1}, {"officea", w.DeputyB.ID}} {
			if _, err := db.DeputySixOnes(w.As(t, tc.who), tc.deputy, 2025); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Errorf("%s DeputySixOnes(%d): %v; want not found", tc.who, tc.deputy, err)
			}
		}
		for _, who := range []string{"officeb", "unit"} {
			if _, err := db.GroupSixOnes(w.As(t, who), g.ID, 2025); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
				t.Errorf("%s GroupSixOnes: %v; want not found", who, err)
			}
		}
		if _, err := db.DeputySixOnes(office, a1, 1999); lianluo.ErrorField(err) != "year" {
			t.Errorf("year 1999: %v; want field year", err)
		}
	})
}
