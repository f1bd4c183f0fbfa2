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
