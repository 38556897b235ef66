/**
 * Test support for the end-to-end tests of `gwctl certs`: run the built CLI
 * (bin/run.js loading dist/, so `npm run build` first — `npm test` does it in
 * pretest) and external tools, without throwing on a non-zero exit.
 */
import {execa} from 'execa'
import {fileURLToPath} from 'node:url'

export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
}

export async function runGwctl(args: string[], options: {cwd?: string; input?: string; env?: Record<string, string>; bin?: string} = {}): Promise<RunResult> {
  const result = await execa('node', [options.bin ?? BIN, ...args], {reject: false, cwd: options.cwd, input: options.input, env: {NO_COLOR: '1', ...options.env}})
  return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr}
}

export async function runTool(command: string, args: string[], options: {cwd?: string; input?: string} = {}): Promise<RunResult> {
  const result = await execa(command, args, {reject: false, cwd: options.cwd, input: options.input})
  return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** True when `command` is on PATH. */
export async function hasTool(command: string): Promise<boolean> {
  const result = await execa('sh', ['-c', `command -v ${command}`], {reject: false})
  return result.exitCode === 0
}
