// out = alpha*x + y, one element per invocation (2D workgroup grid and `offset`, as in sq2.wgsl).
override WG: u32 = 256u;

struct Params { n: u32, alpha: f32, offset: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (params.offset + wid.y * nwg.x + wid.x) * WG + lid;
  if (i < params.n) {
    out[i] = params.alpha * x[i] + y[i];
  }
}
