export { startRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export type { Services } from './services.js';
export { registerJobHandlers, enqueueMaintenance } from './job-handlers.js';
