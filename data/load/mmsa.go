package load

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/pickle"
)

// MMSA keys of the modalities.
var mmsaKeys = [3]string{"audio", "vision", "text"}

// MMSA reads MMSA's aligned_50.pkl or unaligned_50.pkl: data[split] with
// text (N, L, d), audio (N, L, d), vision (N, L, d), regression_labels (N),
// and in the unaligned files audio_lengths and vision_lengths, which are
// honoured as sequence lengths. Sample ids come from id when present.
//
// The file is read as needed, each array straight into its float32 tensor.
func MMSA(path string) (*data.Dataset, error) {
	f, size, err := openPickle(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	return decodeMMSA(f, size, path)
}

// DecodeMMSA reads MMSA's layout from the bytes of a pickle; path names it
// in errors.
func DecodeMMSA(b []byte, path string) (*data.Dataset, error) {
	return decodeMMSA(bytes.NewReader(b), int64(len(b)), path)
}

func decodeMMSA(r io.ReaderAt, size int64, path string) (*data.Dataset, error) {
	top, err := decodePickle(r, size)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	ds := &data.Dataset{Name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), Format: string(MMSAPickle),
		Task:      data.MOSITask(),
		NonFinite: map[string]int{}}
	for _, sn := range splitNames {
		where := path + ": split " + sn
		sd, err := dictField(top, path, sn)
		if err != nil {
			return nil, fmt.Errorf("load %w", err)
		}
		s := &data.Split{}
		for m, key := range mmsaKeys {
			a, err := arrayField(sd, where, key, 3)
			if err != nil {
				return nil, fmt.Errorf("load %w", err)
			}
			t, bad, err := toTensor(a)
			if err != nil {
				return nil, fmt.Errorf("load %s: %s: %w", where, key, err)
			}
			s.Inputs[m] = t
			if bad > 0 {
				ds.NonFinite[sn+"/"+data.Modality(m).String()] = bad
			}
			if m == int(data.Text) {
				continue
			}
			lkey := key + "_lengths"
			if _, ok := sd.Get(lkey); ok {
				l, err := intsField(sd, where, lkey)
				if err != nil {
					return nil, fmt.Errorf("load %w", err)
				}
				s.Lengths[m] = l
			}
		}
		la, err := arrayField(sd, where, "regression_labels", 1, 2)
		if err != nil {
			return nil, fmt.Errorf("load %w", err)
		}
		labels, bad, err := toTensor(la)
		if err != nil {
			return nil, fmt.Errorf("load %s: regression_labels: %w", where, err)
		}
		if bad > 0 {
			return nil, fmt.Errorf("load %s: regression_labels has %d NaN or infinite values", where, bad)
		}
		s.Labels = labels.Reshape(labels.Len(), 1)
		if v, ok := sd.Get("id"); ok {
			var objs []any
			switch v := v.(type) {
			case *pickle.Array:
				objs = v.Objects
			case *pickle.List: // as EncodeMMSA writes them
				objs = *v
			}
			for _, o := range objs {
				switch o := o.(type) {
				case string:
					s.IDs = append(s.IDs, o)
				case []byte:
					s.IDs = append(s.IDs, string(o))
				}
			}
			if len(s.IDs) != s.Labels.Shape[0] {
				s.IDs = nil // ids that do not name every sample are no ids
			}
		}
		setSplit(ds, sn, s)
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return ds, nil
}

// intsField reads a list or numeric array of non-negative integers.
func intsField(d *pickle.Dict, where, key string) ([]int, error) {
	v, err := field(d, where, key)
	if err != nil {
		return nil, err
	}
	var out []int
	add := func(f float64) error {
		if f != float64(int(f)) || f < 0 {
			return fmt.Errorf("%s: %s holds %v, want non-negative integers", where, key, f)
		}
		out = append(out, int(f))
		return nil
	}
	switch v := v.(type) {
	case *pickle.Array:
		if !v.Numeric() {
			if v.Size() > 0 {
				return nil, fmt.Errorf("%s: %s is a %s, want integers", where, key, pickle.TypeName(v))
			}
			break
		}
		vals, err := v.Float64s()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", where, key, err)
		}
		for _, f := range vals {
			if err := add(f); err != nil {
				return nil, err
			}
		}
	case *pickle.List:
		for _, x := range *v {
			n, ok := x.(int64)
			if !ok {
				return nil, fmt.Errorf("%s: %s holds a %s, want integers", where, key, pickle.TypeName(x))
			}
			if err := add(float64(n)); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("%s: %s is a %s, want a list or array of integers", where, key, pickle.TypeName(v))
	}
	return out, nil
}

// EncodeMMSA writes ds in MMSA's pickle layout: data[split] with text,
// audio and vision (N, L, d), regression_labels (N,) and id (a list of
// "video$_$clip" strings when ds has ids). Every modality must be a
// sequence; lengths are not written (the SDK's get_tensors pads instead).
func EncodeMMSA(ds *data.Dataset) ([]byte, error) {
	top := &pickle.Dict{}
	for _, s := range ds.Splits() {
		d := &pickle.Dict{}
		for m, key := range mmsaKeys {
			x := s.Inputs[m]
			if x == nil || len(x.Shape) != 3 {
				return nil, fmt.Errorf("EncodeMMSA: %s's %s is not a sequence (N, L, d)", s.Name, data.Modality(m))
			}
			d.Keys = append(d.Keys, []byte(key))
			d.Values = append(d.Values, &pickle.Float32Array{Shape: x.Shape, Data: x.Data})
		}
		d.Keys = append(d.Keys, []byte("regression_labels"))
		d.Values = append(d.Values, &pickle.Float32Array{Shape: []int{s.N()}, Data: s.Labels.Data})
		if s.IDs != nil {
			ids := make(pickle.List, len(s.IDs))
			for i, id := range s.IDs {
				ids[i] = []byte(id)
			}
			d.Keys = append(d.Keys, []byte("id"))
			d.Values = append(d.Values, &ids)
		}
		top.Keys = append(top.Keys, []byte(s.Name))
		top.Values = append(top.Values, d)
	}
	return pickle.Dump(top)
}
