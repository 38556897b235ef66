/**
 * `gwctl lint --implementation all`: the input loaded and validated once,
 * then bound and checked as generic and as every implementation's newest
 * report; the matrix of which accept it and what each adds or removes.
 * The exit status is generic's (0, or 1 for findings at or above
 * --fail-on), 2 for input that could not be used.
 */
import {buildProfile, loadImplementationCatalogue, pickNewestReport} from '../implementations/find-implementation.js'
import {analyzeManifestsPerImplementation, type AnalyzeOptions} from '../pipeline/analyze.js'
import {buildImplementationMatrix, renderMatrixJson, renderMatrixText, type MatrixEntry} from './implementation-matrix.js'
import type {FailOn} from './report.js'

export interface MatrixResult {
  text: string
  json: string
  exitCode: 0 | 1 | 2
}

export async function lintEveryImplementation(inputs: readonly string[], options: AnalyzeOptions, failOn: FailOn): Promise<MatrixResult> {
  const catalogue = await loadImplementationCatalogue()
  const profiles = catalogue.implementations.map((implementation) => buildProfile(implementation, pickNewestReport(implementation)))
  const analyses = await analyzeManifestsPerImplementation(inputs, options, [undefined, ...profiles])
  const entries: MatrixEntry[] = analyses.map((analysis, index) => (index === 0
    ? {name: 'generic', findings: analysis.findings}
    : {name: profiles[index - 1].name, version: profiles[index - 1].report.version, findings: analysis.findings}))
  const matrix = buildImplementationMatrix(entries, failOn)
  const exitCode = analyses[0].fatal ? 2 : matrix.rows[0].accepts ? 0 : 1
  return {text: renderMatrixText(matrix), json: renderMatrixJson(matrix), exitCode}
}
