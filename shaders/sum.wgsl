// One pass of a tree reduction: each workgroup sums ITEMS * WG consecutive values of `src` into one
// partial in `dst[group]`. Each invocation first adds ITEMS values strided by WG (coalesced), then the
// workgroup adds its WG partials pairwise in workgroup memory. The host repeats passes until one value
// is left, so the whole sum is a tree of depth ~log2(n). A large pass is split into submissions that
// start at workgroup `offset`.
override WG: u32 = 256u;
const ITEMS: u32 = 4u;

struct Params { n: u32, offset: u32 }

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;

var<workgroup> scratch: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let group = params.offset + wid.y * nwg.x + wid.x;   // uniform across the workgroup
  let base = group * WG * ITEMS;
  if (base >= params.n) {
    return;                             // a spare workgroup of the 2D grid: uniform, so legal
  }
  var s = 0.0;
  for (var j = 0u; j < ITEMS; j++) {
    let i = base + j * WG + lid;
    if (i < params.n) {
      s += src[i];
    }
  }
  scratch[lid] = s;
  workgroupBarrier();
  // WG may be any power of two up to the device limit.
  for (var stride = WG / 2u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) {
      scratch[lid] += scratch[lid + stride];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    dst[group] = scratch[0];
  }
}
