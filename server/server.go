// Package server serves trained models over HTTP with the subset of the
// Open Inference Protocol v2 (KServe's, also spoken by Triton and
// TorchServe) that fits a model of any subset of audio, visual and text:
// health, model metadata and readiness, and infer, whose inputs are named
// audio, visual, text (FP32) and text_raw (BYTES), a missing modality simply
// absent. It also serves Prometheus metrics at /metrics, logs each request
// with log/slog, bounds request size, time and concurrency, and answers a
// client's mistake with a 4xx and a JSON error naming what was wrong.
package server

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/infer"
)

// page is the page GET / serves: pick a model, type a sentence, add
// feature vectors if you have them, see the answer and what it came from.
//
//go:embed page.html
var page []byte

// Limits bound what one request may take.
type Limits struct {
	MaxBody     int64         // bytes of a request body
	Timeout     time.Duration // to answer one request
	MaxInFlight int           // requests answered at once; beyond, 503 with Retry-After
	// HeaderTimeout and ReadTimeout bound how long a client may take to
	// send the headers and the whole request (a slow client is cut off);
	// IdleTimeout how long a kept-alive connection may wait.
	HeaderTimeout, ReadTimeout, IdleTimeout time.Duration
}

// DefaultLimits are serve's defaults: 16 MiB bodies, 10 s to answer, 64
// requests at once, 5 s for the headers, 30 s for a request, 60 s idle.
var DefaultLimits = Limits{MaxBody: 16 << 20, Timeout: 10 * time.Second, MaxInFlight: 64,
	HeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 60 * time.Second}

// Serve answers on l until ctx is done, then stops accepting connections
// and lets the requests in flight finish within grace.
func (s *Server) Serve(ctx context.Context, l net.Listener, grace time.Duration) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: s.limits.HeaderTimeout, ReadTimeout: s.limits.ReadTimeout,
		WriteTimeout: s.limits.Timeout + 5*time.Second, IdleTimeout: s.limits.IdleTimeout, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "grace", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: requests still running after %s: %w", grace, err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Server serves named models.
type Server struct {
	models  map[string]*infer.Model
	names   []string
	limits  Limits
	log     *slog.Logger
	slots   chan struct{}
	metrics *metrics
}

// New serves the models by name with limits, logging to log.
func New(models map[string]*infer.Model, limits Limits, log *slog.Logger) *Server {
	s := &Server{models: models, limits: limits, log: log, slots: make(chan struct{}, max(limits.MaxInFlight, 1)), metrics: newMetrics()}
	for n := range models {
		s.names = append(s.names, n)
	}
	sort.Strings(s.names)
	return s
}

// Handler is the server's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v2/health/live", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"live": true})
	})
	mux.HandleFunc("GET /v2/health/ready", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]bool{"ready": true})
	})
	mux.HandleFunc("GET /v2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"name": "modistill", "version": "1", "extensions": []string{}, "models": s.names})
	})
	mux.HandleFunc("GET /v2/models/{name}", s.withModel(s.metadata))
	mux.HandleFunc("GET /v2/models/{name}/ready", s.withModel(func(w http.ResponseWriter, r *http.Request, name string, m *infer.Model) {
		writeJSON(w, http.StatusOK, map[string]any{"name": name, "ready": true})
	}))
	mux.HandleFunc("POST /v2/models/{name}/infer", s.withModel(s.infer))
	mux.HandleFunc("GET /metrics", s.metrics.serve)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	return s.observe(mux)
}

// observe counts, times and logs every request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, code: http.StatusOK}
		s.metrics.inFlight.Add(1)
		defer func() {
			s.metrics.inFlight.Add(-1)
			if p := recover(); p != nil { // a bug, not the client's: answered, logged, counted
				s.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(p))
				if !rec.wrote {
					writeError(rec, http.StatusInternalServerError, "internal error")
				}
			}
			d := time.Since(start)
			s.metrics.observe(route(r), rec.code, d)
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "code", rec.code, "ms", float64(d.Microseconds())/1000)
		}()
		next.ServeHTTP(rec, r)
	})
}

