package layers

import "math"

// tanh32 is tanh in float32 through the float64 math library.
func tanh32(x float32) float32 { return float32(math.Tanh(float64(x))) }
