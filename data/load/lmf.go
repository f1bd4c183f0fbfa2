package load

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/pickle"
	"github.com/modistill/modistill/tensor"
)

// POMTraits are POM's 16 speaker traits, in LMF's label order.
var POMTraits = []string{"confidence", "passionate", "pleasant", "dominant", "credible", "vivid", "expertise",
	"entertaining", "reserved", "trusting", "relaxed", "outgoing", "thorough", "nervous", "persuasive", "humorous"}

// IEMOCAPEmotions are IEMOCAP's four binary tasks in LMF's iemocap.pkl.
var IEMOCAPEmotions = []string{"happy", "sad", "angry", "neutral"}

// LMF keys of the modalities and labels.
var lmfKeys = [3]string{"covarep", "facet", "glove"}

// LMF reads one of LMF's preprocessed pickles: data[split][key] with keys
// covarep (audio), facet (visual), glove (text) and label; for IEMOCAP one
// more level, data[emotion][split][key], with one-hot labels (N, 2). NaN and
// infinite values become 0, as LMF's loader does, and are counted in
// NonFinite.
//
// The file is read as needed: only the chosen emotion's arrays (for IEMOCAP)
// are read, each straight into its float32 tensor.
func LMF(path string, opt Options) (*data.Dataset, error) {
	f, size, err := openPickle(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	defer f.Close()
	return decodeLMF(f, size, path, opt)
}

// DecodeLMF reads LMF's layout from the bytes of a pickle; path names it in
// errors and gives the dataset its name.
func DecodeLMF(b []byte, path string, opt Options) (*data.Dataset, error) {
	return decodeLMF(bytes.NewReader(b), int64(len(b)), path, opt)
}

func decodeLMF(r io.ReaderAt, size int64, path string, opt Options) (*data.Dataset, error) {
	top, err := decodePickle(r, size)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	root := top
	kind := opt.Kind
	if _, ok := top.Get("train"); !ok { // IEMOCAP: emotions first
		emotions := top.KeyStrings()
		sort.Strings(emotions)
		if opt.Emotion == "" {
			return nil, optionErrorf("load %s: an IEMOCAP file holds one binary task per emotion (%s); choose one with --emotion", path, strings.Join(emotions, ", "))
		}
		if _, ok := top.Get(opt.Emotion); !ok {
			return nil, optionErrorf("load %s: --emotion %q: the file has %s", path, opt.Emotion, strings.Join(emotions, ", "))
		}
		if root, err = dictField(top, path, opt.Emotion); err != nil {
			return nil, fmt.Errorf("load %w", err)
		}
		kind = "iemocap"
		name += "-" + opt.Emotion
	} else if opt.Emotion != "" {
		return nil, optionErrorf("load %s: --emotion %q given, but the file is not IEMOCAP (it has splits at the top)", path, opt.Emotion)
	}
	ds := &data.Dataset{Name: name, Format: string(LMFPickle), NonFinite: map[string]int{}}
	for _, sn := range splitNames {
		where := path + ": split " + sn
		sd, err := dictField(root, path, sn)
		if err != nil {
			return nil, fmt.Errorf("load %w", err)
		}
		s := &data.Split{}
		for m, key := range lmfKeys {
			ranks := []int{2, 3}
			if m == int(data.Text) {
				ranks = []int{3}
			}
			a, err := arrayField(sd, where, key, ranks...)
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
		}
		la, err := arrayField(sd, where, "label", 1, 2)
		if err != nil {
			return nil, fmt.Errorf("load %w", err)
		}
		labels, bad, err := toTensor(la)
		if err != nil {
			return nil, fmt.Errorf("load %s: label: %w", where, err)
		}
		if bad > 0 {
			return nil, fmt.Errorf("load %s: label has %d NaN or infinite values", where, bad)
		}
		if len(labels.Shape) == 1 {
			labels = labels.Reshape(labels.Shape[0], 1)
		}
		if ds.Task.Targets == nil {
			if ds.Task, err = lmfTask(kind, labels.Shape[1], opt.Emotion); err != nil {
				return nil, optionErrorf("load %s: label %s: %w", where, tensor.ShapeString(labels.Shape), err)
			}
		}
		if ds.Task.Kind == data.Classification {
			if labels, err = oneHotToIndex(labels); err != nil {
				return nil, fmt.Errorf("load %s: label: %w", where, err)
			}
		}
		s.Labels = labels
		setSplit(ds, sn, s)
	}
	if err := ds.Validate(); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return ds, nil
}

// lmfTask decides the task from the kind and the label width.
func lmfTask(kind string, width int, emotion string) (data.Task, error) {
	if kind == "" {
		switch width {
		case 1:
			kind = "mosi"
		case 16:
			kind = "pom"
		default:
			return data.Task{}, fmt.Errorf("%d label columns: neither MOSI's 1 nor POM's 16; pass --kind regression to read them as unbounded targets", width)
		}
	}
	switch kind {
	case "mosi":
		if width != 1 {
			return data.Task{}, fmt.Errorf("MOSI has one label column, found %d", width)
		}
		return data.MOSITask(), nil
	case "pom":
		if width != len(POMTraits) {
			return data.Task{}, fmt.Errorf("POM has %d trait columns, found %d", len(POMTraits), width)
		}
		return data.Task{Kind: data.Regression, Targets: POMTraits}, nil
	case "regression":
		t := data.Task{Kind: data.Regression}
		for i := range width {
			t.Targets = append(t.Targets, fmt.Sprintf("target%d", i))
		}
		return t, nil
	case "iemocap":
		if width != 2 {
			return data.Task{}, fmt.Errorf("IEMOCAP labels are one-hot over 2 classes, found %d columns", width)
		}
		return data.Task{Kind: data.Classification, Targets: []string{emotion}, Classes: 2}, nil
	}
	return data.Task{}, fmt.Errorf("unknown kind %q: want mosi, pom, regression or iemocap", kind)
}

// oneHotToIndex turns (N, C) one-hot rows into (N, 1) class indices.
func oneHotToIndex(t *tensor.Tensor) (*tensor.Tensor, error) {
	n, c := t.Shape[0], t.Shape[1]
	out := tensor.New(n, 1)
	for i := range n {
		row := t.Data[i*c : (i+1)*c]
		ones, at := 0, 0
		for j, v := range row {
			switch v {
			case 1:
				ones++
				at = j
			case 0:
			default:
				return nil, fmt.Errorf("row %d is %v, want one-hot (one 1, the rest 0)", i, row)
			}
		}
		if ones != 1 {
			return nil, fmt.Errorf("row %d is %v, want one-hot (one 1, the rest 0)", i, row)
		}
		out.Data[i] = float32(at)
	}
	return out, nil
}

// lmfSplitDict builds one split's dict as LMF's pickles hold it.
func lmfSplitDict(s *data.Split, task data.Task) *pickle.Dict {
	d := &pickle.Dict{}
	for m, key := range lmfKeys {
		x := s.Inputs[m]
		d.Keys = append(d.Keys, []byte(key))
		d.Values = append(d.Values, &pickle.Float32Array{Shape: x.Shape, Data: x.Data})
	}
	labels := s.Labels
	if task.Kind == data.Classification { // back to one-hot
		oh := tensor.New(labels.Shape[0], task.Classes)
		for i, v := range labels.Data {
			oh.Data[i*task.Classes+int(v)] = 1
		}
		labels = oh
	}
	d.Keys = append(d.Keys, []byte("label"))
	d.Values = append(d.Values, &pickle.Float32Array{Shape: labels.Shape, Data: labels.Data})
	return d
}

// EncodeLMF writes datasets in LMF's pickle layout (protocol 2, as Python 2
// wrote mosi.pkl and pom.pkl). Several datasets sharing one input set are
// written as IEMOCAP's file, one entry per emotion; each must then be a
// single binary classification task named for its emotion.
func EncodeLMF(dss ...*data.Dataset) ([]byte, error) {
	if len(dss) == 0 {
		return nil, fmt.Errorf("EncodeLMF: no dataset")
	}
	splits := func(ds *data.Dataset) (*pickle.Dict, error) {
		for m := range lmfKeys {
			if ds.Train.Inputs[m] == nil {
				return nil, fmt.Errorf("EncodeLMF: %s has no %s input; LMF's layout needs all three", ds.Name, data.Modality(m))
			}
		}
		d := &pickle.Dict{}
		for _, s := range ds.Splits() {
			d.Keys = append(d.Keys, []byte(s.Name))
			d.Values = append(d.Values, lmfSplitDict(s.Split, ds.Task))
		}
		return d, nil
	}
	var top *pickle.Dict
	if len(dss) == 1 && dss[0].Task.Kind == data.Regression {
		d, err := splits(dss[0])
		if err != nil {
			return nil, err
		}
		top = d
	} else {
		top = &pickle.Dict{}
		for _, ds := range dss {
			if ds.Task.Kind != data.Classification || len(ds.Task.Targets) != 1 {
				return nil, fmt.Errorf("EncodeLMF: %s: IEMOCAP's layout needs one binary task per dataset", ds.Name)
			}
			d, err := splits(ds)
			if err != nil {
				return nil, err
			}
			top.Keys = append(top.Keys, []byte(ds.Task.Targets[0]))
			top.Values = append(top.Values, d)
		}
	}
	return pickle.Dump(top)
}
