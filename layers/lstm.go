package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/mathf"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// LSTM is a one-layer LSTM (Hochreiter and Schmidhuber 1997) in PyTorch's
// layout and gate order (i, f, g, o):
//
//	a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh      (4H pre-activations)
//	i = σ(a[0:H])   f = σ(a[H:2H])   g = tanh(a[2H:3H])   o = σ(a[3H:4H])
//	c_t = f ∘ c_{t-1} + i ∘ g
//	h_t = o ∘ tanh(c_t)
//
// with h_0 = c_0 = 0. The batch rows recur independently, so the rows are
// split between goroutines, each running all T steps for its own rows; on
// one goroutine the input projection W_ih x_t of all steps is one matrix
// product. The four gates of a step come from one product with W_hh. The
// forward and backward passes are one fused tape operation.
type LSTM struct {
	WeightIH *nn.Param // (4H, I)
	WeightHH *nn.Param // (4H, H)
	BiasIH   *nn.Param // (4H)
	BiasHH   *nn.Param // (4H)
}

// NewLSTM returns an LSTM from in to hidden units named like torch.nn.LSTM's
// parameters (name.weight_ih_l0, ...), with Xavier-normal weights and zero
// biases.
func NewLSTM(name string, in, hidden int, rng *rand.Rand) *LSTM {
	l := &LSTM{
		WeightIH: nn.NewParam(name+".weight_ih_l0", 4*hidden, in),
		WeightHH: nn.NewParam(name+".weight_hh_l0", 4*hidden, hidden),
		BiasIH:   nn.NewParam(name+".bias_ih_l0", 4*hidden),
		BiasHH:   nn.NewParam(name+".bias_hh_l0", 4*hidden),
	}
	nn.XavierNormal(l.WeightIH.Value, in, 4*hidden, rng)
	nn.XavierNormal(l.WeightHH.Value, hidden, 4*hidden, rng)
	return l
}

// Hidden is the number of hidden units H.
func (l *LSTM) Hidden() int { return l.WeightHH.Value.Shape[1] }

// Params returns the four parameters in PyTorch's order.
func (l *LSTM) Params() []*nn.Param {
	return []*nn.Param{l.WeightIH, l.WeightHH, l.BiasIH, l.BiasHH}
}

// Forward runs the LSTM over x of shape (B, T, I) and returns the final
// hidden state h_T, of shape (B, H).
func (l *LSTM) Forward(tp *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
	return l.ForwardLengths(tp, x, nil)
}

// ForwardLengths is Forward for padded sequences: sample b has lengths[b]
// valid steps, and its result is the hidden state after its last valid step
// (as PyTorch's pack_padded_sequence gives); the padding is never read.
// lengths nil means every step is valid.
func (l *LSTM) ForwardLengths(tp *autodiff.Tape, x *autodiff.Node, lengths []int) *autodiff.Node {
	r := l.run(tp, x, lengths)
	out := tp.NewOutput([]int{r.B, r.H}, x, r.wih, r.whh, r.bih, r.bhh)
	copy(out.Value.Data, r.hs.Data[r.T*r.B*r.H:])
	tp.AddBackward(out, func() { r.backward(tp, out.Grad(), nil, nil) })
	return out
}

// Sequence runs the LSTM over x (B, T, I) and returns every step's hidden
// state h_t and cell state c_t, each (B, T, H); past a sample's length its
// state stays that of its last valid step. Gradients may reach either.
func (l *LSTM) Sequence(tp *autodiff.Tape, x *autodiff.Node, lengths []int) (hs, cs *autodiff.Node) {
	r := l.run(tp, x, lengths)
	B, T, H := r.B, r.T, r.H
	hs = tp.NewOutput([]int{B, T, H}, x, r.wih, r.whh, r.bih, r.bhh)
	cs = tp.NewOutput([]int{B, T, H}, x, r.wih, r.whh, r.bih, r.bhh)
	for t := range T { // time-major (T+1, B, H) state 1+t -> batch-major (B, T, H)
		for b := range B {
			copy(hs.Value.Data[(b*T+t)*H:(b*T+t+1)*H], r.hs.Data[((t+1)*B+b)*H:((t+1)*B+b+1)*H])
			copy(cs.Value.Data[(b*T+t)*H:(b*T+t+1)*H], r.cs.Data[((t+1)*B+b)*H:((t+1)*B+b+1)*H])
		}
	}
	tp.AddBackwardMulti([]*autodiff.Node{hs, cs}, func() { r.backward(tp, nil, hs.Grad(), cs.Grad()) })
	return hs, cs
}

