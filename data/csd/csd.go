// Package csd reads CMU-MultimodalSDK computational sequences (.csd files):
// HDF5 files holding one top-level group, named by the sequence, with
// data/<video>/features (n, d) and data/<video>/intervals (n, 2, start and
// end seconds) per video, and metadata/<key> JSON strings.
package csd

import (
	"fmt"
	"os"

	"github.com/modistill/modistill/data/hdf5"
)

// Video is one video's rows.
type Video struct {
	ID        string
	Features  []float32    // n x Dim, row-major
	Intervals [][2]float64 // start and end seconds, as stored (float32 or float64)
}

// Sequence is a computational sequence.
type Sequence struct {
	Name     string            // the top-level group ("Opinion Segment Labels")
	Dim      int               // feature size d
	Videos   []Video           // in byte-wise id order
	Metadata map[string]string // raw JSON strings as the SDK stores them
}

// Rows is the total number of feature rows (segments for a labels file).
func (s *Sequence) Rows() int {
	n := 0
	for _, v := range s.Videos {
		n += len(v.Intervals)
	}
	return n
}

// Read reads the .csd file at path.
func Read(path string) (*Sequence, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return s, nil
}

// Decode reads a computational sequence from the bytes of a .csd file.
func Decode(b []byte) (*Sequence, error) {
	f, err := hdf5.Parse(b)
	if err != nil {
		return nil, err
	}
	root, err := f.Root()
	if err != nil {
		return nil, err
	}
	if len(root) != 1 {
		names := make([]string, len(root))
		for i, l := range root {
			names[i] = l.Name
		}
		return nil, fmt.Errorf("want exactly one top-level group (the sequence), found %d: %q", len(root), names)
	}
	s := &Sequence{Name: root[0].Name, Dim: -1, Metadata: map[string]string{}}
	top, err := f.Group(root[0].Addr)
	if err != nil {
		return nil, fmt.Errorf("group %q: %w", s.Name, err)
	}
	var dataAddr, metaAddr uint64
	var haveData, haveMeta bool
	for _, l := range top {
		switch l.Name {
		case "data":
			dataAddr, haveData = l.Addr, true
		case "metadata":
			metaAddr, haveMeta = l.Addr, true
		}
	}
	if !haveData || !haveMeta {
		return nil, fmt.Errorf("group %q needs data and metadata (has data: %v, metadata: %v)", s.Name, haveData, haveMeta)
	}
	videos, err := f.Group(dataAddr)
	if err != nil {
		return nil, fmt.Errorf("%s/data: %w", s.Name, err)
	}
	for _, v := range videos {
		where := s.Name + "/data/" + v.Name
		links, err := f.Group(v.Addr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		var feat, iv *hdf5.Dataset
		for _, l := range links {
			switch l.Name {
			case "features":
				if feat, err = f.Dataset(l.Addr); err != nil {
					return nil, fmt.Errorf("%s/features: %w", where, err)
				}
			case "intervals":
				if iv, err = f.Dataset(l.Addr); err != nil {
					return nil, fmt.Errorf("%s/intervals: %w", where, err)
				}
			}
		}
		if feat == nil || iv == nil {
			return nil, fmt.Errorf("%s: needs features and intervals", where)
		}
		if len(feat.Shape) != 2 || feat.Values == nil {
			return nil, fmt.Errorf("%s/features: shape %v, want a 2-d float array", where, feat.Shape)
		}
		if len(iv.Shape) != 2 || iv.Shape[1] != 2 || iv.Values == nil {
			return nil, fmt.Errorf("%s/intervals: shape %v, want (n, 2) floats", where, iv.Shape)
		}
		if feat.Shape[0] != iv.Shape[0] {
			return nil, fmt.Errorf("%s: %d feature rows but %d intervals", where, feat.Shape[0], iv.Shape[0])
		}
		if s.Dim < 0 {
			s.Dim = feat.Shape[1]
		} else if feat.Shape[1] != s.Dim {
			return nil, fmt.Errorf("%s/features: %d columns, earlier videos have %d", where, feat.Shape[1], s.Dim)
		}
		vid := Video{ID: v.Name, Features: make([]float32, len(feat.Values)), Intervals: make([][2]float64, iv.Shape[0])}
		for i, x := range feat.Values {
			vid.Features[i] = float32(x)
		}
		for i := range vid.Intervals {
			vid.Intervals[i] = [2]float64{iv.Values[2*i], iv.Values[2*i+1]}
		}
		s.Videos = append(s.Videos, vid)
	}
	if s.Dim < 0 {
		s.Dim = 0
	}
	meta, err := f.Group(metaAddr)
	if err != nil {
		return nil, fmt.Errorf("%s/metadata: %w", s.Name, err)
	}
	for _, l := range meta {
		d, err := f.Dataset(l.Addr)
		if err != nil {
			return nil, fmt.Errorf("%s/metadata/%s: %w", s.Name, l.Name, err)
		}
		if len(d.Strings) != 1 {
			return nil, fmt.Errorf("%s/metadata/%s: want one string, found shape %v", s.Name, l.Name, d.Shape)
		}
		s.Metadata[l.Name] = d.Strings[0]
	}
	return s, nil
}
