/**
 * The rule catalogue is complete and well formed: every rule id the source
 * can report is listed (found by reading src/ with the TypeScript parser:
 * `ruleId: '…'` properties, arguments passed to a parameter named
 * `ruleId`, comparisons with `.ruleId`, and `…RuleId` string-literal union
 * types), every listed rule is reported somewhere or explicitly reserved,
 * and every entry has its texts. findRule/requireRule answer by id.
 */
import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import ts from 'typescript'
import {UserError} from '../../src/errors/user-error.js'
import {findRule, listRules, requireRule, RULE_CATEGORIES} from '../../src/pipeline/rule-catalogue.js'
import {REPO_ROOT} from '../support/fixture-expectations.js'

/** Catalogue rules no code reports, each with the reason it stays listed. */
const RESERVED: Record<string, string> = {
  'listener-unsupported-value':
    'the listener status UnsupportedValue arises only from values the CRD schema already rejects (schema-enum, schema-cel), which lint reports instead',
}

const RULE_ID_SHAPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/

interface RuleIdUse {
  id: string
  where: string
  /** Reported (a finding or problem is built with it), not merely compared or typed. */
  emitted: boolean
}

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return listSourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

/** String literals an expression can evaluate to: through conditionals, parentheses and `as`. */
function collectLiterals(node: ts.Expression): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text]
  if (ts.isConditionalExpression(node)) return [...collectLiterals(node.whenTrue), ...collectLiterals(node.whenFalse)]
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return collectLiterals(node.expression)
  return []
}

function nameOfCallee(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text
  if (ts.isPropertyAccessExpression(node)) return node.name.text
  return undefined
}

function isRuleIdParameter(parameter: ts.ParameterDeclaration): boolean {
  return ts.isIdentifier(parameter.name) && parameter.name.text === 'ruleId'
}

/** Function, method and class names → positions of their `ruleId` parameter. */
function findRuleIdParameters(sources: ts.SourceFile[]): Map<string, Set<number>> {
  const positions = new Map<string, Set<number>>()
  const record = (name: string | undefined, parameters: readonly ts.ParameterDeclaration[]) => {
    if (name === undefined) return
    parameters.forEach((parameter, index) => {
      if (!isRuleIdParameter(parameter)) return
      const set = positions.get(name) ?? new Set<number>()
      set.add(index)
      positions.set(name, set)
    })
  }
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) record(node.name && ts.isIdentifier(node.name) ? node.name.text : undefined, node.parameters)
    if (ts.isConstructorDeclaration(node) && ts.isClassDeclaration(node.parent)) record(node.parent.name?.text, node.parameters)
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
      record(node.name.text, node.initializer.parameters)
    }
    ts.forEachChild(node, visit)
  }
  for (const source of sources) visit(source)
  return positions
}

