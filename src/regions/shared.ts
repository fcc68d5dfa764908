import type { Resolver } from './model.js';
import { createResolver } from './resolver.js';

let shared: Resolver | undefined;

/**
 * The resolver over the bundled data, built on first use and then kept: the
 * helpers that take only a code or a text (divisionName, parseServiceAreas)
 * share it instead of rebuilding the index per call.
 */
export function sharedResolver(): Resolver {
  shared ??= createResolver();
  return shared;
}
