package sqlstore

import (
	"context"
	"fmt"

	"lianluo"
)

// notificationsOf turns a notice a workflow step decided into outbox rows:
// it finds the accounts of its recipients and words it by its template.
func notificationsOf(ctx context.Context, tx *Tx, nt lianluo.Notice) ([]lianluo.Notification, error) {
	_, body := nt.Text()
	id := nt.CaseID
	to := nt.To
	var out []lianluo.Notification
	inapp := func(users []int64, dedupe func(u int64) string) {
		for _, u := range users {
			uid := u
			out = append(out, lianluo.Notification{UserID: &uid, Template: nt.Template, CaseID: &id, Body: body, Urgent: nt.Urgent,
				DedupeKey: dedupe(u)})
		}
	}
	none := func(int64) string { return "" }
	switch to.Kind {
	case lianluo.ToPhone:
		if to.Phone != "" {
			out = append(out, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: to.Phone, Template: nt.Template, CaseID: &id,
				Body: body, DedupeKey: nt.DedupeKey})
		}
	case lianluo.ToLeaders, lianluo.ToOffice, lianluo.ToUnitHandlers:
		role := map[string]string{lianluo.ToLeaders: lianluo.RoleNPCLeader, lianluo.ToOffice: lianluo.RoleNPCOffice,
			lianluo.ToUnitHandlers: lianluo.RoleUnitHandler}[to.Kind]
		users, err := usersWithRole(ctx, tx, role, to.Orgs)
		if err != nil {
			return nil, err
		}
		inapp(users, none)
	case lianluo.ToReceivingDeputies:
		// In-app and by each account's chosen channels; a deputy without
		// an account by text message to the phone on record.
		for _, d := range to.Deputies {
			users, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
				WHERE u.active = TRUE AND ur.role = 'deputy' AND ur.deputy_id = $1 ORDER BY u.id`, d)
			if err != nil {
				return nil, err
			}
			if len(users) == 0 {
				var phone string
				if err := tx.QueryRow(ctx, `SELECT phone FROM deputies WHERE id = $1`, d).Scan(&phone); err != nil {
					return nil, err
				}
				if phone != "" {
					out = append(out, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: phone, Template: nt.Template,
						CaseID: &id, Body: body, DedupeKey: fmt.Sprintf("%s:deputy%d:sms", nt.DedupeKey, d)})
				}
				continue
			}
			users = slicesDelete(users, to.ExceptUser)
			inapp(users, func(u int64) string { return fmt.Sprintf("%s:user%d", nt.DedupeKey, u) })
		}
	default:
		return nil, fmt.Errorf("notice %s: unknown recipients %q", nt.Template, to.Kind)
	}
	return out, nil
}

// slicesDelete returns ids without id (0 removes nothing).
func slicesDelete(ids []int64, id int64) []int64 {
	if id == 0 {
		return ids
	}
	out := ids[:0:0]
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}
