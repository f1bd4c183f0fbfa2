// Package loadtest writes small dataset directories in the layouts package
// load reads, for tests: they must not need the real data.
package loadtest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Video is one video of a small bc-LSTM release.
type Video struct {
	ID     string
	Index  int       // the release's video index: 1-62 train, 63-93 test
	Scores []float64 // per segment, 1-based in order; the binary label is score >= 0
}

// Feature widths of the release.
const (
	AudioWidth, VisualWidth, TextWidth = 73, 100, 100
)

// WriteRelease writes a bc-LSTM release of videos into root/release, with
// OpinionLevelSentiment.csv and folds.json (train: the first and third
// video, valid: the second, test: the rest) in root/cmu-mosi, the layout of
// ../shared/data, and returns root/release. Feature j of modality m (0
// audio, 1 visual, 2 text) of a segment is its row in transcripts.csv +
// m/10 + j/1000, so tests can check the mapping. transcripts.csv is sorted
// by id, as in the release; the feature files list segments in reverse.
// text/text_*0.csv repeat text_*.csv's features with the binary label, as
// the release's do.
func WriteRelease(root string, videos []Video) (string, error) {
	dir := filepath.Join(root, "release")
	for _, d := range []string{"audio", "video", "text", filepath.Join("..", "cmu-mosi")} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return "", err
		}
	}
	type seg struct {
		id    string
		v     Video
		clip  int
		score float64
	}
	var segs []seg
	for _, v := range videos {
		for j, s := range v.Scores {
			segs = append(segs, seg{fmt.Sprintf("%s_%d", v.ID, j+1), v, j + 1, s})
		}
	}
	sorted := append([]seg(nil), segs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].id < sorted[j].id })
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	row := map[string]int{}
	var tr, labels strings.Builder
	for i, s := range sorted {
		row[s.id] = i
		fmt.Fprintf(&tr, "%q,%q,%q,%q\n", s.id, "SEGMENT "+s.id, fmt.Sprint(s.v.Index), fmt.Sprint(b2i(s.score >= 0)))
	}
	for _, s := range segs {
		fmt.Fprintf(&labels, "%g,%g,%s,%d,%g\n", float64(s.clip), float64(s.clip)+0.5, s.v.ID, s.clip, s.score)
	}
	var folds [3][]string
	for i, v := range videos {
		k := map[int]int{0: 0, 1: 1, 2: 0}[i]
		if i > 2 {
			k = 2
		}
		folds[k] = append(folds[k], fmt.Sprintf("%q", v.ID))
	}
	files := map[string]string{
		filepath.Join(dir, "transcripts.csv"):                        tr.String(),
		filepath.Join(root, "cmu-mosi", "OpinionLevelSentiment.csv"): labels.String(),
		filepath.Join(root, "cmu-mosi", "folds.json"): fmt.Sprintf(`{"train": [%s], "valid": [%s], "test": [%s]}`,
			strings.Join(folds[0], ", "), strings.Join(folds[1], ", "), strings.Join(folds[2], ", ")),
	}
	for _, part := range []string{"train", "test"} {
		var text, textLabelled, audio, video strings.Builder
		for k := len(segs) - 1; k >= 0; k-- {
			s := segs[k]
			if (part == "train") != (s.v.Index < 63) {
				continue
			}
			feats := func(m, n int) []string {
				out := make([]string, n)
				for j := range n {
					out[j] = fmt.Sprintf("%q", fmt.Sprint(float64(row[s.id])+float64(m)/10+float64(j)/1000))
				}
				return out
			}
			label := fmt.Sprintf("%q", fmt.Sprint(b2i(s.score >= 0)))
			fmt.Fprintf(&text, "%q,%s\n", fmt.Sprint(row[s.id]), strings.Join(feats(2, TextWidth), ","))
			fmt.Fprintf(&textLabelled, "%s,%s\n", strings.Join(feats(2, TextWidth), ","), label)
			fmt.Fprintf(&audio, "%s,%s\n", strings.Join(feats(0, AudioWidth), ","), label)
			fmt.Fprintf(&video, "%s,%s\n", strings.Join(feats(1, VisualWidth), ","), label)
		}
		files[filepath.Join(dir, "text_"+part+".csv")] = text.String()
		files[filepath.Join(dir, "text", "text_"+part+"0.csv")] = textLabelled.String()
		files[filepath.Join(dir, "audio", "audio_"+part+"0.csv")] = audio.String()
		files[filepath.Join(dir, "video", "video_"+part+"0.csv")] = video.String()
	}
	for p, s := range files {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}
