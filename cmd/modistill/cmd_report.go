package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/modistill/modistill/experiment"
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
	var ie *experiment.InputError
	if err := experiment.Merge(in, *out, stdout); errors.As(err, &ie) {
		return usagef("report: %v", err)
	} else if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}
