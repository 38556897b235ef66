import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parse} from '@bufbuild/cel'
import {ParsedExprSchema} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import {equals} from '@bufbuild/protobuf'
import {isTransitionRule, listCelExpressions} from '../../src/schema/cel-rules.js'
import {countPrecompiledExpressions, decodeParsedExpression, encodeParsedExpression, parseCelExpression} from '../../src/schema/parsed-cel.js'
import type {CelRuleSpec} from '../../src/schema/schema-node.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'

/** Every expression scripts/build-cli.ts parses ahead of time. */
function collectSchemaExpressions(): string[] {
  const expressions = new Set<string>()
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit)
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'x-kubernetes-validations') for (const rule of child as CelRuleSpec[]) if (!isTransitionRule(rule)) listCelExpressions(rule).forEach((e) => expressions.add(e))
        visit(child)
      }
    }
  }
  const schemas = join(REPO_ROOT, 'schemas')
  for (const file of readdirSync(schemas, {recursive: true}) as string[]) if (file.endsWith('.json')) visit(JSON.parse(readFileSync(join(schemas, file), 'utf8')))
  return [...expressions]
}

describe('schema/parsed-cel', () => {
  it('lists the rule, its messageExpression and the predicate of self.all(x, P)', () => {
    const cases: Array<[CelRuleSpec, string[]]> = [
      [{rule: 'self.a == 1'}, ['self.a == 1']],
      [{rule: 'self.a == 1', messageExpression: "'bad ' + self.b"}, ['self.a == 1', "'bad ' + self.b"]],
      [{rule: 'self.all(l, l.port > 0)'}, ['self.all(l, l.port > 0)', ' l.port > 0']],
    ]
    for (const [rule, expected] of cases) assert.deepEqual(listCelExpressions(rule), expected)
  })

  it('every expression of the schemas survives encoding: the decoded AST equals the parsed one (protobuf equality: unset and undefined fields are alike)', function () {
    this.timeout(60_000)
    const expressions = collectSchemaExpressions()
    assert.ok(expressions.length > 50, `${expressions.length} expressions found in schemas/`)
    assert.ok(!equals(ParsedExprSchema, parse('self.a == 1'), parse('self.a == 2')), 'equality tells ASTs apart')
    for (const expression of expressions) {
      const parsed = parse(expression)
      assert.ok(equals(ParsedExprSchema, decodeParsedExpression(encodeParsedExpression(parsed)), parsed), expression)
    }
  })

  it('from source the table is empty and expressions are parsed, syntax errors included', () => {
    assert.equal(countPrecompiledExpressions(), 0)
    assert.deepEqual(parseCelExpression('self.x > 1'), parse('self.x > 1'))
    assert.throws(() => parseCelExpression('self.x >'))
  })
})
