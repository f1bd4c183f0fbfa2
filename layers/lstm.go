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
// with h_0 = c_0 = 0. The input projection W_ih x_t of all time steps is one
// matrix product, and the four gates of a step come from one product with
// W_hh. The forward and backward passes are one fused tape operation.
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
	wih, whh, bih, bhh := l.WeightIH.Node, l.WeightHH.Node, l.BiasIH.Node, l.BiasHH.Node
	out := tp.NewOutput([]int{B, H}, x, wih, whh, bih, bhh)
	if T == 0 {
		return out
	}

	// Time-major copy of the input, so that each step's rows are contiguous.
	xt := tp.Alloc(T, B, I)
	for b := range B {
		for t := range T {
			copy(xt.Data[(t*B+b)*I:(t*B+b+1)*I], x.Value.Data[(b*T+t)*I:(b*T+t+1)*I])
		}
	}
	// acts holds the pre-activations, then (in place) the gate values
	// i, f, g, o of every step: (T, B, 4H). One product for all steps.
	acts := tp.Alloc(T, B, G)
	bias := acts.Data[:G]
	for j := range G {
		bias[j] = bih.Value.Data[j] + bhh.Value.Data[j]
	}
	for r := 1; r < T*B; r++ {
		copy(acts.Data[r*G:(r+1)*G], bias)
	}
	tensor.MatMul(false, true, 1, xt, wih.Value, 1, acts)

	// hs and cs hold h_t and c_t for t = 0..T (index 0 is the zero state).
	hs := tp.Alloc(T+1, B, H)
	cs := tp.Alloc(T+1, B, H)
	for t := range T {
		hPrev := tensor.From(hs.Data[t*B*H:(t+1)*B*H], B, H)
		a := tensor.From(acts.Data[t*B*G:(t+1)*B*G], B, G)
		tensor.MatMul(false, true, 1, hPrev, whh.Value, 1, a) // the four gates in one product
		cPrev := cs.Data[t*B*H : (t+1)*B*H]
		c := cs.Data[(t+1)*B*H : (t+2)*B*H]
		h := hs.Data[(t+1)*B*H : (t+2)*B*H]
		parallelRows(B, B*H, func(lo, hi int) {
			lstmCell(a.Data[lo*G:hi*G], cPrev[lo*H:hi*H], c[lo*H:hi*H], h[lo*H:hi*H], hi-lo, H)
		})
		for b, n := range lengths { // past its end a sample keeps its state
			if t >= n {
				copy(c[b*H:(b+1)*H], cPrev[b*H:(b+1)*H])
				copy(h[b*H:(b+1)*H], hPrev.Data[b*H:(b+1)*H])
			}
		}
	}
	copy(out.Value.Data, hs.Data[T*B*H:])

	tp.AddBackward(out, func() {
		// dacts: gradients of the pre-activations, (T, B, 4H).
		dacts := tp.Alloc(T, B, G)
		dh := tp.Alloc(B, H)
		copy(dh.Data, out.Grad().Data)
		dc := make([]float32, B*H)
		var dcKeep, dhKeep []float32
		if lengths != nil {
			dcKeep, dhKeep = make([]float32, B*H), make([]float32, B*H)
		}
		for t := T - 1; t >= 0; t-- {
			if lengths != nil {
				copy(dcKeep, dc)
			}
			gates, da := acts.Data[t*B*G:(t+1)*B*G], dacts.Data[t*B*G:(t+1)*B*G]
			cPrev, c := cs.Data[t*B*H:(t+1)*B*H], cs.Data[(t+1)*B*H:(t+2)*B*H]
			parallelRows(B, B*H, func(lo, hi int) {
				lstmCellBackward(gates[lo*G:hi*G], cPrev[lo*H:hi*H], c[lo*H:hi*H], dh.Data[lo*H:hi*H], dc[lo*H:hi*H], da[lo*G:hi*G], hi-lo, H)
			})
			for b, n := range lengths { // a padded step passed h and c through unchanged
				if t >= n {
					clear(da[b*G : (b+1)*G])
					copy(dc[b*H:(b+1)*H], dcKeep[b*H:(b+1)*H])
					copy(dhKeep[b*H:(b+1)*H], dh.Data[b*H:(b+1)*H])
				}
			}
			// dh_{t-1} = da_t · W_hh (and, for padded rows, dh_t itself)
			tensor.MatMul(false, false, 1, tensor.From(da, B, G), whh.Value, 0, dh)
			for b, n := range lengths {
				if t >= n {
					copy(dh.Data[b*H:(b+1)*H], dhKeep[b*H:(b+1)*H])
				}
			}
		}
		hPrev := tensor.From(hs.Data[:T*B*H], T*B, H)
		if whh.RequiresGrad() { // dW_hh += Σ_t da_tᵀ h_{t-1}
			tensor.MatMul(true, false, 1, dacts, hPrev, 1, whh.AccumGrad())
		}
		if wih.RequiresGrad() { // dW_ih += Σ_t da_tᵀ x_t
			tensor.MatMul(true, false, 1, dacts, xt, 1, wih.AccumGrad())
		}
		if bih.RequiresGrad() || bhh.RequiresGrad() {
			db := make([]float32, G)
			for r := 0; r < T*B; r++ {
				for j, v := range dacts.Data[r*G : (r+1)*G] {
					db[j] += v
				}
			}
			for _, b := range []*autodiff.Node{bih, bhh} {
				if b.RequiresGrad() {
					gb := b.AccumGrad().Data
					for j, v := range db {
						gb[j] += v
					}
				}
			}
		}
		if x.RequiresGrad() { // dx_t = da_t · W_ih, back to batch-major
			dxt := tp.Alloc(T, B, I)
			tensor.MatMul(false, false, 1, dacts, wih.Value, 0, dxt)
			gx := x.AccumGrad().Data
			for b := range B {
				for t := range T {
					dst := gx[(b*T+t)*I : (b*T+t+1)*I]
					for k, v := range dxt.Data[(t*B+b)*I : (t*B+b+1)*I] {
						dst[k] += v
					}
				}
			}
		}
	})
	return out
}

