#include "textflag.h"

// func adamAVX2(theta, grad, m, v *float32, n int, k *constants)
// Adam's update of n values (a multiple of 8), eight at a time, step by step
// as the scalar loop in adam.go does it (no fused multiply-add; VSQRTPS is
// the correctly rounded float32 square root, as float32(math.Sqrt(float64))
// is), so the bits are the same. k holds β1, 1-β1, β2, 1-β2, sqrt(1-β2ᵗ),
// ε, the step size and the weight decay λ, applied when it is not ±0 (as
// the scalar loop's λ != 0).
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ theta+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	VBROADCASTSS 0(AX), Y8
	VBROADCASTSS 4(AX), Y9
	VBROADCASTSS 8(AX), Y10
	VBROADCASTSS 12(AX), Y11
	VBROADCASTSS 16(AX), Y12
	VBROADCASTSS 20(AX), Y13
	VBROADCASTSS 24(AX), Y14
	VBROADCASTSS 28(AX), Y15
	MOVL 28(AX), DX
	ANDL $0x7fffffff, DX
	SHRQ $3, CX
	JZ   done

loop:
	VMOVUPS (SI), Y0
	VMOVUPS (DI), Y1
	TESTL DX, DX
	JZ    nodecay
	VMULPS Y1, Y15, Y2
	VADDPS Y2, Y0, Y0

nodecay:
	VMULPS  (R8), Y8, Y2
	VMULPS  Y0, Y9, Y3
	VADDPS  Y3, Y2, Y2
	VMOVUPS Y2, (R8)
	VMULPS  (R9), Y10, Y3
	VMULPS  Y0, Y11, Y4
	VMULPS  Y0, Y4, Y4
	VADDPS  Y4, Y3, Y3
	VMOVUPS Y3, (R9)
	VSQRTPS Y3, Y4
	VDIVPS  Y12, Y4, Y4
	VADDPS  Y13, Y4, Y4
	VMULPS  Y2, Y14, Y5
	VDIVPS  Y4, Y5, Y5
	VSUBPS  Y5, Y1, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, R8
	ADDQ    $32, R9
	DECQ    CX
	JNZ     loop

done:
	VZEROUPPER
	RET
