// Package text turns transcripts into token ids: a tokenizer (lower-cased
// runs of letters, digits and apostrophes) and a vocabulary built from a
// training split, in which id 0 pads and id 1 stands for every word the
// training split did not have.
package text

import (
	"sort"
	"strings"
	"unicode"
)

// Pad and Unknown are the reserved ids.
const (
	Pad     = 0
	Unknown = 1
)

// Tokenize lower-cases s and splits it into runs of letters, digits and
// apostrophes ("DON'T" -> "don't"); everything else separates tokens.
func Tokenize(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
}

// Vocab maps tokens to ids.
type Vocab struct {
	Words []string // Words[id]; Words[0] = "<pad>", Words[1] = "<unk>"
	ids   map[string]int32
}

// Build makes a vocabulary of the tokens occurring at least minCount times
// in docs, most frequent first (ties in byte order), after the two reserved
// ids.
func Build(docs [][]string, minCount int) *Vocab {
	counts := map[string]int{}
	for _, d := range docs {
		for _, w := range d {
			counts[w]++
		}
	}
	var words []string
	for w, c := range counts {
		if c >= minCount {
			words = append(words, w)
		}
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	return FromWords(append([]string{"<pad>", "<unk>"}, words...))
}

// FromWords rebuilds a vocabulary from its word list (as saved with a model).
func FromWords(words []string) *Vocab {
	v := &Vocab{Words: words, ids: make(map[string]int32, len(words))}
	for i, w := range words {
		v.ids[w] = int32(i)
	}
	return v
}

// ID returns w's id, or Unknown.
func (v *Vocab) ID(w string) int32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	return Unknown
}

// Encode writes the ids of tokens into dst (len(dst) is the padded length),
// truncating long inputs and padding short ones, and returns how many ids
// are real tokens.
func (v *Vocab) Encode(tokens []string, dst []int32) int {
	n := min(len(tokens), len(dst))
	for i := range dst {
		if i < n {
			dst[i] = v.ID(tokens[i])
		} else {
			dst[i] = Pad
		}
	}
	return n
}

// NegationScope is how many words after a negator Ngrams marks as negated.
const NegationScope = 3

// negators open a negation scope, as do words ending in "n't".
var negators = map[string]bool{"not": true, "no": true, "never": true, "nothing": true, "nobody": true,
	"none": true, "nor": true, "neither": true, "cannot": true, "without": true}

// Ngrams returns the features of a tokenised text that a fastText-style
// encoder reads as a bag, in order of the words, repeats kept:
//
//   - "w:" + each word;
//   - "b:" + each pair of adjacent words, joined by a space;
//   - "n:" + each of the NegationScope words after a negator ("not", "no",
//     "never", a word ending in "n't", ...), so that "not good" also gives
//     "n:good" (negation marking; the transcripts carry no punctuation to
//     end a scope);
//   - "c:" + every n-gram of 2 to 5 characters of each word wrapped
//     in "<" and ">", fastText's word boundaries ("<no", "no>", "<no>").
func Ngrams(tokens []string) []string {
	var out []string
	negated := 0
	for i, w := range tokens {
		out = append(out, WordFeature(w))
		if i > 0 {
			out = append(out, "b:"+tokens[i-1]+" "+w)
		}
		if negated > 0 {
			out = append(out, "n:"+w)
			negated--
		}
		if negators[w] || strings.HasSuffix(w, "n't") {
			negated = NegationScope
		}
		r := []rune("<" + w + ">")
		for n := 2; n <= 5; n++ {
			for s := 0; s+n <= len(r); s++ {
				out = append(out, "c:"+string(r[s:s+n]))
			}
		}
	}
	return out
}

// wordPrefix marks Ngrams' word features.
const wordPrefix = "w:"

// WordFeature is the name Ngrams gives word w's feature.
func WordFeature(w string) string { return wordPrefix + w }

// FeatureWord returns the word of a word feature (WordFeature's inverse),
// and false for any other feature.
func FeatureWord(f string) (string, bool) { return strings.CutPrefix(f, wordPrefix) }

// known returns feature f's id, if the vocabulary has one for it (the
// reserved ids never name a feature).
func (v *Vocab) known(f string) (int32, bool) {
	id, ok := v.ids[f]
	return id, ok && id > Unknown
}

// EncodeBag writes the ids of the features the vocabulary knows into dst,
// in order (an unknown feature is left out, not written as Unknown: a bag
// has no position to keep), truncating to len(dst) and padding the rest,
// and returns how many it wrote.
func (v *Vocab) EncodeBag(features []string, dst []int32) int {
	n := 0
	for _, f := range features {
		if n == len(dst) {
			break
		}
		if id, ok := v.known(f); ok {
			dst[n] = id
			n++
		}
	}
	clear(dst[n:])
	return n
}

// KnownCount is how many of features the vocabulary knows (the length
// EncodeBag needs to keep them all).
func (v *Vocab) KnownCount(features []string) int {
	n := 0
	for _, f := range features {
		if _, ok := v.known(f); ok {
			n++
		}
	}
	return n
}