// route is a request's path with the model name kept (few models are
// served), for the metrics' labels; unknown paths share one label.
func route(r *http.Request) string {
	if r.Pattern == "" {
		return "other"
	}
	_, p, _ := strings.Cut(r.Pattern, " ")
	return p
}

// withModel looks up the model the path names, or answers 404.
func (s *Server) withModel(h func(http.ResponseWriter, *http.Request, string, *infer.Model)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		m, ok := s.models[name]
		if !ok {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no model %q (served: %s)", name, strings.Join(s.names, ", ")))
			return
		}
		h(w, r, name, m)
	}
}

// tensorMeta describes one input or output in model metadata.
type tensorMeta struct {
	Name     string `json:"name"`
	Datatype string `json:"datatype"`
	Shape    []int  `json:"shape"`
	Optional bool   `json:"optional,omitempty"`
}

// metadata answers GET /v2/models/{name}: the inputs (each optional: a
// request carries any subset the model answers from) and the outputs.
func (s *Server) metadata(w http.ResponseWriter, r *http.Request, name string, m *infer.Model) {
	d := m.Meta.Dims
	var inputs []tensorMeta
	for _, mod := range data.Modalities {
		dim := d.Size(mod)
		if dim == 0 || (mod == data.Text && d.Vocab > 0) {
			continue
		}
		shape := []int{-1, dim}
		if d.Steps(mod) > 0 {
			shape = []int{-1, -1, dim}
		}
		inputs = append(inputs, tensorMeta{Name: mod.String(), Datatype: "FP32", Shape: shape, Optional: true})
	}
	if m.ReadsRawText() {
		inputs = append(inputs, tensorMeta{Name: "text_raw", Datatype: "BYTES", Shape: []int{-1}, Optional: true})
	}
	subsets := make([]string, len(m.Subsets()))
	for i, u := range m.Subsets() {
		subsets[i] = u.String()
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name": name, "versions": []string{"1"}, "platform": "modistill",
		"inputs": inputs, "outputs": outputsMeta(m.Meta.Task),
		"parameters": map[string]any{"system": m.Meta.System, "subsets": subsets},
	})
}

// outputsMeta lists what infer returns for a task.
func outputsMeta(t data.Task) []tensorMeta {
	switch {
	case t.Kind == data.Classification:
		return []tensorMeta{{Name: "probabilities", Datatype: "FP32", Shape: []int{-1, len(t.Targets), t.Classes}}}
	case len(t.Targets) == 1:
		return []tensorMeta{{Name: "score", Datatype: "FP32", Shape: []int{-1}}, {Name: "polarity", Datatype: "BYTES", Shape: []int{-1}}}
	}
	return []tensorMeta{{Name: "scores", Datatype: "FP32", Shape: []int{-1, len(t.Targets)}}}
}

// inferRequest is the body of POST /v2/models/{name}/infer.
type inferRequest struct {
	ID         string          `json:"id,omitempty"`
	Parameters json.RawMessage `json:"parameters,omitempty"`
	Inputs     []inferTensor   `json:"inputs"`
	Outputs    json.RawMessage `json:"outputs,omitempty"`
}

// inferTensor is one named tensor of a request or response, its data flat
// in row-major order.
type inferTensor struct {
	Name     string          `json:"name"`
	Shape    []int           `json:"shape"`
	Datatype string          `json:"datatype"`
	Data     json.RawMessage `json:"data,omitempty"`
}

// infer answers POST /v2/models/{name}/infer.
func (s *Server) infer(w http.ResponseWriter, r *http.Request, name string, m *infer.Model) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	default:
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("busy: %d requests in flight; retry", cap(s.slots)))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.limits.Timeout)
	defer cancel()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.limits.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", s.limits.MaxBody))
			return
		}
		writeError(w, http.StatusBadRequest, "reading the request: "+err.Error())
		return
	}
	reqs, err := decodeInfer(body, m)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	answers, i, err := m.AnswerAll(ctx, reqs.samples)
	var bad *infer.InputError
	switch {
	case err == nil:
	case errors.As(err, &bad):
		writeError(w, http.StatusBadRequest, inputError(err, reqs.batched, i))
		return
	case r.Context().Err() != nil: // the client went away: no one to answer
		w.WriteHeader(statusClientClosed)
		return
	case ctx.Err() != nil:
		writeError(w, http.StatusServiceUnavailable, "timed out answering the request")
		return
	default: // the model's failure, not the client's
		s.log.Error("answer", "model", name, "error", err.Error())
		writeError(w, http.StatusInternalServerError, "internal error")
		return
	}
	writeJSON(w, http.StatusOK, encodeInfer(name, reqs, answers, m.Meta.Task))
}

