package charts

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLinesWritesSVGAndPNG(t *testing.T) {
	dir := t.TempDir()
	s := []Series{{Name: "T_s audio", Y: []float64{1, 2, 3}}, {Name: "T_z audio", Y: []float64{2, 2, 1}, Dashed: true}}
	svg := filepath.Join(dir, "t.svg")
	if err := Lines(svg, "temperatures", "epoch", "T", s); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(svg)
	if !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), "T_s audio") {
		t.Error("the SVG lacks its legend")
	}
	png := filepath.Join(dir, "t.png")
	if err := Lines(png, "temperatures", "epoch", "T", s); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(png); len(b) < 8 || string(b[1:4]) != "PNG" {
		t.Error("not a PNG")
	}
	if err := Lines(filepath.Join(dir, "t.pdfx"), "", "", "", s); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestPointsSkipsMissingValues(t *testing.T) {
	dir := t.TempDir()
	nan := math.NaN()
	groups := []Group{
		{Name: "ours", Values: []Estimate{{1.0, 0.1}, {1.2, 0.05}, {1.4, 0}}},
		{Name: "lmf", Values: []Estimate{{0.9, 0.02}, {nan, 0}, {nan, 0}}},
	}
	for _, name := range []string{"m.svg", "m.png"} {
		if err := Points(filepath.Join(dir, name), "MOSI MAE", "MAE", []string{"avt", "av", "t"}, groups); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "m.svg"))
	for _, want := range []string{"ours", "lmf", "avt", "av"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the SVG lacks %q", want)
		}
	}
	bad := []Group{{Name: "short", Values: []Estimate{{1, 0}}}}
	if err := Points(filepath.Join(dir, "bad.svg"), "", "", []string{"a", "b"}, bad); err == nil {
		t.Error("a group with too few values accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.svg")); err == nil {
		t.Error("a failed chart left a file")
	}
}