// lstmRun is one forward pass, kept for its backward pass.
type lstmRun struct {
	B, T, I, H            int
	lengths               []int
	x, wih, whh, bih, bhh *autodiff.Node
	xt, acts, hs, cs      *tensor.Tensor // time-major input, gate values, states (T+1, B, H)
	tanhCs                *tensor.Tensor // tanh(c_t) of each step (T, B, H), for the backward pass
	actSteps              int            // the steps acts and tanhCs hold: T, or 1 in inference
}

// run computes the LSTM's states over x.
func (l *LSTM) run(tp *autodiff.Tape, x *autodiff.Node, lengths []int) *lstmRun {
	xs := x.Shape()
	H := l.Hidden()
	I := l.WeightIH.Value.Shape[1]
	if len(xs) != 3 || xs[2] != I {
		panic(fmt.Sprintf("layers.LSTM: input %s, want (batch, time, %d)", tensor.ShapeString(xs), I))
	}
	B, T, G := xs[0], xs[1], 4*H
	if lengths != nil {
		if len(lengths) != B {
			panic(fmt.Sprintf("layers.LSTM: %d lengths for a batch of %d", len(lengths), B))
		}
		for _, n := range lengths {
			if n < 0 || n > T {
				panic(fmt.Sprintf("layers.LSTM: length %d outside [0, %d]", n, T))
			}
		}
	}
	r := &lstmRun{B: B, T: T, I: I, H: H, lengths: lengths, x: x,
		wih: l.WeightIH.Node, whh: l.WeightHH.Node, bih: l.BiasIH.Node, bhh: l.BiasHH.Node}
	// hs and cs hold h_t and c_t for t = 0..T (index 0 is the zero state).
	// Every buffer below is written in full before it is read (the states
	// from step 1 on, by the cell), so only the zero state is cleared.
	r.hs = tp.AllocUnset(T+1, B, H)
	r.cs = tp.AllocUnset(T+1, B, H)
	clear(r.hs.Data[:B*H])
	clear(r.cs.Data[:B*H])
	if T == 0 {
		return r
	}
	// acts holds the pre-activations, then (in place) the gate values
	// i, f, g, o of every step: (T, B, 4H), and tanhCs tanh(c_t), for the
	// backward pass. Inference keeps one step's worth (actSteps 1), which
	// each block of rows that forwardRows runs reuses for all its steps
	// and which stays in the cache.
	r.actSteps = T
	if tp.NoGrad {
		r.actSteps = 1
	}
	r.acts = tp.AllocUnset(r.actSteps, B, G)
	r.tanhCs = tp.AllocUnset(r.actSteps, B, H)
	bias := make([]float32, G)
	for j := range G {
		bias[j] = r.bih.Value.Data[j] + r.bhh.Value.Data[j]
	}
	// The backward pass needs the input time-major (x_t of all steps as one
	// matrix); inference reads each step's rows where they are.
	if !tp.NoGrad {
		r.xt = tp.AllocUnset(T, B, I)
	}
	wih := tensor.Pack(true, r.wih.Value) // both packed once for the T steps
	defer wih.Release()
	whh := tensor.Pack(true, r.whh.Value)
	defer whh.Release()
	// The rows of the batch recur independently, so each goroutine runs
	// all T steps for its own rows, with no step waiting for another
	// goroutine's rows; a row's sums are the same whichever block it is in.
	parallelRows(B, B*T*G, func(lo, hi int) { r.forwardRows(lo, hi, bias, wih, whh) })
	return r
}

