/**
 * Lazy, shared OpenCV (WASM) initialisation and a scope that frees every
 * OpenCV object it was given, so callers cannot leak WASM heap memory.
 */
import { createRequire } from 'node:module';
import type * as cvNamespace from '@techstark/opencv-js';

// Loaded with require, not import: the module object is a thenable, and ESM
// loaders that await a CommonJS module's exports (vitest's does) never settle.
const cvModule = createRequire(import.meta.url)('@techstark/opencv-js') as typeof cvNamespace;

/** The OpenCV.js namespace once its runtime is ready. */
export type OpenCv = typeof cvNamespace;

/** Anything allocated on the OpenCV heap (Mat, vectors, detectors). */
export interface Deletable {
  delete(): void;
}

// The module object is a thenable (Emscripten adds `then`), so it must never be
// the resolution value of a promise: resolving with it loops forever. Wrap it.
let pending: Promise<{ cv: OpenCv }> | undefined;

/** Resolves once the WASM runtime is initialised; later calls share the same load. */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  pending ??= new Promise<{ cv: OpenCv }>((resolve) => {
    const mod = cvModule as OpenCv & { onRuntimeInitialized?: () => void };
    if (typeof (mod as { Mat?: unknown }).Mat === 'function') {
      resolve({ cv: mod });
      return;
    }
    mod.onRuntimeInitialized = () => resolve({ cv: mod });
  });
  return pending;
}

/** Collects OpenCV objects and deletes them all at once, newest first. */
export class MatScope {
  private readonly items: Deletable[] = [];

  /** Registers an object for deletion and returns it unchanged. */
  track<T extends Deletable>(item: T): T {
    this.items.push(item);
    return item;
  }

  /** Deletes every tracked object; safe to call more than once. */
  dispose(): void {
    while (this.items.length > 0) {
      const item = this.items.pop();
      try {
        item?.delete();
      } catch {
        // A double delete throws inside Emscripten; the memory is already free.
      }
    }
  }
}

/** Runs `body` with a fresh scope and frees everything it tracked, even on error. */
export function withScope<T>(body: (scope: MatScope) => T): T {
  const scope = new MatScope();
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}
