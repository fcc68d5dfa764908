/**
 * C2PA validation through @contentauth/c2pa-wasm (c2pa-rs compiled to
 * WebAssembly), offline: no trust list, no OCSP, no remote manifests. The
 * 9 MB module is compiled once, lazily, on the first image that carries a
 * manifest.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initC2pa, { WasmReader } from '@contentauth/c2pa-wasm';
import type { ImageFormat } from '../model.js';
import type { C2paAction, C2paReport, C2paState } from './model.js';

/** Offline settings: without a trust list an intact manifest reads as "Valid", never "Trusted". */
const READER_SETTINGS = JSON.stringify({
  verify: { verify_trust: false, ocsp_fetch: false, remote_manifest_fetch: false },
});

const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  gif: 'image/gif',
};

let ready: Promise<void> | undefined;

/** Compiles the validator once per process; later calls share the same promise. */
export function loadC2paValidator(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('@contentauth/c2pa-wasm/c2pa.wasm'));
    await initC2pa({ module_or_path: wasm });
  })();
  return ready;
}

/** Validates the manifest store embedded in `bytes`; never throws, an unreadable store is a state. */
export async function validateC2pa(bytes: Uint8Array, format: ImageFormat): Promise<C2paReport> {
  let reader: WasmReader | undefined;
  try {
    await loadC2paValidator();
    reader = await WasmReader.fromBytes(MIME[format], bytes, READER_SETTINGS);
    const store: unknown = reader.manifestStore();
    return summarizeStore(store);
  } catch (error) {
    return unreadable(error instanceof Error ? error.message : String(error));
  } finally {
    reader?.free();
  }
}

function unreadable(error: string): C2paReport {
  return {
    state: 'unreadable',
    failureCodes: [],
    ingredientFailureCodes: [],
    actions: [],
    manifestCount: 0,
    error,
  };
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function codes(entries: unknown): string[] {
  const out = new Set<string>();
  for (const e of list(entries)) {
    const code = isObject(e) ? str(e.code) : undefined;
    if (code) out.add(code);
  }
  return [...out];
}

/** Turns the validator's manifest store (c2pa-rs JSON) into our report. */
export function summarizeStore(store: unknown): C2paReport {
  if (!isObject(store)) return unreadable('manifest store is not an object');
  const manifests = isObject(store.manifests) ? store.manifests : {};
  const activeLabel = str(store.active_manifest);
  const results = isObject(store.validation_results) ? store.validation_results : undefined;
  const active = results && isObject(results.activeManifest) ? results.activeManifest : undefined;
  const failureCodes = active ? codes(active.failure) : codes(store.validation_status);
  const ingredientFailureCodes = [
    ...new Set(
      list(results?.ingredientDeltas).flatMap((d) =>
        isObject(d) && isObject(d.validationDeltas) ? codes(d.validationDeltas.failure) : [],
      ),
    ),
  ];
  const actions: C2paAction[] = [];
  for (const [label, manifest] of Object.entries(manifests)) {
    if (isObject(manifest))
      actions.push(...manifestActions(label, manifest, label === activeLabel));
  }
  const report: C2paReport = {
    state: mapState(str(store.validation_state), failureCodes),
    failureCodes,
    ingredientFailureCodes,
    actions,
    manifestCount: Object.keys(manifests).length,
  };
  const activeManifest = activeLabel ? manifests[activeLabel] : undefined;
  if (isObject(activeManifest)) {
    const generator =
      str(activeManifest.claim_generator) ?? generatorFromInfo(activeManifest.claim_generator_info);
    if (generator) report.claimGenerator = generator;
    const title = str(activeManifest.title);
    if (title) report.title = title;
    const signature = isObject(activeManifest.signature_info) ? activeManifest.signature_info : {};
    const issuer = str(signature.issuer);
    const name = str(signature.common_name);
    const time = str(signature.time);
    if (issuer) report.signerIssuer = issuer;
    if (name) report.signerName = name;
    if (time) report.signedAt = time;
  }
  return report;
}

function mapState(state: string | undefined, failureCodes: readonly string[]): C2paState {
  if (state === 'Trusted') return 'valid';
  if (state === 'Valid') return 'untrusted';
  if (state === 'Invalid') return 'invalid';
  return failureCodes.length > 0 ? 'invalid' : 'untrusted';
}

function generatorFromInfo(info: unknown): string | undefined {
  const names = list(info)
    .map((i) => (isObject(i) ? [str(i.name), str(i.version)].filter(Boolean).join('/') : ''))
    .filter(Boolean);
  return names.length > 0 ? names.join(', ') : undefined;
}

function manifestActions(label: string, manifest: Json, isActive: boolean): C2paAction[] {
  const out: C2paAction[] = [];
  for (const assertion of list(manifest.assertions)) {
    if (!isObject(assertion) || !/^c2pa\.actions(\.v\d+)?$/.test(str(assertion.label) ?? ''))
      continue;
    const data = isObject(assertion.data) ? assertion.data : {};
    for (const a of list(data.actions)) {
      if (!isObject(a)) continue;
      const action = str(a.action);
      if (!action) continue;
      const entry: C2paAction = { action, manifest: label, isActive };
      const parameters = isObject(a.parameters) ? a.parameters : {};
      const source = str(a.digitalSourceType) ?? str(parameters.digitalSourceType);
      if (source) entry.digitalSourceType = source;
      const agent =
        str(a.softwareAgent) ?? (isObject(a.softwareAgent) ? str(a.softwareAgent.name) : undefined);
      if (agent) entry.softwareAgent = agent;
      out.push(entry);
    }
  }
  return out;
}
