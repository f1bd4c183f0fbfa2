package text

import (
	"reflect"
	"testing"
)

func TestTokenize(t *testing.T) {
	got := Tokenize("I DON'T  like it...\tBUT 2 is OK")
	want := []string{"i", "don't", "like", "it", "but", "2", "is", "ok"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokenize = %q, want %q", got, want)
	}
}

func TestVocab(t *testing.T) {
	v := Build([][]string{{"good", "movie"}, {"bad", "movie"}, {"good"}}, 1)
	if want := []string{"<pad>", "<unk>", "good", "movie", "bad"}; !reflect.DeepEqual(v.Words, want) {
		t.Fatalf("words %q, want %q", v.Words, want)
	}
	dst := make([]int32, 4)
	if n := v.Encode([]string{"good", "awful", "movie"}, dst); n != 3 || !reflect.DeepEqual(dst, []int32{2, Unknown, 3, Pad}) {
		t.Errorf("Encode = %v (%d real)", dst, n)
	}
	if n := v.Encode([]string{"bad", "bad", "bad", "bad", "bad"}, dst); n != 4 || dst[3] != 4 {
		t.Errorf("truncation: %v (%d real)", dst, n)
	}
	if v2 := Build([][]string{{"a", "b", "b"}}, 2); len(v2.Words) != 3 || v2.ID("a") != Unknown {
		t.Errorf("minCount 2: %q", v2.Words)
	}
}

func TestNgrams(t *testing.T) {
	got := Ngrams([]string{"not", "ok"})
	want := []string{"w:not", "c:<n", "c:no", "c:ot", "c:t>", "c:<no", "c:not", "c:ot>", "c:<not", "c:not>", "c:<not>",
		"w:ok", "b:not ok", "n:ok", "c:<o", "c:ok", "c:k>", "c:<ok", "c:ok>", "c:<ok>"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Ngrams = %q,\nwant %q", got, want)
	}
	// The scope ends NegationScope words after the negator.
	n := 0
	for _, f := range Ngrams([]string{"don't", "a", "b", "c", "d"}) {
		if f[:2] == "n:" {
			n++
		}
	}
	if n != NegationScope {
		t.Errorf("%d negated words, want %d", n, NegationScope)
	}
}

func TestEncodeBag(t *testing.T) {
	v := Build([][]string{{"w:good", "w:good", "c:<g"}}, 1)
	dst := make([]int32, 3)
	feats := []string{"w:bad", "w:good", "c:<g", "w:good"}
	if n := v.EncodeBag(feats, dst); n != 3 || !reflect.DeepEqual(dst, []int32{2, 3, 2}) {
		t.Errorf("EncodeBag = %v (%d), want [2 3 2] (3): the unknown feature left out", dst, n)
	}
	if k := v.KnownCount(feats); k != 3 {
		t.Errorf("KnownCount = %d, want 3", k)
	}
	short := make([]int32, 1)
	if n := v.EncodeBag(feats, short); n != 1 || short[0] != 2 {
		t.Errorf("truncated EncodeBag = %v (%d)", short, n)
	}
	if n := v.EncodeBag([]string{"w:bad"}, dst); n != 0 || !reflect.DeepEqual(dst, []int32{0, 0, 0}) {
		t.Errorf("a bag of unknown features = %v (%d), want padding only", dst, n)
	}
}
