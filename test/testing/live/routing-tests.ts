/**
 * Test support: a RoutingTest as the test-file reader would hand it over,
 * located in a file next to the fixture scenarios (client certificate paths
 * resolve from there).
 */
import {join} from 'node:path'
import type {RoutingTest, TestExpectation, TestRequest} from '../../../src/testing/routing-test.js'

export const SCENARIOS = new URL('../../../fixtures/scenarios/', import.meta.url).pathname

export function routingTest(name: string, request: TestRequest, expect: TestExpectation = {}, file = join(SCENARIOS, 'live.gwctl-test.yaml')): RoutingTest {
  return {name, request, expect, location: {file, line: 1, column: 1}}
}
