package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/infer"
	"github.com/modistill/modistill/infer/infertest"
	"github.com/modistill/modistill/systems"
)

// fixture trains ours and lmf for one step on a small synthetic MOSI and
// serves them.
func fixture(t testing.TB, limits Limits) (*Server, *data.Dataset, map[string]systems.Model) {
	t.Helper()
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 1, Sizes: synth.Sizes{Train: 16, Valid: 4, Test: 4}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	loaded, built := map[string]*infer.Model{}, map[string]systems.Model{}
	for _, name := range []string{"ours", "lmf"} {
		dir := filepath.Join(t.TempDir(), name)
		if built[name], err = infertest.Bundle(dir, name, ds, 1); err != nil {
			t.Fatal(err)
		}
		if loaded[name], err = infer.Load(dir); err != nil {
			t.Fatal(err)
		}
	}
	return New(loaded, limits, slog.New(slog.NewTextHandler(io.Discard, nil))), ds, built
}

// input is row i of modality m of the test split as an infer input.
func input(ds *data.Dataset, m data.Modality, rows ...int) map[string]any {
	x := ds.Test.Inputs[m]
	per := x.Len() / x.Shape[0]
	var values []float32
	for _, i := range rows {
		values = append(values, x.Data[i*per:(i+1)*per]...)
	}
	shape := append([]int{}, x.Shape[1:]...)
	if len(rows) > 1 {
		shape = append([]int{len(rows)}, shape...)
	}
	return map[string]any{"name": m.String(), "shape": shape, "datatype": "FP32", "data": values}
}

