// Command modistill trains and evaluates multimodal sentiment models that
// keep working when modalities are missing (Peng, Hong and Zhao 2021,
// "Adaptive Modality Distillation for Separable Multimodal Sentiment
// Analysis").
//
// Usage:
//
//	modistill demo  [--seed N] [--epochs N]
//	modistill bench --model lmf|ours [--fusion F --distill D --temperature-grad G] [--json] [--steps N] [--runs K]
//	modistill data synth --kind mosi|pom|iemocap --seed N --out PATH
//	modistill data inspect PATH [--json] [--emotion E]
//	modistill train --data PATH|synth --system NAME [--seed N] [hyperparameters] --out DIR
//	modistill ridge --data PATH [--json]
//	modistill eval --model DIR --data PATH|synth [--subsets all|a,v,t,av,at,vt,avt] [--json] [--predictions FILE]
//	modistill score --task mosi|pom|iemocap --predictions FILE|- [--json]
//	modistill summarize --in DIR [--metrics M,...] [--systems S,...]
//	modistill paper --data synth|FILE [flags] --out DIR
//	modistill report --in DIR [--in DIR ...] --out DIR
//
// demo trains the LMF system on the embedded synthetic benchmark and prints
// the training curve and test metrics; bench times one training step and
// inference on MOSI-shaped random data, the workload of
// shared/bench/torch_ref.py. Exit status: 0 on success, 1 on a runtime
// error, 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
)

// usageError marks a bad command line (exit status 2).
type usageError struct{ msg string }

// Error is the message.
func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout io.Writer) error
}

func commands() []command {
	return []command{
		{"demo", "train LMF on the embedded synthetic benchmark and print test metrics", runDemo},
		{"bench", "time training steps and inference (the torch_ref.py workload)", runBench},
		{"data", "make synthetic data (data synth) or describe a dataset file (data inspect)", runData},
		{"train", "train a system and save it", runTrain},
		{"eval", "evaluate a saved model under every pattern of missing modalities", runEval},
		{"predict", "answer JSON-lines requests carrying any subset of audio, visual, text or raw text with a saved model", runPredict},
		{"serve", "serve saved models over HTTP (Open Inference Protocol v2), with metrics and limits", runServe},
		{"score", "compute a task's metrics from a predictions file (eval's, or pred,truth rows)", runScore},
		{"ridge", "the bag-of-words ridge baseline for text given as token ids", runRidge},
		{"summarize", "tabulate eval results over seeds (mean ± standard deviation)", runSummarize},
		{"plot-temperatures", "chart the temperatures adaptive models learned, per modality and epoch", runPlotTemperatures},
		{"paper", "run the paper's tables (systems x modality conditions x seeds), resumable", runPaper},
		{"report", "merge the run stores of modistill paper shards into one report", runReport},
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: modistill <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'modistill <command> -h' for a command's flags, 'modistill --version' for the version.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "--version" || args[0] == "-version" || args[0] == "version") {
		fmt.Fprintln(stdout, version())
		return nil
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return usageError{"no command given"}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout)
		}
	}
	usage(stderr)
	return usagef("unknown command %q", args[0])
}

// version is the module's version and the commit it was built from (as the
// go command records it in the binary).
func version() string {
	v, rev, dirty := "(unknown)", "", ""
	goVersion := runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		v = bi.Main.Version
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision":
				rev = s.Value
			case s.Key == "vcs.modified" && s.Value == "true":
				dirty = ", with uncommitted changes"
			}
		}
	}
	if rev == "" {
		return fmt.Sprintf("modistill %s (no commit recorded: built outside a git checkout or by go run), %s", v, goVersion)
	}
	return fmt.Sprintf("modistill %s, commit %s%s, %s", v, rev, dirty, goVersion)
}

// newFlags returns a flag set for a subcommand that reports errors as
// values and prints nothing itself: parseFlags says what went wrong, and
// -h prints the flags to standard output.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("modistill "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args, turning flag errors and stray arguments into usage
// errors; -h or --help prints the flags to stdout and returns flag.ErrHelp
// (exit status 0).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	pos, err := parsePositional(fs, args, stdout)
	if err == nil && len(pos) > 0 {
		err = usagef("%s: unexpected argument %q (flags start with -; see '%s -h')", strings.TrimPrefix(fs.Name(), "modistill "), pos[0], fs.Name())
	}
	return err
}

// parsePositional is parseFlags for commands that take arguments: flags
// may come before, between or after them; the arguments are returned.
func parsePositional(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(stdout, "usage: %s [flags]\n\nflags:\n", fs.Name())
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				fs.SetOutput(io.Discard)
				return nil, err
			}
			return nil, usagef("%s: %v (see '%s -h')", strings.TrimPrefix(fs.Name(), "modistill "), err, fs.Name())
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitCode reports err and maps it to the exit status.
func exitCode(err error, stderr io.Writer) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "modistill:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "modistill:", err)
		return 1
	}
}

// plural is "1 thing" or "n things".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
