package demo

import (
	"bytes"
	"cmp"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"time"

	"lianluo"
)

// The online station and receptions of the demo: what each station posts on
// its wall, a few answered opinions published, reception rules and the
// published rota of the current year.

// boardDuties and boardRules are worded after 000 and 001 (docs/architecture.md).
const (
	boardDuties = "一、定期组织人大代表接待选民群众，听取和反映群众的意见和要求；\n" +
		"二、组织代表开展视察、调研、执法检查等活动；\n" +
		"三、对群众反映的问题梳理分类、报送交办、跟踪督办，做到件件有回音；\n" +
		"四、向选民宣传人民代表大会制度和法律法规，通报代表履职情况。"
	boardRules = "代表接待制度：代表按轮值表进站接待，本人签到，不能参加的提前请假。\n" +
		"意见办理制度：接访登记→梳理→报送→交办→催办→反馈→督办→存档，直到代表基本满意为止。\n" +
		"满意度测评制度：每次接待结束后对接待情况和问题处理情况开展满意度测评。"
)

func (l *loader) boards() error {
	for _, s := range l.sts {
		intro := fmt.Sprintf("%s是人大代表联系选民群众的固定场所，共有%d名人大代表进站。选民可以在接待日当面反映，也可以随时在网上留言。", s.Name, l.stationDeputies(s.ID))
		schedule := "每月15日上午9:00—11:00由进站代表轮流接待选民，遇节假日顺延至下一个工作日。"
		if s.Kind != lianluo.StationCenter {
			schedule = "每月第一个星期二下午2:30—4:30由进站代表轮流接待选民，遇节假日顺延。"
		}
		b := lianluo.StationBoard{Intro: intro, Duties: boardDuties, Rules: boardRules, Schedule: schedule}
		st, err := l.svc.Stations.FindStationByID(l.ctx, s.ID)
		if err != nil {
			return err
		}
		if _, err := l.svc.Stations.UpdateStation(l.ctx, s.ID, lianluo.StationUpdate{Board: &b, Version: st.Version}); err != nil {
			return fmt.Errorf("board of %s: %w", s.Name, err)
		}
	}
	return nil
}

// stationDeputies counts the deputies who serve at a station, those of
// other stations who also serve here included: the number the station's
// page lists under its introduction.
func (l *loader) stationDeputies(id int64) int {
	n := 0
	for _, ds := range l.deps {
		for _, d := range ds {
			if d.Status == lianluo.DeputyInOffice && slices.Contains(d.StationIDs, id) {
				n++
			}
		}
	}
	return n
}

