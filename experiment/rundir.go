package experiment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/modistill/modistill/atomicfile"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/experiment/runstore"
)

// A run directory holds one run of the paper's tables: SettingsFile (what
// shapes its report), the run store StoreFile (every finished trial) and
// the outputs report.md, results.csv and plots/. A rerun with the same
// settings resumes it; shards of one run merge with Merge.
const (
	SettingsFile = "paper.json"
	StoreFile    = "runs.log"
)

// Settings are the settings that shape a run's report; a run resumed, and
// shards merged into one report, must agree on them.
type Settings struct {
	Data   string `json:"data"`
	Quick  bool   `json:"quick"`
	Search int    `json:"search"`
	// Protocol is paper, RandomRate or Both (empty in stores made before
	// it).
	Protocol string `json:"protocol,omitempty"`
	// Split is the bc-LSTM release's split (empty: its default, release).
	Split string `json:"split,omitempty"`
	// Text, Embeddings and SeqLen say how transcripts were read (empty: the
	// data's own text).
	Text       string `json:"text,omitempty"`
	Embeddings string `json:"embeddings,omitempty"`
	SeqLen     int    `json:"seq_len,omitempty"`
	// SynthParams are the synthetic generator's parameters (empty: its
	// defaults).
	SynthParams string `json:"synth_params,omitempty"`
	// OursForm is the reading of Ours behind the run's "ours" trials:
	// OursForm (issue 11's fixes); empty in stores made before them, whose
	// "ours" trials are today's ours-literal and must not be mixed with new
	// ones.
	OursForm string `json:"ours_form,omitempty"`
}

// OursForm is Settings.OursForm for runs of this version.
const OursForm = "issue-11"

// String describes the settings as modistill paper's flags.
func (s Settings) String() string {
	out := "--data " + s.Data
	if s.Quick {
		out += " --quick"
	}
	if s.Search > 0 {
		out += fmt.Sprintf(" --search %d", s.Search)
	}
	if s.Protocol != "" && s.Protocol != "paper" {
		out += " --protocol " + s.Protocol
	}
	if s.Split != "" {
		out += " --split " + s.Split
	}
	if s.Text != "" {
		out += " --text " + s.Text
	}
	if s.Embeddings != "" {
		out += " --embeddings " + s.Embeddings
	}
	if s.SeqLen != 0 {
		out += fmt.Sprintf(" --seq-len %d", s.SeqLen)
	}
	if s.SynthParams != "" {
		out += " --synth-params " + s.SynthParams
	}
	return out
}

// InputError is a run refused for what it was given (a directory that is
// not a run of the same settings, an unknown system or protocol), as
// opposed to a failure while running: the user's to fix.
type InputError struct{ Msg string }

// Error is the message.
func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{fmt.Sprintf(format, args...)}
}

// CheckDir reports whether dir can hold a run: it does not exist, is empty,
// or holds an earlier run (its SettingsFile readable) to resume. Anything
// else is refused with an *InputError, so that no one's files are
// overwritten.
func CheckDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return inputErrorf("%s is a file; want a directory (new, empty, or an earlier run's to resume)", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := ReadSettings(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return inputErrorf("%s holds files but no %s, so it is not a modistill paper run; choose a new directory", dir, SettingsFile)
		}
		return inputErrorf("%s: %v; it cannot be resumed safely (move it aside, or use a new directory)", dir, err)
	}
	return nil
}

