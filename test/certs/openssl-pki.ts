/**
 * Test support: a PKI built with the `openssl` binary alone (genpkey, req,
 * ca), so gwctl is judged on certificates it did not make. Each certificate
 * is a spec: key type, issuer (or self-signed), extension lines (none: a
 * version 1 certificate), validity and digest. Also runs the reference,
 * `openssl verify -x509_strict -purpose ...`, and parses what it prints.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export type KeyKind = 'ec' | 'rsa' | 'rsa1024' | 'ed25519'

export interface CertificateSpec {
  name: string
  key?: KeyKind
  /** openssl -subj form; default /CN=<name>. */
  subject?: string
  /** Name of the issuing spec; undefined: self-signed. */
  issuer?: string
  /** Lines of the extension section; undefined: no extensions at all (version 1). */
  extensions?: string[]
  start?: Date
  end?: Date
  /** -md for openssl ca (sha1, md5, ...); default: the key's default. */
  digest?: string
}

export interface IssuedPem {
  certificate: string
  key: string
}

export interface OpensslVerdict {
  ok: boolean
  errors: Array<{code: number; depth: number; reason: string}>
  output: string
}

const DAY = 86_400_000
const KEY_ARGS: Record<KeyKind, string[]> = {
  ec: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  rsa: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  rsa1024: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  ed25519: ['-algorithm', 'ED25519'],
}

const CA_CONFIG = `[ca]
default_ca = gw
[gw]
database = index.txt
new_certs_dir = .
serial = serial.txt
policy = any
unique_subject = no
email_in_dn = no
preserve = yes
default_md = default
[any]
commonName = optional
organizationName = optional
`

export class OpensslPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'gwctl-pki-'))
  readonly issued: Record<string, IssuedPem> = {}

  /** Issue every spec in order (issuers before what they issue). */
  async build(specs: readonly CertificateSpec[]): Promise<void> {
    writeFileSync(join(this.dir, 'ca.cnf'), CA_CONFIG)
    writeFileSync(join(this.dir, 'index.txt'), '')
    writeFileSync(join(this.dir, 'serial.txt'), '1000\n')
    const sections = specs.filter((spec) => spec.extensions !== undefined).map((spec) => `[x_${spec.name}]\n${spec.extensions!.join('\n')}\n`)
    writeFileSync(join(this.dir, 'ext.cnf'), sections.join(''))
    await Promise.all(specs.map((spec) => this.makeKeyAndRequest(spec)))
    for (const spec of specs) await this.sign(spec)
  }

  file(name: string): string {
    return join(this.dir, name)
  }

  /** Write PEM certificates of the named specs into one file; returns its path. */
  bundle(fileName: string, names: readonly string[]): string {
    writeFileSync(this.file(fileName), names.map((name) => this.issued[name].certificate).join(''))
    return this.file(fileName)
  }

  /** `openssl verify -x509_strict -purpose PURPOSE [-partial_chain] -CAfile ANCHORS [-untrusted UNTRUSTED] LEAF`. */
  async verify(leaf: string, untrusted: readonly string[], anchors: readonly string[], purpose: 'sslserver' | 'sslclient', partialChain = false): Promise<OpensslVerdict> {
    const id = `${leaf}-${untrusted.join('+')}-${anchors.join('+')}`.replace(/[^a-zA-Z0-9+-]/g, '_')
    const args = ['verify', '-x509_strict', '-purpose', purpose, '-no-CApath', '-no-CAstore', ...(partialChain ? ['-partial_chain'] : []), '-CAfile', this.bundle(`${id}.anchors.pem`, anchors)]
    if (untrusted.length > 0) args.push('-untrusted', this.bundle(`${id}.untrusted.pem`, untrusted))
    args.push(this.bundle(`${id}.leaf.pem`, [leaf]))
    const result = await run('openssl', args, {cwd: this.dir}).then(
      ({stdout, stderr}) => ({code: 0, output: `${stdout}${stderr}`}),
      (error: {code: number; stdout: string; stderr: string}) => ({code: error.code, output: `${error.stdout}${error.stderr}`}),
    )
    const errors = [...result.output.matchAll(/^error (\d+) at (\d+) depth lookup: (.*)$/gm)].map((match) => ({code: Number(match[1]), depth: Number(match[2]), reason: match[3]}))
    return {ok: result.code === 0 && errors.length === 0, errors, output: result.output}
  }

  remove(): void {
    rmSync(this.dir, {recursive: true, force: true})
  }

  private async makeKeyAndRequest(spec: CertificateSpec): Promise<void> {
    const key = this.file(`${spec.name}.key`)
    await run('openssl', ['genpkey', ...KEY_ARGS[spec.key ?? 'ec'], '-out', key], {cwd: this.dir})
    await run('openssl', ['req', '-new', '-key', key, '-subj', spec.subject ?? `/CN=${spec.name}`, '-out', this.file(`${spec.name}.csr`)], {cwd: this.dir})
  }

  private async sign(spec: CertificateSpec): Promise<void> {
    const now = Date.now()
    const start = spec.start ?? new Date(now - DAY)
    const end = spec.end ?? new Date(now + 60 * DAY)
    const args = ['ca', '-batch', '-notext', '-config', 'ca.cnf', '-in', `${spec.name}.csr`, '-out', `${spec.name}.pem`, '-startdate', formatTime(start), '-enddate', formatTime(end)]
    if (spec.issuer === undefined) args.push('-selfsign', '-keyfile', `${spec.name}.key`)
    else args.push('-cert', `${spec.issuer}.pem`, '-keyfile', `${spec.issuer}.key`)
    if (spec.extensions !== undefined) args.push('-extfile', 'ext.cnf', '-extensions', `x_${spec.name}`)
    if (spec.digest !== undefined) args.push('-md', spec.digest)
    await run('openssl', args, {cwd: this.dir})
    this.issued[spec.name] = {certificate: readFileSync(this.file(`${spec.name}.pem`), 'utf8'), key: readFileSync(this.file(`${spec.name}.key`), 'utf8')}
  }
}

function formatTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
}