func post(t *testing.T, url string, body any) (int, map[string]any) {
	t.Helper()
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	default:
		b, _ = json.Marshal(v)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestInferAnswersAsEval(t *testing.T) {
	s, ds, built := fixture(t, DefaultLimits)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, tt := range []struct {
		model string
		use   data.Subset
		path  string
	}{{"ours", data.All, "teacher"}, {"ours", data.Only(data.Text), "students"}, {"ours", data.Subset{true, true, false}, "students"}, {"lmf", data.All, "model"}} {
		whole := built[tt.model].Predict(autodiff.NewTape(), ds.Test.All(), tt.use)
		var inputs []map[string]any
		for _, m := range data.Modalities {
			if tt.use[m] {
				inputs = append(inputs, input(ds, m, 0, 1, 2))
			}
		}
		code, out := post(t, ts.URL+"/v2/models/"+tt.model+"/infer", map[string]any{"id": "q", "inputs": inputs})
		if code != 200 {
			t.Fatalf("%s %s: %d %v", tt.model, tt.use, code, out)
		}
		score := out["outputs"].([]any)[0].(map[string]any)
		data := score["data"].([]any)
		for i := range 3 {
			if math.Abs(data[i].(float64)-float64(whole.Data[i])) > 1e-6 {
				t.Errorf("%s %s row %d: %v, eval's %v", tt.model, tt.use, i, data[i], whole.Data[i])
			}
		}
		params := out["parameters"].(map[string]any)
		if params["path"] != tt.path || out["id"] != "q" || fmt.Sprint(score["shape"]) != "[3]" {
			t.Errorf("%s %s: %v", tt.model, tt.use, out)
		}
	}
	// One sample without a batch dimension.
	code, out := post(t, ts.URL+"/v2/models/ours/infer", map[string]any{"inputs": []any{input(ds, data.Text, 1)}})
	if code != 200 || fmt.Sprint(out["outputs"].([]any)[0].(map[string]any)["shape"]) != "[1]" {
		t.Errorf("one sample: %d %v", code, out)
	}
}

func TestClientMistakesAre4xx(t *testing.T) {
	limits := DefaultLimits
	limits.MaxBody = 1 << 20
	s, ds, _ := fixture(t, limits)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	text := input(ds, data.Text, 0)
	for _, tt := range []struct {
		path string
		body any
		code int
		want string
	}{
		{"/v2/models/nope/infer", map[string]any{"inputs": []any{text}}, 404, `no model "nope"`},
		{"/v2/models/ours/infer", `{"inputs": [`, 400, "not an infer request"},
		{"/v2/models/ours/infer", map[string]any{"inputs": []any{}}, 400, "no inputs"},
		{"/v2/models/ours/infer", map[string]any{"inputs": []any{map[string]any{"name": "video", "shape": []int{1}, "datatype": "FP32", "data": []float64{1}}}}, 400, `unknown input "video"`},
		{"/v2/models/ours/infer", map[string]any{"inputs": []any{map[string]any{"name": "audio", "shape": []int{3}, "datatype": "FP32", "data": []float64{1, 2, 3}}}}, 400, "audio: shape [3]: want [74]"},
		{"/v2/models/ours/infer", map[string]any{"inputs": []any{map[string]any{"name": "audio", "shape": []int{2}, "datatype": "FP32", "data": []float64{1, 2, 3}}}}, 400, "holds 2 values, data has 3"},
		{"/v2/models/ours/infer", `{"inputs": [{"name": "audio", "shape": [1], "datatype": "FP32", "data": [1e39]}]}`, 400, "not a finite float32"},
		{"/v2/models/ours/infer", map[string]any{"inputs": []any{map[string]any{"name": "text_raw", "shape": []int{1}, "datatype": "BYTES", "data": []string{"good"}}}}, 400, "not words"},
		{"/v2/models/lmf/infer", map[string]any{"inputs": []any{text}}, 400, "lmf answers from avt"},
		{"/v2/models/ours/infer", strings.Repeat(" ", 1<<20+1), 413, "over 1048576 bytes"},
	} {
		code, out := post(t, ts.URL+tt.path, tt.body)
		if code != tt.code || !strings.Contains(fmt.Sprint(out["error"]), tt.want) {
			t.Errorf("%s, want %q: %d %v; want %d", tt.path, tt.want, code, out, tt.code)
		}
	}
	// Busy: every slot taken.
	for range cap(s.slots) {
		s.slots <- struct{}{}
	}
	resp, err := http.Post(ts.URL+"/v2/models/ours/infer", "application/json", strings.NewReader(`{"inputs": []}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("busy: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for range cap(s.slots) {
		<-s.slots
	}
	// The metrics counted all of it.
	resp, err = http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`modistill_requests_total{route="/v2/models/{name}/infer",code="400"} 8`, `code="404"} 1`, `code="413"} 1`, `code="503"} 1`, "modistill_request_seconds_bucket", "modistill_requests_in_flight 1"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics lack %q:\n%s", want, b)
		}
	}
}

func TestMetadataAndHealth(t *testing.T) {
	s, _, _ := fixture(t, DefaultLimits)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for path, want := range map[string]string{
		"/v2/health/live":       `"live":true`,
		"/v2/health/ready":      `"ready":true`,
		"/v2/models/ours/ready": `"ready":true`,
		"/v2/models/ours":       `{"name":"audio","datatype":"FP32","shape":[-1,74],"optional":true}`,
	} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d %s; want %s", path, resp.StatusCode, b, want)
		}
	}
}

// A slowloris client is cut off after the header timeout, and a request
// beside it is answered.
func TestSlowClientIsCutOffWithoutDisturbingOthers(t *testing.T) {
	limits := DefaultLimits
	limits.HeaderTimeout = 200 * time.Millisecond
	s, ds, _ := fixture(t, limits)
	addr, stop := serveLoopback(t, s)
	slow := slowClient(t, addr)
	body := map[string]any{"inputs": []any{input(ds, data.Text, 0)}}
	if code, out := post(t, "http://"+addr+"/v2/models/ours/infer", body); code != 200 {
		t.Errorf("beside a slow client: %d %v", code, out)
	}
	slow.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := io.ReadAll(slow); err != nil {
		t.Errorf("the slow client was not cut off within the header timeout: %v", err)
	}
	slow.Close()
	if err := stop(); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// Requests in flight when shutdown starts (the server is answering them,
// their bodies half sent) are answered in full after it has stopped
// accepting connections; Serve then returns nil.
func TestShutdownFinishesTheRequestsInFlight(t *testing.T) {
	s, ds, _ := fixture(t, DefaultLimits)
	addr, stop := serveLoopback(t, s)
	body, _ := json.Marshal(map[string]any{"inputs": []any{input(ds, data.Text, 0)}})
	held := make([]net.Conn, 3)
	for i := range held {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /v2/models/ours/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
		c.Write(body[:len(body)/2])
		held[i] = c
	}
	waitFor(t, "the server answering the three held requests", func() bool { return s.metrics.inFlight.Load() == 3 })
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	waitFor(t, "the listener to close", func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	for i, c := range held {
		c.Write(body[len(body)/2:])
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("held request %d, finished after shutdown began: %v", i, err)
		}
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Contains(out, []byte(`"outputs"`)) {
			t.Errorf("held request %d: %d %s", i, resp.StatusCode, out)
		}
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

// waitFor polls cond for up to 10 seconds, failing the test without it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
	}
}

// serveLoopback serves s on a free loopback port and returns its address
// and a stop that cancels Serve's context and returns what Serve returned.
func serveLoopback(t testing.TB, s *Server) (addr string, stop func() error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l, 5*time.Second) }()
	return l.Addr().String(), func() error {
		cancel()
		return <-done
	}
}

// slowClient opens a connection to addr and starts a request's headers
// without ever finishing them (slowloris).
func slowClient(t testing.TB, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(c, "POST /v2/models/ours/infer HTTP/1.1\r\nHost: x\r\n")
	return c
}

// Every system, saved as train saves it, answers infer requests over HTTP
// for every subset it takes, as eval predicts the same samples.
func TestEverySystemServesEverySubset(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 1, Sizes: synth.Sizes{Train: 16, Valid: 4, Test: 4}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	loaded, built := map[string]*infer.Model{}, map[string]systems.Model{}
	for _, name := range systems.Names {
		dir := filepath.Join(t.TempDir(), name)
		if built[name], err = infertest.Bundle(dir, name, ds, 1); err != nil {
			t.Fatal(err)
		}
		if loaded[name], err = infer.Load(dir); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	ts := httptest.NewServer(New(loaded, DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil))).Handler())
	defer ts.Close()
	for _, name := range systems.Names {
		for _, use := range built[name].Subsets() {
			whole := built[name].Predict(autodiff.NewTape(), ds.Test.All(), use)
			var inputs []map[string]any
			for _, m := range data.Modalities {
				if use[m] {
					inputs = append(inputs, input(ds, m, 0, 1, 2, 3))
				}
			}
			code, out := post(t, ts.URL+"/v2/models/"+name+"/infer", map[string]any{"inputs": inputs})
			if code != 200 {
				t.Fatalf("%s from %s: %d %v", name, use, code, out)
			}
			got := out["outputs"].([]any)[0].(map[string]any)["data"].([]any)
			for i := range 4 {
				if math.Abs(got[i].(float64)-float64(whole.Data[i])) > 1e-6 {
					t.Errorf("%s from %s, row %d: served %v, eval's %v", name, use, i, got[i], whole.Data[i])
				}
			}
		}
	}
}
