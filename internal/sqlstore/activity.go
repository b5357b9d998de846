package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
		or = append(or, alias+".id IN (SELECT activity_id FROM activity_deputies WHERE deputy_id IN "+w.in(s.Deputies)+")")
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

// activityRole says what the actor may do with an activity: manage
// (publish, change, decide leave — the office over its region, the
// station's head, a group meeting's leader) or work (mark attendance,
// record, photos, cases — the station's liaisons too).
func activityRole(ctx context.Context, c conn, a *lianluo.Actor, act *lianluo.Activity) (manage, work bool, err error) {
	if a.CanManageRegion(act.RegionCode) {
		return true, true, nil
	}
	if act.StationID != nil && act.GroupID == nil {
		for _, g := range a.User.Roles {
			if g.StationID == nil || *g.StationID != *act.StationID {
				continue
			}
			switch g.Role {
			case lianluo.RoleStationHead:
				manage, work = true, true
			case lianluo.RoleLiaison:
				work = true
			}
		}
	}
	if act.GroupID != nil && a.Has(lianluo.RoleDeputy) && len(a.Scope.Deputies) > 0 {
		// 003 代表小组活动制度: the group leader convenes it and grants leave.
		var leader, deputyLeader sql.NullInt64
		if err := c.QueryRow(ctx, `SELECT leader_id, deputy_leader_id FROM deputy_groups WHERE id = $1`, *act.GroupID).Scan(&leader, &deputyLeader); err != nil {
			return false, false, err
		}
		for _, l := range []sql.NullInt64{leader, deputyLeader} {
			if l.Valid && slices.Contains(a.Scope.Deputies, l.Int64) {
				manage, work = true, true
			}
		}
	}
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
		w.add("a.id IN (SELECT activity_id FROM activity_deputies WHERE deputy_id = " + w.arg(f.DeputyID) + ")")
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
	return loadSessionParts(ctx, c, activityTables, parts)
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
			if _, err := findDeputyByID(ctx, tx.conn, d); err != nil {
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
	if in.Kind != lianluo.ActivityGroupMeeting && in.GroupID != nil {
		return nil, lianluo.FieldError("group_id", "只有代表小组活动由代表小组组织；其他活动请选择组织的联络站。")
	}
	if in.Kind != lianluo.ActivityGroupMeeting && in.StationID == nil {
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
			if _, err := tx.Exec(ctx, `INSERT INTO activity_deputies (activity_id, deputy_id, position) VALUES ($1, $2, $3)`, id, d, i); err != nil {
				return err
			}
		}
		return tx.event(ctx, "activity", id, "create", fmt.Sprintf("新建%s活动：%s（邀请代表%d名）", lianluo.ActivityKindNames[in.Kind], in.Title, len(ids)))
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

// UpdateActivity changes an activity before it ends.
func (db *DB) UpdateActivity(ctx context.Context, id int64, u lianluo.ActivityUpdate) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "UpdateActivity(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, false); err != nil {
			return err
		}
		if u.Version != x.Version {
			return lianluo.Stale()
		}
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
			keep := map[int64]bool{}
			for _, d := range ids {
				keep[d] = true
			}
			old := map[int64]bool{}
			for _, d := range x.DeputyIDs {
				old[d] = true
				if !keep[d] {
					if _, err := tx.Exec(ctx, `DELETE FROM activity_deputies WHERE activity_id = $1 AND deputy_id = $2`, id, d); err != nil {
						return err
					}
				}
			}
			for i, d := range ids {
				if old[d] {
					if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET position = $1 WHERE activity_id = $2 AND deputy_id = $3`, i, id, d); err != nil {
						return err
					}
					continue
				}
				if _, err := tx.Exec(ctx, `INSERT INTO activity_deputies (activity_id, deputy_id, position) VALUES ($1, $2, $3)`, id, d, i); err != nil {
					return err
				}
				if x.Status == lianluo.ActivityPublished {
					body := fmt.Sprintf("%s邀请您参加%s活动“%s”，时间：%s，地点：%s。如不能参加，请在平台上请假。",
						x.Organiser(), lianluo.ActivityKindNames[x.Kind], title, starts.In(lianluo.Beijing).Format("1月2日15:04"), place)
					if err := notifyDeputyOf(ctx, tx, d, st, "activity_invited", body, fmt.Sprintf("activity_invited:%d:%d:%d", id, d, tx.now.Unix())); err != nil {
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
				body := fmt.Sprintf("%s活动“%s”调整为：%s，地点：%s。", lianluo.ActivityKindNames[x.Kind], title, starts.In(lianluo.Beijing).Format("1月2日15:04"), place)
				if err := notifyDeputyOf(ctx, tx, d, st, "activity_changed", body, fmt.Sprintf("activity_changed:%d:%d:%d", id, d, tx.now.Unix())); err != nil {
					return err
				}
			}
		}
		if !starts.Equal(x.StartsAt) {
			// Moved: the day-before reminder is due again for the new day.
			if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET reminded_at = NULL WHERE activity_id = $1`, id); err != nil {
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
		return tx.event(ctx, "activity", id, "update", c.String())
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// PublishActivity gives the activity's notice (003: a week ahead, three
// days for a group meeting): each invited deputy is told, in-app and by
// text message, and the public station page lists it.
func (db *DB) PublishActivity(ctx context.Context, id int64, version int) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "PublishActivity(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, false); err != nil {
			return err
		}
		if version != 0 && version != x.Version {
			return lianluo.Stale()
		}
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
			body := fmt.Sprintf("%s邀请您参加%s活动“%s”，时间：%s，地点：%s。如不能参加，请在平台上请假。",
				x.Organiser(), lianluo.ActivityKindNames[x.Kind], x.Title, activityWhen(x), x.Place)
			if err := notifyDeputyOf(ctx, tx, d, st, "activity_published", body, fmt.Sprintf("activity_published:%d:%d", id, d)); err != nil {
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
		return tx.event(ctx, "activity", id, "publish", fmt.Sprintf("发布活动通知，通知代表%d名", len(x.DeputyIDs)))
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// CancelActivity cancels an activity not yet held; invited deputies of a
// published one are told.
func (db *DB) CancelActivity(ctx context.Context, id int64, version int) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "CancelActivity(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, false); err != nil {
			return err
		}
		if version != 0 && version != x.Version {
			return lianluo.Stale()
		}
		if x.Status == lianluo.ActivityCancelled || x.Status == lianluo.ActivityDone {
			return lianluo.Errorf(lianluo.ESTATE, "该活动%s，不能取消。", lianluo.ActivityStatusNames[x.Status])
		}
		if x.Status == lianluo.ActivityPublished {
			st, err := notifyStation(ctx, tx, x)
			if err != nil {
				return err
			}
			for _, d := range x.DeputyIDs {
				body := fmt.Sprintf("原定%s的%s活动“%s”已取消。", activityWhen(x), lianluo.ActivityKindNames[x.Kind], x.Title)
				if err := notifyDeputyOf(ctx, tx, d, st, "activity_cancelled", body, fmt.Sprintf("activity_cancelled:%d:%d", id, d)); err != nil {
					return err
				}
			}
		}
		res, err := tx.Exec(ctx, `UPDATE activities SET status = 'cancelled', version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3`,
			tx.now, id, x.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, "activity", id, "cancel", "取消活动")
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// invitedSelf is the calling deputy's row on the activity, nil if not invited.
func invitedSelf(a *lianluo.Actor, x *lianluo.Activity) *lianluo.ActivityDeputy {
	if !a.Has(lianluo.RoleDeputy) {
		return nil
	}
	for i := range x.Deputies {
		if slices.Contains(a.Scope.Deputies, x.Deputies[i].DeputyID) {
			return &x.Deputies[i]
		}
	}
	return nil
}

// ActivitySignIn records the calling deputy at an activity: only an invited
// deputy, only from SignInEarly before the start to the end (as receptions).
func (db *DB) ActivitySignIn(ctx context.Context, id int64) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "ActivitySignIn(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Has(lianluo.RoleDeputy) || len(a.Scope.Deputies) == 0 {
		return nil, lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人可以签到；工作人员请用“登记出席”。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		me := invitedSelf(a, x)
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次活动没有邀请您，不能签到。")
		case x.Status != lianluo.ActivityPublished:
			return lianluo.Errorf(lianluo.ESTATE, "这次活动%s，不能签到。", lianluo.ActivityStatusNames[x.Status])
		case tx.now.Before(x.StartsAt.Add(-lianluo.SignInEarly)):
			return lianluo.Errorf(lianluo.ESTATE, "还没到签到时间：活动开始前30分钟（%s）起可以签到。", x.StartsAt.Add(-lianluo.SignInEarly).Format("1月2日15:04"))
		case tx.now.After(x.EndsAt):
			return lianluo.Errorf(lianluo.ESTATE, "这次活动已经结束（%s），不能再签到。", x.EndsAt.Format("1月2日15:04"))
		case me.Attendance == lianluo.AttendPresent:
			return lianluo.Errorf(lianluo.ESTATE, "您已经签到过了。")
		case me.Attendance == lianluo.AttendLeave:
			return lianluo.Errorf(lianluo.ESTATE, "您已请假，不需要签到。")
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET attendance = 'present', signed_in_at = $1, signed_by = 'self'
			WHERE activity_id = $2 AND deputy_id = $3`, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		return tx.event(ctx, "activity", id, "signin", me.Name+"签到")
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// MarkActivityAttendance is the staff's record of a deputy's attendance.
func (db *DB) MarkActivityAttendance(ctx context.Context, id, deputyID int64, attendance string) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "MarkActivityAttendance(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := lianluo.AttendanceNames[attendance]; !ok || attendance == lianluo.AttendLeave {
		return nil, lianluo.FieldError("attendance", "请选择出席、缺席或待参加（请假请走请假审批）。")
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if x.Status != lianluo.ActivityPublished && x.Status != lianluo.ActivityDone {
			return lianluo.Errorf(lianluo.ESTATE, "只有已发布的活动可以登记出席。")
		}
		if attendance != lianluo.AttendScheduled && tx.now.Before(x.StartsAt.Add(-lianluo.SignInEarly)) {
			return lianluo.Errorf(lianluo.ESTATE, "活动还没开始，不能登记出席情况。")
		}
		var at *time.Time
		by := ""
		if attendance == lianluo.AttendPresent {
			at, by = &tx.now, "staff"
		}
		res, err := tx.Exec(ctx, `UPDATE activity_deputies SET attendance = $1, signed_in_at = $2, signed_by = $3
			WHERE activity_id = $4 AND deputy_id = $5`, attendance, at, by, id, deputyID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return lianluo.FieldError("deputy_id", "这次活动没有邀请这位代表。")
		}
		return tx.event(ctx, "activity", id, "attendance", fmt.Sprintf("登记代表（编号%d）：%s", deputyID, lianluo.AttendanceNames[attendance]))
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
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

// RequestActivityLeave is an invited deputy's leave request (请假).
func (db *DB) RequestActivityLeave(ctx context.Context, id int64, reason string) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "RequestActivityLeave(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if err := require("reason", "请假理由", reason, 500); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		me := invitedSelf(a, x)
		switch {
		case me == nil:
			return lianluo.Errorf(lianluo.EFORBIDDEN, "这次活动没有邀请您，不需要请假。")
		case x.Status != lianluo.ActivityPublished:
			return lianluo.Errorf(lianluo.ESTATE, "这次活动%s，不能请假。", lianluo.ActivityStatusNames[x.Status])
		case tx.now.After(x.StartsAt):
			return lianluo.Errorf(lianluo.ESTATE, "活动已经开始，不能再请假；如有特殊情况请联系组织者。")
		case me.LeaveStatus == lianluo.LeavePending || me.LeaveStatus == lianluo.LeaveApproved:
			return lianluo.Errorf(lianluo.ESTATE, "您已经请过假了（%s）。", lianluo.LeaveStatusNames[me.LeaveStatus])
		case me.Attendance == lianluo.AttendPresent:
			return lianluo.Errorf(lianluo.ESTATE, "您已经签到，不需要请假。")
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET leave_reason = $1, leave_status = 'pending', leave_at = $2
			WHERE activity_id = $3 AND deputy_id = $4`, reason, tx.now, id, me.DeputyID); err != nil {
			return err
		}
		users, err := deciders(ctx, tx, x)
		if err != nil {
			return err
		}
		for _, u := range users {
			uid := u
			if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: "activity_leave_requested",
				Body: fmt.Sprintf("%s代表申请%s活动“%s”请假：%s", me.Name, x.StartsAt.Format("1月2日"), truncate(x.Title, 30), truncate(reason, 60))}); err != nil {
				return err
			}
		}
		return tx.event(ctx, "activity", id, "leave", me.Name+"请假："+reason)
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// DecideActivityLeave approves or rejects a pending leave request: the
// organiser's station head, the group leader, or the office.
func (db *DB) DecideActivityLeave(ctx context.Context, id, deputyID int64, approve bool) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "DecideActivityLeave(%d, %d)", id, deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, false); err != nil {
			return err
		}
		var d *lianluo.ActivityDeputy
		for i := range x.Deputies {
			if x.Deputies[i].DeputyID == deputyID {
				d = &x.Deputies[i]
			}
		}
		if d == nil || d.LeaveStatus != lianluo.LeavePending {
			return lianluo.Errorf(lianluo.ESTATE, "没有待审批的请假。")
		}
		status, attendance, verdict := lianluo.LeaveRejected, d.Attendance, "未批准"
		if approve {
			status, attendance, verdict = lianluo.LeaveApproved, lianluo.AttendLeave, "已批准"
		}
		if _, err := tx.Exec(ctx, `UPDATE activity_deputies SET leave_status = $1, attendance = $2 WHERE activity_id = $3 AND deputy_id = $4`,
			status, attendance, id, deputyID); err != nil {
			return err
		}
		st, err := notifyStation(ctx, tx, x)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("您%s活动“%s”的请假%s。", x.StartsAt.Format("1月2日"), truncate(x.Title, 30), verdict)
		if err := notifyDeputyOf(ctx, tx, deputyID, st, "activity_leave_decided", body, fmt.Sprintf("activity_leave:%d:%d:%s", id, deputyID, status)); err != nil {
			return err
		}
		return tx.event(ctx, "activity", id, "leave_decide", d.Name+"请假"+verdict)
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// RecordActivity keeps the minutes and the suggestions raised (代表小组
// 活动登记簿 — 003: 每次活动情况应认真记载); the activity is then done.
// A draft already ended is an activity entered afterwards (补录).
func (db *DB) RecordActivity(ctx context.Context, id int64, version int, rec lianluo.ActivityRecord) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "RecordActivity(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := rec.Validate(); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if x.Version != version {
			return lianluo.Stale()
		}
		held := (x.Status == lianluo.ActivityPublished || x.Status == lianluo.ActivityDone) && !tx.now.Before(x.StartsAt)
		entered := x.Status == lianluo.ActivityDraft && x.EndsAt.Before(tx.now) // 补录
		if !held && !entered {
			return lianluo.Errorf(lianluo.ESTATE, "活动开始以后才能填写活动记录。")
		}
		res, err := tx.Exec(ctx, `UPDATE activities SET minutes = $1, outcomes = $2, recorded_at = $3, status = 'done',
			version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5`,
			rec.Minutes, rec.Outcomes, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return tx.event(ctx, "activity", id, "record", "填写活动记录")
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// AddActivityPhoto keeps a photo of an activity.
func (db *DB) AddActivityPhoto(ctx context.Context, id int64, data []byte) (err error) {
	defer wrap(&err, "AddActivityPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if x.Status == lianluo.ActivityDraft || x.Status == lianluo.ActivityCancelled {
			return lianluo.Errorf(lianluo.ESTATE, "只有已发布或已完成的活动可以上传照片。")
		}
		if err := addSessionPhoto(ctx, tx, activityTables, id, x.Photos, ct, data, a); err != nil {
			return err
		}
		return tx.event(ctx, "activity", id, "photo", "上传活动照片")
	})
}

