/**
 * `gwctl lint -o junit`: JUnit XML for CI test reports (GitLab
 * `artifacts:reports:junit`, Jenkins `junit`, Azure DevOps), in the
 * testsuites → testsuite → testcase shape they all parse.
 *
 * One <testsuite> per file (sorted, `<stdin>` included) with <properties>
 * counting its errors, warnings, infos and suppressed findings and naming
 * the --fail-on level. In it, one <testcase> per finding: a <failure> only
 * when the finding is at or above --fail-on (so the report fails exactly
 * when the run does); a finding below it is a passing case whose
 * <system-out> holds the details; a suppressed finding (gwctl/ignore,
 * .gwctl.yaml) is a <skipped> case with the justification. Then one passing
 * <testcase> per object of that file that has no finding at all, so a clean
 * run shows green tests instead of an empty report. Counts on every
 * <testsuite> and on <testsuites> agree with the cases.
 *
 * Why a case per finding rather than per resource: GitLab and Jenkins read
 * a single <failure> per testcase, so several findings on one object would
 * collapse into one entry; one case per finding gives each its own row,
 * and findings without an object (bad YAML) fit the same shape. Names are
 * unique in the whole report (GitLab keeps one of two cases with the same
 * name): `RULE (Kind namespace/name field)`, `RULE (line L, column C)` for
 * findings without an object, `Kind namespace/name` for clean objects,
 * with `[file]`, `[line L]`, `[line L, column C]` or `[#N]` added only to
 * names that would otherwise repeat, so names stay stable when lines move.
 * `classname` is the file path without its extension (as ESLint's junit
 * formatter does), since Jenkins splits classnames at dots.
 *
 * Every text and attribute is escaped for XML 1.0; characters XML 1.0 cannot
 * carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
 * written as visible `\uXXXX` text.
 */
import {SEVERITY_RANK, type Finding, type ResourceRef, type Severity} from '../../findings/finding.js'
import {sortFindings} from '../report.js'
import type {FailOn, LintReport, ReportResource, SuppressedFinding} from '../report.js'
import type {FormatOptions} from './format-options.js'

type Outcome = 'failure' | 'passed' | 'skipped'

interface TestCase {
  name: string
  file: string
  outcome: Outcome
  finding?: Finding
  suppression?: SuppressedFinding['suppression']
}

interface TestSuite {
  file: string
  cases: TestCase[]
}

export function formatJunit(report: LintReport, options: FormatOptions): string {
  const failOn = options.failOn ?? 'error'
  const suites = buildSuites(report, failOn)
  assignUniqueNames(suites.flatMap((suite) => suite.cases))
  const all = suites.flatMap((suite) => suite.cases)
  const rootAttributes = formatAttributes({name: 'gwctl lint', ...countOutcomes(all)})
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  if (suites.length === 0) {
    lines.push(`<testsuites ${rootAttributes}/>`)
    return lines.join('\n')
  }
  lines.push(`<testsuites ${rootAttributes}>`)
  for (const suite of suites) lines.push(...formatSuite(suite, failOn))
  lines.push('</testsuites>')
  return lines.join('\n')
}

function isFailure(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn]
}

