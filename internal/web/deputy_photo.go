package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"lianluo"
)

// A deputy's portrait for the public profile (网上联络站): set by the
// office managing the deputy, or by the deputy on their own page.

func (a *app) deputyPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// readForm limited the body to maxUploadBytes and left it unparsed.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return a.showDeputy(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("照片不能超过%dMB。", lianluo.MaxPhotoBytes>>20))
		}
		return a.showDeputy(w, r, http.StatusBadRequest, "请选择照片。")
	}
	defer r.MultipartForm.RemoveAll()
	f, _, err := r.FormFile("photo")
	if err != nil {
		return a.showDeputy(w, r, http.StatusBadRequest, "请选择照片。")
	}
	data, err := io.ReadAll(io.LimitReader(f, lianluo.MaxPhotoBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return a.showDeputy(w, r, http.StatusBadRequest, "请选择照片。")
	}
	if err := a.svc.Deputies.SetDeputyPhoto(r.Context(), id, data); err != nil {
		if c := lianluo.ErrorCode(err); c == lianluo.EINVALID || c == lianluo.ETOOLARGE {
			return a.showDeputy(w, r, lianluo.HTTPStatus(c), lianluo.ErrorMessage(err))
		}
		return err
	}
	return redirect(w, r, fmt.Sprintf("/console/deputies/%d?ok=photo", id))
}

func (a *app) deputyPhotoDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.svc.Deputies.SetDeputyPhoto(r.Context(), id, nil); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/console/deputies/%d?ok=photo_removed", id))
}
