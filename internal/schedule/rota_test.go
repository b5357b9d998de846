package schedule_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"lianluo/internal/schedule"
)

// yearSessions is 000's rule over 2026 on the real calendar:
// 1/15, 3/16, 5/15, 7/15, 9/15, 11/16.
func yearSessions(tb testing.TB) []schedule.Session {
	tb.Helper()
	anchor, from, to := year(tb, "2026")
	ss, err := oddMonths.Sessions(realCalendar(tb), anchor, from, to)
	if err != nil {
		tb.Fatal(err)
	}
	return ss
}

// monthlySessions is every 15th of 2026 (12 sessions).
func monthlySessions(tb testing.TB) []schedule.Session {
	tb.Helper()
	anchor, from, to := year(tb, "2026")
	ss, err := rule("FREQ=MONTHLY;BYMONTHDAY=15", schedule.NextWorkday).Sessions(realCalendar(tb), anchor, from, to)
	if err != nil {
		tb.Fatal(err)
	}
	return ss
}

var names = []string{"王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周涛", "吴芳",
	"徐明", "孙丽", "马超", "朱琳", "胡斌", "郭强", "何佳", "高峰", "林燕", "罗军"}

// deputies returns n deputies with IDs 1…n.
func deputies(n int) []schedule.RotaDeputy {
	ds := make([]schedule.RotaDeputy, n)
	for i := range ds {
		ds[i] = schedule.RotaDeputy{ID: int64(i + 1), Name: names[i]}
	}
	return ds
}

// loads counts each deputy's sessions.
func loads(r schedule.Rota) map[int64]int {
	m := map[int64]int{}
	for _, s := range r.Sessions {
		for _, id := range s.DeputyIDs {
			m[id]++
		}
	}
	return m
}

func codes(ps []schedule.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func messages(ps []schedule.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Message)
	}
	return out
}

// checkHardRules fails if r breaks a rule Generate must never break: a
// deputy on a day they are unavailable or at a time they are busy, twice in
// one session, or in two overlapping sessions.
func checkHardRules(t *testing.T, r schedule.Rota, ds []schedule.RotaDeputy) {
	t.Helper()
	byID := map[int64]schedule.RotaDeputy{}
	for _, d := range ds {
		byID[d.ID] = d
	}
	for j, rs := range r.Sessions {
		s := rs.Session
		seen := map[int64]bool{}
		for _, id := range rs.DeputyIDs {
			d, ok := byID[id]
			if !ok || seen[id] {
				t.Errorf("session %v: deputy %d unknown or twice", s.Starts, id)
			}
			seen[id] = true
			for _, u := range d.Unavailable {
				if !s.Date.Before(u.From) && !s.Date.After(u.To) {
					t.Errorf("session %v: %s is unavailable", s.Starts, d.Name)
				}
			}
			for _, b := range d.Busy {
				if s.Starts.Before(b.Ends) && b.Starts.Before(s.Ends) {
					t.Errorf("session %v: %s is busy %v–%v", s.Starts, d.Name, b.Starts, b.Ends)
				}
			}
			for _, o := range r.Sessions[:j] {
				if slices.Contains(o.DeputyIDs, id) && s.Starts.Before(o.Session.Ends) && o.Session.Starts.Before(s.Ends) {
					t.Errorf("%s in overlapping sessions %v and %v", d.Name, o.Session.Starts, s.Starts)
				}
			}
		}
	}
}

