/**
 * The one error hierarchy. Every error the playground raises on purpose has a `kind`; its `name`
 * (which Comlink and structured clone carry across worker boundaries, and which the page reports to
 * headless mode) names the kind, so an error rebuilt on the other side of a boundary is classified
 * the same way. `exitStatus` and `userMessage` are the one place kinds become CLI statuses and UI text.
 */
export type ErrorKind = 'input' | 'environment' | 'cancelled' | 'device-lost' | 'kernel';

export abstract class PlaygroundError extends Error {
  abstract readonly kind: ErrorKind;
}

/** An error in what the user asked for: exit status 2 on the CLI, a message on the page. */
export class InputError extends PlaygroundError {
  override name = 'InputError';
  readonly kind = 'input';
}

/** The environment lacks what was asked for (no WebGPU, an adapter id this machine lacks): exit status 3. */
export class EnvironmentError extends PlaygroundError {
  override name = 'EnvironmentError';
  readonly kind = 'environment';
}

/** The run was cancelled (Cancel, a newer run, an AbortSignal). Named as the platform's abort is. */
export class CancelledError extends PlaygroundError {
  override name = 'AbortError';
  readonly kind = 'cancelled';
  constructor(message = 'the run was cancelled') {
    super(message);
  }
}

/** The GPU device was lost (driver reset, the adapter went away, destroyed). */
export class DeviceLostError extends PlaygroundError {
  override name = 'DeviceLostError';
  readonly kind = 'device-lost';
}

/** A kernel failed where it ran: it threw, its worker died, the GPU rejected it. */
export class KernelError extends PlaygroundError {
  override name = 'KernelError';
  readonly kind = 'kernel';
}

/** Thrown by a fault-injection kernel to ask the pool worker running it to die as a real crash would. */
export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

const BY_NAME: Readonly<Record<string, ErrorKind>> = {
  InputError: 'input',
  ExprError: 'input',
  UsageError: 'input',
  EnvironmentError: 'environment',
  AbortError: 'cancelled',
  DeviceLostError: 'device-lost',
  KernelError: 'kernel',
};

/** The kind of any thrown value: by class, else by the name it carried across a boundary; else 'kernel'. */
export function errorKind(e: unknown): ErrorKind {
  if (e instanceof PlaygroundError) return e.kind;
  const name = (e as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && BY_NAME[name]) return BY_NAME[name];
  if ((e as { code?: unknown } | null)?.code?.toString().startsWith('ERR_PARSE_ARGS')) return 'input';
  return 'kernel';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** An error of a kind, rebuilt from what crossed a boundary (a worker, the page's answer to headless). */
export function errorOfKind(kind: ErrorKind, message: string): PlaygroundError {
  switch (kind) {
    case 'input':
      return new InputError(message);
    case 'environment':
      return new EnvironmentError(message);
    case 'cancelled':
      return new CancelledError(message);
    case 'device-lost':
      return new DeviceLostError(message);
    case 'kernel':
      return new KernelError(message);
  }
}

/** CLI exit statuses (../shared/CONTRACTS.md): 1 a run failed, 2 bad input, 3 the environment lacks it. */
export function exitStatus(e: unknown): 1 | 2 | 3 {
  const kind = errorKind(e);
  return kind === 'input' ? 2 : kind === 'environment' ? 3 : 1;
}

/** What the page and the widget show for an error: input errors as they are, the rest with a lead-in. */
export function userMessage(e: unknown): string {
  const msg = errorMessage(e);
  switch (errorKind(e)) {
    case 'input':
    case 'environment':
    case 'cancelled':
      return msg;
    case 'device-lost':
      return `The GPU device was lost: ${msg}. The next run requests a new one.`;
    case 'kernel':
      return `The run failed: ${msg}`;
  }
}
