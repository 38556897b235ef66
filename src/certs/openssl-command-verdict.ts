/**
 * OpenSSL judges a chain whose private key gwctl does not have (a lone
 * certificate given to `certs inspect --verify-with`): no TLS handshake can
 * be made without the key, so the `openssl` command verifies it instead,
 * with the trust anchors given and nothing else (no system store):
 * `openssl verify -x509_strict [-purpose sslserver|sslclient] -CAfile
 * ANCHORS -untrusted REST LEAF`. Every error it prints is returned, with its
 * depth; `unavailable` when the command is not installed.
 */
import {execFile} from 'node:child_process'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {verifyErrorOf, type VerifyError} from './x509-verify-errors.js'

export interface CommandRequest {
  leafPem: string
  untrustedPem: readonly string[]
  anchorsPem: readonly string[]
  partialChain: boolean
  /** `ca`: no -purpose, as for a CA certificate. */
  purpose: 'server' | 'client' | 'ca'
}

export type CommandVerdict =
  | {outcome: 'verified'}
  | {outcome: 'rejected'; errors: VerifyError[]}
  | {outcome: 'unavailable'; reason: string}

const TIMEOUT_MS = 20_000

export async function judgeByOpensslCommand(request: CommandRequest): Promise<CommandVerdict> {
  const dir = await mkdtemp(join(tmpdir(), 'gwctl-verify-'))
  try {
    const write = async (name: string, pems: readonly string[]) => {
      await writeFile(join(dir, name), pems.join(''))
      return join(dir, name)
    }
    const args = ['verify', '-x509_strict', '-no-CApath', '-no-CAstore']
    if (request.purpose !== 'ca') args.push('-purpose', request.purpose === 'server' ? 'sslserver' : 'sslclient')
    if (request.partialChain) args.push('-partial_chain')
    args.push('-CAfile', await write('anchors.pem', request.anchorsPem))
    if (request.untrustedPem.length > 0) args.push('-untrusted', await write('untrusted.pem', request.untrustedPem))
    args.push(await write('leaf.pem', [request.leafPem]))
    return await run(args)
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

function run(args: string[]): Promise<CommandVerdict> {
  return new Promise((resolve) => {
    execFile('openssl', args, {timeout: TIMEOUT_MS, env: {...process.env, LC_ALL: 'C'}}, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & {killed?: boolean}) | null
      if (failure?.code === 'ENOENT') return resolve({outcome: 'unavailable', reason: 'the openssl command is not installed'})
      if (failure?.killed) return resolve({outcome: 'unavailable', reason: `openssl verify did not finish within ${TIMEOUT_MS / 1000} s`})
      const errors = parseErrors(`${stdout}\n${stderr}`)
      if (failure === null && errors.length === 0) return resolve({outcome: 'verified'})
      if (errors.length > 0) return resolve({outcome: 'rejected', errors})
      return resolve({outcome: 'unavailable', reason: `openssl verify failed: ${stderr.trim().split('\n')[0] || 'no reason given'}`})
    })
  })
}

/** `CN = app.example.com` then `error 25 at 2 depth lookup: path length constraint exceeded`. */
function parseErrors(output: string): VerifyError[] {
  const errors: VerifyError[] = []
  let subject: string | undefined
  for (const line of output.split('\n')) {
    const match = line.match(/^error (\d+) at (\d+) depth lookup: ?(.*)$/)
    if (match === null) {
      subject = line.trim() === '' || line.startsWith('error ') ? undefined : line.trim().replace(/ = /g, '=')
      continue
    }
    const known = verifyErrorOf(Number(match[1]))
    errors.push({code: known.code, reason: match[3] || known.reason, depth: Number(match[2]), ...(subject === undefined ? {} : {subject})})
    subject = undefined
  }
  return errors
}
