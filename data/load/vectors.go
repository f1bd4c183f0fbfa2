package load

import (
	"fmt"
	"sort"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/wordvec"
	"github.com/modistill/modistill/tensor"
)

// wordVectors reads the vectors of the words in want from path into info
// (Dim, Words, OOVWords, and Vocab and Table, sorted) and returns them.
func wordVectors(path string, want map[string]bool, info *data.TextVectors) (*wordvec.Vectors, error) {
	vec, err := wordvec.Read(path, func(w string) bool { return want[w] })
	if err != nil {
		return nil, optionErrorf("--embeddings: %w", err)
	}
	if len(want) > 0 && vec.Len() == 0 {
		return nil, optionErrorf("--embeddings %s: none of the transcripts' %d words has a vector there (%d vectors of %d values read); is it a word-vector file for this language, in GloVe's text format?", path, len(want), vec.Lines, vec.Dim)
	}
	info.Dim, info.Words = vec.Dim, len(want)
	for w := range want {
		if _, ok := vec.Lookup(w); ok {
			info.Vocab = append(info.Vocab, w)
		}
	}
	info.OOVWords = len(want) - len(info.Vocab)
	sort.Strings(info.Vocab)
	for _, w := range info.Vocab {
		v, _ := vec.Lookup(w)
		info.Table = append(info.Table, v...)
	}
	return vec, nil
}

// DefaultVectorSeqLen is how many words of a transcript become word
// vectors when Options.TextLen is 0: LMF's 20.
const DefaultVectorSeqLen = 20

// embedDocs turns tokenised transcripts (per split; text.Tokenize's
// lower-cased tokens) into word-vector sequences (N, L, d) from the
// pretrained vectors in path: the first L tokens of each transcript, valid
// steps first and zero vectors after them with the lengths kept (PyTorch's
// pack_padded_sequence reading: the LSTM's state stops at the last word;
// LMF pads in front instead and feeds the LSTM the leading zeros), a word
// the file lacks as a zero vector, counted.
func embedDocs(tokens [][][]string, path string, L int) ([]*tensor.Tensor, [][]int, *data.TextVectors, error) {
	if L == 0 {
		L = DefaultVectorSeqLen
	}
	info := &data.TextVectors{File: path, SeqLen: L}
	docs := make([][][]string, len(tokens))
	want := map[string]bool{}
	for i, split := range tokens {
		docs[i] = make([][]string, len(split))
		for j, d := range split {
			if len(d) > L {
				d = d[:L]
				info.Truncated++
			}
			docs[i][j] = d
			for _, w := range d {
				want[w] = true
			}
		}
	}
	if _, err := wordVectors(path, want, info); err != nil {
		return nil, nil, nil, err
	}
	d := info.Dim
	out := make([]*tensor.Tensor, len(docs))
	lengths := make([][]int, len(docs))
	for i, split := range docs {
		x := tensor.New(len(split), L, d)
		lengths[i] = make([]int, len(split))
		for j, doc := range split {
			n, oov := info.Embed(doc, x.Data[j*L*d:(j+1)*L*d])
			lengths[i][j] = n
			info.Tokens += n
			info.OOVTokens += oov
		}
		out[i] = x
	}
	return out, lengths, info, nil
}

// describeVectors is the dataset note for embedded text.
func describeVectors(v *data.TextVectors) string {
	return fmt.Sprintf("text: %d-d word vectors from %s, the first %d words of each transcript (%d longer ones cut); out of vocabulary: %d of %d tokens (%.1f%%), %d of %d distinct words, as zero vectors",
		v.Dim, v.File, v.SeqLen, v.Truncated, v.OOVTokens, v.Tokens, 100*v.OOVRate(), v.OOVWords, v.Words)
}

// oovWarnLevel is the share of tokens without a vector above which a
// dataset warns.
const oovWarnLevel = 0.2

// vectorWarnings are what a user must know about v.
func vectorWarnings(v *data.TextVectors) []string {
	if v.OOVRate() > oovWarnLevel {
		return []string{fmt.Sprintf("%.0f%% of the transcripts' tokens have no vector in %s and are zero vectors", 100*v.OOVRate(), v.File)}
	}
	return nil
}
