package mathf

// SigmoidSlice replaces each x[i] by Sigmoid(x[i]), eight at a time with
// AVX2 where the CPU has it. The results are the same bits as Sigmoid's.
func SigmoidSlice(x []float32) {
	n := 0
	if vector {
		if n = len(x) &^ 7; n > 0 {
			sigmoidAVX2(&x[0], n)
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = Sigmoid(x[i])
	}
}

// TanhSlice replaces each x[i] by Tanh(x[i]), eight at a time with AVX2
// where the CPU has it. The results are the same bits as Tanh's.
func TanhSlice(x []float32) {
	n := 0
	if vector {
		if n = len(x) &^ 7; n > 0 {
			tanhAVX2(&x[0], n)
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = Tanh(x[i])
	}
}
