package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/schedule"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// shortStation is a station of town A with five deputies and a rule on the
// 15th of every month: from 1 December 2026 one session, two seats.
func shortStation(t *testing.T, db *sqlstore.DB, w *storetest.World) *lianluo.Station {
	t.Helper()
	sys := storetest.SystemContext()
	var ids []int64
	for i, name := range []string{"甲一", "乙二", "丙三", "丁四", "戊五"} {
		d := &lianluo.Deputy{Name: name, Gender: "male", RegionCode: "330206004", Phone: fmt.Sprintf("1391234500%d", i),
			Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
		if err := db.CreateDeputy(sys, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	st := &lianluo.Station{Kind: "village", Name: "新碶社区联络站", RegionCode: "330206004", OrgID: w.TownA.ID, Address: "新碶", DeputyIDs: ids}
	if err := db.CreateStation(sys, st); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateReceptionRule(w.As(t, "officea"), &lianluo.ReceptionRule{StationID: st.ID, RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Start: "09:00", End: "11:00"}); err != nil {
		t.Fatal(err)
	}
	return st
}

func hasCode(ps []lianluo.RotaProblem, code string) bool {
	for _, p := range ps {
		if p.Code == code {
			return true
		}
	}
	return false
}

// A year with too few sessions is never overfilled: publishing is refused
// until the office adds sessions or accepts.
func TestRotaTooFewSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-12-01 09:00")
		st := shortStation(t, db, w)
		office := w.As(t, "officea")
		rota, err := db.GenerateRota(office, st.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(rota.Sessions) != 1 || len(rota.Sessions[0].DeputyIDs) != 2 {
			t.Fatalf("rota = %d sessions, first with %v; want 1 session with 2 deputies", len(rota.Sessions), rota.Sessions[0].DeputyIDs)
		}
		want := "本年度只有1场接待，每场2名代表，无法让全部5名代表每年至少进站一次（还差3名）。可增加接待场次，或接受本年度部分代表不轮值。"
		if !hasCode(rota.Problems, schedule.ProblemTooFewSessions) || !strings.Contains(fmt.Sprint(rota.Problems), want) {
			t.Errorf("GenerateRota problems = %v; want %q", rota.Problems, want)
		}
		if _, err := db.PublishRota(office, st.ID, 2026); lianluo.ErrorCode(err) != lianluo.ESTATE || !strings.Contains(lianluo.ErrorMessage(err), want) {
			t.Errorf("PublishRota of a short year: %v; want a state error with %q", err, want)
		}

		for _, tc := range []struct {
			who, code string
		}{{"leader", lianluo.EFORBIDDEN}, {"liaisona", lianluo.ENOTFOUND}, {"deputya", lianluo.ENOTFOUND}} {
			if _, err := db.AddRotaSessions(w.As(t, tc.who), st.ID, 2026); lianluo.ErrorCode(err) != tc.code {
				t.Errorf("AddRotaSessions by %s: %v; want %s", tc.who, err, tc.code)
			}
		}
		if _, err := db.AddRotaSessions(office, w.StationB.ID, 2026); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("AddRotaSessions at another town's station: %v; want not found", err)
		}
		added, err := db.AddRotaSessions(office, st.ID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		onDuty := map[int64]bool{}
		for _, s := range added.Sessions {
			days = append(days, fmt.Sprintf("%s×%d", s.StartsAt.Format("01-02 15:04"), len(s.DeputyIDs)))
			for _, id := range s.DeputyIDs {
				onDuty[id] = true
			}
		}
		if got, want := strings.Join(days, ","), "12-09 09:00×2,12-15 09:00×2,12-24 09:00×2"; got != want {
			t.Errorf("sessions after AddRotaSessions = %s; want %s", got, want)
		}
		if len(onDuty) != 5 || hasCode(added.Problems, schedule.ProblemTooFewSessions) {
			t.Errorf("after AddRotaSessions: %d deputies on duty, problems %v; want all 5, no shortage", len(onDuty), added.Problems)
		}
		if _, err := db.AddRotaSessions(office, st.ID, 2026); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("AddRotaSessions when enough: %v; want a state error", err)
		}
		// Generating again keeps the added sessions.
		again, err := db.GenerateRota(office, st.ID, 2026)
		if err != nil || len(again.Sessions) != 3 || hasCode(again.Problems, schedule.ProblemTooFewSessions) {
			t.Fatalf("regenerate after adding: %d sessions, %v, %v; want 3, no shortage", len(again.Sessions), again.Problems, err)
		}
		n, err := db.PublishRota(office, st.ID, 2026)
		if err != nil || n != 3 {
			t.Fatalf("PublishRota = %d, %v; want 3", n, err)
		}
		list, _, err := db.FindReceptions(office, lianluo.ReceptionFilter{StationID: st.ID, Page: lianluo.AllRows()})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			if len(r.DeputyIDs) != 2 {
				t.Errorf("published session %s has %d deputies; want 2", r.StartsAt, len(r.DeputyIDs))
			}
		}
	})
}

