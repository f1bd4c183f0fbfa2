#include "textflag.h"

// ZERO_TILE clears the accumulators Y0..Y11 of a 6x16 tile.
#define ZERO_TILE \
	VXORPS Y0, Y0, Y0 \
	VXORPS Y1, Y1, Y1 \
	VXORPS Y2, Y2, Y2 \
	VXORPS Y3, Y3, Y3 \
	VXORPS Y4, Y4, Y4 \
	VXORPS Y5, Y5, Y5 \
	VXORPS Y6, Y6, Y6 \
	VXORPS Y7, Y7, Y7 \
	VXORPS Y8, Y8, Y8 \
	VXORPS Y9, Y9, Y9 \
	VXORPS Y10, Y10, Y10 \
	VXORPS Y11, Y11, Y11

// ADD_TILE adds alpha (in Y14) times the tile Y0..Y11 into the 6x16 block
// of C at DX, row stride R8 bytes: a multiply, then an add, row by row.
#define ADD_TILE \
	VMULPS Y14, Y0, Y0 \
	VADDPS (DX), Y0, Y0 \
	VMOVUPS Y0, (DX) \
	VMULPS Y14, Y1, Y1 \
	VADDPS 32(DX), Y1, Y1 \
	VMOVUPS Y1, 32(DX) \
	ADDQ R8, DX \
	VMULPS Y14, Y2, Y2 \
	VADDPS (DX), Y2, Y2 \
	VMOVUPS Y2, (DX) \
	VMULPS Y14, Y3, Y3 \
	VADDPS 32(DX), Y3, Y3 \
	VMOVUPS Y3, 32(DX) \
	ADDQ R8, DX \
	VMULPS Y14, Y4, Y4 \
	VADDPS (DX), Y4, Y4 \
	VMOVUPS Y4, (DX) \
	VMULPS Y14, Y5, Y5 \
	VADDPS 32(DX), Y5, Y5 \
	VMOVUPS Y5, 32(DX) \
	ADDQ R8, DX \
	VMULPS Y14, Y6, Y6 \
	VADDPS (DX), Y6, Y6 \
	VMOVUPS Y6, (DX) \
	VMULPS Y14, Y7, Y7 \
	VADDPS 32(DX), Y7, Y7 \
	VMOVUPS Y7, 32(DX) \
	ADDQ R8, DX \
	VMULPS Y14, Y8, Y8 \
	VADDPS (DX), Y8, Y8 \
	VMOVUPS Y8, (DX) \
	VMULPS Y14, Y9, Y9 \
	VADDPS 32(DX), Y9, Y9 \
	VMOVUPS Y9, 32(DX) \
	ADDQ R8, DX \
	VMULPS Y14, Y10, Y10 \
	VADDPS (DX), Y10, Y10 \
	VMOVUPS Y10, (DX) \
	VMULPS Y14, Y11, Y11 \
	VADDPS 32(DX), Y11, Y11 \
	VMOVUPS Y11, 32(DX)

// FMA6 is one depth step of a tile: with B's 16 values in Y12 and Y13,
// it broadcasts the six values of A (operands A0..A5, rows 0 to 5) and
// adds their products into the accumulators, row i into Y(2i), Y(2i+1).
#define FMA6(A0, A1, A2, A3, A4, A5) \
	VBROADCASTSS A0, Y14 \
	VBROADCASTSS A1, Y15 \
	VFMADD231PS Y12, Y14, Y0 \
	VFMADD231PS Y13, Y14, Y1 \
	VFMADD231PS Y12, Y15, Y2 \
	VFMADD231PS Y13, Y15, Y3 \
	VBROADCASTSS A2, Y14 \
	VBROADCASTSS A3, Y15 \
	VFMADD231PS Y12, Y14, Y4 \
	VFMADD231PS Y13, Y14, Y5 \
	VFMADD231PS Y12, Y15, Y6 \
	VFMADD231PS Y13, Y15, Y7 \
	VBROADCASTSS A4, Y14 \
	VBROADCASTSS A5, Y15 \
	VFMADD231PS Y12, Y14, Y8 \
	VFMADD231PS Y13, Y14, Y9 \
	VFMADD231PS Y12, Y15, Y10 \
	VFMADD231PS Y13, Y15, Y11