// statusClientClosed is the code the metrics and the log give a request
// whose client closed the connection before it was answered (nginx's 499).
const statusClientClosed = 499

// inputError says which sample of a batch a request error is about.
func inputError(err error, batched bool, i int) string {
	if batched {
		return fmt.Sprintf("sample %d: %v", i, err)
	}
	return err.Error()
}

// decoded is an infer request split into samples.
type decoded struct {
	id      string
	samples []infer.Request
	batched bool // the inputs had a leading batch dimension
}

// decodeInfer reads an infer request's inputs into one infer.Request per
// sample: [d] or [T, d] is one sample, [B, d] or [B, T, d] (for a modality
// the model reads as sequences) B samples, and text_raw [1] or [B].
func decodeInfer(body []byte, m *infer.Model) (decoded, error) {
	var req inferRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return decoded{}, fmt.Errorf("not an infer request: %v (want {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}, ...]})", err)
	}
	if len(req.Inputs) == 0 {
		return decoded{}, errors.New("no inputs: want at least one of audio, visual, text, text_raw")
	}
	d := m.Meta.Dims
	out := decoded{id: req.ID}
	B := -1
	seen := map[string]bool{}
	type part struct {
		name string
		f    []*infer.Features
		raw  []string
	}
	var parts []part
	for _, in := range req.Inputs {
		if seen[in.Name] {
			return out, fmt.Errorf("input %s given twice", in.Name)
		}
		seen[in.Name] = true
		var p part
		p.name = in.Name
		var n int
		var err error
		switch in.Name {
		case "audio", "visual", "text":
			mod := slices.IndexFunc(data.Modalities, func(m data.Modality) bool { return m.String() == in.Name })
			p.f, n, err = features(in, d.Steps(data.Modality(mod)))
		case "text_raw":
			p.raw, n, err = rawTexts(in)
		default:
			return out, fmt.Errorf("unknown input %q: want audio, visual, text or text_raw", in.Name)
		}
		if err != nil {
			return out, fmt.Errorf("input %s: %v", in.Name, err)
		}
		if n > 0 {
			out.batched = true
		}
		n = max(n, 1)
		if B >= 0 && n != B {
			return out, fmt.Errorf("input %s has %d samples, an earlier input %d", in.Name, n, B)
		}
		B = n
		parts = append(parts, p)
	}
	if seen["text"] && seen["text_raw"] {
		return out, errors.New("give text or text_raw, not both")
	}
	out.samples = make([]infer.Request, B)
	for i := range out.samples {
		q := &out.samples[i]
		q.ID = req.ID
		for _, p := range parts {
			switch p.name {
			case "audio":
				q.Audio = p.f[i]
			case "visual":
				q.Visual = p.f[i]
			case "text":
				q.Text = p.f[i]
			case "text_raw":
				q.TextRaw = &p.raw[i]
			}
		}
	}
	return out, nil
}

