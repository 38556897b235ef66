/**
 * For the binding engine's `inspectCaBundle` hook: can a `ca.crt` bundle
 * (Gateway spec.tls.frontend and BackendTLSPolicy caCertificateRefs) serve
 * as trust anchors at all — every PEM CERTIFICATE block parses as X.509?
 * Expiry does not make a bundle unusable here (the TLS stack judges it per
 * handshake). Pure and synchronous; results are cached by content.
 */
import {parseCertificate} from './parsed-certificate.js'
import {PemError, splitPemBlocks} from './pem.js'

export type CaBundleCheck = {usable: true} | {usable: false; message: string}

const MAX_CACHE_ENTRIES = 256
const cache = new Map<string, CaBundleCheck>()

export function checkCaBundleUsable(pem: string): CaBundleCheck {
  const cached = cache.get(pem)
  if (cached !== undefined) return cached
  if (cache.size >= MAX_CACHE_ENTRIES) cache.clear()
  const result = checkUncached(pem)
  cache.set(pem, result)
  return result
}

function checkUncached(pem: string): CaBundleCheck {
  let blocks
  try {
    blocks = splitPemBlocks(pem).filter((block) => block.label === 'CERTIFICATE')
  } catch (error) {
    if (error instanceof PemError) return {usable: false, message: error.message}
    throw error
  }
  if (blocks.length === 0) return {usable: false, message: 'holds no PEM CERTIFICATE block'}
  for (const [index, block] of blocks.entries()) {
    try {
      parseCertificate(block.der)
    } catch {
      return {usable: false, message: `certificate ${index + 1} is not a valid X.509 certificate`}
    }
  }
  return {usable: true}
}
