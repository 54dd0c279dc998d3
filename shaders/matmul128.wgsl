// C = A·B for n×n row-major float32 matrices, n a multiple of 4: the 'tile128' variant.
// Each workgroup computes a 128×128 tile of C with 256 invocations (16×16), each invocation an 8×8
// block held in 16 vec4 accumulators (rows ty·8 … ty·8+7; columns tx·4 … +3 and 64 + tx·4 … +3, so the
// two B reads of a step are conflict-free). K advances in steps of 16. Global loads are vec4 (A, B and
// C are bound as array<vec4f>); the A tile is stored transposed in workgroup memory (scalars, so no two
// invocations write one vector), and an invocation reads its 8 rows as two aligned groups of four.
// Params (n, offset) and the bindings A, B (read) and C (read_write) are declared in
// src/kernels/matmul.ts, which generates the header; this file is the body.
const TILE: u32 = 128u;
const BK: u32 = 16u;
const Q: u32 = 32u;            // vec4s across a tile

var<workgroup> As: array<f32, 2048>;    // BK × TILE: As[k * TILE + r] = A[row0 + r][k0 + k]
var<workgroup> Bs: array<vec4f, 512>;   // BK × Q: Bs[k * Q + c / 4] = B[k0 + k][col0 + c … + 3]

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let n = params.n;
  let n4 = n / 4u;
  let tiles = (n + TILE - 1u) / TILE;
  let tile = params.offset + wid.y * nwg.x + wid.x;
  if (tile >= tiles * tiles) {
    return;   // a spare workgroup of the 2D grid: uniform across the workgroup
  }
  let row0 = (tile / tiles) * TILE;
  let col0 = (tile % tiles) * TILE;
  var acc: array<vec4f, 16>;
  for (var r = 0u; r < 16u; r++) {
    acc[r] = vec4f(0.0);
  }
  for (var k0 = 0u; k0 < n; k0 += BK) {
    // A: 128 rows × 4 vec4s along k; B: 16 rows × 32 vec4s along columns; two of each per invocation
    for (var j = 0u; j < 2u; j++) {
      let idx = li + j * 256u;
      let ar = idx / 4u;
      let aq = idx % 4u;
      var av = vec4f(0.0);
      if (row0 + ar < n && k0 + aq * 4u < n) {
        av = A[(row0 + ar) * n4 + k0 / 4u + aq];
      }
      for (var c = 0u; c < 4u; c++) {
        As[(aq * 4u + c) * TILE + ar] = av[c];
      }
      let bk = idx / Q;
      let bq = idx % Q;
      var bv = vec4f(0.0);
      if (k0 + bk < n && col0 + bq * 4u < n) {
        bv = B[(k0 + bk) * n4 + col0 / 4u + bq];
      }
      Bs[bk * Q + bq] = bv;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let ao = k * TILE + lid.y * 8u;
      let a0 = vec4f(As[ao], As[ao + 1u], As[ao + 2u], As[ao + 3u]);
      let a1 = vec4f(As[ao + 4u], As[ao + 5u], As[ao + 6u], As[ao + 7u]);
      let b0 = Bs[k * Q + lid.x];
      let b1 = Bs[k * Q + 16u + lid.x];
      for (var r = 0u; r < 4u; r++) {
        acc[2u * r] = fma(vec4f(a0[r]), b0, acc[2u * r]);
        acc[2u * r + 1u] = fma(vec4f(a0[r]), b1, acc[2u * r + 1u]);
        acc[8u + 2u * r] = fma(vec4f(a1[r]), b0, acc[8u + 2u * r]);
        acc[8u + 2u * r + 1u] = fma(vec4f(a1[r]), b1, acc[8u + 2u * r + 1u]);
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 8u; r++) {
    let row = row0 + lid.y * 8u + r;
    if (row < n) {
      let c0 = col0 + lid.x * 4u;
      if (c0 < n) {
        C[row * n4 + c0 / 4u] = acc[2u * r];
      }
      if (c0 + 64u < n) {
        C[row * n4 + c0 / 4u + 16u] = acc[2u * r + 1u];
      }
    }
  }
}
