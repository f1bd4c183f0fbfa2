package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/models/ridge"
	"github.com/modistill/modistill/tensor"
)

type ridgeOutput struct {
	Lambda   float64            `json:"lambda"`
	ValidMAE map[string]float64 `json:"valid_mae"`
	Test     metrics.Scores     `json:"test"`
}

func runRidge(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("ridge")
	df := addDataFlags(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	ds, err := df.open()
	if err != nil {
		return fmt.Errorf("ridge: %w", err)
	}
	m, err := ridge.FitBoW(ds, ridge.DefaultLambdas)
	if err != nil {
		return err // ridge's errors say "ridge:"
	}
	p := m.Predict(ds.Test)
	pred := tensor.New(len(p), 1)
	for i, v := range p {
		pred.Data[i] = float32(v)
	}
	out := ridgeOutput{Lambda: m.Lambda, ValidMAE: map[string]float64{}, Test: metrics.Score(ds.Task, pred, ds.Test.Labels)}
	lams := make([]float64, 0, len(m.ValidMAE))
	for l, v := range m.ValidMAE {
		out.ValidMAE[fmt.Sprint(l)] = v
		lams = append(lams, l)
	}
	if *asJSON {
		return printJSON(stdout, out)
	}
	sort.Float64s(lams)
	fmt.Fprintf(stdout, "ridge regression on word presence, %s (%d words)\nvalidation MAE by λ:", ds.Name, len(ds.Vocab)-2)
	for _, l := range lams {
		fmt.Fprintf(stdout, " %g: %.4f", l, m.ValidMAE[l])
	}
	fmt.Fprintf(stdout, "\nchosen λ %g; test split (%d samples):\n", m.Lambda, ds.Test.N())
	printScores(stdout, "split", []scoreRow{{"test", out.Test}})
	return nil
}
