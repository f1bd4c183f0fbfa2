package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/modistill/modistill/atomicfile"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/align"
	"github.com/modistill/modistill/data/csd"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/tensor"
)

func runData(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usagef("data: want a subcommand: synth, inspect or assemble (see 'modistill data -h')")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, `usage: modistill data <subcommand> [flags]

subcommands:
  synth     write a synthetic dataset (LMF's pickle layout)
  inspect   describe a dataset file or directory: format, splits, shapes, labels
  assemble  build a dataset from CMU-MultimodalSDK .csd files, aligned as the SDK aligns them

Run 'modistill data <subcommand> -h' for its flags.
`)
		return flag.ErrHelp
	case "synth":
		return runDataSynth(args[1:], stdout)
	case "inspect":
		return runDataInspect(args[1:], stdout)
	case "assemble":
		return runDataAssemble(args[1:], stdout)
	}
	return usagef("data: unknown subcommand %q; want synth, inspect or assemble", args[0])
}

func runDataSynth(args []string, stdout io.Writer) error {
	fs := newFlags("data synth")
	kind := fs.String("kind", "mosi", "dataset shape: mosi, pom or iemocap")
	seed := fs.Uint64("seed", 1, "seed")
	out := fs.String("out", "", "file to write (LMF's pickle layout)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *out == "" {
		return usagef("data synth: --out is required")
	}
	if err := atomicfile.CheckNew(*out); err != nil {
		return usagef("data synth: --out %v; choose a path that does not exist", err)
	}
	dss, err := synth.Generate(synth.Config{Kind: synth.Kind(*kind), Seed: *seed})
	if err != nil {
		return usagef("data synth: %v", err)
	}
	b, err := load.EncodeLMF(dss...)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteNew(*out, b); err != nil {
		return fmt.Errorf("data synth: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s: synthetic %s (seed %d), %s, %d bytes (LMF pickle layout)\n", *out, *kind, *seed, plural(len(dss), "dataset", "datasets"), len(b))
	return nil
}

// splitReport is what inspect says about one split.
type splitReport struct {
	N      int           `json:"n"`
	Audio  []int         `json:"audio"`
	Visual []int         `json:"visual"`
	Text   []int         `json:"text"`
	Label  []int         `json:"label"`
	Stats  []labelReport `json:"label_stats"`
}

type labelReport struct {
	Target string  `json:"target"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
	Mean   float64 `json:"mean"`
	Std    float64 `json:"std"`
	// Counts per class (classification).
	Counts map[string]int `json:"counts,omitempty"`
}

type datasetReport struct {
	Format    string                 `json:"format"`
	Name      string                 `json:"name"`
	Task      string                 `json:"task"`
	Targets   []string               `json:"targets"`
	Vocab     int                    `json:"vocab,omitempty"`
	Splits    map[string]splitReport `json:"splits"`
	NonFinite map[string]int         `json:"nonfinite_replaced"`
	// Notes say how the systems read the inputs (see data.Dataset.InputNotes).
	Notes []string `json:"notes,omitempty"`
	// Warnings are the dataset's (data.Dataset.Warnings).
	Warnings []string `json:"warnings,omitempty"`
	// IDs is the number of distinct sample ids over the splits (0: none).
	IDs int `json:"distinct_ids,omitempty"`
	// TextVectors describes text read through pretrained word vectors.
	TextVectors *data.TextVectors `json:"text_vectors,omitempty"`
	// LabelMean is each target's mean over all splits.
	LabelMean []float64 `json:"label_mean_all_splits"`
}

type csdReport struct {
	Format     string            `json:"format"`
	Name       string            `json:"name"`
	Videos     int               `json:"videos"`
	Segments   int               `json:"segments"`
	FeatureDim int               `json:"feature_dim"`
	Min        float64           `json:"min"`
	Max        float64           `json:"max"`
	Metadata   map[string]string `json:"metadata"`
}

func runDataInspect(args []string, stdout io.Writer) error {
	fs := newFlags("data inspect")
	asJSON := fs.Bool("json", false, "print one JSON object")
	emotion := fs.String("emotion", "", "IEMOCAP (LMF layout): which emotion's task")
	kind := fs.String("kind", "", "LMF labels: mosi, pom or regression (default: from the label width)")
	release := addReleaseFlags(fs)
	pos, err := parsePositional(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("data inspect: want one PATH, got %d (%s)", len(pos), strings.Join(pos, " "))
	}
	var path string
	if len(pos) == 1 {
		path = pos[0]
	}
	if path == "" {
		return usagef("data inspect: want a PATH: a dataset file or directory (modistill data inspect PATH [--json])")
	}
	f, err := load.Sniff(path)
	if err != nil {
		return fmt.Errorf("data inspect: %w", err)
	}
	if f == load.CSD {
		s, err := csd.Read(path)
		if err != nil {
			return fmt.Errorf("data inspect: %w", err)
		}
		r := csdReport{Format: "csd", Name: s.Name, Videos: len(s.Videos), Segments: s.Rows(), FeatureDim: s.Dim, Metadata: s.Metadata,
			Min: math.Inf(1), Max: math.Inf(-1)}
		for _, v := range s.Videos {
			for _, x := range v.Features {
				r.Min, r.Max = math.Min(r.Min, float64(x)), math.Max(r.Max, float64(x))
			}
		}
		if *asJSON {
			return printJSON(stdout, r)
		}
		fmt.Fprintf(stdout, "format: csd (CMU-MultimodalSDK computational sequence)\nname: %s\nvideos: %d\nsegments: %d\nfeature dim: %d\nfeature range: [%g, %g]\nmetadata:\n",
			r.Name, r.Videos, r.Segments, r.FeatureDim, r.Min, r.Max)
		keys := make([]string, 0, len(r.Metadata))
		for k := range r.Metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := r.Metadata[k]
			if len(v) > 70 {
				v = v[:67] + "..."
			}
			fmt.Fprintf(stdout, "  %-36s %s\n", k, v)
		}
		return nil
	}
	ds, err := openDataset(path, release.apply(load.Options{Emotion: *emotion, Kind: *kind}))
	if err != nil {
		return fmt.Errorf("data inspect: %w", err)
	}
	r := inspect(ds)
	if *asJSON {
		return printJSON(stdout, r)
	}
	fmt.Fprintf(stdout, "format: %s\nname: %s\ntask: %s, targets %s\n", r.Format, r.Name, r.Task, strings.Join(r.Targets, ", "))
	if r.Vocab > 0 {
		fmt.Fprintf(stdout, "vocabulary: %d (training split; id 0 pads, id 1 is unknown)\n", r.Vocab)
	}
	if r.IDs > 0 {
		fmt.Fprintf(stdout, "samples: %d distinct ids over the splits\n", r.IDs)
	}
	if len(r.LabelMean) == 1 {
		fmt.Fprintf(stdout, "label mean over all splits: %.6f\n", r.LabelMean[0])
	}
	printDataNotes(stdout, "", ds)
	for _, name := range []string{"train", "valid", "test"} {
		s := r.Splits[name]
		shape := func(sh []int) string {
			if len(sh) == 0 {
				return "none"
			}
			return tensor.ShapeString(sh)
		}
		text := shape(s.Text)
		if r.Vocab > 0 {
			text += " token ids"
		}
		fmt.Fprintf(stdout, "%s: n %d, audio %s, visual %s, text %s, label %s\n", name, s.N,
			shape(s.Audio), shape(s.Visual), text, shape(s.Label))
		for _, st := range s.Stats {
			if st.Counts != nil {
				fmt.Fprintf(stdout, "  %-14s samples per class: %s\n", st.Target, counts(st.Counts))
				continue
			}
			fmt.Fprintf(stdout, "  %-14s min %.3f max %.3f mean %.3f std %.3f\n", st.Target, st.Min, st.Max, st.Mean, st.Std)
		}
	}
	if len(r.NonFinite) == 0 {
		fmt.Fprintln(stdout, "non-finite values replaced: none")
	} else {
		fmt.Fprintf(stdout, "non-finite values replaced by 0: %s\n", counts(r.NonFinite))
	}
	return nil
}

// counts lists a map's counts as "k1 n1, k2 n2" in key order.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func printJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, string(b))
	return err
}

func shapeOf(s *data.Split, m data.Modality) []int {
	if x := s.Inputs[m]; x != nil {
		return x.Shape
	}
	if m == data.Text && s.Tokens != nil {
		return []int{s.N(), s.Tokens.L}
	}
	return []int{}
}

func inspect(ds *data.Dataset) datasetReport {
	r := datasetReport{Format: ds.Format, Name: ds.Name, Task: ds.Task.Kind.String(), Targets: ds.Task.Targets,
		Vocab: len(ds.Vocab), Splits: map[string]splitReport{}, NonFinite: ds.NonFinite, Notes: ds.AllNotes(), Warnings: ds.Warnings, TextVectors: ds.TextVectors}
	ids := map[string]bool{}
	sums, total := make([]float64, len(ds.Task.Targets)), 0
	for _, s := range ds.Splits() {
		for _, id := range s.IDs {
			ids[id] = true
		}
		for k := range ds.Task.Targets {
			for _, y := range s.Column(k) {
				sums[k] += y
			}
		}
		total += s.N()
	}
	r.IDs = len(ids)
	for k := range sums {
		r.LabelMean = append(r.LabelMean, sums[k]/float64(total))
	}
	if r.NonFinite == nil {
		r.NonFinite = map[string]int{}
	}
	for _, s := range ds.Splits() {
		sr := splitReport{N: s.N(), Audio: shapeOf(s.Split, data.Audio), Visual: shapeOf(s.Split, data.Visual),
			Text: shapeOf(s.Split, data.Text), Label: s.Labels.Shape}
		for k, target := range ds.Task.Targets {
			col := s.Column(k)
			st := labelReport{Target: target, Min: math.Inf(1), Max: math.Inf(-1)}
			var sum, sq float64
			for _, y := range col {
				st.Min, st.Max = math.Min(st.Min, y), math.Max(st.Max, y)
				sum += y
			}
			st.Mean = sum / float64(len(col))
			for _, y := range col {
				sq += (y - st.Mean) * (y - st.Mean)
			}
			st.Std = math.Sqrt(sq / float64(len(col)))
			if ds.Task.Kind == data.Classification {
				st.Counts = map[string]int{}
				for _, y := range col {
					st.Counts[fmt.Sprint(int(y))]++
				}
			}
			sr.Stats = append(sr.Stats, st)
		}
		r.Splits[s.Name] = sr
	}
	return r
}

// printDataNotes prints how the systems read ds and what a user must know
// about results on it, one line each, after prefix.
func printDataNotes(w io.Writer, prefix string, ds *data.Dataset) {
	label := ""
	if prefix == "" {
		label = "note: "
	}
	for _, n := range ds.AllNotes() {
		fmt.Fprintf(w, "%s%s%s\n", prefix, label, n)
	}
	for _, n := range ds.Warnings {
		fmt.Fprintf(w, "%swarning: %s\n", prefix, n)
	}
}

func runDataAssemble(args []string, stdout io.Writer) error {
	fs := newFlags("data assemble")
	labels := fs.String("labels", "", "the labels .csd (one value per segment, such as CMU_MOSI_Opinion_Labels.csd)")
	audio := fs.String("audio", "", "the audio features .csd (such as COVAREP)")
	visual := fs.String("visual", "", "the visual features .csd (such as FACET)")
	textPath := fs.String("text", "", "the word-level text features .csd (such as glove_vectors): the reference the others are aligned to")
	foldsPath := fs.String("folds", "", "folds.json: the videos of train, valid and test")
	layout := fs.String("layout", "sequences", "sequences (get_tensors: --seq-len steps, zeros in front, written as MMSA's pickle) or lmf (audio and visual averaged per segment, the first --seq-len words, written as LMF's pickle)")
	seqLen := fs.Int("seq-len", 0, "steps per segment (default: 50 for sequences, 20 for lmf); range [1, 1000]")
	out := fs.String("out", "", "the pickle to write (must not exist)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *labels == "" || *audio == "" || *visual == "" || *textPath == "" || *foldsPath == "" || *out == "" {
		return usagef("data assemble: want --labels, --audio, --visual, --text, --folds and --out")
	}
	if *layout != "sequences" && *layout != "lmf" {
		return usagef("data assemble: --layout %q: want sequences or lmf", *layout)
	}
	if *seqLen != 0 {
		if err := intFlagInRange("data assemble", "seq-len", *seqLen, 1, 1000); err != nil {
			return err
		}
	}
	if err := atomicfile.CheckNew(*out); err != nil {
		return usagef("data assemble: --out %v; choose a path that does not exist", err)
	}
	folds, err := load.ReadFolds(*foldsPath)
	if err != nil {
		return fmt.Errorf("data assemble: --folds: %w", err)
	}
	var seqs [4]*align.Sequence
	for i, p := range []string{*labels, *audio, *visual, *textPath} {
		s, err := csd.Read(p)
		if err != nil {
			return fmt.Errorf("data assemble: %w", err)
		}
		seqs[i] = align.FromCSD(s)
	}
	ds, rep, err := align.Assemble(seqs[0], seqs[1], seqs[2], seqs[3], align.Options{SeqLen: *seqLen, Utterance: *layout == "lmf", Folds: folds})
	if rep != nil {
		if len(rep.DroppedVideos) > 0 {
			fmt.Fprintf(stdout, "unify: %s not in every file, dropped: %s\n", plural(len(rep.DroppedVideos), "video", "videos"), strings.Join(rep.DroppedVideos, ", "))
		}
		for i, role := range []string{"audio", "visual"} {
			if n := rep.Imputed[role]; n > 0 {
				fmt.Fprintf(stdout, "impute: %s (%s) had no row within %s, filled with zeros\n", role, seqs[i+1].Name, plural(n, "word", "words"))
			}
		}
		for _, m := range []string{"audio", "visual", "text"} {
			if n := rep.NonFinite[m]; n > 0 {
				fmt.Fprintf(stdout, "non-finite: %d NaN or infinite %s values written as 0\n", n, m)
			}
		}
		if rep.Unaligned > 0 {
			fmt.Fprintf(stdout, "hard_unify: %s without a word, dropped\n", plural(rep.Unaligned, "segment", "segments"))
		}
		if len(rep.NoFold) > 0 {
			fmt.Fprintf(stdout, "folds: %s in no fold, skipped: %s\n", plural(len(rep.NoFold), "video", "videos"), strings.Join(rep.NoFold, ", "))
		}
	}
	if err != nil {
		return fmt.Errorf("data assemble: %w", err)
	}
	var b []byte
	if *layout == "lmf" {
		b, err = load.EncodeLMF(ds)
	} else {
		b, err = load.EncodeMMSA(ds)
	}
	if err != nil {
		return fmt.Errorf("data assemble: %w", err)
	}
	if err := atomicfile.WriteNew(*out, b); err != nil {
		return fmt.Errorf("data assemble: %w", err)
	}
	d := ds.Dims()
	fmt.Fprintf(stdout, "wrote %s (%s pickle): train/valid/test %d/%d/%d segments; %v\n", *out, map[string]string{"lmf": "LMF's", "sequences": "MMSA's"}[*layout],
		ds.Train.N(), ds.Valid.N(), ds.Test.N(), d)
	return nil
}
