package main

import (
	"context"
	"fmt"
	"io"

	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/report"
	"github.com/modistill/modistill/systems"
)

func runPlotTemperatures(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("plot-temperatures")
	out := fs.String("out", "", "chart to write (.svg or .png)")
	title := fs.String("title", "", "chart title (default: the system)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	dirs := fs.Args()
	if *out == "" || len(dirs) == 0 {
		return usagef("plot-temperatures: want --out FILE and one or more model directories")
	}
	// sums[key][epoch] over the models that reached that epoch
	keys := []string{"T_s_a", "T_s_v", "T_s_t", "T_z_a", "T_z_v", "T_z_t"}
	sums := map[string][]float64{}
	counts := map[string][]int{}
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
		for i, e := range meta.Fit.History {
			for _, k := range keys {
				v, ok := e.Metrics[k]
				if !ok {
					continue
				}
				for len(sums[k]) <= i {
					sums[k], counts[k] = append(sums[k], 0), append(counts[k], 0)
				}
				sums[k][i] += v
				counts[k][i]++
			}
		}
	}
	var series []report.Series
	for j, k := range keys {
		if len(sums[k]) == 0 {
			continue
		}
		y := make([]float64, len(sums[k]))
		for i := range y {
			y[i] = sums[k][i] / float64(counts[k][i])
		}
		name := map[byte]string{'a': "audio", 'v': "visual", 't': "text"}[k[4]]
		series = append(series, report.Series{Name: k[:3] + " " + name, Y: y, Color: j % 3, Dashed: j >= 3})
	}
	if len(series) == 0 {
		return fmt.Errorf("plot-temperatures: the models recorded no temperatures (only the adaptive system learns them)")
	}
	if *title == "" {
		*title = fmt.Sprintf("temperatures learned by %s, mean over %d run(s)", system, len(dirs))
	}
	if err := report.Lines(*out, *title, "epoch", "mean temperature over the epoch", series); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return nil
}
