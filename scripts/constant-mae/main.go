// Command constant-mae prints the test MAE of constant predictors on a
// dataset modistill reads (0, the training mean, the training median): the
// floor a model must beat to have read anything from its input. The README
// quotes it for the bc-LSTM release:
//
//	go run ./scripts/constant-mae ../shared/data/cmu-mosi-bclstm
package main

import (
	"fmt"
	"os"
	"slices"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/metrics"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/constant-mae DATA")
		os.Exit(2)
	}
	ds, err := load.Open(os.Args[1], load.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "constant-mae:", err)
		os.Exit(1)
	}
	train := slices.Clone(ds.Train.Labels.Data)
	slices.Sort(train)
	var mean float64
	for _, y := range train {
		mean += float64(y) / float64(len(train))
	}
	for _, c := range []struct {
		name  string
		value float64
	}{{"0", 0}, {"the training mean", mean}, {"the training median", float64(train[len(train)/2])}} {
		pred := make([]float64, ds.Test.N())
		truth := make([]float64, ds.Test.N())
		for i, y := range ds.Test.Labels.Data {
			pred[i], truth[i] = c.value, float64(y)
		}
		fmt.Printf("constant %s (%.3f): test MAE %.3f\n", c.name, c.value, metrics.MAE(pred, truth))
	}
}
