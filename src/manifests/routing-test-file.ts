/**
 * Which files are gwctl routing-test files (`*.gwctl-test.yaml`, `.yml`),
 * not manifests: walks and globs of lint, resolve, serve and certs --for
 * leave them out without listing them as skipped, a test file named as a
 * manifest input is skipped with this reason, and `gwctl test` finds them
 * by the same name next to the manifests.
 */
export const ROUTING_TEST_SUFFIXES = ['.gwctl-test.yaml', '.gwctl-test.yml'] as const

export const ROUTING_TEST_SKIP_REASON = 'a gwctl test file (kind RoutingTests), not a manifest: run it with gwctl test'

export function isRoutingTestFile(name: string): boolean {
  const lower = name.toLowerCase()
  return ROUTING_TEST_SUFFIXES.some((suffix) => lower.endsWith(suffix))
}
