#include "textflag.h"

// Each loop takes 32 values a pass while at least 32 remain, then 8.

// func addAVX2(dst, src *float32, n int)
TEXT ·addAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	SHLQ $2, CX

add32:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $128
	JL   add8
	VMOVUPS (DI)(AX*1), Y0
	VMOVUPS 32(DI)(AX*1), Y1
	VMOVUPS 64(DI)(AX*1), Y2
	VMOVUPS 96(DI)(AX*1), Y3
	VADDPS (SI)(AX*1), Y0, Y0
	VADDPS 32(SI)(AX*1), Y1, Y1
	VADDPS 64(SI)(AX*1), Y2, Y2
	VADDPS 96(SI)(AX*1), Y3, Y3
	VMOVUPS Y0, (DI)(AX*1)
	VMOVUPS Y1, 32(DI)(AX*1)
	VMOVUPS Y2, 64(DI)(AX*1)
	VMOVUPS Y3, 96(DI)(AX*1)
	ADDQ $128, AX
	JMP  add32

add8:
	CMPQ AX, CX
	JGE  adddone
	VMOVUPS (DI)(AX*1), Y0
	VADDPS (SI)(AX*1), Y0, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	JMP  add8

adddone:
	VZEROUPPER
	RET

// func addScaledAVX2(dst *float32, a float32, src *float32, n int)
// dst += a·src: a rounded product, then the sum.
TEXT ·addScaledAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	VBROADCASTSS a+8(FP), Y8
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	XORQ AX, AX
	SHLQ $2, CX

axpy32:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $128
	JL   axpy8
	VMULPS (SI)(AX*1), Y8, Y0
	VMULPS 32(SI)(AX*1), Y8, Y1
	VMULPS 64(SI)(AX*1), Y8, Y2
	VMULPS 96(SI)(AX*1), Y8, Y3
	VADDPS (DI)(AX*1), Y0, Y0
	VADDPS 32(DI)(AX*1), Y1, Y1
	VADDPS 64(DI)(AX*1), Y2, Y2
	VADDPS 96(DI)(AX*1), Y3, Y3
	VMOVUPS Y0, (DI)(AX*1)
	VMOVUPS Y1, 32(DI)(AX*1)
	VMOVUPS Y2, 64(DI)(AX*1)
	VMOVUPS Y3, 96(DI)(AX*1)
	ADDQ $128, AX
	JMP  axpy32

axpy8:
	CMPQ AX, CX
	JGE  axpydone
	VMULPS (SI)(AX*1), Y8, Y0
	VADDPS (DI)(AX*1), Y0, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	JMP  axpy8

axpydone:
	VZEROUPPER
	RET

// func scaleAVX2(dst *float32, a float32, src *float32, n int)
TEXT ·scaleAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	VBROADCASTSS a+8(FP), Y8
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	XORQ AX, AX
	SHLQ $2, CX

scale32:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $128
	JL   scale8
	VMULPS (SI)(AX*1), Y8, Y0
	VMULPS 32(SI)(AX*1), Y8, Y1
	VMULPS 64(SI)(AX*1), Y8, Y2
	VMULPS 96(SI)(AX*1), Y8, Y3
	VMOVUPS Y0, (DI)(AX*1)
	VMOVUPS Y1, 32(DI)(AX*1)
	VMOVUPS Y2, 64(DI)(AX*1)
	VMOVUPS Y3, 96(DI)(AX*1)
	ADDQ $128, AX
	JMP  scale32

scale8:
	CMPQ AX, CX
	JGE  scaledone
	VMULPS (SI)(AX*1), Y8, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	JMP  scale8

scaledone:
	VZEROUPPER
	RET
