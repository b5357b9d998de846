package lianluo

import (
	"net/http"
	"strings"
)

// SniffAttachment checks a file for a case's attachments by its bytes
// (never by its name): not empty, at most MaxAttachmentBytes, one of
// AttachmentTypes. It returns the content type and its file extension. The
// store refuses with it and the case page checks every file of an upload
// with it first, so that a refused upload stores nothing.
func SniffAttachment(data []byte) (contentType, ext string, err error) {
	if len(data) == 0 {
		return "", "", FieldError("file", "文件是空的。")
	}
	if len(data) > MaxAttachmentBytes {
		return "", "", Errorf(ETOOLARGE, "附件不能超过%dMB。", MaxAttachmentBytes>>20)
	}
	ct := sniff(data)
	ext, ok := AttachmentTypes[ct]
	if !ok {
		return "", "", FieldError("file", "只能上传照片（JPG、PNG、GIF、WebP）或 PDF 文件。")
	}
	return ct, ext, nil
}

// sniff is the content type of data by its first bytes, without parameters.
func sniff(data []byte) string {
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	return ct
}

// CheckAttach decides whether the actor may add an attachment to a case
// that has n already: while it is open, for the office, the station's
// staff, a receiving deputy and the lead unit's handler, up to
// MaxAttachments. The store refuses with it; the case page offers the
// upload only when it passes.
func CheckAttach(a *Actor, c *Case, n int) error {
	if !IsOpen(c.Status) {
		return Errorf(ESTATE, "已办结的意见不能再添加附件。")
	}
	if r := RolesOn(a, c); !(r.Office || r.Station || r.Deputy || r.Handler) {
		return Forbidden()
	}
	if n >= MaxAttachments {
		return Errorf(ETOOLARGE, "每件最多%d个附件。", MaxAttachments)
	}
	return nil
}
