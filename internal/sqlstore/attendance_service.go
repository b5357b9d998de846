package sqlstore

import (
	"context"

	"lianluo"
)

// attendance is the AttendanceService: it sends each call to the writes of
// the occasion's kind.
type attendance struct{ db *DB }

func kindError(kind lianluo.OccasionKind) error {
	return lianluo.FieldError("kind", "没有这种活动类型：%q。", kind)
}

func (a attendance) SignIn(ctx context.Context, kind lianluo.OccasionKind, id int64) error {
	switch kind {
	case lianluo.KindReception:
		_, err := a.db.SignIn(ctx, id)
		return err
	case lianluo.KindActivity:
		_, err := a.db.ActivitySignIn(ctx, id)
		return err
	}
	return kindError(kind)
}

func (a attendance) MarkAttendance(ctx context.Context, kind lianluo.OccasionKind, id, deputyID int64, att string) error {
	switch kind {
	case lianluo.KindReception:
		_, err := a.db.MarkAttendance(ctx, id, deputyID, att)
		return err
	case lianluo.KindActivity:
		_, err := a.db.MarkActivityAttendance(ctx, id, deputyID, att)
		return err
	}
	return kindError(kind)
}

func (a attendance) RequestLeave(ctx context.Context, kind lianluo.OccasionKind, id int64, reason string) error {
	switch kind {
	case lianluo.KindReception:
		_, err := a.db.RequestLeave(ctx, id, reason)
		return err
	case lianluo.KindActivity:
		_, err := a.db.RequestActivityLeave(ctx, id, reason)
		return err
	}
	return kindError(kind)
}

func (a attendance) DecideLeave(ctx context.Context, kind lianluo.OccasionKind, id, deputyID int64, approve bool) error {
	switch kind {
	case lianluo.KindReception:
		_, err := a.db.DecideLeave(ctx, id, deputyID, approve)
		return err
	case lianluo.KindActivity:
		_, err := a.db.DecideActivityLeave(ctx, id, deputyID, approve)
		return err
	}
	return kindError(kind)
}

func (a attendance) AddPhoto(ctx context.Context, kind lianluo.OccasionKind, id int64, data []byte) error {
	switch kind {
	case lianluo.KindReception:
		return a.db.AddReceptionPhoto(ctx, id, data)
	case lianluo.KindActivity:
		return a.db.AddActivityPhoto(ctx, id, data)
	}
	return kindError(kind)
}

func (a attendance) Photo(ctx context.Context, kind lianluo.OccasionKind, id int64, n int) (*lianluo.Photo, error) {
	switch kind {
	case lianluo.KindReception:
		return a.db.ReceptionPhoto(ctx, id, n)
	case lianluo.KindActivity:
		return a.db.ActivityPhoto(ctx, id, n)
	}
	return nil, kindError(kind)
}

func (a attendance) LinkCase(ctx context.Context, kind lianluo.OccasionKind, id, caseID int64) error {
	switch kind {
	case lianluo.KindReception:
		_, err := a.db.LinkCase(ctx, id, caseID)
		return err
	case lianluo.KindActivity:
		_, err := a.db.LinkActivityCase(ctx, id, caseID)
		return err
	}
	return kindError(kind)
}
