#include "textflag.h"

// The constants of Exp (mathf.go), as float32 bits, and of Sigmoid and Tanh.
DATA consts<>+0(SB)/4, $0x3fb8aa3b  // log2e
DATA consts<>+4(SB)/4, $0x3f000000  // 0.5
DATA consts<>+8(SB)/4, $0x3f318000  // ln2Hi
DATA consts<>+12(SB)/4, $0xb95e8083 // ln2Lo
DATA consts<>+16(SB)/4, $0x39506967 // the polynomial's coefficients, highest first
DATA consts<>+20(SB)/4, $0x3ab743ce
DATA consts<>+24(SB)/4, $0x3c088908
DATA consts<>+28(SB)/4, $0x3d2aa9c1
DATA consts<>+32(SB)/4, $0x3e2aaaaa
DATA consts<>+36(SB)/4, $0x3f000000
DATA consts<>+40(SB)/4, $0x3f800000 // 1
DATA consts<>+44(SB)/4, $0x42b0c0a5 // maxX
DATA consts<>+48(SB)/4, $0xc2aeac50 // minX
DATA consts<>+52(SB)/4, $127        // the exponent's bias (an integer)
DATA consts<>+56(SB)/4, $0x80000000 // the sign bit
DATA consts<>+60(SB)/4, $0x40000000 // 2
DATA consts<>+64(SB)/4, $0x41100000 // 9
DATA consts<>+68(SB)/4, $0xc1100000 // -9
DATA consts<>+72(SB)/4, $0xbf800000 // -1
DATA consts<>+76(SB)/4, $0x7f800000 // +Inf
GLOBL consts<>(SB), RODATA|NOPTR, $80

// EXP sets E to Exp(X) in eight lanes, step by step as the scalar Exp does
// (no fused multiply-add, so the bits agree): n = floor(x·log2e + 1/2),
// r = x - n·ln2Hi - n·ln2Lo, p(r) by Horner, e = p·r·r + r + 1, times 2^n;
// x > maxX gives +Inf and x < minX gives 0. T1, T2, T3 are clobbered.
#define EXP(X, E, T1, T2, T3) \
	VBROADCASTSS consts<>+0(SB), T1 \
	VMULPS T1, X, T1 \
	VBROADCASTSS consts<>+4(SB), T2 \
	VADDPS T2, T1, T1 \
	VROUNDPS $1, T1, T1 \
	VBROADCASTSS consts<>+8(SB), T2 \
	VMULPS T2, T1, T2 \
	VSUBPS T2, X, T3 \
	VBROADCASTSS consts<>+12(SB), T2 \
	VMULPS T2, T1, T2 \
	VSUBPS T2, T3, T3 \
	VBROADCASTSS consts<>+16(SB), E \
	VMULPS T3, E, E \
	VBROADCASTSS consts<>+20(SB), T2 \
	VADDPS T2, E, E \
	VMULPS T3, E, E \
	VBROADCASTSS consts<>+24(SB), T2 \
	VADDPS T2, E, E \
	VMULPS T3, E, E \
	VBROADCASTSS consts<>+28(SB), T2 \
	VADDPS T2, E, E \
	VMULPS T3, E, E \
	VBROADCASTSS consts<>+32(SB), T2 \
	VADDPS T2, E, E \
	VMULPS T3, E, E \
	VBROADCASTSS consts<>+36(SB), T2 \
	VADDPS T2, E, E \
	VMULPS T3, E, E \
	VMULPS T3, E, E \
	VADDPS T3, E, E \
	VBROADCASTSS consts<>+40(SB), T2 \
	VADDPS T2, E, E \
	VCVTTPS2DQ T1, T1 \
	VPBROADCASTD consts<>+52(SB), T2 \
	VPADDD T2, T1, T1 \
	VPSLLD $23, T1, T1 \
	VMULPS T1, E, E \
	VBROADCASTSS consts<>+44(SB), T2 \
	VCMPPS $0x1e, T2, X, T3 \
	VBROADCASTSS consts<>+76(SB), T2 \
	VBLENDVPS T3, T2, E, E \
	VBROADCASTSS consts<>+48(SB), T2 \
	VCMPPS $0x11, T2, X, T3 \
	VXORPS T2, T2, T2 \
	VBLENDVPS T3, T2, E, E

