/**
 * The Kubernetes CEL library functions the Gateway API CRD rules call, for
 * @bufbuild/cel: `isIP(string)` (k8s ip library), `format.<name>()` with
 * `.validate(string)` (k8s format library: null when valid, else the list of
 * problems), and the cel-go strings extension (`split`, `substring`, ...).
 * Standard CEL (`matches` with RE2 semantics, `duration`, macros) comes from
 * @bufbuild/cel itself. Other Kubernetes libraries (cidr, url, quantity,
 * lists, regex `find`) are not used by the bundle and not registered.
 */
import {CelScalar, celFunc, celList, celMethod, type CelFunc} from '@bufbuild/cel'
import {strings} from '@bufbuild/cel/ext'
import {isIpAddress} from './ip-address.js'
import {
  checkDns1035Label,
  checkDns1123Label,
  checkDns1123Subdomain,
  checkLabelValue,
  checkQualifiedName,
  maskTrailingDash,
} from './kubernetes-names.js'

const {BOOL, DYN, STRING} = CelScalar


const FORMATS: Record<string, (value: string) => string[]> = {
  dns1123Label: checkDns1123Label,
  dns1123Subdomain: checkDns1123Subdomain,
  dns1035Label: checkDns1035Label,
  qualifiedName: checkQualifiedName,
  labelValue: checkLabelValue,
  dns1123LabelPrefix: (v) => checkDns1123Label(maskTrailingDash(v)),
  dns1123SubdomainPrefix: (v) => checkDns1123Subdomain(maskTrailingDash(v)),
  dns1035LabelPrefix: (v) => checkDns1035Label(maskTrailingDash(v)),
}

/** A format value is represented by a tagged string; `validate` is its only method. */
const FORMAT_TAG = 'k8s.format:'

function createFormatFunctions(): CelFunc[] {
  const funcs: CelFunc[] = Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], STRING, () => FORMAT_TAG + name))
  funcs.push(
    celMethod('validate', STRING, [STRING], DYN, function (this: string, value: string) {
      const check = this.startsWith(FORMAT_TAG) ? FORMATS[this.slice(FORMAT_TAG.length)] : undefined
      if (!check) throw new Error(`no such format: ${this}`)
      const problems = check(value)
      return problems.length === 0 ? null : celList(problems)
    }),
  )
  return funcs
}

export function createKubernetesCelFunctions(): CelFunc[] {
  return [...strings, celFunc('isIP', [STRING], BOOL, (value: string) => isIpAddress(value)), ...createFormatFunctions()]
}
