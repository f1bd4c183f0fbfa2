#include "textflag.h"

// The shift counts 0..31, eight to a register, that spread a word of
// dropout's mask over 32 lanes; and the mask of a draw's low 24 bits.
DATA shifts<>+0(SB)/4, $0
DATA shifts<>+4(SB)/4, $1
DATA shifts<>+8(SB)/4, $2
DATA shifts<>+12(SB)/4, $3
DATA shifts<>+16(SB)/4, $4
DATA shifts<>+20(SB)/4, $5
DATA shifts<>+24(SB)/4, $6
DATA shifts<>+28(SB)/4, $7
DATA shifts<>+32(SB)/4, $8
DATA shifts<>+36(SB)/4, $9
DATA shifts<>+40(SB)/4, $10
DATA shifts<>+44(SB)/4, $11
DATA shifts<>+48(SB)/4, $12
DATA shifts<>+52(SB)/4, $13
DATA shifts<>+56(SB)/4, $14
DATA shifts<>+60(SB)/4, $15
DATA shifts<>+64(SB)/4, $16
DATA shifts<>+68(SB)/4, $17
DATA shifts<>+72(SB)/4, $18
DATA shifts<>+76(SB)/4, $19
DATA shifts<>+80(SB)/4, $20
DATA shifts<>+84(SB)/4, $21
DATA shifts<>+88(SB)/4, $22
DATA shifts<>+92(SB)/4, $23
DATA shifts<>+96(SB)/4, $24
DATA shifts<>+100(SB)/4, $25
DATA shifts<>+104(SB)/4, $26
DATA shifts<>+108(SB)/4, $27
DATA shifts<>+112(SB)/4, $28
DATA shifts<>+116(SB)/4, $29
DATA shifts<>+120(SB)/4, $30
DATA shifts<>+124(SB)/4, $31
GLOBL shifts<>(SB), RODATA|NOPTR, $128
DATA low24<>+0(SB)/4, $0x00ffffff
GLOBL low24<>(SB), RODATA|NOPTR, $4

// Each loop takes 32 values a pass while at least 32 remain, then 8.

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

// func dropAVX2(dst, src *float32, draws *uint32, threshold int32, keep float32, kept *uint32, n int)
// 32 values a pass: for each eight, a draw's low 24 bits compared with
// threshold-1 (signed, as both are below 2^24), the comparison's lanes
// and-ed into src·keep and their sign bits gathered (VMOVMSKPS) into a byte
// of the pass's mask word.
TEXT ·dropAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ draws+16(FP), R8
	MOVL threshold+24(FP), AX
	VMOVD AX, X14
	VPBROADCASTD X14, Y14
	VPCMPEQD Y12, Y12, Y12
	VPADDD Y12, Y14, Y14
	VBROADCASTSS keep+28(FP), Y13
	VPBROADCASTD low24<>(SB), Y15
	MOVQ kept+32(FP), R9
	MOVQ n+40(FP), CX
	SHRQ $5, CX
	JZ   dropdone

droploop:
	VPAND 0(R8), Y15, Y0
	VPCMPGTD Y14, Y0, Y0
	VMOVMSKPS Y0, AX
	VMULPS 0(SI), Y13, Y1
	VANDPS Y0, Y1, Y1
	VMOVUPS Y1, 0(DI)
	VPAND 32(R8), Y15, Y0
	VPCMPGTD Y14, Y0, Y0
	VMOVMSKPS Y0, BX
	VMULPS 32(SI), Y13, Y1
	VANDPS Y0, Y1, Y1
	VMOVUPS Y1, 32(DI)
	VPAND 64(R8), Y15, Y0
	VPCMPGTD Y14, Y0, Y0
	VMOVMSKPS Y0, DX
	VMULPS 64(SI), Y13, Y1
	VANDPS Y0, Y1, Y1
	VMOVUPS Y1, 64(DI)
	VPAND 96(R8), Y15, Y0
	VPCMPGTD Y14, Y0, Y0
	VMOVMSKPS Y0, R10
	VMULPS 96(SI), Y13, Y1
	VANDPS Y0, Y1, Y1
	VMOVUPS Y1, 96(DI)
	SHLQ $8, BX
	ORQ  BX, AX
	SHLQ $16, DX
	ORQ  DX, AX
	SHLQ $24, R10
	ORQ  R10, AX
	MOVL AX, (R9)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $128, R8
	ADDQ $4, R9
	DECQ CX
	JNZ  droploop

dropdone:
	VZEROUPPER
	RET

// func addKeptAVX2(dst, grad *float32, kept *uint32, keep float32, n int)
// 32 values a pass: the pass's mask word broadcast, shifted so that each
// lane's bit reaches the sign and spread over the lane (keep or +0 after an
// and with keep), times grad, added into dst.
TEXT ·addKeptAVX2(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ kept+16(FP), R8
	VBROADCASTSS keep+24(FP), Y9
	VMOVDQU shifts<>+0(SB), Y10
	VMOVDQU shifts<>+32(SB), Y11
	VMOVDQU shifts<>+64(SB), Y12
	VMOVDQU shifts<>+96(SB), Y13
	MOVQ n+32(FP), CX
	SHRQ $5, CX
	JZ   keptdone

keptloop:
	VPBROADCASTD (R8), Y0
	VPSRLVD Y10, Y0, Y1
	VPSLLD $31, Y1, Y1
	VPSRAD $31, Y1, Y1
	VANDPS Y9, Y1, Y1
	VMULPS 0(SI), Y1, Y1
	VADDPS 0(DI), Y1, Y1
	VMOVUPS Y1, 0(DI)
	VPSRLVD Y11, Y0, Y1
	VPSLLD $31, Y1, Y1
	VPSRAD $31, Y1, Y1
	VANDPS Y9, Y1, Y1
	VMULPS 32(SI), Y1, Y1
	VADDPS 32(DI), Y1, Y1
	VMOVUPS Y1, 32(DI)
	VPSRLVD Y12, Y0, Y1
	VPSLLD $31, Y1, Y1
	VPSRAD $31, Y1, Y1
	VANDPS Y9, Y1, Y1
	VMULPS 64(SI), Y1, Y1
	VADDPS 64(DI), Y1, Y1
	VMOVUPS Y1, 64(DI)
	VPSRLVD Y13, Y0, Y1
	VPSLLD $31, Y1, Y1
	VPSRAD $31, Y1, Y1
	VANDPS Y9, Y1, Y1
	VMULPS 96(SI), Y1, Y1
	VADDPS 96(DI), Y1, Y1
	VMOVUPS Y1, 96(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	ADDQ $4, R8
	DECQ CX
	JNZ  keptloop

keptdone:
	VZEROUPPER
	RET
