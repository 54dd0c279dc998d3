/// <reference lib="webworker" />
import { expose } from 'comlink';
import { createWorkerApi } from './impl';

expose(
  createWorkerApi(
    () =>
      // What a real crash looks like to the page: the call in flight never answers and the Worker's
      // `error` event fires (an error thrown outside any handler).
      new Promise<never>(() => {
        setTimeout(() => {
          throw new Error('injected fault: the worker crashed');
        });
      }),
  ),
);
