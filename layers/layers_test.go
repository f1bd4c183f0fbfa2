package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

func input(rng *rand.Rand, shape ...int) *autodiff.Node {
	t := tensor.New(shape...)
	nn.Normal(t, 1, rng)
	return autodiff.NewParam(t)
}

func nodes(ps []*nn.Param) []*autodiff.Node {
	var out []*autodiff.Node
	for _, p := range ps {
		out = append(out, p.Node)
	}
	return out
}

func gradcheck(t *testing.T, name string, f func(tp *autodiff.Tape) *autodiff.Node, inputs []*autodiff.Node) {
	t.Helper()
	if err, where := autodiff.GradCheck(f, inputs, 1e-2); err > 5e-3 {
		t.Errorf("%s: gradient error %.3g at %s", name, err, where)
	}
}

func TestLinearGradients(t *testing.T) {
	rng := nn.NewRNG(1)
	l := NewLinear("l", 4, 3, true, rng)
	nn.Normal(l.Bias.Value, 1, rng)
	x := input(rng, 5, 4)
	gradcheck(t, "Linear", func(tp *autodiff.Tape) *autodiff.Node { return l.Forward(tp, x) }, append(nodes(l.Params()), x))
}

func TestMLPGradients(t *testing.T) {
	rng := nn.NewRNG(2)
	m := NewMLP("mlp", []int{4, 6, 3}, 0.3, rng)
	x := input(rng, 5, 4)
	f := func(tp *autodiff.Tape) *autodiff.Node {
		return m.Forward(tp, nn.Training(nn.NewRNG(9)), x) // same dropout mask every call
	}
	gradcheck(t, "MLP with dropout", f, append(nodes(m.Params()), x))
}

func TestLSTMGradients(t *testing.T) {
	rng := nn.NewRNG(3)
	l := NewLSTM("lstm", 5, 3, rng)
	nn.Normal(l.BiasIH.Value, 0.5, rng)
	nn.Normal(l.BiasHH.Value, 0.5, rng)
	x := input(rng, 2, 4, 5)
	gradcheck(t, "LSTM", func(tp *autodiff.Tape) *autodiff.Node { return l.Forward(tp, x) }, append(nodes(l.Params()), x))
}

func TestBatchNormGradients(t *testing.T) {
	rng := nn.NewRNG(4)
	bn := NewBatchNorm1d("bn", 3)
	nn.Normal(bn.Weight.Value, 1, rng)
	nn.Normal(bn.Bias.Value, 1, rng)
	x := input(rng, 6, 3)
	train := func(tp *autodiff.Tape) *autodiff.Node { return bn.Forward(tp, nn.Training(nil), x) }
	gradcheck(t, "BatchNorm1d train", train, append(nodes(bn.Params()), x))
	bn.RunningMean.Value.Data[1] = 0.5
	bn.RunningVar.Value.Data[2] = 2
	eval := func(tp *autodiff.Tape) *autodiff.Node { return bn.Forward(tp, nn.Eval, x) }
	gradcheck(t, "BatchNorm1d eval", eval, append(nodes(bn.Params()), x))
}

func TestEmbeddingGradients(t *testing.T) {
	rng := nn.NewRNG(5)
	e := NewEmbedding("emb", 6, 3, rng)
	ids := []int{1, 4, 4, 0, 5, 1}
	f := func(tp *autodiff.Tape) *autodiff.Node { return tp.Tanh(e.Forward(tp, ids, 2, 3)) }
	gradcheck(t, "Embedding", f, nodes(e.Params()))
}

func TestEmbeddingIntoLSTM(t *testing.T) {
	rng := nn.NewRNG(6)
	e := NewEmbedding("emb", 7, 4, rng)
	l := NewLSTM("lstm", 4, 3, rng)
	ids := []int{1, 2, 3, 6, 0, 2}
	f := func(tp *autodiff.Tape) *autodiff.Node { return l.Forward(tp, e.Forward(tp, ids, 2, 3)) }
	gradcheck(t, "Embedding into LSTM", f, nodes(nn.Join(e, l)))
}

