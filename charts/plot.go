// Package charts draws the figures of modistill's reports with gonum/plot:
// line charts of a quantity over epochs (such as the temperatures the
// adaptive model learned) and charts of a metric's mean and standard
// deviation by condition and system, written as SVG or PNG by extension.
package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"github.com/modistill/modistill/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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
	if _, err := format(path); err != nil {
		return err
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
	return save(p, path, 7*vg.Inch, 4*vg.Inch)
}

// format is the image format of path's extension: svg or png.
func format(path string) (string, error) {
	f := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if f != "svg" && f != "png" {
		return "", fmt.Errorf("plot %s: want a .svg or .png file", path)
	}
	return f, nil
}

// save renders p to path atomically.
func save(p *plot.Plot, path string, width, height vg.Length) error {
	f, err := format(path)
	if err != nil {
		return err
	}
	w, err := p.WriterTo(width, height, f)
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, buf.Bytes())
}

// Estimate is a mean and its standard deviation; a NaN mean is no value.
type Estimate struct{ Mean, Std float64 }

// Group is one series of Points: a value per category.
type Group struct {
	Name   string
	Values []Estimate // one per category; Mean NaN where the group has none
}

var glyphs = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}, draw.BoxGlyph{}}

// Points draws, for each category on the x axis, each group's value as a
// marker with a ±1 standard deviation bar, the groups side by side, and
// writes the chart to path (.svg or .png), atomically.
func Points(path, title, ylabel string, categories []string, groups []Group) error {
	if _, err := format(path); err != nil {
		return err
	}
	p := plot.New()
	p.Title.Text, p.Y.Label.Text = title, ylabel
	p.Add(plotter.NewGrid())
	var ticks []plot.Tick
	for i, c := range categories {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: c})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	// The room right of the last category holds the legend.
	p.X.Min, p.X.Max = -0.5, float64(len(categories))+1
	width := 0.8 / float64(max(len(groups), 1))
	for gi, g := range groups {
		if len(g.Values) != len(categories) {
			return fmt.Errorf("plot %s: group %s has %d values for %d categories", path, g.Name, len(g.Values), len(categories))
		}
		var pts errorPoints
		for ci, e := range g.Values {
			if math.IsNaN(e.Mean) {
				continue
			}
			x := float64(ci) - 0.4 + width*(float64(gi)+0.5)
			pts.XYs = append(pts.XYs, plotter.XY{X: x, Y: e.Mean})
			pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{e.Std, e.Std})
		}
		if len(pts.XYs) == 0 {
			continue
		}
		c := palette[gi%len(palette)]
		sc, err := plotter.NewScatter(pts.XYs)
		if err != nil {
			return fmt.Errorf("plot %s: group %s: %w", path, g.Name, err)
		}
		sc.GlyphStyle.Color, sc.GlyphStyle.Shape, sc.GlyphStyle.Radius = c, glyphs[(gi/len(palette))%len(glyphs)], vg.Points(3)
		eb, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return fmt.Errorf("plot %s: group %s: %w", path, g.Name, err)
		}
		eb.LineStyle.Color = c
		p.Add(eb, sc)
		p.Legend.Add(g.Name, sc)
	}
	p.Legend.Left = false
	p.Legend.Top = true
	return save(p, path, 9*vg.Inch, 4.5*vg.Inch)
}

// errorPoints holds points and their error bars for plotter.NewYErrorBars.
type errorPoints struct {
	plotter.XYs
	plotter.YErrors
}
