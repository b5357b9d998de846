package demo

import (
	"fmt"
	"time"

	"lianluo"
)

// The online station and receptions of the demo: what each station posts on
// its wall, a few answered opinions published, reception rules and the
// published rota of the current year.

// boardDuties and boardRules are worded after seeds 000 and 001.
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
	for i, s := range l.sts {
		intro := fmt.Sprintf("%s是人大代表联系选民群众的固定场所，共有%d名人大代表进站。选民可以在接待日当面反映，也可以随时在网上留言。", s.Name, len(l.ordinary(i))+1)
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
		if _, err := l.svc.Receptions.PublishRota(l.ctx, s.ID, year); err != nil && lianluo.ErrorCode(err) != lianluo.ESTATE {
			return fmt.Errorf("publish rota of %s: %w", s.Name, err)
		}
		l.res.Receptions += len(rota.Sessions)
	}
	return nil
}