func TestDropoutModes(t *testing.T) {
	tp := autodiff.NewTape()
	x := tp.Const(tensor.New(100))
	x.Value.Fill(1)
	d := Dropout{Rate: 0.5}
	if y := d.Forward(tp, nn.Eval, x); y != x {
		t.Error("dropout changed its input in evaluation mode")
	}
	y := d.Forward(tp, nn.Training(nn.NewRNG(1)), x)
	zeros := 0
	for _, v := range y.Value.Data {
		if v == 0 {
			zeros++
		}
	}
	if zeros == 0 || zeros == 100 {
		t.Errorf("training-mode dropout zeroed %d of 100", zeros)
	}
}

func TestXavierNormalStd(t *testing.T) {
	l := NewLinear("l", 300, 100, false, nn.NewRNG(1))
	var s float64
	for _, v := range l.Weight.Value.Data {
		s += float64(v) * float64(v)
	}
	got := s / float64(l.Weight.Value.Len())
	want := 2.0 / 400
	if got < 0.95*want || got > 1.05*want {
		t.Errorf("Xavier-normal variance %.5f, want %.5f", got, want)
	}
}

func TestLSTMLengthsGradients(t *testing.T) {
	rng := nn.NewRNG(7)
	l := NewLSTM("lstm", 3, 2, rng)
	nn.Normal(l.BiasIH.Value, 0.5, rng)
	x := input(rng, 3, 4, 3)
	lengths := []int{4, 2, 0}
	f := func(tp *autodiff.Tape) *autodiff.Node { return l.ForwardLengths(tp, x, lengths) }
	gradcheck(t, "LSTM with lengths", f, append(nodes(l.Params()), x))
	// The padding is never read: changing it changes nothing.
	tp := autodiff.NewTape()
	before := l.ForwardLengths(tp, x, lengths).Value.Clone()
	x.Value.Data[(1*4+3)*3] += 5 // sample 1, step 3 (past its length 2)
	after := l.ForwardLengths(tp, x, lengths).Value
	for i := range before.Data {
		if before.Data[i] != after.Data[i] {
			t.Fatal("output depends on padding")
		}
	}
	for _, v := range after.Data[2*2:] { // length 0: the zero state
		if v != 0 {
			t.Fatalf("length-0 sample has state %v", after.Data[4:])
		}
	}
}

func TestLSTMSequenceGradients(t *testing.T) {
	rng := nn.NewRNG(8)
	l := NewLSTM("lstm", 3, 2, rng)
	nn.Normal(l.BiasIH.Value, 0.5, rng)
	x := input(rng, 3, 4, 3)
	for _, lengths := range [][]int{nil, {4, 2, 1}} {
		f := func(tp *autodiff.Tape) *autodiff.Node {
			hs, cs := l.Sequence(tp, x, lengths)
			return tp.Concat(tp.Reshape(hs, 3, 8), tp.Tanh(tp.Reshape(cs, 3, 8)))
		}
		gradcheck(t, "LSTM sequence", f, append(nodes(l.Params()), x))
	}
	// The last step of Sequence is Forward's result.
	tp := autodiff.NewTape()
	hs, _ := l.Sequence(tp, x, []int{4, 2, 1})
	last := l.ForwardLengths(tp, x, []int{4, 2, 1})
	for b := range 3 {
		for j := range 2 {
			if hs.Value.Data[(b*4+3)*2+j] != last.Value.Data[b*2+j] {
				t.Fatal("Sequence's last step differs from ForwardLengths")
			}
		}
	}
}