function findRuleIdUses(): RuleIdUse[] {
  const srcDir = join(REPO_ROOT, 'src')
  const sources = listSourceFiles(srcDir).map((file) => ts.createSourceFile(relative(REPO_ROOT, file), readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true))
  const parameters = findRuleIdParameters(sources)
  const uses: RuleIdUse[] = []
  for (const source of sources) {
    const add = (ids: string[], node: ts.Node, emitted: boolean) => {
      const {line} = source.getLineAndCharacterOfPosition(node.getStart(source))
      for (const id of ids) if (RULE_ID_SHAPE.test(id)) uses.push({id, where: `${source.fileName}:${line + 1}`, emitted})
    }
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'ruleId') add(collectLiterals(node.initializer), node, true)
      if ((ts.isCallExpression(node) || ts.isNewExpression(node))) {
        const name = nameOfCallee(node.expression)
        const indexes = name === undefined ? undefined : parameters.get(name)
        for (const index of indexes ?? []) {
          const argument = node.arguments?.[index]
          if (argument) add(collectLiterals(argument), argument, true)
        }
      }
      if (ts.isBinaryExpression(node) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(node.operatorToken.kind)) {
        for (const [side, other] of [[node.left, node.right], [node.right, node.left]]) {
          if (ts.isPropertyAccessExpression(side) && side.name.text === 'ruleId') add(collectLiterals(other), other, false)
        }
      }
      if (ts.isTypeAliasDeclaration(node) && node.name.text.endsWith('RuleId')) {
        const members = ts.isUnionTypeNode(node.type) ? node.type.types : [node.type]
        const ids = members.flatMap((member) => (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? [member.literal.text] : []))
        add(ids, node, false)
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return uses
}

describe('rule catalogue', () => {
  const rules = listRules()
  const ids = rules.map((rule) => rule.id)
  const uses = findRuleIdUses()

  it('the source scan finds rule ids (it is live)', () => {
    assert.ok(uses.filter((use) => use.emitted).length > 60, `only ${uses.length} rule id uses found`)
    assert.ok(uses.some((use) => use.id === 'input-alias-limit' && use.emitted), 'new InputLimitError(ruleId, ...) is seen')
    assert.ok(uses.some((use) => use.id === 'schema-pattern' && use.emitted), 'createInvalidProblem(ruleId, ...) is seen')
  })

  it('every rule id the source reports, compares or types is in the catalogue', () => {
    const unknown = uses.filter((use) => !ids.includes(use.id)).map((use) => `${use.id} (${use.where})`)
    assert.deepEqual(unknown, [], 'add these to the RuleMeta list of their stage (see src/pipeline/rule-catalogue.ts)')
  })

  it('every catalogue rule is reported somewhere, or reserved with a reason', () => {
    const emitted = new Set(uses.filter((use) => use.emitted).map((use) => use.id))
    assert.deepEqual(ids.filter((id) => !emitted.has(id) && RESERVED[id] === undefined), [])
    for (const id of Object.keys(RESERVED)) {
      assert.ok(ids.includes(id), `reserved ${id} is in the catalogue`)
      assert.ok(!emitted.has(id), `${id} is reported now: remove it from RESERVED`)
    }
  })

  it('ids are unique and kebab-case', () => {
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [])
    assert.deepEqual(ids.filter((id) => !RULE_ID_SHAPE.test(id)), [])
  })

  it('every rule has a known category and severity, and its texts', () => {
    for (const rule of rules) {
      assert.ok(RULE_CATEGORIES.includes(rule.category), `${rule.id}: category ${rule.category}`)
      assert.ok(['error', 'warning', 'info'].includes(rule.defaultSeverity), `${rule.id}: severity`)
      for (const [name, text] of [['description', rule.description], ['why', rule.why], ['fix', rule.fix]] as const) {
        assert.ok(text.length >= 20 && /[.)]$/.test(text) && text === text.trim() && !text.includes('\n'), `${rule.id}: ${name} is one or more sentences on one line: ${JSON.stringify(text)}`)
      }
      const example = 'yaml' in rule.example ? rule.example.yaml : 'shell' in rule.example ? rule.example.shell : rule.example.text
      assert.ok(example.trim().length > 0, `${rule.id}: example`)
      assert.ok(!/^\s/.test(example) && !/\t/.test(example), `${rule.id}: example starts at column 0 and has no tabs`)
    }
  })

  it('findRule and requireRule answer by id; an unknown id is a usage error with a did-you-mean', () => {
    assert.equal(findRule('listener-route-kind')?.category, 'semantic')
    assert.equal(findRule('no-such-rule'), undefined)
    assert.equal(requireRule('certificate-expired').defaultSeverity, 'error')
    assert.throws(() => requireRule('certificate-expird'), (error: unknown) =>
      error instanceof UserError && error.kind === 'usage' && error.message === "unknown rule 'certificate-expird'" && /did you mean 'certificate-expired'\?/.test(error.hint ?? ''))
    assert.throws(() => requireRule('zzzz'), (error: unknown) => error instanceof UserError && !/did you mean/.test(error.hint ?? ''))
  })
})
