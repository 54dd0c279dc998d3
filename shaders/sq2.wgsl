// out = a*a + b*b, one element per invocation.
// Workgroups are laid out in 2D when there are more than maxComputeWorkgroupsPerDimension of them;
// a large run is split into several submissions, each starting at workgroup `offset`.
override WG: u32 = 256u;

struct Params { n: u32, offset: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = (params.offset + wid.y * nwg.x + wid.x) * WG + lid;
  if (i < params.n) {
    let x = a[i];
    let y = b[i];
    out[i] = x * x + y * y;
  }
}