func TestLSTMStepGradientsAndAgreement(t *testing.T) {
	rng := nn.NewRNG(11)
	a := input(rng, 3, 8) // H = 2
	c0 := input(rng, 3, 2)
	f := func(tp *autodiff.Tape) *autodiff.Node {
		h, c := LSTMStep(tp, a, c0)
		return tp.Concat(h, tp.Tanh(c))
	}
	gradcheck(t, "LSTMStep", f, []*autodiff.Node{a, c0})
	// Two steps of LSTMStep with W_ih x_t + W_hh h_{t-1} + biases are LSTM's.
	l := NewLSTM("lstm", 3, 2, rng)
	nn.Normal(l.BiasIH.Value, 0.5, rng)
	x := input(rng, 4, 2, 3)
	tp := autodiff.NewTape()
	want := l.Forward(tp, x)
	h := tp.Const(tp.Alloc(4, 2))
	c := tp.Const(tp.Alloc(4, 2))
	for s := range 2 {
		xs := tp.SliceCols(tp.Reshape(x, 4, 6), 3*s, 3*s+3)
		pre := tp.Add(tp.Linear(xs, l.WeightIH.Node, l.BiasIH.Node), tp.Linear(h, l.WeightHH.Node, l.BiasHH.Node))
		h, c = LSTMStep(tp, pre, c)
	}
	for i, v := range want.Value.Data {
		if d := v - h.Value.Data[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("two LSTMSteps %v, LSTM %v", h.Value.Data, want.Value.Data)
		}
	}
}

func TestEmbeddingBagGradients(t *testing.T) {
	rng := nn.NewRNG(7)
	for _, pool := range []Pooling{Mean, L2} {
		e := NewEmbeddingBag("bag", 6, 3, 2, pool, rng)
		nn.Normal(e.Weight.Value, 1, rng)
		ids := []int32{2, 5, 5, 0, 1, 3, 4, 0, 0, 0, 0, 0}
		f := func(tp *autodiff.Tape) *autodiff.Node { return tp.Tanh(e.Forward(tp, ids, 4, []int{3, 3, 0})) }
		gradcheck(t, fmt.Sprint("EmbeddingBag, pooling ", pool), f, nodes(e.Params()))
	}
}

func TestEmbeddingBagIsTheMeanOfItsBag(t *testing.T) {
	// Bag 0: ids 2, 4, 4 and a skipped unknown id; bag 1: only padding and
	// unknown ids; the id past bag 0's length is not in it.
	for _, c := range []struct {
		pool Pooling
		div  float32 // bag 0's: 3 ids; counts 1 and 2
	}{{Mean, 3}, {L2, float32(math.Sqrt(1 + 4))}} {
		e := NewEmbeddingBag("bag", 5, 2, 2, c.pool, nn.NewRNG(8))
		copy(e.Weight.Value.Data, []float32{9, 9, 9, 9, 1, 2, 3, 4, 5, 6})
		y := e.Forward(autodiff.NewTape(), []int32{2, 1, 4, 4, 3, 1, 0, 0, 0, 0}, 5, []int{4, 2})
		want := []float32{(1 + 5 + 5) / c.div, (2 + 6 + 6) / c.div, 0, 0}
		for i, v := range want {
			if d := y.Value.Data[i] - v; d > 1e-5 || d < -1e-5 {
				t.Fatalf("pooling %d: bags = %v, want %v", c.pool, y.Value.Data, want)
			}
		}
	}
}

// BenchmarkEmbeddingBag is one forward and backward pass of a batch the
// size of the n-gram route's: 32 bags of up to 600 of 12,000 features, 100
// values each, feature ids Zipf-distributed as words are (so bags repeat
// some).
func BenchmarkEmbeddingBag(b *testing.B) {
	const B, L, V, D = 32, 600, 12000, 100
	rng := nn.NewRNG(1)
	zipf := rand.NewZipf(rng, 1.1, 1, V-3)
	ids := make([]int32, B*L)
	lengths := make([]int, B)
	for i := range B {
		lengths[i] = L/2 + rng.IntN(L/2)
		for j := range lengths[i] {
			ids[i*L+j] = int32(2 + zipf.Uint64())
		}
	}
	for _, pool := range []Pooling{Mean, L2} {
		b.Run(map[Pooling]string{Mean: "mean", L2: "l2"}[pool], func(b *testing.B) {
			e := NewEmbeddingBag("bag", V, D, 2, pool, rng)
			tp := autodiff.NewTape()
			for b.Loop() {
				y := e.Forward(tp, ids, L, lengths)
				tp.Backward(tp.Sum(y))
				tp.Reset()
			}
		})
	}
}

