/**
 * A small WebAssembly binary writer: the module sections and the instructions the compiled tier
 * emits (scalar control and integer ops, float32/float64 scalars, SIMD128). Emitting the binary
 * directly keeps the page free of an assembler (a few hundred lines instead of a 1 MB toolchain);
 * tests/unit/wasm-encode.test.ts checks every opcode here against wabt's assembler.
 */

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;
/** The block type of a block that yields nothing. */
export const EMPTY = 0x40;

/** Plain (one-byte) opcodes. */
export const OP = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  'local.get': 0x20,
  'local.set': 0x21,
  'local.tee': 0x22,
  'global.get': 0x23,
  'i32.load': 0x28,
  'f32.load': 0x2a,
  'f64.load': 0x2b,
  'i32.store': 0x36,
  'f32.store': 0x38,
  'f64.store': 0x39,
  'i32.const': 0x41,
  'f32.const': 0x43,
  'f64.const': 0x44,
  'i32.eqz': 0x45,
  'i32.eq': 0x46,
  'i32.ne': 0x47,
  'i32.lt_s': 0x48,
  'i32.lt_u': 0x49,
  'i32.gt_s': 0x4a,
  'i32.gt_u': 0x4b,
  'i32.le_u': 0x4d,
  'i32.ge_s': 0x4e,
  'i32.ge_u': 0x4f,
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.and': 0x71,
  'i32.or': 0x72,
  'i32.shl': 0x74,
  'i32.shr_u': 0x76,
  'f64.gt': 0x64,
  'f32.abs': 0x8b,
  'f32.neg': 0x8c,
  'f32.add': 0x92,
  'f32.sub': 0x93,
  'f32.mul': 0x94,
  'f32.div': 0x95,
  'f64.sqrt': 0x9f,
  'f64.add': 0xa0,
  'f64.sub': 0xa1,
  'f64.mul': 0xa2,
  'f64.div': 0xa3,
  'f64.min': 0xa4,
  'f64.max': 0xa5,
  'i32.trunc_f32_u': 0xa9,
  'f64.convert_i32_u': 0xb8,
  'f32.demote_f64': 0xb6,
  'f64.promote_f32': 0xbb,
} as const;

/** SIMD128 opcodes (after the 0xfd prefix, LEB128-encoded). */
export const SIMD = {
  'v128.load': 0x00,
  'v128.load32_splat': 0x09,
  'v128.store': 0x0b,
  'v128.const': 0x0c,
  'i8x16.shuffle': 0x0d,
  'i32x4.splat': 0x11,
  'f32x4.splat': 0x13,
  'f64x2.splat': 0x14,
  'i32x4.extract_lane': 0x1b,
  'f32x4.extract_lane': 0x1f,
  'f32x4.replace_lane': 0x20,
  'f64x2.extract_lane': 0x21,
  'i32x4.eq': 0x37,
  'i32x4.ne': 0x38,
  'i32x4.lt_s': 0x39,
  'i32x4.lt_u': 0x3a,
  'i32x4.gt_s': 0x3b,
  'i32x4.gt_u': 0x3c,
  'i32x4.le_s': 0x3d,
  'i32x4.ge_s': 0x3f,
  'f32x4.eq': 0x41,
  'f32x4.ne': 0x42,
  'f32x4.lt': 0x43,
  'f32x4.gt': 0x44,
  'f32x4.le': 0x45,
  'f32x4.ge': 0x46,
  'v128.not': 0x4d,
  'v128.and': 0x4e,
  'v128.andnot': 0x4f,
  'v128.or': 0x50,
  'v128.xor': 0x51,
  'v128.bitselect': 0x52,
  'v128.any_true': 0x53,
  'v128.store32_lane': 0x5a,
  'f32x4.demote_f64x2_zero': 0x5e,
  'f64x2.promote_low_f32x4': 0x5f,
  'f32x4.ceil': 0x67,
  'f32x4.floor': 0x68,
  'f32x4.trunc': 0x69,
  'f32x4.nearest': 0x6a,
  'i32x4.all_true': 0xa3,
  'i32x4.bitmask': 0xa4,
  'i32x4.shl': 0xab,
  'i32x4.shr_s': 0xac,
  'i32x4.shr_u': 0xad,
  'i32x4.add': 0xae,
  'i32x4.sub': 0xb1,
  'i32x4.mul': 0xb5,
  'i32x4.min_s': 0xb6,
  'i32x4.max_s': 0xb8,
  'f32x4.abs': 0xe0,
  'f32x4.neg': 0xe1,
  'f32x4.sqrt': 0xe3,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.div': 0xe7,
  'f32x4.min': 0xe8,
  'f32x4.max': 0xe9,
  'f32x4.pmin': 0xea,
  'f32x4.pmax': 0xeb,
  'f64x2.add': 0xf0,
  'f64x2.sub': 0xf1,
  'f64x2.mul': 0xf2,
  'f64x2.div': 0xf3,
  'f64x2.min': 0xf4,
  'f64x2.max': 0xf5,
  'i64x2.gt_s': 0xd9,
  'i64x2.extmul_low_i32x4_u': 0xde,
  'i64x2.extmul_high_i32x4_u': 0xdf,
  'i32x4.trunc_sat_f32x4_s': 0xf8,
  'f32x4.convert_i32x4_s': 0xfa,
  'f32x4.relaxed_madd': 0x105,
  'f32x4.relaxed_nmadd': 0x106,
} as const;
export type SimdOp = keyof typeof SIMD;

