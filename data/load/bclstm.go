package load

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/csd"
	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/tensor"
)

// BCLSTMRelease is the directory of CMU-MOSI utterance features released
// with bc-LSTM (Poria et al. 2017): audio/audio_{train,test}0.csv (73
// COVAREP averages and the binary label), video/video_{train,test}0.csv
// (100 3D-CNN features and the label), text_{train,test}.csv (a row of
// transcripts.csv, then 100 text-CNN features) and transcripts.csv
// ("video_segment", transcript, the video's index 1-93, the label). Every
// cell is double-quoted; there is no header.
const BCLSTMRelease Format = "bclstm-release"

// Split names for Options.Split.
const (
	// ReleaseSplit is the bc-LSTM release's own split: its training files
	// (videos of index 1-62) and test files (63-93), with the training
	// videos of index ReleaseValidFrom to 62 (the last ten) as validation.
	ReleaseSplit = "release"
	// StandardSplit is CMU-MultimodalSDK's standard folds (folds.json:
	// 52/10/31 videos).
	StandardSplit = "standard"
)

// ReleaseValidFrom is the first video index of the release split's
// validation videos: indices 53 to 62, the last ten of the release's 62
// training videos, the same every run.
const ReleaseValidFrom = 53

// releaseTestFrom is the first video index of the release's test files.
const releaseTestFrom = 63

// Widths of the release's feature files.
const (
	bclstmAudio  = 73
	bclstmVisual = 100
	bclstmText   = 100
)

// LeakWarning is what a dataset read from the release with the standard
// folds says: the learned features saw most standard test videos.
const LeakWarning = "the standard folds with the bc-LSTM release: its 3D-CNN visual and text-CNN text features were learned on the release's training videos, which hold 24 of the 31 standard test videos, so results that use them are not leak-free; audio (COVAREP) and GloVe text are"

// segment is one row of transcripts.csv.
type segment struct {
	id, video string
	clip      int
	text      string
	videoIdx  int
	positive  bool
}

// ReleaseText is the bc-LSTM release's text route opt asks for: opt.Text,
// or by default "glove" with Embeddings and "cnn" without.
func ReleaseText(opt Options) string {
	switch {
	case opt.Text != "":
		return opt.Text
	case opt.Embeddings != "":
		return "glove"
	}
	return "cnn"
}

