/**
 * Gateway spec.tls.frontend client-certificate validation in the engine
 * (SEMANTICS.md §2.4, §2.8, §6, §10), as tables over small in-memory
 * configurations, for what the golden `frontend-validation` does not pin:
 * which listeners a validation block applies to, the order of the CA
 * reference checks, how they combine with certificateRefs problems, the
 * Gateway's InsecureFrontendValidationMode, and what the decision carries.
 */
import {strict as assert} from 'node:assert'
import type {Binding, ListenerBinding} from '../../src/gatewayapi/binding.js'
import {findCondition} from '../../src/gatewayapi/conditions.js'
import {assertTrace, bindDocuments, compileDocuments, decideOne, gateway, tlsSecret} from './decide-support.js'

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n'

function configMap(name: string, namespace = 'default'): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${namespace}}\ndata:\n  ca.crt: ${JSON.stringify(CA_PEM)}`
}

/** `spec.tls.frontend` as YAML lines under `spec:` (two-space indent). */
function frontend(defaultRefs: string | undefined, perPort: string[] = [], mode?: string): string {
  const lines = ['tls:', '    frontend:']
  if (defaultRefs !== undefined) lines.push('      default:', `        validation: {caCertificateRefs: ${defaultRefs}${mode === undefined ? '' : `, mode: ${mode}`}}`)
  else lines.push('      default: {}')
  if (perPort.length > 0) lines.push('      perPort:', ...perPort.map((entry) => `      - ${entry}`))
  return lines.join('\n')
}

const https = (name: string, port: number, extra = '') => `{name: ${name}, port: ${port}, protocol: HTTPS, hostname: ${name}.example.com, tls: {certificateRefs: [{name: server}]}${extra}}`
const CA = '[{group: "", kind: ConfigMap, name: ca}]'

function listenerOf(binding: Binding, name: string): ListenerBinding {
  const found = binding.gateways.flatMap((entry) => [...entry.listeners, ...entry.listenerSets.flatMap((set) => set.listeners)]).find((listener) => listener.spec.name === name)
  assert.ok(found !== undefined, `listener ${name}`)
  return found
}

/** `Accepted/ResolvedRefs` as `status/reason` pairs, plus the validation source. */
function viewListener(listener: ListenerBinding): {accepted: string; resolvedRefs: string; validation?: string} {
  const show = (type: string) => {
    const condition = findCondition(listener.conditions, type)
    return `${condition?.status}/${condition?.reason}`
  }
  return {accepted: show('Accepted'), resolvedRefs: show('ResolvedRefs'), ...(listener.clientValidation === undefined ? {} : {validation: `${listener.clientValidation.source} ${listener.clientValidation.mode}`})}
}

interface BindCase {
  what: string
  documents: string[]
  listeners: Record<string, {accepted: string; resolvedRefs: string; validation?: string}>
  check?: (binding: Binding) => void
}

const OK = 'True/Accepted'
const RESOLVED = 'True/ResolvedRefs'

const bindCases: BindCase[] = [
  {
    what: '§2.4: the default applies to every listener that terminates TLS (HTTPS and, gwctl\'s choice, TLS Terminate), not to Passthrough, HTTP or TCP',
    documents: [
      gateway('gw', [
        https('web', 443),
        '{name: stream, port: 9443, protocol: TLS, tls: {mode: Terminate, certificateRefs: [{name: server}]}}',
        '{name: pass, port: 6443, protocol: TLS, tls: {mode: Passthrough}}',
        '{name: http, port: 80, protocol: HTTP}',
        '{name: tcp, port: 5432, protocol: TCP}',
      ], frontend(CA)),
      tlsSecret('server'), configMap('ca'),
    ],
    listeners: {
      web: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.default AllowValidOnly'},
      stream: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.default AllowValidOnly'},
      pass: {accepted: OK, resolvedRefs: RESOLVED},
      http: {accepted: OK, resolvedRefs: RESOLVED},
      tcp: {accepted: OK, resolvedRefs: RESOLVED},
    },
  },
  {
    what: '§2.4: perPort overrides the default on its port; a perPort entry without validation turns it off there; `default: {}` validates nothing',
    documents: [
      gateway('gw', [https('a', 443), https('b', 8443), https('c', 9443)], frontend(CA, [
        `{port: 8443, tls: {validation: {caCertificateRefs: ${CA}, mode: AllowInsecureFallback}}}`,
        '{port: 9443, tls: {}}',
      ])),
      gateway('none', [https('d', 443)], frontend(undefined, [`{port: 8443, tls: {validation: {caCertificateRefs: ${CA}}}}`])),
      tlsSecret('server'), configMap('ca'),
    ],
    listeners: {
      a: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.default AllowValidOnly'},
      b: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.perPort[0] (port 8443) AllowInsecureFallback'},
      c: {accepted: OK, resolvedRefs: RESOLVED},
      d: {accepted: OK, resolvedRefs: RESOLVED},
    },
    check: (binding) => {
      assert.equal(binding.problems.filter((problem) => problem.ruleId === 'frontend-validation-unused').length, 1, 'the perPort 8443 of Gateway none applies to nothing')
    },
  },
  {
    what: '§2.9, §2.4: an admitted ListenerSet\'s HTTPS listener takes the Gateway\'s validation; the grant is the Gateway\'s',
    documents: [
      gateway('gw', [https('own', 443)], `allowedListeners: {namespaces: {from: Same}}\n  ${frontend(CA)}`),
      'apiVersion: gateway.networking.k8s.io/v1\nkind: ListenerSet\nmetadata: {name: extra, namespace: default}\nspec:\n  parentRef: {name: gw}\n  listeners:\n  - {name: set, port: 8443, protocol: HTTPS, hostname: set.example.com, tls: {certificateRefs: [{name: server}]}}',
      tlsSecret('server'), configMap('ca'),
    ],
    listeners: {
      own: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.default AllowValidOnly'},
      set: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.default AllowValidOnly'},
    },
  },
  {
    what: '§2.4, §6: a ConfigMap in another namespace needs a ReferenceGrant from the Gateway; checked before the kind, so status never reveals the object (RefNotPermitted)',
    documents: [
      gateway('gw', [https('nogrant', 443), https('badkind', 8443), https('granted', 9443)], frontend(undefined, [
        '{port: 443, tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: ca, namespace: trust}]}}}',
        '{port: 8443, tls: {validation: {caCertificateRefs: [{group: "", kind: Service, name: ca, namespace: trust}]}}}',
        '{port: 9443, tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: ca, namespace: shared}]}}}',
      ])),
      tlsSecret('server'), configMap('ca', 'trust'), configMap('ca', 'shared'),
      'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: ca, namespace: shared}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]\n  to: [{group: "", kind: ConfigMap}]',
      'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: secrets-only, namespace: trust}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: default}]\n  to: [{group: "", kind: Secret}]',
    ],
    listeners: {
      nogrant: {accepted: 'False/NoValidCACertificate', resolvedRefs: 'False/RefNotPermitted', validation: 'spec.tls.frontend.perPort[0] (port 443) AllowValidOnly'},
      badkind: {accepted: 'False/NoValidCACertificate', resolvedRefs: 'False/RefNotPermitted', validation: 'spec.tls.frontend.perPort[1] (port 8443) AllowValidOnly'},
      granted: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.perPort[2] (port 9443) AllowValidOnly'},
    },
  },
  {
    what: '§2.4: the first failing ref gives the reason, all are in the message; one valid ref keeps the listener accepted',
    documents: [
      gateway('gw', [https('web', 443)], frontend('[{group: "", kind: ConfigMap, name: gone}, {group: example.com, kind: Bundle, name: ca}, {group: "", kind: ConfigMap, name: ca}]')),
      tlsSecret('server'), configMap('ca'),
    ],
    listeners: {web: {accepted: OK, resolvedRefs: 'False/InvalidCACertificateRef', validation: 'spec.tls.frontend.default AllowValidOnly'}},
    check: (binding) => {
      const message = findCondition(listenerOf(binding, 'web').conditions, 'ResolvedRefs')?.message ?? ''
      assert.match(message, /ConfigMap 'default\/gone': ConfigMap not found.*Bundle\.example\.com 'default\/ca': kind Bundle\.example\.com is not supported/)
      assert.equal(listenerOf(binding, 'web').clientValidation?.caCertificates.length, 1)
    },
  },
  {
    what: '§2.3 + §2.4: a certificateRef problem keeps its reason, the CA problem joins the message; no valid CA → NoValidCACertificate, not programmed',
    documents: [
      gateway('gw', ['{name: web, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: server, kind: ConfigMap}]}}'], frontend('[{group: "", kind: ConfigMap, name: gone}]')),
    ],
    listeners: {web: {accepted: 'False/NoValidCACertificate', resolvedRefs: 'False/InvalidCertificateRef', validation: 'spec.tls.frontend.default AllowValidOnly'}},
    check: (binding) => {
      const listener = listenerOf(binding, 'web')
      assert.match(findCondition(listener.conditions, 'ResolvedRefs')?.message ?? '', /unsupported kind ConfigMap.*; caCertificateRef ConfigMap 'default\/gone'/)
      assert.equal(findCondition(listener.conditions, 'Programmed')?.status, 'False')
      assert.equal(listener.accepted, false)
    },
  },
  {
    what: '§2.4: a Secret with ca.crt is a valid CA reference (implementation-specific); one without it, or a ConfigMap whose ca.crt is no PEM, is InvalidCACertificateRef',
    documents: [
      gateway('gw', [https('secret', 443), https('nokey', 8443), https('text', 9443)], frontend(undefined, [
        '{port: 443, tls: {validation: {caCertificateRefs: [{group: "", kind: Secret, name: ca-secret}]}}}',
        '{port: 8443, tls: {validation: {caCertificateRefs: [{group: "", kind: Secret, name: server}]}}}',
        '{port: 9443, tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: text}]}}}',
      ])),
      tlsSecret('server'),
      `apiVersion: v1\nkind: Secret\nmetadata: {name: ca-secret, namespace: default}\ndata:\n  ca.crt: ${Buffer.from(CA_PEM).toString('base64')}`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: text, namespace: default}\ndata:\n  ca.crt: trust me',
    ],
    listeners: {
      secret: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.perPort[0] (port 443) AllowValidOnly'},
      nokey: {accepted: 'False/NoValidCACertificate', resolvedRefs: 'False/InvalidCACertificateRef', validation: 'spec.tls.frontend.perPort[1] (port 8443) AllowValidOnly'},
      text: {accepted: 'False/NoValidCACertificate', resolvedRefs: 'False/InvalidCACertificateRef', validation: 'spec.tls.frontend.perPort[2] (port 9443) AllowValidOnly'},
    },
  },
  {
    what: '§0 default: an absent mode is AllowValidOnly; an unknown one is treated as AllowValidOnly too (fail closed; the schema stage reports it)',
    documents: [
      gateway('gw', [https('a', 443), https('b', 8443)], frontend(CA, ['{port: 8443, tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}], mode: Lenient}}}'])),
      tlsSecret('server'), configMap('ca'),
    ],
    listeners: {
      a: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.default AllowValidOnly'},
      b: {accepted: OK, resolvedRefs: RESOLVED, validation: 'spec.tls.frontend.perPort[0] (port 8443) AllowValidOnly'},
    },
  },
]

describe('gatewayapi/frontend-validation: listeners, CA references and conditions (§2.4)', () => {
  for (const entry of bindCases) {
    it(entry.what, () => {
      const binding = bindDocuments(entry.documents)
      const actual = Object.fromEntries(Object.keys(entry.listeners).map((name) => [name, viewListener(listenerOf(binding, name))]))
      assert.deepEqual(actual, entry.listeners)
      entry.check?.(binding)
    })
  }
})

describe('gatewayapi/frontend-validation: Gateway InsecureFrontendValidationMode (§2.4, §3)', () => {
  const cases: Array<{what: string; tls: string; expected?: string}> = [
    {what: 'AllowValidOnly everywhere → no condition', tls: frontend(CA, [`{port: 8443, tls: {validation: {caCertificateRefs: ${CA}}}}`])},
    {what: 'AllowInsecureFallback in the default → True/ConfigurationChanged', tls: frontend(CA, [], 'AllowInsecureFallback'), expected: 'spec.tls.frontend.default uses AllowInsecureFallback'},
    {what: 'AllowInsecureFallback in a perPort entry → True/ConfigurationChanged', tls: frontend(CA, [`{port: 8443, tls: {validation: {caCertificateRefs: ${CA}, mode: AllowInsecureFallback}}}`]), expected: 'spec.tls.frontend.perPort[0] (port 8443) uses AllowInsecureFallback'},
  ]
  for (const entry of cases) {
    it(entry.what, () => {
      const binding = bindDocuments([gateway('gw', [https('a', 443), https('b', 8443)], entry.tls), tlsSecret('server'), configMap('ca')])
      const condition = findCondition(binding.gateways[0].conditions, 'InsecureFrontendValidationMode')
      if (entry.expected === undefined) {
        assert.equal(condition, undefined)
        assert.equal(binding.problems.some((problem) => problem.ruleId === 'frontend-insecure-fallback'), false)
        return
      }
      assert.deepEqual([condition?.status, condition?.reason], ['True', 'ConfigurationChanged'])
      assert.match(condition?.message ?? '', new RegExp(entry.expected.replace(/[[\]().]/g, '\\$&')))
      assert.equal(binding.problems.filter((problem) => problem.ruleId === 'frontend-insecure-fallback').length, 1)
    })
  }
})

describe('gatewayapi/decide: client-certificate validation in the decision (§2.4, §1.5)', () => {
  const table = () => compileDocuments([
    gateway('gw', [https('web', 443), https('open', 8443), https('broken', 9443)], frontend(CA, [
      `{port: 8443, tls: {validation: {caCertificateRefs: ${CA}, mode: AllowInsecureFallback}}}`,
      '{port: 9443, tls: {validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: gone}]}}}',
    ])),
    tlsSecret('server'), configMap('ca'),
  ])
  const tls = (sni: string, port: number) => ({port, transport: 'tls' as const, sni, gateway: {namespace: 'default', name: 'gw'}})

  it('AllowValidOnly: the decision carries the validation and the trace names the CA', () => {
    const decision = decideOne(table(), tls('web.example.com', 443))
    assert.equal(decision.listener?.spec.name, 'web')
    assert.deepEqual([decision.clientValidation?.mode, decision.clientValidation?.caRefs.map((ref) => ref.ref.name)], ['AllowValidOnly', ['ca']])
    assertTrace(decision, [{step: 'certificate', candidate: 'client CA ConfigMap default/ca', result: 'chosen', why: /clients must present a certificate issued by it \(AllowValidOnly\)/}], 'web')
  })

  it('AllowInsecureFallback: requested, not required', () => {
    const decision = decideOne(table(), tls('open.example.com', 8443))
    assertTrace(decision, [{step: 'certificate', candidate: 'client CA ConfigMap default/ca', result: 'chosen', why: /accepted without one \(AllowInsecureFallback\)/}], 'open')
  })

  it('NoValidCACertificate: the listener is skipped, so no listener takes the connection', () => {
    const decision = decideOne(table(), tls('broken.example.com', 9443))
    assert.equal(decision.listener, undefined)
    assertTrace(decision, [{step: 'listener', candidate: "listener 'broken'", result: 'skipped', why: /not accepted: NoValidCACertificate/}], 'broken')
  })
})