export function uleb(n: number, out: number[] = []): number[] {
  let v = n >>> 0;
  if (n > 0xffffffff || n < 0) throw new Error(`uleb out of range: ${n}`);
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

export function sleb(n: number, out: number[] = []): number[] {
  let v = n | 0;
  if (v !== n) throw new Error(`sleb out of range: ${n}`);
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const f32Bytes = (x: number): number[] => [...new Uint8Array(Float32Array.of(x).buffer)];
const f64Bytes = (x: number): number[] => [...new Uint8Array(Float64Array.of(x).buffer)];

/**
 * The v128 constants of the module being written, when it keeps them as immutable globals: V8 builds
 * an inline v128.const from scratch at each use in a loop (three instructions on x64), while an
 * immutable global is a pure load it can schedule and share (see withConstPool).
 */
interface ConstPool {
  slots: Map<string, number>;
  values: number[][];
}
let pool: ConstPool | null = null;
/** Globals a module may define for its constants (beyond this, constants stay inline). */
const MAX_CONST_GLOBALS = 256;

/**
 * Writes a module's functions with `write`, their v128 constants as immutable globals (pass `globals`
 * to moduleBytes).
 */
export function withConstPool<T>(write: () => T): { result: T; globals: number[][] } {
  const outer = pool;
  pool = { slots: new Map(), values: [] };
  try {
    const result = write();
    return { result, globals: pool.values };
  } finally {
    pool = outer;
  }
}

/** A function body under construction: locals by type, then instructions. */
export class Body {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];
  /** The constant pool of the module this body was created for (withConstPool), if any. */
  private readonly constPool: ConstPool | null;
  /** Set once the body reads a constant global: moduleBytes checks it gets that pool's globals. */
  usesGlobalsOf: ConstPool | null = null;

  /** `inlineConstants`: never a pool's globals (a probe module written at any moment). */
  constructor(
    readonly params: readonly ValType[],
    opts: { inlineConstants?: boolean } = {},
  ) {
    this.constPool = opts.inlineConstants ? null : pool;
  }

  /** A new local of type t; returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  op(name: keyof typeof OP, ...imm: number[]): this {
    this.code.push(OP[name], ...imm);
    return this;
  }

  simd(name: SimdOp): this {
    this.code.push(0xfd);
    uleb(SIMD[name], this.code);
    return this;
  }

  get(i: number): this {
    return this.op('local.get', ...uleb(i));
  }
  set(i: number): this {
    return this.op('local.set', ...uleb(i));
  }
  tee(i: number): this {
    return this.op('local.tee', ...uleb(i));
  }
  i32(v: number): this {
    return this.op('i32.const', ...sleb(v | 0));
  }
  f32(v: number): this {
    return this.op('f32.const', ...f32Bytes(v));
  }
  f64(v: number): this {
    return this.op('f64.const', ...f64Bytes(v));
  }
  /** A v128 constant: a global of the module when it keeps them so (and has room), else inline. */
  v128(bytes: readonly number[]): this {
    const cp = this.constPool;
    if (cp) {
      const key = bytes.join(',');
      let slot = cp.slots.get(key);
      if (slot === undefined && cp.values.length < MAX_CONST_GLOBALS) {
        slot = cp.values.length;
        cp.values.push([...bytes]);
        cp.slots.set(key, slot);
      }
      if (slot !== undefined) {
        this.usesGlobalsOf = cp;
        return this.op('global.get', ...uleb(slot));
      }
    }
    this.simd('v128.const');
    this.code.push(...bytes);
    return this;
  }
  /** A v128 constant of four float32 lanes (one value: splatted). */
  f32x4(...lanes: number[]): this {
    const v = lanes.length === 1 ? [lanes[0], lanes[0], lanes[0], lanes[0]] : lanes;
    return this.v128(v.flatMap(f32Bytes));
  }
  /** A v128 constant of four int32 lanes (one value: splatted). */
  i32x4(...lanes: number[]): this {
    const v = lanes.length === 1 ? [lanes[0], lanes[0], lanes[0], lanes[0]] : lanes;
    return this.v128(v.flatMap((x) => [...new Uint8Array(Int32Array.of(x).buffer)]));
  }
  f64x2(a: number, b = a): this {
    return this.v128([...f64Bytes(a), ...f64Bytes(b)]);
  }
  /** A memory instruction with its alignment (log2 bytes) and offset. */
  mem(name: 'v128.load' | 'v128.store', offset = 0, align = 4): this {
    this.simd(name);
    this.code.push(...uleb(align), ...uleb(offset));
    return this;
  }
  scalarMem(name: 'f32.load' | 'f32.store' | 'i32.load' | 'i32.store', offset = 0): this {
    return this.op(name, 2, ...uleb(offset));
  }
  /** Four copies of the float32 at the address on the stack (+ offset). */
  splat32(offset = 0): this {
    this.simd('v128.load32_splat');
    this.code.push(2, ...uleb(offset));
    return this;
  }
  storeLane(lane: number, offset = 0): this {
    this.simd('v128.store32_lane');
    this.code.push(2, ...uleb(offset), lane);
    return this;
  }
  lane(
    name: 'f32x4.extract_lane' | 'f32x4.replace_lane' | 'f64x2.extract_lane' | 'i32x4.extract_lane',
    lane: number,
  ): this {
    this.simd(name);
    this.code.push(lane);
    return this;
  }
  shuffle(lanes: readonly number[]): this {
    this.simd('i8x16.shuffle');
    this.code.push(...lanes);
    return this;
  }
  call(fn: number): this {
    return this.op('call', ...uleb(fn));
  }

  /** The encoded body: locals (run-length by type) and code. */
  encode(): number[] {
    const groups: [number, ValType][] = [];
    for (const t of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const out = uleb(groups.length);
    for (const [n, t] of groups) out.push(...uleb(n), t);
    out.push(...this.code, OP.end);
    return [...uleb(out.length), ...out];
  }
}

export interface FuncDef {
  params: readonly ValType[];
  results: readonly ValType[];
  body: Body;
  /** Exported under this name when given. */
  export?: string;
}

export interface ImportFunc {
  module: string;
  name: string;
  params: readonly ValType[];
  results: readonly ValType[];
}

const str = (s: string): number[] => {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

/**
 * A module importing `env.memory` (shared or not) and some functions, defining `funcs`. Imported
 * functions take indices 0..imports-1, defined ones follow in order.
 */
export function moduleBytes(opts: {
  shared: boolean;
  imports: readonly ImportFunc[];
  funcs: readonly FuncDef[];
  /** Immutable v128 globals 0, 1, ... with these 16-byte values (withConstPool). */
  globals?: readonly number[][];
}): Uint8Array<ArrayBuffer> {
  const types: string[] = [];
  const typeIndex = (params: readonly ValType[], results: readonly ValType[]): number => {
    const key = `${params.join(',')}>${results.join(',')}`;
    let i = types.indexOf(key);
    if (i < 0) {
      types.push(key);
      i = types.length - 1;
    }
    return i;
  };
  const importEntries = opts.imports.map((f) => [
    ...str(f.module),
    ...str(f.name),
    0x00,
    ...uleb(typeIndex(f.params, f.results)),
  ]);
  // Memory limits: a shared memory must state its maximum (4 GiB: 65536 pages).
  importEntries.push([
    ...str('env'),
    ...str('memory'),
    0x02,
    ...(opts.shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0]),
  ]);
  for (const f of opts.funcs) {
    const used = f.body.usesGlobalsOf;
    if (used && used.values !== opts.globals)
      throw new Error(
        "a function reads the constant globals of another module: write it in this module's withConstPool",
      );
  }
  const funcTypes = opts.funcs.map((f) => uleb(typeIndex(f.params, f.results)));
  const typeEntries = types.map((k) => {
    const [p, r] = k.split('>');
    const ps = p ? p.split(',').map(Number) : [];
    const rs = r ? r.split(',').map(Number) : [];
    return [0x60, ...uleb(ps.length), ...ps, ...uleb(rs.length), ...rs];
  });
  const exports = opts.funcs
    .map((f, i) => (f.export ? [...str(f.export), 0x00, ...uleb(opts.imports.length + i)] : null))
    .filter((e): e is number[] => e !== null);
  const bytes = [
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(typeEntries)),
    ...section(2, vec(importEntries)),
    ...section(3, vec(funcTypes)),
    // immutable v128 globals, each initialised by a v128.const
    ...(opts.globals?.length
      ? section(6, vec(opts.globals.map((g) => [0x7b, 0x00, 0xfd, ...uleb(SIMD['v128.const']), ...g, 0x0b])))
      : []),
    ...section(7, vec(exports)),
    ...section(10, vec(opts.funcs.map((f) => f.body.encode()))),
  ];
  return Uint8Array.from(bytes);
}

/**
 * A module whose functions (from `write`) keep their v128 constants in immutable globals
 * (withConstPool).
 */
export function pooledModule(
  shared: boolean,
  imports: readonly ImportFunc[],
  write: () => readonly FuncDef[],
): Uint8Array<ArrayBuffer> {
  const { result: funcs, globals } = withConstPool(write);
  return moduleBytes({ shared, imports, funcs, globals });
}
