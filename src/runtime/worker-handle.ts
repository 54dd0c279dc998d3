import type { Endpoint } from 'comlink';

/**
 * A started worker as the pool sees it, whatever the runtime: a Comlink endpoint, a way to end it,
 * and one callback for the ways it can die (an uncaught error, an exit, a message that cannot be read).
 */
export interface WorkerHandle {
  endpoint: Endpoint;
  terminate(): void;
  onFailure(cb: (err: Error) => void): void;
}

export type WorkerFactory = () => WorkerHandle;
