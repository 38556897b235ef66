/**
 * `.gwctl.yaml` text → GwctlConfig, validated strictly and purely (no I/O):
 * bad YAML, an unknown key, a value of the wrong type or outside its
 * choices, or an unknown rule id is a UserError (exit 2) naming
 * FILE:LINE:COLUMN, with a did-you-mean when a known name is close. An empty
 * file is an empty config.
 */
import {isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair} from 'yaml'
import {parseDurationFlag} from '../cli/duration-flag.js'
import {suggestName} from '../errors/suggest-name.js'
import {UserError} from '../errors/user-error.js'
import {RULE_LEVELS, type RuleLevel} from '../findings/finding.js'
import {OUTPUT_FORMATS, type OutputFormat} from '../lint/format/output-formats.js'
import {FAIL_ON_LEVELS, type FailOn} from '../lint/report.js'
import {describeYamlError} from '../manifests/yaml-errors.js'
import type {Channel} from '../pipeline/analyze.js'
import {listRules} from '../pipeline/rule-catalogue.js'
import {checkDns1123Label} from '../schema/kubernetes-names.js'
import {CONFIG_KEYS, type ConfigKey, type GwctlConfig} from './gwctl-config.js'

const CHANNELS: readonly Channel[] = ['experimental', 'standard']

/** Where the file is: its name for messages and its directory for relative globs. */
export interface ConfigSource {
  file: string
  directory: string
}

export function validateConfig(text: string, source: ConfigSource): GwctlConfig {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, uniqueKeys: true, prettyErrors: false})
  const fail = (offset: number, message: string, hint?: string): never => {
    const {line, col} = lines.linePos(offset)
    throw new UserError('usage', message, {file: `${source.file}:${line}:${col}`, hint})
  }
  const at = (node: Node | null | undefined, fallback = 0): number => node?.range?.[0] ?? fallback
  const [error] = doc.errors
  if (error !== undefined) {
    if (error.code === 'MULTIPLE_DOCS') fail(error.pos[0], 'holds several YAML documents; .gwctl.yaml is one map of settings')
    const described = describeYamlError(error, text, doc)
    fail(described.offset, described.message)
  }
  const config: GwctlConfig = {file: source.file, directory: source.directory, rules: {}, exclude: []}
  const root = doc.contents
  if (root === null || (isScalar(root) && root.value === null)) return config
  if (!isMap(root)) return fail(at(root), `must be a map of settings (${CONFIG_KEYS.join(', ')}), got ${describeNode(root)}`)

  for (const pair of root.items as Array<Pair<Node | null, Node | null>>) {
    const keyName = readKey(pair, fail, at)
    if (!(CONFIG_KEYS as readonly string[]).includes(keyName)) {
      const suggestion = suggestName(keyName, CONFIG_KEYS)
      fail(at(pair.key), `unknown key '${keyName}'`, suggestion === undefined ? `known keys: ${CONFIG_KEYS.join(', ')}` : `did you mean '${suggestion}'?`)
    }
    const key = keyName as ConfigKey
    const value = pair.value
    const valueAt = at(value, at(pair.key))
    const oneOf = <T extends string>(choices: readonly T[]): T => {
      const scalar = isScalar(value) ? value.value : undefined
      if (typeof scalar === 'string' && (choices as readonly string[]).includes(scalar)) return scalar as T
      const suggestion = typeof scalar === 'string' ? suggestName(scalar, choices) : undefined
      return fail(valueAt, `${key} must be ${listChoices(choices)}, got ${describeNode(value)}`, suggestion === undefined ? undefined : `did you mean '${suggestion}'?`)
    }
    switch (key) {
      case 'rules':
        config.rules = readRules(value, valueAt, fail, at)
        break
      case 'exclude':
        config.exclude = readStrings(value, key, 'a list of globs', valueAt, fail, at)
        for (const [index, glob] of config.exclude.entries()) {
          if (glob.startsWith('!')) fail(at((value as {items: Node[]}).items[index]), `exclude '${glob}': negated globs are not supported`, 'list only what to leave out')
        }
        break
      case 'channel':
        config.channel = oneOf(CHANNELS)
        break
      case 'fail-on':
        config.failOn = oneOf<FailOn>(FAIL_ON_LEVELS)
        break
      case 'output':
        config.output = oneOf<OutputFormat>(OUTPUT_FORMATS)
        break
      case 'require-refs':
        if (!isScalar(value) || typeof value.value !== 'boolean') fail(valueAt, `require-refs must be true or false, got ${describeNode(value)}`)
        config.requireRefs = (value as {value: boolean}).value
        break
      case 'gateway-class':
        config.gatewayClass = readStrings(value, key, 'a list of GatewayClass names', valueAt, fail, at)
        break
      case 'expiry-warning': {
        const scalar = isScalar(value) ? value.value : undefined
        if (typeof scalar !== 'string') fail(valueAt, `expiry-warning must be a duration such as 30d, 12h or 2w, got ${describeNode(value)}`)
        try {
          parseDurationFlag(scalar as string, 'expiry-warning', 'd')
        } catch (problem) {
          if (!(problem instanceof UserError)) throw problem
          fail(valueAt, `expiry-warning: ${problem.message.replace(/^--expiry-warning /, '')}`, problem.hint)
        }
        config.expiryWarning = scalar as string
        break
      }
      case 'namespace': {
        const scalar = isScalar(value) ? value.value : undefined
        if (typeof scalar !== 'string') fail(valueAt, `namespace must be a namespace name, got ${describeNode(value)}`)
        const [problem] = checkDns1123Label(scalar as string)
        if (problem !== undefined) fail(valueAt, `namespace '${scalar as string}' is not a valid namespace name: ${problem}`)
        config.namespace = scalar as string
        break
      }
      case 'implementation': {
        const scalar = isScalar(value) ? value.value : undefined
        if (typeof scalar !== 'string' || !/^[A-Za-z0-9][\w.-]*(@[\w.+-]+)?$/.test(scalar.trim())) {
          fail(valueAt, `implementation must be NAME or NAME@VERSION (generic, nginx-gateway-fabric@2.6, ...), got ${describeNode(value)}`, 'gwctl implementations lists the names')
        }
        const {line, col} = lines.linePos(valueAt)
        config.implementation = (scalar as string).trim()
        config.implementationAt = `${source.file}:${line}:${col}`
        break
      }
    }
  }
  return config
}

