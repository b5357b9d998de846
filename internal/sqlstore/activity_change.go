// Changing an activity: edit and publish (with its notice period).

package sqlstore

import (
	"context"
	"fmt"
	"lianluo"
	"slices"
	"strings"
	"time"
)

// UpdateActivity changes an activity before it ends.
func (db *DB) UpdateActivity(ctx context.Context, id int64, u lianluo.ActivityUpdate) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "UpdateActivity(%d)", id)
	return db.changeActivity(ctx, id, u.Version, false, func(tx *Tx, x *lianluo.Activity) error {
		if x.Status == lianluo.ActivityCancelled || x.Status == lianluo.ActivityDone {
			return lianluo.Errorf(lianluo.ESTATE, "该活动%s，不能再修改。", lianluo.ActivityStatusNames[x.Status])
		}
		if x.EndsAt.Before(tx.now) {
			return lianluo.Errorf(lianluo.ESTATE, "该活动已经结束，不能再修改安排；请填写活动记录。")
		}
		var c changes
		title, content, place := x.Title, x.Content, x.Place
		var v lianluo.Validator
		if u.Title != nil {
			title = strings.TrimSpace(*u.Title)
			v.Require("title", "活动名称", title)
			v.MaxLen("title", "活动名称", title, 100)
		}
		if u.Content != nil {
			content = strings.TrimSpace(*u.Content)
			v.MaxLen("content", "活动主题和内容", content, 5000)
		}
		if u.Place != nil {
			place = strings.TrimSpace(*u.Place)
			v.MaxLen("place", "活动地点", place, 200)
		}
		if v.Err != nil {
			return v.Err
		}
		starts, ends := x.StartsAt, x.EndsAt
		if u.StartsAt != nil || u.EndsAt != nil {
			s, e := x.StartsAt.Format(time.RFC3339), x.EndsAt.Format(time.RFC3339)
			if u.StartsAt != nil {
				s = *u.StartsAt
			}
			if u.EndsAt != nil {
				e = *u.EndsAt
			}
			if starts, ends, err = activityTimes(s, e); err != nil {
				return err
			}
			if !starts.Equal(x.StartsAt) {
				if starts.Before(tx.now) {
					return lianluo.FieldError("starts_at", "开始时间不能早于现在。")
				}
				// A published activity moved keeps the notice rule (003).
				if x.Status == lianluo.ActivityPublished {
					if err := lianluo.CheckNotice(x.Kind, starts, tx.now); err != nil {
						return err
					}
				}
			}
		}
		c.str("名称", x.Title, title)
		c.str("地点", x.Place, place)
		c.changed("内容", x.Content != content)
		c.str("时间", x.StartsAt.Format("2006-01-02 15:04"), starts.In(lianluo.Beijing).Format("2006-01-02 15:04"))
		c.str("结束时间", x.EndsAt.Format("2006-01-02 15:04"), ends.In(lianluo.Beijing).Format("2006-01-02 15:04"))
		st, err := notifyStation(ctx, tx, x)
		if err != nil {
			return err
		}
		if u.DeputyIDs != nil {
			ids := slices.Clone(*u.DeputyIDs)
			if err := checkInvitees(ctx, tx, ids, x.GroupID); err != nil {
				return err
			}
			added, err := activityOccasions.setInvitees(ctx, tx, id, x.DeputyIDs, ids)
			if err != nil {
				return err
			}
			for _, d := range added {
				if x.Status == lianluo.ActivityPublished {
					if err := notifyDeputyOf(ctx, tx, d, st, fmt.Sprintf("activity_invited:%d:%d:%d", id, d, tx.now.Unix()), lianluo.MsgActivityInvited,
						x.Organiser(), lianluo.ActivityKindNames[x.Kind], title, starts.In(lianluo.Beijing).Format("1月2日15:04"), place); err != nil {
						return err
					}
				}
			}
			c.changed("邀请代表", !slices.Equal(x.DeputyIDs, ids))
		}
		if x.Status == lianluo.ActivityPublished && (!starts.Equal(x.StartsAt) || place != x.Place) {
			for _, d := range x.DeputyIDs {
				if u.DeputyIDs != nil && !slices.Contains(*u.DeputyIDs, d) {
					continue
				}
				if err := notifyDeputyOf(ctx, tx, d, st, fmt.Sprintf("activity_changed:%d:%d:%d", id, d, tx.now.Unix()), lianluo.MsgActivityChanged,
					lianluo.ActivityKindNames[x.Kind], title, starts.In(lianluo.Beijing).Format("1月2日15:04"), place); err != nil {
					return err
				}
			}
		}
		if !starts.Equal(x.StartsAt) {
			// Moved: the day-before reminder is due again for the new day.
			if _, err := tx.Exec(ctx, `UPDATE occasion_invitees SET reminded_at = NULL WHERE kind = 'activity' AND occasion_id = $1`, id); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE activities SET title = $1, content = $2, place = $3, starts_at = $4, ends_at = $5,
			version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8`,
			title, content, place, starts.UTC(), ends.UTC(), tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditUpdate, c.String())
	})
}

// PublishActivity gives the activity's notice (003: a week ahead, three
// days for a group meeting): each invited deputy is told, in-app and by
// text message, and the public station page lists it.
func (db *DB) PublishActivity(ctx context.Context, id int64, version int) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "PublishActivity(%d)", id)
	return db.changeActivity(ctx, id, version, false, func(tx *Tx, x *lianluo.Activity) error {
		if x.Status != lianluo.ActivityDraft {
			return lianluo.Errorf(lianluo.ESTATE, "该活动%s，不能再发布。", lianluo.ActivityStatusNames[x.Status])
		}
		if err := lianluo.CheckNotice(x.Kind, x.StartsAt, tx.now); err != nil {
			return err
		}
		if len(x.DeputyIDs) == 0 {
			return lianluo.FieldError("deputy_ids", "请先邀请参加活动的代表。")
		}
		st, err := notifyStation(ctx, tx, x)
		if err != nil {
			return err
		}
		for _, d := range x.DeputyIDs {
			if err := notifyDeputyOf(ctx, tx, d, st, fmt.Sprintf("activity_published:%d:%d", id, d), lianluo.MsgActivityPublished,
				x.Organiser(), lianluo.ActivityKindNames[x.Kind], x.Title, activityWhen(x), x.Place); err != nil {
				return err
			}
		}
		res, err := tx.Exec(ctx, `UPDATE activities SET status = 'published', published_at = $1, version = version + 1, updated_at = $1
			WHERE id = $2 AND version = $3`, tx.now, id, x.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditPublish, fmt.Sprintf("发布活动通知，通知代表%d名", len(x.DeputyIDs)))
	})
}

// changeActivity runs change on the activity of id (changeOccasion) and reads it again.
func (db *DB) changeActivity(ctx context.Context, id int64, version int, work bool, change func(tx *Tx, x *lianluo.Activity) error) (*lianluo.Activity, error) {
	err := db.changeOccasion(ctx, activityOccasions, id, version, work, func(tx *Tx, o *occasion) error { return change(tx, o.activity) })
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}
