package lianluo

import "context"

// OccasionKind names a kind of occasion: a dated gathering deputies are
// invited to, whose invitees sign in, ask for leave, have their attendance
// recorded, and whose photos and linked cases are kept the same way for
// every kind (docs/architecture.md, "Adding an occasion kind").
type OccasionKind string

const (
	KindReception OccasionKind = "reception" // 接待 (a rota session at a station)
	KindActivity  OccasionKind = "activity"  // 代表活动
)

// OccasionKinds lists every kind, in the order pages show them.
var OccasionKinds = []OccasionKind{KindReception, KindActivity}

// Valid reports whether k is a known kind.
func (k OccasionKind) Valid() bool {
	for _, x := range OccasionKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Noun is the kind in Chinese, as messages name it (接待, 活动).
func (k OccasionKind) Noun() string {
	switch k {
	case KindReception:
		return "接待"
	case KindActivity:
		return "活动"
	}
	return string(k)
}

// AttendanceService is the attendance of every kind of occasion: one set of
// writes and one set of rules (attendance_rules.go) whatever the kind. The
// kind's own service (ReceptionService, ActivityService) creates, publishes,
// cancels and records it; callers that show the occasion afterwards read it
// again from there.
type AttendanceService interface {
	// SignIn records the calling deputy, invited, as present, in the
	// sign-in window only (CheckSignIn).
	SignIn(ctx context.Context, kind OccasionKind, id int64) error
	// MarkAttendance is the staff's record of an invited deputy's attendance (an Attend* value).
	MarkAttendance(ctx context.Context, kind OccasionKind, id, deputyID int64, attendance string) error
	// RequestLeave is the calling deputy's request for leave (请假), with a reason.
	RequestLeave(ctx context.Context, kind OccasionKind, id int64, reason string) error
	// DecideLeave approves or refuses a deputy's pending request and tells them.
	DecideLeave(ctx context.Context, kind OccasionKind, id, deputyID int64, approve bool) error
	// AddPhoto keeps a photo of the occasion (JPEG or PNG).
	AddPhoto(ctx context.Context, kind OccasionKind, id int64, data []byte) error
	// Photo is the occasion's n-th photo, counting from 1.
	Photo(ctx context.Context, kind OccasionKind, id int64, n int) (*Photo, error)
	// LinkCase ties a case raised at the occasion to it (CheckLinkCase).
	LinkCase(ctx context.Context, kind OccasionKind, id, caseID int64) error
	// Cancel cancels one that has not taken place (CheckCancel), given its
	// version; the invitees of a published one are told.
	Cancel(ctx context.Context, kind OccasionKind, id int64, version int) error
}
