package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows how far a long job has come on standard error: a bar
// redrawn in place when standard error is a terminal, and otherwise (a log
// file, a pipe, CI) one plain line per finished step.
type progress struct {
	bar   *progressbar.ProgressBar
	log   io.Writer // nil on a terminal or when quiet
	what  string
	total int
	done  int
	start time.Time
}

// stderrIsTerminal reports whether standard error is a terminal.
func stderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

// newProgress starts the display of total steps of what ("epoch",
// "trials"); quiet shows nothing.
func newProgress(total int, what string, quiet bool) *progress {
	p := &progress{what: what, total: total, start: time.Now()}
	switch {
	case quiet:
	case stderrIsTerminal():
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionSetDescription(what), progressbar.OptionClearOnFinish())
	default:
		p.log = os.Stderr
	}
	return p
}

// Describe changes what the bar says without a step (shown on a terminal
// only).
func (p *progress) Describe(desc string) {
	if p.bar != nil {
		p.bar.Describe(desc)
	}
}

// Step counts one step done, described by desc.
func (p *progress) Step(desc string) {
	p.done++
	switch {
	case p.bar != nil:
		p.bar.Describe(desc)
		p.bar.Add(1)
	case p.log != nil:
		elapsed := time.Since(p.start)
		left := ""
		if p.done < p.total {
			left = fmt.Sprintf(", about %s left", (elapsed / time.Duration(p.done) * time.Duration(p.total-p.done)).Round(time.Second))
		}
		fmt.Fprintf(p.log, "%s %d/%d: %s (%s elapsed%s)\n", p.what, p.done, p.total, desc, elapsed.Round(100*time.Millisecond), left)
	}
}

// Finish ends the display.
func (p *progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
