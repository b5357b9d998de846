package qr_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"lianluo/internal/qr"
)

func TestEncode(t *testing.T) {
	c, err := qr.Encode("https://lianluo.example.cn/submit?station=12")
	if err != nil {
		t.Fatal(err)
	}
	// Version 3 (29 modules) holds this URL at level M.
	if c.Size() < 21 || (c.Size()-21)%4 != 0 {
		t.Fatalf("Size() = %d; want 21+4k", c.Size())
	}
	// The three finder patterns: dark 7×7 corners with a light ring inside.
	for _, o := range [][2]int{{0, 0}, {c.Size() - 7, 0}, {0, c.Size() - 7}} {
		if !c.Dark(o[0], o[1]) || c.Dark(o[0]+1, o[1]+1) || !c.Dark(o[0]+3, o[1]+3) {
			t.Errorf("no finder pattern at %v", o)
		}
	}
	img, err := png.Decode(bytes.NewReader(c.PNG(4)))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := img.Bounds().Dx(), (c.Size()+8)*4; got != want {
		t.Errorf("PNG width = %d; want %d", got, want)
	}
	// The quiet zone is white, the first finder module black.
	if r, _, _, _ := img.At(0, 0).RGBA(); r != 0xffff {
		t.Errorf("quiet zone is not white")
	}
	if r, _, _, _ := img.At(16, 16).RGBA(); r != 0 {
		t.Errorf("finder module is not black")
	}
	svg := string(c.SVG())
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, `viewBox="0 0 `) || !strings.Contains(svg, "M4 4h7v1h-7z") {
		t.Errorf("SVG = %.200s", svg)
	}
}

func TestEncodeTooLong(t *testing.T) {
	if _, err := qr.Encode(strings.Repeat("x", 5000)); err == nil {
		t.Error("Encode of 5000 bytes succeeded; want an error")
	}
}
