package layers

import (
	"runtime"
	"sync"
)

// parallelWork is the number of elements per step below which the LSTM cell
// runs on one goroutine: below it, starting goroutines costs more than it
// saves.
const parallelWork = 4096

// parallelRows calls f on disjoint row ranges [lo, hi) covering [0, rows),
// on up to GOMAXPROCS goroutines when work (elements) is large enough.
func parallelRows(rows, work int, f func(lo, hi int)) {
	n := min(runtime.GOMAXPROCS(0), rows)
	if work < parallelWork || n < 2 {
		f(0, rows)
		return
	}
	var wg sync.WaitGroup
	for w := range n {
		lo, hi := w*rows/n, (w+1)*rows/n
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}
