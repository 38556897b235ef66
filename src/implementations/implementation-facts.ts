/**
 * Facts about implementations that no conformance report states, each with
 * the document it comes from (shown by `gwctl implementations NAME` and
 * cited in findings). The reports are the source of every feature's
 * support; these are the choices the Gateway API leaves open (SEMANTICS.md
 * IMPL/SILENT) that an implementation documents. Pure data.
 */

export interface ImplementationFact {
  /** Implementation name (as in the compiled data). */
  implementation: string
  /** The choice (a FEATURE_FIELDS entry marked choice) the fact settles. */
  choice: string
  /** The engine switch the fact sets. */
  switch: 'httpsTlsSharedPort'
  value: boolean
  statement: string
  source: string
}

export const IMPLEMENTATION_FACTS: readonly ImplementationFact[] = [
  {
    implementation: 'nginx-gateway-fabric',
    choice: 'HTTPS and TLS listeners on one port',
    switch: 'httpsTlsSharedPort',
    value: true,
    statement: 'an HTTPS listener may share a TLS listener\'s port when their hostnames do not overlap',
    source: 'NGINX Gateway Fabric documentation, "TLS Passthrough" how-to (../shared/seeds/002_9b9aa2cd18578bce.txt, the note after the Gateway manifest)',
  },
]

/** The facts about one implementation. */
export function listImplementationFacts(name: string): ImplementationFact[] {
  return IMPLEMENTATION_FACTS.filter((fact) => fact.implementation === name)
}
