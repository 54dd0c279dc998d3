/**
 * The multiplications that compute x**n for a small integer n by repeated squaring, shared by every
 * target so JavaScript and WGSL round the same products in the same order. Each step multiplies two
 * earlier values (index 0 is x); the last step is |n|'s power; a negative n then takes 1/that.
 */
export function powiPlan(n: number): [number, number][] {
  const m = Math.abs(n);
  const steps: [number, number][] = [];
  if (m <= 1) return steps;
  // values[k] holds x^(2^k) for squares; combine the set bits from lowest to highest.
  let sq = 0; // index of x^(2^k)
  let acc = -1; // index of the running product, -1 while empty
  let bits = m;
  let count = 1; // values made so far (x itself)
  for (;;) {
    if (bits & 1) {
      if (acc < 0) acc = sq;
      else {
        steps.push([acc, sq]);
        acc = count++;
      }
    }
    bits >>= 1;
    if (!bits) break;
    steps.push([sq, sq]);
    sq = count++;
  }
  return steps;
}