// lstmCell turns the pre-activations a (B, 4H) into gate values in place and
// computes c and h from cPrev.
func lstmCell(a, cPrev, c, h []float32, B, H int) {
	G := 4 * H
	for b := range B {
		row := a[b*G : (b+1)*G]
		for j := range H {
			i := mathf.Sigmoid(row[j])
			f := mathf.Sigmoid(row[H+j])
			g := mathf.Tanh(row[2*H+j])
			o := mathf.Sigmoid(row[3*H+j])
			row[j], row[H+j], row[2*H+j], row[3*H+j] = i, f, g, o
			ct := f*cPrev[b*H+j] + i*g
			c[b*H+j] = ct
			h[b*H+j] = o * mathf.Tanh(ct)
		}
	}
}

// lstmCellBackward takes the gradient dh of h_t and dc of c_t (carried from
// step t+1) and writes the gradient of the pre-activations into da; on
// return dc holds the gradient of c_{t-1}. gates holds i, f, g, o of step t.
func lstmCellBackward(gates, cPrev, c, dh, dc, da []float32, B, H int) {
	G := 4 * H
	for b := range B {
		gr, dr := gates[b*G:(b+1)*G], da[b*G:(b+1)*G]
		for j := range H {
			k := b*H + j
			i, f, g, o := gr[j], gr[H+j], gr[2*H+j], gr[3*H+j]
			tc := mathf.Tanh(c[k])
			dct := dc[k] + dh[k]*o*(1-tc*tc)
			dr[j] = dct * g * i * (1 - i)          // ∂/∂a_i
			dr[H+j] = dct * cPrev[k] * f * (1 - f) // ∂/∂a_f
			dr[2*H+j] = dct * i * (1 - g*g)        // ∂/∂a_g
			dr[3*H+j] = dh[k] * tc * o * (1 - o)   // ∂/∂a_o
			dc[k] = dct * f                        // to c_{t-1}
		}
	}
}
