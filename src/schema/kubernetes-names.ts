/**
 * Kubernetes name validators, as k8s.io/apimachinery/pkg/util/validation
 * implements them: each returns the list of problems (empty when valid), with
 * the API server's wording. Used for metadata (names, namespaces, labels,
 * annotations, finalizers) and by the CEL `format` library.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export const DNS1123_LABEL_MAX_LENGTH = 63
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253
const QUALIFIED_NAME_MAX_LENGTH = 63
const LABEL_VALUE_MAX_LENGTH = 63

function checkMaxLength(value: string, max: number): string[] {
  return value.length > max ? [`must be no more than ${max} characters`] : []
}

/** RFC 1123 label: `my-name`, at most 63 characters (namespaces). */
export function checkDns1123Label(value: string): string[] {
  const problems = checkMaxLength(value, DNS1123_LABEL_MAX_LENGTH)
  if (!DNS1123_LABEL.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
    )
  }
  return problems
}

/** RFC 1123 subdomain: `example.com`, at most 253 characters (object names). */
export function checkDns1123Subdomain(value: string): string[] {
  const problems = checkMaxLength(value, DNS1123_SUBDOMAIN_MAX_LENGTH)
  if (!DNS1123_SUBDOMAIN.test(value)) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    )
  }
  return problems
}

/** RFC 1035 label: starts with a letter, at most 63 characters. */
export function checkDns1035Label(value: string): string[] {
  const problems = checkMaxLength(value, DNS1123_LABEL_MAX_LENGTH)
  if (!DNS1035_LABEL.test(value)) {
    problems.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123')",
    )
  }
  return problems
}

/** Label and annotation keys, finalizers: `[prefix/]name`, prefix a DNS subdomain. */
export function checkQualifiedName(value: string): string[] {
  const parts = value.split('/')
  let name: string
  const problems: string[] = []
  if (parts.length === 1) {
    name = parts[0]
  } else if (parts.length === 2) {
    const [prefix] = parts
    name = parts[1]
    if (prefix.length === 0) problems.push('prefix part must be non-empty')
    else for (const p of checkDns1123Subdomain(prefix)) problems.push(`prefix part ${p}`)
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]
  }
  if (name.length === 0) problems.push('name part must be non-empty')
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH) problems.push(`name part must be no more than ${QUALIFIED_NAME_MAX_LENGTH} characters`)
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
    )
  }
  return problems
}

/** Label values: empty, or at most 63 characters of `[A-Za-z0-9_.-]`, alphanumeric at both ends. */
export function checkLabelValue(value: string): string[] {
  const problems = checkMaxLength(value, LABEL_VALUE_MAX_LENGTH)
  if (!LABEL_VALUE.test(value)) {
    problems.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    )
  }
  return problems
}

/** Go's maskTrailingDash: a generateName-style prefix may end in '-' (checked as if it ended in 'a'). */
export function maskTrailingDash(value: string): string {
  return value.length > 1 && value.endsWith('-') ? `${value.slice(0, -1)}a` : value
}
