package api

import (
	"context"
	"net/http"
	"strconv"

	"lianluo"
)

// The attendance of every occasion kind — receptions (接待) and activities
// (代表活动): sign-in, leave and its decision, attendance, photos and linked
// cases, one handler each, given the kind (docs/architecture.md, "Adding an
// occasion kind"). Each answers with the occasion read again, as its kind's
// own routes show it.

// occasion reads the occasion of kind again after a write.
func (h *Handler) occasion(ctx context.Context, kind lianluo.OccasionKind, id int64) (any, error) {
	if kind == lianluo.KindActivity {
		return h.svc.Activities.FindActivityByID(ctx, id)
	}
	return h.svc.Receptions.FindReceptionByID(ctx, id)
}

// attend runs a write of the AttendanceService and answers with the occasion.
func attend[T any](h *Handler, kind lianluo.OccasionKind, write func(ctx context.Context, id int64, in T) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		return actOn(w, r, func(id int64, in T) (any, error) {
			if err := write(r.Context(), id, in); err != nil {
				return nil, err
			}
			return h.occasion(r.Context(), kind, id)
		})
	}
}

type noBody struct{}

func (h *Handler) signIn(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return attend(h, kind, func(ctx context.Context, id int64, _ noBody) error {
		return h.svc.Attendance.SignIn(ctx, kind, id)
	})
}

type leaveRequest struct {
	Reason string `json:"reason"`
}

func (h *Handler) requestLeave(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return attend(h, kind, func(ctx context.Context, id int64, in leaveRequest) error {
		return h.svc.Attendance.RequestLeave(ctx, kind, id, in.Reason)
	})
}

type leaveDecision struct {
	Approve *bool `json:"approve"`
}

func (h *Handler) decideLeave(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		deputyID, err := strconv.ParseInt(r.PathValue("deputy_id"), 10, 64)
		if err != nil || deputyID <= 0 {
			return lianluo.NotFound("代表")
		}
		return attend(h, kind, func(ctx context.Context, id int64, in leaveDecision) error {
			if in.Approve == nil {
				return lianluo.FieldError("approve", "请说明是否批准（approve 为 true 或 false）。")
			}
			return h.svc.Attendance.DecideLeave(ctx, kind, id, deputyID, *in.Approve)
		})(w, r)
	}
}

type attendanceRequest struct {
	DeputyID   int64  `json:"deputy_id"`
	Attendance string `json:"attendance"`
}

func (h *Handler) markAttendance(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return attend(h, kind, func(ctx context.Context, id int64, in attendanceRequest) error {
		if in.DeputyID <= 0 {
			return lianluo.FieldError("deputy_id", "请指明代表（deputy_id）。")
		}
		return h.svc.Attendance.MarkAttendance(ctx, kind, id, in.DeputyID, in.Attendance)
	})
}

type linkCaseRequest struct {
	CaseID int64 `json:"case_id"`
}

func (h *Handler) linkCase(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return attend(h, kind, func(ctx context.Context, id int64, in linkCaseRequest) error {
		if in.CaseID <= 0 {
			return lianluo.FieldError("case_id", "请指明意见编号（case_id）。")
		}
		return h.svc.Attendance.LinkCase(ctx, kind, id, in.CaseID)
	})
}

// uploadPhoto takes the photo as multipart field "photo" or as the raw body.
func (h *Handler) uploadPhoto(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		data, err := readPhoto(w, r)
		if err != nil {
			return err
		}
		if err := h.svc.Attendance.AddPhoto(r.Context(), kind, id, data); err != nil {
			return err
		}
		x, err := h.occasion(r.Context(), kind, id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, x)
	}
}

func (h *Handler) getPhoto(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		return servePhoto(w, r, func(ctx context.Context, id int64, n int) (*lianluo.Photo, error) {
			return h.svc.Attendance.Photo(ctx, kind, id, n)
		})
	}
}

func (h *Handler) cancelOccasion(kind lianluo.OccasionKind) func(w http.ResponseWriter, r *http.Request) error {
	return attend(h, kind, func(ctx context.Context, id int64, in versionRequest) error {
		return h.svc.Attendance.Cancel(ctx, kind, id, in.Version)
	})
}