// openDir makes dir a run directory of settings s, or checks that it is
// one, and opens its store.
func openDir(dir string, s Settings) (*runstore.Store, error) {
	if err := CheckDir(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	old, err := ReadSettings(dir)
	switch {
	case err == nil && old.OursForm != s.OursForm:
		return nil, inputErrorf("%s was made before issue 11 changed Ours (its ours trials are today's ours-literal) and cannot be resumed by this version; use a fresh directory", dir)
	case err == nil && old != s:
		return nil, inputErrorf("%s was made with other settings (%v, not %v); use a fresh directory", dir, old, s)
	case err == nil:
	case !errors.Is(err, fs.ErrNotExist):
		return nil, inputErrorf("%v; not resuming", err)
	default:
		b, _ := json.MarshalIndent(s, "", "  ")
		if err := atomicfile.WriteNew(filepath.Join(dir, SettingsFile), append(b, '\n')); err != nil {
			return nil, err
		}
	}
	return runstore.Open(filepath.Join(dir, StoreFile))
}

// ReadSettings reads the settings of the run in dir.
func ReadSettings(dir string) (Settings, error) {
	var s Settings
	b, err := os.ReadFile(filepath.Join(dir, SettingsFile))
	if err != nil {
		return s, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil || s.Data == "" {
		if err == nil {
			err = errors.New("no data field")
		}
		return s, fmt.Errorf("%s is corrupt: %v", filepath.Join(dir, SettingsFile), err)
	}
	if s.Protocol == "" { // stores made before --protocol
		s.Protocol = "paper"
	}
	return s, nil
}

// ReadResults decodes a store's records, sorted by dataset, system and
// seed.
func ReadResults(recs []runstore.Record) ([]*Result, error) {
	var out []*Result
	for _, r := range recs {
		var res Result
		if err := json.Unmarshal(r.Data, &res); err != nil {
			return nil, fmt.Errorf("record %s: %w", r.Key, err)
		}
		out = append(out, &res)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Dataset != b.Dataset {
			return a.Dataset < b.Dataset
		}
		if a.System != b.System {
			return a.System < b.System
		}
		return a.Seed < b.Seed
	})
	return out, nil
}

// Merge reads the run directories in (the shards of one run, which must
// agree on their settings) and writes their report.md, results.csv and
// plots/ to out, a new or empty directory. A trial recorded in two shards
// is kept from the first, and said so on log.
func Merge(in []string, out string, log io.Writer) error {
	if entries, err := os.ReadDir(out); err == nil && len(entries) > 0 {
		return inputErrorf("%s already holds files; want a new or empty directory (report.md, results.csv and plots/ are written there)", out)
	} else if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return inputErrorf("%s is a file; want a new or empty directory", out)
	}
	var settings Settings
	var all []runstore.Record
	seen := map[string]string{}
	for i, dir := range in {
		s, err := ReadSettings(dir)
		if err != nil {
			return inputErrorf("%s is not a modistill paper directory: %v", dir, err)
		}
		if i == 0 {
			settings = s
		} else if s != settings {
			return inputErrorf("%s was run with %v but %s with %v; merge only shards of one run", dir, s, in[0], settings)
		}
		path := filepath.Join(dir, StoreFile)
		if _, err := os.Stat(path); err != nil {
			return err
		}
		recs, err := runstore.Read(path) // read-only: a shard may still be writing
		if err != nil {
			return err
		}
		for _, r := range recs {
			if first, dup := seen[r.Key]; dup {
				fmt.Fprintf(log, "%s: in %s and %s; keeping the first\n", r.Key, first, dir)
				continue
			}
			seen[r.Key] = dir
			all = append(all, r)
		}
	}
	results, err := ReadResults(all)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(log, "%s from %s\n", plural(len(results), "trial", "trials"), plural(len(in), "directory", "directories"))
	return WriteOutputs(out, settings, results, log)
}

// WriteOutputs writes report.md, results.csv and plots/ for the results of
// a run with settings s to dir, and says so on log. Search trials are left
// out: they were scored on validation only.
func WriteOutputs(dir string, s Settings, all []*Result, log io.Writer) error {
	var results []*Result
	for _, r := range all {
		if r.Search == 0 {
			results = append(results, r)
		}
	}
	withPaper := s.Data != "synth" && s.Protocol != RandomRate
	if err := WriteReport(filepath.Join(dir, "report.md"), reportHeader(s, results), results, withPaper); err != nil {
		return err
	}
	if err := WriteCSV(filepath.Join(dir, "results.csv"), results); err != nil {
		return err
	}
	plots, err := WritePlots(filepath.Join(dir, "plots"), results)
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "wrote %s, %s and %d charts in %s\n", filepath.Join(dir, "report.md"), filepath.Join(dir, "results.csv"), len(plots), filepath.Join(dir, "plots"))
	return nil
}