func TestGenerateFeasible(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sessions []schedule.Session
		deputies func() []schedule.RotaDeputy
		per      int
		wantSize []int // deputies per session
		wantLoad [2]int
	}{
		{
			// 10 deputies, 6 sessions: 12 seats, so two deputies go twice.
			name: "10名代表6次接待", sessions: yearSessions(t), per: 2,
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(10)
				ds[0].Leader, ds[5].Leader = true, true
				ds[2].New, ds[3].New, ds[7].New, ds[8].New = true, true, true, true
				return ds
			},
			wantSize: []int{2, 2, 2, 2, 2, 2}, wantLoad: [2]int{1, 2},
		},
		{
			// Exactly as many seats as deputies: everyone once.
			name: "12名代表6次接待", sessions: yearSessions(t), per: 2,
			deputies: func() []schedule.RotaDeputy { return deputies(12) },
			wantSize: []int{2, 2, 2, 2, 2, 2}, wantLoad: [2]int{1, 1},
		},
		{
			name: "3名代表12次接待", sessions: monthlySessions(t), per: 2,
			deputies: func() []schedule.RotaDeputy { return deputies(3) },
			wantSize: []int{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2}, wantLoad: [2]int{8, 8},
		},
		{
			name: "每次3名", sessions: monthlySessions(t), per: 3,
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(8)
				ds[1].New, ds[4].New, ds[6].New = true, true, true
				ds[7].Leader = true
				return ds
			},
			wantSize: []int{3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, wantLoad: [2]int{4, 5},
		},
		{
			// perSession 0 means the default, 2.
			name: "默认每次2名", sessions: yearSessions(t), per: 0,
			deputies: func() []schedule.RotaDeputy { return deputies(4) },
			wantSize: []int{2, 2, 2, 2, 2, 2}, wantLoad: [2]int{3, 3},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := tc.deputies()
			r := schedule.Generate(tc.sessions, ds, tc.per)
			if len(r.Problems) != 0 {
				t.Errorf("Generate problems = %v; want none", messages(r.Problems))
			}
			checkHardRules(t, r, ds)
			var size []int
			for _, rs := range r.Sessions {
				size = append(size, len(rs.DeputyIDs))
				hasNew, hasExperienced := false, false
				for _, id := range rs.DeputyIDs {
					if ds[id-1].New {
						hasNew = true
					} else {
						hasExperienced = true
					}
				}
				if hasNew && !hasExperienced {
					t.Errorf("session %v: new deputies %v without an experienced one", rs.Session.Date, rs.DeputyIDs)
				}
			}
			if !slices.Equal(size, tc.wantSize) {
				t.Errorf("deputies per session = %v; want %v", size, tc.wantSize)
			}
			l := loads(r)
			lo, hi := len(r.Sessions), 0
			for _, d := range ds {
				lo, hi = min(lo, l[d.ID]), max(hi, l[d.ID])
			}
			if [2]int{lo, hi} != tc.wantLoad {
				t.Errorf("loads %v: min %d, max %d; want %v", l, lo, hi, tc.wantLoad)
			}
			if got := schedule.Check(r, ds, tc.per); len(got) != 0 {
				t.Errorf("Check(Generate(…)) = %v; want no problems", messages(got))
			}
		})
	}
}

// Deputies take turns in the order given.
func TestGenerateTakesTurns(t *testing.T) {
	r := schedule.Generate(yearSessions(t), deputies(4), 2)
	var got [][]int64
	for _, rs := range r.Sessions {
		got = append(got, rs.DeputyIDs)
	}
	want := [][]int64{{1, 2}, {3, 4}, {1, 2}, {3, 4}, {1, 2}, {3, 4}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Generate = %v; want %v", got, want)
	}
}

