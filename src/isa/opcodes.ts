// Every operation the decoder can produce. Compressed (RVC) encodings decode to the base
// operation they expand to (c.addi -> ADDI), with Insn.len === 2, so the executors never
// see RVC as a separate instruction set.
export enum Op {
  ILLEGAL,
  // RV64I
  LUI, AUIPC, JAL, JALR,
  BEQ, BNE, BLT, BGE, BLTU, BGEU,
  LB, LH, LW, LD, LBU, LHU, LWU,
  SB, SH, SW, SD,
  ADDI, SLTI, SLTIU, XORI, ORI, ANDI, SLLI, SRLI, SRAI,
  ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND,
  ADDIW, SLLIW, SRLIW, SRAIW,
  ADDW, SUBW, SLLW, SRLW, SRAW,
  FENCE, ECALL, EBREAK,
  // Zifencei
  FENCE_I,
  // Zicsr
  CSRRW, CSRRS, CSRRC, CSRRWI, CSRRSI, CSRRCI,
  // M
  MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU,
  MULW, DIVW, DIVUW, REMW, REMUW,
  // A
  LR_W, SC_W, AMOSWAP_W, AMOADD_W, AMOXOR_W, AMOAND_W, AMOOR_W, AMOMIN_W, AMOMAX_W, AMOMINU_W, AMOMAXU_W,
  LR_D, SC_D, AMOSWAP_D, AMOADD_D, AMOXOR_D, AMOAND_D, AMOOR_D, AMOMIN_D, AMOMAX_D, AMOMINU_D, AMOMAXU_D,
  // Zabha: byte and halfword AMOs (no LR/SC at these widths)
  AMOSWAP_B, AMOADD_B, AMOXOR_B, AMOAND_B, AMOOR_B, AMOMIN_B, AMOMAX_B, AMOMINU_B, AMOMAXU_B,
  AMOSWAP_H, AMOADD_H, AMOXOR_H, AMOAND_H, AMOOR_H, AMOMIN_H, AMOMAX_H, AMOMINU_H, AMOMAXU_H,
  // Zacas: compare-and-swap (.b/.h with Zabha; .q uses even register pairs)
  AMOCAS_B, AMOCAS_H, AMOCAS_W, AMOCAS_D, AMOCAS_Q,
  // privileged
  MRET, SRET, WFI, SFENCE_VMA,
}

export const OP_COUNT = Op.SFENCE_VMA + 1;
