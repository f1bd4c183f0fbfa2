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
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'modistill <command> -h' for a command's flags.")
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
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

// newFlags returns a flag set for a subcommand that reports errors as values.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("modistill "+name, flag.ContinueOnError)
	return fs
}

// parseFlags parses args, turning flag errors and stray arguments into usage
// errors; -h prints the flags and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
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
