// One (fast, slow) window pair of the moving-average crossover sweep per invocation: a sequential loop
// over the days. Params (n, offset) and the bindings series ([days, prices in whole cents]), pairs
// ([fast, slow] per pair) and out ([total return, Sharpe] per pair) are declared in
// src/kernels/backtest.ts, which generates the header and adds YEAR; this file is the body.
//
// The window sums are u32 (whole cents: exact), and "fast mean above slow mean" is the exact
// sumFast·slow > sumSlow·fast: windows are below 2^16, so each product is built from the sum's 16-bit
// halves (WGSL has no 64-bit integers) and the two compared as (high, low) pairs.
override WG: u32 = 256u;

fn price(t: u32) -> u32 {
  return u32(series[1u + t]);
}

// a·w as (high, low) with a·w = high·2^16 + low, low < 2^16 (w < 2^16, so high < 2^29).
fn mul_wide(a: u32, w: u32) -> vec2u {
  let lo = (a & 0xffffu) * w;
  return vec2u((a >> 16u) * w + (lo >> 16u), lo & 0xffffu);
}

// sf/f > ss/s, exactly: sf·s > ss·f.
fn above(sf: u32, s: u32, ss: u32, f: u32) -> bool {
  let x = mul_wide(sf, s);
  let y = mul_wide(ss, f);
  return x.x > y.x || (x.x == y.x && x.y > y.y);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (params.offset + wid.y * nwg.x + wid.x) * WG + lid;
  if (i >= params.n) {
    return;
  }
  let days = u32(series[0]);
  let f = u32(pairs[2u * i]);
  let s = u32(pairs[2u * i + 1u]);
  // the windows' sums at the close of day s - 1
  var sf = 0u;
  var ss = 0u;
  for (var t = 0u; t < s; t++) {
    let p = price(t);
    ss += p;
    if (t >= s - f) {
      sf += p;
    }
  }
  var wealth = 1.0;
  var sum = 0.0;
  var sum_sq = 0.0;
  var prev = price(s - 1u);
  for (var t = s; t < days; t++) {
    let p = price(t);
    // day t holds the position decided at the close of t - 1
    if (above(sf, s, ss, f)) {
      let r = (f32(p) - f32(prev)) / f32(prev);
      wealth *= 1.0 + r;
      sum += r;
      sum_sq += r * r;
    }
    sf += p - price(t - f);
    ss += p - price(t - s);
    prev = p;
  }
  let n = f32(days - s);
  let mean = sum / n;
  let variance = (sum_sq - sum * mean) / (n - 1.0);
  var sharpe = 0.0;
  if (variance > 0.0) {
    sharpe = mean / sqrt(variance) * sqrt(YEAR);
  }
  out[2u * i] = wealth - 1.0;
  out[2u * i + 1u] = sharpe;
}
