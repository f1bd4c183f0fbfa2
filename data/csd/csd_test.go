package csd

import (
	"os"
	"testing"

	"github.com/modistill/modistill/tensor/tensortest"
)

func TestReadSDKLayout(t *testing.T) {
	var want map[string]any
	if err := tensortest.ReadJSON("testdata/expected.json", &want); err != nil {
		t.Fatal(err)
	}
	s, err := Read("testdata/seq.csd")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Test Labels" || s.Dim != 1 || len(s.Videos) != 3 || s.Rows() != 9 {
		t.Fatalf("name %q dim %d videos %d rows %d", s.Name, s.Dim, len(s.Videos), s.Rows())
	}
	if s.Videos[0].ID != "vidA" || s.Videos[2].ID != "vid_c" {
		t.Errorf("video order %s, %s", s.Videos[0].ID, s.Videos[2].ID)
	}
	for _, v := range s.Videos {
		w := want[v.ID].(map[string]any)
		feats := w["features"].([]any)
		for i, x := range feats {
			if float32(x.(float64)) != v.Features[i] {
				t.Errorf("%s features[%d] = %v, want %v", v.ID, i, v.Features[i], x)
			}
		}
		iv := w["intervals"].([]any)
		if float32(iv[1].(float64)) != float32(v.Intervals[0][1]) {
			t.Errorf("%s intervals %v", v.ID, v.Intervals)
		}
	}
	meta := want["metadata"].(map[string]any)
	for k, v := range meta {
		if s.Metadata[k] != v {
			t.Errorf("metadata %q = %q, want %q", k, s.Metadata[k], v)
		}
	}
}

func TestNotACSD(t *testing.T) {
	if _, err := Read("../hdf5/testdata/edge.h5"); err == nil {
		t.Error("an HDF5 file with several top-level links read as a .csd")
	}
	if _, err := Read("testdata/missing.csd"); err == nil {
		t.Error("missing file: no error")
	}
}

func FuzzDecode(f *testing.F) {
	b, err := os.ReadFile("testdata/seq.csd")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		Decode(b)
	})
}
