package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"lianluo"
)

// The online station (网上代表联络站 — docs/design.md) under
// /api/v1/public: no login. The store decides everything a voter may see
// and enforces the limits (submissions, code lookups, SMS codes); these
// handlers only adapt HTTP, and must not tell a wrong tracking code from a
// wrong phone tail by anything but the store's one answer.

// regionParam reads an optional division code parameter. The store would
// read a malformed code as "everywhere"; a client should hear it is wrong.
func (q *query) regionParam(name string) string {
	s := q.str(name)
	if s == "" {
		return ""
	}
	code := lianluo.NormalizeRegionCode(s)
	if code == "" && q.err == nil {
		q.err = lianluo.FieldError(name, "参数 %s 须为行政区划代码，例如 330206。", name)
	}
	return code
}

func (h *Handler) publicRegions(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	code := q.regionParam("code")
	if q.err != nil {
		return q.err
	}
	p, err := h.svc.Public.PublicRegions(r.Context(), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) publicStations(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.PublicStationFilter{Region: q.regionParam("region"), Q: q.str("q"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Public.PublicStations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

func (h *Handler) publicStation(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Public.PublicStation)
}

func (h *Handler) publicDeputy(w http.ResponseWriter, r *http.Request) error {
	return get(w, r, h.svc.Public.PublicDeputy)
}

// publicDeputyPhoto serves a portrait; caches may keep it an hour, and
// ServeContent answers conditional requests from its modification time.
func (h *Handler) publicDeputyPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.svc.Public.DeputyPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, "", p.UpdatedAt, bytes.NewReader(p.Data))
	return nil
}

func (h *Handler) publicSettings(w http.ResponseWriter, r *http.Request) error {
	s, err := h.svc.Public.PublicSettings(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

type verifyCodeRequest struct {
	Phone string `json:"phone"`
}

func (h *Handler) sendVerifyCode(w http.ResponseWriter, r *http.Request) error {
	var req verifyCodeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := h.svc.Public.SendVerifyCode(r.Context(), req.Phone); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// submitOpinion answers 201 with a new receipt, or 200 with the first one
// when the store recognises the same opinion sent again (a second tap).
func (h *Handler) submitOpinion(w http.ResponseWriter, r *http.Request) error {
	var o lianluo.Opinion
	if err := decode(r, &o); err != nil {
		return err
	}
	rc, err := h.svc.Public.SubmitOpinion(r.Context(), o)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if rc.Duplicate {
		status = http.StatusOK
	}
	return writeJSON(w, status, rc)
}

func (h *Handler) followOpinion(w http.ResponseWriter, r *http.Request) error {
	p, err := h.svc.Public.FollowOpinion(r.Context(), r.PathValue("tracking_code"), r.URL.Query().Get("phone_tail"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// photoCount is the answer to a voter's photo: how many the opinion has now.
type photoCount struct {
	Photos int `json:"photos"`
}

func (h *Handler) addOpinionPhoto(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("tracking_code")
	data, err := readPhoto(w, r)
	if err != nil {
		return err
	}
	// A multipart form may carry the tail beside the photo, out of the URL.
	tail := r.URL.Query().Get("phone_tail")
	if r.MultipartForm != nil {
		if v := r.MultipartForm.Value["phone_tail"]; len(v) > 0 && v[0] != "" {
			tail = v[0]
		}
	}
	if err := h.svc.Public.AddOpinionPhoto(r.Context(), code, tail, data); err != nil {
		return err
	}
	p, err := h.svc.Public.FollowOpinion(r.Context(), code, tail)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, photoCount{Photos: p.Photos})
}

// ratingRequest is a voter's rating. The phone tail may come in the body
// instead of the query string, which keeps it out of URLs and proxy logs.
type ratingRequest struct {
	Rating    string `json:"rating"`
	Comment   string `json:"comment"`
	PhoneTail string `json:"phone_tail,omitempty"`
}

func (h *Handler) rateOpinion(w http.ResponseWriter, r *http.Request) error {
	var req ratingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	tail := req.PhoneTail
	if tail == "" {
		tail = r.URL.Query().Get("phone_tail")
	}
	p, err := h.svc.Public.RateOpinion(r.Context(), r.PathValue("tracking_code"), tail,
		lianluo.PublicRating{Rating: req.Rating, Comment: req.Comment})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (h *Handler) publishedResults(w http.ResponseWriter, r *http.Request) error {
	q := query{r: r}
	f := lianluo.ResultFilter{Region: q.regionParam("region"), Category: q.str("category"), Month: q.str("month"), Page: q.page()}
	if q.err != nil {
		return q.err
	}
	items, total, err := h.svc.Public.PublishedResults(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, items, total)
}

// Staff side of the online station.

func (h *Handler) publishCase(w http.ResponseWriter, r *http.Request) error {
	return update(w, r, func(in *lianluo.PublishInput) int { return in.Version }, h.svc.Cases.PublishCase)
}

func (h *Handler) putDeputyPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, err := readPhoto(w, r)
	if err != nil {
		return err
	}
	if err := h.svc.Deputies.SetDeputyPhoto(r.Context(), id, data); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) deleteDeputyPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Deputies.SetDeputyPhoto(r.Context(), id, nil); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) putPublicSettings(w http.ResponseWriter, r *http.Request) error {
	var s lianluo.PublicSettings
	if err := decode(r, &s); err != nil {
		return err
	}
	if err := h.svc.Settings.UpdatePublicSettings(r.Context(), s); err != nil {
		return err
	}
	return h.publicSettings(w, r)
}

// maxPhotoBody bounds an uploaded photo's request: the photo limit plus
// room for the multipart framing.
const maxPhotoBody = lianluo.MaxPhotoBytes + 1<<20

var errPhotoTooLarge = lianluo.Errorf(lianluo.ETOOLARGE, "照片不能超过%dMB。", lianluo.MaxPhotoBytes>>20)

// readPhoto reads an uploaded image: the multipart field "photo" (or
// "file"), or the raw body; its file name is not kept (photos are named by
// their place: 群众照片N, 现场照片). Empty is an error here:
// to the store empty data means "remove the photo", which an upload must
// never do by accident. The type is checked by the store (sniffed).
func readPhoto(w http.ResponseWriter, r *http.Request) (data []byte, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPhotoBody)
	src := io.Reader(r.Body)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// The body is bounded, so the whole form may stay in memory.
		if err := r.ParseMultipartForm(maxPhotoBody); err != nil {
			if isTooLarge(err) {
				return nil, errPhotoTooLarge
			}
			return nil, lianluo.FieldError("photo", "请选择照片。")
		}
		defer r.MultipartForm.RemoveAll()
		f, _, err := r.FormFile("photo")
		if errors.Is(err, http.ErrMissingFile) {
			f, _, err = r.FormFile("file")
		}
		if err != nil {
			return nil, lianluo.FieldError("photo", "请选择照片。")
		}
		defer f.Close()
		src = f
	}
	data, err = io.ReadAll(io.LimitReader(src, lianluo.MaxPhotoBytes+1))
	switch {
	case isTooLarge(err):
		return nil, errPhotoTooLarge
	case err != nil:
		return nil, lianluo.FieldError("photo", "照片没有上传完整，请重试。")
	case len(data) == 0:
		return nil, lianluo.FieldError("photo", "请选择照片。")
	}
	return data, nil
}

func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}