// releaseSplitText describes the bc-LSTM release's own split.
const releaseSplitText = "the release's split (training videos 1-52, validation 53-62, test 63-93: 1229/218/752 segments)"

// reportHeader is report.md's title and first paragraph: what was run, how,
// and how far the paper's numbers beside it compare.
func reportHeader(s Settings, results []*Result) string {
	proto := "protocol: the paper's fixed conditions, complete input and the six incomplete modality subsets (the fixed conditions of MMIN and CorrKD too)"
	rate := "random missing rate (MMSA, LNLN), every modality given with each frame or token (or utterance vector) masked with probability r, the same masks for every system"
	switch s.Protocol {
	case RandomRate:
		proto = "protocol: " + rate
	case Both:
		proto = "protocols: each trial trained once and scored under the paper's fixed conditions (complete input and the six incomplete modality subsets) and under the " + rate
	}
	hp := "each trained system with its defaults"
	if s.Search > 0 {
		hp = fmt.Sprintf("each trained system with the best of %d random settings of the grid on the validation split (seed-independent; results.csv gives the setting)", s.Search)
	}
	seeds := map[uint64]bool{}
	for _, r := range results {
		seeds[r.Seed] = true
	}
	names := DatasetsOf(results)
	title, caveat := "on the synthetic benchmark", "The data is synthetic, so the paper's own numbers are not beside these: they measure other data."
	if s.Data != "synth" {
		title, caveat = "on "+filepath.Base(s.Data), "Rows marked (paper) are the paper's own numbers as printed (accuracies and F1 in percent), meaningful only if the file is the paper's dataset; single runs drift (METHOD.md)."
		if f, err := load.Sniff(s.Data); err == nil && f == load.BCLSTMRelease {
			split := releaseSplitText
			if s.Split == load.StandardSplit {
				split = "the standard folds (leaky for the text-CNN and visual features: see the README)"
			}
			caveat += " The features are not the paper's: here the bc-LSTM release's COVAREP audio (73-d), 3D-CNN visual (100-d) and, for text, " +
				map[string]string{"cnn": "its text-CNN vectors (100-d)", "glove": "GloVe word vectors", load.TextNgrams: "bags of n-grams of the transcripts"}[load.ReleaseText(load.Options{Text: s.Text, Embeddings: s.Embeddings})] +
				", on " + split +
				"; the paper's were COVAREP (74-d), FACET (46-d) and GloVe (300-d) on the standard folds (1284/229/686), with selection it does not describe. " +
				"Acc-2 (y >= 0) is accuracy on the release's own binary labels (checked to agree on every segment)."
		}
	}
	return fmt.Sprintf("# The paper's tables %s\n\n"+
		"modistill paper %s: %s on %s (%s), %s, test split, %s; %s; each cell the mean ± standard deviation over seeds "+
		"(svm and strh do not depend on the seed: each is fitted once per dataset, with seed 1, and shown without a deviation; \"(n of m)\" where only n of m seeds gave a defined value, \"n/a\" where none did). "+
		"Accuracies and F1 are in percent (results.csv keeps fractions). "+
		"MOSI's Acc-2 and F1 are the y >= 0 variant (the paper's); results.csv also has the non-zero variant. "+
		"%s\n", title, s, plural(len(results), "trial", "trials"), plural(len(names), "dataset", "datasets"), strings.Join(names, ", "),
		plural(len(seeds), "seed", "seeds"), proto, hp, caveat)
}

// plural is "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
