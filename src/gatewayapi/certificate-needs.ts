/**
 * Which certificates a configuration needs that the input lacks (for
 * `gwctl certs create --for`): every Secret a terminating listener
 * references but the input does not hold, with the hostnames it must cover
 * (the listener hostname and the intersected hostnames of the routes
 * attached to it; for a Secret a cert-manager Certificate declares, also the
 * Certificate's dnsNames and ipAddresses). With `backends`, also
 * the backends of Passthrough TLSRoutes, which terminate TLS themselves: one
 * Secret `<service>-tls` per backend Service, covering the route hostnames
 * that reach it. Read from the Binding; pure.
 */
import type {Binding} from './binding.js'
import {gatewayListeners} from './decide.js'
import {ANY_HOSTNAME} from './hostname.js'
import {describeListener, listHostnamesServed, terminatesTls} from './listeners.js'
import type {ListenerBinding} from './binding.js'

export interface CertificateNeed {
  namespace: string
  secretName: string
  /** Names the certificate must cover; never `*`. */
  hostnames: string[]
  /** Who needs it, e.g. `listener 'https' (HTTPS/Terminate :443 app.example.com) of Gateway default/gw`. */
  reason: string
}

export function listCertificateNeeds(binding: Binding, options: {backends: boolean}): CertificateNeed[] {
  const needs: CertificateNeed[] = []
  const secrets = new Set(binding.snapshot.secrets.map((secret) => `${secret.meta.namespace}/${secret.meta.name}`))
  for (const gateway of binding.gateways) {
    for (const listener of gatewayListeners(gateway)) {
      const who = `${describeListener(listener)} of ${listener.owner.kind} ${listener.owner.meta.namespace}/${listener.owner.meta.name}`
      if (terminatesTls(listener)) {
        for (const certificate of listener.certificates) {
          if (certificate.missing) {
            needs.push({namespace: certificate.ref.namespace, secretName: certificate.ref.name, hostnames: listHostnamesServed(listener), reason: who})
          } else if (certificate.secret === undefined && certificate.source !== undefined) {
            // cert-manager issues it in a cluster; locally it is issued with the names the Certificate asks for.
            const {source} = certificate
            needs.push({namespace: certificate.ref.namespace, secretName: certificate.ref.name,
              hostnames: [...new Set([...source.dnsNames, ...source.ipAddresses, ...listHostnamesServed(listener)])],
              reason: `${who} (declared by cert-manager Certificate ${source.meta.namespace}/${source.meta.name})`})
          }
        }
        continue
      }
      if (!options.backends) continue
      for (const need of listPassthroughBackendNeeds(listener)) {
        if (!secrets.has(`${need.namespace}/${need.secretName}`)) needs.push(need)
      }
    }
  }
  return needs
}

/**
 * The certificates the backends of a Passthrough listener's TLSRoutes must
 * present (they terminate TLS themselves): one `<service>-tls` per backend
 * Service and route, covering the route hostnames that reach it, whether or
 * not the input holds such a Secret. Also the SANs of `gwctl serve
 * --stub-backends` TLS stubs. Other listeners: none.
 */
export function listPassthroughBackendNeeds(listener: ListenerBinding): CertificateNeed[] {
  if (listener.mode !== 'Passthrough') return []
  const needs: CertificateNeed[] = []
  for (const attached of listener.routes) {
    const hostnames = attached.hostnames.filter((hostname) => hostname !== ANY_HOSTNAME)
    for (const rule of attached.route.rules) {
      for (const backend of rule.backends) {
        if (!backend.valid || backend.service === undefined) continue
        const {namespace, name} = backend.service.meta
        needs.push({namespace, secretName: `${name}-tls`, hostnames,
          reason: `backend of TLSRoute ${attached.route.route.meta.namespace}/${attached.route.route.meta.name} (Passthrough: the backend presents it)`})
      }
    }
  }
  return needs
}
