package sqlstore

import (
	"context"
	"fmt"

	"lianluo"
)

// notifyReceivingDeputies tells the deputies who received the case (接待代表)
// — units reply to the deputy, and the deputy evaluates the answer (000,
// 003) — worded by the template with args: in-app and by each account's
// chosen channels; a deputy without an account by text message to the
// phone on record. The one who acts is not told of their own step.
func (s *step) notifyReceivingDeputies(ctx context.Context, template lianluo.TemplateKey, args ...any) {
	_, body := lianluo.Message(template, args...)
	id := s.c.ID
	for _, d := range s.c.ReceivedBy {
		users, err := queryIDs(ctx, s.tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.active = TRUE AND ur.role = 'deputy' AND ur.deputy_id = $1 ORDER BY u.id`, d)
		if err != nil {
			s.fail(err)
			return
		}
		key := fmt.Sprintf("%s:%d:%d", template, id, s.n.Round)
		if len(users) == 0 {
			var phone string
			if err := s.tx.QueryRow(ctx, `SELECT phone FROM deputies WHERE id = $1`, d).Scan(&phone); err != nil {
				s.fail(err)
				return
			}
			if phone != "" {
				s.notes = append(s.notes, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: phone, Template: template,
					CaseID: &id, Body: body, DedupeKey: fmt.Sprintf("%s:deputy%d:sms", key, d)})
			}
			continue
		}
		for _, u := range users {
			if s.a.User != nil && s.a.User.ID == u {
				continue
			}
			uid := u
			s.notes = append(s.notes, lianluo.Notification{UserID: &uid, Template: template, CaseID: &id, Body: body,
				Urgent: s.c.Urgent, DedupeKey: fmt.Sprintf("%s:user%d", key, u)})
		}
	}
}
