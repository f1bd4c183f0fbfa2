// Package mathf has the float32 elementary functions the LSTM and the
// activations spend their time in: Exp, Sigmoid and Tanh. Exp reduces its
// argument by multiples of ln 2 and evaluates a degree-6 polynomial (the
// Cephes expf scheme), within 2 ulp of the float64 result over its domain
// and about twice as fast as going through math.Exp. SigmoidSlice and
// TanhSlice apply Sigmoid and Tanh to a slice eight values at a time, in
// AVX2 assembly where the CPU has it, with the same bits. LSTMCell and
// LSTMCellGrad are the LSTM step's elementwise part and its gradient, the
// four gates' exponentials evaluated together so that their dependency
// chains overlap, again with the scalar functions' bits.
package mathf

import "math"

const (
	log2e = 1.44269504088896341
	ln2Hi = 0.693359375      // ln 2 split in two so that n·ln2Hi is exact
	ln2Lo = -2.12194440e-4   //
	maxX  = 88.3762626647949 // exp overflows float32 beyond this
	minX  = -87.3365447505   // and underflows to subnormals below this
)

// Exp returns e**x in float32. Arguments beyond the float32 range saturate
// at +Inf or 0; NaN returns NaN.
func Exp(x float32) float32 {
	switch {
	case x != x:
		return x
	case x > maxX:
		return float32(math.Inf(1))
	case x < minX:
		return 0
	}
	// Each product is converted before it is added, which forbids the
	// compiler to fuse the two (as it may where the CPU has FMA, GOAMD64=v3):
	// the vector code rounds each product too.
	v := float32(x*log2e) + 0.5
	i := int32(v) // floor(v): truncation, corrected below for negative v
	if float32(i) > v {
		i--
	}
	n := float32(i)
	r := x - float32(n*ln2Hi) - float32(n*ln2Lo)
	p := float32(1.9875691500e-4)
	p = float32(p*r) + 1.3981999507e-3
	p = float32(p*r) + 8.3334519073e-3
	p = float32(p*r) + 4.1665795894e-2
	p = float32(p*r) + 1.6666665459e-1
	p = float32(p*r) + 5.0000001201e-1
	e := float32(float32(p*r)*r) + r + 1
	return e * math.Float32frombits(uint32(i+127)<<23)
}

// Sigmoid returns 1/(1+e**-x).
func Sigmoid(x float32) float32 {
	if x >= 0 {
		return 1 / (1 + Exp(-x))
	}
	e := Exp(x)
	return e / (1 + e)
}

// Tanh returns the hyperbolic tangent of x, as 1 - 2/(e**2|x| + 1) with the
// sign of x (absolute error below 1e-7).
func Tanh(x float32) float32 {
	if x > 9 { // tanh(9) rounds to 1 in float32
		return 1
	}
	if x < -9 {
		return -1
	}
	if x >= 0 {
		return 1 - 2/(Exp(2*x)+1)
	}
	return 2/(Exp(-2*x)+1) - 1
}
