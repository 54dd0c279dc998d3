// One Monte Carlo path of a European call: 64 log-normal steps whose normals come from Philox4x32-10
// (counter = (path, j, 0, 0), key = (seed, 0)) and Box–Muller, exactly as the CPU draws them.
// src/kernels/montecarlo.ts composes its shaders from this file, philox.ts's kp_philox, the model's
// constants (S0, K, R, SIGMA, T, STEPS) and the entry points; the header comes from its declarations.
// Two normals from two uniforms in (0, 1); the angle is in [-π, π], where WGSL bounds sin and cos.
fn box_muller(u0: f32, u1: f32) -> vec2f {
  let r = sqrt(-2.0 * log(u0));
  let theta = 6.2831855 * (u1 - 0.5);
  return vec2f(-r * cos(theta), -r * sin(theta));
}

fn uniform01(x: u32) -> f32 {
  return (f32(x >> 8u) + 0.5) * 5.9604645e-8;   // (top 24 bits + 1/2) / 2^24: exact, never 0 or 1
}

fn payoff(path: u32, seed: u32) -> f32 {
  var w = 0.0;
  for (var j = 0u; j < STEPS / 4u; j++) {
    let x = kp_philox(vec4u(path, j, 0u, 0u), vec2u(seed, 0u));
    let a = box_muller(uniform01(x.x), uniform01(x.y));
    let b = box_muller(uniform01(x.z), uniform01(x.w));
    w += (a.x + a.y) + (b.x + b.y);
  }
  let dt = T / f32(STEPS);
  let st = S0 * exp((R - 0.5 * SIGMA * SIGMA) * T + SIGMA * sqrt(dt) * w);
  return max(st - K, 0.0);
}