// forwardRows runs the T steps for batch rows [lo, hi): for each step the
// pre-activations a_t = b_ih + b_hh + x_t W_ihᵀ + h_{t-1} W_hhᵀ (added in
// that order), then the cell.
func (r *lstmRun) forwardRows(lo, hi int, bias []float32, wih, whh *tensor.Packed) {
	B, T, I, H, G := r.B, r.T, r.I, r.H, 4*r.H
	n := hi - lo
	x := r.x.Value.Data
	// Training on one goroutine: the input projection of every step in one
	// product of T·B rows, which leaves fewer partial tiles of the kernel
	// than T products of B rows.
	allSteps := lo == 0 && hi == B && r.xt != nil
	if allSteps {
		for t := range T {
			r.timeMajor(t, 0, B)
		}
		r.acts.FillRows(bias)
		tensor.MatMulPackedSerial(false, 1, r.xt, wih, 1, r.acts)
	}
	for t := range T {
		ts := t % r.actSteps // the step's place in acts and tanhCs
		a := tensor.From(r.acts.Data[(ts*B+lo)*G:(ts*B+hi)*G], n, G)
		tanhC := r.tanhCs.Data[(ts*B+lo)*H : (ts*B+hi)*H]
		switch {
		case allSteps: // projected above
		case r.xt != nil: // x_t of these rows, contiguous in the time-major copy
			a.FillRows(bias)
			tensor.MatMulPackedSerial(false, 1, tensor.From(r.timeMajor(t, lo, hi), n, I), wih, 1, a)
		default: // read in place: row b of x_t is x[b, t, :], T·I values apart
			a.FillRows(bias)
			tensor.MatMulPackedRows(1, x[(lo*T+t)*I:], n, I, T*I, wih, 1, a)
		}
		hPrev := tensor.From(r.hs.Data[(t*B+lo)*H:(t*B+hi)*H], n, H)
		tensor.MatMulPackedSerial(false, 1, hPrev, whh, 1, a) // the four gates in one product
		cPrev := r.cs.Data[(t*B+lo)*H : (t*B+hi)*H]
		c := r.cs.Data[((t+1)*B+lo)*H : ((t+1)*B+hi)*H]
		h := r.hs.Data[((t+1)*B+lo)*H : ((t+1)*B+hi)*H]
		mathf.LSTMCell(a.Data, cPrev, c, tanhC, h, n, H) // gates in place, c, tanh(c), h
		if r.lengths == nil {
			continue
		}
		for b := lo; b < hi; b++ { // past its end a sample keeps its state
			if t >= r.lengths[b] {
				i := b - lo
				copy(c[i*H:(i+1)*H], cPrev[i*H:(i+1)*H])
				copy(h[i*H:(i+1)*H], hPrev.Data[i*H:(i+1)*H])
			}
		}
	}
}

// timeMajor copies x_t of batch rows [lo, hi) into the time-major copy
// r.xt and returns those rows of it.
func (r *lstmRun) timeMajor(t, lo, hi int) []float32 {
	B, T, I := r.B, r.T, r.I
	x, xr := r.x.Value.Data, r.xt.Data[(t*B+lo)*I:(t*B+hi)*I]
	for b := lo; b < hi; b++ {
		copy(xr[(b-lo)*I:(b-lo+1)*I], x[(b*T+t)*I:(b*T+t+1)*I])
	}
	return xr
}