// BCLSTM reads the release in dir: per segment the audio, visual and
// text-CNN vectors, the continuous label in [-3, 3] (from opt.Labels, or
// OpinionLevelSentiment.csv or CMU_MOSI_Opinion_Labels.csd found in dir or
// in dir/../cmu-mosi), and ids in MMSA's "video$_$clip" form; split by
// opt.Split. The release's binary label must be the label's sign (1 where
// it is >= 0) on every segment, so Acc-2 with y >= 0 is accuracy on the
// release's own labels; a segment whose label is missing or disagrees is an
// error naming it.
func BCLSTM(dir string, opt Options) (*data.Dataset, error) {
	segs, err := readTranscriptsCSV(filepath.Join(dir, "transcripts.csv"))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	labelsPath, err := findBeside(dir, opt.Labels, "OpinionLevelSentiment.csv", "CMU_MOSI_Opinion_Labels.csd")
	if err != nil {
		return nil, optionErrorf("load %s: continuous labels: %v (give one with --labels)", dir, err)
	}
	scores, err := readMOSILabels(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	textRoute := ReleaseText(opt)
	switch {
	case textRoute == "glove" && opt.Embeddings == "":
		return nil, optionErrorf("load %s: --text glove needs word vectors: --embeddings FILE (GloVe's text format)", dir)
	case textRoute == "cnn" && opt.Embeddings != "":
		return nil, optionErrorf("load %s: --text cnn uses the release's text-CNN vectors; --embeddings goes with --text glove (or ngrams)", dir)
	case textRoute != "cnn" && textRoute != "glove" && textRoute != TextNgrams:
		return nil, optionErrorf("load %s: --text %q: want cnn (the release's text-CNN vectors), glove (its transcripts through --embeddings) or ngrams (its transcripts as bags of n-gram features)", dir, textRoute)
	}
	if textRoute != "glove" && opt.TextLen != 0 {
		return nil, optionErrorf("load %s: --seq-len applies to transcripts read through --embeddings; --text %s keeps no word sequence", dir, textRoute)
	}
	var folds map[string]string // video -> split name
	switch opt.Split {
	case "", ReleaseSplit:
		if opt.Folds != "" {
			return nil, optionErrorf("load %s: --folds goes with --split standard; the release's split has its own videos", dir)
		}
	case StandardSplit:
		foldsPath, err := findBeside(dir, opt.Folds, "folds.json")
		if err != nil {
			return nil, optionErrorf("load %s: the standard split: %v (give one with --folds)", dir, err)
		}
		if folds, err = ReadFolds(foldsPath); err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		opt.Folds = foldsPath
	default:
		return nil, optionErrorf("load %s: --split %q: want release or standard", dir, opt.Split)
	}
	type row struct {
		seg                 *segment
		audio, visual, text []float32
		score               float32
	}
	var rows []row
	seen := map[string]bool{}
	videoIndex := map[string]int{}
	for _, part := range []string{"train", "test"} {
		textPath := filepath.Join(dir, "text_"+part+".csv")
		idx, text, err := readIndexedFeatures(textPath, bclstmText, len(segs))
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		audio, err := readLabelledFeatures(filepath.Join(dir, "audio", "audio_"+part+"0.csv"), bclstmAudio, len(idx))
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		visual, err := readLabelledFeatures(filepath.Join(dir, "video", "video_"+part+"0.csv"), bclstmVisual, len(idx))
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		textLabelled := filepath.Join(dir, "text", "text_"+part+"0.csv")
		textCopy, err := readLabelledFeatures(textLabelled, bclstmText, len(idx))
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		for i := range idx { // the same rows as text_*.csv: the mapping's evidence
			for j, v := range text[i] {
				if textCopy.features[i][j] != v {
					return nil, fmt.Errorf("load %s: row %d of %s differs from row %d of %s (feature %d), so the files' rows do not line up", dir, i+1, textLabelled, i+1, textPath, j+1)
				}
			}
		}
		for i, k := range idx {
			s := &segs[k]
			if seen[s.id] {
				return nil, fmt.Errorf("load %s: segment %s appears twice (%s, row %d)", dir, s.id, textPath, i+1)
			}
			seen[s.id] = true
			if (part == "train") != (s.videoIdx < releaseTestFrom) {
				return nil, fmt.Errorf("load %s: segment %s of video index %d is in the %s files; the release has videos 1-62 in train, 63-93 in test", dir, s.id, s.videoIdx, part)
			}
			for _, f := range []struct {
				path string
				rows labelledRows
			}{{"audio/audio_" + part + "0.csv", audio}, {"video/video_" + part + "0.csv", visual}, {"text/text_" + part + "0.csv", textCopy}} {
				if f.rows.positive[i] != s.positive {
					return nil, fmt.Errorf("load %s: segment %s: the binary label of row %d of %s differs from transcripts.csv's", dir, s.id, i+1, f.path)
				}
			}
			if first, ok := videoIndex[s.video]; ok && first != s.videoIdx {
				return nil, fmt.Errorf("load %s: video %s has index %d in one row of transcripts.csv and %d in another (segment %s)", dir, s.video, first, s.videoIdx, s.id)
			}
			videoIndex[s.video] = s.videoIdx
			score, ok := scores[clipKey{s.video, s.clip}]
			if !ok {
				return nil, fmt.Errorf("load %s: segment %s has no label in %s", dir, s.id, labelsPath)
			}
			if (score >= 0) != s.positive {
				return nil, fmt.Errorf("load %s: segment %s: label %g in %s disagrees with the release's binary label %v (1 exactly where the score is >= 0)",
					dir, s.id, score, labelsPath, b2i(s.positive))
			}
			rows = append(rows, row{s, audio.features[i], visual.features[i], text[i], score})
		}
	}
	if len(seen) != len(segs) {
		for _, s := range segs {
			if !seen[s.id] {
				return nil, fmt.Errorf("load %s: segment %s of transcripts.csv is in no feature file (%d of %d rows used)", dir, s.id, len(seen), len(segs))
			}
		}
	}
	ds := &data.Dataset{Name: "cmu-mosi-bclstm", Format: string(BCLSTMRelease),
		Task:      data.MOSITask(),
		NonFinite: map[string]int{}}
	if folds != nil {
		ds.Warnings = append(ds.Warnings, LeakWarning)
	}
	bySplit := map[string][]row{}
	for _, r := range rows {
		var name string
		switch {
		case folds != nil:
			var ok bool
			if name, ok = folds[r.seg.video]; !ok {
				return nil, fmt.Errorf("load %s: video %s (segment %s) is in no fold of the standard split", dir, r.seg.video, r.seg.id)
			}
		case r.seg.videoIdx >= releaseTestFrom:
			name = "test"
		case r.seg.videoIdx >= ReleaseValidFrom:
			name = "valid"
		default:
			name = "train"
		}
		bySplit[name] = append(bySplit[name], r)
	}
	glove := textRoute == "glove"
	transcripts := glove || textRoute == TextNgrams
	var docs [][][]string // the transcripts' tokens per split, for glove and ngrams
	for _, name := range splitNames {
		rs := bySplit[name]
		sort.SliceStable(rs, func(i, j int) bool { // by video, clips in order: BC-LSTM's context
			a, b := rs[i].seg, rs[j].seg
			if a.video != b.video {
				return a.video < b.video
			}
			return a.clip < b.clip
		})
		n := len(rs)
		s := &data.Split{Inputs: [3]*tensor.Tensor{tensor.New(n, bclstmAudio), tensor.New(n, bclstmVisual)},
			Labels: tensor.New(n, 1), IDs: make([]string, n)}
		if !transcripts {
			s.Inputs[data.Text] = tensor.New(n, bclstmText)
		}
		tokens := make([][]string, n)
		for i, r := range rs {
			for m, v := range [3][]float32{r.audio, r.visual, r.text} {
				if s.Inputs[m] == nil {
					continue
				}
				dst := s.Inputs[m].Data[i*len(v) : (i+1)*len(v)]
				copy(dst, v)
				if bad := data.ZeroNonFinite(dst); bad > 0 {
					ds.NonFinite[name+"/"+data.Modality(m).String()] += bad
				}
			}
			s.Labels.Data[i] = r.score
			s.IDs[i] = r.seg.video + "$_$" + strconv.Itoa(r.seg.clip)
			if transcripts {
				tokens[i] = text.Tokenize(r.seg.text)
			}
		}
		docs = append(docs, tokens)
		setSplit(ds, name, s)
	}
	if glove {
		x, lengths, info, err := embedDocs(docs, opt.Embeddings, opt.TextLen)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		for i, ns := range ds.Splits() {
			ns.Inputs[data.Text], ns.Lengths[data.Text] = x[i], lengths[i]
		}
		ds.TextVectors = info
		ds.Notes = append(ds.Notes, describeVectors(info))
		ds.Warnings = append(ds.Warnings, vectorWarnings(info)...)
	} else if textRoute == TextNgrams {
		setNgramBags(ds, docs)
		if opt.Embeddings != "" {
			if err := setBagVectors(ds, docs, opt.Embeddings); err != nil {
				return nil, fmt.Errorf("load %s: %w", dir, err)
			}
		}
	} else {
		ds.Notes = append(ds.Notes, "text: the release's 100 text-CNN features per segment (one vector per utterance)")
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	if folds == nil {
		ds.Notes = append(ds.Notes, fmt.Sprintf("the release's split: train = videos 1-%d (%d segments) and valid = videos %d-62 (%d), together the release's %d training segments; test = videos 63-93 (%d), the release's test set",
			ReleaseValidFrom-1, ds.Train.N(), ReleaseValidFrom, ds.Valid.N(), ds.Train.N()+ds.Valid.N(), ds.Test.N()))
	} else {
		ds.Notes = append(ds.Notes, fmt.Sprintf("the standard folds of %s: %d/%d/%d segments", opt.Folds, ds.Train.N(), ds.Valid.N(), ds.Test.N()))
	}
	ds.Notes = append(ds.Notes, "the release's binary label is 1 exactly where the label is >= 0 on every segment (checked), so Acc-2 (y >= 0) is accuracy on the release's labels")
	return ds, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// isBCLSTMRelease reports whether dir has the release's layout.
func isBCLSTMRelease(dir string) bool {
	for _, f := range []string{"transcripts.csv", "text_train.csv", filepath.Join("audio", "audio_train0.csv")} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

// findBeside returns given if not empty, else the first of names found in
// dir, dir/.. or dir/../cmu-mosi.
func findBeside(dir, given string, names ...string) (string, error) {
	if given != "" {
		if _, err := os.Stat(given); err != nil {
			return "", err
		}
		return given, nil
	}
	var tried []string
	for _, d := range []string{dir, filepath.Join(dir, ".."), filepath.Join(dir, "..", "cmu-mosi")} {
		for _, n := range names {
			p := filepath.Join(d, n)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			tried = append(tried, p)
		}
	}
	return "", fmt.Errorf("none of %s exists", strings.Join(tried, ", "))
}

// eachCSVRow calls fn with every record of the CSV file at path and the
// line it starts on (from 1).
func eachCSVRow(path string, fn func(line int, rec []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	for n := 1; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			if n == 1 {
				return fmt.Errorf("%s: empty", path)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0) // the file's line (a quoted field may span lines)
		if err := fn(line, rec); err != nil {
			return fmt.Errorf("%s: line %d: %w", path, line, err)
		}
	}
}

// readTranscriptsCSV reads the release's transcripts.csv.
func readTranscriptsCSV(path string) ([]segment, error) {
	var segs []segment
	err := eachCSVRow(path, func(line int, rec []string) error {
		if len(rec) != 4 {
			return fmt.Errorf("%d fields, want 4 (id, transcript, video index, binary label)", len(rec))
		}
		cut := strings.LastIndexByte(rec[0], '_')
		clip, err := strconv.Atoi(rec[0][cut+1:])
		if cut <= 0 || err != nil || clip < 1 {
			return fmt.Errorf("id %q: want VIDEO_SEGMENT with a segment number from 1", rec[0])
		}
		vi, err := strconv.Atoi(rec[2])
		if err != nil || vi < 1 || vi > 93 {
			return fmt.Errorf("video index %q: want 1 to 93", rec[2])
		}
		if rec[3] != "0" && rec[3] != "1" {
			return fmt.Errorf("binary label %q: want 0 or 1", rec[3])
		}
		segs = append(segs, segment{id: rec[0], video: rec[0][:cut], clip: clip, text: rec[1], videoIdx: vi, positive: rec[3] == "1"})
		return nil
	})
	return segs, err
}

// readIndexedFeatures reads text_{train,test}.csv: a 0-based row of
// transcripts.csv (below n), then width features.
func readIndexedFeatures(path string, width, n int) ([]int, [][]float32, error) {
	var idx []int
	var feats [][]float32
	err := eachCSVRow(path, func(line int, rec []string) error {
		if len(rec) != 1+width {
			return fmt.Errorf("%d fields, want %d (a transcripts.csv row, then %d features)", len(rec), 1+width, width)
		}
		k, err := strconv.Atoi(rec[0])
		if err != nil || k < 0 || k >= n {
			return fmt.Errorf("row index %q: want 0 to %d", rec[0], n-1)
		}
		v, err := parseFloats(rec[1:])
		if err != nil {
			return err
		}
		idx, feats = append(idx, k), append(feats, v)
		return nil
	})
	return idx, feats, err
}

// labelledRows are the rows of a feature file whose last column is the
// binary label.
type labelledRows struct {
	features [][]float32
	positive []bool
}

// readLabelledFeatures reads width features and a binary label per row;
// the file must have rows rows.
func readLabelledFeatures(path string, width, rows int) (labelledRows, error) {
	var out labelledRows
	err := eachCSVRow(path, func(line int, rec []string) error {
		if len(rec) != width+1 {
			return fmt.Errorf("%d fields, want %d (%d features, then the binary label)", len(rec), width+1, width)
		}
		v, err := parseFloats(rec[:width])
		if err != nil {
			return err
		}
		l := rec[width]
		if l != "0" && l != "1" && l != "0.0" && l != "1.0" {
			return fmt.Errorf("binary label %q: want 0 or 1", l)
		}
		out.features = append(out.features, v)
		out.positive = append(out.positive, l == "1" || l == "1.0")
		return nil
	})
	if err == nil && len(out.features) != rows {
		err = fmt.Errorf("%s: %d rows, the text file has %d", path, len(out.features), rows)
	}
	return out, err
}

func parseFloats(cells []string) ([]float32, error) {
	v := make([]float32, len(cells))
	for i, c := range cells {
		f, err := strconv.ParseFloat(c, 32)
		if err != nil {
			return nil, fmt.Errorf("field %d, %q: not a number", i+1, c)
		}
		v[i] = float32(f)
	}
	return v, nil
}

// clipKey is a segment: its video and 1-based number.
type clipKey struct {
	video string
	clip  int
}

// readMOSILabels reads MOSI's continuous labels by segment from
// OpinionLevelSentiment.csv (start, end, video, segment number, score) or
// a labels .csd (segment j of a video is its j-th interval).
func readMOSILabels(path string) (map[clipKey]float32, error) {
	out := map[clipKey]float32{}
	check := func(k clipKey, v float64) error {
		if math.IsNaN(v) || v < -3 || v > 3 {
			return fmt.Errorf("segment %s_%d: label %g outside [-3, 3]", k.video, k.clip, v)
		}
		if _, dup := out[k]; dup {
			return fmt.Errorf("segment %s_%d labelled twice", k.video, k.clip)
		}
		out[k] = float32(v)
		return nil
	}
	if strings.EqualFold(filepath.Ext(path), ".csd") {
		s, err := csd.Read(path)
		if err != nil {
			return nil, err
		}
		if s.Dim != 1 {
			return nil, fmt.Errorf("%s: features of %d values per segment, want 1 (a labels file)", path, s.Dim)
		}
		for _, v := range s.Videos {
			for j, f := range v.Features {
				if err := check(clipKey{v.ID, j + 1}, float64(f)); err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
			}
		}
		return out, nil
	}
	err := eachCSVRow(path, func(line int, rec []string) error {
		if len(rec) != 5 {
			return fmt.Errorf("%d fields, want 5 (start, end, video, segment number, score)", len(rec))
		}
		clip, err := strconv.Atoi(rec[3])
		if err != nil || clip < 1 {
			return fmt.Errorf("segment number %q: want an integer from 1", rec[3])
		}
		v, err := strconv.ParseFloat(rec[4], 64)
		if err != nil {
			return fmt.Errorf("score %q: not a number", rec[4])
		}
		return check(clipKey{rec[2], clip}, v)
	})
	return out, err
}

// ReadFolds reads folds.json ({"train": [...], "valid": [...], "test":
// [...]} video ids) into a map from video to split.
func ReadFolds(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f map[string][]string
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]string{}
	for _, name := range splitNames {
		if len(f[name]) == 0 {
			return nil, fmt.Errorf("%s: no %q videos", path, name)
		}
		for _, v := range f[name] {
			if prev, dup := out[v]; dup {
				return nil, fmt.Errorf("%s: video %s is in %s and %s", path, v, prev, name)
			}
			out[v] = name
		}
	}
	return out, nil
}
