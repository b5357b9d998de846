package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lianluo"
)

// Activities: a station or a deputy group organises an activity,
// gives notice (003: a week ahead, three days for a group meeting), invites
// deputies, who are reminded, sign in or ask for leave; the record, photos
// and the cases raised there are kept with it. The shape follows receptions.

// scopeActivities: NPC staff see activities organised in their subtree;
// station staff those of their station; a deputy those they are invited to
// and the meetings of a group they lead.
func scopeActivities(w *where, a *lianluo.Actor, alias string) {
	if a == nil {
		w.add("1 = 0")
		return
	}
	s := a.Scope
	if s.All {
		return
	}
	or := regionClause(w, alias+".region_code", s.Regions)
	if st := staffStations(a); len(st) > 0 {
		or = append(or, alias+".station_id IN "+w.in(st))
	}
	if len(s.Deputies) > 0 && a.Has(lianluo.RoleDeputy) {
		or = append(or, alias+".id IN (SELECT occasion_id FROM occasion_invitees WHERE kind = 'activity' AND deputy_id IN "+w.in(s.Deputies)+")")
		or = append(or, alias+".group_id IN (SELECT id FROM deputy_groups WHERE leader_id IN "+w.in(s.Deputies)+
			" OR deputy_leader_id IN "+w.in(s.Deputies)+")")
	}
	addOr(w, or)
}

// staffStations are the stations the actor works at as head or liaison
// (a deputy's own stations are in Scope.Stations too, but a deputy sees
// only the activities they are invited to).
func staffStations(a *lianluo.Actor) []int64 {
	var out []int64
	if a.User == nil {
		return nil
	}
	for _, g := range a.User.Roles {
		if g.StationID != nil && (g.Role == lianluo.RoleStationHead || g.Role == lianluo.RoleLiaison) {
			out = append(out, *g.StationID)
		}
	}
	return out
}

// activityRole says what the actor may do with an activity
// (lianluo.ActivityPowers), loading the group's leaders for a group meeting.
func activityRole(ctx context.Context, c conn, a *lianluo.Actor, act *lianluo.Activity) (manage, work bool, err error) {
	var leaders []int64
	if act.GroupID != nil && a.Has(lianluo.RoleDeputy) && len(a.Scope.Deputies) > 0 {
		var leader, deputyLeader sql.NullInt64
		if err := c.QueryRow(ctx, `SELECT leader_id, deputy_leader_id FROM deputy_groups WHERE id = $1`, *act.GroupID).Scan(&leader, &deputyLeader); err != nil {
			return false, false, err
		}
		for _, l := range []sql.NullInt64{leader, deputyLeader} {
			if l.Valid {
				leaders = append(leaders, l.Int64)
			}
		}
	}
	manage, work = lianluo.ActivityPowers(a, act, leaders)
	return manage, work, nil
}

func requireActivity(ctx context.Context, c conn, a *lianluo.Actor, act *lianluo.Activity, workOnly bool) error {
	manage, work, err := activityRole(ctx, c, a, act)
	if err != nil {
		return err
	}
	if !manage && !(workOnly && work) {
		return lianluo.Forbidden()
	}
	return nil
}

const activityColumns = `a.id, a.kind, a.title, a.content, a.place, a.station_id, COALESCE(s.name, ''), a.group_id, COALESCE(g.name, ''),
	a.region_code, a.starts_at, a.ends_at, a.status, a.published_at, a.minutes, a.outcomes, a.recorded_at, a.version, a.created_at, a.updated_at`

const activityFrom = ` FROM activities a LEFT JOIN stations s ON s.id = a.station_id LEFT JOIN deputy_groups g ON g.id = a.group_id`

