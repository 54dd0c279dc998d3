import { KernelError } from '../errors';
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
      if (!b)
        throw new KernelError(`pass ${index} (${p.shader}) binds '${name}', which the plan does not declare`);
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

/** Timestamp queries of a run: written at the start of its first pass and the end of its last. */
export interface Timer {
  query: GPUQuerySet;
  resolve: GPUBuffer;
  read: GPUBuffer;
}

/**
 * Submits the submissions in order, `repeat` times over (one command buffer each); with a timer, the
 * first pass of the first repetition and the end of the last pass of the last are timestamped, so the
 * time spans every slice of a split run, and the timestamps are copied where readTimer finds them.
 */
export function submitPasses(
  device: GPUDevice,
  label: string,
  submissions: readonly Pass[][],
  timer: Timer | null,
  repeat = 1,
): void {
  const total = submissions.length * repeat;
  for (let k = 0; k < total; k++) {
    const sub = submissions[k % submissions.length];
    const first = k === 0;
    const last = k === total - 1;
    const enc = device.createCommandEncoder({ label: `${label} dispatch ${k + 1}/${total}` });
    const pass = enc.beginComputePass({
      label,
      timestampWrites:
        timer && (first || last)
          ? {
              querySet: timer.query,
              ...(first ? { beginningOfPassWriteIndex: 0 } : {}),
              ...(last ? { endOfPassWriteIndex: 1 } : {}),
            }
          : undefined,
    });
    for (const s of sub) {
      pass.setPipeline(s.pipeline);
      pass.setBindGroup(0, s.bindGroup);
      pass.dispatchWorkgroups(...s.workgroups);
    }
    pass.end();
    if (timer && last) {
      enc.resolveQuerySet(timer.query, 0, 2, timer.resolve, 0);
      enc.copyBufferToBuffer(timer.resolve, 0, timer.read, 0, 16);
    }
    device.queue.submit([enc.finish()]);
  }
}

/** Milliseconds between the two timestamps, or undefined when the implementation gave none usable. */
export async function readTimer(
  timer: Timer,
  guard: <T>(p: Promise<T>) => Promise<T>,
): Promise<number | undefined> {
  await guard(timer.read.mapAsync(GPUMapMode.READ));
  const ts = new BigInt64Array(timer.read.getMappedRange().slice(0));
  timer.read.unmap();
  const ns = Number(ts[1] - ts[0]);
  return ns > 0 ? ns / 1e6 : undefined; // 0 or negative: no usable timestamps
}
