package mathf

import "golang.org/x/sys/cpu"

// vector says whether the AVX2 kernels run on this CPU.
var vector = cpu.X86.HasAVX2

// sigmoidAVX2 sets x[i] = Sigmoid(x[i]) for the n values at x, n a
// multiple of 8.
//
//go:noescape
func sigmoidAVX2(x *float32, n int)

// tanhAVX2 sets x[i] = Tanh(x[i]) for the n values at x, n a multiple of 8.
//
//go:noescape
func tanhAVX2(x *float32, n int)

// lstmCellAVX2 is LSTMCell on the first n units (a multiple of 8) of each
// of rows rows: a's rows 4H values apart, cPrev's, c's, tanhC's and h's H.
//
//go:noescape
func lstmCellAVX2(a, cPrev, c, tanhC, h *float32, H, n, rows int)

// lstmCellGradAVX2 is LSTMCellGrad on the first n units (a multiple of 8)
// of each of rows rows, laid out as lstmCellAVX2's (da as gates).
//
//go:noescape
func lstmCellGradAVX2(gates, cPrev, tanhC, dh, dc, da *float32, H, n, rows int)

// expAVX2 sets x[i] = Exp(x[i]) for n values, n a multiple of 8.
//
//go:noescape
func expAVX2(x *float32, n int)
