package load

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/tensor"
)

// maxTextLen caps the padded length chosen from the training transcripts.
const maxTextLen = 50

// transcriptFiles are the split files of a transcripts directory.
var transcriptFiles = [3]string{"train.tsv", "dev.tsv", "test.tsv"}

// TranscriptsDir reads CMU-MOSI's transcripts as a text-only dataset: dir
// holds train.tsv, dev.tsv and test.tsv (dev is the validation split), each
// "text<TAB>label" with a header line; path may also name one of the files,
// whose directory is then used. The vocabulary comes from the training split
// alone; a word it lacks is the unknown id. Sequences are padded to
// opt.TextLen (default: the longest training transcript, at most 50 tokens)
// and their lengths recorded. With opt.Text = TextNgrams the text is instead
// a bag of n-gram feature ids per transcript (see setNgramBags).
func TranscriptsDir(path string, opt Options) (*data.Dataset, error) {
	dir := path
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		dir = filepath.Dir(path)
	}
	var docs [3][][]string
	var labels [3][]float32
	for i, name := range transcriptFiles {
		p := filepath.Join(dir, name)
		d, l, err := readTSV(p)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", p, err)
		}
		docs[i], labels[i] = d, l
	}
	switch {
	case opt.Text == TextNgrams && opt.TextLen != 0:
		return nil, optionErrorf("load %s: --seq-len applies to word sequences; a bag of n-grams keeps every feature", dir)
	case opt.Text == TextNgrams:
		ds := &data.Dataset{Name: "cmu-mosi-transcripts", Format: string(Transcripts), Task: data.MOSITask()}
		for i, sn := range splitNames {
			setSplit(ds, sn, &data.Split{Labels: tensor.From(labels[i], len(labels[i]), 1)})
		}
		setNgramBags(ds, docs[:])
		if opt.Embeddings != "" {
			if err := setBagVectors(ds, docs[:], opt.Embeddings); err != nil {
				return nil, fmt.Errorf("load %s: %w", dir, err)
			}
		}
		if err := ds.Validate(); err != nil {
			return nil, fmt.Errorf("load %s: %w", dir, err)
		}
		return ds, nil
	case opt.Text != "" && opt.Text != TextWords:
		return nil, optionErrorf("load %s: --text %q: want words (token ids in order, or word vectors with --embeddings) or ngrams (bags of n-gram features)", dir, opt.Text)
	case opt.Embeddings != "":
		return embeddedTranscripts(dir, docs[:], labels, opt)
	}
	vocab := text.Build(docs[0], 1)
	L := opt.TextLen
	if L <= 0 {
		for _, d := range docs[0] {
			L = max(L, len(d))
		}
		L = min(max(L, 1), maxTextLen)
	}
	ds := &data.Dataset{Name: "cmu-mosi-transcripts", Format: string(Transcripts), Vocab: vocab.Words,
		Task: data.MOSITask()}
	for i, sn := range splitNames {
		n := len(docs[i])
		s := &data.Split{Tokens: &data.Tokens{IDs: make([]int32, n*L), L: L}, Labels: tensor.New(n, 1)}
		s.Lengths[data.Text] = make([]int, n)
		for j, d := range docs[i] {
			s.Lengths[data.Text][j] = vocab.Encode(d, s.Tokens.IDs[j*L:(j+1)*L])
			s.Labels.Data[j] = labels[i][j]
		}
		setSplit(ds, sn, s)
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	return ds, nil
}

// readTSV reads "text<TAB>label" lines after a header.
func readTSV(path string) ([][]string, []float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return ParseTSV(f)
}

// ParseTSV reads transcripts as "text<TAB>label" lines, after an optional
// "text<TAB>label" header, into token lists and labels.
func ParseTSV(r io.Reader) ([][]string, []float32, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	var docs [][]string
	var labels []float32
	line := 0
	for sc.Scan() {
		line++
		row := sc.Text()
		if line == 1 && strings.HasPrefix(row, "text\t") {
			continue
		}
		if strings.TrimSpace(row) == "" {
			continue
		}
		tab := strings.LastIndexByte(row, '\t')
		if tab < 0 {
			return nil, nil, fmt.Errorf("line %d: no tab; want text<TAB>label", line)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(row[tab+1:]), 32)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, fmt.Errorf("line %d: label %q is not a finite number", line, row[tab+1:])
		}
		docs = append(docs, text.Tokenize(row[:tab]))
		labels = append(labels, float32(v))
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	if len(docs) == 0 {
		return nil, nil, fmt.Errorf("no samples (want text<TAB>label lines after the header)")
	}
	return docs, labels, nil
}

// embeddedTranscripts is TranscriptsDir with the text as pretrained word
// vectors (opt.Embeddings; see embedDocs).
func embeddedTranscripts(dir string, docs [][][]string, labels [3][]float32, opt Options) (*data.Dataset, error) {
	x, lengths, info, err := embedDocs(docs, opt.Embeddings, opt.TextLen)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	ds := &data.Dataset{Name: "cmu-mosi-transcripts", Format: string(Transcripts), TextVectors: info,
		Task:  data.MOSITask(),
		Notes: []string{describeVectors(info)}, Warnings: vectorWarnings(info)}
	for i, sn := range splitNames {
		s := &data.Split{Labels: tensor.From(labels[i], len(labels[i]), 1)}
		s.Inputs[data.Text], s.Lengths[data.Text] = x[i], lengths[i]
		setSplit(ds, sn, s)
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("load %s: %w", dir, err)
	}
	return ds, nil
}