// publish puts the demo's answered opinions into the public results.
func (l *loader) publish() error {
	cs, _, err := l.svc.Cases.FindCases(l.ctx, lianluo.CaseFilter{Status: lianluo.PublishableStatuses, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.MasterID != nil || c.Outcome == "" {
			continue
		}
		if _, err := l.svc.Cases.PublishCase(l.ctx, c.ID, lianluo.PublishInput{Version: c.Version, Published: true}); err != nil {
			return fmt.Errorf("publish case %d: %w", c.ID, err)
		}
	}
	return nil
}

// receptions gives every station a rule and publishes the rest of the
// current year's rota (when the year's holiday calendar is known).
func (l *loader) receptions() error {
	// Activities ride this step (activities below).
	if err := l.activities(); err != nil {
		return err
	}
	// So do the diaries and the mailbox (diaryAndMailbox below).
	if err := l.diaryAndMailbox(); err != nil {
		return err
	}
	// And the duty records (dutyRecords, duty.go).
	if err := l.dutyRecords(); err != nil {
		return err
	}
	// And this year's 述职 plan (reportPlans, reports.go).
	if err := l.reportPlans(); err != nil {
		return err
	}
	cal, err := l.svc.Settings.Calendar(l.ctx)
	if err != nil {
		return err
	}
	for _, s := range l.sts {
		r := &lianluo.ReceptionRule{StationID: s.ID, RRule: "FREQ=MONTHLY;BYMONTHDAY=15", Start: "09:00", End: "11:00", Form: "fixed"}
		if s.Kind != lianluo.StationCenter {
			r = &lianluo.ReceptionRule{StationID: s.ID, RRule: "FREQ=MONTHLY;BYDAY=1TU", Start: "14:30", End: "16:30", Form: "fixed"}
		}
		if err := l.svc.Receptions.CreateReceptionRule(l.ctx, r); err != nil {
			return fmt.Errorf("reception rule of %s: %w", s.Name, err)
		}
	}
	year := time.Now().In(lianluo.Beijing).Year()
	if !cal.HasYear(year) {
		return nil
	}
	// The stations published the year's rota in January: the sessions held
	// since carry their attendance (heldReceptions), so that 出勤, 履职积分,
	// 履职档案 and the books have a year behind them.
	realNow := time.Now()
	if l.clock != nil {
		jan := time.Date(year, 1, 2, 9, 0, 0, 0, lianluo.Beijing)
		old := l.clock.Set(func() time.Time { return jan })
		realNow = old()
		defer l.clock.Set(old)
		if realNow.Before(jan) {
			l.clock.Set(old)
		}
	}
	for _, s := range l.sts {
		rota, err := l.svc.Receptions.GenerateRota(l.ctx, s.ID, year)
		if err != nil {
			return fmt.Errorf("rota of %s: %w", s.Name, err)
		}
		publishable := false
		for _, r := range rota.Sessions {
			publishable = publishable || r.Status == lianluo.ReceptionDraft
		}
		if !publishable {
			continue
		}
		// Accepting: late in the year the rules leave too few sessions for every deputy.
		if _, err := l.svc.Receptions.PublishRotaAccepting(l.ctx, s.ID, year); err != nil && lianluo.ErrorCode(err) != lianluo.ESTATE {
			return fmt.Errorf("publish rota of %s: %w", s.Name, err)
		}
		l.res.Receptions += len(rota.Sessions)
	}
	return l.heldReceptions(realNow)
}

// heldReceptions records the sessions held before now as the liaison would
// have after each: the deputies present (one in nine or so absent, never
// the same pattern twice) and a few visitors.
func (l *loader) heldReceptions(now time.Time) error {
	if l.clock == nil {
		return nil
	}
	for _, s := range l.sts {
		list, _, err := l.svc.Receptions.FindReceptions(l.ctx, lianluo.ReceptionFilter{StationID: s.ID, To: &now, Page: lianluo.AllRows()})
		if err != nil {
			return err
		}
		for i, r := range list {
			if r.Status != lianluo.ReceptionPublished || !r.EndsAt.Before(now) {
				continue
			}
			l.clock.SetTime(r.EndsAt.Add(20 * time.Minute))
			for j, d := range r.Deputies {
				att := lianluo.AttendPresent
				if (i*7+j*3+int(s.ID))%9 == 0 {
					att = lianluo.AttendAbsent
				}
				if err := l.svc.Attendance.MarkAttendance(l.ctx, lianluo.KindReception, r.ID, d.DeputyID, att); err != nil {
					return fmt.Errorf("attendance at %s %s: %w", s.Name, r.StartsAt.Format(time.DateOnly), err)
				}
			}
			visitors := 3 + (i*5+int(s.ID))%9
			if _, err := l.svc.Receptions.RecordReception(l.ctx, r.ID, r.Version, lianluo.ReceptionRecord{Visitors: visitors,
				Minutes: fmt.Sprintf("接待选民%d人次，听取了群众对道路、环境和物业等方面的意见，当场答复能解决的，其余登记后按程序报送。", visitors)}); err != nil {
				return fmt.Errorf("record of %s %s: %w", s.Name, r.StartsAt.Format(time.DateOnly), err)
			}
		}
	}
	return nil
}

// activities adds a few 代表活动 at the first station: an inspection next
// month with its notice given, and a deputy group meeting held ten days
// ago, entered afterwards (补录) with its record and attendance.
func (l *loader) activities() error {
	if l.svc.Activities == nil || len(l.sts) == 0 {
		return nil
	}
	s := l.sts[0]
	now := time.Now().In(lianluo.Beijing)
	day := func(d time.Time, clock string) string { return d.Format("2006-01-02") + "T" + clock }
	next := now.AddDate(0, 1, 0)
	x, err := l.svc.Activities.CreateActivity(l.ctx, lianluo.ActivityInput{Kind: lianluo.ActivityInspection, Title: "视察老旧小区改造和加装电梯工作",
		Content: "实地查看辖区老旧小区改造进度和既有住宅加装电梯情况，听取街道和住建部门汇报，提出意见建议。", StationID: &s.ID,
		StartsAt: day(next, "09:00"), EndsAt: day(next, "11:30")})
	if err != nil {
		return fmt.Errorf("demo inspection: %w", err)
	}
	// The store's clock (a test's may be fixed) is the creation time: the
	// demo's dates count from it.
	now = x.CreatedAt.In(lianluo.Beijing)
	next = now.AddDate(0, 1, 0)
	starts, ends := day(next, "09:00"), day(next, "11:30")
	if x, err = l.svc.Activities.UpdateActivity(l.ctx, x.ID, lianluo.ActivityUpdate{StartsAt: &starts, EndsAt: &ends, Version: x.Version}); err != nil {
		return fmt.Errorf("demo inspection: %w", err)
	}
	if _, err := l.svc.Activities.PublishActivity(l.ctx, x.ID, x.Version); err != nil {
		return fmt.Errorf("publish demo inspection: %w", err)
	}
	// A group with members at that station, if any.
	groups, _, err := l.svc.Groups.FindGroups(l.ctx, lianluo.GroupFilter{Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	// The station's own town's group first: the demo's town accounts see it.
	slices.SortStableFunc(groups, func(a, b *lianluo.DeputyGroup) int {
		return cmp.Compare(boolRank(a.RegionCode != s.RegionCode), boolRank(b.RegionCode != s.RegionCode))
	})
	for _, g := range groups {
		full, err := l.svc.Groups.FindGroupByID(l.ctx, g.ID)
		if err != nil {
			return err
		}
		if len(full.Members) == 0 {
			continue
		}
		past := now.AddDate(0, 0, -10)
		m, err := l.svc.Activities.CreateActivity(l.ctx, lianluo.ActivityInput{Kind: lianluo.ActivityGroupMeeting, Title: "学习代表法，交流履职体会",
			Content: "集体学习《代表法》，交流近期联系群众情况。", GroupID: &g.ID, StartsAt: day(past, "14:30"), EndsAt: day(past, "16:30")})
		if err != nil {
			return fmt.Errorf("demo group meeting: %w", err)
		}
		m, err = l.svc.Activities.RecordActivity(l.ctx, m.ID, m.Version, lianluo.ActivityRecord{
			Minutes:  "小组组长主持，集体学习《代表法》第四章。各位代表交流了近期走访选民、收集意见的情况。",
			Outcomes: "建议加快背街小巷路灯修复；建议在社区增设老年助餐点。"})
		if err != nil {
			return fmt.Errorf("record demo group meeting: %w", err)
		}
		for i, d := range m.DeputyIDs {
			att := lianluo.AttendPresent
			if i == len(m.DeputyIDs)-1 && i > 0 {
				att = lianluo.AttendAbsent
			}
			if err := l.svc.Attendance.MarkAttendance(l.ctx, lianluo.KindActivity, m.ID, d, att); err != nil {
				return fmt.Errorf("attendance at demo group meeting: %w", err)
			}
		}
		break
	}
	return nil
}

// diaryAndMailbox adds the demo deputy's 民情日记 — one entry signed
// by the voter, one confirmed and turned into a case, one still waiting
// for the voter — and an opening of the station's 代表信箱 with two letters.
// Dates count back from the station's creation (the store's clock).
func (l *loader) diaryAndMailbox() error {
	if l.svc.Diary == nil || l.svc.Mailbox == nil {
		return nil
	}
	// The demo deputy account's (users): slot 2 of the town's center station.
	center := slices.IndexFunc(stations, func(sp stationSpec) bool {
		return sp.town == demoTown && sp.kind == lianluo.StationCenter
	})
	if center < 0 || center >= len(l.sts) || len(l.deps[center]) < 3 {
		return nil
	}
	s, d := l.sts[center], l.deps[center][2]
	now := s.CreatedAt.In(lianluo.Beijing)
	at := func(days int, clock string) string {
		return now.AddDate(0, 0, -days).Format("2006-01-02") + "T" + clock
	}
	// The deputy writes their own diary (003): act as them.
	ctx := lianluo.NewContextWithActor(l.ctx, &lianluo.Actor{
		User:  &lianluo.User{DisplayName: d.Name, Roles: []lianluo.Grant{{Role: lianluo.RoleDeputy, DeputyID: &d.ID}}},
		Scope: lianluo.Scope{Deputies: []int64{d.ID}, Stations: []int64{s.ID}}})
	entries := []lianluo.DiaryInput{
		{VisitedAt: at(6, "15:00"), Place: "灵峰社区3号楼", VoterName: "张桂芳", VoterPhone: "13905740001",
			Content: "楼道灯坏了一个月，老人夜里上下楼不安全。", Handling: "已向社区反映，请物业一周内修复。", Category: "小区物业"},
		{VisitedAt: at(4, "10:00"), Place: "新碶菜场门口", VoterName: "刘建华",
			Content: "菜场门口早市占道，公交车经常堵在这里，希望规范摊位。", Handling: "转有关部门研究。", Category: "交通出行"},
		{VisitedAt: at(1, "16:30"), Place: "大碶街道敬老院", VoterName: "陈阿婆", VoterPhone: "13905740002",
			Content: "希望敬老院增加康复理疗设施。", Category: "民政服务"},
	}
	sig := demoSignature()
	for i, in := range entries {
		e, err := l.svc.Diary.CreateDiaryEntry(ctx, in)
		if err != nil {
			return fmt.Errorf("demo diary entry: %w", err)
		}
		if i == 2 {
			break // waits for the voter
		}
		if _, err := l.svc.Diary.ConfirmDiaryBySignature(ctx, e.ID, sig); err != nil {
			return fmt.Errorf("confirm demo diary entry: %w", err)
		}
		if i == 1 {
			if _, err := l.svc.Diary.DiaryToCase(ctx, e.ID); err != nil {
				return fmt.Errorf("demo diary entry to a case: %w", err)
			}
			l.res.Cases++
		}
	}
	openers := []string{d.Name}
	if len(s.Liaisons) > 0 {
		openers = append(openers, s.Liaisons[0].Name)
	}
	_, err := l.svc.Mailbox.RecordOpening(l.ctx, s.ID, lianluo.OpeningInput{OpenedAt: at(3, "09:00"), OpenedBy: openers,
		Letters: []lianluo.Letter{
			{WriterName: "赵大海", WriterPhone: "13805740003", Content: "庐山西路夜间渣土车噪声大，影响休息，希望限制通行时间。", Category: "噪声扰民"},
			{Anonymous: true, Content: "小区门口人行道被长期占用停车，行人只能走机动车道。", Category: "停车管理"},
		}})
	if err != nil {
		return fmt.Errorf("demo mailbox opening: %w", err)
	}
	return nil
}

// demoSignature draws a scribble as the signature pad would send it.
func demoSignature() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 300, 120))
	for x := 20; x < 280; x++ {
		y := 60 + (x%40-20)*(x%40-20)/20 - 10
		img.Set(x, y, color.Black)
		img.Set(x, y+1, color.Black)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
