/**
 * Certificate findings (category `certificate`) for every Secret a
 * terminating listener uses, from the checks in src/certs: the hostnames a
 * certificate must cover are the listener hostname and the intersected
 * hostnames of the routes attached to it; a certificate without
 * subjectAltName is an error even where no hostname is asked for; the chain
 * is judged by OpenSSL. A cert-manager Certificate that declares an absent
 * Secret is checked by its dnsNames instead. Problems about the Secret's
 * content are reported once per Secret, at its data key; coverage problems
 * once per listener. The certificate parser is loaded only when a listener
 * uses a Secret.
 */
import type {Binding} from '../gatewayapi/binding.js'
import {describeListener, listHostnamesServed, terminatesTls} from '../gatewayapi/listeners.js'
import {checkCertManagerCertificate} from '../certs/check-cert-manager-certificate.js'
import type {CertificateProblem} from '../certs/certificate-rules.js'
import {formatFieldPath, type FieldPath} from '../manifests/field-path.js'
import type {SourceObject} from '../manifests/source.js'
import {describeResource} from './engine-findings.js'
import type {Finding} from '../findings/finding.js'

export interface CertificateCheckOptions {
  now: Date
  expiryWarningDays: number
}

function secretDataPath(object: SourceObject, problem: CertificateProblem): FieldPath {
  const dataKey = problem.dataKey ?? (problem.ruleId === 'certificate-hostname-coverage' ? 'tls.crt' : undefined)
  if (dataKey === undefined) return problem.ruleId === 'certificate-secret-type' ? ['type'] : ['data']
  const stringData = object.object.stringData as Record<string, unknown> | undefined
  return stringData !== undefined && typeof stringData === 'object' && dataKey in stringData ? ['stringData', dataKey] : ['data', dataKey]
}

function toFinding(problem: CertificateProblem, object: SourceObject, path: FieldPath, prefix: string): Finding {
  const position = object.locate(path, 'value')
  return {
    ruleId: problem.ruleId,
    severity: problem.severity,
    category: 'certificate',
    message: `${prefix}${problem.message}`,
    resource: describeResource(object),
    field: formatFieldPath(path),
    file: object.file,
    line: position.line,
    column: position.column,
  }
}

/**
 * Findings for every certificate the Terminate listeners use. Async: the
 * chain of each distinct Secret content is judged by OpenSSL through a TLS
 * handshake (src/certs/verify-chain.ts); all of them run at once (a few
 * handshakes at a time), and findings come back in listener order.
 */
export async function checkListenerCertificates(binding: Binding, objects: readonly SourceObject[], options: CertificateCheckOptions): Promise<Finding[]> {
  const listeners = binding.gateways.flatMap((gateway) => [...gateway.listeners, ...gateway.listenerSets.flatMap((listenerSet) => listenerSet.listeners)])
  const withSecrets = listeners.some((listener) => terminatesTls(listener) && listener.certificates.some((certificate) => certificate.secret !== undefined))
  const {checkTlsSecret} = withSecrets ? await import('../certs/check-tls-secret.js') : {checkTlsSecret: undefined}
  const checks: Array<Promise<Array<{problem: CertificateProblem; object: SourceObject; key: string; prefix: string; path?: FieldPath}>>> = []
  for (const listener of listeners) {
    if (!terminatesTls(listener)) continue
    const hostnames = listHostnamesServed(listener)
    const who = `${describeListener(listener)} of ${listener.owner.kind} ${listener.owner.meta.namespace}/${listener.owner.meta.name}`
    for (const certificate of listener.certificates) {
      if (certificate.secret !== undefined && checkTlsSecret !== undefined) {
        const secret = certificate.secret
        const object = objects[secret.meta.id]
        checks.push(checkTlsSecret({type: secret.type, data: secret.data}, {hostnames, now: options.now, expiryWarningDays: options.expiryWarningDays}).then((problems) => problems.map((problem) => {
          const perListener = problem.ruleId === 'certificate-hostname-coverage' || (problem.ruleId === 'certificate-san-missing' && problem.hostnames !== undefined)
          const key = perListener ? `${object.file}#${secret.meta.id}#${listener.key}#${problem.message}` : `${object.file}#${secret.meta.id}#${problem.ruleId}#${problem.message}`
          return {problem, object, key, prefix: perListener ? `used by ${who}: ` : ''}
        })))
      } else if (certificate.source !== undefined) {
        const source = certificate.source
        const object = objects[source.meta.id]
        checks.push(Promise.resolve(checkCertManagerCertificate(source, hostnames).map((problem) => ({
          problem, object, key: `${source.meta.id}#${listener.key}#${problem.message}`, prefix: `used by ${who}: `,
          path: problem.field === undefined ? ['spec'] : problem.field.split('.'),
        }))))
      }
    }
  }
  const findings: Finding[] = []
  const reported = new Set<string>()
  for (const {problem, object, key, prefix, path} of (await Promise.all(checks)).flat()) {
    if (reported.has(key)) continue
    reported.add(key)
    findings.push(toFinding(problem, object, path ?? secretDataPath(object, problem), prefix))
  }
  return findings
}
