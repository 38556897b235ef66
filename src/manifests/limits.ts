/**
 * The bounds loading puts on input so that no file, however hostile, can
 * exhaust memory or the stack: each is reported as an input finding when
 * exceeded, never as a crash.
 */

/** Largest file (or stdin) read, in bytes. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024

/**
 * Deepest nesting of maps and sequences in one document. Real manifests stay
 * under 30 (the Gateway API CRDs themselves reach 24).
 */
export const MAX_NESTING_DEPTH = 100

/** Most nodes that aliases may expand to in one document (bounds alias bombs). */
export const MAX_ALIAS_NODES = 100_000

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`
    : bytes >= 1024 ? `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB` : `${bytes} bytes`
}

/** `100000` → `100,000`, without ICU (Intl costs milliseconds to load on every start). */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',')
}
