// Package hdf5 reads the subset of HDF5 that h5py writes with default
// settings, which is what CMU-MultimodalSDK's computational sequences (.csd)
// use: a version 0 or 1 superblock, version 1 object headers, old-style
// groups (symbol table, v1 B-tree, SNOD nodes, local heap), datasets that are
// contiguous or chunked under a v1 B-tree, with the deflate and shuffle
// filters, of little-endian float32/float64 or variable-length strings in the
// global heap. Everything else is rejected with an error that says what was
// found. The layout is described byte by byte in shared/data/HDF5-NOTES.md.
//
// The whole file is held in memory; every address and length is checked
// against it before use, B-tree walks are bounded, and decompression stops
// at the size a chunk must have, so a corrupt file yields an error.
package hdf5

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// ErrFormat is wrapped by every error about a malformed or unsupported file.
var ErrFormat = errors.New("hdf5")

const undef = ^uint64(0)

// maxDepth bounds B-tree recursion (corrupt files can have cycles).
const maxDepth = 64

var signature = []byte("\x89HDF\r\n\x1a\n")

// File is an HDF5 file held in memory.
type File struct {
	b          []byte
	root       uint64 // object header address of the root group
	chunkK     int    // indexed storage internal node K
	gheaps     map[uint64][]byte
	maxDecoded int // bound on the bytes a dataset may decode to
}

func errf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Parse checks the superblock of an in-memory HDF5 file.
func Parse(b []byte) (*File, error) {
	if len(b) < 8 || !bytes.Equal(b[:8], signature) {
		return nil, errf("no HDF5 signature at offset 0 (a user block, or not HDF5)")
	}
	if len(b) < 96 {
		return nil, errf("file of %d bytes is shorter than a superblock", len(b))
	}
	ver := b[8]
	if ver > 1 {
		return nil, errf("superblock version %d (h5py libver='latest'); only versions 0 and 1 are supported", ver)
	}
	if b[13] != 8 || b[14] != 8 {
		return nil, errf("offsets of %d bytes and lengths of %d bytes; only 8 and 8 are supported", b[13], b[14])
	}
	f := &File{b: b, chunkK: 32, gheaps: map[uint64][]byte{}}
	f.maxDecoded = min(len(b)*1100+1<<20, 1<<32)
	p := 24
	if ver == 1 {
		f.chunkK = int(binary.LittleEndian.Uint16(b[24:]))
		p = 28
	}
	base := binary.LittleEndian.Uint64(b[p:])
	if base != 0 {
		return nil, errf("base address %d; only 0 is supported", base)
	}
	if len(b) < p+32+40 {
		return nil, errf("truncated superblock")
	}
	f.root = binary.LittleEndian.Uint64(b[p+32+8:]) // root symbol table entry: object header address
	return f, nil
}

// slice returns n bytes at addr, checking bounds.
func (f *File) slice(addr, n uint64, what string) ([]byte, error) {
	if addr == undef || addr > uint64(len(f.b)) || n > uint64(len(f.b))-addr {
		return nil, errf("%s at %d (+%d bytes) lies outside the file of %d bytes", what, addr, n, len(f.b))
	}
	return f.b[addr : addr+n], nil
}

// message is one object-header message.
type message struct {
	typ   uint16
	flags byte
	data  []byte
}

// header reads the messages of a version-1 object header, following
// continuation blocks.
func (f *File) header(addr uint64) ([]message, error) {
	pre, err := f.slice(addr, 16, "object header")
	if err != nil {
		return nil, err
	}
	if bytes.Equal(pre[:4], []byte("OHDR")) {
		return nil, errf("object header at %d is version 2 (h5py track_order=True or libver='latest'); only version 1 is supported", addr)
	}
	if pre[0] != 1 {
		return nil, errf("object header at %d has version %d, want 1", addr, pre[0])
	}
	nmsgs := int(binary.LittleEndian.Uint16(pre[2:]))
	size := uint64(binary.LittleEndian.Uint32(pre[8:]))
	var msgs []message
	blocks := [][2]uint64{{addr + 16, size}}
	for bi := 0; bi < len(blocks); bi++ {
		if bi > 1024 {
			return nil, errf("object header at %d has too many continuation blocks", addr)
		}
		blk, err := f.slice(blocks[bi][0], blocks[bi][1], "object header block")
		if err != nil {
			return nil, err
		}
		for p := 0; p+8 <= len(blk); {
			typ := binary.LittleEndian.Uint16(blk[p:])
			n := int(binary.LittleEndian.Uint16(blk[p+2:]))
			flags := blk[p+4]
			if p+8+n > len(blk) {
				return nil, errf("message of type 0x%04x at %d overruns its header block", typ, blocks[bi][0]+uint64(p))
			}
			data := blk[p+8 : p+8+n]
			p += 8 + n
			if typ == 0x0010 { // continuation
				if len(data) < 16 {
					return nil, errf("short continuation message in header at %d", addr)
				}
				blocks = append(blocks, [2]uint64{binary.LittleEndian.Uint64(data), binary.LittleEndian.Uint64(data[8:])})
				continue
			}
			if typ != 0 {
				msgs = append(msgs, message{typ, flags, data})
			}
			if len(msgs) > nmsgs+len(blocks) && len(msgs) > 1<<16 {
				return nil, errf("object header at %d has more messages than it declares", addr)
			}
		}
	}
	for _, m := range msgs {
		if m.flags&0x02 != 0 {
			return nil, errf("shared message of type 0x%04x in header at %d is not supported", m.typ, addr)
		}
		switch m.typ {
		case 0x0002, 0x0006, 0x000A:
			return nil, errf("new-style group (link messages) in header at %d is not supported", addr)
		case 0x0007:
			return nil, errf("external data files in header at %d are not supported", addr)
		case 0x0001, 0x0003, 0x0005, 0x0008, 0x000B, 0x0011, 0x0012, 0x000C, 0x0004:
		default:
			if m.flags&0x80 != 0 {
				return nil, errf("unknown message type 0x%04x marked fail-if-unknown in header at %d", m.typ, addr)
			}
		}
	}
	return msgs, nil
}