func scanActivity(sc interface{ Scan(...any) error }, x *lianluo.Activity, extra ...any) error {
	var rec lianluo.ActivityRecord
	var recorded *time.Time
	err := sc.Scan(append([]any{&x.ID, &x.Kind, &x.Title, &x.Content, &x.Place, &x.StationID, &x.StationName, &x.GroupID, &x.GroupName,
		&x.RegionCode, &x.StartsAt, &x.EndsAt, &x.Status, &x.PublishedAt, &rec.Minutes, &rec.Outcomes, &recorded,
		&x.Version, &x.CreatedAt, &x.UpdatedAt}, extra...)...)
	x.StartsAt, x.EndsAt = x.StartsAt.In(lianluo.Beijing), x.EndsAt.In(lianluo.Beijing)
	x.CreatedAt, x.UpdatedAt = x.CreatedAt.In(lianluo.Beijing), x.UpdatedAt.In(lianluo.Beijing)
	if x.PublishedAt != nil {
		p := x.PublishedAt.In(lianluo.Beijing)
		x.PublishedAt = &p
	}
	if recorded != nil {
		rec.RecordedAt = recorded.In(lianluo.Beijing)
		x.Record = &rec
	}
	x.DeputyIDs, x.Deputies, x.CaseIDs = []int64{}, []lianluo.ActivityDeputy{}, []int64{}
	return err
}

