import assert from 'node:assert/strict'
import {compileCelExpression, evaluateRules, isTransitionRule, parseRuleFieldPath} from '../../src/schema/cel-rules.js'
import {toCelUntyped} from '../../src/schema/cel-value.js'
import type {Channel} from '../../src/schema/crd-index.js'
import {walkSchema} from '../../src/schema/structural-walk.js'
import {compiledSchemaFor, listCrdRules, schemaNodeAt} from './crd-schemas.js'

/**
 * One distinct CEL rule of the bundle, exercised at one place it sits: every
 * `pass` fragment validates without any issue at that node, every `fail`
 * fragment makes the rule report. `direct` cases evaluate the rule alone,
 * for rules whose failing values the schema already blocks (enum, maxItems).
 */
interface RuleCase {
  kind: string
  version: string
  channel?: Channel
  path: string
  /** Substring that identifies the rule among the node's rules. */
  rule: string
  pass: unknown[]
  fail: unknown[]
  direct?: boolean
}

const listener = (fields: Record<string, unknown>) => ({name: 'l', port: 80, protocol: 'HTTP', ...fields})
const service = (name: string) => ({group: '', kind: 'Service', name})
const caRef = {group: '', kind: 'ConfigMap', name: 'ca'}
const mirror = {backendRef: {name: 'mirror', port: 8080}}
const headers = {set: [{name: 'x-a', value: '1'}]}
const extensionRef = {group: 'example.com', kind: 'Filter', name: 'f'}
const prefixRedirect = {path: {type: 'ReplacePrefixMatch', replacePrefixMatch: '/b'}}
const authRef = {name: 'auth', port: 9000}
const matches = (n: number) => Array.from({length: n}, (_, i) => ({path: {type: 'PathPrefix', value: `/p${i}`}}))