// func sigmoidAVX2(x *float32, n int)
// x[i] = Sigmoid(x[i]) for n values, n a multiple of 8: with E = exp(-|x|),
// 1/(1+E) where x >= 0 and E/(1+E) elsewhere, as Sigmoid computes them (one
// division, of the numerator chosen per lane).
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
	JZ   sdone

sloop:
	VMOVUPS (SI), Y0
	VBROADCASTSS consts<>+56(SB), Y5
	VORPS Y5, Y0, Y6
	EXP(Y6, Y1, Y2, Y3, Y4)
	VBROADCASTSS consts<>+40(SB), Y2
	VADDPS Y1, Y2, Y3
	VXORPS Y4, Y4, Y4
	VCMPPS $0x1d, Y4, Y0, Y4
	VBLENDVPS Y4, Y2, Y1, Y5
	VDIVPS Y3, Y5, Y5
	VMOVUPS Y5, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  sloop

sdone:
	VZEROUPPER
	RET

// func tanhAVX2(x *float32, n int)
// x[i] = Tanh(x[i]) for n values, n a multiple of 8: t = 1 - 2/(exp(2|x|)+1)
// where x >= 0 and -t elsewhere (the same bits as 2/(exp(-2x)+1) - 1), 1
// beyond 9 and -1 below -9, as Tanh computes them.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
	JZ   tdone

tloop:
	VMOVUPS (SI), Y0
	VBROADCASTSS consts<>+56(SB), Y5
	VANDNPS Y0, Y5, Y6
	VADDPS Y6, Y6, Y6
	EXP(Y6, Y1, Y2, Y3, Y4)
	VBROADCASTSS consts<>+40(SB), Y2
	VADDPS Y2, Y1, Y3
	VBROADCASTSS consts<>+60(SB), Y4
	VDIVPS Y3, Y4, Y4
	VSUBPS Y4, Y2, Y4
	VBROADCASTSS consts<>+56(SB), Y5
	VXORPS Y5, Y4, Y5
	VXORPS Y3, Y3, Y3
	VCMPPS $0x1d, Y3, Y0, Y3
	VBLENDVPS Y3, Y4, Y5, Y5
	VBROADCASTSS consts<>+64(SB), Y2
	VCMPPS $0x1e, Y2, Y0, Y3
	VBROADCASTSS consts<>+40(SB), Y2
	VBLENDVPS Y3, Y2, Y5, Y5
	VBROADCASTSS consts<>+68(SB), Y2
	VCMPPS $0x11, Y2, Y0, Y3
	VBROADCASTSS consts<>+72(SB), Y2
	VBLENDVPS Y3, Y2, Y5, Y5
	VMOVUPS Y5, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  tloop

tdone:
	VZEROUPPER
	RET

// func productSumAVX2(dst, a, b, c, d *float32, n int)
// dst[i] = a[i]·b[i] + c[i]·d[i] for n values, n a multiple of 8: two
// rounded products, then their sum.
TEXT ·productSumAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R8
	MOVQ c+24(FP), R9
	MOVQ d+32(FP), R10
	MOVQ n+40(FP), CX
	XORQ AX, AX
	SHRQ $3, CX
	JZ   psdone

psloop:
	VMOVUPS (SI)(AX*1), Y0
	VMULPS  (R8)(AX*1), Y0, Y0
	VMOVUPS (R9)(AX*1), Y1
	VMULPS  (R10)(AX*1), Y1, Y1
	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNZ  psloop

psdone:
	VZEROUPPER
	RET

// func productAVX2(dst, a, b *float32, n int)
// dst[i] = a[i]·b[i] for n values, n a multiple of 8.
TEXT ·productAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R8
	MOVQ n+24(FP), CX
	XORQ AX, AX
	SHRQ $3, CX
	JZ   pdone

ploop:
	VMOVUPS (SI)(AX*1), Y0
	VMULPS  (R8)(AX*1), Y0, Y0
	VMOVUPS Y0, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNZ  ploop

pdone:
	VZEROUPPER
	RET

// func expAVX2(x *float32, n int)
// x[i] = Exp(x[i]) for n values, n a multiple of 8 (the EXP macro above).
TEXT ·expAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	SHRQ $3, CX
	JZ   edone

eloop:
	VMOVUPS (SI), Y0
	EXP(Y0, Y1, Y2, Y3, Y4)
	VMOVUPS Y1, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  eloop

edone:
	VZEROUPPER
	RET
