/**
 * Manifests of the forward-plan e2e tests (resolve and serve): one HTTP
 * listener and an HTTPRoute whose rules use every filter the engine plans —
 * header modifiers, URLRewrite of Host and prefix, mirrors (all and none),
 * per-backend filters, an ExtensionRef gwctl cannot carry out.
 */
export const FORWARD_MANIFESTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: local
  listeners:
  - {name: http, protocol: HTTP, port: 80, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: X-Env, value: prod}]
        add: [{name: X-Trace, value: gw}]
        remove: [X-Debug]
    - type: RequestMirror
      requestMirror:
        backendRef: {name: shadow, port: 80}
    - type: URLRewrite
      urlRewrite:
        hostname: internal.example.com
        path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2}
    - type: ResponseHeaderModifier
      responseHeaderModifier:
        set: [{name: Cache-Control, value: no-store}]
        add: [{name: X-Served, value: gw}]
    backendRefs: [{name: app, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /canary}}]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        add: [{name: X-Trace, value: gw}]
    backendRefs:
    - name: canary
      port: 80
      filters:
      - type: RequestHeaderModifier
        requestHeaderModifier:
          set: [{name: X-Env, value: canary}]
          add: [{name: X-Trace, value: canary}]
      - type: URLRewrite
        urlRewrite:
          path: {type: ReplaceFullPath, replaceFullPath: /landing}
  - matches: [{path: {type: PathPrefix, value: /never}}]
    filters:
    - type: RequestMirror
      requestMirror:
        backendRef: {name: shadow, port: 80}
        percent: 0
    backendRefs: [{name: app, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /ext}}]
    filters:
    - type: ExtensionRef
      extensionRef: {group: auth.example.com, kind: Policy, name: strict}
    backendRefs: [{name: app, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: default}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: canary, namespace: default}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: shadow, namespace: default}
spec: {ports: [{port: 80}]}
`
