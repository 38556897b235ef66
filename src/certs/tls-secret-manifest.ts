/**
 * A kubernetes.io/tls Secret as YAML, byte for byte what
 * `kubectl create secret tls NAME --cert F --key F [-n NS] --dry-run=client -o yaml`
 * prints for the same files (keys sorted, `creationTimestamp: null`, namespace
 * only when given), plus `ca.crt` when the certificate is CA-issued (as
 * cert-manager writes it; kubectl has no flag for it). Names are validated
 * RFC 1123 names and values base64, so no YAML quoting is ever needed.
 */

export interface TlsSecretSource {
  name: string
  namespace?: string
  /** tls.crt content: the certificate and its intermediates. */
  certificatePem: string
  privateKeyPem: string
  caPem?: string
}

export function renderTlsSecretYaml(source: TlsSecretSource): string {
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64')
  const lines = ['apiVersion: v1', 'data:']
  if (source.caPem !== undefined) lines.push(`  ca.crt: ${encode(source.caPem)}`)
  lines.push(`  tls.crt: ${encode(source.certificatePem)}`, `  tls.key: ${encode(source.privateKeyPem)}`)
  lines.push('kind: Secret', 'metadata:', '  creationTimestamp: null', `  name: ${source.name}`)
  if (source.namespace !== undefined) lines.push(`  namespace: ${source.namespace}`)
  lines.push('type: kubernetes.io/tls')
  return `${lines.join('\n')}\n`
}
