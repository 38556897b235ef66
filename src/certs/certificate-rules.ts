/**
 * The certificate rules of docs/rules.md (category `certificate`) and the
 * problem shape the checks return. Lint turns a problem into a Finding by
 * adding the resource, file and position of the Secret (or its `dataKey`).
 */
import type {RuleMeta, Severity} from '../findings/finding.js'
import {exampleShell, exampleYaml} from '../findings/rule-example.js'

export type CertificateRuleId =
  | 'certificate-secret-type'
  | 'certificate-pem'
  | 'certificate-key-mismatch'
  | 'certificate-chain'
  | 'certificate-chain-invalid'
  | 'certificate-purpose'
  | 'certificate-san-missing'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'certificate-expiring'
  | 'certificate-hostname-coverage'
  | 'certificate-weak-key'
  | 'certificate-weak-signature'

export interface CertificateProblem {
  ruleId: CertificateRuleId
  severity: Severity
  message: string
  /** The Secret data key the problem is about, when it is about one. */
  dataKey?: 'tls.crt' | 'tls.key' | 'ca.crt'
  /** For cert-manager Certificates: the spec field, in kubectl notation. */
  field?: string
  /** For certificate-hostname-coverage: the hostnames no SAN covers. */
  hostnames?: string[]
}

const RFC_5280 = 'RFC 5280'

const HANDSHAKE_FAILS = 'Clients connecting to the listener fail the TLS handshake'

