package mathf

import "fmt"

// LSTMCell is the elementwise part of an LSTM step (layers.LSTM's gate
// order i, f, g, o) for B rows of H units. a holds each row's 4H gate
// pre-activations, B·4H values, which it replaces by the gate values
//
//	i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
//
// and it writes, for each of the B·H units,
//
//	c = f·cPrev + i·g   tanhC = tanh(c)   h = o·tanhC
//
// with Sigmoid's and Tanh's bits and each product rounded before the sum
// (no fused multiply-add). Where the CPU has AVX2, blocks of eight units
// run in assembly with the four gates' exponentials interleaved; the same
// bits. It panics if a slice is shorter than B rows.
func LSTMCell(a, cPrev, c, tanhC, h []float32, B, H int) {
	checkCell("LSTMCell", B, H, len(a), len(cPrev), len(c), len(tanhC), len(h))
	n := 0
	if vector && B > 0 {
		if n = H &^ 7; n > 0 {
			lstmCellAVX2(&a[0], &cPrev[0], &c[0], &tanhC[0], &h[0], H, n, B)
		}
	}
	if n == H {
		return
	}
	for b := range B {
		a, k := a[4*b*H:4*(b+1)*H], b*H
		for j := n; j < H; j++ {
			i, f, g, o := Sigmoid(a[j]), Sigmoid(a[H+j]), Tanh(a[2*H+j]), Sigmoid(a[3*H+j])
			a[j], a[H+j], a[2*H+j], a[3*H+j] = i, f, g, o
			c[k+j] = float32(f*cPrev[k+j]) + float32(i*g) // the conversions forbid fusing
			tanhC[k+j] = Tanh(c[k+j])
			h[k+j] = o * tanhC[k+j]
		}
	}
}

// LSTMCellGrad is LSTMCell's backward pass for B rows of H units. gates
// holds the gate values LSTMCell left in a, cPrev and tanhC what it read and
// wrote; dh and dc are the gradients arriving at h and c. It writes the
// gradients of the pre-activations into da (laid out as gates),
//
//	dc' = dc + dh·o·(1 - tanhC²)
//	da_i = dc'·g·i(1-i)   da_f = dc'·cPrev·f(1-f)   da_g = dc'·i(1-g²)   da_o = dh·tanhC·o(1-o)
//
// and replaces dc by the gradient of cPrev, dc'·f; each product rounded in
// turn from the left. Where the CPU has AVX2, blocks of eight units run in
// assembly, with the same bits. It panics if a slice is shorter than B
// rows.
func LSTMCellGrad(gates, cPrev, tanhC, dh, dc, da []float32, B, H int) {
	checkCell("LSTMCellGrad", B, H, len(gates), len(cPrev), len(da)/4, len(tanhC), len(dh), len(dc))
	n := 0
	if vector && B > 0 {
		if n = H &^ 7; n > 0 {
			lstmCellGradAVX2(&gates[0], &cPrev[0], &tanhC[0], &dh[0], &dc[0], &da[0], H, n, B)
		}
	}
	if n == H {
		return
	}
	for b := range B {
		gr, dr, k := gates[4*b*H:4*(b+1)*H], da[4*b*H:4*(b+1)*H], b*H
		for j := n; j < H; j++ {
			i, f, g, o := gr[j], gr[H+j], gr[2*H+j], gr[3*H+j]
			tc := tanhC[k+j]
			dct := dc[k+j] + float32(float32(dh[k+j]*o)*float32(1-float32(tc*tc)))
			dr[j] = float32(float32(dct*g)*i) * float32(1-i)
			dr[H+j] = float32(float32(dct*cPrev[k+j])*f) * float32(1-f)
			dr[2*H+j] = float32(dct*i) * float32(1-float32(g*g))
			dr[3*H+j] = float32(float32(dh[k+j]*tc)*o) * float32(1-o)
			dc[k+j] = dct * f
		}
	}
}

// checkCell panics unless the gate slice holds B rows of 4H values and
// each of the others B rows of H.
func checkCell(name string, B, H, gates int, others ...int) {
	if B < 0 || H < 0 || gates < 4*B*H {
		panic(fmt.Sprintf("mathf.%s: %d gate values for %d rows of %d units", name, gates, B, H))
	}
	for _, n := range others {
		if n < B*H {
			panic(fmt.Sprintf("mathf.%s: a slice of %d values for %d rows of %d units", name, n, B, H))
		}
	}
}
