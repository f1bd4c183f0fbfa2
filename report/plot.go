// Package report draws the figures of modistill's reports with gonum/plot:
// line charts of a quantity over epochs (such as the temperatures the
// adaptive model learned), written as SVG or PNG by file extension.
package report

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"github.com/modistill/modistill/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Series is one line: Y[i] at x = i+1.
type Series struct {
	Name   string
	Y      []float64
	Color  int  // index into the palette
	Dashed bool // drawn dashed
}

var palette = []color.Color{
	color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
	color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff},
	color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
	color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
	color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff},
}

// Lines draws the series against x = 1, 2, ... and writes the chart to path
// (.svg or .png), atomically.
func Lines(path, title, xlabel, ylabel string, series []Series) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "svg" && format != "png" {
		return fmt.Errorf("plot %s: want a .svg or .png file", path)
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, ylabel
	p.Add(plotter.NewGrid())
	for _, s := range series {
		pts := make(plotter.XYs, len(s.Y))
		for i, y := range s.Y {
			pts[i].X, pts[i].Y = float64(i+1), y
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plot %s: series %s: %w", path, s.Name, err)
		}
		l.Color = palette[s.Color%len(palette)]
		l.Width = vg.Points(1.5)
		if s.Dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	p.Legend.Top = true
	p.Legend.XOffs = -vg.Points(5)
	w, err := p.WriterTo(7*vg.Inch, 4*vg.Inch, format)
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}
