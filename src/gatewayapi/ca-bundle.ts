/**
 * CA bundles referenced by `caCertificateRefs` (Gateway spec.tls.frontend,
 * BackendTLSPolicy validation): the `ca.crt` key of a ConfigMap (Core; its
 * `data`, where Kubernetes keeps text) or of a Secret (gwctl's
 * implementation-specific extension; base64 `data`). The engine's own check
 * is structural and pure — PEM CERTIFICATE blocks whose DER is a well-formed
 * ASN.1 SEQUENCE, nothing else in the bundle; a deeper X.509 check is
 * injected by the caller (EngineOptions.inspectCaBundle). Returns the PEM
 * text or why it cannot serve as a trust anchor.
 */
import {PemError, splitPemBlocks} from '../certs/pem.js'
import type {ConfigMap, Secret} from '../model/types.js'
import type {EngineOptions} from './binding.js'
import {decodeSecretText, isWellFormedDerSequence} from './tls-secret.js'

export const CA_KEY = 'ca.crt'

export type CaBundle = {pem: string; problem?: undefined} | {pem?: undefined; problem: string}

/** Structural check of a PEM CA bundle: at least one CERTIFICATE, each well-formed, and no other block. */
export function inspectCaBundleShape(text: string): {usable: true} | {usable: false; message: string} {
  let blocks
  try {
    blocks = splitPemBlocks(text)
  } catch (error) {
    if (error instanceof PemError) return {usable: false, message: error.message}
    throw error
  }
  if (blocks.length === 0) return {usable: false, message: 'holds no PEM CERTIFICATE block'}
  const other = blocks.find((block) => block.label !== 'CERTIFICATE')
  if (other !== undefined) return {usable: false, message: `holds a ${other.label} block, where only CA certificates belong`}
  const bad = blocks.findIndex((block) => !isWellFormedDerSequence(block.der))
  if (bad !== -1) return {usable: false, message: `certificate ${bad + 1} is not well-formed DER`}
  return {usable: true}
}

/** The `ca.crt` of a ConfigMap or Secret (the object must exist), checked. */
export function readCaBundle(object: {kind: 'ConfigMap'; configMap: ConfigMap} | {kind: 'Secret'; secret: Secret}, options: EngineOptions): CaBundle {
  let text: string | undefined
  if (object.kind === 'ConfigMap') {
    const {configMap} = object
    text = configMap.data[CA_KEY]
    if (text === undefined) {
      return {problem: configMap.dataKeys.includes(CA_KEY) ? `has ${CA_KEY} under binaryData; the CA certificate belongs in data` : `has no key ${CA_KEY}`}
    }
  } else {
    const value = object.secret.data[CA_KEY]
    if (value === undefined) return {problem: `has no key ${CA_KEY}`}
    text = decodeSecretText(value)
    if (text === undefined) return {problem: `${CA_KEY} is not valid base64`}
  }
  const shape = inspectCaBundleShape(text)
  if (!shape.usable) return {problem: `${CA_KEY} ${shape.message}`}
  const deep = options.inspectCaBundle?.(text)
  if (deep !== undefined && !deep.usable) return {problem: `${CA_KEY}: ${deep.message}`}
  return {pem: text}
}