// func kernel6x16acc(k int, a, b, c *float32, ldc int, alpha float32)
// Y0..Y11 accumulate the 6x16 tile t = Σ_l a[l*6+i]·b[l*16+j] over k packed
// steps (row i in Y(2i), Y(2i+1)); Y12, Y13 hold 16 values of B; Y14, Y15
// hold broadcast values of A. Then c += alpha·t into the 6x16 block of C
// (row stride ldc), a multiply then an add, as a scalar loop would do it.
TEXT ·kernel6x16acc(SB), NOSPLIT, $0-44
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	ZERO_TILE
	// Four depth steps per pass of the loop, then the rest one at a time;
	// the order of the multiply-adds into each accumulator is the same.
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE acctail

accloop4:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	FMA6((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	VMOVUPS 64(DI), Y12
	VMOVUPS 96(DI), Y13
	FMA6(24(SI), 28(SI), 32(SI), 36(SI), 40(SI), 44(SI))
	VMOVUPS 128(DI), Y12
	VMOVUPS 160(DI), Y13
	FMA6(48(SI), 52(SI), 56(SI), 60(SI), 64(SI), 68(SI))
	VMOVUPS 192(DI), Y12
	VMOVUPS 224(DI), Y13
	FMA6(72(SI), 76(SI), 80(SI), 84(SI), 88(SI), 92(SI))
	ADDQ $96, SI
	ADDQ $256, DI
	DECQ BX
	JNE accloop4

acctail:
	TESTQ CX, CX
	JE accdone

accloop:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	FMA6((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNE accloop

accdone:
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VBROADCASTSS alpha+40(FP), Y14
	ADD_TILE
	VZEROUPPER
	RET

// func kernel6x16accB(k int, a, b *float32, ldb int, c *float32, ldc int, alpha float32)
// kernel6x16acc with B read in place rather than packed: the 16 values of
// depth step l are at b + l·ldb bytes (a row of a row-major B), for
// products whose few rows of A would not repay packing B. The same
// multiply-adds in the same order.
TEXT ·kernel6x16accB(SB), NOSPLIT, $0-52
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R9
	MOVQ c+32(FP), DX
	ZERO_TILE
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE bacctail

bacc4:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	ADDQ R9, DI
	FMA6((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	ADDQ R9, DI
	FMA6(24(SI), 28(SI), 32(SI), 36(SI), 40(SI), 44(SI))
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	ADDQ R9, DI
	FMA6(48(SI), 52(SI), 56(SI), 60(SI), 64(SI), 68(SI))
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	ADDQ R9, DI
	FMA6(72(SI), 76(SI), 80(SI), 84(SI), 88(SI), 92(SI))
	ADDQ $96, SI
	DECQ BX
	JNE bacc4

bacctail:
	TESTQ CX, CX
	JE baccdone

bacc1:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	ADDQ R9, DI
	FMA6((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	ADDQ $24, SI
	DECQ CX
	JNE bacc1

baccdone:
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	VBROADCASTSS alpha+48(FP), Y14
	ADD_TILE
	VZEROUPPER
	RET

// func kernel6x16accA(k int, a *float32, lda int, b, c *float32, ldc int, alpha float32)
// kernel6x16acc with A read in place rather than packed: row i of the tile
// starts at a + i·lda bytes and its depth steps are consecutive (six rows
// of a row-major A). The same multiply-adds in the same order.
TEXT ·kernel6x16accA(SB), NOSPLIT, $0-52
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R10
	MOVQ b+24(FP), DI
	MOVQ c+32(FP), DX
	LEAQ (R10)(R10*2), R11
	LEAQ (R10)(R10*4), R12
	ZERO_TILE
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE aacctail

aacc4:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	FMA6((SI), (SI)(R10*1), (SI)(R10*2), (SI)(R11*1), (SI)(R10*4), (SI)(R12*1))
	VMOVUPS 64(DI), Y12
	VMOVUPS 96(DI), Y13
	FMA6(4(SI), 4(SI)(R10*1), 4(SI)(R10*2), 4(SI)(R11*1), 4(SI)(R10*4), 4(SI)(R12*1))
	VMOVUPS 128(DI), Y12
	VMOVUPS 160(DI), Y13
	FMA6(8(SI), 8(SI)(R10*1), 8(SI)(R10*2), 8(SI)(R11*1), 8(SI)(R10*4), 8(SI)(R12*1))
	VMOVUPS 192(DI), Y12
	VMOVUPS 224(DI), Y13
	FMA6(12(SI), 12(SI)(R10*1), 12(SI)(R10*2), 12(SI)(R11*1), 12(SI)(R10*4), 12(SI)(R12*1))
	ADDQ $16, SI
	ADDQ $256, DI
	DECQ BX
	JNE aacc4

aacctail:
	TESTQ CX, CX
	JE aaccdone

aacc1:
	VMOVUPS (DI), Y12
	VMOVUPS 32(DI), Y13
	FMA6((SI), (SI)(R10*1), (SI)(R10*2), (SI)(R11*1), (SI)(R10*4), (SI)(R12*1))
	ADDQ $4, SI
	ADDQ $64, DI
	DECQ CX
	JNE aacc1

aaccdone:
	MOVQ ldc+40(FP), R8
	SHLQ $2, R8
	VBROADCASTSS alpha+48(FP), Y14
	ADD_TILE
	VZEROUPPER
	RET

// The AVX-512 kernels below compute a 6x32 tile, two panels of B side by
// side, in the 512-bit registers Z0..Z11 (row i in Z(2i), Z(2i+1)); B's 32
// values of a depth step are in Z12, Z13 and the broadcast values of A in
// Z14, Z15. Each element of C gets the same multiply-adds in the same order
// as from two calls of the 6x16 kernels, so the bits do not depend on which
// ran. Only Z0..Z15 are used, whose upper halves VZEROUPPER clears.

// ZERO_TILE32 clears the accumulators Z0..Z11 of a 6x32 tile.
#define ZERO_TILE32 \
	VPXORD Z0, Z0, Z0 \
	VPXORD Z1, Z1, Z1 \
	VPXORD Z2, Z2, Z2 \
	VPXORD Z3, Z3, Z3 \
	VPXORD Z4, Z4, Z4 \
	VPXORD Z5, Z5, Z5 \
	VPXORD Z6, Z6, Z6 \
	VPXORD Z7, Z7, Z7 \
	VPXORD Z8, Z8, Z8 \
	VPXORD Z9, Z9, Z9 \
	VPXORD Z10, Z10, Z10 \
	VPXORD Z11, Z11, Z11

// ADD_ROW32 adds alpha (in Z14) times the row held in ZA, ZB into the 32
// floats of C at DX: a multiply, then an add.
#define ADD_ROW32(ZA, ZB) \
	VMULPS Z14, ZA, ZA \
	VADDPS (DX), ZA, ZA \
	VMOVUPS ZA, (DX) \
	VMULPS Z14, ZB, ZB \
	VADDPS 64(DX), ZB, ZB \
	VMOVUPS ZB, 64(DX)

// ADD_ROWS32 adds alpha (in Z14) times the first AX rows (1 to 6) of the
// tile Z0..Z11 into the 6x32 block of C at DX, row stride R8 bytes, and
// jumps to DONE: all six rows for a whole panel of A, fewer for the last,
// partial panel (whose packed rows are padded with zeros).
#define ADD_ROWS32(DONE) \
	ADD_ROW32(Z0, Z1) \
	DECQ AX \
	JE DONE \
	ADDQ R8, DX \
	ADD_ROW32(Z2, Z3) \
	DECQ AX \
	JE DONE \
	ADDQ R8, DX \
	ADD_ROW32(Z4, Z5) \
	DECQ AX \
	JE DONE \
	ADDQ R8, DX \
	ADD_ROW32(Z6, Z7) \
	DECQ AX \
	JE DONE \
	ADDQ R8, DX \
	ADD_ROW32(Z8, Z9) \
	DECQ AX \
	JE DONE \
	ADDQ R8, DX \
	ADD_ROW32(Z10, Z11)

// FMA12 is one depth step of a 6x32 tile: with B's 32 values in Z12 and
// Z13, it broadcasts the six values of A (operands A0..A5) and adds their
// products into the accumulators.
#define FMA12(A0, A1, A2, A3, A4, A5) \
	VBROADCASTSS A0, Z14 \
	VBROADCASTSS A1, Z15 \
	VFMADD231PS Z12, Z14, Z0 \
	VFMADD231PS Z13, Z14, Z1 \
	VFMADD231PS Z12, Z15, Z2 \
	VFMADD231PS Z13, Z15, Z3 \
	VBROADCASTSS A2, Z14 \
	VBROADCASTSS A3, Z15 \
	VFMADD231PS Z12, Z14, Z4 \
	VFMADD231PS Z13, Z14, Z5 \
	VFMADD231PS Z12, Z15, Z6 \
	VFMADD231PS Z13, Z15, Z7 \
	VBROADCASTSS A4, Z14 \
	VBROADCASTSS A5, Z15 \
	VFMADD231PS Z12, Z14, Z8 \
	VFMADD231PS Z13, Z14, Z9 \
	VFMADD231PS Z12, Z15, Z10 \
	VFMADD231PS Z13, Z15, Z11

// func kernel6x32acc(k int, a, b *float32, ldb, next int, c *float32, ldc, rows int, alpha float32)
// A packed; depth step l's 32 values of B are 16 at b + l·ldb bytes and 16
// at next bytes beyond: two packed panels (ldb 64, next the panel size) or
// 32 columns of a row-major B in place (ldb its row stride, next 64). Only
// the tile's first rows rows (1 to 6) are added into C.
TEXT ·kernel6x32acc(SB), NOSPLIT, $0-68
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ ldb+24(FP), R10
	MOVQ next+32(FP), R9
	MOVQ c+40(FP), DX
	ZERO_TILE32
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE zacctail

zacc4:
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	ADDQ R10, DI
	FMA12((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	ADDQ R10, DI
	FMA12(24(SI), 28(SI), 32(SI), 36(SI), 40(SI), 44(SI))
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	ADDQ R10, DI
	FMA12(48(SI), 52(SI), 56(SI), 60(SI), 64(SI), 68(SI))
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	ADDQ R10, DI
	FMA12(72(SI), 76(SI), 80(SI), 84(SI), 88(SI), 92(SI))
	ADDQ $96, SI
	DECQ BX
	JNE zacc4

zacctail:
	TESTQ CX, CX
	JE zaccdone

zacc1:
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	ADDQ R10, DI
	FMA12((SI), 4(SI), 8(SI), 12(SI), 16(SI), 20(SI))
	ADDQ $24, SI
	DECQ CX
	JNE zacc1

zaccdone:
	MOVQ ldc+48(FP), R8
	SHLQ $2, R8
	MOVQ rows+56(FP), AX
	VBROADCASTSS alpha+64(FP), Z14
	ADD_ROWS32(zaccend)

zaccend:
	VZEROUPPER
	RET

// func kernel6x32accA(k int, a *float32, lda int, b *float32, next int, c *float32, ldc int, alpha float32)
// A in place (row i at a + i·lda bytes, depth steps consecutive); two
// packed panels of B, the second at b + next bytes.
TEXT ·kernel6x32accA(SB), NOSPLIT, $0-60
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), R10
	MOVQ b+24(FP), DI
	MOVQ next+32(FP), R9
	MOVQ c+40(FP), DX
	LEAQ (R10)(R10*2), R11
	LEAQ (R10)(R10*4), R12
	ZERO_TILE32
	MOVQ CX, BX
	SHRQ $2, BX
	ANDQ $3, CX
	TESTQ BX, BX
	JE zaacctail

zaacc4:
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	FMA12((SI), (SI)(R10*1), (SI)(R10*2), (SI)(R11*1), (SI)(R10*4), (SI)(R12*1))
	VMOVUPS 64(DI), Z12
	VMOVUPS 64(DI)(R9*1), Z13
	FMA12(4(SI), 4(SI)(R10*1), 4(SI)(R10*2), 4(SI)(R11*1), 4(SI)(R10*4), 4(SI)(R12*1))
	VMOVUPS 128(DI), Z12
	VMOVUPS 128(DI)(R9*1), Z13
	FMA12(8(SI), 8(SI)(R10*1), 8(SI)(R10*2), 8(SI)(R11*1), 8(SI)(R10*4), 8(SI)(R12*1))
	VMOVUPS 192(DI), Z12
	VMOVUPS 192(DI)(R9*1), Z13
	FMA12(12(SI), 12(SI)(R10*1), 12(SI)(R10*2), 12(SI)(R11*1), 12(SI)(R10*4), 12(SI)(R12*1))
	ADDQ $16, SI
	ADDQ $256, DI
	DECQ BX
	JNE zaacc4

zaacctail:
	TESTQ CX, CX
	JE zaaccdone

zaacc1:
	VMOVUPS (DI), Z12
	VMOVUPS (DI)(R9*1), Z13
	FMA12((SI), (SI)(R10*1), (SI)(R10*2), (SI)(R11*1), (SI)(R10*4), (SI)(R12*1))
	ADDQ $4, SI
	ADDQ $64, DI
	DECQ CX
	JNE zaacc1

zaaccdone:
	MOVQ ldc+48(FP), R8
	SHLQ $2, R8
	MOVQ $6, AX
	VBROADCASTSS alpha+56(FP), Z14
	ADD_ROWS32(zaaccend)

zaaccend:
	VZEROUPPER
	RET
