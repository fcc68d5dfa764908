/** Levels of the division tree, from the top; a placeholder level (市辖区, 省直辖县级行政区划) counts as prefecture. */
export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'town';

/** How a resolution ended: one unit, several that fit equally, or none. */
export type ResolutionStatus = 'resolved' | 'ambiguous' | 'unresolved';

/** One division as the data table lists it: a 2-, 4-, 6- or 9-digit NBS code and its official name. */
export interface DivisionUnit {
  readonly code: string;
  readonly name: string;
}

/**
 * A stale name still found in the wild and the current unit it stands for
 * (撤县设市, 撤县设区, merged districts, renamed prefectures). An old unit that
 * was split has one entry per successor, so the name resolves as ambiguous
 * unless the context settles it.
 */
export interface RenameEntry {
  /** The name as people still write it, e.g. 隆昌县. */
  readonly old: string;
  /** The current code: 6 digits for a county-level unit, 4 for a prefecture. */
  readonly code: string;
  /** Where and when, for the people who maintain the table. */
  readonly note: string;
  /**
   * A unit that moved to another prefecture (简阳 from 资阳 to 成都) keeps its
   * name; its former prefecture's 4-digit code is then still accepted as context.
   */
  readonly formerParent?: string;
  /** `alias` marks a second current name (兵团第八师 for 石河子市) rather than a stale one. */
  readonly kind?: 'alias';
}

/** Everything a resolver is built from; tests pass small hand-made tables. */
export interface DivisionData {
  readonly units: readonly DivisionUnit[];
  readonly renames: readonly RenameEntry[];
}

/** The answer for one free-form name. */
export interface Resolution {
  /** The input exactly as given. */
  readonly input: string;
  readonly status: ResolutionStatus;
  /** The 6-digit county or 9-digit town code when resolved, else null. */
  readonly code: string | null;
  /** Every unit that fits when ambiguous (sorted), else empty. */
  readonly candidates: readonly string[];
  /** The level of `code` when resolved. */
  readonly level?: DivisionLevel;
  /** The official path 省/市/县[/镇] of `code`, placeholder levels left out. */
  readonly name?: string;
}

/** Options for one resolution. */
export interface ResolveOptions {
  /**
   * Also accept a whole province or prefecture (成都市, 凉山州) and answer with
   * its 6-digit code (510100, 513400); service-area lists need this, while the
   * name-to-district contract does not.
   */
  readonly allowAreas?: boolean;
}

/** What the table says about one code. */
export interface DivisionInfo {
  /** The code as stored: 2, 4, 6 or 9 digits. */
  readonly code: string;
  readonly level: DivisionLevel;
  /** The official name of the unit itself, e.g. 道孚县. */
  readonly name: string;
  /** The official path 省/市/县[/镇], placeholder levels left out. */
  readonly path: string;
}

/** A resolver built once over a division table; `resolve` is pure and fast. */
export interface Resolver {
  /** Resolves one free-form name; never throws on any string. */
  resolve(input: string, options?: ResolveOptions): Resolution;
  /** Looks a code up (short or 6-digit padded forms); undefined when the table lacks it. */
  lookup(code: string): DivisionInfo | undefined;
}

/** One piece of a pasted service-area list and what it resolved to. */
export interface ServiceAreaItem {
  readonly text: string;
  readonly resolution: Resolution;
}

/** A pasted service-area list turned into a coverage set, with what a human must fix. */
export interface ServiceAreaParse {
  /** Distinct resolved codes in order of appearance (6-digit areas and counties, 9-digit towns). */
  readonly codes: readonly string[];
  readonly items: readonly ServiceAreaItem[];
  /** The item texts that were ambiguous or did not resolve. */
  readonly unresolved: readonly string[];
}
