package sheets

import (
	"context"
	"strings"

	"lianluo"
)

var roles = func() choices {
	var pairs [][2]string
	for _, r := range lianluo.Roles {
		pairs = append(pairs, [2]string{r, lianluo.RoleNames[r]})
	}
	return newChoices(pairs, map[string]string{
		"管理员":     lianluo.RoleSystemAdmin,
		"安全保密管理员": lianluo.RoleSecurityAdmin,
		"审计管理员":   lianluo.RoleAuditor,
		"审计员":     lianluo.RoleAuditor,
		"人大工委":    lianluo.RoleNPCOffice,
		"人大工作者":   lianluo.RoleNPCOffice,
		"人大领导":    lianluo.RoleNPCLeader,
		"站长":      lianluo.RoleStationHead,
		"民情联络员":   lianluo.RoleLiaison,
		"代表":      lianluo.RoleDeputy,
		"承办单位经办人": lianluo.RoleUnitHandler,
		"经办人":     lianluo.RoleUnitHandler,
	})
}()

// roleSeps separate the roles of one user: ；; and line breaks (not "、",
// which separates several records of one role).
func isRoleSep(r rune) bool { return r == '；' || r == ';' || r == '\n' || r == '\r' }

var usersKind = kind{
	name:  "users",
	title: "用户",
	columns: []column{
		idColumn,
		{title: "用户名", required: true, field: "username", width: 16, text: true, aliases: []string{"账号", "登录名"},
			note: "登录用的账号：3到32位字母、数字或 _ . -，不区分大小写，不能与已有用户重复。", example: "wangfang"},
		{title: "姓名", required: true, field: "display_name", width: 10, note: "不超过50字。", example: "王芳"},
		{title: "手机号", field: "phone", width: 14, text: true, aliases: []string{"联系电话", "手机"},
			note: "11位手机号，或带区号的固定电话。", example: "13800001111"},
		{title: "初始密码", required: true, field: "password", width: 16, aliases: []string{"密码"},
			note:    "须符合安全设置的密码规则（默认至少10位，包含大写字母、小写字母、数字、符号中的至少三类，不含用户名，不是常见密码）；每人设置不同的密码，用户首次登录后须先修改。导出文件不含密码。",
			example: "Daqi#2026wf"},
		{title: "角色", required: true, field: "roles", width: 44,
			note: "写成“角色:名称”，多个角色用“；”或换行分隔。可填的角色：系统管理员（不写名称）；人大工作人员、人大负责人（写人大机构名称）；" +
				"承办单位（写承办单位名称）；联络站站长、联络员（写联络站名称）；人大代表（写代表姓名）。名称有重复时可写编号。",
			example: "人大工作人员:大碶街道人大工委；联络员:大碶街道中心联络站"},
		activeColumn,
	},
	notes: []string{"6. 先导入机构、联络站和代表，再导入用户。导入的用户为启用状态；导出文件中的“状态”列在导入时忽略。"},
	export: func(ctx context.Context, svc lianluo.Services) ([][]any, error) {
		us, _, err := svc.Users.FindUsers(ctx, lianluo.UserFilter{Page: lianluo.AllRows()})
		if err != nil {
			return nil, err
		}
		var rows [][]any
		for _, u := range us {
			var gs []string
			for _, g := range u.Roles {
				s := roles.name(g.Role)
				if g.Label != "" {
					s += ":" + g.Label
				}
				gs = append(gs, s)
			}
			// Never the password or its hash.
			rows = append(rows, []any{u.ID, u.Username, u.DisplayName, u.Phone, "", strings.Join(gs, "；"), activeNames[u.Active]})
		}
		return rows, nil
	},
	load: func(ctx context.Context, svc lianluo.Services, k *kind, recs []record) (int, error) {
		return load(ctx, k, recs, parseUser, svc.Imports.ImportUsers)
	},
}

func parseUser(r record, p *problems) lianluo.UserRow {
	return lianluo.UserRow{
		User: lianluo.User{
			Username:    r.get("用户名"),
			DisplayName: r.get("姓名"),
			Phone:       r.get("手机号"),
			Password:    r.get("初始密码"),
		},
		Roles: parseRoles(r, p),
	}
}

// parseRoles reads "人大工作人员:大碶街道人大工委；联络员:甲站、乙站": a role
// with several records is one grant per record.
func parseRoles(r record, p *problems) []lianluo.RoleRef {
	var out []lianluo.RoleRef
	for _, item := range strings.FieldsFunc(r.get("角色"), isRoleSep) {
		if item = clean(item); item == "" {
			continue
		}
		name, refs, _ := strings.Cut(strings.Replace(item, "：", ":", 1), ":")
		name = clean(name)
		role, ok := roles.codes[choiceKey(name)]
		if !ok {
			p.add(r, "角色", "角色“%s”无法识别，可填：%s；写法如“联络员:大碶街道中心联络站”。", lianluo.Truncate(name, 20), strings.Join(roles.names, "、"))
			continue
		}
		list := splitList(refs)
		if len(list) == 0 {
			list = []string{""} // the store says which record the role needs
		}
		for _, ref := range list {
			out = append(out, lianluo.RoleRef{Role: role, Ref: ref})
		}
	}
	return out
}
