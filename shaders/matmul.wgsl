// C = A·B for n×n row-major float32 matrices.
// Each workgroup computes a 64×64 tile of C with 128 invocations (16×8), each invocation an 8×4 block
// held in 8 vec4 accumulators. K advances in steps of 16: the A tile is stored transposed in workgroup
// memory (As[k][row]) so an invocation reads its 8 rows contiguously. 128 invocations fit every
// device, including compatibility-mode ones (whose default limit is 128).
// Params (n, offset) and the bindings A, B (read) and C (read_write) are declared in
// src/kernels/matmul.ts, which generates the header; this file is the body.
const TILE: u32 = 64u;
const BK: u32 = 16u;
const THREADS: u32 = 128u;

var<workgroup> As: array<f32, 1024>;   // BK × TILE, As[k * TILE + row]
var<workgroup> Bs: array<f32, 1024>;   // BK × TILE, Bs[k * TILE + col]

@compute @workgroup_size(16, 8)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_id) lid: vec3u, @builtin(local_invocation_index) li: u32) {
  let n = params.n;
  // Tiles are numbered row by row; a large product is split into submissions starting at `offset`.
  let tiles = (n + TILE - 1u) / TILE;
  let tile = params.offset + wid.y * nwg.x + wid.x;
  if (tile >= tiles * tiles) {
    return;   // a spare workgroup of the 2D grid: uniform across the workgroup
  }
  let row0 = (tile / tiles) * TILE;
  let col0 = (tile % tiles) * TILE;
  var acc: array<vec4f, 8>;
  for (var r = 0u; r < 8u; r++) {
    acc[r] = vec4f(0.0);
  }
  for (var k0 = 0u; k0 < n; k0 += BK) {
    for (var j = 0u; j < (TILE * BK) / THREADS; j++) {
      let idx = li + j * THREADS;
      let ar = idx / BK;
      let ak = idx % BK;
      var av = 0.0;
      if (row0 + ar < n && k0 + ak < n) {
        av = A[(row0 + ar) * n + k0 + ak];
      }
      As[ak * TILE + ar] = av;
      let bk = idx / TILE;
      let bc = idx % TILE;
      var bv = 0.0;
      if (k0 + bk < n && col0 + bc < n) {
        bv = B[(k0 + bk) * n + col0 + bc];
      }
      Bs[bk * TILE + bc] = bv;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k++) {
      let bo = k * TILE + lid.x * 4u;
      let b = vec4f(Bs[bo], Bs[bo + 1u], Bs[bo + 2u], Bs[bo + 3u]);
      let ao = k * TILE + lid.y * 8u;
      for (var r = 0u; r < 8u; r++) {
        acc[r] = fma(vec4f(As[ao + r]), b, acc[r]);
      }
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 8u; r++) {
    let row = row0 + lid.y * 8u + r;
    if (row < n) {
      for (var c = 0u; c < 4u; c++) {
        let col = col0 + lid.x * 4u + c;
        if (col < n) {
          C[row * n + col] = acc[r][c];
        }
      }
    }
  }
}
