// Package qr draws the QR codes a voter scans on a station's wall or a
// deputy's card (扫码反映): PNG for printing and messaging, SVG for the A4
// poster. The encoding is github.com/boombuler/barcode (pure Go); the
// drawing is ours, so the SVG is a single path and the PNG has a quiet zone.
package qr

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quiet is the margin in modules the QR standard asks for.
const quiet = 4

// Code is an encoded QR symbol.
type Code struct {
	size    int
	modules []bool // size×size, row-major; true is dark
}

// Encode encodes text (a URL) with error correction level M (15 %), which
// survives a scuffed poster without making the symbol dense.
func Encode(text string) (*Code, error) {
	b, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qr.Encode: %w", err)
	}
	r := b.Bounds()
	c := &Code{size: r.Dx(), modules: make([]bool, r.Dx()*r.Dy())}
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			gray := color.GrayModel.Convert(b.At(r.Min.X+x, r.Min.Y+y)).(color.Gray)
			c.modules[y*c.size+x] = gray.Y < 128
		}
	}
	return c, nil
}

// Size is the symbol's width in modules, without the quiet zone.
func (c *Code) Size() int { return c.size }

// Dark reports whether the module at (x, y) is dark.
func (c *Code) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= c.size || y >= c.size {
		return false
	}
	return c.modules[y*c.size+x]
}

// PNG renders the code with scale pixels per module and the quiet zone.
func (c *Code) PNG(scale int) []byte {
	if scale < 1 {
		scale = 1
	}
	n := (c.size + 2*quiet) * scale
	img := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{color.White, color.Black})
	for y := 0; y < c.size; y++ {
		for x := 0; x < c.size; x++ {
			if !c.Dark(x, y) {
				continue
			}
			for dy := 0; dy < scale; dy++ {
				row := (y+quiet)*scale + dy
				for dx := 0; dx < scale; dx++ {
					img.SetColorIndex((x+quiet)*scale+dx, row, 1)
				}
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img) // writing to memory cannot fail
	return b.Bytes()
}

// SVG renders the code as a scalable image: one path of unit squares in a
// viewBox that includes the quiet zone, crisp at any print size.
func (c *Code) SVG() []byte {
	n := c.size + 2*quiet
	var p strings.Builder
	for y := 0; y < c.size; y++ {
		for x := 0; x < c.size; x++ {
			if !c.Dark(x, y) {
				continue
			}
			// Runs of dark modules in a row become one rectangle.
			run := 1
			for c.Dark(x+run, y) {
				run++
			}
			fmt.Fprintf(&p, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, n, n, n, n, p.String())
}
