/**
 * regions: administrative divisions of China. Resolves free-form place names
 * to NBS division codes, parses pasted service-area lists into coverage sets,
 * and answers coverage questions. A library: it imports nothing else from src/.
 */
import type { Resolver, ServiceAreaParse } from './model.js';
import { parseServiceAreasWith } from './service-areas.js';
import { sharedResolver } from './shared.js';

export type {
  DivisionData,
  DivisionInfo,
  DivisionLevel,
  DivisionUnit,
  RenameEntry,
  Resolution,
  ResolutionStatus,
  ResolveOptions,
  Resolver,
  ServiceAreaItem,
  ServiceAreaParse,
} from './model.js';
export { createResolver } from './resolver.js';
export { sharedResolver } from './shared.js';
export { bundledData, parseDivisionText } from './table.js';
export {
  divisionAncestors,
  isStatisticalOnly,
  isWithin,
  levelOfCode,
  significantCode,
  toAreaCode,
} from './codes.js';
export { DIVISIONS_SOURCE } from './data/divisions.js';
export { RENAMES } from './data/renames.js';

/**
 * Splits a pasted service-area list on 、，, ; and line breaks and resolves
 * each piece (whole provinces and prefectures allowed) into a coverage set,
 * listing the pieces a human must fix; uses the bundled data unless a
 * resolver is given.
 */
export function parseServiceAreas(
  text: string,
  resolver: Resolver = sharedResolver(),
): ServiceAreaParse {
  return parseServiceAreasWith(text, resolver);
}

/** The official name of a division code (道孚县 for 513326), or undefined when unknown. */
export function divisionName(
  code: string,
  resolver: Resolver = sharedResolver(),
): string | undefined {
  return resolver.lookup(code)?.name;
}

/** The official path of a division code (四川省/甘孜藏族自治州/道孚县), or undefined when unknown. */
export function divisionPath(
  code: string,
  resolver: Resolver = sharedResolver(),
): string | undefined {
  return resolver.lookup(code)?.path;
}
