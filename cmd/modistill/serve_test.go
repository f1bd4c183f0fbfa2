package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/modistill/modistill/infer"
)

// lockedBuffer is a bytes.Buffer safe to write from a child's output pipe
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// SIGTERM in the middle of a load: the server stops accepting, answers
// every request it had begun (two of them held with half their bodies
// sent, so that some surely are in flight), and exits 0. Every request the
// server logged as answered reached its client as a 200.
func TestServeSIGTERMMidLoadLosesNoRequest(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m")
	if _, err := runCmd(t, "train", "--data", "synth", "--synth-train", "40", "--system", "ours", "--epochs", "1", "--quiet", "--out", model); err != nil {
		t.Fatal(err)
	}
	m, err := infer.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	d := m.Meta.Dims
	shape, n := []int{d.Text}, d.Text
	if d.TextLen > 0 {
		shape, n = []int{d.TextLen, d.Text}, d.TextLen*d.Text
	}
	body, _ := json.Marshal(map[string]any{"inputs": []any{map[string]any{
		"name": "text", "datatype": "FP32", "shape": shape, "data": slices.Repeat([]float32{0.1}, n)}}})

	cmd := child("serve", "--model", "m="+model, "--addr", "127.0.0.1:0")
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	_, rest, ok := strings.Cut(line, "http://")
	addr, _, _ := strings.Cut(rest, " ")
	if err != nil || !ok {
		t.Fatalf("serve printed %q (%v), want its address", line, err)
	}
	url := "http://" + addr + "/v2/models/m/infer"

	// The load: four clients, a new connection per request, until SIGTERM.
	var answered, refused atomic.Int64
	var stopping atomic.Bool
	var wg sync.WaitGroup
	failures := make(chan string, 100)
	for range 4 {
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 20 * time.Second}
			for !stopping.Load() {
				resp, err := client.Post(url, "application/json", bytes.NewReader(body))
				if err != nil { // not accepted; the count below shows it was not answered either
					refused.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failures <- fmt.Sprintf("a request during the load: %d", resp.StatusCode)
				}
				answered.Add(1)
			}
		})
	}
	held := make([]net.Conn, 2)
	for i := range held {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST /v2/models/m/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
		c.Write(body[:len(body)/2])
		held[i] = c
	}
	for deadline := time.Now().Add(time.Minute); answered.Load() < 50; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d requests answered in a minute", answered.Load())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stderr.String(), "shutting down"); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no shutdown a minute after SIGTERM")
		}
	}
	stopping.Store(true)
	for i, c := range held { // their bodies finish after shutdown began
		c.Write(body[len(body)/2:])
		c.SetReadDeadline(time.Now().Add(20 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatalf("held request %d: %v", i, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("held request %d: %d", i, resp.StatusCode)
		}
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve after SIGTERM: %v; stderr:\n%s", err, tail(stderr.String(), 2000))
	}
	logged := strings.Count(stderr.String(), `"path":"/v2/models/m/infer","code":200`)
	t.Logf("answered %d during the load and 2 held; %d not accepted; the server logged %d", answered.Load(), refused.Load(), logged)
	if int64(logged) != answered.Load()+2 {
		t.Errorf("the server answered %d requests, its clients received %d", logged, answered.Load()+2)
	}
}

// tail is the end of s, at most n bytes.
func tail(s string, n int) string { return s[max(0, len(s)-n):] }