// features reads an FP32 input for a modality of sequence length L (0: one
// vector per utterance) into one Features per sample, and the batch size
// (0 when the shape has no batch dimension).
func features(in inferTensor, L int) ([]*infer.Features, int, error) {
	if in.Datatype != "FP32" {
		return nil, 0, fmt.Errorf("datatype %q: want FP32", in.Datatype)
	}
	var values []float64
	if err := json.Unmarshal(in.Data, &values); err != nil {
		return nil, 0, errors.New("data: want a flat array of numbers, in row-major order")
	}
	for _, n := range in.Shape {
		if n < 1 {
			return nil, 0, fmt.Errorf("shape %v: every dimension must be positive", in.Shape)
		}
	}
	per := 1 // dimensions of one sample: 1 for vectors, 2 for sequences
	if L > 0 {
		per = 2
	}
	var B int
	switch len(in.Shape) {
	case per:
	case 1: // a sequence modality given one vector: one step
		per = 1
	case per + 1:
		B = in.Shape[0]
	default:
		if L > 0 {
			return nil, 0, fmt.Errorf("shape %v: want [T, d] or [B, T, d]", in.Shape)
		}
		return nil, 0, fmt.Errorf("shape %v: want [d] or [B, d]", in.Shape)
	}
	size := 1
	for _, n := range in.Shape {
		size *= n
	}
	if size != len(values) || size > 1<<28 {
		return nil, 0, fmt.Errorf("shape %v holds %d values, data has %d", in.Shape, size, len(values))
	}
	inner := in.Shape[len(in.Shape)-per:]
	n := max(B, 1)
	step := size / n
	out := make([]*infer.Features, n)
	for i := range out {
		steps, dim := 0, inner[0]
		if per == 2 {
			steps, dim = inner[0], inner[1]
		}
		f, err := infer.NewFeatures(steps, dim, values[i*step:(i+1)*step])
		if err != nil {
			return nil, 0, err
		}
		out[i] = f
	}
	return out, B, nil
}

// rawTexts reads the BYTES input text_raw: shape [1] or [B] of strings.
func rawTexts(in inferTensor) ([]string, int, error) {
	if in.Datatype != "BYTES" {
		return nil, 0, fmt.Errorf("datatype %q: want BYTES", in.Datatype)
	}
	var texts []string
	if err := json.Unmarshal(in.Data, &texts); err != nil {
		return nil, 0, errors.New("data: want an array of strings")
	}
	if len(in.Shape) != 1 || in.Shape[0] != len(texts) || len(texts) == 0 {
		return nil, 0, fmt.Errorf("shape %v for %d strings: want [n] with n the number of strings", in.Shape, len(texts))
	}
	if len(texts) == 1 {
		return texts, 0, nil
	}
	return texts, len(texts), nil
}

// encodeInfer is the infer response: the outputs, and in parameters the
// modalities present and the path that answered.
func encodeInfer(name string, req decoded, answers []infer.Answer, task data.Task) map[string]any {
	first := answers[0]
	var outputs []map[string]any
	shape := func(inner ...int) []int {
		if req.batched {
			return append([]int{len(answers)}, inner...)
		}
		if len(inner) == 0 {
			return []int{1}
		}
		return inner
	}
	switch {
	case task.Kind == data.Classification:
		var probs []float64
		for _, a := range answers {
			for _, t := range task.Targets {
				probs = append(probs, a.Probabilities[t]...)
			}
		}
		outputs = append(outputs, map[string]any{"name": "probabilities", "datatype": "FP32", "shape": shape(len(task.Targets), task.Classes), "data": probs,
			"parameters": map[string]any{"targets": task.Targets}})
	case len(task.Targets) == 1:
		var scores []float64
		var polarity []string
		for _, a := range answers {
			scores, polarity = append(scores, *a.Score), append(polarity, a.Polarity)
		}
		outputs = append(outputs, map[string]any{"name": "score", "datatype": "FP32", "shape": shape(), "data": scores},
			map[string]any{"name": "polarity", "datatype": "BYTES", "shape": shape(), "data": polarity})
	default:
		var scores []float64
		for _, a := range answers {
			for _, t := range task.Targets {
				scores = append(scores, a.Scores[t])
			}
		}
		outputs = append(outputs, map[string]any{"name": "scores", "datatype": "FP32", "shape": shape(len(task.Targets)), "data": scores,
			"parameters": map[string]any{"targets": task.Targets}})
	}
	resp := map[string]any{"model_name": name, "model_version": "1", "outputs": outputs,
		"parameters": map[string]any{"modalities": first.Modalities, "path": first.Path}}
	if req.id != "" {
		resp["id"] = req.id
	}
	return resp
}

// writeJSON writes v with code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// writeError writes {"error": msg} with code.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// recorder keeps the status code a handler wrote.
type recorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

// WriteHeader records the code.
func (r *recorder) WriteHeader(code int) {
	r.code, r.wrote = code, true
	r.ResponseWriter.WriteHeader(code)
}

// Write marks the response as written.
func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}
