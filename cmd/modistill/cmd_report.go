package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/modistill/modistill/runstore"
)

// dirList is a flag that may be repeated and may hold comma-separated values.
type dirList []string

func (d *dirList) String() string { return strings.Join(*d, ",") }

func (d *dirList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s != "" {
			*d = append(*d, s)
		}
	}
	return nil
}

func runReport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("report")
	var in dirList
	fs.Var(&in, "in", "a modistill paper --out directory; repeat the flag or separate with commas to merge shards")
	out := fs.String("out", "", "directory for the merged report.md and results.csv")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if len(in) == 0 || *out == "" {
		return usagef("report: want --in DIR... and --out DIR")
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		return usagef("report: --out %s already holds files; want a new or empty directory (report writes report.md, results.csv and plots/ there)", *out)
	} else if fi, err := os.Stat(*out); err == nil && !fi.IsDir() {
		return usagef("report: --out %s is a file; want a new or empty directory", *out)
	}
	var settings paperSettings
	var all []runstore.Record
	seen := map[string]string{}
	for i, dir := range in {
		s, err := readSettings(dir)
		if err != nil {
			return usagef("report: --in %s is not a modistill paper directory: %v", dir, err)
		}
		if i == 0 {
			settings = s
		} else if s != settings {
			return usagef("report: %s was run with %v but %s with %v; merge only shards of one run", dir, s, in[0], settings)
		}
		path := filepath.Join(dir, "runs.log")
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		recs, err := runstore.Read(path) // read-only: a shard may still be writing
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		for _, r := range recs {
			if first, dup := seen[r.Key]; dup {
				fmt.Fprintf(stdout, "%s: in %s and %s; keeping the first\n", r.Key, first, dir)
				continue
			}
			seen[r.Key] = dir
			all = append(all, r)
		}
	}
	results, err := readResults(all)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	fmt.Fprintf(stdout, "%d trials from %s\n", len(results), plural(len(in), "directory", "directories"))
	return writePaperOutputs(*out, settings, results, stdout)
}