type Fail = (offset: number, message: string, hint?: string) => never
type At = (node: Node | null | undefined, fallback?: number) => number

function readKey(pair: Pair<Node | null, Node | null>, fail: Fail, at: At): string {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return fail(at(pair.key), `keys must be names, got ${describeNode(pair.key)}`)
  return pair.key.value
}

function readRules(value: Node | null, valueAt: number, fail: Fail, at: At): Record<string, RuleLevel> {
  if (!isMap(value)) return fail(valueAt, `rules must be a map of rule id to ${listChoices(RULE_LEVELS)}, got ${describeNode(value)}`)
  const known = listRules().map((rule) => rule.id)
  const rules: Record<string, RuleLevel> = {}
  for (const pair of value.items as Array<Pair<Node | null, Node | null>>) {
    const ruleId = readKey(pair, fail, at)
    if (!known.includes(ruleId)) {
      const suggestion = suggestName(ruleId, known)
      fail(at(pair.key), `unknown rule id '${ruleId}' in rules`, suggestion === undefined ? 'gwctl rules lists them; docs/rule-ids.md too' : `did you mean '${suggestion}'?`)
    }
    const level = isScalar(pair.value) ? pair.value.value : undefined
    if (typeof level !== 'string' || !(RULE_LEVELS as readonly string[]).includes(level)) {
      const suggestion = typeof level === 'string' ? suggestName(level, RULE_LEVELS) : undefined
      fail(at(pair.value, at(pair.key)), `rules.${ruleId} must be ${listChoices(RULE_LEVELS)}, got ${describeNode(pair.value)}`, suggestion === undefined ? undefined : `did you mean '${suggestion}'?`)
    }
    rules[ruleId] = level as RuleLevel
  }
  return rules
}

function readStrings(value: Node | null, key: string, what: string, valueAt: number, fail: Fail, at: At): string[] {
  if (!isSeq(value)) return fail(valueAt, `${key} must be ${what}, got ${describeNode(value)}`, isScalar(value) && typeof value.value === 'string' ? `write [${value.value}]` : undefined)
  return value.items.map((item) => {
    const scalar = isScalar(item) ? item.value : undefined
    if (typeof scalar !== 'string' || scalar.trim() === '') fail(at(item as Node, valueAt), `${key} must be ${what}; this entry is ${describeNode(item as Node)}`)
    return scalar as string
  })
}

function listChoices(choices: readonly string[]): string {
  return choices.length === 1 ? choices[0] : `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`
}

/** A node as a message names it: `'warn'`, `30`, `true`, `null`, `a list`, `a map`. */
function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing'
  if (isMap(node)) return 'a map'
  if (isSeq(node)) return 'a list'
  if (isScalar(node)) {
    const {value} = node
    if (value === null) return 'nothing'
    if (typeof value === 'string') return value === '' ? "''" : `'${value}'`
    return String(value)
  }
  return 'an alias'
}
