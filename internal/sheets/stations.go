package sheets

import (
	"context"
	"strings"

	"lianluo"
)

var stationKinds = newChoices([][2]string{
	{lianluo.StationCenter, lianluo.StationKindNames[lianluo.StationCenter]},
	{lianluo.StationVillage, lianluo.StationKindNames[lianluo.StationVillage]},
	{lianluo.StationHome, lianluo.StationKindNames[lianluo.StationHome]},
	{lianluo.StationRoom, lianluo.StationKindNames[lianluo.StationRoom]},
}, map[string]string{
	"村联络站":      lianluo.StationVillage,
	"社区联络站":     lianluo.StationVillage,
	"村（社区）联络站":  lianluo.StationVillage,
	"村社区联络站":    lianluo.StationVillage,
	"村、社区联络站":   lianluo.StationVillage,
	"人大代表之家":    lianluo.StationHome,
	"接待室":       lianluo.StationRoom,
	"人大代表接待室":   lianluo.StationRoom,
	"代表联络站接待室":  lianluo.StationRoom,
	"人大代表中心联络站": lianluo.StationCenter,
})

var stationsKind = kind{
	name:  "stations",
	title: "联络站",
	columns: []column{
		idColumn,
		{title: "联络站名称", required: true, field: "name", width: 28, aliases: []string{"名称", "站名"},
			note: "不超过100字；同一行政区划下不能重名。", example: "大碶街道中心联络站"},
		{title: "类型", required: true, field: "kind", width: 14, choices: stationKinds.names, aliases: []string{"联络站类型"},
			note: "中心联络站、村/社区联络站、代表之家、代表接待室 之一。", example: "中心联络站"},
		{title: "行政区划代码", required: true, field: "region_code", width: 16, text: true, aliases: []string{"区划代码", "行政区划"},
			note: "联络站所在行政区划的统计用区划代码，如 330206004（大碶街道）、330206004002（坝头社区）。", example: "330206004"},
		{title: "主管人大机构", required: true, field: "org_id", width: 22, aliases: []string{"主管机构"},
			note: "管理该站的人大机构名称（或编号），须已导入；其辖区须包含联络站所在的行政区划。", example: "大碶街道人大工委"},
		{title: "地址", field: "address", width: 32, note: "不超过200字。", example: "宁波市北仑区大碶街道××路××号"},
		{title: "开放时间", field: "opening_hours", width: 20, note: "不超过200字。", example: "每周三 9:00-11:30"},
		{title: "联系电话", field: "phone", width: 16, text: true,
			note: "11位手机号，或带区号的固定电话（如 0574-86881234）。", example: "0574-86885678"},
		{title: "站长（代表姓名）", field: "head_deputy_id", width: 14, aliases: []string{"站长"},
			note: "担任站长的代表姓名（或编号），该代表须已导入。可不填。", example: "张三"},
		{title: "联络员", field: "liaisons", width: 30,
			note: "每人写“姓名 电话”，多人之间用“；”或换行分隔；电话可不填。最多20人。", example: "李四 13800001111；王五 13900002222"},
		{title: "进站代表", field: "deputy_ids", width: 30, aliases: []string{"代表"},
			note: "在本站联系群众的代表姓名（或编号），多人用“、”分隔；代表须已导入。每站至少安排2名代表。", example: "张三、赵六"},
		activeColumn,
	},
	notes: []string{"6. 先导入机构和代表，再导入联络站；代表的“联络站”也可以在这里通过“进站代表”填写。"},
	export: func(ctx context.Context, svc lianluo.Services) ([][]any, error) {
		ss, _, err := svc.Stations.FindStations(ctx, lianluo.StationFilter{Page: lianluo.AllRows()})
		if err != nil {
			return nil, err
		}
		var rows [][]any
		for _, s := range ss {
			var ls, ds []string
			for _, l := range s.Liaisons {
				ls = append(ls, strings.TrimSpace(l.Name+" "+l.Phone))
			}
			for _, d := range s.Deputies {
				ds = append(ds, d.Name)
			}
			rows = append(rows, []any{s.ID, s.Name, stationKinds.name(s.Kind), s.RegionCode, s.OrgName,
				s.Address, s.OpeningHours, s.Phone, s.HeadName, strings.Join(ls, "；"), strings.Join(ds, "、"),
				activeNames[s.Active]})
		}
		return rows, nil
	},
	load: func(ctx context.Context, svc lianluo.Services, k *kind, recs []record) (int, error) {
		return load(ctx, k, recs, parseStation, svc.Imports.ImportStations)
	},
}

func parseStation(r record, p *problems) lianluo.StationRow {
	return lianluo.StationRow{
		Station: lianluo.Station{
			Kind:         p.choice(r, "类型", stationKinds, ""),
			Name:         r.get("联络站名称"),
			RegionCode:   r.get("行政区划代码"),
			Address:      r.get("地址"),
			OpeningHours: r.get("开放时间"),
			Phone:        r.get("联系电话"),
			Liaisons:     parseLiaisons(r.get("联络员")),
		},
		Org:      r.get("主管人大机构"),
		Head:     r.get("站长（代表姓名）"),
		Deputies: splitList(r.get("进站代表")),
	}
}

// parseLiaisons reads "姓名 电话；姓名 电话". A bare phone number following a
// name without one belongs to that name: "李四,13800001111" splits at the
// comma like any list.
func parseLiaisons(s string) []lianluo.Liaison {
	var out []lianluo.Liaison
	for _, item := range splitList(s) {
		name, phone := splitNamePhone(item)
		if name == "" && len(out) > 0 && out[len(out)-1].Phone == "" {
			out[len(out)-1].Phone = phone
			continue
		}
		out = append(out, lianluo.Liaison{Name: name, Phone: phone})
	}
	return out
}
