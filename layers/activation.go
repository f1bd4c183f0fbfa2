package layers

import (
	"sync"
	"sync/atomic"

	"github.com/modistill/modistill/tensor"
)

// parallelWork is the work (elements) below which parallelRows runs on one
// goroutine: below it, starting goroutines costs more than it saves.
const parallelWork = 4096

// rowChunk is the most rows parallelRows hands a goroutine at once when a
// batch has more than enough for all of them: a multiple of the matrix
// kernel's six-row tile, and a block of gates (72 x 4H) that stays in the
// L2 cache.
const rowChunk = 72

// parallelRows calls f on disjoint row ranges [lo, hi) covering [0, rows),
// on up to tensor.Threads() goroutines when work (elements) is large
// enough. A batch of more than two chunks (rowChunk) per goroutine is
// dealt out a chunk at a time, each goroutine taking the next as it
// finishes one, so that one slowed down by the machine takes fewer, and
// the last ones in smaller pieces; a smaller batch is split into equal
// shares.
func parallelRows(rows, work int, f func(lo, hi int)) {
	n := min(tensor.Threads(), rows)
	if work < parallelWork || n < 2 {
		f(0, rows)
		return
	}
	var wg sync.WaitGroup
	if rows <= 2*n*rowChunk {
		for w := range n {
			lo, hi := w*rows/n, (w+1)*rows/n
			wg.Go(func() { f(lo, hi) })
		}
		wg.Wait()
		return
	}
	var next atomic.Int64
	for range n {
		wg.Go(func() {
			for {
				lo := next.Load()
				if lo >= int64(rows) {
					return
				}
				// Whole chunks while plenty remain, then shares of what
				// remains (a multiple of six rows, at least twelve), so
				// that the goroutines finish close together.
				size := int64(rowChunk)
				if rest := int64(rows) - lo; rest < int64(2*n*rowChunk) {
					size = max(12, (rest/int64(2*n)+5)/6*6)
				}
				if next.CompareAndSwap(lo, lo+size) {
					f(int(lo), int(min(lo+size, int64(rows))))
				}
			}
		})
	}
	wg.Wait()
}
