package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/modistill/modistill/atomicfile"

	"github.com/modistill/modistill/charts"
	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/experiment"
	"github.com/modistill/modistill/systems"
)

func runPlotTemperatures(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("plot-temperatures")
	out := fs.String("out", "", "chart to write (.svg or .png)")
	title := fs.String("title", "", "chart title (default: the system)")
	dirs, err := parsePositional(fs, args, stdout)
	if err != nil {
		return err
	}
	if *out == "" || len(dirs) == 0 {
		return usagef("plot-temperatures: want --out FILE and one or more model directories (modistill plot-temperatures --out t.svg DIR...)")
	}
	if ext := filepath.Ext(*out); ext != ".svg" && ext != ".png" {
		return usagef("plot-temperatures: --out %s: want a .svg or .png file", *out)
	}
	if err := atomicfile.CheckNew(*out); err != nil {
		return usagef("plot-temperatures: --out %v; choose a path that does not exist", err)
	}
	var runs []map[string][]float64
	system := ""
	for _, dir := range dirs {
		var meta systems.Meta
		if err := checkpoint.ReadMeta(dir, &meta); err != nil {
			return fmt.Errorf("plot-temperatures: %w", err)
		}
		if meta.Fit == nil {
			return fmt.Errorf("plot-temperatures: %s has no training history", dir)
		}
		system = meta.System
		runs = append(runs, experiment.TemperaturesOf(meta.Fit.History))
	}
	series := experiment.TemperatureSeries(runs)
	if len(series) == 0 {
		return fmt.Errorf("plot-temperatures: the models recorded no temperatures (only the adaptive system learns them)")
	}
	if *title == "" {
		*title = fmt.Sprintf("temperatures learned by %s, mean over %s", system, plural(len(dirs), "run", "runs"))
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("plot-temperatures: %w", err)
	}
	if err := charts.Lines(*out, *title, "epoch", "mean temperature over the epoch", series); err != nil {
		return fmt.Errorf("plot-temperatures: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