func TestGenerateInfeasible(t *testing.T) {
	wholeYear := schedule.DateRange{From: day(t, "2026-01-01"), To: day(t, "2026-12-31")}
	busy := func(from, to string) schedule.TimeRange {
		return schedule.TimeRange{Starts: at(t, from), Ends: at(t, to)}
	}
	for _, tc := range []struct {
		name     string
		sessions []schedule.Session
		deputies func() []schedule.RotaDeputy
		want     []string // problem messages, in order
		wantCode []string
	}{
		{
			name: "站内只有1名代表", sessions: yearSessions(t)[:2],
			deputies: func() []schedule.RotaDeputy { return deputies(1) },
			want: []string{
				"站内只有1名代表，每次接待至少需要2名。",
				"2026-01-15 的接待只有1名代表可以参加（至少需要2名）。",
				"2026-03-16 的接待只有1名代表可以参加（至少需要2名）。",
			},
			wantCode: []string{schedule.ProblemStationTooSmall, schedule.ProblemUnderstaffed, schedule.ProblemUnderstaffed},
		},
		{
			name: "站内没有代表", sessions: yearSessions(t)[:1],
			deputies: func() []schedule.RotaDeputy { return nil },
			want: []string{
				"站内还没有代表，每次接待至少需要2名。",
				"2026-01-15 的接待没有代表可以参加（至少需要2名）。",
			},
		},
		{
			name: "没有接待日期", sessions: nil,
			deputies: func() []schedule.RotaDeputy { return deputies(3) },
			want:     []string{"没有可以安排代表的接待日期。"},
		},
		{
			name: "一名代表全年都不能参加", sessions: yearSessions(t),
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(4)
				ds[0].Unavailable = []schedule.DateRange{wholeYear}
				return ds
			},
			want:     []string{"王建国全年没有可以参加的接待日期。"},
			wantCode: []string{schedule.ProblemNoAvailableDate},
		},
		{
			name: "领导干部代表全年都不能参加", sessions: yearSessions(t),
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(4)
				ds[1].Leader = true
				ds[1].Busy = []schedule.TimeRange{busy("2026-01-01 00:00", "2027-01-01 00:00")}
				return ds
			},
			want: []string{"领导干部代表李秀英全年没有可以参加的接待日期。"},
		},
		{
			// Everyone is busy during 5/15, one deputy free on 7/15.
			name: "某次接待所有代表都有其他安排", sessions: yearSessions(t),
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(4)
				for i := range ds {
					ds[i].Busy = []schedule.TimeRange{busy("2026-05-15 09:30", "2026-05-15 10:00")}
					if i > 0 {
						ds[i].Busy = append(ds[i].Busy, busy("2026-07-15 10:59", "2026-07-15 12:00"))
					}
				}
				return ds
			},
			want: []string{
				"2026-05-15 的接待没有代表可以参加（至少需要2名）。",
				"2026-07-15 的接待只有1名代表可以参加（至少需要2名）。",
			},
		},
		{
			// The one experienced deputy is away on 3/16.
			name: "新任代表多于有经验的代表", sessions: yearSessions(t),
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(5)
				for i := 1; i < 5; i++ {
					ds[i].New = true
				}
				ds[0].Unavailable = []schedule.DateRange{{From: day(t, "2026-03-16")}}
				return ds
			},
			want: []string{
				"新任代表张伟在2026-03-16没有有经验的代表同场。",
				"新任代表刘洋在2026-03-16没有有经验的代表同场。",
			},
			wantCode: []string{schedule.ProblemNewUnpaired, schedule.ProblemNewUnpaired},
		},
		{
			name: "只有新任代表", sessions: yearSessions(t)[:1],
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(2)
				ds[0].New, ds[1].New = true, true
				return ds
			},
			want: []string{
				"新任代表王建国在2026-01-15没有有经验的代表同场。",
				"新任代表李秀英在2026-01-15没有有经验的代表同场。",
			},
		},
		{
			name: "代表名单重复", sessions: yearSessions(t)[:1],
			deputies: func() []schedule.RotaDeputy { return append(deputies(2), deputies(1)...) },
			want:     []string{"代表名单中王建国（编号1）出现了不止一次，只按第一次计算。"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := tc.deputies()
			r := schedule.Generate(tc.sessions, ds, 2)
			if got := messages(r.Problems); !slices.Equal(got, tc.want) {
				t.Errorf("Generate problems =\n %q\nwant\n %q", got, tc.want)
			}
			if tc.wantCode != nil && !slices.Equal(codes(r.Problems), tc.wantCode) {
				t.Errorf("Generate problem codes = %v; want %v", codes(r.Problems), tc.wantCode)
			}
			checkHardRules(t, r, ds)
			if got := schedule.Check(r, ds, 2); !reflect.DeepEqual(got, r.Problems) {
				t.Errorf("Check(Generate(…)) =\n %q\nwant\n %q", messages(got), messages(r.Problems))
			}
		})
	}
}

