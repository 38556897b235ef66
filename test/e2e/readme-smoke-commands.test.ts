/**
 * The documented smoke tests work as written: the `sh` block of every
 * scenario README's "Smoke test" section, and the repository README's first
 * `gwctl serve` example, run for real with nothing else running — the one
 * `gwctl serve ... &` line with its --port-map local ports replaced by
 * OS-chosen ones (and those ports substituted into the client commands),
 * `/tmp/...` directories replaced by a temporary directory, every other
 * line run by bash with `gwctl` being the built CLI. Each client command
 * carries its expected answer after `# →`: backend identities
 * (NS/NAME:PORT, as the stub backends answer), `verified` (openssl verify
 * result 0), `refused` (non-zero exit, no backend answered), `HTTP NNN`, a
 * URL, or "quoted text" the output must contain.
 */
import assert from 'node:assert/strict'
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {execa} from 'execa'
import {killLeftoverServes, ROOT, RUN, startServe, type ServeProcess} from './serve-harness.js'

interface DocumentedSession {
  label: string
  cwd: string
  commands: string[]
}

const PRIVILEGED_PORTS = 1024
const IDENTITY = /[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?:\d+/g

/** The commands of the first ```sh block after the heading: `\` continuations joined, blank and comment-only lines dropped. */
function extractShellCommands(markdown: string, heading: RegExp): string[] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => heading.test(line))
  assert.notEqual(start, -1, `heading ${heading}`)
  const open = lines.findIndex((line, index) => index > start && line.trim() === '```sh')
  const close = lines.findIndex((line, index) => index > open && line.trim() === '```')
  assert.ok(open !== -1 && close !== -1, `a \`\`\`sh block after ${heading}`)
  const commands: string[] = []
  let pending = ''
  for (const line of lines.slice(open + 1, close)) {
    if (pending === '' && (line.trim() === '' || line.trim().startsWith('#'))) continue
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `
      continue
    }
    commands.push(`${pending}${line}`.trim())
    pending = ''
  }
  return commands
}

function splitComment(command: string): {code: string; expectation?: string} {
  const marker = command.indexOf('# →')
  return marker === -1 ? {code: command.replace(/\s+#.*$/, '').trim()} : {code: command.slice(0, marker).trim(), expectation: command.slice(marker + 3).trim()}
}

function isServe(code: string): boolean {
  return /^(npx )?gwctl serve /.test(code)
}

function sessions(): DocumentedSession[] {
  const scenariosDir = join(ROOT, 'fixtures/scenarios')
  const found: DocumentedSession[] = readdirSync(scenariosDir).sort().map((name) => ({
    label: `fixtures/scenarios/${name}/README.md`,
    cwd: join(scenariosDir, name),
    commands: extractShellCommands(readFileSync(join(scenariosDir, name, 'README.md'), 'utf8'), /^## Smoke test/),
  }))
  found.push({label: 'README.md, the first gwctl serve example', cwd: ROOT, commands: extractShellCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'), /^## gwctl serve/)})
  return found
}

async function runShell(code: string, cwd: string): Promise<{exitCode: number; output: string}> {
  const prelude = `gwctl() { node ${JSON.stringify(RUN)} "$@"; }\nnpx() { "$@"; }\n`
  const result = await execa('bash', ['-c', `${prelude}${code}`], {cwd, reject: false, all: true, timeout: 120_000, stdin: 'ignore'})
  return {exitCode: result.exitCode ?? -1, output: String(result.all)}
}

function checkExpectation(expectation: string, result: {exitCode: number; output: string}, command: string): void {
  const context = `${command}\nexit ${result.exitCode}, output:\n${result.output}`
  const identities = expectation.match(IDENTITY) ?? []
  for (const identity of identities) assert.ok(result.output.includes(identity), `${identity} answers: ${context}`)
  if (/\brefused\b/.test(expectation)) {
    assert.notEqual(result.exitCode, 0, `refused: ${context}`)
    assert.doesNotMatch(result.output, /"backend":"|gwctl-stub-backend /, `no backend answers: ${context}`)
  } else {
    assert.equal(result.exitCode, 0, context)
  }
  if (/\bverified\b/.test(expectation)) assert.match(result.output, /Verify return code: 0 \(ok\)/, context)
  const status = /\bHTTP (\d{3})\b/.exec(expectation)?.[1]
  if (status !== undefined) assert.match(result.output, new RegExp(`HTTP/[\\d.]+ ${status}\\b`), context)
  for (const url of expectation.match(/https?:\/\/\S+/g) ?? []) assert.ok(result.output.toLowerCase().includes(url.toLowerCase()), `${url}: ${context}`)
  for (const [, text] of expectation.matchAll(/"([^"]+)"/g)) assert.ok(result.output.includes(text), `"${text}": ${context}`)
  assert.ok(identities.length > 0 || /\b(refused|verified|HTTP \d{3})\b|"/.test(expectation), `the expectation says something checkable: ${expectation}`)
}

describe('e2e: the documented smoke tests work as written, with --stub-backends and nothing else running', function () {
  this.timeout(180_000)
  after(killLeftoverServes)
  for (const session of sessions()) {
    it(session.label, async () => {
      const temporary = mkdtempSync(join(tmpdir(), 'gwctl-readme-'))
      let serve: ServeProcess | undefined
      try {
        const parsed = session.commands.map((command) => ({command, ...splitComment(command)}))
        const serves = parsed.filter(({code}) => isServe(code))
        assert.equal(serves.length, 1, `one gwctl serve command in ${session.commands.join('\n')}`)
        for (const {code} of parsed.filter(({code}) => !isServe(code))) assert.ok(!code.endsWith('&'), `nothing else runs in the background: ${code}`)
        const tmpPaths = new Map<string, string>()
        const localize = (text: string) => text.replace(/\/tmp\/[\w.-]+/g, (path) => {
          if (!tmpPaths.has(path)) tmpPaths.set(path, join(temporary, basename(path)))
          return tmpPaths.get(path)!
        })

        const serveIndex = parsed.indexOf(serves[0])
        for (const {code} of parsed.slice(0, serveIndex)) {
          const result = await runShell(localize(code), session.cwd)
          assert.equal(result.exitCode, 0, `${code}: ${result.output}`)
        }
        const serveCode = serves[0].code
        assert.match(serveCode, /--stub-backends/, 'the documented serve command starts stub backends')
        assert.ok(serveCode.endsWith('&'), 'gwctl serve runs in the background while the commands run')
        const words = localize(serveCode.replace(/&$/, '').replace(/^(npx )?gwctl serve /, '')).trim().split(/\s+/)
        const documentedPorts = new Map<number, number>()
        const args = words.map((word, index) => {
          if (words[index - 1] !== '--port-map') return word
          const [listener, local] = word.split('=').map(Number)
          documentedPorts.set(local, listener)
          return `${listener}=0`
        })
        serve = await startServe(args, {cwd: session.cwd})
        for (const listener of serve.listeners) {
          if (listener.port < PRIVILEGED_PORTS) assert.ok([...documentedPorts.values()].includes(listener.port), `listener port ${listener.port} is mapped to an unprivileged port in ${serveCode}`)
        }
        const withPorts = (text: string) => {
          let out = text
          for (const [local, listener] of documentedPorts) out = out.replace(new RegExp(`:${local}(?!\\d)`, 'g'), `:${serve!.localPort(listener)}`)
          return out
        }

        for (const {command, code, expectation} of parsed.slice(serveIndex + 1)) {
          assert.ok(expectation !== undefined, `a client command says what answers it (# → ...): ${command}`)
          const result = await runShell(withPorts(localize(code)), session.cwd)
          checkExpectation(expectation, result, code)
        }
      } finally {
        const stopped = await serve?.stop()
        rmSync(temporary, {recursive: true, force: true})
        if (stopped !== undefined) assert.equal(stopped.exitCode, 0, `serve exit code; stderr: ${stopped.stderr}`)
      }
    })
  }
})
