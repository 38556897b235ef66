/**
 * From an Analysis to the LintReport every format renders, and to the
 * `--status` view: the manifests back as YAML with the status gwctl
 * computed, to diff against `kubectl get -o yaml`.
 */
import {stringify} from 'yaml'
import {projectStatus} from '../gatewayapi/status.js'
import {isClusterScoped} from '../manifests/cluster-scoped.js'
import {GATEWAY_GROUP} from '../model/types.js'
import type {Analysis} from '../pipeline/analyze.js'
import type {LintReport, ReportResource, ToolInfo} from './report.js'

function statusById(analysis: Analysis, now: Date): Map<number, Record<string, unknown>> {
  return projectStatus(analysis.binding, {now, supportedFeatures: analysis.implementation?.report.supported})
}

export function buildLintReport(analysis: Analysis, tool: ToolInfo, now: Date): LintReport {
  const statuses = statusById(analysis, now)
  const resources: ReportResource[] = analysis.objects.map((object, id) => ({
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: isClusterScoped(object.apiVersion, object.kind) ? {name: object.name} : {name: object.name, namespace: object.namespace},
    status: statuses.get(id),
    file: object.file,
  }))
  return {files: analysis.files, findings: analysis.findings, skipped: analysis.skipped, suppressed: analysis.suppressed, resources, rules: analysis.rules, tool}
}

/**
 * `gwctl lint --status`: every Gateway API object as written, with
 * `metadata.namespace` filled in and `status` replaced by the computed one,
 * as multi-document YAML. Other objects (Secrets above all) are not printed.
 */
export function renderStatusYaml(analysis: Analysis, now: Date): string {
  const statuses = statusById(analysis, now)
  const documents: string[] = []
  analysis.objects.forEach((object, id) => {
    if (!object.apiVersion.startsWith(`${GATEWAY_GROUP}/`)) return
    const {status: _written, ...rest} = object.object
    const metadata = {...(rest.metadata as Record<string, unknown> | undefined)}
    if (!isClusterScoped(object.apiVersion, object.kind)) metadata.namespace = object.namespace
    const computed = statuses.get(id)
    documents.push(stringify({...rest, metadata, ...(computed === undefined ? {} : {status: computed})}, {lineWidth: 0}))
  })
  return documents.join('---\n')
}
