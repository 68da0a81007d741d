// Register values are raw 64-bit patterns held as unsigned BigInts.

/** Sign-extends the low `bits` bits of `v` to a 64-bit pattern. */
export function sext(v: bigint, bits: number): bigint {
  return BigInt.asUintN(64, BigInt.asIntN(bits, v));
}
