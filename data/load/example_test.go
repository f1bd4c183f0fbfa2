package load_test

import (
	"fmt"
	"os"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/load/loadtest"
)

// Open recognises a dataset's format (here a small bc-LSTM release that
// loadtest writes into a temporary directory) and reads it into splits of
// one model for every format; the notes say how it was read.
func ExampleOpen() {
	root, err := os.MkdirTemp("", "release")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(root)
	dir, err := loadtest.WriteRelease(root, []loadtest.Video{
		{ID: "v1", Index: 1, Scores: []float64{2.4, -0.2, 0}},
		{ID: "v2", Index: 55, Scores: []float64{-1.8, 1}},
		{ID: "v3", Index: 70, Scores: []float64{3, -2.2, 0.4}},
	})
	if err != nil {
		panic(err)
	}
	ds, err := load.Open(dir, load.Options{Kind: "mosi"})
	if err != nil {
		panic(err)
	}
	d := ds.Dims()
	fmt.Println(ds.Train.N(), ds.Valid.N(), ds.Test.N(), d.Audio, d.Visual, d.Text)
	// Output:
	// 3 2 3 73 100 100
}
