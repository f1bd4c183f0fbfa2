package systems_test

import (
	"fmt"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/systems"
)

// A system is built by name from its defaults with any overrides, and
// answers from every modality subset it lists, here the paper's model from
// text alone as well as from all three.
func ExampleBuild() {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 1, Sizes: synth.Sizes{Train: 8, Valid: 4, Test: 4}})
	if err != nil {
		panic(err)
	}
	ds := dss[0]
	hidden := 8
	config, err := systems.Config("ours", systems.Hyper{Hidden: &hidden})
	if err != nil {
		panic(err)
	}
	m, err := systems.Build("ours", config, ds.Dims(), ds.Task, nn.NewRNG(1))
	if err != nil {
		panic(err)
	}
	fmt.Println(len(m.Subsets()), "subsets")
	for _, use := range []data.Subset{data.All, data.Only(data.Text)} {
		pred := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
		fmt.Println(use, pred.Shape)
	}
	// Output:
	// 7 subsets
	// avt [4 1]
	// t [4 1]
}
