import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DeviceLostError,
  EnvironmentError,
  type ErrorKind,
  errorKind,
  errorOfKind,
  exitStatus,
  InputError,
  KernelError,
  userMessage,
} from '../../src/errors';
import { ExprError } from '../../src/expr/errors';

const KINDS: [ErrorKind, Error, 1 | 2 | 3][] = [
  ['input', new InputError('size must be an integer'), 2],
  ['environment', new EnvironmentError('no adapter'), 3],
  ['cancelled', new CancelledError(), 1],
  ['device-lost', new DeviceLostError('the device was lost'), 1],
  ['kernel', new KernelError('WebGPU rejected it'), 1],
];

describe('the error hierarchy', () => {
  it.each(KINDS)('%s: classified by class, and by name once it crossed a boundary', (kind, e, status) => {
    expect(errorKind(e)).toBe(kind);
    // What Comlink or structured clone delivers on the other side: a plain Error with name and message.
    const crossed = Object.assign(new Error(e.message), { name: e.name });
    expect(errorKind(crossed)).toBe(kind);
    expect(exitStatus(crossed)).toBe(status);
    const rebuilt = errorOfKind(kind, e.message);
    expect(errorKind(rebuilt)).toBe(kind);
    expect(rebuilt.message).toBe(e.message);
  });
  it('counts an expression error as input, and anything unknown as a failed kernel', () => {
    expect(errorKind(new ExprError("unexpected '*'", 4))).toBe('input');
    expect(errorKind(new Error('boom'))).toBe('kernel');
    expect(errorKind('a string')).toBe('kernel');
    expect(exitStatus(Object.assign(new Error('bad flag'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }))).toBe(
      2,
    );
  });
  it('words messages for the page: input and cancellation as they are, failures with a lead-in', () => {
    expect(userMessage(new InputError('size must be an integer'))).toBe('size must be an integer');
    expect(userMessage(new CancelledError())).toBe('the run was cancelled');
    expect(userMessage(new KernelError('boom'))).toBe('The run failed: boom');
    expect(userMessage(new DeviceLostError('driver reset'))).toContain(
      'The GPU device was lost: driver reset',
    );
  });
});