function buildSuites(report: LintReport, failOn: FailOn): TestSuite[] {
  const suites = new Map<string, TestSuite>()
  const suiteFor = (file: string): TestSuite => {
    let suite = suites.get(file)
    if (!suite) {
      suite = {file, cases: []}
      suites.set(file, suite)
    }
    return suite
  }
  const objectsWithFindings = new Set<string>()
  const findings: Array<Finding | SuppressedFinding> = sortFindings([...report.findings, ...report.suppressed])
  for (const finding of findings) {
    const suppression = 'suppression' in finding ? (finding as SuppressedFinding).suppression : undefined
    const outcome: Outcome = suppression !== undefined ? 'skipped' : isFailure(finding.severity, failOn) ? 'failure' : 'passed'
    suiteFor(finding.file).cases.push({name: nameFindingCase(finding), file: finding.file, outcome, finding, suppression})
    if (finding.resource) objectsWithFindings.add(keyObject(finding.file, finding.resource))
  }
  for (const resource of report.resources) {
    if (objectsWithFindings.has(keyObject(resource.file, toResourceRef(resource)))) continue
    suiteFor(resource.file).cases.push({name: describeObject(toResourceRef(resource)), file: resource.file, outcome: 'passed'})
  }
  return [...suites.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

/**
 * Makes every name unique, qualifying only the names that repeat: by file
 * when the repeats are in several files, then by line, then by line and
 * column, then by a running number.
 */
function assignUniqueNames(cases: TestCase[]): void {
  const qualifiers: Array<(testCase: TestCase) => string | undefined> = [
    (testCase) => testCase.file,
    (testCase) => testCase.finding && `line ${testCase.finding.line}`,
    (testCase) => testCase.finding && `line ${testCase.finding.line}, column ${testCase.finding.column}`,
  ]
  const bases = cases.map((testCase) => testCase.name)
  const parts: string[][] = cases.map(() => [])
  const render = (index: number) => (parts[index].length === 0 ? bases[index] : `${bases[index]} [${parts[index].join(', ')}]`)
  for (const qualify of qualifiers) {
    for (const group of findRepeats(cases.map((_, index) => render(index)))) {
      const values = group.map((index) => qualify(cases[index]))
      if (new Set(values).size < 2 || values.includes(undefined)) continue
      group.forEach((index, position) => {
        const value = values[position]!
        const last = parts[index].at(-1)
        if (last !== undefined && value.startsWith(`${last},`)) parts[index][parts[index].length - 1] = value
        else parts[index].push(value)
      })
    }
  }
  for (const group of findRepeats(cases.map((_, index) => render(index)))) {
    group.forEach((index, position) => {
      if (position > 0) parts[index].push(`#${position + 1}`)
    })
  }
  cases.forEach((testCase, index) => {
    testCase.name = render(index)
  })
}

/** Indexes of the entries that share a value, one group per repeated value, in order. */
function findRepeats(values: readonly string[]): number[][] {
  const groups = new Map<string, number[]>()
  values.forEach((value, index) => groups.set(value, [...(groups.get(value) ?? []), index]))
  return [...groups.values()].filter((group) => group.length > 1)
}

function countOutcomes(cases: readonly TestCase[]): {tests: number; failures: number; errors: number; skipped: number} {
  return {
    tests: cases.length,
    failures: cases.filter((testCase) => testCase.outcome === 'failure').length,
    errors: 0,
    skipped: cases.filter((testCase) => testCase.outcome === 'skipped').length,
  }
}

function formatSuite(suite: TestSuite, failOn: FailOn): string[] {
  const attributes = formatAttributes({name: suite.file, ...countOutcomes(suite.cases)})
  const classname = suite.file.replace(/\.[^./\\]+$/, '')
  const lines = [`  <testsuite ${attributes}>`, '    <properties>']
  for (const [name, value] of summarizeSuite(suite, failOn)) lines.push(`      <property ${formatAttributes({name, value})}/>`)
  lines.push('    </properties>')
  for (const testCase of suite.cases) {
    const caseAttributes = formatAttributes({name: testCase.name, classname, file: suite.file})
    const body = formatCaseBody(testCase, failOn)
    if (body === undefined) {
      lines.push(`    <testcase ${caseAttributes}/>`)
    } else {
      lines.push(`    <testcase ${caseAttributes}>`, `      ${body}`, '    </testcase>')
    }
  }
  lines.push('  </testsuite>')
  return lines
}

function summarizeSuite(suite: TestSuite, failOn: FailOn): Array<[string, string | number]> {
  const reported = suite.cases.filter((testCase) => testCase.finding !== undefined && testCase.outcome !== 'skipped')
  const count = (severity: Severity) => reported.filter((testCase) => testCase.finding!.severity === severity).length
  return [
    ['errors', count('error')],
    ['warnings', count('warning')],
    ['infos', count('info')],
    ['suppressed', suite.cases.filter((testCase) => testCase.outcome === 'skipped').length],
    ['fail-on', failOn],
  ]
}

function formatCaseBody(testCase: TestCase, failOn: FailOn): string | undefined {
  const {finding} = testCase
  if (finding === undefined) return undefined
  const details = describeFinding(finding)
  if (testCase.suppression !== undefined) {
    const message = `suppressed: ${testCase.suppression.justification}`
    return `<skipped ${formatAttributes({message})}>${escapeXmlText(details)}</skipped>`
  }
  if (testCase.outcome === 'passed') {
    const note = failOn === 'none' ? '(--fail-on none: not a failure)' : `(below --fail-on ${failOn}: not a failure)`
    return `<system-out>${escapeXmlText(`${details}\n${note}`)}</system-out>`
  }
  const attributes = formatAttributes({message: finding.message, type: finding.severity})
  return `<failure ${attributes}>${escapeXmlText(details)}</failure>`
}

function describeFinding(finding: Finding): string {
  const lines = [
    `${finding.severity} ${finding.ruleId} (${finding.category})`,
    `at ${finding.file}:${finding.line}:${finding.column}`,
  ]
  if (finding.resource) lines.push(`resource: ${describeObject(finding.resource)} (${finding.resource.apiVersion})`)
  if (finding.field) lines.push(`field: ${finding.field}`)
  lines.push(finding.message)
  return lines.join('\n')
}

function nameFindingCase(finding: Finding): string {
  if (!finding.resource) return `${finding.ruleId} (line ${finding.line}, column ${finding.column})`
  const field = finding.field ? ` ${finding.field}` : ''
  return `${finding.ruleId} (${describeObject(finding.resource)}${field})`
}

function toResourceRef(resource: ReportResource): ResourceRef {
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    namespace: resource.metadata.namespace,
    name: resource.metadata.name,
  }
}

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
function describeObject(ref: ResourceRef): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.namespace}/${ref.name}`
}

function keyObject(file: string, ref: ResourceRef): string {
  return JSON.stringify([file, ref.kind, ref.namespace ?? '', ref.name])
}

export function formatAttributes(attributes: Record<string, string | number>): string {
  return Object.entries(attributes)
    .map(([name, value]) => `${name}="${escapeXmlAttribute(String(value))}"`)
    .join(' ')
}

/** C0 controls but TAB/LF/CR, U+FFFE/U+FFFF, and surrogates that are not part of a pair. */
const NOT_IN_XML = new RegExp(
  [
    '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]',
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])',
    '(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  ].join('|'),
  'g',
)

function replaceNonXmlCharacters(text: string): string {
  return text.replace(NOT_IN_XML, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Text content: `&`, `<`, `>` as entities; CR as a reference so parsers keep it. */
export function escapeXmlText(text: string): string {
  return replaceNonXmlCharacters(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;')
}

/** Attribute values: also quotes, and TAB/LF/CR as references (else normalised to spaces). */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
}
