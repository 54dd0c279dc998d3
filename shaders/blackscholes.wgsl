// European call and put prices, one option per invocation (after NVIDIA's CUDA sample BlackScholes).
// Params (n, r, v, offset) and the bindings S, X, T (read) and out (read_write: call, put interleaved)
// are declared in src/kernels/blackscholes.ts, which generates the header; this file is the body.
override WG: u32 = 256u;

// The normal CDF by Abramowitz & Stegun 26.2.17 (absolute error < 7.5e-8), as the CUDA sample's.
fn cnd(d: f32) -> f32 {
  let k = 1.0 / (1.0 + 0.2316419 * abs(d));
  let poly = k * (0.31938153 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))));
  let c = 0.39894228 * exp(-0.5 * d * d) * poly;
  return select(c, 1.0 - c, d > 0.0);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (params.offset + wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.n) {
    return;
  }
  let s = S[i];
  let x = X[i];
  let t = T[i];
  let sqrt_t = sqrt(t);
  let d1 = (log(s / x) + (params.r + 0.5 * params.v * params.v) * t) / (params.v * sqrt_t);
  let d2 = d1 - params.v * sqrt_t;
  let cnd1 = cnd(d1);
  let cnd2 = cnd(d2);
  let xe = x * exp(-params.r * t);
  out[2u * i] = s * cnd1 - xe * cnd2;
  out[2u * i + 1u] = xe * (1.0 - cnd2) - s * (1.0 - cnd1);
}
