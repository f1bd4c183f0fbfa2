package data

import (
	"fmt"
	"testing"
)

func TestSubsetCodesRoundTrip(t *testing.T) {
	want := []string{"avt", "av", "at", "vt", "a", "v", "t"}
	for i, s := range Subsets {
		if s.String() != want[i] {
			t.Errorf("Subsets[%d] = %s, want %s", i, s, want[i])
		}
		got, err := ParseSubset(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSubset(%s) = %v, %v", s, got, err)
		}
	}
	if s, err := ParseSubset("ta"); err != nil || s != (Subset{true, false, true}) {
		t.Errorf("any order: %v, %v", s, err)
	}
	for _, bad := range []string{"", "x", "aa", "avtv", "A"} {
		if _, err := ParseSubset(bad); err == nil {
			t.Errorf("ParseSubset(%q): no error", bad)
		}
	}
	if Only(Text) != Subsets[6] || !All.Has(Visual) || Only(Audio).Has(Text) {
		t.Error("Only or Has")
	}
}

func FuzzParseSubset(f *testing.F) {
	for _, s := range []string{"avt", "t", "va", "", "aa", "ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		s, err := ParseSubset(code)
		if err != nil {
			return
		}
		// A parsed subset is non-empty and prints as its letters in order.
		again, err := ParseSubset(s.String())
		if err != nil || again != s || s == (Subset{}) || len(s.String()) != len(code) {
			t.Errorf("ParseSubset(%q) = %v; its code %q parses to %v, %v", code, s, s.String(), again, err)
		}
	})
}

func ExampleSubset() {
	s, err := ParseSubset("ta")
	if err != nil {
		panic(err)
	}
	fmt.Println(s, s.Has(Audio), s.Has(Visual))
	for _, sub := range Subsets[:4] {
		fmt.Print(sub, " ")
	}
	fmt.Println()
	// Output:
	// at true false
	// avt av at vt
}
