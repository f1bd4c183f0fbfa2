package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/metrics"
)

// scoreTask is the task --task names.
func scoreTask(name, emotion string) (data.Task, error) {
	switch name {
	case "mosi":
		return data.MOSITask(), nil
	case "pom":
		return data.Task{Kind: data.Regression, Targets: load.POMTraits}, nil
	case "iemocap":
		if emotion == "" {
			emotion = "emotion"
		}
		return data.Task{Kind: data.Classification, Targets: []string{emotion}, Classes: 2}, nil
	}
	return data.Task{}, fmt.Errorf("--task %q: want mosi, pom or iemocap", name)
}

func runScore(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("score")
	taskName := fs.String("task", "", "the metrics to compute: mosi (MAE, Corr, Acc-2, F1, Acc-7), pom (trait averages) or iemocap (accuracy, weighted F1)")
	emotion := fs.String("emotion", "", "iemocap: the emotion's name, for the metric names (taken from an eval predictions file when there is one)")
	path := fs.String("predictions", "", "the file to score: eval's --predictions JSON, a JSON array of {\"pred\", \"truth\"} rows, or CSV rows pred,truth (- for standard input)")
	asJSON := fs.Bool("json", false, "print one JSON object (metrics as fractions)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *path == "" || *taskName == "" {
		return usagef("score: --task and --predictions are required")
	}
	task, err := scoreTask(*taskName, *emotion)
	if err != nil {
		return usagef("score: %v", err)
	}
	var b []byte
	if *path == "-" {
		b, err = io.ReadAll(os.Stdin)
	} else {
		b, err = os.ReadFile(*path)
	}
	if err != nil {
		return fmt.Errorf("score: %w", err)
	}
	p, err := metrics.ParsePredictions(b, task)
	if err != nil {
		return usagef("score: %s: %v", *path, err)
	}
	if task.Kind == data.Classification && *emotion == "" && p.Targets[0] != "" {
		task.Targets = p.Targets // the eval file names its emotion
	}
	res := evalOutput{Task: task.Kind.String(), Results: p.Score(task)}
	if *asJSON {
		return printJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "%s: %d samples, %s (%s)\n", *path, len(p.Truth), *taskName, task.Kind)
	var rows []scoreRow
	for _, name := range p.SubsetNames() {
		rows = append(rows, scoreRow{name, res.Results[name]})
	}
	printScores(stdout, "subset", rows)
	return nil
}
