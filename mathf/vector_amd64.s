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

// EXP4 sets X0..X3, eight lanes each, to Exp of themselves, step by step
// as the scalar Exp does (no fused multiply-add, so the bits agree):
// n = floor(x·log2e + 1/2), r = x - n·ln2Hi - n·ln2Lo, p(r) by Horner,
// e = p·r·r + r + 1, times 2^n. The four vectors' steps are interleaved so
// that their dependency chains overlap. N0..N3 and R0..R3 (n and r) and
// Y12 are clobbered; Y14 must hold 1. The range checks (x > maxX gives
// +Inf, x < minX gives 0) are left to the caller, which knows which can
// happen (EXP_POST makes both).
#define EXP4(X0, X1, X2, X3, N0, N1, N2, N3, R0, R1, R2, R3) \
	VBROADCASTSS consts<>+0(SB), Y12 \
	VMULPS Y12, X0, N0 \
	VMULPS Y12, X1, N1 \
	VMULPS Y12, X2, N2 \
	VMULPS Y12, X3, N3 \
	VBROADCASTSS consts<>+4(SB), Y12 \
	VADDPS Y12, N0, N0 \
	VADDPS Y12, N1, N1 \
	VADDPS Y12, N2, N2 \
	VADDPS Y12, N3, N3 \
	VROUNDPS $1, N0, N0 \
	VROUNDPS $1, N1, N1 \
	VROUNDPS $1, N2, N2 \
	VROUNDPS $1, N3, N3 \
	VBROADCASTSS consts<>+8(SB), Y12 \
	VMULPS Y12, N0, R0 \
	VMULPS Y12, N1, R1 \
	VMULPS Y12, N2, R2 \
	VMULPS Y12, N3, R3 \
	VSUBPS R0, X0, R0 \
	VSUBPS R1, X1, R1 \
	VSUBPS R2, X2, R2 \
	VSUBPS R3, X3, R3 \
	VBROADCASTSS consts<>+12(SB), Y12 \
	VMULPS Y12, N0, X0 \
	VMULPS Y12, N1, X1 \
	VMULPS Y12, N2, X2 \
	VMULPS Y12, N3, X3 \
	VSUBPS X0, R0, R0 \
	VSUBPS X1, R1, R1 \
	VSUBPS X2, R2, R2 \
	VSUBPS X3, R3, R3 \
	VBROADCASTSS consts<>+16(SB), Y12 \
	VMULPS R0, Y12, X0 \
	VMULPS R1, Y12, X1 \
	VMULPS R2, Y12, X2 \
	VMULPS R3, Y12, X3 \
	VBROADCASTSS consts<>+20(SB), Y12 \
	VADDPS Y12, X0, X0 \
	VADDPS Y12, X1, X1 \
	VADDPS Y12, X2, X2 \
	VADDPS Y12, X3, X3 \
	VMULPS R0, X0, X0 \
	VMULPS R1, X1, X1 \
	VMULPS R2, X2, X2 \
	VMULPS R3, X3, X3 \
	VBROADCASTSS consts<>+24(SB), Y12 \
	VADDPS Y12, X0, X0 \
	VADDPS Y12, X1, X1 \
	VADDPS Y12, X2, X2 \
	VADDPS Y12, X3, X3 \
	VMULPS R0, X0, X0 \
	VMULPS R1, X1, X1 \
	VMULPS R2, X2, X2 \
	VMULPS R3, X3, X3 \
	VBROADCASTSS consts<>+28(SB), Y12 \
	VADDPS Y12, X0, X0 \
	VADDPS Y12, X1, X1 \
	VADDPS Y12, X2, X2 \
	VADDPS Y12, X3, X3 \
	VMULPS R0, X0, X0 \
	VMULPS R1, X1, X1 \
	VMULPS R2, X2, X2 \
	VMULPS R3, X3, X3 \
	VBROADCASTSS consts<>+32(SB), Y12 \
	VADDPS Y12, X0, X0 \
	VADDPS Y12, X1, X1 \
	VADDPS Y12, X2, X2 \
	VADDPS Y12, X3, X3 \
	VMULPS R0, X0, X0 \
	VMULPS R1, X1, X1 \
	VMULPS R2, X2, X2 \
	VMULPS R3, X3, X3 \
	VBROADCASTSS consts<>+36(SB), Y12 \
	VADDPS Y12, X0, X0 \
	VADDPS Y12, X1, X1 \
	VADDPS Y12, X2, X2 \
	VADDPS Y12, X3, X3 \
	VMULPS R0, X0, X0 \
	VMULPS R1, X1, X1 \
	VMULPS R2, X2, X2 \
	VMULPS R3, X3, X3 \
	VMULPS R0, X0, X0 \
	VMULPS R1, X1, X1 \
	VMULPS R2, X2, X2 \
	VMULPS R3, X3, X3 \
	VADDPS R0, X0, X0 \
	VADDPS R1, X1, X1 \
	VADDPS R2, X2, X2 \
	VADDPS R3, X3, X3 \
	VADDPS Y14, X0, X0 \
	VADDPS Y14, X1, X1 \
	VADDPS Y14, X2, X2 \
	VADDPS Y14, X3, X3 \
	VCVTTPS2DQ N0, N0 \
	VCVTTPS2DQ N1, N1 \
	VCVTTPS2DQ N2, N2 \
	VCVTTPS2DQ N3, N3 \
	VPBROADCASTD consts<>+52(SB), Y12 \
	VPADDD Y12, N0, N0 \
	VPADDD Y12, N1, N1 \
	VPADDD Y12, N2, N2 \
	VPADDD Y12, N3, N3 \
	VPSLLD $23, N0, N0 \
	VPSLLD $23, N1, N1 \
	VPSLLD $23, N2, N2 \
	VPSLLD $23, N3, N3 \
	VMULPS N0, X0, X0 \
	VMULPS N1, X1, X1 \
	VMULPS N2, X2, X2 \
	VMULPS N3, X3, X3

