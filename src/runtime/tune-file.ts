import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TuneRecord, TuneStore } from '../gpu/tuner';

/**
 * Where Node remembers GPU variant choices: $KERNEL_PLAYGROUND_CACHE, else $XDG_CACHE_HOME/kernel-playground,
 * else ~/.cache/kernel-playground; the file is tune.json.
 */
export function tuneFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.KERNEL_PLAYGROUND_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kernel-playground');
  return join(dir, 'tune.json');
}

/** A JSON file; unreadable or missing reads as empty, and a write that fails keeps the choice in memory only. */
export class FileTuneStore implements TuneStore {
  constructor(readonly path = tuneFile()) {}
  load(): Record<string, TuneRecord> {
    try {
      const v = JSON.parse(readFileSync(this.path, 'utf8'));
      return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
    } catch {
      return {};
    }
  }
  save(all: Record<string, TuneRecord>): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(all, null, 1)}\n`);
      renameSync(tmp, this.path); // whole or not at all: two processes never leave half a file
    } catch {
      // a read-only home: tuning is remembered for this process only
    }
  }
}
