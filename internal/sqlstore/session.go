package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sort"

	"lianluo"
)

// Receptions and activities are both sessions deputies attend: each has
// its deputies (attendance and leave), the cases raised at it and photos.

// sessionTables names where a kind of session keeps its parts.
type sessionTables struct {
	deputies string // the deputies table, keyed by key
	photos   string // the photos table, keyed by key
	key      string // the column naming the session
	cases    string // SELECT session id, case id … WHERE session id IN
}

var (
	receptionTables = sessionTables{deputies: "reception_deputies", photos: "reception_photos", key: "reception_id",
		cases: `SELECT reception_id, id FROM cases WHERE reception_id IN `}
	activityTables = sessionTables{deputies: "activity_deputies", photos: "activity_photos", key: "activity_id",
		cases: `SELECT activity_id, case_id FROM activity_cases WHERE activity_id IN `}
)

// sessionParts points at the fields of one session to fill.
type sessionParts struct {
	deputies  *[]lianluo.ReceptionDeputy
	deputyIDs *[]int64
	caseIDs   *[]int64
	photos    *int
}

// loadSessionParts fills the deputies, case IDs and photo counts of a page
// of sessions in three queries.
func loadSessionParts(ctx context.Context, c conn, t sessionTables, parts map[int64]sessionParts) error {
	if len(parts) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(parts))
	for id := range parts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var w where
	in := w.in(ids)
	rows, err := c.Query(ctx, `SELECT x.`+t.key+`, x.deputy_id, d.name, x.attendance, x.signed_in_at, x.signed_by,
		x.leave_reason, x.leave_status, x.leave_at FROM `+t.deputies+` x JOIN deputies d ON d.id = x.deputy_id
		WHERE x.`+t.key+` IN `+in+` ORDER BY x.`+t.key+`, x.position, x.deputy_id`, w.args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var d lianluo.ReceptionDeputy
		if err := rows.Scan(&id, &d.DeputyID, &d.Name, &d.Attendance, &d.SignedInAt, &d.SignedBy, &d.LeaveReason, &d.LeaveStatus, &d.LeaveAt); err != nil {
			rows.Close()
			return err
		}
		p := parts[id]
		*p.deputies = append(*p.deputies, d)
		*p.deputyIDs = append(*p.deputyIDs, d.DeputyID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = c.Query(ctx, t.cases+in+` ORDER BY 2`, w.args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, caseID int64
		if err := rows.Scan(&id, &caseID); err != nil {
			rows.Close()
			return err
		}
		p := parts[id]
		*p.caseIDs = append(*p.caseIDs, caseID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = c.Query(ctx, `SELECT `+t.key+`, COUNT(*) FROM `+t.photos+` WHERE `+t.key+` IN `+in+` GROUP BY `+t.key, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		*parts[id].photos = n
	}
	return rows.Err()
}

// maxSessionPhotos is how many photos a reception or an activity keeps.
const maxSessionPhotos = 20

// addSessionPhoto stores a checked photo of a session that has n already.
func addSessionPhoto(ctx context.Context, tx *Tx, t sessionTables, id int64, n int, contentType string, data []byte, a *lianluo.Actor) error {
	if n >= maxSessionPhotos {
		// A full set is a state of the session (409), not a too-large request.
		return lianluo.Errorf(lianluo.ESTATE, "每次最多保存%d张照片。", maxSessionPhotos)
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+t.photos+` (`+t.key+`, content_type, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
		id, contentType, data, userRef(a), tx.now)
	return err
}

// sessionPhoto returns the n-th (from 1) photo of a session.
func sessionPhoto(ctx context.Context, c conn, t sessionTables, id int64, n int) (*lianluo.Photo, error) {
	if n < 1 {
		return nil, lianluo.NotFound("照片")
	}
	var p lianluo.Photo
	err := c.QueryRow(ctx, `SELECT content_type, data, created_at FROM `+t.photos+` WHERE `+t.key+` = $1 ORDER BY id LIMIT 1 OFFSET $2`,
		id, n-1).Scan(&p.ContentType, &p.Data, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("照片")
	}
	return &p, err
}
