package load

import (
	"bytes"
	"io"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// dataBytes is what a dataset's inputs and (one-hot or not) labels take as
// float32 in an LMF pickle.
func dataBytes(ds *data.Dataset) int64 {
	var n int64
	for _, s := range ds.Splits() {
		for _, x := range s.Inputs {
			n += 4 * int64(x.Len())
		}
		w := s.Labels.Len()
		if ds.Task.Kind == data.Classification {
			w *= ds.Task.Classes
		}
		n += 4 * int64(w)
	}
	return n
}

// Reading one emotion of an IEMOCAP file reads that emotion's arrays and
// never the others'.
func TestIEMOCAPReadsOnlyTheChosenEmotion(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.IEMOCAP, Seed: 2, Sizes: synth.Sizes{Train: 40, Valid: 10, Test: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ds := range dss { // arrays of their own, as LMF's iemocap.pkl has
		for _, s := range ds.Splits() {
			for m, x := range s.Inputs {
				s.Inputs[m] = x.Clone()
			}
		}
	}
	b, err := EncodeLMF(dss...)
	if err != nil {
		t.Fatal(err)
	}
	r := &countingReader{r: bytes.NewReader(b)}
	ds, err := decodeLMF(r, int64(len(b)), "iemocap.pkl", Options{Emotion: "sad"})
	if err != nil {
		t.Fatal(err)
	}
	want := dataBytes(ds)
	// The structure is read in windows of 16 KB, each start of one may
	// overlap an array it then skips.
	limit := want + 16*(16<<10)
	t.Logf("file %d bytes, sad's arrays %d, read %d", len(b), want, r.n.Load())
	if got := r.n.Load(); got > limit {
		t.Errorf("reading sad from a %d-byte file read %d bytes; its arrays are %d (limit %d)", len(b), got, want, limit)
	}
	if int64(len(b)) < 3*limit {
		t.Fatalf("the file (%d bytes) is too small for the test to tell", len(b))
	}
	if !equal(ds.Train.Inputs[data.Text].Data, dss[1].Train.Inputs[data.Text].Data) {
		t.Error("sad's text differs")
	}
}

// Opening an LMF file allocates its tensors and little more: not the file's
// bytes, not a copy of each array's raw data, not float64 values.
func TestOpenAllocatesAboutTheFile(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 3, Sizes: synth.Sizes{Train: 100, Valid: 20, Test: 20}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeLMF(dss[0])
	if err != nil {
		t.Fatal(err)
	}
	p := write(t, "mosi.pkl", b)
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	ds, err := Open(p, Options{})
	runtime.ReadMemStats(&m)
	got := m.TotalAlloc - before
	if err != nil {
		t.Fatal(err)
	}
	// Each array is read through a buffer of up to 256 KB; the old reader
	// allocated 6 to 8 times the file.
	if limit := uint64(dataBytes(ds))*5/4 + 1<<20; got > limit {
		t.Errorf("opening a %d-byte file allocated %d bytes; its tensors are %d (limit %d)", len(b), got, dataBytes(ds), limit)
	}
	t.Logf("file %d bytes, tensors %d, allocated %d", len(b), dataBytes(ds), got)
}
