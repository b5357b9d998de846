// A reception session as an occasion: who is invited, who manages it, who
// decides leave and how its notices read (the writes are occasion.go's).

package sqlstore

import (
	"context"
	"fmt"

	"lianluo"
)

// loadReceptionOccasion reads a session in scope for the attendance writes.
func loadReceptionOccasion(ctx context.Context, c conn, id int64) (*occasion, error) {
	r, err := findReception(ctx, c, id)
	if err != nil {
		return nil, err
	}
	day := r.StartsAt.In(lianluo.Beijing).Format("1月2日")
	return &occasion{Occasion: r.Occasion(), invitees: r.Deputies, caseIDs: r.CaseIDs, photos: r.Photos, version: r.Version, reception: r,
		manage: func(ctx context.Context, c conn, a *lianluo.Actor, work bool) error {
			_, err := requireStation(ctx, c, a, r.StationID, work)
			return err
		},
		cancelArgs: func(ctx context.Context, tx *Tx) ([]any, error) {
			st, err := findStationByID(ctx, tx.conn, r.StationID)
			if err != nil {
				return nil, err
			}
			return []any{r.StartsAt.In(lianluo.Beijing).Format("1月2日15:04"), st.Name}, nil
		},
		remindArgs: func(ctx context.Context, tx *Tx, when string) ([]any, error) {
			st, err := findStationByID(ctx, tx.conn, r.StationID)
			if err != nil {
				return nil, err
			}
			addr := ""
			if st.Address != "" {
				addr = fmt.Sprintf(lianluo.ReminderAddress, st.Address)
			}
			return []any{when, r.StartsAt.In(lianluo.Beijing).Format("1月2日15:04"), st.Name, addr}, nil
		},
		// The station head (or the office) approves.
		deciders: func(ctx context.Context, tx *Tx) ([]int64, error) { return stationHeads(ctx, tx, r.StationID) },
		station:  func(context.Context, *Tx) (int64, error) { return r.StationID, nil },
		what:     day + "接待",
		decided: func(ctx context.Context, tx *Tx) (string, error) {
			st, err := findStationByID(ctx, tx.conn, r.StationID)
			if err != nil {
				return "", err
			}
			return day + "在" + st.Name + "接待", nil
		},
		notInvited:      "这次接待没有安排您。请在安排您接待的联络站签到。",
		notInvitedLeave: "这次接待没有安排您，不需要请假。",
		requested:       lianluo.MsgLeaveRequested, decidedMsg: lianluo.MsgLeaveDecided, decidedKey: "leave",
	}, nil
}

func stationHeads(ctx context.Context, tx *Tx, stationID int64) ([]int64, error) {
	return queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = 'station_head' AND ur.station_id = $1 ORDER BY u.id`, stationID)
}