// A year with fewer seats than deputies keeps perSession per session and
// says so (001 二(二)); leaders keep their turn.
func TestGenerateTooFewSessions(t *testing.T) {
	december := monthlySessions(t)[11:]
	for _, tc := range []struct {
		name       string
		sessions   []schedule.Session
		deputies   func() []schedule.RotaDeputy
		per        int
		want       []string
		wantOnDuty [][]int64
	}{
		{
			name: "12月只剩1场接待，10名代表", sessions: december, per: 2,
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(10)
				ds[6].Leader, ds[9].Leader = true, true
				return ds
			},
			want: []string{
				"本年度只有1场接待，每场2名代表，无法让全部10名代表每年至少进站一次（还差8名）。可增加接待场次，或接受本年度部分代表不轮值。",
				"王建国全年没有安排接待。", "李秀英全年没有安排接待。", "张伟全年没有安排接待。", "刘洋全年没有安排接待。",
				"陈静全年没有安排接待。", "杨帆全年没有安排接待。", "黄敏全年没有安排接待。", "周涛全年没有安排接待。",
			},
			wantOnDuty: [][]int64{{7, 10}},
		},
		{
			name: "15名代表6次接待", sessions: yearSessions(t), per: 2,
			deputies: func() []schedule.RotaDeputy { return deputies(15) },
			want: []string{
				"本年度只有6场接待，每场2名代表，无法让全部15名代表每年至少进站一次（还差3名）。可增加接待场次，或接受本年度部分代表不轮值。",
				"马超全年没有安排接待。", "朱琳全年没有安排接待。", "胡斌全年没有安排接待。",
			},
			wantOnDuty: [][]int64{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}, {11, 12}},
		},
		{
			// A deputy who can come to no session is not counted short.
			name: "不能参加的代表不计入", sessions: yearSessions(t)[:1], per: 2,
			deputies: func() []schedule.RotaDeputy {
				ds := deputies(3)
				ds[2].Unavailable = []schedule.DateRange{{From: day(t, "2026-01-15")}}
				return ds
			},
			want:       []string{"张伟全年没有可以参加的接待日期。"},
			wantOnDuty: [][]int64{{1, 2}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := tc.deputies()
			r := schedule.Generate(tc.sessions, ds, tc.per)
			if got := messages(r.Problems); !slices.Equal(got, tc.want) {
				t.Errorf("Generate problems =\n %q\nwant\n %q", got, tc.want)
			}
			var got [][]int64
			for _, rs := range r.Sessions {
				got = append(got, rs.DeputyIDs)
			}
			if !reflect.DeepEqual(got, tc.wantOnDuty) {
				t.Errorf("Generate on duty = %v; want %v", got, tc.wantOnDuty)
			}
			if got := schedule.Check(r, ds, tc.per); !reflect.DeepEqual(got, r.Problems) {
				t.Errorf("Check(Generate(…)) =\n %q\nwant\n %q", messages(got), messages(r.Problems))
			}
		})
	}
}