// backward propagates gradients into the LSTM's inputs and parameters:
// dFinal of h_T (B, H), and dHs, dCs of every step's states (B, T, H); any
// may be nil.
func (r *lstmRun) backward(tp *autodiff.Tape, dFinal, dHs, dCs *tensor.Tensor) {
	B, T, I, H, G := r.B, r.T, r.I, r.H, 4*r.H
	if T == 0 {
		return
	}
	// dacts: gradients of the pre-activations, (T, B, 4H).
	dacts := tp.AllocUnset(T, B, G)        // every element written by the cell's backward
	whh := tensor.Pack(false, r.whh.Value) // once for the T steps
	defer whh.Release()
	// The chain dh_t -> dh_{t-1} is per batch row, so each goroutine runs it
	// for its own rows, as the forward pass does; the weights' gradients
	// then sum over all rows and steps in single products.
	parallelRows(B, B*T*G, func(lo, hi int) { r.backwardRows(lo, hi, dFinal, dHs, dCs, dacts, whh) })
	hPrev := tensor.From(r.hs.Data[:T*B*H], T*B, H)
	if r.whh.RequiresGrad() { // dW_hh += Σ_t da_tᵀ h_{t-1}
		tensor.MatMul(true, false, 1, dacts, hPrev, 1, r.whh.AccumGrad())
	}
	if r.wih.RequiresGrad() { // dW_ih += Σ_t da_tᵀ x_t
		tensor.MatMul(true, false, 1, dacts, r.xt, 1, r.wih.AccumGrad())
	}
	if r.bih.RequiresGrad() || r.bhh.RequiresGrad() {
		db := make([]float32, G)
		for i := 0; i < T*B; i++ {
			tensor.Accumulate(db, dacts.Data[i*G:(i+1)*G])
		}
		for _, b := range []*autodiff.Node{r.bih, r.bhh} {
			if b.RequiresGrad() {
				tensor.Accumulate(b.AccumGrad().Data, db)
			}
		}
	}
	if r.x.RequiresGrad() { // dx_t = da_t · W_ih, back to batch-major
		dxt := tp.AllocUnset(T, B, I) // the product below writes it whole (beta 0)
		tensor.MatMul(false, false, 1, dacts, r.wih.Value, 0, dxt)
		gx := r.x.AccumGrad().Data
		for b := range B {
			for t := range T {
				tensor.Accumulate(gx[(b*T+t)*I:(b*T+t+1)*I], dxt.Data[(t*B+b)*I:(t*B+b+1)*I])
			}
		}
	}
}

// backwardRows runs the chain of step gradients, from step T-1 down to 0,
// for batch rows [lo, hi), writing their pre-activation gradients into
// dacts.
func (r *lstmRun) backwardRows(lo, hi int, dFinal, dHs, dCs, dacts *tensor.Tensor, whh *tensor.Packed) {
	B, T, H, G := r.B, r.T, r.H, 4*r.H
	n := hi - lo
	lengths := r.lengths
	dh, dc := make([]float32, n*H), make([]float32, n*H)
	if dFinal != nil {
		copy(dh, dFinal.Data[lo*H:hi*H])
	}
	var dcKeep, dhKeep []float32
	if lengths != nil {
		dcKeep, dhKeep = make([]float32, n*H), make([]float32, n*H)
	}
	for t := T - 1; t >= 0; t-- {
		for b := lo; b < hi; b++ { // gradients arriving at step t's outputs
			i := b - lo
			if dHs != nil {
				tensor.Accumulate(dh[i*H:(i+1)*H], dHs.Data[(b*T+t)*H:(b*T+t+1)*H])
			}
			if dCs != nil {
				tensor.Accumulate(dc[i*H:(i+1)*H], dCs.Data[(b*T+t)*H:(b*T+t+1)*H])
			}
		}
		if lengths != nil {
			copy(dcKeep, dc)
		}
		gates, da := r.acts.Data[(t*B+lo)*G:(t*B+hi)*G], dacts.Data[(t*B+lo)*G:(t*B+hi)*G]
		cPrev, tc := r.cs.Data[(t*B+lo)*H:(t*B+hi)*H], r.tanhCs.Data[(t*B+lo)*H:(t*B+hi)*H]
		// the pre-activations' gradients; dc becomes that of c_{t-1}
		mathf.LSTMCellGrad(gates, cPrev, tc, dh, dc, da, n, H)
		for b := lo; b < hi && lengths != nil; b++ { // a padded step passed h and c through unchanged
			if i := b - lo; t >= lengths[b] {
				clear(da[i*G : (i+1)*G])
				copy(dc[i*H:(i+1)*H], dcKeep[i*H:(i+1)*H])
				copy(dhKeep[i*H:(i+1)*H], dh[i*H:(i+1)*H])
			}
		}
		// dh_{t-1} = da_t · W_hh (and, for padded rows, dh_t itself)
		tensor.MatMulPackedSerial(false, 1, tensor.From(da, n, G), whh, 0, tensor.From(dh, n, H))
		for b := lo; b < hi && lengths != nil; b++ {
			if i := b - lo; t >= lengths[b] {
				copy(dh[i*H:(i+1)*H], dhKeep[i*H:(i+1)*H])
			}
		}
	}
}
