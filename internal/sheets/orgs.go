package sheets

import (
	"context"

	"lianluo"
)

var orgKinds = newChoices([][2]string{
	{lianluo.OrgNPC, lianluo.OrgKindNames[lianluo.OrgNPC]},
	{lianluo.OrgUnit, lianluo.OrgKindNames[lianluo.OrgUnit]},
}, map[string]string{"人大": lianluo.OrgNPC, "职能部门": lianluo.OrgUnit})

// activeNames are the values of the export-only 状态 column.
var activeNames = map[bool]string{true: "启用", false: "停用"}

// idColumn is the export-only 编号 column: the record's ID, which rows may
// use instead of a name that is not unique.
var idColumn = column{title: "编号", width: 8, exportOnly: true, aliases: []string{"ID", "序号"}}

// activeColumn is the export-only 状态 column of records that can be deactivated.
var activeColumn = column{title: "状态", width: 8, exportOnly: true}

var orgsKind = kind{
	name:  "orgs",
	title: "机构",
	columns: []column{
		idColumn,
		{title: "机构名称", required: true, field: "name", width: 28, aliases: []string{"名称"},
			note: "不超过100字；同一行政区划下不能重名。", example: "大碶街道人大工委"},
		{title: "类型", required: true, field: "kind", width: 12, choices: orgKinds.names, aliases: []string{"机构类型"},
			note: "人大机构（人大常委会、乡镇人大主席团、街道人大工委）或 承办单位（政府部门、街道办、村居委、法院、检察院等）。", example: "人大机构"},
		{title: "行政区划代码", required: true, field: "region_code", width: 16, text: true, aliases: []string{"区划代码", "行政区划"},
			note: "机构所在行政区划的统计用区划代码，如 330206（北仑区）、330206004（大碶街道）。", example: "330206004"},
		{title: "上级机构", field: "parent_id", width: 24,
			note: "人大机构的上级人大机构名称（或编号），用于逐级上报；上级须已存在或在本表前面的行中。可不填。", example: "北仑区人大常委会"},
		{title: "联系人", field: "contact", width: 12, note: "不超过50字。", example: "王芳"},
		{title: "联系电话", field: "phone", width: 16, text: true,
			note: "11位手机号，或带区号的固定电话（如 0574-86881234）。", example: "0574-86881234"},
		{title: "地址", field: "address", width: 36, note: "不超过200字。", example: "宁波市北仑区大碶街道××路××号"},
		activeColumn,
	},
	notes: []string{"6. 先导入上级机构再导入下级，或在同一表格中把上级写在前面的行。"},
	export: func(ctx context.Context, svc lianluo.Services) ([][]any, error) {
		os, _, err := svc.Orgs.FindOrgs(ctx, lianluo.OrgFilter{Page: lianluo.AllRows()})
		if err != nil {
			return nil, err
		}
		var rows [][]any
		for _, o := range os {
			rows = append(rows, []any{o.ID, o.Name, orgKinds.name(o.Kind), o.RegionCode, o.ParentName,
				o.Contact, o.Phone, o.Address, activeNames[o.Active]})
		}
		return rows, nil
	},
	load: func(ctx context.Context, svc lianluo.Services, k *kind, recs []record) (int, error) {
		return load(ctx, k, recs, parseOrg, svc.Imports.ImportOrgs)
	},
}

func parseOrg(r record, p *problems) lianluo.OrgRow {
	return lianluo.OrgRow{
		Org: lianluo.Org{
			Kind:       p.choice(r, "类型", orgKinds, ""),
			Name:       r.get("机构名称"),
			RegionCode: r.get("行政区划代码"),
			Contact:    r.get("联系人"),
			Phone:      r.get("联系电话"),
			Address:    r.get("地址"),
		},
		Parent: r.get("上级机构"),
	}
}
