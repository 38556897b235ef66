import assert from 'node:assert/strict'
import {compileSchema} from '../../src/schema/schema-node.js'
import {walkSchema} from '../../src/schema/structural-walk.js'
import {suggestName} from '../../src/errors/suggest-name.js'

/** Walks `value` against a schema written inline; issues as `ruleId path`. */
function check(schema: Record<string, unknown>, value: unknown) {
  const result = walkSchema(value, compileSchema(schema))
  return {value: result.value, issues: result.issues.map((i) => `${i.ruleId} ${i.path.join('.')}`), messages: result.issues.map((i) => i.message)}
}

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({type: 'object', properties, ...extra})
const rule = (text: string, message = text) => ({'x-kubernetes-validations': [{rule: text, message}]})

describe('schema/structural-walk', () => {
  describe('types', () => {
    const cases: Array<{title: string; schema: Record<string, unknown>; value: unknown; issues: string[]}> = [
      {title: 'integer accepts integral numbers', schema: {type: 'integer'}, value: 3, issues: []},
      {title: 'integer refuses fractions', schema: {type: 'integer'}, value: 1.5, issues: ['schema-type ']},
      {title: 'number accepts integers', schema: {type: 'number'}, value: 3, issues: []},
      {title: 'string refuses numbers', schema: {type: 'string'}, value: 3, issues: ['schema-type ']},
      {title: 'boolean refuses "true"', schema: {type: 'boolean'}, value: 'true', issues: ['schema-type ']},
      {title: 'array refuses objects', schema: {type: 'array', items: {type: 'string'}}, value: {}, issues: ['schema-type ']},
      {title: 'int-or-string accepts both', schema: {'x-kubernetes-int-or-string': true}, value: '50%', issues: []},
      {title: 'int-or-string refuses fractions', schema: {'x-kubernetes-int-or-string': true}, value: 0.5, issues: ['schema-type ']},
      {title: 'nullable accepts null', schema: {type: 'string', nullable: true}, value: null, issues: []},
      {title: 'null array item is a type error', schema: {type: 'array', items: {type: 'string'}}, value: ['a', null], issues: ['schema-type 1']},
    ]
    for (const c of cases) it(c.title, () => assert.deepEqual(check(c.schema, c.value).issues, c.issues))
  })

  describe('fields', () => {
    it('unknown fields are reported and pruned', () => {
      const result = check(object({a: {type: 'string'}}), {a: 'x', b: 1})
      assert.deepEqual(result.issues, ['schema-unknown-field b'])
      assert.deepEqual(result.value, {a: 'x'})
    })

    it('x-kubernetes-preserve-unknown-fields keeps them', () => {
      const result = check(object({a: {type: 'string'}}, {'x-kubernetes-preserve-unknown-fields': true}), {a: 'x', b: {c: [1]}})
      assert.deepEqual(result, {value: {a: 'x', b: {c: [1]}}, issues: [], messages: []})
    })

    it('additionalProperties: values validated, any key', () => {
      assert.deepEqual(check({type: 'object', additionalProperties: {type: 'string', maxLength: 2}}, {x: 'ab', y: 'abc'}).issues, ['schema-range y'])
    })

    it('required after defaults; null without default is pruned, then missing', () => {
      const schema = object({a: {type: 'string', default: 'd'}, b: {type: 'string'}}, {required: ['a', 'b']})
      const result = check(schema, {b: null})
      assert.deepEqual(result.issues, ['schema-required b'])
      assert.deepEqual(result.value, {a: 'd'})
    })

    it('defaults apply only where the parent object exists, nested defaults included', () => {
      const schema = object({outer: object({inner: object({leaf: {type: 'string', default: 'x'}}, {default: {}})})})
      assert.deepEqual(check(schema, {}).value, {})
      assert.deepEqual(check(schema, {outer: {}}).value, {outer: {inner: {leaf: 'x'}}})
    })

    it('keeps a __proto__ key of a map as data', () => {
      const result = check({type: 'object', additionalProperties: {type: 'string'}}, JSON.parse('{"__proto__": "x", "a": "y"}'))
      assert.deepEqual(Object.keys(result.value as object), ['__proto__', 'a'])
      assert.equal(Object.getPrototypeOf(result.value), Object.prototype)
    })

    it('suggests the closest field name for a typo', () => {
      assert.equal(suggestName('certficateRefs', ['mode', 'certificateRefs', 'options']), 'certificateRefs')
      assert.equal(suggestName('hostName', ['hostname', 'port']), 'hostname')
      assert.equal(suggestName('zzz', ['hostname', 'port']), undefined)
    })
  })

  describe('value validations', () => {
    const cases: Array<{title: string; schema: Record<string, unknown>; value: unknown; issues: string[]}> = [
      {title: 'maxLength counts code points', schema: {type: 'string', maxLength: 2}, value: '😀😀', issues: []},
      {title: 'maxLength exceeded', schema: {type: 'string', maxLength: 2}, value: 'abc', issues: ['schema-range ']},
      {title: 'minLength counts code points', schema: {type: 'string', minLength: 2}, value: '😀', issues: ['schema-range ']},
      {title: 'pattern', schema: {type: 'string', pattern: '^a+$'}, value: 'ab', issues: ['schema-pattern ']},
      {title: 'format', schema: {type: 'string', format: 'ipv4'}, value: '::1', issues: ['schema-format ']},
      {title: 'unknown format ignored', schema: {type: 'string', format: 'k8s-thing'}, value: 'x', issues: []},
      {title: 'enum', schema: {type: 'string', enum: ['A', 'B']}, value: 'C', issues: ['schema-enum ']},
      {title: 'minimum', schema: {type: 'integer', minimum: 1}, value: 0, issues: ['schema-range ']},
      {title: 'exclusiveMaximum', schema: {type: 'integer', maximum: 10, exclusiveMaximum: true}, value: 10, issues: ['schema-range ']},
      {title: 'multipleOf', schema: {type: 'integer', multipleOf: 5}, value: 12, issues: ['schema-range ']},
      {title: 'maxItems', schema: {type: 'array', items: {type: 'string'}, maxItems: 1}, value: ['a', 'b'], issues: ['schema-range ']},
      {title: 'minItems', schema: {type: 'array', items: {type: 'string'}, minItems: 1}, value: [], issues: ['schema-range ']},
      {title: 'maxProperties', schema: {type: 'object', additionalProperties: {type: 'string'}, maxProperties: 1}, value: {a: '1', b: '2'}, issues: ['schema-range ']},
      {title: 'list-type set: duplicates', schema: {type: 'array', items: {type: 'string'}, 'x-kubernetes-list-type': 'set'}, value: ['a', 'b', 'a'], issues: ['schema-duplicate 2']},
      {title: 'list-type map: duplicate key tuples', schema: {type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k', 'p'], items: object({k: {type: 'string'}, p: {type: 'integer', default: 80}})}, value: [{k: 'a'}, {k: 'a', p: 81}, {k: 'a', p: 80}], issues: ['schema-duplicate 2']},
      {title: 'list-type atomic: duplicates allowed', schema: {type: 'array', items: {type: 'string'}, 'x-kubernetes-list-type': 'atomic'}, value: ['a', 'a'], issues: []},
    ]
    for (const c of cases) it(c.title, () => assert.deepEqual(check(c.schema, c.value).issues, c.issues))

    it('oneOf / anyOf / not, as the Gateway addresses use them', () => {
      const schema = object(
        {type: {type: 'string', default: 'IPAddress'}, value: {type: 'string'}},
        {oneOf: [{properties: {type: {enum: ['IPAddress']}, value: {anyOf: [{format: 'ipv4'}, {format: 'ipv6'}]}}}, {properties: {type: {not: {enum: ['IPAddress']}}}}]},
      )
      assert.deepEqual(check(schema, {value: '10.0.0.1'}).issues, [])
      assert.deepEqual(check(schema, {value: 'fd00::1'}).issues, [])
      assert.deepEqual(check(schema, {type: 'Hostname', value: 'lb.example.com'}).issues, [])
      const bad = check(schema, {value: 'lb.example.com'})
      assert.deepEqual(bad.issues, ['schema-format '])
      assert.equal(bad.messages[0], 'must match exactly one of [value: must match at least one of [must be a valid ipv4 | must be a valid ipv6] | type: must not be one of "IPAddress"]')
    })

    it('allOf', () => {
      assert.deepEqual(check({type: 'string', allOf: [{maxLength: 3}, {pattern: '^a'}]}, 'bcde').issues, ['schema-format ', 'schema-format '])
    })
  })

  describe('CEL rules', () => {
    it('sees integers as int, escaped field names, and maps by raw key', () => {
      const schema = object(
        {
          port: {type: 'integer'},
          ratio: {type: 'number'},
          namespace: {type: 'string'},
          'max-age': {type: 'integer'},
          labels: {type: 'object', additionalProperties: {type: 'string'}},
        },
        rule("self.port == 8080 && type(self.port) == int && type(self.ratio) == double && self.__namespace__ == 'ns' && self.max__dash__age > 0 && self.labels['app.kubernetes.io/name'] == 'web'"),
      )
      assert.deepEqual(check(schema, {port: 8080, ratio: 1, namespace: 'ns', 'max-age': 5, labels: {'app.kubernetes.io/name': 'web'}}).issues, [])
    })

    it('does not run on absent fields, and runs on defaulted ones', () => {
      const schema = object({a: object({mode: {type: 'string', default: 'On'}}, rule("self.mode == 'Off'", 'must be off'))})
      assert.deepEqual(check(schema, {}).issues, [])
      assert.deepEqual(check(schema, {a: {}}).messages, ['must be off'])
    })

    it('a blocking error in a subtree skips the rules above it, not those beside it', () => {
      const item = object({n: {type: 'integer'}}, rule('self.n > 0', 'n must be positive'))
      const schema = object({list: {type: 'array', items: item, ...rule('size(self) < 2', 'at most one item')}})
      const result = check(schema, {list: [{n: 'x'}, {n: -1}]})
      assert.deepEqual(result.issues, ['schema-type list.0.n', 'schema-cel list.1'])
      assert.deepEqual(result.messages.slice(1), ['n must be positive'])
    })

    it('a pattern error does not block (the API server evaluates CEL then)', () => {
      const schema = object({name: {type: 'string', pattern: '^[a-z]+$'}}, rule("self.name != 'X'", 'not X'))
      assert.deepEqual(check(schema, {name: 'X'}).issues, ['schema-pattern name', 'schema-cel '])
    })

    it('counts transition rules instead of evaluating them', () => {
      const result = walkSchema({a: 'x'}, compileSchema(object({a: {type: 'string', ...rule('self == oldSelf')}})))
      assert.deepEqual({issues: result.issues, skipped: result.skippedTransitionRules}, {issues: [], skipped: 1})
    })

    it('sees preserved unknown fields', () => {
      const schema = object({}, {'x-kubernetes-preserve-unknown-fields': true, ...rule("self.extra.depth == 2 && self.extra.name == 'x'", 'extra')})
      assert.deepEqual(check(schema, {extra: {depth: 2, name: 'x'}}).issues, [])
    })
  })
})
