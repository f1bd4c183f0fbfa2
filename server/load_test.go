package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modistill/modistill/data"
)

// loadBodies are infer requests of the mixed subsets the load sends.
func loadBodies(t testing.TB, ds *data.Dataset) map[string][]byte {
	bodies := map[string][]byte{}
	for _, use := range []data.Subset{data.All, data.Only(data.Text), data.Subset{true, true, false}, data.Subset{false, true, true}} {
		var inputs []map[string]any
		for _, m := range data.Modalities {
			if use[m] {
				inputs = append(inputs, input(ds, m, 1))
			}
		}
		b, err := json.Marshal(map[string]any{"inputs": inputs})
		if err != nil {
			t.Fatal(err)
		}
		bodies[use.String()] = b
	}
	return bodies
}

// A bounded load of mixed subsets from several goroutines gets no error,
// while malformed, oversized and slow requests beside it are refused with
// their codes.
func TestBoundedLoadWithBadRequestsBeside(t *testing.T) {
	limits := DefaultLimits
	limits.MaxBody, limits.HeaderTimeout = 1<<20, 300*time.Millisecond
	s, ds, _ := fixture(t, limits)
	addr, stop := serveLoopback(t, s)
	url := "http://" + addr + "/v2/models/ours/infer"
	bodies := loadBodies(t, ds)
	var names []string
	for n := range bodies {
		names = append(names, n)
	}
	sort.Strings(names)
	const workers, each = 6, 40
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				body := bodies[names[(w+i)%len(names)]]
				code := 0
				if resp, err := http.Post(url, "application/json", bytes.NewReader(body)); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		}()
	}
	// Beside the load: each bad request and the code it must get.
	bad := []struct {
		body string
		code int
	}{
		{`{"inputs": [{"name": "audio", "shape": [2], "datatype": "FP32", "data": [1]}]}`, 400},
		{`{"inputs": [`, 400},
		{`{"inputs": [{"name": "audio", "shape": [1], "datatype": "FP32", "data": [1e39]}]}`, 400},
		{strings.Repeat("x", 1<<20+1), 413},
	}
	for _, b := range bad {
		resp, err := http.Post(url, "application/json", strings.NewReader(b.body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != b.code {
			t.Errorf("%.40s...: %d, want %d", b.body, resp.StatusCode, b.code)
		}
	}
	var slow []net.Conn
	for range 4 { // slowloris: headers started and never finished
		slow = append(slow, slowClient(t, addr))
	}
	wg.Wait()
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := io.ReadAll(c); err != nil {
			t.Errorf("a slow client was not cut off: %v", err)
		}
		c.Close()
	}
	if codes[200] != workers*each || len(codes) != 1 {
		t.Errorf("under load: %v, want %d answers of 200", codes, workers*each)
	}
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// BenchmarkInfer times infer requests over loopback HTTP from parallel
// clients (GOMAXPROCS goroutines), text only and all modalities, and
// reports the median and 99th-percentile latency.
func BenchmarkInfer(b *testing.B) {
	s, ds, _ := fixture(b, DefaultLimits)
	addr, stop := serveLoopback(b, s)
	defer stop()
	url := "http://" + addr + "/v2/models/ours/infer"
	bodies := loadBodies(b, ds)
	for _, name := range []string{"t", "avt"} {
		b.Run(name, func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			b.RunParallel(func(pb *testing.PB) {
				client := &http.Client{}
				var mine []time.Duration
				for pb.Next() {
					t0 := time.Now()
					resp, err := client.Post(url, "application/json", bytes.NewReader(bodies[name]))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
					mine = append(mine, time.Since(t0))
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			if len(lat) > 0 {
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "req/s")
			}
		})
	}
}
