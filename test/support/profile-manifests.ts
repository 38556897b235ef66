/**
 * Manifests the implementation-profile tests share: the NGINX Gateway
 * Fabric passthrough how-to's Gateway with the HTTPS listener its note
 * allows (../shared/seeds, the NGF document), and Passthrough and
 * Terminate TLS listeners on one port (TLSRouteModeMixed).
 */

/** The NGINX Gateway Fabric TLS passthrough how-to's Gateway, with the HTTPS listener its note allows on the TLS port. */
export const NGF_HOWTO = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gateway
  namespace: default
spec:
  gatewayClassName: nginx
  listeners:
  - name: tls
    port: 443
    protocol: TLS
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: All
      kinds:
      - kind: TLSRoute
    tls:
      mode: Passthrough
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "cafe.example.org"
    tls:
      mode: Terminate
      certificateRefs:
      - name: cafe-secret
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: tls-secure-app-route
  namespace: default
spec:
  parentRefs:
  - name: gateway
    sectionName: tls
  hostnames:
  - "app.example.com"
  rules:
  - backendRefs:
    - name: secure-app
      port: 8443
`

/** Passthrough and Terminate TLS listeners on one port (TLSRouteModeMixed). */
export const SAME_PORT_MIXED = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: mixed
  namespace: default
spec:
  gatewayClassName: any
  listeners:
  - name: passthrough
    port: 443
    protocol: TLS
    hostname: vault.example.com
    tls:
      mode: Passthrough
  - name: terminate
    port: 443
    protocol: TLS
    hostname: www.example.com
    tls:
      mode: Terminate
      certificateRefs:
      - name: www-tls
`
