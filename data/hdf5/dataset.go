package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"math"
)

// Dataset is the content of an HDF5 dataset: numbers (float32 or float64 on
// disk, as float64) or strings.
type Dataset struct {
	Shape   []int
	Values  []float64 // numeric datasets, C order
	Strings []string  // variable-length string datasets
}

// datatype is the part of a Datatype message this reader understands.
type datatype struct {
	float bool // IEEE float, little-endian
	str   bool // variable-length string
	size  int  // element size in bytes
}

type layout struct {
	chunked bool
	addr    uint64 // contiguous data, or chunk B-tree
	size    uint64 // contiguous size
	chunk   []int  // chunk shape (elements)
}

type filter struct {
	id     uint16
	params []uint32
}

// Dataset reads the dataset whose object header is at addr.
func (f *File) Dataset(addr uint64) (*Dataset, error) {
	msgs, err := f.header(addr)
	if err != nil {
		return nil, err
	}
	var (
		shape             []int
		dt                *datatype
		lay               *layout
		fill              []byte
		filters           []filter
		haveSpace, haveDT bool
	)
	for _, m := range msgs {
		switch m.typ {
		case 0x0001:
			if shape, err = dataspace(m.data); err != nil {
				return nil, err
			}
			haveSpace = true
		case 0x0003:
			if dt, err = parseDatatype(m.data); err != nil {
				return nil, err
			}
			haveDT = true
		case 0x0005:
			if fill, err = fillValue(m.data); err != nil {
				return nil, err
			}
		case 0x0008:
			if lay, err = parseLayout(m.data, len(shape)); err != nil {
				return nil, err
			}
		case 0x000B:
			if filters, err = parseFilters(m.data); err != nil {
				return nil, err
			}
		}
	}
	if !haveSpace || !haveDT || lay == nil {
		return nil, errf("object at %d is not a dataset (needs dataspace, datatype and layout messages)", addr)
	}
	n := 1
	for _, d := range shape {
		if d > 0 && n > f.maxDecoded/d {
			return nil, errf("dataset at %d of shape %v is larger than the file could hold", addr, shape)
		}
		n *= d
	}
	total := n * dt.size
	if total > f.maxDecoded {
		return nil, errf("dataset at %d of shape %v is larger than the file could hold", addr, shape)
	}
	raw := make([]byte, total)
	if len(fill) == dt.size && dt.size > 0 {
		for i := 0; i < total; i += dt.size {
			copy(raw[i:], fill)
		}
	} else if len(fill) != 0 {
		return nil, errf("fill value of %d bytes for elements of %d bytes", len(fill), dt.size)
	}
	if lay.chunked {
		if lay.addr != undef {
			if err := f.readChunks(raw, shape, dt.size, lay, filters); err != nil {
				return nil, err
			}
		}
	} else if lay.addr != undef && total > 0 {
		if lay.size < uint64(total) {
			return nil, errf("contiguous dataset at %d stores %d bytes for %d elements of %d bytes", addr, lay.size, n, dt.size)
		}
		b, err := f.slice(lay.addr, uint64(total), "contiguous data")
		if err != nil {
			return nil, err
		}
		copy(raw, b)
	}
	ds := &Dataset{Shape: shape}
	switch {
	case dt.float:
		ds.Values = make([]float64, n)
		for i := range n {
			if dt.size == 4 {
				ds.Values[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
			} else {
				ds.Values[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		}
	case dt.str:
		ds.Strings = make([]string, n)
		for i := range n {
			s, err := f.vlenString(raw[16*i : 16*i+16])
			if err != nil {
				return nil, err
			}
			ds.Strings[i] = s
		}
	}
	return ds, nil
}

func dataspace(b []byte) ([]int, error) {
	if len(b) < 2 {
		return nil, errf("short dataspace message")
	}
	ver, rank := b[0], int(b[1])
	var p int
	switch ver {
	case 1:
		p = 8
	case 2:
		if len(b) < 4 {
			return nil, errf("short dataspace message")
		}
		if b[3] == 2 { // null dataspace
			return []int{0}, nil
		}
		p = 4
	default:
		return nil, errf("dataspace message version %d", ver)
	}
	if len(b) < p+8*rank {
		return nil, errf("dataspace of rank %d in a message of %d bytes", rank, len(b))
	}
	shape := make([]int, rank)
	for i := range shape {
		d := binary.LittleEndian.Uint64(b[p+8*i:])
		if d > math.MaxInt32 {
			return nil, errf("dataspace dimension %d", d)
		}
		shape[i] = int(d)
	}
	return shape, nil
}

func parseDatatype(b []byte) (*datatype, error) {
	if len(b) < 8 {
		return nil, errf("short datatype message")
	}
	class := b[0] & 0x0f
	bits := b[1]
	size := int(binary.LittleEndian.Uint32(b[4:]))
	switch class {
	case 1: // floating point
		if bits&0x01 != 0 || bits&0x40 != 0 {
			return nil, errf("big-endian or VAX floats are not supported")
		}
		if size != 4 && size != 8 {
			return nil, errf("floats of %d bytes are not supported", size)
		}
		return &datatype{float: true, size: size}, nil
	case 9: // variable length
		if bits&0x0f != 1 {
			return nil, errf("variable-length sequences other than strings are not supported")
		}
		return &datatype{str: true, size: 16}, nil
	}
	names := map[byte]string{0: "integer", 2: "time", 3: "fixed-length string", 4: "bitfield", 5: "opaque", 6: "compound", 7: "reference", 8: "enum", 10: "array"}
	name := names[class]
	if name == "" {
		name = "unknown"
	}
	return nil, errf("datatype class %d (%s) is not supported; want little-endian float32/float64 or a variable-length string", class, name)
}

func fillValue(b []byte) ([]byte, error) {
	if len(b) < 1 {
		return nil, errf("short fill value message")
	}
	switch b[0] {
	case 1, 2:
		if len(b) < 4 {
			return nil, errf("short fill value message")
		}
		if b[3] != 1 || len(b) < 8 {
			return nil, nil
		}
		n := int(binary.LittleEndian.Uint32(b[4:]))
		if len(b) < 8+n {
			return nil, errf("fill value of %d bytes in a message of %d", n, len(b))
		}
		return b[8 : 8+n], nil
	case 3:
		if len(b) < 2 || b[1]&0x20 == 0 {
			return nil, nil
		}
		if len(b) < 6 {
			return nil, errf("short fill value message")
		}
		n := int(binary.LittleEndian.Uint32(b[2:]))
		if len(b) < 6+n {
			return nil, errf("fill value of %d bytes in a message of %d", n, len(b))
		}
		return b[6 : 6+n], nil
	}
	return nil, errf("fill value message version %d", b[0])
}

func parseLayout(b []byte, rank int) (*layout, error) {
	if len(b) < 2 {
		return nil, errf("short layout message")
	}
	if b[0] != 3 {
		return nil, errf("data layout message version %d; only version 3 is supported", b[0])
	}
	switch b[1] {
	case 1:
		if len(b) < 18 {
			return nil, errf("short contiguous layout message")
		}
		return &layout{addr: binary.LittleEndian.Uint64(b[2:]), size: binary.LittleEndian.Uint64(b[10:])}, nil
	case 2:
		if len(b) < 11 {
			return nil, errf("short chunked layout message")
		}
		dims := int(b[2])
		if dims != rank+1 || len(b) < 11+4*dims {
			return nil, errf("chunked layout of dimensionality %d for a dataset of rank %d", dims, rank)
		}
		l := &layout{chunked: true, addr: binary.LittleEndian.Uint64(b[3:])}
		for i := range rank {
			c := int(binary.LittleEndian.Uint32(b[11+4*i:]))
			if c <= 0 {
				return nil, errf("chunk dimension %d", c)
			}
			l.chunk = append(l.chunk, c)
		}
		return l, nil
	case 0:
		return nil, errf("compact layout is not supported")
	}
	return nil, errf("layout class %d is not supported", b[1])
}

func parseFilters(b []byte) ([]filter, error) {
	if len(b) < 2 {
		return nil, errf("short filter pipeline message")
	}
	ver, n := b[0], int(b[1])
	p := 2
	if ver == 1 {
		p = 8
	} else if ver != 2 {
		return nil, errf("filter pipeline version %d", ver)
	}
	var fs []filter
	for range n {
		if len(b) < p+4 {
			return nil, errf("short filter description")
		}
		id := binary.LittleEndian.Uint16(b[p:])
		nameLen := 0
		if ver == 1 || id >= 256 {
			if len(b) < p+8 {
				return nil, errf("short filter description")
			}
			nameLen = int(binary.LittleEndian.Uint16(b[p+2:]))
			p += 4
		} else {
			p += 2
		}
		if len(b) < p+4 {
			return nil, errf("short filter description")
		}
		nvals := int(binary.LittleEndian.Uint16(b[p+2:]))
		p += 4 + nameLen
		if ver == 1 && nameLen%8 != 0 {
			return nil, errf("filter name length %d is not padded to 8", nameLen)
		}
		if len(b) < p+4*nvals {
			return nil, errf("short filter client data")
		}
		f := filter{id: id}
		for i := range nvals {
			f.params = append(f.params, binary.LittleEndian.Uint32(b[p+4*i:]))
		}
		p += 4 * nvals
		if ver == 1 && nvals%2 == 1 {
			p += 4
		}
		if id != 1 && id != 2 {
			return nil, errf("filter %d is not supported; only deflate (1) and shuffle (2)", id)
		}
		fs = append(fs, f)
	}
	return fs, nil
}

// readChunks walks a chunk B-tree and copies every chunk into raw.
func (f *File) readChunks(raw []byte, shape []int, elem int, lay *layout, filters []filter) error {
	rank := len(shape)
	chunkBytes := elem
	for _, c := range lay.chunk {
		if c > f.maxDecoded/chunkBytes { // checked before multiplying: no overflow
			return errf("chunk of %v elements is larger than the file could hold", lay.chunk)
		}
		chunkBytes *= c
	}
	// A well-formed index has at most one entry per chunk position.
	maxChunks := 1
	for d := range rank {
		maxChunks *= (shape[d] + lay.chunk[d] - 1) / lay.chunk[d]
	}
	chunks := 0
	keySize := uint64(8 + 8*(rank+1))
	seen := map[uint64]bool{}
	var walk func(node uint64, depth int) error
	walk = func(node uint64, depth int) error {
		if depth > maxDepth || seen[node] {
			return errf("chunk B-tree at %d loops or is deeper than %d", node, maxDepth)
		}
		seen[node] = true
		hdr, err := f.slice(node, 24, "chunk B-tree node")
		if err != nil {
			return err
		}
		if !bytes.Equal(hdr[:4], []byte("TREE")) || hdr[4] != 1 {
			return errf("no chunk B-tree node (TREE, type 1) at %d", node)
		}
		level, used := hdr[5], uint64(binary.LittleEndian.Uint16(hdr[6:]))
		body, err := f.slice(node+24, used*(keySize+8)+keySize, "chunk B-tree entries")
		if err != nil {
			return err
		}
		for i := range used {
			key := body[i*(keySize+8):]
			child := binary.LittleEndian.Uint64(key[keySize:])
			if level > 0 {
				if err := walk(child, depth+1); err != nil {
					return err
				}
				continue
			}
			if chunks++; chunks > maxChunks {
				return errf("chunk index lists more than the %d chunks a dataset of shape %v can have", maxChunks, shape)
			}
			stored := uint64(binary.LittleEndian.Uint32(key))
			mask := binary.LittleEndian.Uint32(key[4:])
			offs := make([]int, rank)
			for d := range rank {
				o := binary.LittleEndian.Uint64(key[8+8*d:])
				if o >= uint64(max(shape[d], 1)) || o%uint64(lay.chunk[d]) != 0 {
					return errf("chunk offset %d on axis %d for dimension %d and chunk %d", o, d, shape[d], lay.chunk[d])
				}
				offs[d] = int(o)
			}
			b, err := f.slice(child, stored, "chunk")
			if err != nil {
				return err
			}
			data, err := unfilter(b, filters, mask, chunkBytes, elem)
			if err != nil {
				return errf("chunk at %d: %v", child, err)
			}
			copyChunk(raw, data, shape, lay.chunk, offs, elem)
		}
		return nil
	}
	return walk(lay.addr, 0)
}

// unfilter undoes the pipeline in reverse order, skipping masked filters,
// and checks the result is exactly want bytes.
func unfilter(b []byte, filters []filter, mask uint32, want, elem int) ([]byte, error) {
	for i := len(filters) - 1; i >= 0; i-- {
		if mask&(1<<uint(i)) != 0 {
			continue
		}
		switch filters[i].id {
		case 1:
			zr, err := zlib.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			out, err := io.ReadAll(io.LimitReader(zr, int64(want)+1))
			if err != nil {
				return nil, err
			}
			b = out
		case 2:
			if len(b)%elem != 0 && len(b) < elem {
				break
			}
			n := len(b) / elem
			out := make([]byte, len(b))
			for j := range n {
				for k := range elem {
					out[j*elem+k] = b[k*n+j]
				}
			}
			copy(out[n*elem:], b[n*elem:])
			b = out
		}
	}
	if len(b) != want {
		return nil, errf("decodes to %d bytes, want %d", len(b), want)
	}
	return b, nil
}

// copyChunk copies the part of a chunk at element offsets offs that lies
// inside the dataset into raw.
func copyChunk(raw, chunk []byte, shape, cshape, offs []int, elem int) {
	rank := len(shape)
	if rank == 0 {
		copy(raw, chunk)
		return
	}
	// Iterate over the chunk's rows (every index but the last axis) that lie
	// inside the dataset; the part of an edge chunk beyond it is padding.
	extent := make([]int, rank)
	for d := range rank {
		extent[d] = min(cshape[d], shape[d]-offs[d])
		if extent[d] <= 0 {
			return
		}
	}
	idx := make([]int, rank)
	last := rank - 1
	rowLen := extent[last]
	for {
		src, dst := 0, 0
		for d := range rank {
			src = src*cshape[d] + idx[d]
			dst = dst*shape[d] + offs[d] + idx[d]
		}
		copy(raw[dst*elem:(dst+rowLen)*elem], chunk[src*elem:(src+rowLen)*elem])
		d := last - 1
		for d >= 0 {
			idx[d]++
			if idx[d] < extent[d] {
				break
			}
			idx[d] = 0
			d--
		}
		if d < 0 {
			return
		}
	}
}

// vlenString resolves a 16-byte variable-length string element through the
// global heap.
func (f *File) vlenString(e []byte) (string, error) {
	n := uint64(binary.LittleEndian.Uint32(e))
	coll := binary.LittleEndian.Uint64(e[4:])
	idx := uint16(binary.LittleEndian.Uint32(e[12:]))
	if coll == 0 || coll == undef {
		return "", nil
	}
	heap, ok := f.gheaps[coll]
	if !ok {
		h, err := f.slice(coll, 16, "global heap")
		if err != nil {
			return "", err
		}
		if !bytes.Equal(h[:4], []byte("GCOL")) {
			return "", errf("no global heap collection (GCOL) at %d", coll)
		}
		size := binary.LittleEndian.Uint64(h[8:])
		if heap, err = f.slice(coll, size, "global heap collection"); err != nil {
			return "", err
		}
		f.gheaps[coll] = heap
	}
	for p := 16; p+16 <= len(heap); {
		oi := binary.LittleEndian.Uint16(heap[p:])
		size := binary.LittleEndian.Uint64(heap[p+8:])
		if oi == 0 {
			break
		}
		if size > uint64(len(heap)-p-16) {
			return "", errf("global heap object %d of %d bytes overruns its collection", oi, size)
		}
		if oi == idx {
			if n > size {
				return "", errf("string of %d bytes in a heap object of %d", n, size)
			}
			return string(heap[p+16 : p+16+int(n)]), nil
		}
		p += 16 + int((size+7)/8*8)
	}
	return "", errf("global heap object %d not found in collection at %d", idx, coll)
}
