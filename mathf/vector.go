package mathf

// ExpSlice replaces each x[i] by Exp(x[i]), eight at a time with AVX2
// where the CPU has it. The results are the same bits as Exp's.
func ExpSlice(x []float32) { inPlace(x, expAVX2, Exp) }

// SigmoidSlice replaces each x[i] by Sigmoid(x[i]), eight at a time with
// AVX2 where the CPU has it. The results are the same bits as Sigmoid's.
func SigmoidSlice(x []float32) { inPlace(x, sigmoidAVX2, Sigmoid) }

// TanhSlice replaces each x[i] by Tanh(x[i]), eight at a time with AVX2
// where the CPU has it. The results are the same bits as Tanh's.
func TanhSlice(x []float32) { inPlace(x, tanhAVX2, Tanh) }

// inPlace applies a vector kernel to the leading multiple of 8 of x, where
// the CPU has AVX2, and its scalar function to the rest.
func inPlace(x []float32, kernel func(x *float32, n int), scalar func(float32) float32) {
	n := 0
	if vector {
		if n = len(x) &^ 7; n > 0 {
			kernel(&x[0], n)
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = scalar(x[i])
	}
}