// The LSTM's three ways of running its steps (one goroutine projecting all
// steps at once, rows split between goroutines, inference reading its
// inputs in place) give the same bits: the outputs, and the gradients of
// the two that record.
func TestLSTMRowSplitsAndInferenceAgree(t *testing.T) {
	rng := nn.NewRNG(8)
	defer tensor.SetThreads(tensor.SetThreads(1))
	// 13 rows in equal shares; 301 of 12 units dealt out in chunks on two
	// goroutines (more than two chunks each) and in shares on three, the
	// cell's eight-unit blocks and its scalar tail both in use.
	for _, size := range []struct{ B, H int }{{13, 5}, {301, 12}} {
		l := NewLSTM("lstm", 7, size.H, rng)
		nn.Normal(l.BiasIH.Value, 0.5, rng)
		x := input(rng, size.B, 6, 7)
		lengths := make([]int, size.B)
		for b := range lengths {
			lengths[b] = []int{6, 2, 0, 5, 6, 1, 3, 6, 4, 6, 2, 6, 5}[b%13]
		}
		run := func(threads int, noGrad bool) (out []float32, grads [][]float32) {
			tensor.SetThreads(threads)
			tp := autodiff.NewTape()
			tp.NoGrad = noGrad
			y := l.ForwardLengths(tp, x, lengths)
			out = append(out, y.Value.Data...)
			if noGrad {
				return out, nil
			}
			params := append(nodes(l.Params()), x)
			for _, p := range params {
				p.ZeroGrad()
			}
			tp.Backward(tp.Sum(y))
			for _, p := range params {
				grads = append(grads, append([]float32(nil), p.Grad().Data...))
			}
			return out, grads
		}
		same := func(what string, a, b []float32) {
			t.Helper()
			for i := range a {
				if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
					t.Fatalf("B=%d H=%d, %s: element %d %v, against %v", size.B, size.H, what, i, b[i], a[i])
				}
			}
		}
		want, wantGrads := run(1, false)
		for _, threads := range []int{2, 3} {
			got, gotGrads := run(threads, false)
			same(fmt.Sprintf("outputs, rows split %d ways", threads), want, got)
			for i := range wantGrads {
				same(fmt.Sprintf("gradient %d, rows split %d ways", i, threads), wantGrads[i], gotGrads[i])
			}
		}
		for _, threads := range []int{1, 2, 3} {
			got, _ := run(threads, true)
			same(fmt.Sprintf("outputs, inference on %d goroutines", threads), want, got)
		}
	}
}

// parallelRows hands out every row exactly once, in equal shares and dealt
// out in chunks, for every goroutine count and batch size around the
// thresholds between them.
func TestParallelRowsCoversEachRowOnce(t *testing.T) {
	defer tensor.SetThreads(tensor.SetThreads(1))
	for _, threads := range []int{1, 2, 3} {
		tensor.SetThreads(threads)
		for _, rows := range []int{1, 5, 13, 2*threads*rowChunk - 1, 2 * threads * rowChunk, 2*threads*rowChunk + 1, 301, 686, 1000} {
			seen := make([]atomic.Int32, rows)
			parallelRows(rows, parallelWork, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			for i := range seen {
				if n := seen[i].Load(); n != 1 {
					t.Fatalf("%d goroutines, %d rows: row %d handed out %d times", threads, rows, i, n)
				}
			}
		}
	}
}