// EXP_PRE loads eight values x from M into X, the argument of Exp.
#define EXP_PRE(M, X) \
	VMOVUPS M, X

// SIG_PRE loads eight values x from M into X and makes them -|x|, the
// argument of Sigmoid's exponential. Y15 must hold the sign bit.
#define SIG_PRE(M, X) \
	VMOVUPS M, X \
	VORPS Y15, X, X

// SIG_POST turns E = exp(-|x|) (from EXP4) into Sigmoid(x), x reloaded from
// M, as Sigmoid computes it: E is 0 where -|x| < minX (exp's one range
// check that can apply), then 1/(1+E) where x >= 0 and E/(1+E) elsewhere.
// N, R and Y12 are clobbered; Y13 must hold 0, Y14 1, Y15 the sign bit.
#define SIG_POST(M, E, N, R) \
	VMOVUPS M, N \
	VORPS Y15, N, R \
	VBROADCASTSS consts<>+48(SB), Y12 \
	VCMPPS $0x11, Y12, R, R \
	VANDNPS E, R, E \
	VADDPS Y14, E, R \
	VCMPPS $0x1d, Y13, N, N \
	VBLENDVPS N, Y14, E, E \
	VDIVPS R, E, E

// TANH_PRE loads eight values x from M into X and makes them 2|x|, the
// argument of Tanh's exponential. Y15 must hold the sign bit.
#define TANH_PRE(M, X) \
	VMOVUPS M, X \
	VANDNPS X, Y15, X \
	VADDPS X, X, X

