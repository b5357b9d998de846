package sheets

import (
	"context"
	"strconv"
	"strings"

	"lianluo"
)

var genders = newChoices([][2]string{{"male", lianluo.GenderNames["male"]}, {"female", lianluo.GenderNames["female"]}},
	map[string]string{"男性": "male", "女性": "female"})

var deputyStatuses = newChoices([][2]string{
	{lianluo.DeputyInOffice, lianluo.DeputyStatusNames[lianluo.DeputyInOffice]},
	{lianluo.DeputyTerminated, lianluo.DeputyStatusNames[lianluo.DeputyTerminated]},
	{lianluo.DeputyTransferred, lianluo.DeputyStatusNames[lianluo.DeputyTransferred]},
}, map[string]string{"资格终止": lianluo.DeputyTerminated, "终止": lianluo.DeputyTerminated, "调离": lianluo.DeputyTransferred})

// deputyLevels are the deputy levels with the short forms offices write.
var deputyLevels = func() choices {
	var pairs [][2]string
	for _, l := range lianluo.DeputyLevels {
		pairs = append(pairs, [2]string{l, lianluo.DeputyLevelNames[l]})
	}
	aliases := map[string]string{}
	for short, level := range map[string]string{
		"全国": lianluo.DeputyNational,
		"省":  lianluo.DeputyProvincial, "省级": lianluo.DeputyProvincial,
		"市": lianluo.DeputyCity, "市级": lianluo.DeputyCity, "设区的市": lianluo.DeputyCity,
		"区": lianluo.DeputyCounty, "县": lianluo.DeputyCounty, "区县": lianluo.DeputyCounty, "县区": lianluo.DeputyCounty,
		"县(区)": lianluo.DeputyCounty, "区(县)": lianluo.DeputyCounty, "县级": lianluo.DeputyCounty,
		"乡": lianluo.DeputyTownship, "镇": lianluo.DeputyTownship, "乡镇": lianluo.DeputyTownship, "乡级": lianluo.DeputyTownship,
	} {
		aliases[short] = level
		aliases[short+"人大代表"] = level
		aliases[short+"代表"] = level
	}
	return newChoices(pairs, aliases)
}()

var deputiesKind = kind{
	name:  "deputies",
	title: "代表",
	columns: []column{
		idColumn,
		{title: "姓名", required: true, field: "name", width: 10, note: "不超过50字。", example: "张三"},
		{title: "性别", required: true, field: "gender", width: 6, choices: genders.names, note: "男 或 女。", example: "男"},
		{title: "手机号", field: "phone", width: 14, text: true, aliases: []string{"联系电话", "手机"},
			note: "11位手机号，或带区号的固定电话。", example: "13800001111"},
		{title: "民族", field: "ethnicity", width: 8, note: "不超过20字。", example: "汉族"},
		{title: "政治面貌", field: "party", width: 10, note: "不超过30字。", example: "中共党员"},
		{title: "职业", field: "occupation", width: 12, note: "不超过100字。", example: "企业管理"},
		{title: "工作单位及职务", field: "work_unit", width: 28, aliases: []string{"工作单位", "单位及职务"},
			note: "不超过200字。", example: "宁波××机械有限公司总经理"},
		{title: "行政区划代码", required: true, field: "region_code", width: 16, text: true, aliases: []string{"区划代码", "行政区划"},
			note: "代表所属的行政区划代码（由哪里的人大管理），如 330206004（大碶街道）。", example: "330206004"},
		{title: "代表层级", required: true, field: "seats", width: 24, aliases: []string{"层级", "代表级别"},
			note:    "全国人大代表、省人大代表、市人大代表、区县人大代表、乡镇人大代表；兼任几级的用“、”分隔。也可简写为 全国、省、市、区、县、区县、乡、镇、乡镇。",
			example: "市人大代表、区县人大代表"},
		{title: "届次", width: 10, text: true,
			note: "与代表层级一一对应的届次数字，用“、”分隔，如“16、18”（也可写“第十八届”）；可不填。", example: "16、18"},
		{title: "选区", width: 18, note: "与代表层级一一对应，用“、”分隔；可不填。", example: "、第3选区"},
		{title: "代表小组", field: "group_id", width: 16, note: "所属代表小组的名称（或编号），须已在系统中建立；可不填。", example: "大碶代表小组"},
		{title: "联络站", field: "station_ids", width: 24, aliases: []string{"所在联络站", "进站"},
			note: "进站的联络站名称（或编号），多个用“、”分隔，须已导入；也可在导入联络站时通过“进站代表”填写。可不填。", example: "大碶街道中心联络站"},
		{title: "领导干部", field: "leader", width: 8, choices: yesNo.names, aliases: []string{"领导干部代表"},
			note: "是否领导干部代表：是 或 否，不填为否。", example: "否"},
		{title: "状态", field: "status", width: 12, choices: deputyStatuses.names,
			note: "在任、代表资格终止 或 已调离，不填为在任。", example: "在任"},
	},
	notes: []string{"6. 代表小组请先在系统中建立。导入代表时如联络站尚未建立，“联络站”列可先不填，之后在联络站表的“进站代表”列中填写。"},
	export: func(ctx context.Context, svc lianluo.Services) ([][]any, error) {
		ds, _, err := svc.Deputies.FindDeputies(ctx, lianluo.DeputyFilter{Page: lianluo.AllRows()})
		if err != nil {
			return nil, err
		}
		var rows [][]any
		for _, d := range ds {
			var levels, terms, places, stations []string
			anyTerm, anyPlace := false, false
			for _, s := range d.Seats {
				levels = append(levels, deputyLevels.name(s.Level))
				terms = append(terms, strconv.Itoa(s.Term))
				places = append(places, s.Constituency)
				anyTerm = anyTerm || s.Term != 0
				anyPlace = anyPlace || s.Constituency != ""
			}
			if !anyTerm {
				terms = nil
			}
			if !anyPlace {
				places = nil
			}
			for _, s := range d.Stations {
				stations = append(stations, s.Name)
			}
			rows = append(rows, []any{d.ID, d.Name, genders.name(d.Gender), d.Phone, d.Ethnicity, d.Party,
				d.Occupation, d.WorkUnit, d.RegionCode, strings.Join(levels, "、"), strings.Join(terms, "、"),
				strings.Join(places, "、"), d.GroupName, strings.Join(stations, "、"),
				yesName(d.Leader), deputyStatuses.name(d.Status)})
		}
		return rows, nil
	},
	load: func(ctx context.Context, svc lianluo.Services, k *kind, recs []record) (int, error) {
		return load(ctx, k, recs, parseDeputy, svc.Imports.ImportDeputies)
	},
}

