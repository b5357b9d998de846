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

// sessionParts points at the fields of one session to fill.
type sessionParts struct {
	deputies  *[]lianluo.ReceptionDeputy
	deputyIDs *[]int64
	caseIDs   *[]int64
	photos    *int
}

// loadSessionParts fills the deputies, case IDs and photo counts of a page
// of sessions in three queries.
func loadSessionParts(ctx context.Context, c conn, k occasionKind, parts map[int64]sessionParts) error {
	if len(parts) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(parts))
	for id := range parts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var w where
	kind := w.arg(string(k.kind))
	in := w.in(ids)
	rows, err := c.Query(ctx, `SELECT x.occasion_id, x.deputy_id, d.name, x.attendance, x.signed_in_at, x.signed_by,
		x.leave_reason, x.leave_status, x.leave_at FROM occasion_invitees x JOIN deputies d ON d.id = x.deputy_id
		WHERE x.kind = `+kind+` AND x.occasion_id IN `+in+` ORDER BY x.occasion_id, x.position, x.deputy_id`, w.args...)
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
	rows, err = c.Query(ctx, `SELECT occasion_id, case_id FROM occasion_cases WHERE kind = `+kind+` AND occasion_id IN `+in+` ORDER BY 2`, w.args...)
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
	rows, err = c.Query(ctx, `SELECT occasion_id, COUNT(*) FROM occasion_photos WHERE kind = `+kind+` AND occasion_id IN `+in+` GROUP BY occasion_id`, w.args...)
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
func addSessionPhoto(ctx context.Context, tx *Tx, k occasionKind, id int64, n int, contentType string, data []byte, a *lianluo.Actor) error {
	if n >= maxSessionPhotos {
		// A full set is a state of the session (409), not a too-large request.
		return lianluo.Errorf(lianluo.ESTATE, "每次最多保存%d张照片。", maxSessionPhotos)
	}
	_, err := tx.Exec(ctx, `INSERT INTO occasion_photos (kind, occasion_id, content_type, data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		string(k.kind), id, contentType, data, userRef(a), tx.now)
	return err
}

// sessionPhoto returns the n-th (from 1) photo of a session.
func sessionPhoto(ctx context.Context, c conn, k occasionKind, id int64, n int) (*lianluo.Photo, error) {
	if n < 1 {
		return nil, lianluo.NotFound("照片")
	}
	var p lianluo.Photo
	err := c.QueryRow(ctx, `SELECT content_type, data, created_at FROM occasion_photos WHERE kind = $1 AND occasion_id = $2 ORDER BY id LIMIT 1 OFFSET $3`,
		string(k.kind), id, n-1).Scan(&p.ContentType, &p.Data, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("照片")
	}
	return &p, err
}
