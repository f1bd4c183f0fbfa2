// Package infertest writes, for tests, a small bc-LSTM release whose
// transcripts have word vectors, so that a model trained on it reads raw
// text; the tests must not need the real data.
package infertest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/modistill/modistill/data/load/loadtest"
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
