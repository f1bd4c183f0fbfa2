package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/infer"
	"github.com/modistill/modistill/infer/infertest"
)

// textModel trains Ours for one step on a small release whose text is word
// vectors, so that it reads raw text, and loads it for serving.
func textModel(t *testing.T) *infer.Model {
	t.Helper()
	release, vectors, err := infertest.TextRelease(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := load.Open(release, load.Options{Kind: "mosi", Text: "glove", Embeddings: vectors})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "ours-text")
	if _, err := infertest.Bundle(dir, "ours", ds, 1); err != nil {
		t.Fatal(err)
	}
	im, err := infer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// chromium finds a Chromium to drive, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// The page, in a real headless Chromium: text only is typed and submitted,
// and the answer shown is the model's, from the students. The screenshot
// (PNG) goes to $MODISTILL_SCREENSHOT when set. Without a Chromium the test is
// skipped, unless MODISTILL_REQUIRE_BROWSER is set (.ci/run sets it after
// installing Debian's chromium).
func TestPageInHeadlessChromium(t *testing.T) {
	browser := chromium()
	if browser == "" {
		if os.Getenv("MODISTILL_REQUIRE_BROWSER") != "" {
			t.Fatal("no chromium found, and MODISTILL_REQUIRE_BROWSER is set")
		}
		t.Skip("no chromium: install Debian's chromium (.ci/run does) to run the browser test")
	}
	// MODISTILL_PAGE_MODEL and MODISTILL_PAGE_TEXT run the test against a
	// model of one's own (such as one trained on the real transcripts).
	var m *infer.Model
	sentence := "segment vid0 1"
	if dir := os.Getenv("MODISTILL_PAGE_MODEL"); dir != "" {
		var err error
		if m, err = infer.Load(dir); err != nil {
			t.Fatal(err)
		}
		if s := os.Getenv("MODISTILL_PAGE_TEXT"); s != "" {
			sentence = s
		}
	} else {
		m = textModel(t)
	}
	want, err := m.Answer(infer.Request{TextRaw: &sentence})
	if err != nil {
		t.Fatal(err)
	}
	s := New(map[string]*infer.Model{"ours-text": m}, DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	err = chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitReady(chromedp.CSS(`#model option`)),
		chromedp.Poll[chromedp.Void](`document.getElementById("inputs").textContent !== ""`),
		chromedp.SendKeys(chromedp.ID("text"), sentence),
		chromedp.Click(chromedp.ID("predict")),
		chromedp.WaitReady(chromedp.CSS(`#answer[data-done]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("inputs")))
	if err != nil {
		t.Fatal(err)
	}
	answer, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("answer")))
	if err != nil {
		t.Fatal(err)
	}
	doneAttr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("answer"), "data-done"))
	if err != nil {
		t.Fatal(err)
	}
	done := doneAttr.Value
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	wantScore := fmt.Sprintf("score: %.3f", *want.Score)
	if done != "ok" || !strings.Contains(answer, wantScore) || !strings.Contains(answer, "polarity: "+want.Polarity) || !strings.Contains(answer, "from: text (students)") {
		t.Errorf("the page shows %q (%s); want %q, polarity %s, from text (students)", answer, done, wantScore, want.Polarity)
	}
	if !strings.Contains(inputs, m.Meta.System+" answers from avt, av, at, vt, a, v, t") || !strings.Contains(inputs, "text_raw") {
		t.Errorf("the page describes the model as %q", inputs)
	}
	if len(shot) == 0 {
		t.Error("no screenshot")
	}
	if path := os.Getenv("MODISTILL_SCREENSHOT"); path != "" {
		if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Error(err)
		}
	}
}