// ActivityPhoto returns the n-th (from 1) photo of an activity in scope.
func (db *DB) ActivityPhoto(ctx context.Context, id int64, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "ActivityPhoto(%d, %d)", id, n)
	if _, err := findActivity(ctx, db.reader(), id); err != nil {
		return nil, err
	}
	return sessionPhoto(ctx, db.reader(), activityTables, id, n)
}

// LinkActivityCase ties a case raised at an activity to it; the case must
// be in the caller's scope.
func (db *DB) LinkActivityCase(ctx context.Context, id, caseID int64) (_ *lianluo.Activity, err error) {
	defer wrap(&err, "LinkActivityCase(%d, %d)", id, caseID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		x, err := findActivity(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := requireActivity(ctx, tx.conn, a, x, true); err != nil {
			return err
		}
		if _, err := findCase(ctx, tx.conn, caseID); err != nil {
			return lianluo.FieldError("case_id", "意见（编号%d）不存在或不在您的范围内。", caseID)
		}
		if slices.Contains(x.CaseIDs, caseID) {
			return lianluo.FieldError("case_id", "意见（编号%d）已经关联到本次活动。", caseID)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO activity_cases (activity_id, case_id, created_at) VALUES ($1, $2, $3)`, id, caseID, tx.now); err != nil {
			return err
		}
		return tx.event(ctx, "activity", id, "link_case", fmt.Sprintf("关联意见 #%d", caseID))
	})
	if err != nil {
		return nil, err
	}
	return db.FindActivityByID(ctx, id)
}

// PublicActivities lists a station's published activities from a time
// (003: 向社会公布 — the public station page).
func (db *DB) PublicActivities(ctx context.Context, stationID int64, from time.Time, limit int) (_ []*lianluo.Activity, err error) {
	defer wrap(&err, "PublicActivities(%d)", stationID)
	if limit <= 0 || limit > 100 {
		limit = 10
	}
	ctx = publicActor(ctx)
	list, _, err := findActivities(ctx, db.reader(), lianluo.ActivityFilter{StationID: stationID, Status: lianluo.ActivityPublished,
		From: &from, Page: lianluo.Page{Page: 1, PerPage: limit}})
	return list, err
}

// RemindActivities gives the day-before reminder (温馨提示) to every invited
// deputy who has not asked for leave (a refused request still expects
// them), once: reminded_at marks it, and the update that sets it is the
// one that sends, so concurrent sweeps cannot both send.
func (db *DB) RemindActivities(ctx context.Context) (n int, err error) {
	defer wrap(&err, "RemindActivities")
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	err = db.transact(ctx, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+activityColumns+`, ad.deputy_id`+activityFrom+` JOIN activity_deputies ad ON ad.activity_id = a.id
			WHERE a.status = 'published' AND a.starts_at > $1 AND a.starts_at <= $2
				AND ad.attendance = 'scheduled' AND ad.leave_status IN ('', 'rejected') AND ad.reminded_at IS NULL
			ORDER BY a.starts_at, ad.deputy_id LIMIT 1000`, tx.now, tx.now.Add(24*time.Hour))
		if err != nil {
			return err
		}
		type due struct {
			x      lianluo.Activity
			deputy int64
		}
		var dues []due
		for rows.Next() {
			var d due
			if err := scanActivity(rows, &d.x, &d.deputy); err != nil {
				rows.Close()
				return err
			}
			dues = append(dues, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range dues {
			res, err := tx.Exec(ctx, `UPDATE activity_deputies SET reminded_at = $1 WHERE activity_id = $2 AND deputy_id = $3 AND reminded_at IS NULL`,
				tx.now, d.x.ID, d.deputy)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k != 1 {
				continue
			}
			st, err := notifyStation(ctx, tx, &d.x)
			if err != nil {
				return err
			}
			body := fmt.Sprintf("温馨提示：明天（%s）%s活动“%s”，地点：%s。到场后请签到；如不能参加，请在平台上请假。",
				activityWhen(&d.x), lianluo.ActivityKindNames[d.x.Kind], d.x.Title, d.x.Place)
			if err := notifyDeputyOf(ctx, tx, d.deputy, st, "activity_reminder", body, fmt.Sprintf("activity_reminder:%d:%d", d.x.ID, d.deputy)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// activityAttendance adds each deputy's activities held in a year
// (published or done, already ended) to the reception attendance rows.
// A deputy still "scheduled" after it ended counts as absent.
func (db *DB) activityAttendance(ctx context.Context, f lianluo.AttendanceFilter, out []lianluo.AttendanceRow) ([]lianluo.AttendanceRow, error) {
	var w where
	scopeActivities(&w, lianluo.ActorFromContext(ctx), "a")
	from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(f.Year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	w.add("a.status IN ('published', 'done')")
	w.add("a.starts_at >= " + w.arg(from) + " AND a.starts_at < " + w.arg(to))
	w.add("a.ends_at < " + w.arg(db.Now().UTC()))
	if f.StationID != 0 {
		w.add("a.station_id = " + w.arg(f.StationID))
	}
	if f.Region != "" {
		w.add(regionRange(&w, "a.region_code", lianluo.NormalizeRegionCode(f.Region)))
	}
	rows, err := db.reader().Query(ctx, `SELECT d.id, d.name, COALESCE(s.name, ''), ad.attendance
		FROM activity_deputies ad JOIN activities a ON a.id = ad.activity_id LEFT JOIN stations s ON s.id = a.station_id
		JOIN deputies d ON d.id = ad.deputy_id`+w.String()+` ORDER BY d.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	idx := map[int64]int{}
	for i, r := range out {
		idx[r.DeputyID] = i
	}
	for rows.Next() {
		var id int64
		var name, station, att string
		if err := rows.Scan(&id, &name, &station, &att); err != nil {
			return nil, err
		}
		i, ok := idx[id]
		if !ok {
			i = len(out)
			idx[id] = i
			out = append(out, lianluo.AttendanceRow{DeputyID: id, Name: name, Stations: station})
		}
		row := &out[i]
		row.Activities++
		switch att {
		case lianluo.AttendPresent:
			row.ActivitiesPresent++
		case lianluo.AttendLeave:
			row.ActivitiesLeave++
		default:
			row.ActivitiesAbsent++
		}
	}
	return out, rows.Err()
}

// countDeputyActivities adds a deputy's activities held in [from, to) —
// published or done, ended by the transaction's now — to row.
func countDeputyActivities(ctx context.Context, tx *Tx, row *lianluo.AttendanceRow, from, to time.Time) error {
	rows, err := tx.Query(ctx, `SELECT ad.attendance, COUNT(*)
		FROM activity_deputies ad JOIN activities a ON a.id = ad.activity_id
		WHERE ad.deputy_id = $1 AND a.status IN ('published', 'done') AND a.starts_at >= $2 AND a.starts_at < $3 AND a.ends_at < $4
		GROUP BY ad.attendance`, row.DeputyID, from, to, tx.now)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var att string
		var n int
		if err := rows.Scan(&att, &n); err != nil {
			return err
		}
		row.Activities += n
		switch att {
		case lianluo.AttendPresent:
			row.ActivitiesPresent += n
		case lianluo.AttendLeave:
			row.ActivitiesLeave += n
		default:
			row.ActivitiesAbsent += n
		}
	}
	return rows.Err()
}

// activityFeed lists the feed events of a deputy's invitations or a
// station's activities from a time (drafts are not shown).
func (db *DB) activityFeed(ctx context.Context, kind string, id int64, from time.Time) ([]lianluo.FeedEvent, error) {
	f := lianluo.ActivityFilter{From: &from, Page: lianluo.AllRows()}
	if kind == "deputy" {
		f.DeputyID = id
	} else {
		f.StationID = id
	}
	list, _, err := findActivities(ctx, db.reader(), f)
	if err != nil {
		return nil, err
	}
	var out []lianluo.FeedEvent
	for _, x := range list {
		if x.Status == lianluo.ActivityDraft {
			continue
		}
		desc := x.Organiser() + "组织。"
		if x.Content != "" {
			desc = x.Content + "\n" + desc
		}
		out = append(out, lianluo.FeedEvent{
			UID: fmt.Sprintf("activity-%d@lianluo", x.ID), Start: x.StartsAt, End: x.EndsAt,
			Summary:  lianluo.ActivityKindNames[x.Kind] + "：" + x.Title,
			Location: x.Place, Description: desc, Updated: x.UpdatedAt, Cancelled: x.Status == lianluo.ActivityCancelled,
		})
	}
	return out, nil
}

var _ lianluo.ActivityService = (*DB)(nil)

// ActivityYear counts, for every active station in scope, the activities
// it organised and held in a year (published or done, ended by now) by
// quarter, with the deputies invited to and present at them.
func (db *DB) ActivityYear(ctx context.Context, year int, region string) (_ []lianluo.StationActivityYear, err error) {
	defer wrap(&err, "ActivityYear(%d)", year)
	if year < 2000 || year > 2100 {
		return nil, lianluo.FieldError("year", "年份不正确。")
	}
	var w where
	scopeStations(&w, lianluo.ActorFromContext(ctx), "s")
	w.add("s.active = TRUE")
	if region != "" {
		code := lianluo.NormalizeRegionCode(region)
		if code == "" {
			return nil, lianluo.FieldError("region", "地区代码格式不对。")
		}
		w.add(regionRange(&w, "s.region_code", code))
	}
	rows, err := db.reader().Query(ctx, `SELECT s.id, s.name FROM stations s`+w.String()+` ORDER BY s.region_code, s.name, s.id`, w.args...)
	if err != nil {
		return nil, err
	}
	out := []lianluo.StationActivityYear{}
	idx := map[int64]int{}
	for rows.Next() {
		var y lianluo.StationActivityYear
		if err := rows.Scan(&y.StationID, &y.StationName); err != nil {
			rows.Close()
			return nil, err
		}
		idx[y.StationID] = len(out)
		out = append(out, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	for i, y := range out {
		ids[i] = y.StationID
	}
	var aw where
	in := aw.in(ids)
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	to := time.Date(year+1, 1, 1, 0, 0, 0, 0, lianluo.Beijing).UTC()
	rows, err = db.reader().Query(ctx, `SELECT a.station_id, a.starts_at,
		(SELECT COUNT(*) FROM activity_deputies ad WHERE ad.activity_id = a.id),
		(SELECT COUNT(*) FROM activity_deputies ad WHERE ad.activity_id = a.id AND ad.attendance = 'present')
		FROM activities a WHERE a.station_id IN `+in+` AND a.group_id IS NULL AND a.status IN ('published', 'done')
		AND a.starts_at >= `+aw.arg(from)+` AND a.starts_at < `+aw.arg(to)+` AND a.ends_at < `+aw.arg(db.Now().UTC()), aw.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var station int64
		var starts time.Time
		var invited, present int
		if err := rows.Scan(&station, &starts, &invited, &present); err != nil {
			return nil, err
		}
		y := &out[idx[station]]
		y.Quarters[(starts.In(lianluo.Beijing).Month()-1)/3]++
		y.Held++
		y.Invitations += invited
		y.Present += present
	}
	return out, rows.Err()
}
