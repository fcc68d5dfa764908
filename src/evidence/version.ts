/** Recorded with every stored result so a re-analysis after an upgrade can be told apart. */
export const ENGINE_VERSION = 'anxin-evidence/0.1.0';