// TANH_POST turns E = exp(2|x|) (from EXP4) into Tanh(x) in R, x reloaded
// from M, as Tanh computes it: with q = 2/(E+1), 1 - q where x >= 0 and
// q - 1 elsewhere (not -(1 - q), which is -0 where Tanh gives +0), and ±1
// beyond ±9 (which also covers every x whose exponential saturates, so
// exp's range checks are not needed). E, N and Y12 are clobbered; Y13
// must hold 0, Y14 1.
#define TANH_POST(M, E, N, R) \
	VADDPS Y14, E, R \
	VBROADCASTSS consts<>+60(SB), Y12 \
	VDIVPS R, Y12, E \
	VSUBPS E, Y14, R \
	VSUBPS Y14, E, E \
	VMOVUPS M, N \
	VCMPPS $0x1d, Y13, N, Y12 \
	VBLENDVPS Y12, R, E, R \
	VBROADCASTSS consts<>+64(SB), Y12 \
	VCMPPS $0x1e, Y12, N, Y12 \
	VBLENDVPS Y12, Y14, R, R \
	VBROADCASTSS consts<>+68(SB), Y12 \
	VCMPPS $0x11, Y12, N, Y12 \
	VBROADCASTSS consts<>+72(SB), E \
	VBLENDVPS Y12, E, R, R

// EXP_POST makes Exp's range checks on E = exp(x) (from EXP4), x reloaded
// from M: +Inf where x > maxX, 0 where x < minX. N, R and Y12 are
// clobbered.
#define EXP_POST(M, E, N, R) \
	VMOVUPS M, N \
	VBROADCASTSS consts<>+44(SB), Y12 \
	VCMPPS $0x1e, Y12, N, R \
	VBROADCASTSS consts<>+76(SB), Y12 \
	VBLENDVPS R, Y12, E, E \
	VBROADCASTSS consts<>+48(SB), Y12 \
	VCMPPS $0x11, Y12, N, R \
	VANDNPS E, R, E

// func sigmoidAVX2(x *float32, n int)
// x[i] = Sigmoid(x[i]) for n values, n a multiple of 8: SIG_PRE, EXP4 and
// SIG_POST, four blocks of eight at a time.
TEXT ·sigmoidAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPS Y13, Y13, Y13
	VBROADCASTSS consts<>+40(SB), Y14
	VBROADCASTSS consts<>+56(SB), Y15
	MOVQ CX, BX
	SHRQ $5, BX
	JZ   sig1

sig4:
	SIG_PRE((SI), Y0)
	SIG_PRE(32(SI), Y1)
	SIG_PRE(64(SI), Y2)
	SIG_PRE(96(SI), Y3)
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	SIG_POST((SI), Y0, Y4, Y8)
	VMOVUPS Y0, (SI)
	SIG_POST(32(SI), Y1, Y5, Y9)
	VMOVUPS Y1, 32(SI)
	SIG_POST(64(SI), Y2, Y6, Y10)
	VMOVUPS Y2, 64(SI)
	SIG_POST(96(SI), Y3, Y7, Y11)
	VMOVUPS Y3, 96(SI)
	ADDQ $128, SI
	DECQ BX
	JNZ  sig4

sig1:
	// The last one to three blocks of eight: EXP4 with the block in all
	// four places, only the first kept.
	SHRQ $3, CX
	ANDQ $3, CX
	JZ   sigdone

sig1loop:
	SIG_PRE((SI), Y0)
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	SIG_POST((SI), Y0, Y4, Y8)
	VMOVUPS Y0, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  sig1loop

sigdone:
	VZEROUPPER
	RET

// func tanhAVX2(x *float32, n int)
// x[i] = Tanh(x[i]) for n values, n a multiple of 8: TANH_PRE, EXP4 and
// TANH_POST, four blocks of eight at a time.
TEXT ·tanhAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPS Y13, Y13, Y13
	VBROADCASTSS consts<>+40(SB), Y14
	VBROADCASTSS consts<>+56(SB), Y15
	MOVQ CX, BX
	SHRQ $5, BX
	JZ   tanh1

tanh4:
	TANH_PRE((SI), Y0)
	TANH_PRE(32(SI), Y1)
	TANH_PRE(64(SI), Y2)
	TANH_PRE(96(SI), Y3)
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	TANH_POST((SI), Y0, Y4, Y8)
	VMOVUPS Y8, (SI)
	TANH_POST(32(SI), Y1, Y5, Y9)
	VMOVUPS Y9, 32(SI)
	TANH_POST(64(SI), Y2, Y6, Y10)
	VMOVUPS Y10, 64(SI)
	TANH_POST(96(SI), Y3, Y7, Y11)
	VMOVUPS Y11, 96(SI)
	ADDQ $128, SI
	DECQ BX
	JNZ  tanh4