func TestPublishRotaAccepting(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-12-01 09:00")
		st := shortStation(t, db, w)
		office := w.As(t, "officea")
		if _, err := db.GenerateRota(office, st.ID, 2026); err != nil {
			t.Fatal(err)
		}
		if _, err := db.PublishRotaAccepting(w.As(t, "leader"), st.ID, 2026); lianluo.ErrorCode(err) != lianluo.EFORBIDDEN {
			t.Errorf("PublishRotaAccepting by a leader: %v; want forbidden", err)
		}
		n, err := db.PublishRotaAccepting(office, st.ID, 2026)
		if err != nil || n != 1 {
			t.Fatalf("PublishRotaAccepting = %d, %v; want 1", n, err)
		}
		list, _, err := db.FindReceptions(office, lianluo.ReceptionFilter{StationID: st.ID, Page: lianluo.AllRows()})
		if err != nil || len(list) != 1 || len(list[0].DeputyIDs) != 2 || list[0].Status != lianluo.ReceptionPublished {
			t.Fatalf("published = %v, %v; want one session with 2 deputies", list, err)
		}
		var what string
		if err := rawDB(t, db).QueryRow(`SELECT summary FROM events WHERE action = 'rota_publish'`).Scan(&what); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(what, "已确认接受：本年度只有1场接待") {
			t.Errorf("publish event = %q; want the acceptance recorded", what)
		}
	})
}

// 001: a duplicate rule is refused; a rule sparser than every two months
// is saved with a warning.
func TestReceptionRuleChecks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-03-02 09:00")
		office := w.As(t, "officea")
		first := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", Start: "09:00", End: "11:00"}
		if err := db.CreateReceptionRule(office, first); err != nil {
			t.Fatal(err)
		}
		if len(first.Warnings) != 1 || !strings.Contains(first.Warnings[0], "每两个月至少开展一次") {
			t.Errorf("quarterly rule warnings = %q; want the two-month rule", first.Warnings)
		}
		problems, err := db.CheckRota(office, w.StationA.ID, 2026)
		if err != nil || !hasCode(problems, schedule.ProblemSparse) {
			t.Errorf("CheckRota = %v, %v; want a sparse problem", problems, err)
		}
		dup := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", Start: "09:00", End: "11:00"}
		if err := db.CreateReceptionRule(office, dup); lianluo.ErrorField(err) != "rrule" || !strings.Contains(lianluo.ErrorMessage(err), "相同的接待规则") {
			t.Errorf("duplicate rule: %v; want an rrule field error", err)
		}
		// The same days at other times is another rule; filling the gaps ends the warning.
		other := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", Start: "14:00", End: "16:00"}
		if err := db.CreateReceptionRule(office, other); err != nil {
			t.Errorf("same days, other times: %v", err)
		}
		fill := &lianluo.ReceptionRule{StationID: w.StationA.ID, RRule: "FREQ=MONTHLY;BYMONTH=2,3,5,6,8,9,11,12;BYMONTHDAY=20", Start: "09:00", End: "11:00"}
		if err := db.CreateReceptionRule(office, fill); err != nil || len(fill.Warnings) != 0 {
			t.Errorf("filling rule: %v, warnings %q; want none", err, fill.Warnings)
		}
		// Changing a rule into a copy of another active one is refused too;
		// a retired copy does not count.
		rrule, start, end := first.RRule, first.Start, first.End
		if _, err := db.UpdateReceptionRule(office, other.ID, lianluo.ReceptionRuleUpdate{RRule: &rrule, Start: &start, End: &end, Version: other.Version}); lianluo.ErrorField(err) != "rrule" {
			t.Errorf("update into a duplicate: %v; want an rrule field error", err)
		}
		off := false
		if _, err := db.UpdateReceptionRule(office, first.ID, lianluo.ReceptionRuleUpdate{Active: &off, Version: first.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateReceptionRule(office, other.ID, lianluo.ReceptionRuleUpdate{RRule: &rrule, Start: &start, End: &end, Version: other.Version}); err != nil {
			t.Errorf("update into a copy of a retired rule: %v", err)
		}
	})
}
