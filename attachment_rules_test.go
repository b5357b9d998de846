package lianluo

import (
	"bytes"
	"testing"
)

func TestSniffAttachment(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	pdf := []byte("%PDF-1.7\n")
	for _, tt := range []struct {
		name     string
		data     []byte
		ct, code string
	}{
		{"a photo", png, "image/png", ""},
		{"a scanned letter", pdf, "application/pdf", ""},
		{"empty", nil, "", EINVALID},
		{"text named .jpg", []byte("只是文字"), "", EINVALID},
		{"too large", append(bytes.Clone(pdf), make([]byte, MaxAttachmentBytes)...), "", ETOOLARGE},
	} {
		ct, ext, err := SniffAttachment(tt.data)
		if ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
		}
		if ct != tt.ct || (ct != "" && ext != AttachmentTypes[ct]) {
			t.Errorf("%s: %q %q, want %q", tt.name, ct, ext, tt.ct)
		}
		if err != nil && ErrorMessage(err) == "" {
			t.Errorf("%s: no message", tt.name)
		}
	}
}
