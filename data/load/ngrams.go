package load

import (
	"fmt"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/text"
)

// Text routes for transcripts: word ids in order (the default), or bags of
// n-gram features.
const (
	TextWords  = "words"
	TextNgrams = "ngrams"
)

// NgramMinCount is how many times a feature must occur in the training
// split to get an id: one seen once would train its vector on one sample.
const NgramMinCount = 2

// setNgramBags gives ds's splits their text as bags of n-gram feature ids
// (text.Ngrams of docs[i], the tokenised transcripts of split i), with the
// feature vocabulary of the training split (features seen at least
// NgramMinCount times), padded to the longest bag of any split, so that no
// split's bag is cut.
func setNgramBags(ds *data.Dataset, docs [][][]string) {
	feats := make([][][]string, len(docs))
	for i, split := range docs {
		feats[i] = make([][]string, len(split))
		for j, d := range split {
			feats[i][j] = text.Ngrams(d)
		}
	}
	vocab := text.Build(feats[0], NgramMinCount)
	L := 1
	for _, split := range feats {
		for _, f := range split {
			L = max(L, vocab.KnownCount(f))
		}
	}
	ds.Vocab, ds.TextBag = vocab.Words, true
	for i, ns := range ds.Splits() {
		n := len(feats[i])
		ns.Tokens = &data.Tokens{IDs: make([]int32, n*L), L: L}
		ns.Lengths[data.Text] = make([]int, n)
		for j, f := range feats[i] {
			ns.Lengths[data.Text][j] = vocab.EncodeBag(f, ns.Tokens.IDs[j*L:(j+1)*L])
		}
	}
	ds.Notes = append(ds.Notes, fmt.Sprintf("text: bags of n-gram features (words, word bigrams, negation-marked words, character 2- to 5-grams), %d features seen at least %d times in the training split, up to %d per transcript",
		len(vocab.Words)-2, NgramMinCount, L))
}

// setBagVectors reads, from the pretrained word vectors in path, those of
// the words that have a word feature (text.WordFeature) in ds's bag vocabulary,
// into ds.TextVectors, for the systems to start those features' embeddings
// from (systems.InitTextBag); the tokens of docs are counted against them.
func setBagVectors(ds *data.Dataset, docs [][][]string, path string) error {
	want := map[string]bool{}
	for _, f := range ds.Vocab {
		if w, ok := text.FeatureWord(f); ok {
			want[w] = true
		}
	}
	info := &data.TextVectors{File: path}
	vec, err := wordVectors(path, want, info)
	if err != nil {
		return err
	}
	for _, split := range docs {
		for _, d := range split {
			for _, w := range d {
				info.Tokens++
				if _, ok := vec.Lookup(w); !ok {
					info.OOVTokens++
				}
			}
		}
	}
	ds.TextVectors = info
	ds.Notes = append(ds.Notes, fmt.Sprintf("text: the embeddings of %d of the %d word features start from their %d-d vectors in %s (the other features' at random); %d of %d tokens (%.1f%%) have no vector",
		len(info.Vocab), info.Words, info.Dim, path, info.OOVTokens, info.Tokens, 100*info.OOVRate()))
	return nil
}
