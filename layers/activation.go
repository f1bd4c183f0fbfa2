package layers

import (
	"sync"

	"github.com/modistill/modistill/tensor"
)

// parallelWork is the work (elements) below which parallelRows runs on one
// goroutine: below it, starting goroutines costs more than it saves.
const parallelWork = 4096

// parallelRows calls f on disjoint row ranges [lo, hi) covering [0, rows),
// on up to tensor.Threads() goroutines when work (elements) is large
// enough.
func parallelRows(rows, work int, f func(lo, hi int)) {
	n := min(tensor.Threads(), rows)
	if work < parallelWork || n < 2 {
		f(0, rows)
		return
	}
	var wg sync.WaitGroup
	for w := range n {
		lo, hi := w*rows/n, (w+1)*rows/n
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}
