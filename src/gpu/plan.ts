import { packParams } from '../kernels/gpu-program';
import type { GpuPlan, GpuProgram } from '../kernels/types';
import { grid } from './pipelines';

/** One dispatch, ready to record. */
export interface Pass {
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

/**
 * Turns a kernel's plan into submissions of dispatches, knowing nothing of what the kernel computes.
 * A pass of more than `perSubmission` workgroups is cut into slices, each with its own Params (its
 * `offset` is the slice's first workgroup) in a submission of its own, so no submission runs long
 * enough for a slow adapter's watchdog to reset the device; consecutive small passes share one.
 * Each slice's workgroups are laid out in 2D when one dimension cannot hold them.
 */
export function encodePlan(
  device: GPUDevice,
  program: GpuProgram,
  plan: GpuPlan,
  pipelines: ReadonlyMap<string, GPUComputePipeline>,
  buffers: ReadonlyMap<string, GPUBuffer>,
  uniformBuffer: (bytes: number, label: string) => GPUBuffer,
): Pass[][] {
  const maxDim = device.limits.maxComputeWorkgroupsPerDimension;
  const submissions: Pass[][] = [[]];
  plan.passes.forEach((p, index) => {
    const shader = program.shaders[p.shader];
    const pipeline = pipelines.get(p.shader)!;
    const bound = p.buffers.map((name) => {
      const b = buffers.get(name);
      if (!b) throw new Error(`pass ${index} (${p.shader}) binds '${name}', which the plan does not declare`);
      return b;
    });
    const perSubmission = Math.max(1, p.perSubmission);
    const slices = Math.ceil(p.groups / perSubmission);
    for (let k = 0; k < slices; k++) {
      const offset = k * perSubmission;
      const count = slices === 1 ? p.groups : Math.min(perSubmission, p.groups - offset);
      const params = packParams(shader, p.uniforms, offset);
      const label = `pass${index}.params${slices > 1 ? `@${offset}` : ''}`;
      const u = uniformBuffer(params.byteLength, label);
      device.queue.writeBuffer(u, 0, params);
      const pass: Pass = {
        pipeline,
        bindGroup: device.createBindGroup({
          label: `${shader.label} pass ${index}`,
          layout: pipeline.getBindGroupLayout(0),
          entries: [u, ...bound].map((buffer, binding) => ({ binding, resource: { buffer } })),
        }),
        workgroups: grid(count, maxDim),
      };
      if (slices === 1) submissions[submissions.length - 1].push(pass);
      else submissions.push([pass], []);
    }
  });
  return submissions.filter((x) => x.length);
}