func parseDeputy(r record, p *problems) lianluo.DeputyRow {
	return lianluo.DeputyRow{
		Deputy: lianluo.Deputy{
			Name:       r.get("姓名"),
			Gender:     p.choice(r, "性别", genders, ""),
			Phone:      r.get("手机号"),
			Ethnicity:  r.get("民族"),
			Party:      r.get("政治面貌"),
			Occupation: r.get("职业"),
			WorkUnit:   r.get("工作单位及职务"),
			RegionCode: r.get("行政区划代码"),
			Seats:      parseSeats(r, p),
			Leader:     p.yes(r, "领导干部"),
			Status:     p.choice(r, "状态", deputyStatuses, lianluo.DeputyInOffice),
		},
		Group:    r.get("代表小组"),
		Stations: splitList(r.get("联络站")),
	}
}

// parseSeats reads 代表层级 with the 届次 and 选区 that line up with it.
// A blank 代表层级 is left to the store, which asks for at least one.
func parseSeats(r record, p *problems) []lianluo.Seat {
	var seats []lianluo.Seat
	ok := true
	for _, l := range splitList(r.get("代表层级")) {
		level, known := deputyLevels.codes[choiceKey(l)]
		if !known {
			p.add(r, "代表层级", "代表层级“%s”无法识别，可填：%s（也可简写为 全国、省、市、区县、乡镇）。",
				lianluo.Truncate(l, 20), strings.Join(deputyLevels.names, "、"))
			ok = false
			continue
		}
		seats = append(seats, lianluo.Seat{Level: level})
	}
	if terms := splitAligned(r.get("届次")); terms != nil {
		if len(terms) != len(seats) && ok {
			p.add(r, "届次", "届次有%d个，代表层级有%d个，请一一对应填写，如“16、18”。", len(terms), len(seats))
		} else {
			for i, t := range terms {
				if t == "" {
					continue
				}
				n, good := parseTerm(t)
				if !good {
					p.add(r, "届次", "届次“%s”应为数字，如“18”。", lianluo.Truncate(t, 20))
				} else if i < len(seats) {
					seats[i].Term = n
				}
			}
		}
	}
	if places := splitAligned(r.get("选区")); places != nil {
		if len(places) != len(seats) && ok {
			p.add(r, "选区", "选区有%d个，代表层级有%d个，请一一对应填写，不知道的留空，如“、第3选区”。", len(places), len(seats))
		} else {
			for i, c := range places {
				if i < len(seats) {
					seats[i].Constituency = c
				}
			}
		}
	}
	return seats
}
