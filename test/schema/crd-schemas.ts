/**
 * Test helpers over the generated schemas: the compiled schema of a
 * (kind, version, channel), the node at a schema path such as
 * `spec.listeners[].tls`, and every x-kubernetes-validations rule of the
 * bundle with where it sits.
 */
import {findCrdKind, findServedVersion, loadCompiledSchema, loadOpenApiSchema, loadSchemaIndex, type Channel} from '../../src/schema/crd-index.js'
import type {CelRuleSpec, SchemaNode} from '../../src/schema/schema-node.js'

export function compiledSchemaFor(kind: string, version: string, channel: Channel): SchemaNode {
  const crd = loadSchemaIndex().kinds.find((k) => k.kind === kind)
  const served = crd && findServedVersion(findCrdKind(crd.group, kind)!, channel, version)
  if (!served) throw new Error(`${kind} ${version} is not served by ${channel}`)
  return loadCompiledSchema(served)
}

/** `spec.rules[].filters[]`: `.name` descends into properties, `[]` into items, `{}` into additionalProperties. */
export function schemaNodeAt(root: SchemaNode, path: string): SchemaNode {
  let node = root
  for (const part of path.match(/[^.[\]{}]+|\[\]|\{\}/g) ?? []) {
    const next = part === '[]' ? node.items : part === '{}' ? node.additionalProperties : node.properties?.get(part)
    if (!next) throw new Error(`no schema node at ${path} (stopped at ${part})`)
    node = next
  }
  return node
}

export interface CrdRule {
  channel: Channel
  kind: string
  version: string
  /** Schema path of the node carrying the rule, e.g. `spec.listeners[].tls`. */
  path: string
  rule: CelRuleSpec
}

/** Every x-kubernetes-validations rule of every served version of both channels. */
export function listCrdRules(): CrdRule[] {
  const rules: CrdRule[] = []
  for (const crd of loadSchemaIndex().kinds) {
    for (const [channel, entry] of Object.entries(crd.channels) as Array<[Channel, NonNullable<(typeof crd.channels)[Channel]>]>) {
      for (const version of entry.versions.filter((v) => v.served)) {
        const walk = (schema: Record<string, unknown>, path: string) => {
          for (const rule of (schema['x-kubernetes-validations'] as CelRuleSpec[] | undefined) ?? []) {
            rules.push({channel, kind: crd.kind, version: version.name, path, rule})
          }
          for (const [key, child] of Object.entries((schema.properties as Record<string, Record<string, unknown>> | undefined) ?? {})) {
            walk(child, path === '' ? key : `${path}.${key}`)
          }
          if (schema.items) walk(schema.items as Record<string, unknown>, `${path}[]`)
          if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties as Record<string, unknown>, `${path}{}`)
        }
        walk(loadOpenApiSchema(version) as Record<string, unknown>, '')
      }
    }
  }
  return rules
}
