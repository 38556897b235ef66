/**
 * `gwctl lint -o junit`: JUnit XML for CI test reports (GitLab
 * `artifacts:reports:junit`, Jenkins `junit`, Azure DevOps).
 *
 * Layout: one <testsuite> per file (sorted, `<stdin>` included), and in it
 * one <testcase> per finding — with a <failure> for an error or warning, a
 * passing case with <system-out> for an info — followed by one passing
 * <testcase> per object of that file that has no finding at all.
 * Why per finding rather than per resource: GitLab and Jenkins read a single
 * <failure> per testcase, so several findings on one object would collapse
 * into one entry; one case per finding gives each its own row, title and
 * failure text, and findings without an object (bad YAML) fit the same
 * shape. The passing cases per clean object make a clean run show as green
 * tests instead of an empty report. `classname` is the file path without
 * its extension (as ESLint's junit formatter does), since Jenkins splits
 * classnames at dots.
 *
 * Every text and attribute is escaped for XML 1.0; characters XML 1.0 cannot
 * carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are
 * written as visible `\uXXXX` text.
 */
import type {Finding, ResourceRef} from '../../findings/finding.js'
import {sortFindings} from '../report.js'
import type {LintReport, ReportResource} from '../report.js'
import type {FormatOptions} from './format-options.js'

interface TestCase {
  name: string
  finding?: Finding
}

interface TestSuite {
  file: string
  cases: TestCase[]
}

export function formatJunit(report: LintReport, _options: FormatOptions): string {
  const suites = buildSuites(report)
  const tests = suites.reduce((sum, suite) => sum + suite.cases.length, 0)
  const failures = suites.reduce((sum, suite) => sum + countFailures(suite.cases), 0)
  const rootAttributes = formatAttributes({name: 'gwctl lint', tests, failures, errors: 0})
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>']
  if (suites.length === 0) {
    lines.push(`<testsuites ${rootAttributes}/>`)
    return lines.join('\n')
  }
  lines.push(`<testsuites ${rootAttributes}>`)
  for (const suite of suites) lines.push(...formatSuite(suite))
  lines.push('</testsuites>')
  return lines.join('\n')
}

function buildSuites(report: LintReport): TestSuite[] {
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
  for (const finding of sortFindings(report.findings)) {
    suiteFor(finding.file).cases.push({name: nameFindingCase(finding), finding})
    if (finding.resource) objectsWithFindings.add(keyObject(finding.file, finding.resource))
  }
  for (const resource of report.resources) {
    if (objectsWithFindings.has(keyObject(resource.file, toResourceRef(resource)))) continue
    suiteFor(resource.file).cases.push({name: describeObject(toResourceRef(resource))})
  }
  return [...suites.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

function formatSuite(suite: TestSuite): string[] {
  const attributes = formatAttributes({
    name: suite.file,
    tests: suite.cases.length,
    failures: countFailures(suite.cases),
    errors: 0,
  })
  const classname = suite.file.replace(/\.[^./\\]+$/, '')
  const lines = [`  <testsuite ${attributes}>`]
  for (const testCase of suite.cases) {
    const caseAttributes = formatAttributes({name: testCase.name, classname, file: suite.file})
    const body = testCase.finding && formatFindingBody(testCase.finding)
    if (body === undefined) {
      lines.push(`    <testcase ${caseAttributes}/>`)
    } else {
      lines.push(`    <testcase ${caseAttributes}>`, `      ${body}`, '    </testcase>')
    }
  }
  lines.push('  </testsuite>')
  return lines
}

function formatFindingBody(finding: Finding): string {
  const details = describeFinding(finding)
  if (finding.severity === 'info') return `<system-out>${escapeXmlText(details)}</system-out>`
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

function countFailures(cases: TestCase[]): number {
  return cases.filter((testCase) => testCase.finding && testCase.finding.severity !== 'info').length
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

function formatAttributes(attributes: Record<string, string | number>): string {
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
function escapeXmlText(text: string): string {
  return replaceNonXmlCharacters(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;')
}

/** Attribute values: also quotes, and TAB/LF/CR as references (else normalised to spaces). */
function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
}