export const CERTIFICATE_RULES: RuleMeta[] = [
  {
    id: 'certificate-secret-type', category: 'certificate', defaultSeverity: 'error',
    description: 'A listener certificate Secret is not of type kubernetes.io/tls, or lacks tls.crt or tls.key.',
    why: `Gateway API controllers read listener certificates from kubernetes.io/tls Secrets only, under the keys \`tls.crt\` and \`tls.key\`; any other Secret leaves the listener without a certificate (InvalidCertificateRef). ${HANDSHAKE_FAILS}.`,
    fix: 'Create the Secret with `type: kubernetes.io/tls` and both keys, e.g. `kubectl create secret tls NAME --cert=tls.crt --key=tls.key` or `gwctl certs create --secret NAME`. The type of an existing Secret cannot be changed: delete and recreate it.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: app-cert
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: app-cert
      type: Opaque                  # must be kubernetes.io/tls
      stringData:
        cert.pem: "..."
    `),
    source: 'Kubernetes Secret type kubernetes.io/tls; Gateway API ListenerTLSConfig.CertificateRefs',
  },
  {
    id: 'certificate-pem', category: 'certificate', defaultSeverity: 'error',
    description: 'tls.crt or tls.key is not base64 PEM holding a certificate and an unencrypted private key.',
    why: `The controller cannot load the certificate or the key. ${HANDSHAKE_FAILS}. Common causes: the PEM pasted under \`data\` without base64 encoding (use \`stringData\` for plain text), a DER file, an encrypted key, or the key and certificate swapped.`,
    fix: 'Put the PEM certificate chain under `tls.crt` and the unencrypted PEM private key under `tls.key`, base64-encoded under `data` (or as plain text under `stringData`). Decrypt a key with `openssl pkey -in enc.key -out tls.key`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: app-cert
      ---
      apiVersion: v1
      kind: Secret
      metadata:
        name: app-cert
      type: kubernetes.io/tls
      stringData:
        tls.crt: "MIIBszCCAVmgAwIBAgIU"   # DER in base64, no PEM header
        tls.key: "MIGHAgEAMBMGByqGSM49"
    `),
    source: 'RFC 7468',
  },
  {
    id: 'certificate-key-mismatch', category: 'certificate', defaultSeverity: 'error',
    description: 'The private key in tls.key does not match the public key of the first certificate in tls.crt.',
    why: `The server cannot prove it owns the certificate, so clients connecting to the listener fail the TLS handshake; most controllers refuse to load the pair. It happens when a certificate is renewed with a new key but only one of the two keys of the Secret is updated.`,
    fix: 'Put the key that belongs to the certificate in `tls.key` (compare `openssl x509 -noout -pubkey -in tls.crt` with `openssl pkey -pubout -in tls.key`), or issue a new pair.',
    example: exampleShell(`
      gwctl certs create old --dns app.example.com
      gwctl certs create new --dns app.example.com
      kubectl create secret tls app-cert --cert=new.crt --key=old.key   # the key of the old certificate
    `),
    source: RFC_5280,
  },
  {
    id: 'certificate-chain', category: 'certificate', defaultSeverity: 'warning',
    description: 'tls.crt does not list the leaf first with each following certificate issuing the one before it.',
    why: 'The gateway sends tls.crt as the certificate chain. Browsers often repair a broken chain, but other clients (curl, Go, Java, mobile apps) verify exactly what is sent and fail with "unable to get local issuer certificate".',
    fix: 'Order tls.crt as leaf, then its intermediate CA, then any further intermediates up to (not necessarily including) the root; remove certificates that belong to other chains.',
    example: exampleShell(`
      cat intermediate.crt leaf.crt > tls.crt   # leaf must come first
      kubectl create secret tls app-cert --cert=tls.crt --key=leaf.key
    `),
    source: 'RFC 8446 §4.4.2',
  },
  {
    id: 'certificate-chain-invalid', category: 'certificate', defaultSeverity: 'error',
    description: 'OpenSSL does not verify the chain of tls.crt (as openssl verify -x509_strict judges it) against ca.crt, else the last certificate of tls.crt: CA flags, pathLen, keyUsage keyCertSign, name constraints, signatures, the RFC 5280 profile.',
    why: `Clients build and check the same path: an intermediate that is not a CA, a path longer than a pathLenConstraint allows, an issuer without keyCertSign, a name outside a name constraint or a bad signature each fail verification. ${HANDSHAKE_FAILS} with "unable to verify" or a similar certificate error.`,
    fix: 'Issue the certificate from a CA whose certificates allow it (basicConstraints CA:TRUE with enough pathlen, keyUsage keyCertSign, name constraints that include the hostnames), and put the right intermediates in tls.crt; check with `openssl verify -x509_strict -CAfile ca.crt -untrusted chain.pem leaf.crt`.',
    example: exampleShell(`
      openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=root \\
        -addext basicConstraints=critical,CA:TRUE,pathlen:0 -keyout root.key -out root.crt
      # root.crt (pathlen:0) signs an intermediate CA, which signs the leaf: error 25, path length exceeded
    `),
    source: 'RFC 5280 §6; OpenSSL X509_verify_cert',
  },
  {
    id: 'certificate-purpose', category: 'certificate', defaultSeverity: 'error',
    description: 'The leaf cannot serve TLS: extendedKeyUsage does not allow serverAuth (clientAuth for a client certificate) along the chain, keyUsage does not allow signing, or a TLS handshake fails with the key.',
    why: `TLS clients check that the certificate is meant for a TLS server; curl reports "unsuitable certificate purpose". A certificate issued for client authentication only (or for code signing) cannot serve a listener. ${HANDSHAKE_FAILS}.`,
    fix: 'Issue the server certificate with `extendedKeyUsage = serverAuth` (or without extendedKeyUsage) and `keyUsage = digitalSignature` (plus keyEncipherment for RSA); `gwctl certs create` does this, and `--client` issues client certificates.',
    example: exampleShell(`
      gwctl certs create app --dns app.example.com --client --secret app-cert   # a client certificate on a listener
    `),
    source: 'RFC 5280 §4.2.1.3, §4.2.1.12; CA/Browser Forum BR 7.1.2.3',
  },
  {
    id: 'certificate-san-missing', category: 'certificate', defaultSeverity: 'error',
    description: 'A server certificate has no subjectAltName extension: clients ignore the CN and match hostnames against the SANs only.',
    why: 'Browsers, curl, Go, Java and every current TLS library match the hostname against the DNS and IP subjectAltNames only; a certificate with the hostname in its common name alone (what `openssl req -subj /CN=app.example.com` makes) matches nothing, so every client fails verification.',
    fix: 'Issue the certificate with the hostnames as DNS subjectAltNames: `gwctl certs create --dns app.example.com`, or `openssl req ... -addext subjectAltName=DNS:app.example.com`.',
    example: exampleShell(`
      openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=app.example.com -keyout tls.key -out tls.crt
      kubectl create secret tls app-cert --cert=tls.crt --key=tls.key
    `),
    source: 'RFC 6125 §6.4.4; RFC 2818 §3.1',
  },
  {
    id: 'certificate-expired', category: 'certificate', defaultSeverity: 'error',
    description: 'A certificate in tls.crt is past its notAfter date.',
    why: `Clients reject an expired certificate (leaf or intermediate). ${HANDSHAKE_FAILS} with a certificate error.`,
    fix: 'Renew the certificate and update the Secret; automate renewal (cert-manager) so it happens well before `notAfter`.',
    example: exampleShell(`
      gwctl certs create app --dns app.example.com --not-before -30d --not-after -1d --secret app-cert
    `),
    source: RFC_5280,
  },
  {
    id: 'certificate-not-yet-valid', category: 'certificate', defaultSeverity: 'error',
    description: 'A certificate in tls.crt has a notBefore date in the future.',
    why: `Clients reject a certificate before its validity starts. ${HANDSHAKE_FAILS} until then. It usually points at a wrong clock where the certificate was issued, or a certificate staged too early.`,
    fix: 'Issue the certificate with a validity that starts now (or in the past), or wait until it is valid before deploying it.',
    example: exampleShell(`
      gwctl certs create app --dns app.example.com --not-before +2d --not-after +90d --secret app-cert
    `),
    source: RFC_5280,
  },
  {
    id: 'certificate-expiring', category: 'certificate', defaultSeverity: 'warning',
    description: 'A certificate in tls.crt expires within the expiry warning period (default 30 days).',
    why: 'Once it expires, clients fail the TLS handshake. Finding it now leaves time to renew without an outage.',
    fix: 'Renew the certificate and update the Secret. Set the warning period with `--expiry-warning` (e.g. `14d`).',
    example: exampleShell(`
      gwctl certs create app --dns app.example.com --days 10 --secret app-cert
    `),
    source: RFC_5280,
  },
  {
    id: 'certificate-hostname-coverage', category: 'certificate', defaultSeverity: 'warning',
    description: 'The leaf subjectAltNames do not cover the listener hostname or the hostnames of the routes attached to it (single-label wildcards).',
    why: 'Clients check the hostname they connect to against the certificate\'s subjectAltNames (the common name is ignored); a hostname the certificate does not cover fails the TLS handshake. A wildcard `*.example.com` covers `a.example.com` but neither `example.com` nor `a.b.example.com`.',
    fix: 'Issue the certificate with every hostname served on the listener as a DNS subjectAltName (for cert-manager, in `spec.dnsNames`), or narrow the listener and route hostnames to what the certificate covers.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          hostname: app.example.com
          tls:
            certificateRefs:
            - name: app-cert
      ---
      apiVersion: cert-manager.io/v1
      kind: Certificate
      metadata:
        name: app-cert
      spec:
        secretName: app-cert
        dnsNames:
        - www.example.com           # app.example.com is missing
        issuerRef:
          name: letsencrypt
          kind: ClusterIssuer
    `),
    source: 'RFC 6125 §6.4.3, RFC 2818 §3.1',
  },
  {
    id: 'certificate-weak-key', category: 'certificate', defaultSeverity: 'error',
    description: 'A certificate in tls.crt has an RSA (or DSA) key shorter than 2048 bits.',
    why: 'Keys below 2048 bits can be factored with today\'s means (NIST disallowed them after 2013); browsers and TLS libraries refuse them.',
    fix: 'Issue a new certificate with an RSA key of at least 2048 bits, or an ECDSA P-256 key (`gwctl certs create` uses ECDSA P-256 by default).',
    example: exampleShell(`
      openssl req -x509 -newkey rsa:1024 -nodes -subj /CN=app.example.com -keyout tls.key -out tls.crt
    `),
    source: 'NIST SP 800-131A',
  },
  {
    id: 'certificate-weak-signature', category: 'certificate', defaultSeverity: 'error',
    description: 'A certificate in tls.crt (other than a self-signed root) is signed with SHA-1 or MD5.',
    why: 'SHA-1 and MD5 signatures can be forged (chosen-prefix collisions); browsers and current TLS libraries reject certificates that rely on them.',
    fix: 'Reissue the certificate signed with SHA-256 or stronger (the default of every current CA and of `gwctl certs create`).',
    example: exampleShell(`
      openssl req -x509 -sha1 -newkey rsa:2048 -nodes -subj /CN=app.example.com -keyout tls.key -out tls.crt
    `),
    source: 'RFC 6194; CA/Browser Forum BR 7.1.3',
  },
]
