package report

import (
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
