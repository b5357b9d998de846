package sqlstore_test

import (
	"context"

	"lianluo"
	"lianluo/internal/sqlstore"
)

// occasionOf calls the AttendanceService for one kind and reads the
// occasion again, as the pages and the API do.
type occasionOf[T any] struct {
	db   *sqlstore.DB
	kind lianluo.OccasionKind
	find func(context.Context, int64) (T, error)
}

func rec(db *sqlstore.DB) occasionOf[*lianluo.Reception] {
	return occasionOf[*lianluo.Reception]{db, lianluo.KindReception, db.FindReceptionByID}
}

func act(db *sqlstore.DB) occasionOf[*lianluo.Activity] {
	return occasionOf[*lianluo.Activity]{db, lianluo.KindActivity, db.FindActivityByID}
}

func (o occasionOf[T]) svc() lianluo.AttendanceService { return o.db.Services().Attendance }

func (o occasionOf[T]) then(ctx context.Context, id int64, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return o.find(ctx, id)
}

func (o occasionOf[T]) SignIn(ctx context.Context, id int64) (T, error) {
	return o.then(ctx, id, o.svc().SignIn(ctx, o.kind, id))
}

func (o occasionOf[T]) MarkAttendance(ctx context.Context, id, deputyID int64, att string) (T, error) {
	return o.then(ctx, id, o.svc().MarkAttendance(ctx, o.kind, id, deputyID, att))
}

func (o occasionOf[T]) RequestLeave(ctx context.Context, id int64, reason string) (T, error) {
	return o.then(ctx, id, o.svc().RequestLeave(ctx, o.kind, id, reason))
}

func (o occasionOf[T]) DecideLeave(ctx context.Context, id, deputyID int64, approve bool) (T, error) {
	return o.then(ctx, id, o.svc().DecideLeave(ctx, o.kind, id, deputyID, approve))
}

func (o occasionOf[T]) LinkCase(ctx context.Context, id, caseID int64) (T, error) {
	return o.then(ctx, id, o.svc().LinkCase(ctx, o.kind, id, caseID))
}

func (o occasionOf[T]) Cancel(ctx context.Context, id int64, version int) (T, error) {
	return o.then(ctx, id, o.svc().Cancel(ctx, o.kind, id, version))
}

func (o occasionOf[T]) AddPhoto(ctx context.Context, id int64, data []byte) error {
	return o.svc().AddPhoto(ctx, o.kind, id, data)
}

func (o occasionOf[T]) Photo(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
	return o.svc().Photo(ctx, o.kind, id, n)
}
