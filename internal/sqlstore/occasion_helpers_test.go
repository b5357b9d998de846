package sqlstore_test

import (
	"context"

	"lianluo"
	"lianluo/internal/sqlstore"
)

// receptionAttendance and activityAttendance call the AttendanceService
// for one kind and read the occasion again, as the pages and the API do.
type receptionAttendance struct{ db *sqlstore.DB }
type activityAttendance struct{ db *sqlstore.DB }

func rec(db *sqlstore.DB) receptionAttendance { return receptionAttendance{db} }
func act(db *sqlstore.DB) activityAttendance  { return activityAttendance{db} }

func (r receptionAttendance) then(ctx context.Context, id int64, err error) (*lianluo.Reception, error) {
	if err != nil {
		return nil, err
	}
	return r.db.FindReceptionByID(ctx, id)
}

func (r receptionAttendance) SignIn(ctx context.Context, id int64) (*lianluo.Reception, error) {
	return r.then(ctx, id, r.db.Services().Attendance.SignIn(ctx, lianluo.KindReception, id))
}

func (r receptionAttendance) MarkAttendance(ctx context.Context, id, deputyID int64, att string) (*lianluo.Reception, error) {
	return r.then(ctx, id, r.db.Services().Attendance.MarkAttendance(ctx, lianluo.KindReception, id, deputyID, att))
}

func (r receptionAttendance) RequestLeave(ctx context.Context, id int64, reason string) (*lianluo.Reception, error) {
	return r.then(ctx, id, r.db.Services().Attendance.RequestLeave(ctx, lianluo.KindReception, id, reason))
}

func (r receptionAttendance) DecideLeave(ctx context.Context, id, deputyID int64, approve bool) (*lianluo.Reception, error) {
	return r.then(ctx, id, r.db.Services().Attendance.DecideLeave(ctx, lianluo.KindReception, id, deputyID, approve))
}

func (r receptionAttendance) LinkCase(ctx context.Context, id, caseID int64) (*lianluo.Reception, error) {
	return r.then(ctx, id, r.db.Services().Attendance.LinkCase(ctx, lianluo.KindReception, id, caseID))
}

func (r receptionAttendance) AddPhoto(ctx context.Context, id int64, data []byte) error {
	return r.db.Services().Attendance.AddPhoto(ctx, lianluo.KindReception, id, data)
}

func (r receptionAttendance) Photo(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
	return r.db.Services().Attendance.Photo(ctx, lianluo.KindReception, id, n)
}

func (x activityAttendance) then(ctx context.Context, id int64, err error) (*lianluo.Activity, error) {
	if err != nil {
		return nil, err
	}
	return x.db.FindActivityByID(ctx, id)
}

func (x activityAttendance) SignIn(ctx context.Context, id int64) (*lianluo.Activity, error) {
	return x.then(ctx, id, x.db.Services().Attendance.SignIn(ctx, lianluo.KindActivity, id))
}

func (x activityAttendance) MarkAttendance(ctx context.Context, id, deputyID int64, att string) (*lianluo.Activity, error) {
	return x.then(ctx, id, x.db.Services().Attendance.MarkAttendance(ctx, lianluo.KindActivity, id, deputyID, att))
}

func (x activityAttendance) RequestLeave(ctx context.Context, id int64, reason string) (*lianluo.Activity, error) {
	return x.then(ctx, id, x.db.Services().Attendance.RequestLeave(ctx, lianluo.KindActivity, id, reason))
}

func (x activityAttendance) DecideLeave(ctx context.Context, id, deputyID int64, approve bool) (*lianluo.Activity, error) {
	return x.then(ctx, id, x.db.Services().Attendance.DecideLeave(ctx, lianluo.KindActivity, id, deputyID, approve))
}

func (x activityAttendance) LinkCase(ctx context.Context, id, caseID int64) (*lianluo.Activity, error) {
	return x.then(ctx, id, x.db.Services().Attendance.LinkCase(ctx, lianluo.KindActivity, id, caseID))
}

func (x activityAttendance) AddPhoto(ctx context.Context, id int64, data []byte) error {
	return x.db.Services().Attendance.AddPhoto(ctx, lianluo.KindActivity, id, data)
}

func (x activityAttendance) Photo(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
	return x.db.Services().Attendance.Photo(ctx, lianluo.KindActivity, id, n)
}
