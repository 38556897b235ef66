/**
 * The rules src/schema reports (see docs/rules.md): what the API server
 * would reject, checked against the JSON Schema and CEL rules of the
 * Gateway API CRDs. Kept free of heavy imports.
 */
import type {RuleMeta} from '../findings/finding.js'
import {exampleYaml} from '../findings/rule-example.js'

const CRDS = 'Gateway API v1.6.1 CRDs (OpenAPI schema and CEL validation rules)'

const REJECTED = 'The API server rejects the object (kubectl apply fails), so nothing of it reaches the cluster: no controller ever sees it.'

export const SCHEMA_RULES: RuleMeta[] = [
  {
    id: 'schema-unknown-field', category: 'schema', defaultSeverity: 'error',
    description: 'A field that is not in the CRD schema (or ObjectMeta), as kubectl apply --validate=strict rejects it.',
    why: 'kubectl apply rejects unknown fields by default (strict field validation); with validation turned off the API server drops them silently, so a misspelled field such as `hostname` for `hostnames` never takes effect.',
    fix: 'Correct the field name (the message suggests the closest one), move the field to the level where the CRD defines it, or remove it. A field of the experimental channel needs the experimental CRDs (`--channel experimental`).',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        hostname: app.example.com   # the field is hostnames, a list
    `),
    source: CRDS,
  },
  {
    id: 'schema-required', category: 'schema', defaultSeverity: 'error',
    description: 'A required field is missing (after schema defaults are applied).',
    why: REJECTED,
    fix: 'Add the field named in the message. For references, `name` is always required; for listeners, `name`, `port` and `protocol`; for Gateways, `spec.gatewayClassName`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:                         # no gatewayClassName
        listeners:
        - name: http
          protocol: HTTP
          port: 80
    `),
    source: CRDS,
  },
  {
    id: 'schema-type', category: 'schema', defaultSeverity: 'error',
    description: 'A value of the wrong JSON type (x-kubernetes-int-or-string and nullable honoured).',
    why: REJECTED,
    fix: 'Write the value with the type the field takes: numbers without quotes (`port: 443`), strings quoted when YAML would read them as something else (`"true"`, `"1.10"`), lists and maps where the schema wants them.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: http
          protocol: HTTP
          port: "80"                # a string: port is an integer
    `),
    source: CRDS,
  },
  {
    id: 'schema-enum', category: 'schema', defaultSeverity: 'error',
    description: 'A value outside the enum of the field.',
    why: `${REJECTED} Enum values are case-sensitive.`,
    fix: 'Use one of the values listed in the message, spelled exactly (e.g. `Passthrough`, `PathPrefix`, `RegularExpression`).',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: tls
          protocol: TLS
          port: 443
          tls:
            mode: passthrough       # the value is Passthrough
    `),
    source: CRDS,
  },
  {
    id: 'schema-pattern', category: 'schema', defaultSeverity: 'error',
    description: 'A string that does not match the pattern of the field (RE2 semantics).',
    why: REJECTED,
    fix: 'Write the value in the form the field requires: hostnames in lower case without a port or a trailing dot, paths starting with `/`, header names without spaces or colons.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: http
          protocol: HTTP
          port: 80
          hostname: App.Example.com   # hostnames are lower case
    `),
    source: CRDS,
  },
  {
    id: 'schema-format', category: 'schema', defaultSeverity: 'error',
    description: 'A string that does not match its format (date-time, ipv4, ipv6), or a value matching none of the allowed forms (oneOf/anyOf/not).',
    why: REJECTED,
    fix: 'Write the value in the format named in the message: an RFC 3339 time such as `2024-05-01T00:00:00Z`, a valid IPv4 or IPv6 address, or one of the forms the field allows.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        addresses:
        - type: IPAddress
          value: 10.0.0.300         # not an IPv4 address
        listeners:
        - name: http
          protocol: HTTP
          port: 80
    `),
    source: CRDS,
  },
  {
    id: 'schema-range', category: 'schema', defaultSeverity: 'error',
    description: 'A value outside minimum/maximum, minLength/maxLength (in code points), minItems/maxItems or minProperties/maxProperties.',
    why: REJECTED,
    fix: 'Bring the value into the range in the message: ports 1 to 65535, weights 0 to 1000000, at most 64 listeners per Gateway, at most 16 hostnames per route, names up to 253 characters.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: http
          protocol: HTTP
          port: 80800
    `),
    source: CRDS,
  },
  {
    id: 'schema-duplicate', category: 'schema', defaultSeverity: 'error',
    description: 'A duplicate entry in an x-kubernetes-list-type set, or two entries with the same keys in a list-type map (e.g. two listeners named https).',
    why: `${REJECTED} Entries of such lists are merged by key (server-side apply), so two with one key cannot both exist.`,
    fix: 'Remove the repeated entry, or give each entry its own key (e.g. a distinct listener `name`).',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: web
          protocol: HTTP
          port: 80
        - name: web
          protocol: HTTP
          port: 8080
    `),
    source: CRDS,
  },
  {
    id: 'schema-cel', category: 'schema', defaultSeverity: 'error',
    description: 'An x-kubernetes-validations CEL rule of the CRD is violated.',
    why: `${REJECTED} These rules tie fields together, e.g. a \`tls\` block only on HTTPS and TLS listeners, or a \`port\` on every backendRef to a Service.`,
    fix: 'Follow the rule quoted in the message; it names the fields that must change together.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: web
          protocol: HTTP            # plain HTTP takes no tls block
          port: 80
          tls:
            mode: Terminate
            certificateRefs:
            - name: web-cert
    `),
    source: CRDS,
  },
  {
    id: 'schema-metadata', category: 'schema', defaultSeverity: 'error',
    description: 'metadata not valid for a custom resource: name (DNS subdomain, required unless generateName), namespace, label and annotation keys and values, finalizers, ownerReferences.',
    why: 'The API server validates metadata of every object and rejects the object when a name, namespace, label or annotation breaks the Kubernetes naming rules.',
    fix: 'Use lower-case letters, digits, `-` and `.` in names (at most 253 characters, starting and ending with a letter or digit); label values of at most 63 characters; keys in the form `prefix/name`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: Web_Route
    `),
    source: 'Kubernetes ObjectMeta validation',
  },
  {
    id: 'schema-unserved-version', category: 'schema', defaultSeverity: 'error',
    description: 'An apiVersion or kind the selected channel does not serve.',
    why: 'The API server has no such resource ("no matches for kind"), so kubectl apply fails. Experimental kinds and versions exist only when the experimental CRDs are installed.',
    fix: 'Use a version the channel serves (the message lists them), correct the kind, or install the experimental CRDs and lint with `--channel experimental`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1beta2
      kind: HTTPRoute
      metadata:
        name: web
    `),
    source: CRDS,
  },
  {
    id: 'schema-status-ignored', category: 'schema', defaultSeverity: 'info',
    description: 'A status block in the input: the API server drops it on create and apply (status subresource), so it is not validated.',
    why: 'For kinds with a status subresource, status is written by the controller only; what a manifest says there is discarded. It is often copied from `kubectl get -o yaml` output.',
    fix: 'Remove the `status` block from the manifest (`gwctl lint --status` prints the status a controller would set).',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example
      spec:
        controllerName: example.com/gateway-controller
      status:
        conditions: []
    `),
    source: CRDS,
  },
  {
    id: 'schema-deprecated-version', category: 'practice', defaultSeverity: 'warning',
    description: 'An apiVersion that is deprecated or not served by the standard channel: names the version to move to.',
    why: 'Deprecated versions are removed in a later Gateway API release; manifests that still use them stop applying after a CRD upgrade.',
    fix: 'Change `apiVersion` to the version named in the message; for these kinds the fields are the same.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1alpha2
      kind: TLSRoute
      metadata:
        name: passthrough
      spec:
        parentRefs:
        - name: gw
        hostnames:
        - app.example.com
        rules:
        - backendRefs:
          - name: app
            port: 8443
    `),
    source: CRDS,
  },
]