const CASES: RuleCase[] = [
  // BackendTLSPolicy
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.targetRefs', rule: 'sectionName) || p1.sectionName == \'\') == (',
    pass: [[{...service('a'), sectionName: 'x'}, {...service('a'), sectionName: 'y'}], [service('a'), service('b')]],
    fail: [[service('a'), {...service('a'), sectionName: 'x'}]]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.targetRefs', rule: 'exists_one',
    pass: [[service('a'), service('b')]],
    fail: [[{...service('a'), sectionName: 'x'}, {...service('a'), sectionName: 'x'}], [service('a'), service('a')]]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.validation', rule: '!(has(self.caCertificateRefs)',
    pass: [{hostname: 'api.example.com', caCertificateRefs: [caRef]}, {hostname: 'api.example.com', wellKnownCACertificates: 'System'}],
    fail: [{hostname: 'api.example.com', caCertificateRefs: [caRef], wellKnownCACertificates: 'System'}]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.validation', rule: '(has(self.caCertificateRefs) && size(self.caCertificateRefs) > 0 ||',
    pass: [{hostname: 'api.example.com', caCertificateRefs: [caRef]}],
    fail: [{hostname: 'api.example.com'}, {hostname: 'api.example.com', caCertificateRefs: []}]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.validation.subjectAltNames[]', rule: 'self.type == "Hostname" && (!has',
    pass: [{type: 'Hostname', hostname: 'api.example.com'}],
    fail: [{type: 'Hostname'}]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.validation.subjectAltNames[]', rule: 'self.type != "Hostname"',
    pass: [{type: 'URI', uri: 'spiffe://example.com/api'}],
    fail: [{type: 'URI', uri: 'spiffe://example.com/api', hostname: 'api.example.com'}]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.validation.subjectAltNames[]', rule: 'self.type == "URI" && (!has',
    pass: [{type: 'URI', uri: 'spiffe://example.com/api'}],
    fail: [{type: 'URI'}]},
  {kind: 'BackendTLSPolicy', version: 'v1', path: 'spec.validation.subjectAltNames[]', rule: 'self.type != "URI"',
    pass: [{type: 'Hostname', hostname: 'api.example.com'}],
    fail: [{type: 'Hostname', hostname: 'api.example.com', uri: 'spiffe://example.com/api'}]},
  // Gateway
  {kind: 'Gateway', version: 'v1', path: 'spec.addresses', rule: "a1.type == 'IPAddress'",
    pass: [[{value: '10.0.0.1'}, {type: 'IPAddress', value: '10.0.0.2'}]],
    fail: [[{value: '10.0.0.1'}, {type: 'IPAddress', value: '10.0.0.1'}]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.addresses', rule: "a1.type == 'Hostname'",
    pass: [[{type: 'Hostname', value: 'a.example.com'}, {type: 'Hostname', value: 'b.example.com'}]],
    fail: [[{type: 'Hostname', value: 'a.example.com'}, {type: 'Hostname', value: 'a.example.com'}]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.addresses[]', rule: "self.type == 'Hostname' ?",
    pass: [{type: 'Hostname', value: '*.example.com'}, {type: 'Hostname'}, {type: 'example.com/custom', value: 'Anything_Goes'}],
    fail: [{type: 'Hostname', value: 'Not_A_Host'}]},
  {kind: 'Gateway', version: 'v1', path: 'spec.infrastructure.labels', rule: 'key.matches',
    pass: [{'example.com/team': 'a', app: 'b'}],
    fail: [{'-bad': 'a'}, {'Example.com/team': 'a'}]},
  {kind: 'Gateway', version: 'v1', path: 'spec.infrastructure.annotations', rule: 'key.split("/")[0].size() < 253',
    pass: [{[`${'a'.repeat(252)}/x`]: 'v'}],
    fail: [{[`${'a'.repeat(253)}/x`]: 'v'}]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners', rule: "l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls)",
    pass: [[listener({})]],
    fail: [[listener({tls: {certificateRefs: [{name: 'cert'}]}})], [listener({protocol: 'TCP', tls: {mode: 'Passthrough'}})]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners', rule: "l.protocol == 'HTTPS' && has(l.tls)",
    pass: [[listener({protocol: 'HTTPS', port: 443, tls: {certificateRefs: [{name: 'cert'}]}})], [listener({protocol: 'HTTPS', port: 443})]],
    fail: [[listener({protocol: 'HTTPS', port: 443, tls: {mode: 'Passthrough'}})]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners', rule: "l.protocol == 'TLS' ?",
    pass: [[listener({protocol: 'TLS', port: 443, tls: {mode: 'Passthrough'}})], [listener({protocol: 'TLS', port: 443, tls: {certificateRefs: [{name: 'c'}]}})]],
    fail: [[listener({protocol: 'TLS', port: 443})]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners', rule: "l.protocol in ['TCP', 'UDP']  ?",
    pass: [[listener({protocol: 'TCP', port: 9000})], [listener({protocol: 'UDP', port: 53})]],
    fail: [[listener({protocol: 'TCP', port: 9000, hostname: 'db.example.com'})]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners', rule: 'l1.name == l2.name',
    pass: [[listener({name: 'a'}), listener({name: 'b', port: 81})]],
    fail: [[listener({name: 'a'}), listener({name: 'a', port: 81})]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners', rule: 'l1.port == l2.port',
    pass: [[listener({name: 'a'}), listener({name: 'b', port: 81})], [listener({name: 'a', hostname: 'a.example.com'}), listener({name: 'b', hostname: 'b.example.com'})]],
    fail: [[listener({name: 'a'}), listener({name: 'b'})], [listener({name: 'a', hostname: 'a.example.com'}), listener({name: 'b', hostname: 'a.example.com'})]]},
  {kind: 'Gateway', version: 'v1', path: 'spec.listeners[].tls', rule: "self.mode == 'Terminate'",
    pass: [{mode: 'Terminate', certificateRefs: [{name: 'cert'}]}, {options: {'example.com/cert-source': 'vault'}}, {mode: 'Passthrough'}],
    fail: [{mode: 'Terminate'}, {}]},
  {kind: 'Gateway', version: 'v1', path: 'spec.tls.frontend.perPort', rule: 't1.port == t2.port',
    pass: [[{port: 443, tls: {validation: {caCertificateRefs: [caRef]}}}, {port: 8443, tls: {validation: {caCertificateRefs: [caRef]}}}]],
    fail: [[{port: 443, tls: {validation: {caCertificateRefs: [caRef]}}}, {port: 443, tls: {validation: {caCertificateRefs: [caRef]}}}]]},
  {kind: 'Gateway', version: 'v1', path: 'status.addresses[]', rule: "self.type == 'Hostname' ?",
    pass: [{type: 'Hostname', value: 'lb.example.com'}, {type: 'IPAddress', value: '10.0.0.1'}],
    fail: [{type: 'Hostname', value: 'Not_A_Host'}]},
  // Route parentRefs, standard channel (sectionName) and experimental (sectionName or port)
  {kind: 'HTTPRoute', version: 'v1', channel: 'standard', path: 'spec.parentRefs', rule: 'self.all(p1, self.all(p2',
    pass: [[{name: 'gw', sectionName: 'a'}, {name: 'gw', sectionName: 'b'}], [{name: 'gw'}, {name: 'gw', namespace: 'other'}]],
    fail: [[{name: 'gw'}, {name: 'gw', sectionName: 'a'}]]},
  {kind: 'HTTPRoute', version: 'v1', channel: 'standard', path: 'spec.parentRefs', rule: 'self.all(p1, self.exists_one(p2',
    pass: [[{name: 'gw', sectionName: 'a'}, {name: 'gw', sectionName: 'b'}]],
    fail: [[{name: 'gw', sectionName: 'a'}, {name: 'gw', sectionName: 'a'}], [{name: 'gw'}, {name: 'gw', namespace: ''}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.parentRefs', rule: 'self.all(p1, self.all(p2',
    pass: [[{name: 'gw', port: 80}, {name: 'gw', port: 443}], [{name: 'gw', sectionName: 'a'}, {name: 'gw', sectionName: 'b'}]],
    fail: [[{name: 'gw'}, {name: 'gw', port: 443}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.parentRefs', rule: 'self.all(p1, self.exists_one(p2',
    pass: [[{name: 'gw', port: 80}, {name: 'gw', port: 443}]],
    fail: [[{name: 'gw', port: 80}, {name: 'gw', port: 80}]]},
  // GRPCRoute
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules', rule: 'has(self[0].matches)', direct: true,
    pass: [Array.from({length: 16}, () => ({matches: matches(8)})), [{}]],
    fail: [[{matches: matches(100)}, {}, {matches: matches(29)}]]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].backendRefs[]', rule: 'has(self.port)',
    pass: [{name: 'svc', port: 50051}, {group: 'example.com', kind: 'Backend', name: 'b'}],
    fail: [{name: 'svc'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters', rule: "f.type == 'RequestHeaderModifier'",
    pass: [[{type: 'RequestHeaderModifier', requestHeaderModifier: headers}]],
    fail: [[{type: 'RequestHeaderModifier', requestHeaderModifier: headers}, {type: 'RequestHeaderModifier', requestHeaderModifier: headers}]]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters', rule: "f.type == 'ResponseHeaderModifier'",
    pass: [[{type: 'ResponseHeaderModifier', responseHeaderModifier: headers}]],
    fail: [[{type: 'ResponseHeaderModifier', responseHeaderModifier: headers}, {type: 'ResponseHeaderModifier', responseHeaderModifier: headers}]]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.requestHeaderModifier) && self.type != 'RequestHeaderModifier')",
    pass: [{type: 'RequestHeaderModifier', requestHeaderModifier: headers}],
    fail: [{type: 'ResponseHeaderModifier', responseHeaderModifier: headers, requestHeaderModifier: headers}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.requestHeaderModifier) && self.type == 'RequestHeaderModifier')",
    pass: [{type: 'RequestHeaderModifier', requestHeaderModifier: headers}],
    fail: [{type: 'RequestHeaderModifier'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.responseHeaderModifier) && self.type != 'ResponseHeaderModifier')",
    pass: [{type: 'ResponseHeaderModifier', responseHeaderModifier: headers}],
    fail: [{type: 'RequestHeaderModifier', requestHeaderModifier: headers, responseHeaderModifier: headers}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.responseHeaderModifier) && self.type == 'ResponseHeaderModifier')",
    pass: [{type: 'ResponseHeaderModifier', responseHeaderModifier: headers}],
    fail: [{type: 'ResponseHeaderModifier'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.requestMirror) && self.type != 'RequestMirror')",
    pass: [{type: 'RequestMirror', requestMirror: mirror}],
    fail: [{type: 'ExtensionRef', extensionRef, requestMirror: mirror}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.requestMirror) && self.type == 'RequestMirror')",
    pass: [{type: 'RequestMirror', requestMirror: mirror}],
    fail: [{type: 'RequestMirror'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.extensionRef) && self.type != 'ExtensionRef')",
    pass: [{type: 'ExtensionRef', extensionRef}],
    fail: [{type: 'RequestMirror', requestMirror: mirror, extensionRef}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.extensionRef) && self.type == 'ExtensionRef')",
    pass: [{type: 'ExtensionRef', extensionRef}],
    fail: [{type: 'ExtensionRef'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[].requestMirror', rule: 'has(self.percent) && has(self.fraction)',
    pass: [{...mirror, percent: 50}, {...mirror, fraction: {numerator: 1}}],
    fail: [{...mirror, percent: 50, fraction: {numerator: 1}}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].filters[].requestMirror.fraction', rule: 'self.numerator <= self.denominator',
    pass: [{numerator: 1, denominator: 2}, {numerator: 100}],
    fail: [{numerator: 3, denominator: 2}, {numerator: 101}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].matches[].method', rule: 'has(self.type) ? has(self.service) || has(self.method)',
    pass: [{service: 'example.Echo'}, {method: 'Ping'}],
    fail: [{}, {type: 'RegularExpression'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].matches[].method', rule: 'self.service.matches',
    pass: [{service: 'Example.echo_v1'}, {type: 'RegularExpression', service: 'ex.*'}],
    fail: [{service: 'example-echo'}, {type: 'Exact', service: 'a..b'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].matches[].method', rule: 'self.method.matches',
    pass: [{method: 'Get_Item2'}, {type: 'RegularExpression', method: 'Get.*'}],
    fail: [{method: 'Get-Item'}, {method: '2Get'}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules', rule: 'self.all(l1, !has(l1.name)',
    pass: [[{name: 'a'}, {name: 'b'}, {}]],
    fail: [[{name: 'a'}, {name: 'a'}]]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].sessionPersistence', rule: 'has(self.absoluteTimeout)',
    pass: [{type: 'Cookie', cookieConfig: {lifetimeType: 'Permanent'}, absoluteTimeout: '1h'}, {type: 'Cookie', cookieConfig: {}}],
    fail: [{type: 'Cookie', cookieConfig: {lifetimeType: 'Permanent'}}]},
  {kind: 'GRPCRoute', version: 'v1', path: 'spec.rules[].sessionPersistence', rule: "self.type == 'Cookie'",
    pass: [{type: 'Cookie', cookieConfig: {lifetimeType: 'Session'}}, {type: 'Header', sessionName: 'x-session'}],
    fail: [{type: 'Header', cookieConfig: {lifetimeType: 'Session'}}]},
  // HTTPRoute
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules', rule: 'self[0].matches.size()',
    pass: [[{matches: matches(64)}, {matches: matches(64)}], [{}]],
    fail: [[{matches: matches(64)}, {matches: matches(64)}, {matches: matches(1)}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[]', rule: 'self.filters.all(f, !has(f.requestRedirect))',
    pass: [{filters: [{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}]}, {backendRefs: [{name: 'svc', port: 80}]}],
    fail: [{filters: [{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}], backendRefs: [{name: 'svc', port: 80}]}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[]', rule: 'self.filters.exists_one(f, has(f.requestRedirect)',
    pass: [{matches: [{path: {type: 'PathPrefix', value: '/a'}}], filters: [{type: 'RequestRedirect', requestRedirect: prefixRedirect}]},
      {filters: [{type: 'RequestRedirect', requestRedirect: prefixRedirect}]}],
    fail: [{matches: [{path: {type: 'Exact', value: '/a'}}], filters: [{type: 'RequestRedirect', requestRedirect: prefixRedirect}]},
      {matches: matches(2), filters: [{type: 'RequestRedirect', requestRedirect: prefixRedirect}]}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[]', rule: 'self.filters.exists_one(f, has(f.urlRewrite)',
    pass: [{matches: [{path: {type: 'PathPrefix', value: '/a'}}], filters: [{type: 'URLRewrite', urlRewrite: prefixRedirect}]}],
    fail: [{matches: [{path: {type: 'Exact', value: '/a'}}], filters: [{type: 'URLRewrite', urlRewrite: prefixRedirect}]}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[]', rule: 'b.filters.exists_one(f, has(f.requestRedirect)',
    pass: [{matches: [{path: {type: 'PathPrefix', value: '/a'}}], backendRefs: [{name: 's', port: 80, filters: [{type: 'RequestRedirect', requestRedirect: prefixRedirect}]}]}],
    fail: [{matches: [{path: {type: 'Exact', value: '/a'}}], backendRefs: [{name: 's', port: 80, filters: [{type: 'RequestRedirect', requestRedirect: prefixRedirect}]}]}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[]', rule: 'b.filters.exists_one(f, has(f.urlRewrite)',
    pass: [{matches: [{path: {type: 'PathPrefix', value: '/a'}}], backendRefs: [{name: 's', port: 80, filters: [{type: 'URLRewrite', urlRewrite: prefixRedirect}]}]}],
    fail: [{matches: [{path: {type: 'Exact', value: '/a'}}], backendRefs: [{name: 's', port: 80, filters: [{type: 'URLRewrite', urlRewrite: prefixRedirect}]}]}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters', rule: "self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite')",
    pass: [[{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}}]],
    fail: [[{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}}, {type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters', rule: "f.type == 'CORS'",
    pass: [[{type: 'CORS', cors: {allowOrigins: ['https://a.example.com']}}]],
    fail: [[{type: 'CORS', cors: {allowOrigins: ['https://a.example.com']}}, {type: 'CORS', cors: {allowOrigins: ['https://b.example.com']}}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters', rule: "self.filter(f, f.type == 'RequestRedirect')",
    pass: [[{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}]],
    fail: [[{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}, {type: 'RequestRedirect', requestRedirect: {port: 8443}}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters', rule: "self.filter(f, f.type == 'URLRewrite')",
    pass: [[{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}}]],
    fail: [[{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}}, {type: 'URLRewrite', urlRewrite: {hostname: 'b.example.com'}}]]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.cors) && self.type != 'CORS')",
    pass: [{type: 'CORS', cors: {allowMethods: ['GET']}}],
    fail: [{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}, cors: {allowMethods: ['GET']}}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.cors) && self.type == 'CORS')",
    pass: [{type: 'CORS', cors: {allowMethods: ['GET']}}],
    fail: [{type: 'CORS'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.requestRedirect) && self.type != 'RequestRedirect')",
    pass: [{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}],
    fail: [{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}, requestRedirect: {scheme: 'https'}}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.requestRedirect) && self.type == 'RequestRedirect')",
    pass: [{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}}],
    fail: [{type: 'RequestRedirect'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.urlRewrite) && self.type != 'URLRewrite')",
    pass: [{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}}],
    fail: [{type: 'RequestRedirect', requestRedirect: {scheme: 'https'}, urlRewrite: {hostname: 'a.example.com'}}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.urlRewrite) && self.type == 'URLRewrite')",
    pass: [{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}}],
    fail: [{type: 'URLRewrite'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].cors.allowOrigins', rule: "'*' in self",
    pass: [['*'], ['https://a.example.com', 'https://b.example.com']],
    fail: [['*', 'https://a.example.com']]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].requestRedirect.path', rule: "self.type == 'ReplaceFullPath' ?",
    pass: [{type: 'ReplaceFullPath', replaceFullPath: '/x'}],
    fail: [{type: 'ReplaceFullPath'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].requestRedirect.path', rule: 'has(self.replaceFullPath) ?',
    pass: [{type: 'ReplaceFullPath', replaceFullPath: '/x'}],
    fail: [{type: 'ReplacePrefixMatch', replacePrefixMatch: '/y', replaceFullPath: '/x'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].urlRewrite.path', rule: "self.type == 'ReplacePrefixMatch' ?",
    pass: [{type: 'ReplacePrefixMatch', replacePrefixMatch: '/x'}],
    fail: [{type: 'ReplacePrefixMatch'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].urlRewrite.path', rule: 'has(self.replacePrefixMatch) ?',
    pass: [{type: 'ReplacePrefixMatch', replacePrefixMatch: '/x'}],
    fail: [{type: 'ReplaceFullPath', replaceFullPath: '/x', replacePrefixMatch: '/y'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "self.value.startsWith('/')",
    pass: [{type: 'Exact', value: '/a'}, {type: 'RegularExpression', value: 'a.*'}, {}],
    fail: [{type: 'Exact', value: 'a'}, {value: 'a'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "contains('//')",
    pass: [{value: '/a/b'}], fail: [{value: '/a//b'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "contains('/./')",
    pass: [{value: '/a.b/c'}], fail: [{type: 'Exact', value: '/a/./b'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "contains('/../')",
    pass: [{value: '/a..b/c'}], fail: [{value: '/a/../b'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "contains('%2f')",
    pass: [{value: '/a%20b'}], fail: [{value: '/a%2fb'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "contains('%2F')",
    pass: [{value: '/a%2Cb'}], fail: [{value: '/a%2Fb'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "contains('#')",
    pass: [{value: '/a'}, {type: 'RegularExpression', value: '/a#b'}], fail: [{value: '/a#b'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "endsWith('/..')",
    pass: [{value: '/a/..b'}], fail: [{value: '/a/..'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "endsWith('/.')",
    pass: [{value: '/a/.b'}], fail: [{value: '/a/.'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: "self.type == 'RegularExpression'", direct: true,
    pass: [{type: 'RegularExpression', value: '/a'}, {type: 'Exact', value: '/a'}], fail: [{type: 'Glob', value: '/a*'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].matches[].path', rule: 'self.value.matches',
    pass: [{value: "/a-b_c~d!$&'()*+,;=:@/%41"}], fail: [{value: '/a b'}, {value: '/a%zz'}, {value: '/ä'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].timeouts', rule: 'duration(self.backendRequest) > duration(self.request)',
    pass: [{request: '10s', backendRequest: '5s'}, {request: '0s', backendRequest: '1h'}, {request: '1m', backendRequest: '60s'}],
    fail: [{request: '5s', backendRequest: '10s'}, {request: '1m', backendRequest: '1m1s'}, {request: '500ms', backendRequest: '1s'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(has(self.externalAuth) && self.type != 'ExternalAuth')",
    pass: [{type: 'ExternalAuth', externalAuth: {protocol: 'HTTP', backendRef: authRef, http: {}}}],
    fail: [{type: 'URLRewrite', urlRewrite: {hostname: 'a.example.com'}, externalAuth: {protocol: 'HTTP', backendRef: authRef, http: {}}}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[]', rule: "!(!has(self.externalAuth) && self.type == 'ExternalAuth')",
    pass: [{type: 'ExternalAuth', externalAuth: {protocol: 'GRPC', backendRef: authRef, grpc: {}}}],
    fail: [{type: 'ExternalAuth'}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].externalAuth', rule: "self.protocol == 'GRPC' ?",
    pass: [{protocol: 'GRPC', backendRef: authRef, grpc: {}}], fail: [{protocol: 'GRPC', backendRef: authRef}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].externalAuth', rule: 'has(self.grpc) ?',
    pass: [{protocol: 'GRPC', backendRef: authRef, grpc: {}}], fail: [{protocol: 'HTTP', backendRef: authRef, http: {}, grpc: {}}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].externalAuth', rule: "self.protocol == 'HTTP' ?",
    pass: [{protocol: 'HTTP', backendRef: authRef, http: {path: '/auth'}}], fail: [{protocol: 'HTTP', backendRef: authRef}]},
  {kind: 'HTTPRoute', version: 'v1', path: 'spec.rules[].filters[].externalAuth', rule: 'has(self.http) ?',
    pass: [{protocol: 'HTTP', backendRef: authRef, http: {}}], fail: [{protocol: 'GRPC', backendRef: authRef, grpc: {}, http: {}}]},
  // ListenerSet
  {kind: 'ListenerSet', version: 'v1', path: 'spec.listeners', rule: '!has(l1.port)',
    pass: [[listener({name: 'a'}), listener({name: 'b', port: 81})]],
    fail: [[listener({name: 'a'}), listener({name: 'b'})]]},
  // TLSRoute v1
  {kind: 'TLSRoute', version: 'v1', path: 'spec.hostnames', rule: 'isIP(h)',
    pass: [['api.example.com', '*.example.com', '1.2.3.example.com']],
    fail: [['1.2.3.4'], ['api.example.com', '10.0.0.1']]},
  {kind: 'TLSRoute', version: 'v1', path: 'spec.hostnames', rule: "!h.contains('*') ?",
    pass: [['api.example.com']], fail: [['api_x.example.com'], ['-api.example.com']]},
  {kind: 'TLSRoute', version: 'v1', path: 'spec.hostnames', rule: "h.startsWith('*.')",
    pass: [['*.example.com']], fail: [['*.*.example.com'], ['a*.example.com'], ['*']]},
  // x-k8s experimental kinds
  {kind: 'XBackend', version: 'v1alpha1', path: 'spec', rule: "self.type == 'ExternalHostname'",
    pass: [{type: 'ExternalHostname', externalHostname: {hostname: 'api.example.com'}, port: {port: 443}}],
    fail: [{type: 'ExternalHostname', port: {port: 443}}]},
  {kind: 'XBackend', version: 'v1alpha1', path: 'spec.externalHostname.hostname', rule: ".cluster.local'",
    pass: ['api.example.com'], fail: ['api.default.svc.cluster.local']},
  {kind: 'XBackend', version: 'v1alpha1', path: 'spec.port.name', rule: 'format.dns1123Label().validate(self) == null',
    pass: ['https', ''], fail: ['HTTPS', 'web_port', '-http']},
  {kind: 'XBackend', version: 'v1alpha1', path: 'spec.tls', rule: "self.mode == 'ClientAndServer'",
    pass: [{mode: 'ClientAndServer', clientCertificateRef: {name: 'client'}}],
    fail: [{mode: 'ClientAndServer'}]},
  {kind: 'XBackendTrafficPolicy', version: 'v1alpha1', path: 'spec.retryConstraint.budget.interval', rule: "duration('1s')",
    pass: ['1s', '10s', '1h', '59m59s'], fail: ['999ms', '1h1s']},
  {kind: 'XBackendTrafficPolicy', version: 'v1alpha1', path: 'spec.retryConstraint.minRetryRate.interval', rule: "duration('0s')",
    pass: ['1s', '1h'], fail: ['0s', '61m']},
]

function ruleAt(c: RuleCase) {
  const node = schemaNodeAt(compiledSchemaFor(c.kind, c.version, c.channel ?? 'experimental'), c.path)
  const rules = node.rules.filter((r) => r.rule.includes(c.rule))
  assert.equal(rules.length, 1, `"${c.rule}" must select exactly one rule at ${c.kind} ${c.path}`)
  return {node, rule: rules[0]}
}

/** Messages of the violations of `rule` for one fragment, and every issue the walk reported. */
function evaluateCase(c: RuleCase, fragment: unknown): {violations: string[]; issues: string[]} {
  const {node, rule} = ruleAt(c)
  const message = rule.message ?? ''
  if (c.direct) {
    const outcome = evaluateRules([rule], toCelUntyped(fragment))
    return {violations: outcome.violations.map((v) => v.message), issues: outcome.violations.map((v) => v.message)}
  }
  const result = walkSchema(fragment, node)
  return {
    violations: result.issues.filter((i) => i.ruleId === 'schema-cel' && i.message.startsWith(message)).map((i) => i.message),
    issues: result.issues.map((i) => `${i.ruleId} ${i.path.join('.')}: ${i.message}`),
  }
}

describe('schema/cel-rules', () => {
  const all = listCrdRules()
  const transition = all.filter((r) => isTransitionRule(r.rule))

  it(`compiles every CEL rule of both channels (${all.length} rules, ${new Set(all.map((r) => r.rule.rule)).size} distinct)`, () => {
    const failures: string[] = []
    for (const {channel, kind, version, path, rule} of all) {
      try {
        compileCelExpression(rule.rule)
      } catch (error) {
        failures.push(`${channel} ${kind} ${version} ${path}: ${(error as Error).message}`)
      }
    }
    assert.deepEqual(failures, [])
  })

  it(`skips transition rules (oldSelf): ${transition.length} in the bundle, all on controllerName`, () => {
    assert.equal(transition.length, 5)
    assert.deepEqual([...new Set(transition.map((r) => `${r.kind} ${r.path}: ${r.rule.rule}`))].sort(), [
      'GatewayClass spec.controllerName: self == oldSelf',
      'XMesh spec.controllerName: self == oldSelf',
    ])
    const outcome = evaluateRules([transition[0].rule], 'example.com/controller')
    assert.deepEqual(outcome, {violations: [], skippedTransitionRules: 1})
  })

  it('has a passing and a failing case for every distinct non-transition rule', () => {
    const covered = new Set(CASES.map((c) => ruleAt(c).rule.rule))
    const missing = [...new Set(all.filter((r) => !isTransitionRule(r.rule)).map((r) => r.rule.rule))].filter((r) => !covered.has(r))
    assert.deepEqual(missing, [])
  })

  for (const c of CASES) {
    const title = `${c.kind} ${c.version}${c.channel === 'standard' ? ' (standard)' : ''} ${c.path}: ${c.rule}`
    it(`${title} — passes`, () => {
      for (const fragment of c.pass) assert.deepEqual(evaluateCase(c, fragment).issues, [], JSON.stringify(fragment))
    })
    it(`${title} — fails`, () => {
      for (const fragment of c.fail) assert.equal(evaluateCase(c, fragment).violations.length, 1, JSON.stringify(fragment))
    })
  }

  describe('element culprits', () => {
    it('names the offending entry of a self.all rule', () => {
      const node = schemaNodeAt(compiledSchemaFor('Gateway', 'v1', 'experimental'), 'spec.listeners')
      const result = walkSchema([listener({name: 'a'}), listener({name: 'db', protocol: 'TCP', port: 5432, hostname: 'db.example.com'})], node)
      const issue = result.issues.find((i) => i.message.startsWith('hostname must not be specified'))
      assert.deepEqual(issue?.path, [1])
    })

    it('points at the later of two entries that conflict, naming the other', () => {
      const node = schemaNodeAt(compiledSchemaFor('Gateway', 'v1', 'experimental'), 'spec.listeners')
      const result = walkSchema([listener({name: 'a'}), listener({name: 'b'})], node)
      const issue = result.issues.find((i) => i.message.startsWith('Combination of port'))
      assert.deepEqual(issue?.path, [1])
      assert.match(issue?.message ?? '', /\(also \[0\]\)$/)
    })

    it('names map keys for rules over maps', () => {
      const node = schemaNodeAt(compiledSchemaFor('Gateway', 'v1', 'experimental'), 'spec.infrastructure.labels')
      const result = walkSchema({good: 'a', '-bad': 'b'}, node)
      const issue = result.issues.find((i) => i.ruleId === 'schema-cel')
      assert.deepEqual(issue && {path: issue.path, target: issue.target}, {path: ['-bad'], target: 'key'})
    })
  })

  describe('rule fields', () => {
    const table: Array<{title: string; rule: Parameters<typeof evaluateRules>[0][0]; expected: unknown}> = [
      {title: 'message', rule: {rule: 'self > 1', message: 'must exceed one'}, expected: {message: 'must exceed one'}},
      {title: 'no message: the rule', rule: {rule: 'self > 1'}, expected: {message: 'failed rule: self > 1'}},
      {title: 'messageExpression', rule: {rule: 'self > 1', message: 'm', messageExpression: "'got ' + string(self)"}, expected: {message: 'got 1'}},
      {title: 'messageExpression error: message', rule: {rule: 'self > 1', message: 'm', messageExpression: 'self.nope'}, expected: {message: 'm'}},
      {title: 'messageExpression with a line break: message', rule: {rule: 'self > 1', message: 'm', messageExpression: "'a\\nb'"}, expected: {message: 'm'}},
      {title: 'fieldPath', rule: {rule: 'self > 1', message: 'm', fieldPath: ".spec['a.b'].c"}, expected: {message: 'm', fieldPath: ['spec', 'a.b', 'c']}},
      {title: 'reason', rule: {rule: 'self > 1', message: 'm', reason: 'FieldValueForbidden'}, expected: {message: 'Forbidden: m'}},
      {title: 'non-bool result', rule: {rule: "'yes'", message: 'm'}, expected: {message: 'm (rule did not evaluate to a bool)'}},
    ]
    for (const {title, rule, expected} of table) {
      it(title, () => {
        const [violation] = evaluateRules([rule], 1n).violations
        assert.deepEqual({message: violation.message, ...(violation.fieldPath ? {fieldPath: violation.fieldPath} : {})}, expected)
      })
    }

    it('runtime error: the message and the error', () => {
      const [violation] = evaluateRules([{rule: '1 / (self - 1) == 0', message: 'm'}], 1n).violations
      assert.match(violation.message, /^m \(rule evaluation failed: .*divide by zero\)$/)
    })

    it('parses fieldPath forms and refuses others', () => {
      assert.deepEqual(parseRuleFieldPath('.a.b'), ['a', 'b'])
      assert.deepEqual(parseRuleFieldPath(".a['x-y.z']"), ['a', 'x-y.z'])
      assert.equal(parseRuleFieldPath('a.b'), undefined)
    })
  })
})
