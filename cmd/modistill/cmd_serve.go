package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/modistill/modistill/infer"
	"github.com/modistill/modistill/server"
)

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("serve")
	var models dirList
	fs.Var(&models, "model", "a model directory (modistill train --out), served under its base name, or NAME=DIR; repeat for more")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	limits := server.DefaultLimits
	maxBody := fs.Int64("max-body", limits.MaxBody, "largest request body in bytes; range [1024, 1073741824]")
	timeout := fs.Duration("timeout", limits.Timeout, "time to answer one request")
	inFlight := fs.Int("max-in-flight", limits.MaxInFlight, "requests answered at once; more get 503 with Retry-After; range [1, 100000]")
	grace := fs.Duration("grace", 10*time.Second, "on SIGINT or SIGTERM, how long requests in flight may take to finish")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if len(models) == 0 {
		return usagef("serve: want at least one --model DIR")
	}
	if *maxBody < 1024 || *maxBody > 1<<30 {
		return usagef("serve: --max-body %d is out of range: want a value in [1024, 1073741824]", *maxBody)
	}
	if err := intFlagInRange("serve", "max-in-flight", *inFlight, 1, 100000); err != nil {
		return err
	}
	if *timeout <= 0 || *grace < 0 {
		return usagef("serve: --timeout must be positive and --grace not negative")
	}
	limits.MaxBody, limits.Timeout, limits.MaxInFlight = *maxBody, *timeout, *inFlight
	byName := map[string]*infer.Model{}
	for _, spec := range models {
		name, dir, ok := strings.Cut(spec, "=")
		if !ok {
			name, dir = filepath.Base(filepath.Clean(spec)), spec
		}
		if _, dup := byName[name]; dup || name == "" {
			return usagef("serve: two models named %q; name them with --model NAME=DIR", name)
		}
		m, err := infer.Load(dir)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		byName[name] = m
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("serve: --addr: %v", err)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	fmt.Fprintf(stdout, "serving %s on http://%s (Open Inference Protocol v2: /v2/models/NAME/infer; /metrics)\n", strings.Join(slices.Sorted(maps.Keys(byName)), ", "), l.Addr())
	return server.New(byName, limits, log).Serve(ctx, l, *grace)
}
