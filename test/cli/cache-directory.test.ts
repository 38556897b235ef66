import assert from 'node:assert/strict'
import {resolveCompileCacheDirectory, type CacheEnvironment} from '../../src/cli/cache-directory.js'

describe('cli/cache-directory', () => {
  const cases: Array<[string, CacheEnvironment, string | undefined]> = [
    ['Linux: ~/.cache/gwctl', {env: {HOME: '/home/ann'}, platform: 'linux', homedir: '/home/x'}, '/home/ann/.cache/gwctl/compile-cache'],
    ['Linux without HOME: os.homedir()', {env: {}, platform: 'linux', homedir: '/home/x'}, '/home/x/.cache/gwctl/compile-cache'],
    ['XDG_CACHE_HOME', {env: {HOME: '/home/ann', XDG_CACHE_HOME: '/var/cache/ann'}, platform: 'linux', homedir: undefined}, '/var/cache/ann/gwctl/compile-cache'],
    ['GWCTL_CACHE_DIR (oclif\'s variable) wins', {env: {HOME: '/home/ann', XDG_CACHE_HOME: '/x', GWCTL_CACHE_DIR: '/tmp/gw'}, platform: 'linux', homedir: undefined}, '/tmp/gw/compile-cache'],
    ['macOS: ~/Library/Caches/gwctl', {env: {HOME: '/Users/ann', XDG_CACHE_HOME: '/x'}, platform: 'darwin', homedir: undefined}, '/Users/ann/Library/Caches/gwctl/compile-cache'],
    ['Windows: %LOCALAPPDATA%\\gwctl', {env: {LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local'}, platform: 'win32', homedir: 'C:\\Users\\ann'}, 'C:\\Users\\ann\\AppData\\Local\\gwctl\\compile-cache'],
    ['no home at all: no cache', {env: {}, platform: 'linux', homedir: undefined}, undefined],
    ['GWCTL_COMPILE_CACHE=0: no cache', {env: {HOME: '/home/ann', GWCTL_COMPILE_CACHE: '0'}, platform: 'linux', homedir: undefined}, undefined],
    ['GWCTL_COMPILE_CACHE=off: no cache', {env: {HOME: '/home/ann', GWCTL_COMPILE_CACHE: 'off'}, platform: 'linux', homedir: undefined}, undefined],
    ['GWCTL_COMPILE_CACHE=1: the default place', {env: {HOME: '/home/ann', GWCTL_COMPILE_CACHE: '1'}, platform: 'linux', homedir: undefined}, '/home/ann/.cache/gwctl/compile-cache'],
  ]
  for (const [label, environment, expected] of cases) {
    it(label, () => assert.equal(resolveCompileCacheDirectory(environment), expected))
  }
})