tanh1:
	// The last one to three blocks of eight: EXP4 with the block in all
	// four places, only the first kept.
	SHRQ $3, CX
	ANDQ $3, CX
	JZ   tanhdone

tanh1loop:
	TANH_PRE((SI), Y0)
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	TANH_POST((SI), Y0, Y4, Y8)
	VMOVUPS Y8, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  tanh1loop

tanhdone:
	VZEROUPPER
	RET

// func expAVX2(x *float32, n int)
// x[i] = Exp(x[i]) for n values, n a multiple of 8: EXP4 and EXP_POST,
// four blocks of eight at a time.
TEXT ·expAVX2(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VXORPS Y13, Y13, Y13
	VBROADCASTSS consts<>+40(SB), Y14
	VBROADCASTSS consts<>+56(SB), Y15
	MOVQ CX, BX
	SHRQ $5, BX
	JZ   exp1

exp4:
	EXP_PRE((SI), Y0)
	EXP_PRE(32(SI), Y1)
	EXP_PRE(64(SI), Y2)
	EXP_PRE(96(SI), Y3)
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	EXP_POST((SI), Y0, Y4, Y8)
	VMOVUPS Y0, (SI)
	EXP_POST(32(SI), Y1, Y5, Y9)
	VMOVUPS Y1, 32(SI)
	EXP_POST(64(SI), Y2, Y6, Y10)
	VMOVUPS Y2, 64(SI)
	EXP_POST(96(SI), Y3, Y7, Y11)
	VMOVUPS Y3, 96(SI)
	ADDQ $128, SI
	DECQ BX
	JNZ  exp4

exp1:
	// The last one to three blocks of eight: EXP4 with the block in all
	// four places, only the first kept.
	SHRQ $3, CX
	ANDQ $3, CX
	JZ   expdone

exp1loop:
	EXP_PRE((SI), Y0)
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	EXP_POST((SI), Y0, Y4, Y8)
	VMOVUPS Y0, (SI)
	ADDQ $32, SI
	DECQ CX
	JNZ  exp1loop

expdone:
	VZEROUPPER
	RET

// func lstmCellAVX2(a, cPrev, c, tanhC, h *float32, H, n, rows int)
// The LSTM cell (LSTMCell) on the first n units (n a multiple of 8) of
// each of rows rows: a's rows are 4H values apart, the others' H. For each
// eight units, the four gates' functions run together (EXP4: three
// sigmoids and a tanh), and c = f·cPrev + i·g (two rounded products, then
// their sum); then tanh(c) of four eight-unit blocks at a time and
// h = o·tanh(c).
//
// Registers: SI, R10, CX and R13 point at the row's gates i, f, g and o,
// DI at cPrev, DX at c, BX at tanhC and R8 at h; AX is the byte offset in
// the row, R12 counts blocks, R9 rows; R11 is H in bytes.
TEXT ·lstmCellAVX2(SB), NOSPLIT, $0-64
	MOVQ a+0(FP), SI
	MOVQ cPrev+8(FP), DI
	MOVQ c+16(FP), DX
	MOVQ tanhC+24(FP), BX
	MOVQ h+32(FP), R8
	MOVQ H+40(FP), R11
	SHLQ $2, R11
	MOVQ rows+56(FP), R9
	LEAQ (SI)(R11*1), R10
	LEAQ (R10)(R11*1), CX
	LEAQ (CX)(R11*1), R13
	VXORPS Y13, Y13, Y13
	VBROADCASTSS consts<>+40(SB), Y14
	VBROADCASTSS consts<>+56(SB), Y15
	TESTQ R9, R9
	JE   celldone

cellrow:
	XORQ AX, AX
	MOVQ n+48(FP), R12
	SHRQ $3, R12
	JE   cellnext

cellgates:
	SIG_PRE((SI)(AX*1), Y0)
	SIG_PRE((R10)(AX*1), Y1)
	TANH_PRE((CX)(AX*1), Y2)
	SIG_PRE((R13)(AX*1), Y3)
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	SIG_POST((SI)(AX*1), Y0, Y4, Y8)
	VMOVUPS Y0, (SI)(AX*1)
	SIG_POST((R10)(AX*1), Y1, Y5, Y9)
	VMOVUPS Y1, (R10)(AX*1)
	TANH_POST((CX)(AX*1), Y2, Y6, Y10)
	VMOVUPS Y10, (CX)(AX*1)
	SIG_POST((R13)(AX*1), Y3, Y7, Y11)
	VMOVUPS Y3, (R13)(AX*1)
	VMULPS (DI)(AX*1), Y1, Y4
	VMULPS Y10, Y0, Y5
	VADDPS Y5, Y4, Y4
	VMOVUPS Y4, (DX)(AX*1)
	ADDQ $32, AX
	DECQ R12
	JNE  cellgates

	XORQ AX, AX
	MOVQ n+48(FP), R12
	SHRQ $5, R12
	JE   celltanh1

celltanh4:
	TANH_PRE((DX)(AX*1), Y0)
	TANH_PRE(32(DX)(AX*1), Y1)
	TANH_PRE(64(DX)(AX*1), Y2)
	TANH_PRE(96(DX)(AX*1), Y3)
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	TANH_POST((DX)(AX*1), Y0, Y4, Y8)
	TANH_POST(32(DX)(AX*1), Y1, Y5, Y9)
	TANH_POST(64(DX)(AX*1), Y2, Y6, Y10)
	TANH_POST(96(DX)(AX*1), Y3, Y7, Y11)
	VMOVUPS Y8, (BX)(AX*1)
	VMOVUPS Y9, 32(BX)(AX*1)
	VMOVUPS Y10, 64(BX)(AX*1)
	VMOVUPS Y11, 96(BX)(AX*1)
	VMULPS (R13)(AX*1), Y8, Y8
	VMULPS 32(R13)(AX*1), Y9, Y9
	VMULPS 64(R13)(AX*1), Y10, Y10
	VMULPS 96(R13)(AX*1), Y11, Y11
	VMOVUPS Y8, (R8)(AX*1)
	VMOVUPS Y9, 32(R8)(AX*1)
	VMOVUPS Y10, 64(R8)(AX*1)
	VMOVUPS Y11, 96(R8)(AX*1)
	ADDQ $128, AX
	DECQ R12
	JNE  celltanh4

celltanh1:
	// The last one to three blocks of eight: EXP4 with the block in all
	// four places, only the first kept.
	MOVQ n+48(FP), R12
	SHRQ $3, R12
	ANDQ $3, R12
	JE   cellnext

celltanh1loop:
	TANH_PRE((DX)(AX*1), Y0)
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	TANH_POST((DX)(AX*1), Y0, Y4, Y8)
	VMOVUPS Y8, (BX)(AX*1)
	VMULPS (R13)(AX*1), Y8, Y8
	VMOVUPS Y8, (R8)(AX*1)
	ADDQ $32, AX
	DECQ R12
	JNE  celltanh1loop

cellnext:
	LEAQ (SI)(R11*4), SI
	LEAQ (R10)(R11*4), R10
	LEAQ (CX)(R11*4), CX
	LEAQ (R13)(R11*4), R13
	ADDQ R11, DI
	ADDQ R11, DX
	ADDQ R11, BX
	ADDQ R11, R8
	DECQ R9
	JNE  cellrow

celldone:
	VZEROUPPER
	RET

// func lstmCellGradAVX2(gates, cPrev, tanhC, dh, dc, da *float32, H, n, rows int)
// The LSTM cell's backward pass (LSTMCellGrad) on the first n units (n a
// multiple of 8) of each of rows rows, laid out as lstmCellAVX2's: for
// eight units at a time,
//
//	dct = dc + dh·o·(1 - tc·tc)
//	da_i = dct·g·i·(1-i)   da_f = dct·cPrev·f·(1-f)
//	da_g = dct·i·(1-g·g)   da_o = dh·tc·o·(1-o)
//	dc = dct·f
//
// each product rounded in turn from the left, as the scalar code computes
// it. Registers: SI points at the gate i of the unit (f, g at R11 and
// 2·R11 bytes on), CX at its gate g (o at R11 on), R12 at its da (the
// gates' layout), DI at cPrev, BX at tanhC, R8 at dh, DX at dc; R11 is H
// in bytes; R9 counts blocks of eight and AX rows; R10 and R13 are what the
// gates' and the other rows' pointers move by from one row's last block to
// the next row.
TEXT ·lstmCellGradAVX2(SB), NOSPLIT, $0-72
	MOVQ gates+0(FP), SI
	MOVQ cPrev+8(FP), DI
	MOVQ tanhC+16(FP), BX
	MOVQ dh+24(FP), R8
	MOVQ dc+32(FP), DX
	MOVQ da+40(FP), R12
	MOVQ H+48(FP), R11
	SHLQ $2, R11
	LEAQ (SI)(R11*2), CX
	MOVQ n+56(FP), R9
	SHLQ $2, R9
	MOVQ R11, R10
	SHLQ $2, R10
	SUBQ R9, R10
	MOVQ R11, R13
	SUBQ R9, R13
	MOVQ rows+64(FP), AX
	VBROADCASTSS consts<>+40(SB), Y14
	TESTQ R9, R9
	JE   graddone
	TESTQ AX, AX
	JE   graddone

gradrow:
	MOVQ n+56(FP), R9
	SHRQ $3, R9

gradloop:
	VMOVUPS (BX), Y0            // tc
	VMOVUPS (R8), Y1            // dh
	VMOVUPS (CX)(R11*1), Y2     // o
	VMULPS Y2, Y1, Y3           // dh·o
	VMULPS Y0, Y0, Y4           // tc·tc
	VSUBPS Y4, Y14, Y4          // 1 - tc·tc
	VMULPS Y4, Y3, Y3
	VADDPS (DX), Y3, Y3         // dct
	VMULPS Y0, Y1, Y5           // dh·tc
	VMULPS Y2, Y5, Y5           // ·o
	VSUBPS Y2, Y14, Y6          // 1 - o
	VMULPS Y6, Y5, Y5           // da_o
	VMOVUPS (SI), Y7            // i
	VMOVUPS (SI)(R11*1), Y8     // f
	VMOVUPS (CX), Y9            // g
	VMULPS Y9, Y3, Y10          // dct·g
	VMULPS Y7, Y10, Y10         // ·i
	VSUBPS Y7, Y14, Y11         // 1 - i
	VMULPS Y11, Y10, Y10
	VMOVUPS Y10, (R12)          // da_i
	VMULPS (DI), Y3, Y10        // dct·cPrev
	VMULPS Y8, Y10, Y10         // ·f
	VSUBPS Y8, Y14, Y11         // 1 - f
	VMULPS Y11, Y10, Y10
	VMOVUPS Y10, (R12)(R11*1)   // da_f
	VMULPS Y7, Y3, Y10          // dct·i
	VMULPS Y9, Y9, Y11          // g·g
	VSUBPS Y11, Y14, Y11        // 1 - g·g
	VMULPS Y11, Y10, Y10
	VMOVUPS Y10, (R12)(R11*2)   // da_g
	ADDQ R11, R12
	VMOVUPS Y5, (R12)(R11*2)    // da_o
	SUBQ R11, R12
	VMULPS Y8, Y3, Y3           // dct·f
	VMOVUPS Y3, (DX)            // dc
	ADDQ $32, SI
	ADDQ $32, CX
	ADDQ $32, R12
	ADDQ $32, DI
	ADDQ $32, BX
	ADDQ $32, R8
	ADDQ $32, DX
	DECQ R9
	JNE  gradloop

	ADDQ R10, SI
	ADDQ R10, CX
	ADDQ R10, R12
	ADDQ R13, DI
	ADDQ R13, BX
	ADDQ R13, R8
	ADDQ R13, DX
	DECQ AX
	JNE  gradrow

graddone:
	VZEROUPPER
	RET
