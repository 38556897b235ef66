/**
 * Certificate findings (category `certificate`) for every Secret a
 * terminating listener uses, from the checks in src/certs: the hostnames a
 * certificate must cover are the listener hostname and the intersected
 * hostnames of the routes attached to it. A cert-manager Certificate that
 * declares an absent Secret is checked by its dnsNames instead. Problems
 * about the Secret's content are reported once per Secret, at its data key;
 * coverage problems once per listener.
 */
import type {Binding} from '../gatewayapi/binding.js'
import {describeListener, listHostnamesServed, terminatesTls} from '../gatewayapi/listeners.js'
import {checkCertManagerCertificate} from '../certs/check-cert-manager-certificate.js'
import {checkTlsSecret} from '../certs/check-tls-secret.js'
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

export function checkListenerCertificates(binding: Binding, objects: readonly SourceObject[], options: CertificateCheckOptions): Finding[] {
  const findings: Finding[] = []
  const reported = new Set<string>()
  const listeners = binding.gateways.flatMap((gateway) => [...gateway.listeners, ...gateway.listenerSets.flatMap((listenerSet) => listenerSet.listeners)])
  for (const listener of listeners) {
    if (!terminatesTls(listener)) continue
    const hostnames = listHostnamesServed(listener)
    const who = `${describeListener(listener)} of ${listener.owner.kind} ${listener.owner.meta.namespace}/${listener.owner.meta.name}`
    for (const certificate of listener.certificates) {
      if (certificate.secret !== undefined) {
        const object = objects[certificate.secret.meta.id]
        const problems = checkTlsSecret({type: certificate.secret.type, data: certificate.secret.data}, {hostnames, now: options.now, expiryWarningDays: options.expiryWarningDays})
        for (const problem of problems) {
          const coverage = problem.ruleId === 'certificate-hostname-coverage'
          const key = coverage ? `${object.file}#${certificate.secret.meta.id}#${listener.key}#${problem.message}` : `${object.file}#${certificate.secret.meta.id}#${problem.ruleId}#${problem.message}`
          if (reported.has(key)) continue
          reported.add(key)
          findings.push(toFinding(problem, object, secretDataPath(object, problem), coverage ? `used by ${who}: ` : ''))
        }
      } else if (certificate.source !== undefined) {
        const object = objects[certificate.source.meta.id]
        for (const problem of checkCertManagerCertificate(certificate.source, hostnames)) {
          const key = `${certificate.source.meta.id}#${listener.key}#${problem.message}`
          if (reported.has(key)) continue
          reported.add(key)
          const path: FieldPath = problem.field === undefined ? ['spec'] : problem.field.split('.')
          findings.push(toFinding(problem, object, path, `used by ${who}: `))
        }
      }
    }
  }
  return findings
}
