/**
 * GitHub code scanning's own constraints on an uploaded SARIF file, beyond
 * the SARIF 2.1.0 schema (docs.github.com, "SARIF support for code
 * scanning"): what makes an upload rejected or its alerts unusable. Returns
 * the violations found, empty when the log is acceptable.
 */

const LEVELS = new Set(['none', 'note', 'warning', 'error'])
const MAX_RESULTS_PER_RUN = 25_000
const MAX_RULES_PER_RUN = 25_000
const MAX_TAGS_PER_RULE = 20
const MAX_LOCATIONS_PER_RESULT = 1000

type Json = Record<string, any>

export function checkGithubSarif(log: Json): string[] {
  const problems: string[] = []
  if (log.version !== '2.1.0') problems.push(`version is ${log.version}, not 2.1.0`)
  if (!Array.isArray(log.runs) || log.runs.length === 0) return [...problems, 'no runs']
  log.runs.forEach((run: Json, r: number) => {
    const driver = run.tool?.driver
    if (typeof driver?.name !== 'string' || driver.name === '') problems.push(`run ${r}: tool.driver.name missing`)
    const rules: Json[] = driver?.rules ?? []
    if (rules.length > MAX_RULES_PER_RUN) problems.push(`run ${r}: more than ${MAX_RULES_PER_RUN} rules`)
    const ids = rules.map((rule) => rule.id)
    ids.forEach((id, index) => {
      if (ids.indexOf(id) !== index) problems.push(`run ${r}: rule id ${id} repeated`)
    })
    rules.forEach((rule) => {
      const where = `run ${r} rule ${rule.id}`
      if (typeof rule.id !== 'string' || rule.id === '') problems.push(`${where}: no id`)
      for (const key of ['shortDescription', 'fullDescription']) if (typeof rule[key]?.text !== 'string' || rule[key].text === '') problems.push(`${where}: ${key}.text missing`)
      if (typeof rule.help?.text !== 'string' || typeof rule.help?.markdown !== 'string') problems.push(`${where}: help.text or help.markdown missing`)
      if (rule.defaultConfiguration !== undefined && !LEVELS.has(rule.defaultConfiguration.level)) problems.push(`${where}: defaultConfiguration.level ${rule.defaultConfiguration.level}`)
      const tags = rule.properties?.tags
      if (tags !== undefined && (!Array.isArray(tags) || tags.length > MAX_TAGS_PER_RULE || tags.some((tag: unknown) => typeof tag !== 'string'))) problems.push(`${where}: properties.tags`)
      const severity = rule.properties?.['security-severity']
      if (severity !== undefined) {
        const value = Number(severity)
        if (typeof severity !== 'string' || !(value >= 0 && value <= 10)) problems.push(`${where}: security-severity ${severity} is not a string from 0.0 to 10.0`)
        if (!tags?.includes('security')) problems.push(`${where}: security-severity without the security tag`)
      }
    })
    const results: Json[] = run.results ?? []
    if (results.length > MAX_RESULTS_PER_RUN) problems.push(`run ${r}: more than ${MAX_RESULTS_PER_RUN} results`)
    results.forEach((result, i) => {
      const where = `run ${r} result ${i} (${result.ruleId})`
      if (typeof result.ruleId !== 'string' || result.ruleId === '') problems.push(`${where}: no ruleId`)
      else if (!ids.includes(result.ruleId)) problems.push(`${where}: ruleId is not in tool.driver.rules`)
      if (result.ruleIndex !== undefined && ids[result.ruleIndex] !== result.ruleId) problems.push(`${where}: ruleIndex points to another rule`)
      if (!LEVELS.has(result.level)) problems.push(`${where}: level ${result.level}`)
      if (typeof result.message?.text !== 'string' || result.message.text === '') problems.push(`${where}: message.text missing`)
      const locations: Json[] = result.locations ?? []
      if (locations.length === 0) problems.push(`${where}: no location`)
      if (locations.length > MAX_LOCATIONS_PER_RESULT) problems.push(`${where}: too many locations`)
      locations.forEach((location) => {
        const physical = location.physicalLocation
        if (typeof physical?.artifactLocation?.uri !== 'string' || physical.artifactLocation.uri === '') problems.push(`${where}: no artifactLocation.uri`)
        else if (/[\s<>\\]/.test(physical.artifactLocation.uri)) problems.push(`${where}: uri ${physical.artifactLocation.uri} is not percent-encoded`)
        const baseId = physical?.artifactLocation?.uriBaseId
        if (baseId !== undefined && run.originalUriBaseIds?.[baseId] === undefined) problems.push(`${where}: uriBaseId ${baseId} is not declared in originalUriBaseIds`)
        if (!Number.isInteger(physical?.region?.startLine) || physical.region.startLine < 1) problems.push(`${where}: region.startLine missing or < 1`)
        if (physical?.region?.startColumn !== undefined && (!Number.isInteger(physical.region.startColumn) || physical.region.startColumn < 1)) problems.push(`${where}: startColumn < 1`)
      })
      const fingerprints = result.partialFingerprints
      if (fingerprints !== undefined && Object.values(fingerprints).some((value) => typeof value !== 'string')) problems.push(`${where}: partialFingerprints values must be strings`)
    })
    for (const [id, base] of Object.entries<Json>(run.originalUriBaseIds ?? {})) {
      if (typeof base.uri !== 'string' || !base.uri.endsWith('/') || !/^file:\/\//.test(base.uri)) problems.push(`run ${r}: originalUriBaseIds.${id} must be an absolute file URI ending in /`)
    }
  })
  return problems
}
