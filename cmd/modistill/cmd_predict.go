package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/modistill/modistill/infer"
)

// maxRequestLine bounds one request line of predict's input.
const maxRequestLine = 64 << 20

func runPredict(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("predict")
	modelDir := fs.String("model", "", "a model directory (modistill train --out)")
	input := fs.String("input", "-", "requests as JSON lines, one object per line with an id and any of audio, visual, text (arrays [d] or [T][d]) and text_raw (a string); - for standard input")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *modelDir == "" {
		return usagef("predict: --model is required (a directory modistill train wrote)")
	}
	m, err := infer.Load(*modelDir)
	if err != nil {
		return fmt.Errorf("predict: %w", err)
	}
	in := io.Reader(os.Stdin)
	if *input != "-" {
		f, err := os.Open(*input)
		if err != nil {
			return usagef("predict: --input: %v", err)
		}
		defer f.Close()
		in = f
	}
	// Each line gets one line back, in order: the answer, or the error with
	// the line's number and id.
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	r := bufio.NewReaderSize(in, 1<<16)
	lines, failed := 0, 0
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(r)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			break
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("predict: --input line %d: %w", n, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		lines++
		req, perr := infer.ParseRequest(line)
		var ans infer.Answer
		if perr == nil {
			ans, perr = m.Answer(req)
		}
		if perr != nil {
			failed++
			if err := enc.Encode(predictError{ID: requestID(line), Line: n, Error: perr.Error()}); err != nil {
				return err
			}
			continue
		}
		if err := enc.Encode(ans); err != nil {
			return err
		}
	}
	if failed > 0 {
		out.Flush()
		return fmt.Errorf("predict: %d of %d requests failed (their lines name the reason)", failed, lines)
	}
	return nil
}

// predictError is predict's output line for a request it could not answer.
type predictError struct {
	ID    string `json:"id,omitempty"`
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// readLine reads one line (without its newline), refusing lines longer than
// maxRequestLine.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxRequestLine {
			return nil, fmt.Errorf("longer than %d MiB", maxRequestLine>>20)
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return bytes.TrimSuffix(line, []byte("\n")), err
		}
	}
}

// requestID is the id of a request line that may not parse, or "".
func requestID(line []byte) string {
	var v struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(line, &v) != nil {
		return ""
	}
	return v.ID
}