func findActivities(ctx context.Context, c conn, f lianluo.ActivityFilter) ([]*lianluo.Activity, int, error) {
	var w where
	scopeActivities(&w, lianluo.ActorFromContext(ctx), "a")
	if f.StationID != 0 {
		w.add("a.station_id = " + w.arg(f.StationID))
	}
	if f.GroupID != 0 {
		w.add("a.group_id = " + w.arg(f.GroupID))
	}
	if f.DeputyID != 0 {
		w.add("a.id IN (SELECT occasion_id FROM occasion_invitees WHERE kind = 'activity' AND deputy_id = " + w.arg(f.DeputyID) + ")")
	}
	if f.Kind != "" {
		w.add("a.kind = " + w.arg(f.Kind))
	}
	if f.Status != "" {
		w.add("a.status = " + w.arg(f.Status))
	}
	if f.From != nil {
		w.add("a.starts_at >= " + w.arg(f.From.UTC()))
	}
	if f.To != nil {
		w.add("a.starts_at < " + w.arg(f.To.UTC()))
	}
	list, total, err := queryList(ctx, c, `SELECT `+activityColumns+`, COUNT(*) OVER ()`+activityFrom+
		w.String()+` ORDER BY a.starts_at, a.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, x *lianluo.Activity, n *int) error {
			return scanActivity(sc, x, n)
		})
	if err != nil {
		return nil, 0, err
	}
	return list, total, loadActivityDetails(ctx, c, list)
}

// loadActivityDetails fills invitees, cases and photo counts of a page of activities.
func loadActivityDetails(ctx context.Context, c conn, list []*lianluo.Activity) error {
	parts := make(map[int64]sessionParts, len(list))
	for _, x := range list {
		parts[x.ID] = sessionParts{&x.Deputies, &x.DeputyIDs, &x.CaseIDs, &x.Photos}
	}
	return loadSessionParts(ctx, c, activityOccasions, parts)
}

func findActivity(ctx context.Context, c conn, id int64) (*lianluo.Activity, error) {
	var w where
	w.add("a.id = " + w.arg(id))
	scopeActivities(&w, lianluo.ActorFromContext(ctx), "a")
	var x lianluo.Activity
	err := scanActivity(c.QueryRow(ctx, `SELECT `+activityColumns+activityFrom+w.String(), w.args...), &x)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("代表活动")
	} else if err != nil {
		return nil, err
	}
	return &x, loadActivityDetails(ctx, c, []*lianluo.Activity{&x})
}

// FindActivities lists activities inside the caller's scope.
func (db *DB) FindActivities(ctx context.Context, f lianluo.ActivityFilter) (_ []*lianluo.Activity, _ int, err error) {
	defer wrap(&err, "FindActivities")
	if f.Kind != "" {
		if _, ok := lianluo.ActivityKindNames[f.Kind]; !ok {
			return nil, 0, lianluo.FieldError("kind", "活动类型不正确。")
		}
	}
	if f.Status != "" {
		if _, ok := lianluo.ActivityStatusNames[f.Status]; !ok {
			return nil, 0, lianluo.FieldError("status", "活动状态不正确。")
		}
	}
	return findActivities(ctx, db.reader(), f)
}

// FindActivityByID returns an activity inside the caller's scope.
func (db *DB) FindActivityByID(ctx context.Context, id int64) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "FindActivityByID(%d)", id)
	return findActivity(ctx, db.reader(), id)
}

// parseActivityTime reads RFC 3339 (seconds optional) or "2026-05-15T09:00" (Beijing).
func parseActivityTime(field, s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02T15:04Z07:00", strings.TrimSpace(s)); err == nil {
		return t, nil
	}
	return parseLocalTime(field, s)
}

// activityTimes reads and checks an activity's start and end.
func activityTimes(starts, ends string) (time.Time, time.Time, error) {
	if strings.TrimSpace(starts) == "" {
		return time.Time{}, time.Time{}, lianluo.FieldError("starts_at", "请填写开始时间。")
	}
	s, err := parseActivityTime("starts_at", starts)
	if err != nil {
		return s, s, err
	}
	if strings.TrimSpace(ends) == "" {
		return s, s, lianluo.FieldError("ends_at", "请填写结束时间。")
	}
	e, err := parseActivityTime("ends_at", ends)
	if err != nil {
		return s, e, err
	}
	if !e.After(s) {
		return s, e, lianluo.FieldError("ends_at", "结束时间应晚于开始时间。")
	}
	if e.Sub(s) > 7*24*time.Hour {
		return s, e, lianluo.FieldError("ends_at", "一次活动最长7天。")
	}
	return s, e, nil
}

// checkInvitees checks deputies may be invited: in office and in the
// caller's scope, or members of the organising group.
func checkInvitees(ctx context.Context, tx *Tx, ids []int64, groupID *int64) error {
	if len(ids) > 200 {
		return lianluo.FieldError("deputy_ids", "每次活动最多邀请200名代表。")
	}
	seen := map[int64]bool{}
	for _, d := range ids {
		if seen[d] {
			return lianluo.FieldError("deputy_ids", "同一位代表不能重复邀请。")
		}
		seen[d] = true
		var status string
		var group sql.NullInt64
		err := tx.QueryRow(ctx, `SELECT status, group_id FROM deputies WHERE id = $1`, d).Scan(&status, &group)
		if errors.Is(err, sql.ErrNoRows) {
			return lianluo.FieldError("deputy_ids", "代表（编号%d）不存在。", d)
		} else if err != nil {
			return err
		}
		member := groupID != nil && group.Valid && group.Int64 == *groupID
		if !member {
			if err := checkDeputyInScope(ctx, tx.conn, d); err != nil {
				return lianluo.FieldError("deputy_ids", "代表（编号%d）不存在或不在您的范围内。", d)
			}
		}
		if status != "in_office" {
			return lianluo.FieldError("deputy_ids", "代表（编号%d）不是在任代表。", d)
		}
	}
	return nil
}

// defaultInvitees are the deputies invited when none are named: the group's
// members for a group meeting (003: 通知本组全体代表), else the station's deputies.
func defaultInvitees(ctx context.Context, tx *Tx, stationID, groupID *int64) ([]int64, error) {
	var rows *sql.Rows
	var err error
	if groupID != nil {
		rows, err = tx.Query(ctx, `SELECT id FROM deputies WHERE group_id = $1 AND status = 'in_office' ORDER BY id`, *groupID)
	} else {
		rows, err = tx.Query(ctx, `SELECT d.id FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
			WHERE sd.station_id = $1 AND d.status = 'in_office' ORDER BY d.id`, *stationID)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// CreateActivity adds a draft activity.
func (db *DB) CreateActivity(ctx context.Context, in lianluo.ActivityInput) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "CreateActivity")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	in.Title, in.Content, in.Place = strings.TrimSpace(in.Title), strings.TrimSpace(in.Content), strings.TrimSpace(in.Place)
	if _, ok := lianluo.ActivityKindNames[in.Kind]; !ok {
		return nil, lianluo.FieldError("kind", "请选择活动类型。")
	}
	var v lianluo.Validator
	v.Require("title", "活动名称", in.Title)
	v.MaxLen("title", "活动名称", in.Title, 100)
	v.MaxLen("content", "活动主题和内容", in.Content, 5000)
	v.MaxLen("place", "活动地点", in.Place, 200)
	if v.Err != nil {
		return nil, v.Err
	}
	if in.Kind == lianluo.ActivityGroupMeeting && in.GroupID == nil {
		return nil, lianluo.FieldError("group_id", "代表小组活动请选择组织的代表小组。")
	}
	// A group organises its meetings and, for its 六个一 (003 人大代表小组开展
	// “六个一”活动制度), trainings, 述职, inspections and the rest: any kind.
	if in.GroupID == nil && in.StationID == nil {
		return nil, lianluo.FieldError("station_id", "请选择组织活动的联络站。")
	}
	starts, ends, err := activityTimes(in.StartsAt, in.EndsAt)
	if err != nil {
		return nil, err
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		// An activity already held may be entered afterwards from the paper
		// ledger (补录, 003: 代表小组活动登记簿); one under way may not.
		if starts.Before(tx.now) && !ends.Before(tx.now) {
			return lianluo.FieldError("starts_at", "开始时间不能早于现在（已经结束的活动可以补录）。")
		}
		var region, place string
		if in.GroupID != nil {
			g, err := findGroupByID(ctx, tx.conn, *in.GroupID)
			if err != nil {
				return lianluo.FieldError("group_id", "代表小组不存在或不在您的范围内。")
			}
			region = g.RegionCode
			act := &lianluo.Activity{GroupID: in.GroupID, RegionCode: region}
			if err := requireActivity(ctx, tx.conn, a, act, false); err != nil {
				return err
			}
			if in.StationID == nil && g.StationID != nil {
				in.StationID = g.StationID // held at the group's station unless told otherwise
			}
			if in.StationID != nil {
				st, err := findStationByID(ctx, tx.conn, *in.StationID)
				if err != nil {
					return lianluo.FieldError("station_id", "联络站不存在或不在您的范围内。")
				}
				place = st.Name
			}
		} else {
			st, err := findStationByID(ctx, tx.conn, *in.StationID)
			if err != nil {
				return lianluo.FieldError("station_id", "联络站不存在或不在您的范围内。")
			}
			if _, err := requireStation(ctx, tx.conn, a, st.ID, false); err != nil {
				return err
			}
			region, place = st.RegionCode, st.Name
			if st.Address != "" {
				place = st.Name + "（" + st.Address + "）"
			}
		}
		if in.Place == "" {
			in.Place = place
		}
		ids := in.DeputyIDs
		if len(ids) == 0 {
			var err error
			if ids, err = defaultInvitees(ctx, tx, in.StationID, in.GroupID); err != nil {
				return err
			}
		}
		if err := checkInvitees(ctx, tx, ids, in.GroupID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `
			INSERT INTO activities (
				kind,
				title,
				content,
				place,
				station_id,
				group_id,
				region_code,
				starts_at,
				ends_at,
				status,
				created_at,
				updated_at
			) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $10) RETURNING id`,
			in.Kind, in.Title, in.Content, in.Place, in.StationID, in.GroupID, region, starts.UTC(), ends.UTC(), tx.now).Scan(&id); err != nil {
			return err
		}
		for i, d := range ids {
			if err := activityOccasions.invite(ctx, tx, id, d, i); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityActivity, id, lianluo.AuditCreate, fmt.Sprintf("新建%s活动：%s（邀请代表%d名）", lianluo.ActivityKindNames[in.Kind], in.Title, len(ids)))
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// notifyStation is where a deputy who cannot be reached directly is told:
// the organising station or the group's.
func notifyStation(ctx context.Context, tx *Tx, x *lianluo.Activity) (int64, error) {
	if x.StationID != nil {
		return *x.StationID, nil
	}
	if x.GroupID != nil {
		var st sql.NullInt64
		if err := tx.QueryRow(ctx, `SELECT station_id FROM deputy_groups WHERE id = $1`, *x.GroupID).Scan(&st); err != nil {
			return 0, err
		}
		return st.Int64, nil
	}
	return 0, nil
}

func activityWhen(x *lianluo.Activity) string {
	return x.StartsAt.In(lianluo.Beijing).Format("1月2日15:04")
}

var _ lianluo.ActivityService = (*DB)(nil)
