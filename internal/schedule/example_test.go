package schedule_test

import (
	"fmt"
	"time"

	"lianluo"
	"lianluo/internal/holidays"
	"lianluo/internal/schedule"
)

// 000: 每单月十五日上午9:00—11:00, planned for 2026 on the official calendar.
func ExampleRule_Sessions() {
	cal, err := lianluo.NewCalendar(holidays.Days())
	if err != nil {
		panic(err)
	}
	r := schedule.Rule{
		RRule:     "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYMONTHDAY=15",
		Start:     "09:00",
		End:       "11:00",
		OnHoliday: schedule.NextWorkday,
		Form:      schedule.FormFixed,
	}
	jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	dec31 := time.Date(2026, 12, 31, 0, 0, 0, 0, lianluo.Beijing)
	sessions, err := r.Sessions(cal, jan1, jan1, dec31)
	if err != nil {
		fmt.Println(lianluo.ErrorMessage(err))
		return
	}
	fmt.Println(r.Describe())
	for _, s := range sessions {
		line := s.Starts.Format("2006-01-02 15:04") + "–" + s.Ends.Format("15:04")
		if s.Moved {
			line += "（原定" + s.MovedFrom.Format("1月2日") + "）"
		}
		fmt.Println(line)
	}
	// Output:
	// 每年1、3、5、7、9、11月15日 09:00–11:00，遇节假日顺延至下一个工作日
	// 2026-01-15 09:00–11:00
	// 2026-03-16 09:00–11:00（原定3月15日）
	// 2026-05-15 09:00–11:00
	// 2026-07-15 09:00–11:00
	// 2026-09-15 09:00–11:00
	// 2026-11-16 09:00–11:00（原定11月15日）
}

func ExampleGenerate() {
	day := func(s string) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, s, lianluo.Beijing)
		return t
	}
	var sessions []schedule.Session
	for _, d := range []string{"2026-01-15", "2026-03-16", "2026-05-15"} {
		sessions = append(sessions, schedule.Session{
			Date:   day(d),
			Starts: day(d).Add(9 * time.Hour),
			Ends:   day(d).Add(11 * time.Hour),
		})
	}
	deputies := []schedule.RotaDeputy{
		{ID: 1, Name: "王建国", Leader: true},
		{ID: 2, Name: "李秀英"},
		{ID: 3, Name: "张伟", New: true},
		{ID: 4, Name: "刘洋", New: true,
			Unavailable: []schedule.DateRange{{From: day("2026-01-01"), To: day("2026-12-31")}}},
	}
	rota := schedule.Generate(sessions, deputies, 2)
	for _, rs := range rota.Sessions {
		fmt.Println(rs.Session.Date.Format(time.DateOnly), rs.DeputyIDs)
	}
	for _, p := range rota.Problems {
		fmt.Println(p.Code, p.Message)
	}
	// Output:
	// 2026-01-15 [1 3]
	// 2026-03-16 [2 3]
	// 2026-05-15 [1 2]
	// no_available_date 刘洋全年没有可以参加的接待日期。
}