// Pairing comes before balance: with one experienced deputy, they go to
// every session so that no new deputy is alone, and the loads are as even
// as that allows — which Check does not call uneven.
func TestGeneratePairingBeforeBalance(t *testing.T) {
	ds := deputies(6)
	for i := 1; i < 6; i++ {
		ds[i].New = true
	}
	r := schedule.Generate(yearSessions(t)[:5], ds, 2)
	if len(r.Problems) != 0 {
		t.Errorf("Generate problems = %v; want none", messages(r.Problems))
	}
	var got [][]int64
	for _, rs := range r.Sessions {
		got = append(got, rs.DeputyIDs)
	}
	if want := [][]int64{{1, 2}, {1, 4}, {1, 5}, {1, 6}, {1, 3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Generate = %v; want %v", got, want)
	}
}

// A deputy who holds seats at two levels sits at two stations; the second
// station's rota is made knowing the first's, and never books them twice.
func TestGenerateAcrossStations(t *testing.T) {
	sessions := yearSessions(t)
	shared := schedule.RotaDeputy{ID: 100, Name: "马超", Leader: true}
	stationA := append(deputies(2), shared)
	ra := schedule.Generate(sessions, stationA, 2)
	if len(ra.Problems) != 0 {
		t.Fatalf("station A problems = %v", messages(ra.Problems))
	}
	for _, rs := range ra.Sessions {
		if slices.Contains(rs.DeputyIDs, shared.ID) {
			shared.Busy = append(shared.Busy, schedule.TimeRange{Starts: rs.Session.Starts, Ends: rs.Session.Ends})
		}
	}
	if len(shared.Busy) == 0 {
		t.Fatal("station A never booked the shared deputy")
	}
	stationB := append(deputies(20)[10:12], shared)
	rb := schedule.Generate(sessions, stationB, 2)
	if len(rb.Problems) != 0 {
		t.Errorf("station B problems = %v", messages(rb.Problems))
	}
	checkHardRules(t, rb, stationB)
	for j := range sessions {
		if slices.Contains(ra.Sessions[j].DeputyIDs, shared.ID) && slices.Contains(rb.Sessions[j].DeputyIDs, shared.ID) {
			t.Errorf("%s booked at both stations on %v", shared.Name, sessions[j].Date)
		}
	}
	if loads(rb)[shared.ID] == 0 {
		t.Errorf("%s has no session at station B; a leader should take part", shared.Name)
	}

	// A booking that ends as the session starts does not clash.
	d := deputies(2)
	d[0].Busy = []schedule.TimeRange{{Starts: at(t, "2026-01-15 07:00"), Ends: at(t, "2026-01-15 09:00")}}
	d[1].Busy = []schedule.TimeRange{{Starts: at(t, "2026-01-15 11:00"), Ends: at(t, "2026-01-15 12:00")}}
	if r := schedule.Generate(sessions[:1], d, 2); len(r.Problems) != 0 {
		t.Errorf("Generate with adjacent bookings: problems %v; want none", messages(r.Problems))
	}
}

// Sessions of the station that overlap (two rules on one morning) never
// share a deputy.
func TestGenerateOverlappingSessions(t *testing.T) {
	sessions := []schedule.Session{
		{Date: day(t, "2026-04-15"), Starts: at(t, "2026-04-15 09:00"), Ends: at(t, "2026-04-15 11:00")},
		{Date: day(t, "2026-04-15"), Starts: at(t, "2026-04-15 10:00"), Ends: at(t, "2026-04-15 12:00")},
		{Date: day(t, "2026-04-15"), Starts: at(t, "2026-04-15 14:00"), Ends: at(t, "2026-04-15 16:00")},
	}
	ds := deputies(4)
	r := schedule.Generate(sessions, ds, 2)
	if len(r.Problems) != 0 {
		t.Errorf("Generate problems = %v; want none", messages(r.Problems))
	}
	checkHardRules(t, r, ds)

	// With three deputies, one morning session is short.
	r = schedule.Generate(sessions, ds[:3], 2)
	if got, want := messages(r.Problems), []string{"2026-04-15 10:00 的接待只安排了1名代表（至少需要2名）。"}; !slices.Equal(got, want) {
		t.Errorf("Generate problems = %q; want %q", got, want)
	}
	checkHardRules(t, r, ds[:3])
}

func TestGenerateDeterministic(t *testing.T) {
	ds := deputies(12)
	for i := range ds {
		ds[i].Leader = i%5 == 0
		ds[i].New = i%3 == 1
		if i%4 == 2 {
			ds[i].Unavailable = []schedule.DateRange{{From: day(t, "2026-03-01"), To: day(t, "2026-06-30")}}
		}
	}
	sessions := monthlySessions(t)
	first := schedule.Generate(sessions, ds, 2)
	for range 20 {
		if again := schedule.Generate(slices.Clone(sessions), slices.Clone(ds), 2); !reflect.DeepEqual(again, first) {
			t.Fatalf("Generate differs between runs:\n%v\n%v", again, first)
		}
	}
	// Sessions given out of order make the same rota.
	shuffled := slices.Clone(sessions)
	slices.Reverse(shuffled)
	if again := schedule.Generate(shuffled, ds, 2); !reflect.DeepEqual(again, first) {
		t.Errorf("Generate(reversed sessions) differs:\n%v\n%v", again, first)
	}
	if len(first.Problems) != 0 {
		t.Errorf("Generate problems = %v; want none", messages(first.Problems))
	}
}

func TestCheckEditedRota(t *testing.T) {
	ds := deputies(6)
	ds[0].Leader = true
	ds[4].New, ds[5].New = true, true // 陈静, 杨帆
	ds[3].Unavailable = []schedule.DateRange{{From: day(t, "2026-05-11"), To: day(t, "2026-05-20")}}
	ds[2].Busy = []schedule.TimeRange{{Starts: at(t, "2026-07-15 10:00"), Ends: at(t, "2026-07-15 10:30")}}
	// A rota the office made by hand: everyone twice, new deputies paired.
	sessions := yearSessions(t) // 1/15, 3/16, 5/15, 7/15, 9/15, 11/16
	ids := [][]int64{{1, 5}, {2, 6}, {3, 5}, {1, 6}, {2, 4}, {3, 4}}
	rota := func() schedule.Rota {
		var r schedule.Rota
		for j, s := range sessions {
			r.Sessions = append(r.Sessions, schedule.RotaSession{Session: s, DeputyIDs: slices.Clone(ids[j])})
		}
		return r
	}
	for _, tc := range []struct {
		name string
		edit func(ss []schedule.RotaSession) []schedule.RotaSession
		want []string
	}{
		{
			name: "原样",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession { return ss },
		},
		{
			name: "两位代表互换日期",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[0].DeputyIDs[0], ss[4].DeputyIDs[0] = 2, 1
				return ss
			},
		},
		{
			name: "取消一位代表",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[4].DeputyIDs = []int64{2}
				return ss
			},
			want: []string{"2026-09-15 的接待只安排了1名代表（至少需要2名）。"},
		},
		{
			name: "清空一次接待",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[4].DeputyIDs = nil
				return ss
			},
			want: []string{"2026-09-15 的接待还没有安排代表（至少需要2名）。"},
		},
		{
			name: "安排到已申报不能参加的日期",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[2].DeputyIDs = append(ss[2].DeputyIDs, 4)
				return ss
			},
			want: []string{"刘洋已申报2026-05-15不能参加，却被安排了接待。"},
		},
		{
			name: "安排到已有其他接待的时间",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[3].DeputyIDs = append(ss[3].DeputyIDs, 3)
				return ss
			},
			want: []string{"张伟在2026-07-15 09:00–11:00已有其他接待安排，不能重复安排。"},
		},
		{
			name: "安排了站外的代表",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[0].DeputyIDs = append(ss[0].DeputyIDs, 99)
				return ss
			},
			want: []string{"2026-01-15 的接待安排了不在本站代表名单中的代表（编号99）。"},
		},
		{
			name: "同一代表重复",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[0].DeputyIDs = append(ss[0].DeputyIDs, 1)
				return ss
			},
			want: []string{"王建国在2026-01-15的接待中重复出现。"},
		},
		{
			name: "新任代表没有老代表同场",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[1].DeputyIDs = []int64{5, 6}
				return ss
			},
			want: []string{
				"新任代表陈静在2026-03-16没有有经验的代表同场。",
				"新任代表杨帆在2026-03-16没有有经验的代表同场。",
				"接待次数不均衡：陈静安排了3次，李秀英只有1次；按各位代表可以参加的日期，可以安排得更均衡。",
			},
		},
		{
			name: "领导干部代表被换下",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[0].DeputyIDs[0], ss[3].DeputyIDs[0] = 2, 2
				return ss
			},
			want: []string{
				"领导干部代表王建国全年没有安排接待。",
				"接待次数不均衡：李秀英安排了4次，王建国没有安排；按各位代表可以参加的日期，可以安排得更均衡。",
			},
		},
		{
			name: "一位代表包揽",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				for j := range ss {
					if !slices.Contains(ss[j].DeputyIDs, 2) {
						ss[j].DeputyIDs = append(ss[j].DeputyIDs, 2)
					}
				}
				return ss
			},
			want: []string{"接待次数不均衡：李秀英安排了6次，王建国只有2次；按各位代表可以参加的日期，可以安排得更均衡。"},
		},
		{
			name: "新增一次时间重叠的接待",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				s := ss[0].Session
				s.Starts, s.Ends = s.Starts.Add(time.Hour), s.Ends.Add(time.Hour)
				return append(ss, schedule.RotaSession{Session: s, DeputyIDs: []int64{1, 3}})
			},
			want: []string{"王建国同时被安排了2026-01-15 09:00和2026-01-15 10:00两场时间重叠的接待。"},
		},
		{
			name: "结束时间不晚于开始时间",
			edit: func(ss []schedule.RotaSession) []schedule.RotaSession {
				ss[0].Session.Ends = ss[0].Session.Starts
				return ss
			},
			want: []string{"2026-01-15 的接待结束时间不晚于开始时间，请修改。"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rota()
			r.Sessions = tc.edit(r.Sessions)
			got := schedule.Check(r, ds, 2)
			if !slices.Equal(messages(got), tc.want) {
				t.Errorf("Check =\n %q\nwant\n %q", messages(got), tc.want)
			}
		})
	}

	// Problems name the deputy and the session concerned.
	r := rota()
	r.Sessions[2].DeputyIDs = append(r.Sessions[2].DeputyIDs, 4)
	want := []schedule.Problem{{
		Code:     schedule.ProblemUnavailable,
		Message:  "刘洋已申报2026-05-15不能参加，却被安排了接待。",
		DeputyID: 4,
		Starts:   at(t, "2026-05-15 09:00"),
	}}
	if got := schedule.Check(r, ds, 2); !reflect.DeepEqual(got, want) {
		t.Errorf("Check = %+v; want %+v", got, want)
	}
}

// A rota for weekly receptions with a large station stays quick.
func BenchmarkGenerateWeekly(b *testing.B) {
	anchor, from, to := year(b, "2026")
	sessions, err := rule("FREQ=WEEKLY;BYDAY=WE", schedule.NextWorkday).Sessions(realCalendar(b), anchor, from, to)
	if err != nil {
		b.Fatal(err)
	}
	ds := make([]schedule.RotaDeputy, 40)
	for i := range ds {
		ds[i] = schedule.RotaDeputy{ID: int64(i + 1), Name: fmt.Sprintf("代表%d", i+1), New: i%4 == 0, Leader: i%10 == 0}
	}
	for b.Loop() {
		schedule.Generate(sessions, ds, 3)
	}
}
