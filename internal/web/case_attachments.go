package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lianluo"
)

// Attachments of a case: photos from a phone and scanned letters.

type attachmentRow struct {
	lianluo.Attachment
	URL string
}

func (r attachmentRow) IsImage() bool { return strings.HasPrefix(r.ContentType, "image/") }

func (r attachmentRow) SizeText() string {
	switch {
	case r.Size >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(r.Size)/(1<<20))
	case r.Size >= 1<<10:
		return fmt.Sprintf("%d KB", r.Size>>10)
	}
	return fmt.Sprintf("%d 字节", r.Size)
}

type upload struct {
	name string
	data []byte
}

// caseAttach stores the files of one upload. Every file is checked first,
// so that a refused upload stores nothing; the store checks each again.
func (a *app) caseAttach(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	refuse := func(status int, msg string) error {
		sub := &submission{action: "attach", form: formState{Message: msg}}
		return a.showCase(w, r, status, id, sub)
	}
	// readForm limited the body to maxUploadBytes and left it unparsed.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return refuse(http.StatusRequestEntityTooLarge, fmt.Sprintf("一次上传的文件合计不能超过%dMB，请分几次上传。", maxUploadBytes>>20))
		}
		return refuse(http.StatusBadRequest, "请选择要上传的照片或 PDF 文件。")
	}
	defer r.MultipartForm.RemoveAll()
	heads := r.MultipartForm.File["files"]
	if len(heads) == 0 {
		return refuse(http.StatusBadRequest, "请选择要上传的照片或 PDF 文件。")
	}
	existing, err := a.svc.Attachments.FindAttachments(ctx, id)
	if err != nil {
		return err
	}
	if len(existing)+len(heads) > lianluo.MaxAttachments {
		return refuse(http.StatusRequestEntityTooLarge, fmt.Sprintf("每件最多%d个附件，已有%d个。", lianluo.MaxAttachments, len(existing)))
	}
	var ups []upload
	for _, h := range heads {
		f, err := h.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(io.LimitReader(f, lianluo.MaxAttachmentBytes+1))
		f.Close()
		if err != nil {
			return err
		}
		name := h.Filename
		if _, _, err := lianluo.SniffAttachment(data); err != nil {
			return refuse(lianluo.HTTPStatus(lianluo.ErrorCode(err)), fmt.Sprintf("“%s”未上传：%s", name, lianluo.ErrorMessage(err)))
		}
		ups = append(ups, upload{name: name, data: data})
	}
	for _, u := range ups {
		if _, err := a.svc.Attachments.AddAttachment(ctx, id, u.name, u.data); err != nil {
			switch lianluo.ErrorCode(err) {
			case lianluo.EINVALID, lianluo.ETOOLARGE, lianluo.ESTATE:
				return refuse(errorStatus(lianluo.ErrorCode(err)), lianluo.ErrorMessage(err))
			}
			return err
		}
	}
	return redirect(w, r, caseURL(id)+"?ok=attached")
}

// caseAttachment sends one attachment: photos inline (the case page shows
// them), PDFs as a download; always with the stored, sniffed type.
func (a *app) caseAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || aid <= 0 {
		return lianluo.NotFound("附件")
	}
	at, err := a.svc.Attachments.FindAttachment(r.Context(), id, aid)
	if err != nil {
		return err
	}
	disposition := "attachment"
	if strings.HasPrefix(at.ContentType, "image/") {
		disposition = "inline"
	} else if err := a.svc.Events.RecordEvent(r.Context(), lianluo.EntityCase, id, lianluo.AuditDownload, fmt.Sprintf("下载附件“%s”（附件 %d）", at.Name, at.ID)); err != nil {
		// A download is on the record; a photo shown on the case page is
		// part of reading the case, which is not.
		return err
	}
	h := w.Header()
	h.Set("Content-Type", at.ContentType)
	h.Set("Content-Disposition", disposition+"; filename*=UTF-8''"+url.PathEscape(at.Name))
	h.Set("Content-Length", strconv.Itoa(len(at.Data)))
	h.Set("X-Content-Type-Options", "nosniff")
	// Voters' photos and letters: never in a shared cache.
	h.Set("Cache-Control", "private, no-store")
	_, err = w.Write(at.Data)
	return err
}
