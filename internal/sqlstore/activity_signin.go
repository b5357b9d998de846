// An activity as an occasion: who is invited, who manages it, who decides
// leave and how its notices read (the writes are occasion.go's).

package sqlstore

import (
	"context"
	"fmt"

	"lianluo"
)

// loadActivityOccasion reads an activity in scope for the attendance writes.
func loadActivityOccasion(ctx context.Context, c conn, id int64) (*occasion, error) {
	x, err := findActivity(ctx, c, id)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("%s活动“%s”", x.StartsAt.In(lianluo.Beijing).Format("1月2日"), lianluo.Truncate(x.Title, 30))
	return &occasion{Occasion: x.Occasion(), invitees: x.Deputies, caseIDs: x.CaseIDs, photos: x.Photos, version: x.Version, activity: x,
		manage: func(ctx context.Context, c conn, a *lianluo.Actor, work bool) error {
			return requireActivity(ctx, c, a, x, work)
		},
		cancelArgs: func(context.Context, *Tx) ([]any, error) {
			return []any{activityWhen(x), lianluo.ActivityKindNames[x.Kind], x.Title}, nil
		},
		remindArgs: func(context.Context, *Tx, string) ([]any, error) { // the day before: its template says 明天
			return []any{activityWhen(x), lianluo.ActivityKindNames[x.Kind], x.Title, x.Place}, nil
		},
		deciders: func(ctx context.Context, tx *Tx) ([]int64, error) { return deciders(ctx, tx, x) },
		station:  func(ctx context.Context, tx *Tx) (int64, error) { return notifyStation(ctx, tx, x) },
		what:     what,
		decided:  func(context.Context, *Tx) (string, error) { return what, nil },

		notInvited:      "这次活动没有邀请您，不能签到。",
		notInvitedLeave: "这次活动没有邀请您，不需要请假。",
		requested:       lianluo.MsgActivityLeaveRequested, decidedMsg: lianluo.MsgActivityLeaveDecided, decidedKey: "activity_leave",
	}, nil
}

// deciders are the users who decide a leave request: the organising
// station's head, or the group's leader (003: 向代表小组组长请假).
func deciders(ctx context.Context, tx *Tx, x *lianluo.Activity) ([]int64, error) {
	if x.GroupID == nil {
		return stationHeads(ctx, tx, *x.StationID)
	}
	return queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		JOIN deputy_groups g ON g.leader_id = ur.deputy_id
		WHERE u.active = TRUE AND ur.role = 'deputy' AND g.id = $1 ORDER BY u.id`, *x.GroupID)
}
