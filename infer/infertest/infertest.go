// Package infertest is for tests of serving: it writes a small bc-LSTM
// release whose transcripts have word vectors, so that a model trained on
// it reads raw text (the tests must not need the real data), and saves
// briefly trained models as modistill train does.
package infertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load/loadtest"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/train"
)

// TextRelease writes six videos of three segments each (three training
// videos, one validation, two test) into root, with a GloVe-format file of
// 3-d vectors for most of their transcripts' words ("SEGMENT vid0_1", ...),
// and returns the release's directory and the vectors' path.
func TextRelease(root string) (release, vectors string, err error) {
	var videos []loadtest.Video
	for v := range 6 {
		videos = append(videos, loadtest.Video{ID: fmt.Sprintf("vid%d", v), Index: []int{1, 2, 3, 55, 70, 80}[v], Scores: []float64{1, -1, 0.5}})
	}
	if release, err = loadtest.WriteRelease(root, videos); err != nil {
		return "", "", err
	}
	var b strings.Builder
	for i, w := range []string{"segment", "vid0", "vid1", "vid3", "vid4", "1", "2"} {
		fmt.Fprintf(&b, "%s %g %g %g\n", w, float64(i)/7, 1-float64(i)/7, float64(i%3)/3)
	}
	vectors = filepath.Join(root, "vectors.txt")
	return release, vectors, os.WriteFile(vectors, []byte(b.String()), 0o644)
}

// Bundle builds system name for ds with 4 hidden units (from seed), takes
// one training step on the training split (or fits it), and saves it in
// dir as modistill train saves a model. It returns the model as built.
func Bundle(dir, name string, ds *data.Dataset, seed uint64) (systems.Model, error) {
	hidden := 4
	cfg, err := systems.Config(name, systems.Hyper{Hidden: &hidden})
	if err != nil {
		return nil, err
	}
	m, err := systems.Build(name, cfg, ds.Dims(), ds.Task, nn.NewRNG(seed))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch m := m.(type) {
	case train.Model:
		m.Step(autodiff.NewTape(), nn.Seeded(seed+1), ds.Train.All())
	case systems.Fitter:
		if err := m.Fit(context.Background(), ds); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		cfg = m.FittedConfig()
	}
	raw, err := systems.MarshalConfig(cfg)
	if err != nil {
		return nil, err
	}
	meta := systems.DataMeta(ds)
	meta.System, meta.Config, meta.Seed = name, raw, seed
	if err := systems.Save(dir, m, meta); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}