// Link is a named child of a group.
type Link struct {
	Name string
	Addr uint64 // object header address
}

// Root returns the links of the root group.
func (f *File) Root() ([]Link, error) { return f.Group(f.root) }

// IsGroup reports whether the object at addr is a group.
func (f *File) IsGroup(addr uint64) bool {
	msgs, err := f.header(addr)
	if err != nil {
		return false
	}
	for _, m := range msgs {
		if m.typ == 0x0011 {
			return true
		}
	}
	return false
}

// Group returns the links of the group whose object header is at addr, in
// byte-wise name order.
func (f *File) Group(addr uint64) ([]Link, error) {
	msgs, err := f.header(addr)
	if err != nil {
		return nil, err
	}
	var st []byte
	for _, m := range msgs {
		if m.typ == 0x0011 {
			st = m.data
		}
	}
	if len(st) < 16 {
		return nil, errf("object at %d is not a group (no symbol table message)", addr)
	}
	btree, heapAddr := binary.LittleEndian.Uint64(st), binary.LittleEndian.Uint64(st[8:])
	heap, err := f.localHeap(heapAddr)
	if err != nil {
		return nil, err
	}
	var links []Link
	seen := map[uint64]bool{}
	var walk func(node uint64, depth int) error
	walk = func(node uint64, depth int) error {
		if depth > maxDepth || seen[node] {
			return errf("group B-tree at %d loops or is deeper than %d", node, maxDepth)
		}
		seen[node] = true
		hdr, err := f.slice(node, 24, "group B-tree node")
		if err != nil {
			return err
		}
		if !bytes.Equal(hdr[:4], []byte("TREE")) || hdr[4] != 0 {
			return errf("no group B-tree node (TREE, type 0) at %d", node)
		}
		level, used := hdr[5], int(binary.LittleEndian.Uint16(hdr[6:]))
		body, err := f.slice(node+24, uint64(used)*16+8, "group B-tree entries")
		if err != nil {
			return err
		}
		for i := range used {
			child := binary.LittleEndian.Uint64(body[8+16*i:])
			if level > 0 {
				if err := walk(child, depth+1); err != nil {
					return err
				}
				continue
			}
			if err := f.symbolNode(child, heap, &links); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(btree, 0); err != nil {
		return nil, err
	}
	sort.Slice(links, func(i, j int) bool { return links[i].Name < links[j].Name })
	return links, nil
}

// localHeap returns the data segment of the local heap at addr.
func (f *File) localHeap(addr uint64) ([]byte, error) {
	h, err := f.slice(addr, 32, "local heap")
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(h[:4], []byte("HEAP")) {
		return nil, errf("no local heap (HEAP) at %d", addr)
	}
	size, dataAddr := binary.LittleEndian.Uint64(h[8:]), binary.LittleEndian.Uint64(h[24:])
	return f.slice(dataAddr, size, "local heap data")
}

// symbolNode appends the entries of the SNOD at addr.
func (f *File) symbolNode(addr uint64, heap []byte, links *[]Link) error {
	h, err := f.slice(addr, 8, "symbol table node")
	if err != nil {
		return err
	}
	if !bytes.Equal(h[:4], []byte("SNOD")) {
		return errf("no symbol table node (SNOD) at %d", addr)
	}
	n := uint64(binary.LittleEndian.Uint16(h[6:]))
	entries, err := f.slice(addr+8, n*40, "symbol table entries")
	if err != nil {
		return err
	}
	for i := range int(n) {
		e := entries[40*i:]
		nameOff := binary.LittleEndian.Uint64(e)
		obj := binary.LittleEndian.Uint64(e[8:])
		if cache := binary.LittleEndian.Uint32(e[16:]); cache == 2 {
			return errf("soft link in symbol table node at %d is not supported", addr)
		}
		if nameOff >= uint64(len(heap)) {
			return errf("link name offset %d outside a local heap of %d bytes", nameOff, len(heap))
		}
		end := bytes.IndexByte(heap[nameOff:], 0)
		if end < 0 {
			return errf("unterminated link name at heap offset %d", nameOff)
		}
		*links = append(*links, Link{Name: string(heap[nameOff : nameOff+uint64(end)]), Addr: obj})
	}
	return nil
}
