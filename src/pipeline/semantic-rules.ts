/**
 * The rules of the binding engine (categories semantic and practice): what
 * a conformant controller reports in status, with why it matters, how to
 * fix it and an example (docs/rules.md is generated from this list). The
 * engine itself only names the ids (src/gatewayapi/problems.ts).
 */
import type {RuleMeta} from '../findings/finding.js'
import {exampleText, exampleYaml} from '../findings/rule-example.js'

const NO_STATUS = 'gwctl cannot check a reference to an object it does not see; in the cluster the object may exist.'

export const SEMANTIC_RULES: RuleMeta[] = [
  {
    id: 'gateway-listeners-not-valid', category: 'semantic', defaultSeverity: 'error',
    description: 'A Gateway or ListenerSet with no usable listener is not accepted (Accepted=False/ListenersNotValid).',
    why: 'A controller programs nothing for it: no address serves traffic, and every route attached to it is down.',
    fix: 'Fix the listener problems reported with this one (each listener has its own finding: unsupported protocol, conflict, missing tls block); one valid listener is enough for the Gateway to be accepted.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: quic
          protocol: example.com/quic
          port: 443
    `),
    source: 'Gateway API: Gateway and ListenerSet condition Accepted, reason ListenersNotValid',
  },
  {
    id: 'gateway-class-not-found', category: 'semantic', defaultSeverity: 'info',
    description: 'The GatewayClass a Gateway names is not in the input, although the input has other GatewayClasses; gwctl binds the Gateway anyway.',
    why: 'In a cluster, a Gateway whose GatewayClass does not exist is ignored by every controller: no status, no address, no traffic. Offline, gwctl plays the controller of every class, so the rest of the checks still run.',
    fix: 'Check `spec.gatewayClassName` against the GatewayClasses of the input and `kubectl get gatewayclass`, or add the missing GatewayClass manifest. `--gateway-class NAME` narrows the run to the Gateways of one class.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: envoy
      spec:
        controllerName: gateway.envoyproxy.io/gatewayclass-controller
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: eg        # the class is called envoy
        listeners:
        - name: http
          protocol: HTTP
          port: 80
    `),
    source: 'Gateway API: GatewaySpec.GatewayClassName',
  },
  {
    id: 'gateway-class-not-accepted', category: 'semantic', defaultSeverity: 'error',
    description: 'The Gateway names a GatewayClass that is not accepted: no controller reconciles it (no status, no traffic).',
    why: 'A controller only programs Gateways of classes it has accepted. When the GatewayClass itself is rejected (for example because of invalid parameters), every Gateway of that class is left alone: no address, no listeners, no routes.',
    fix: 'Fix the problem reported on the GatewayClass (usually its `spec.parametersRef`), or point `spec.gatewayClassName` at an accepted class.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example
      spec:
        controllerName: example.com/gateway-controller
        parametersRef:
          group: ""
          kind: Service             # parameters are a ConfigMap or a kind of the implementation
          name: gateway-params
          namespace: default
      ---
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
    `),
    source: 'Gateway API: GatewayClass condition Accepted; SEMANTICS §0, §10',
  },
  {
    id: 'parameters-ref-invalid', category: 'semantic', defaultSeverity: 'error',
    description: 'A GatewayClass spec.parametersRef or Gateway spec.infrastructure.parametersRef of an unsupported kind, or malformed (Accepted=False/InvalidParameters).',
    why: 'The controller cannot read its configuration from an object of that kind, so it rejects the GatewayClass (and with it every Gateway of the class) or the Gateway: nothing is programmed.',
    fix: 'Reference a ConfigMap (`group: ""`, `kind: ConfigMap`, with a namespace for a GatewayClass) or the parameters kind your implementation documents, in its own API group.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example
      spec:
        controllerName: example.com/gateway-controller
        parametersRef:
          group: ""
          kind: Secret
          name: gateway-params
          namespace: default
    `),
    source: 'Gateway API: ParametersReference, GatewayClass and Gateway condition Accepted reason InvalidParameters',
  },
  {
    id: 'parameters-ref-not-found', category: 'semantic', defaultSeverity: 'warning',
    description: 'A parametersRef to an object absent from the input (Accepted=False/InvalidParameters if absent from the cluster; an error with --require-refs).',
    why: 'If the referenced object does not exist in the cluster either, the controller rejects the GatewayClass or Gateway with InvalidParameters and programs nothing.',
    fix: 'Add the referenced object to the manifests (or check its name and namespace), or lint with it present; `--require-refs` makes this an error.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata:
        name: example
      spec:
        controllerName: example.com/gateway-controller
        parametersRef:
          group: ""
          kind: ConfigMap
          name: gateway-params      # no such ConfigMap in the input
          namespace: default
    `),
    source: 'Gateway API: ParametersReference, condition reason InvalidParameters',
  },
  {
    id: 'listener-unsupported-protocol', category: 'semantic', defaultSeverity: 'error',
    description: 'The listener protocol is not one gwctl implements (Accepted=False/UnsupportedProtocol).',
    why: 'A controller that does not implement the protocol rejects the listener: nothing listens on its port. Protocols other than HTTP, HTTPS, TLS, TCP and UDP are implementation-specific and only their own controller understands them.',
    fix: 'Use one of the core protocols `HTTP`, `HTTPS`, `TLS`, `TCP` or `UDP`. If your controller does implement this protocol, turn the rule off in .gwctl.yaml (`rules: {listener-unsupported-protocol: off}`).',
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
        - name: quic
          protocol: example.com/quic
          port: 443
    `),
    source: 'Gateway API: Listener.Protocol (ProtocolType)',
  },
  {
    id: 'listener-unsupported-value', category: 'semantic', defaultSeverity: 'error',
    description: 'A listener field has a value gwctl does not support (Accepted=False/UnsupportedValue).',
    why: 'The controller rejects the listener and nothing listens on its port. Today every such value (a `tls.mode` other than Terminate or Passthrough, Passthrough on an HTTPS listener) is also rejected by the CRD schema, which gwctl reports first as a schema finding; the listener status still shows UnsupportedValue.',
    fix: 'Use `tls.mode: Terminate` with protocol HTTPS, and `Terminate` or `Passthrough` with protocol TLS.',
    example: exampleText(`
      A listener with protocol: HTTPS and tls.mode: Passthrough. The CRD already rejects it
      (schema-cel: "tls mode must be Terminate for protocol HTTPS"), so lint reports that finding.
    `),
    source: 'Gateway API: ListenerTLSConfig.Mode',
  },
  {
    id: 'listener-tls-missing', category: 'semantic', defaultSeverity: 'error',
    description: 'An HTTPS or TLS listener has no tls block (Programmed=False/InvalidTLSConfig).',
    why: 'The CRD accepts an HTTPS listener without `tls` since v1.6, but a controller has no certificate to present (HTTPS) or does not know whether to terminate or pass through (TLS): the listener is not programmed and clients fail the TLS handshake.',
    fix: 'Add `tls` to the listener: for HTTPS, `certificateRefs` to a kubernetes.io/tls Secret; for TLS, `mode: Passthrough` (the backend terminates) or `mode: Terminate` with `certificateRefs`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          hostname: app.example.com
    `),
    source: 'Gateway API: Listener.TLS',
  },
  {
    id: 'listener-conflict', category: 'semantic', defaultSeverity: 'error',
    description: 'Listeners on one port that cannot be told apart (Conflicted=True/ProtocolConflict or HostnameConflict).',
    why: 'A connection on that port could belong to either listener, so a controller programs neither (within one Gateway there is no winner; against a ListenerSet the Gateway\'s listener wins). The conflicted listeners serve no traffic.',
    fix: 'Put the listeners on different ports, or give them the same protocol and distinct hostnames. gwctl refuses HTTP together with HTTPS or TLS on one port, HTTPS together with TLS, and TCP with anything else.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          hostname: www.example.com
          tls:
            certificateRefs:
            - name: www-cert
        - name: db
          protocol: TLS
          port: 443
          hostname: db.example.com
          tls:
            mode: Passthrough
    `),
    source: 'Gateway API: GatewaySpec.Listeners (distinct and compatible listeners), listener condition Conflicted',
  },
  {
    id: 'listener-invalid-route-kinds', category: 'semantic', defaultSeverity: 'error',
    description: 'allowedRoutes.kinds names a kind the listener protocol cannot carry (ResolvedRefs=False/InvalidRouteKinds).',
    why: 'Routes of that kind never attach to the listener; when no valid kind is left, no route attaches at all and the listener is not programmed.',
    fix: 'List only kinds the protocol carries: HTTPRoute and GRPCRoute on HTTP and HTTPS, TLSRoute on TLS (plus TCPRoute on TLS Terminate), TCPRoute on TCP, UDPRoute on UDP. Leave `kinds` out to allow every kind the protocol carries.',
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
          allowedRoutes:
            kinds:
            - kind: TCPRoute
    `),
    source: 'Gateway API: AllowedRoutes.Kinds, ListenerStatus.SupportedKinds',
  },
  {
    id: 'listener-certificate-ref', category: 'semantic', defaultSeverity: 'error',
    description: 'A certificateRef of an unsupported kind, or to a malformed Secret (ResolvedRefs=False/InvalidCertificateRef).',
    why: 'The listener has no usable certificate: it is not programmed and clients connecting to its hostname fail the TLS handshake.',
    fix: 'Reference a Secret (group `""`, kind `Secret`, the defaults) of type `kubernetes.io/tls` whose `tls.crt` and `tls.key` hold a PEM certificate chain and its private key; `gwctl certs create` writes one.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - kind: ConfigMap       # certificates live in Secrets
              name: app-cert
    `),
    source: 'Gateway API: ListenerTLSConfig.CertificateRefs',
  },
  {
    id: 'listener-ref-not-permitted', category: 'semantic', defaultSeverity: 'error',
    description: 'A certificate or CA certificate reference into another namespace without a ReferenceGrant (ResolvedRefs=False/RefNotPermitted).',
    why: 'A Gateway may only read a Secret of another namespace when that namespace allows it with a ReferenceGrant; without one the listener has no certificate, is not programmed, and clients fail the TLS handshake.',
    fix: 'Add a ReferenceGrant in the Secret\'s namespace with `from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: <the Gateway\'s>}]` and `to: [{group: "", kind: Secret}]`, or move the Secret into the Gateway\'s namespace.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: infra
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: wildcard-cert
              namespace: certs      # no ReferenceGrant in namespace certs
    `),
    source: 'Gateway API: ListenerTLSConfig.CertificateRefs, ReferenceGrant',
  },
  {
    id: 'frontend-ca-certificate-ref', category: 'semantic', defaultSeverity: 'error',
    description: 'A spec.tls.frontend caCertificateRef of an unsupported kind, to an object absent from the input, or without a CA certificate under ca.crt (listener ResolvedRefs=False/InvalidCACertificateKind or InvalidCACertificateRef).',
    why: 'The gateway cannot build the trust store it verifies client certificates against from this reference; when no reference is usable, the listeners that require client certificates serve no traffic at all.',
    fix: 'Reference a ConfigMap (or a Secret) in reach (same namespace, or granted by a ReferenceGrant) that holds the PEM CA certificates under the key `ca.crt`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: server-cert
        tls:
          frontend:
            default:
              validation:
                caCertificateRefs:
                - group: ""
                  kind: ConfigMap
                  name: client-ca     # not in the input
    `),
    source: 'Gateway API: GatewayTLSConfig frontend validation caCertificateRefs; listener condition ResolvedRefs',
  },
  {
    id: 'frontend-no-valid-ca-certificate', category: 'semantic', defaultSeverity: 'error',
    description: 'No caCertificateRef of a spec.tls.frontend validation is valid: its listeners are not accepted (Accepted=False/NoValidCACertificate) and take no traffic.',
    why: 'Without a single trust anchor the gateway could not tell valid client certificates from invalid ones, so a conformant controller does not program the listeners that ask for them: clients get no answer on that port.',
    fix: 'Fix the caCertificateRefs reported with this finding (each has its own `frontend-ca-certificate-ref` or `listener-ref-not-permitted` finding) so at least one resolves to PEM CA certificates under `ca.crt`.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: server-cert
        tls:
          frontend:
            default:
              validation:
                caCertificateRefs:
                - group: ""
                  kind: ConfigMap
                  name: client-ca     # not in the input
    `),
    source: 'Gateway API: listener condition Accepted, reason NoValidCACertificate',
  },
  {
    id: 'frontend-insecure-fallback', category: 'semantic', defaultSeverity: 'warning',
    description: 'Client-certificate validation in mode AllowInsecureFallback accepts clients without a valid certificate (Gateway InsecureFrontendValidationMode=True).',
    why: 'In this mode the gateway asks for a client certificate but lets every client through, with or without a valid one: whatever relies on mutual TLS (authorization by client identity) is open to anyone.',
    fix: 'Use `mode: AllowValidOnly` (the default) once every client presents a certificate; keep AllowInsecureFallback only for a migration, and turn this rule off per object with a `gwctl/ignore` annotation and a reason.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: server-cert
        tls:
          frontend:
            default:
              validation:
                mode: AllowInsecureFallback
                caCertificateRefs:
                - group: ""
                  kind: ConfigMap
                  name: client-ca
    `),
    source: 'Gateway API: FrontendTLSValidation mode; Gateway condition InsecureFrontendValidationMode',
  },
  {
    id: 'frontend-validation-unused', category: 'practice', defaultSeverity: 'warning',
    description: 'A spec.tls.frontend validation (default or perPort) that applies to no listener terminating TLS.',
    why: 'The validation was written to require client certificates somewhere, but no listener takes it (a perPort entry for a port no HTTPS or TLS Terminate listener uses, or a Gateway with only HTTP and Passthrough listeners): no client is asked for a certificate.',
    fix: 'Correct the `port` of the perPort entry to the port of the listener that must verify clients, or remove the entry.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: server-cert
        tls:
          frontend:
            perPort:
            - port: 8443            # no listener on 8443
              tls:
                validation:
                  caCertificateRefs:
                  - group: ""
                    kind: ConfigMap
                    name: client-ca
    `),
    source: 'Gateway API: GatewayTLSConfig frontend perPort',
  },
  {
    id: 'listener-overlapping-tls', category: 'semantic', defaultSeverity: 'info',
    description: 'Terminating listeners on one port whose hostnames overlap (OverlappingTLSConfig=True): HTTP/2 clients may coalesce connections.',
    why: 'A browser that opened an HTTP/2 connection for one hostname may reuse it for another hostname its certificate covers; the request then reaches the listener of the first hostname, with that listener\'s routes (or a 421 Misdirected Request).',
    fix: 'Usually nothing: the most specific listener still wins for each new connection. To avoid coalescing, give the listeners certificates that do not cover each other\'s hostnames, or use one listener with a wildcard certificate.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: wildcard
          protocol: HTTPS
          port: 443
          hostname: "*.example.com"
          tls:
            certificateRefs:
            - name: wildcard-cert
        - name: app
          protocol: HTTPS
          port: 443
          hostname: app.example.com
          tls:
            certificateRefs:
            - name: app-cert
    `),
    source: 'Gateway API: listener condition OverlappingTLSConfig (GEP-3567)',
  },
  {
    id: 'listenerset-not-allowed', category: 'semantic', defaultSeverity: 'error',
    description: "A ListenerSet that its Gateway's allowedListeners does not admit (Accepted=False/NotAllowed).",
    why: 'A Gateway admits no ListenerSet unless `spec.allowedListeners` says so; the ListenerSet\'s listeners are not programmed and routes attached to them get no traffic.',
    fix: 'Set `spec.allowedListeners.namespaces.from` on the Gateway to `Same`, `All` or `Selector` (with a selector that matches the ListenerSet\'s namespace).',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example   # no allowedListeners
        listeners:
        - name: http
          protocol: HTTP
          port: 80
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: ListenerSet
      metadata:
        name: team-a
      spec:
        parentRef:
          name: gw
        listeners:
        - name: team-a
          protocol: HTTP
          port: 80
          hostname: a.example.com
    `),
    source: 'Gateway API: GatewaySpec.AllowedListeners, ListenerSet (GEP-1713)',
  },
  {
    id: 'listenerset-parent-not-found', category: 'semantic', defaultSeverity: 'warning',
    description: 'A ListenerSet whose parent Gateway is not in the input.',
    why: `${NO_STATUS} If the Gateway does not exist there either, no controller picks the ListenerSet up and its listeners serve nothing.`,
    fix: 'Check `spec.parentRef` (name, and namespace when the Gateway lives elsewhere), or add the Gateway manifest to the input.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: ListenerSet
      metadata:
        name: team-a
      spec:
        parentRef:
          name: shared-gw
        listeners:
        - name: team-a
          protocol: HTTP
          port: 80
          hostname: a.example.com
    `),
    source: 'Gateway API: ListenerSetSpec.ParentRef (GEP-1713)',
  },
  {
    id: 'secret-not-found', category: 'semantic', defaultSeverity: 'warning',
    description: 'A certificateRef to a Secret that is not in the input (an error with --require-refs).',
    why: `${NO_STATUS} Secrets are often created outside the manifests (cert-manager, a secret store); when it is missing in the cluster, the listener reports InvalidCertificateRef and clients fail the TLS handshake.`,
    fix: 'Add the Secret (or the cert-manager Certificate that creates it) to the input, check the name and namespace, or create it with `gwctl certs create --for DIR`. Use `--require-refs` in pipelines that lint the complete set of manifests.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          hostname: app.example.com
          tls:
            certificateRefs:
            - name: app-cert        # no Secret app-cert in the input
    `),
    source: 'Gateway API: ListenerTLSConfig.CertificateRefs',
  },
  {
    id: 'route-parent-not-found', category: 'semantic', defaultSeverity: 'warning',
    description: 'A parentRef to a Gateway or ListenerSet that is not in the input: no controller reports status for it.',
    why: `${NO_STATUS} A typo in the Gateway name or namespace leaves the route attached to nothing, silently: the route has no status entry for that parent and gets no traffic.`,
    fix: 'Check `name`, `namespace` (it defaults to the route\'s own namespace) and `kind` of the parentRef, or add the Gateway to the input.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        parentRefs:
        - name: gw                  # no Gateway gw in the input
        rules:
        - backendRefs:
          - name: web
            port: 8080
    `),
    source: 'Gateway API: CommonRouteSpec.ParentRefs, RouteParentStatus',
  },
  {
    id: 'route-no-matching-parent', category: 'semantic', defaultSeverity: 'error',
    description: 'sectionName or port select no listener of the parent (Accepted=False/NoMatchingParent).',
    why: 'The route is not attached to that Gateway at all and gets no traffic from it.',
    fix: 'Set `sectionName` to the `name` of a listener (the message lists them) and `port` to a listener port, or leave both out to attach to every listener that accepts the route.',
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
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        parentRefs:
        - name: gw
          sectionName: https        # the listener is called http
    `),
    source: 'Gateway API: ParentReference.SectionName and ParentReference.Port',
  },
  {
    id: 'route-not-allowed-by-listeners', category: 'semantic', defaultSeverity: 'error',
    description: "No listener's allowedRoutes.namespaces admits the route's namespace (Accepted=False/NotAllowedByListeners).",
    why: 'Listeners admit routes of their own namespace only, unless `allowedRoutes.namespaces` says otherwise; the route is not attached and gets no traffic.',
    fix: 'On the listener, set `allowedRoutes.namespaces.from: All`, or `Selector` with a label selector matching the route\'s namespace (the label `kubernetes.io/metadata.name` names a namespace); or move the route into the Gateway\'s namespace.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: infra
      spec:
        gatewayClassName: example
        listeners:
        - name: http
          protocol: HTTP
          port: 80                  # allowedRoutes defaults to the same namespace
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
        namespace: apps
      spec:
        parentRefs:
        - name: gw
          namespace: infra
    `),
    source: 'Gateway API: AllowedRoutes.Namespaces',
  },
  {
    id: 'listener-route-kind', category: 'semantic', defaultSeverity: 'error',
    description: 'The route kind is not accepted by any listener it targets, e.g. a TLSRoute on an HTTPS listener (Accepted=False/NotAllowedByListeners).',
    why: 'Each listener carries only the route kinds of its protocol; the route is not attached and gets no traffic. A TLSRoute needs a TLS listener: an HTTPS listener terminates TLS and routes HTTP requests.',
    fix: 'Point the route at a listener of the right protocol (TLS for TLSRoute, HTTP or HTTPS for HTTPRoute and GRPCRoute, TCP for TCPRoute, UDP for UDPRoute), or use the route kind the listener carries.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: https
          protocol: HTTPS
          port: 443
          tls:
            certificateRefs:
            - name: app-cert
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: TLSRoute
      metadata:
        name: app
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
    source: 'Gateway API: AllowedRoutes.Kinds, ListenerStatus.SupportedKinds',
  },
  {
    id: 'route-no-matching-listener-hostname', category: 'semantic', defaultSeverity: 'error',
    description: 'No route hostname intersects the hostname of a listener that admits the route (Accepted=False/NoMatchingListenerHostname).',
    why: 'A route attaches to a listener only for hostnames both accept; with no hostname in common the route is not attached and gets no traffic. A listener wildcard `*.example.com` matches `a.example.com` but never `example.com`.',
    fix: 'Make `spec.hostnames` of the route and the listener `hostname` overlap: add the listener\'s hostname (or one below its wildcard) to the route, or widen the listener hostname.',
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
          hostname: "*.example.com"
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        parentRefs:
        - name: gw
        hostnames:
        - example.com               # the wildcard does not cover the apex
    `),
    source: 'Gateway API: Listener.Hostname, HTTPRouteSpec.Hostnames (hostname intersection)',
  },
  {
    id: 'route-unsupported-value', category: 'semantic', defaultSeverity: 'error',
    description: 'No rule of the route can be served (Accepted=False/UnsupportedValue).',
    why: 'Every rule uses something the controller cannot implement (a regular expression that does not compile, an unknown match type or filter), so the route is not accepted and serves nothing.',
    fix: 'Fix the values named in the message: a regular expression the data plane accepts, a supported match type, method or filter.',
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
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        parentRefs:
        - name: gw
        rules:
        - matches:
          - path:
              type: RegularExpression
              value: /api/(v1|v2    # unbalanced parenthesis
    `),
    source: 'Gateway API: route condition Accepted, reason UnsupportedValue',
  },
  {
    id: 'route-partially-invalid', category: 'semantic', defaultSeverity: 'warning',
    description: 'Some rules of the route are dropped (PartiallyInvalid=True).',
    why: 'The controller serves the valid rules and drops the others: requests the dropped rules were meant for fall through to other rules or routes, or get a 404.',
    fix: 'Fix the values named in the message for each dropped rule.',
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
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        parentRefs:
        - name: gw
        rules:
        - matches:
          - path:
              type: PathPrefix
              value: /
        - matches:
          - path:
              type: RegularExpression
              value: /api/(v1|v2    # this rule is dropped
    `),
    source: 'Gateway API: route condition PartiallyInvalid',
  },
  {
    id: 'route-regex-unsupported', category: 'semantic', defaultSeverity: 'error',
    description: 'A RegularExpression match RE2 cannot compile (backreferences, lookaround, ...): implementations that evaluate RE2 reject it, and gwctl does not serve its rule.',
    why: 'The regular expression dialect is implementation-specific; data planes that use RE2 (linear time, no backtracking) reject backreferences and lookaround, so the rule is dropped or the route rejected. gwctl evaluates RE2 too, so no pattern can stall resolve or serve.',
    fix: 'Rewrite the pattern without backreferences or lookaround (for example two matches, or a PathPrefix), or use a Exact/PathPrefix match where it is enough.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        rules:
        - matches:
          - path:
              type: RegularExpression
              value: /(v[0-9])/(?=users)
    `),
    source: 'Gateway API: HTTPPathMatch and HTTPHeaderMatch type RegularExpression (dialect implementation-specific)',
  },
  {
    id: 'route-hostname-not-covered', category: 'semantic', defaultSeverity: 'warning',
    description: 'A route hostname intersects no listener the route attaches to, and is ignored.',
    why: 'The route is attached for its other hostnames, but requests (or TLS connections) for this one never reach it: the author probably expects it to be served.',
    fix: 'Remove the hostname from the route, or add a listener (or a ListenerSet listener) whose hostname covers it.',
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
          hostname: "*.example.com"
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        parentRefs:
        - name: gw
        hostnames:
        - app.example.com
        - app.example.org           # no listener for example.org
    `),
    source: 'Gateway API: Listener.Hostname, HTTPRouteSpec.Hostnames (hostname intersection)',
  },
  {
    id: 'backend-not-found', category: 'semantic', defaultSeverity: 'warning',
    description: 'A backendRef to a Service that is not in the input (ResolvedRefs=False/BackendNotFound; an error with --require-refs).',
    why: `${NO_STATUS} When the Service is missing in the cluster, requests routed to it get HTTP 500 (TLS and TCP connections are refused), in proportion to its weight.`,
    fix: 'Check the Service name and namespace, or add the Service to the input. Use `--require-refs` in pipelines that lint the complete set of manifests.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        rules:
        - backendRefs:
          - name: web               # no Service web in the input
            port: 8080
    `),
    source: 'Gateway API: BackendObjectReference, route condition ResolvedRefs',
  },
  {
    id: 'backend-port-not-found', category: 'semantic', defaultSeverity: 'error',
    description: 'A backendRef port that the Service does not have (ResolvedRefs=False/BackendNotFound).',
    why: 'The port of a backendRef is a port of the Service (`spec.ports[].port`), not the container\'s `targetPort`; traffic for a port the Service does not expose fails (HTTP 500, or a refused connection).',
    fix: 'Use one of the Service ports listed in the message, or add the port to the Service.',
    example: exampleYaml(`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
        - port: 80
          targetPort: 8080
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        rules:
        - backendRefs:
          - name: web
            port: 8080              # the Service port is 80
    `),
    source: 'Gateway API: BackendObjectReference.Port',
  },
  {
    id: 'backend-tls-policy-unusable', category: 'semantic', defaultSeverity: 'error',
    description: 'A backendRef to a Service whose BackendTLSPolicy cannot be honoured: its traffic fails with a 5xx, never in plaintext (ResolvedRefs=False/InvalidBackendTLSPolicy).',
    why: 'The policy says the connection to the backend must be TLS verified against a CA, but the CA cannot be used (missing, malformed, of an invalid kind). The gateway must not fall back to plaintext or to unverified TLS, so every request to this backend fails (HTTP 500, gRPC UNAVAILABLE, or a reset).',
    fix: 'Fix the BackendTLSPolicy (its own finding names the problem: usually the CA ConfigMap `ca.crt`), or remove the policy if the backend does not serve TLS.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        rules:
        - backendRefs:
          - name: api
            port: 443
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: api
      spec:
        ports:
        - port: 443
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata:
        name: api-tls
      spec:
        targetRefs:
        - group: ""
          kind: Service
          name: api
        validation:
          hostname: api.internal
          caCertificateRefs:
          - group: ""
            kind: ConfigMap
            name: api-ca            # not in the input
    `),
    source: 'Gateway API: BackendTLSPolicy; route condition ResolvedRefs (gwctl reason InvalidBackendTLSPolicy)',
  },
  {
    id: 'backend-invalid-kind', category: 'semantic', defaultSeverity: 'error',
    description: 'A backendRef or ExtensionRef filter of a kind gwctl cannot resolve (ResolvedRefs=False/InvalidKind).',
    why: 'A controller that does not know the kind reports InvalidKind and answers requests for that backend (or the requests that hit the filter) with HTTP 500. gwctl resolves core Services only; other kinds are implementation-specific.',
    fix: 'Reference a Service (group `""` and kind `Service`, the defaults). If your controller supports this kind, silence the finding for the object with a `gwctl/ignore` annotation or turn the rule off in .gwctl.yaml.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        rules:
        - backendRefs:
          - group: storage.example.com
            kind: Bucket
            name: assets
    `),
    source: 'Gateway API: BackendObjectReference, HTTPRouteFilter.ExtensionRef',
  },
  {
    id: 'backend-ref-not-permitted', category: 'semantic', defaultSeverity: 'error',
    description: 'A backendRef into another namespace without a ReferenceGrant (ResolvedRefs=False/RefNotPermitted).',
    why: 'A route may only send traffic to a Service of another namespace when that namespace allows it with a ReferenceGrant; otherwise requests routed to it get HTTP 500 (TLS and TCP connections are refused).',
    fix: 'Add a ReferenceGrant in the Service\'s namespace with `from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: <the route\'s>}]` (the route\'s kind) and `to: [{group: "", kind: Service}]`, or move the route next to the Service.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
        namespace: frontend
      spec:
        rules:
        - backendRefs:
          - name: api
            namespace: backend      # no ReferenceGrant in namespace backend
            port: 8080
    `),
    source: 'Gateway API: BackendObjectReference.Namespace, ReferenceGrant',
  },
  {
    id: 'backend-weights-zero', category: 'semantic', defaultSeverity: 'warning',
    description: 'Every backendRef of a rule has weight 0, so the rule has no backend.',
    why: 'Weight 0 sends no traffic to a backend; when all of a rule\'s backends have it, every request the rule matches gets HTTP 500 (TLS and TCP connections are refused). Often a canary rollout left at 0/0.',
    fix: 'Give at least one backendRef a weight above 0 (the default is 1).',
    example: exampleYaml(`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        ports:
        - port: 8080
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata:
        name: web
      spec:
        rules:
        - backendRefs:
          - name: web
            port: 8080
            weight: 0
    `),
    source: 'Gateway API: BackendRef.Weight',
  },
  {
    id: 'reference-grant-unused', category: 'semantic', defaultSeverity: 'warning',
    description: 'A ReferenceGrant that permits no reference in the input.',
    why: 'Usually a grant that does not do what it was written for: it sits in the wrong namespace (it must be in the namespace of the referenced object), or its `from` names the wrong kind or namespace; the reference it was meant for is then refused. A grant that is really unused widens access for no reason.',
    fix: 'Put the grant in the namespace of the Secret or Service, and check `from` (group, kind and namespace of the Gateway or route) and `to`; delete it if nothing needs it.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: ReferenceGrant
      metadata:
        name: allow-frontend
        namespace: backend
      spec:
        from:
        - group: gateway.networking.k8s.io
          kind: HTTPRoute
          namespace: frontend
        to:
        - group: ""
          kind: Service
    `),
    source: 'Gateway API: ReferenceGrant',
  },
  {
    id: 'tlsroute-hostname-shadowed', category: 'semantic', defaultSeverity: 'warning',
    description: 'TLSRoutes on one listener with the same hostname: only the oldest gets the traffic.',
    why: 'A TLS connection is routed by its SNI alone, so only one route can own a hostname on a listener: the oldest (then the first by namespace/name) wins and the other never receives a connection for it, although both are Accepted.',
    fix: 'Remove the hostname from one of the routes, or merge their backends into one route (with weights for a split).',
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
            mode: Passthrough
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: TLSRoute
      metadata:
        name: api-v1
        creationTimestamp: "2025-01-01T00:00:00Z"
      spec:
        parentRefs:
        - name: gw
        hostnames:
        - api.example.com
        rules:
        - backendRefs:
          - name: api-v1
            port: 8443
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: TLSRoute
      metadata:
        name: api-v2
        creationTimestamp: "2025-03-01T00:00:00Z"
      spec:
        parentRefs:
        - name: gw
        hostnames:
        - api.example.com
        rules:
        - backendRefs:
          - name: api-v2
            port: 8443
    `),
    source: 'Gateway API: TLSRouteSpec.Hostnames, route precedence (GEP-2643)',
  },
  {
    id: 'route-shadowed', category: 'practice', defaultSeverity: 'warning',
    description: 'Several TCPRoutes or UDPRoutes on one listener: only the oldest gets the traffic.',
    why: 'TCP and UDP routes have no hostnames or matches to tell connections apart, so a listener sends everything to one route: the oldest wins and the others get nothing, although they are Accepted.',
    fix: 'Give each TCPRoute or UDPRoute its own listener (a distinct port, targeted with `sectionName`), or merge the backends into one route.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
      spec:
        gatewayClassName: example
        listeners:
        - name: postgres
          protocol: TCP
          port: 5432
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: TCPRoute
      metadata:
        name: primary
        creationTimestamp: "2025-01-01T00:00:00Z"
      spec:
        parentRefs:
        - name: gw
        rules:
        - backendRefs:
          - name: postgres-primary
            port: 5432
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: TCPRoute
      metadata:
        name: replica
        creationTimestamp: "2025-02-01T00:00:00Z"
      spec:
        parentRefs:
        - name: gw
        rules:
        - backendRefs:
          - name: postgres-replica
            port: 5432
    `),
    source: 'Gateway API: TCPRoute (GEP-2644), UDPRoute (GEP-2645)',
  },
  {
    id: 'backendtlspolicy-invalid', category: 'semantic', defaultSeverity: 'error',
    description: 'A BackendTLSPolicy validation setting gwctl cannot honour, e.g. a wellKnownCACertificates other than System (Accepted=False/Invalid).',
    why: 'The spec requires an implementation that does not recognise the value to reject the policy; the backends it targets then cannot be reached over verified TLS and their traffic fails.',
    fix: 'Use `wellKnownCACertificates: System`, or caCertificateRefs to a ConfigMap with the backend CA under `ca.crt`.',
    example: exampleYaml(`
      apiVersion: v1
      kind: Service
      metadata:
        name: api
      spec:
        ports:
        - port: 443
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata:
        name: api-tls
      spec:
        targetRefs:
        - group: ""
          kind: Service
          name: api
        validation:
          hostname: api.internal
          wellKnownCACertificates: example.com/corp-cas
    `),
    source: 'Gateway API: BackendTLSValidationConfig.WellKnownCACertificates',
  },
  {
    id: 'backendtlspolicy-target-not-found', category: 'semantic', defaultSeverity: 'error',
    description: 'A BackendTLSPolicy target Service (or its sectionName port) is not in the input (Accepted=False/TargetNotFound).',
    why: 'The policy applies to nothing: connections to the Service it was meant for are made without TLS (or without the intended CA and hostname check), which the backend usually refuses.',
    fix: 'Check `targetRefs[].name` and `sectionName` (a port name of the Service), or add the Service to the input.',
    example: exampleYaml(`
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata:
        name: api-tls
      spec:
        targetRefs:
        - group: ""
          kind: Service
          name: api                 # no Service api in the input
        validation:
          hostname: api.internal
          wellKnownCACertificates: System
    `),
    source: 'Gateway API: BackendTLSPolicySpec.TargetRefs (GEP-1897)',
  },
  {
    id: 'backendtlspolicy-ca-ref', category: 'semantic', defaultSeverity: 'error',
    description: 'A BackendTLSPolicy CA reference that does not resolve to a ca.crt (ResolvedRefs=False/InvalidCACertificateRef or InvalidKind).',
    why: 'Without a CA certificate the gateway cannot verify the backend: the controller does not send traffic to the targeted Service, so its requests fail (HTTP 500 or refused connections).',
    fix: 'Reference a ConfigMap (or a Secret) in the policy\'s namespace whose key `ca.crt` holds the PEM certificate of the CA that signed the backend certificate.',
    example: exampleYaml(`
      apiVersion: v1
      kind: Service
      metadata:
        name: api
      spec:
        ports:
        - port: 8443
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata:
        name: api-tls
      spec:
        targetRefs:
        - group: ""
          kind: Service
          name: api
        validation:
          hostname: api.internal
          caCertificateRefs:
          - group: ""
            kind: ConfigMap
            name: internal-ca         # no ConfigMap internal-ca in the input
    `),
    source: 'Gateway API: BackendTLSPolicyValidation.CACertificateRefs (GEP-1897)',
  },
  {
    id: 'backendtlspolicy-conflicted', category: 'semantic', defaultSeverity: 'warning',
    description: 'Another, older BackendTLSPolicy targets the same Service port (Accepted=False/Conflicted).',
    why: 'Only one policy can govern a Service port: the older one (then the first by name) applies and this one is ignored, so its CA and hostname are not used.',
    fix: 'Delete one of the policies, or target different ports with `sectionName`.',
    example: exampleYaml(`
      apiVersion: v1
      kind: Service
      metadata:
        name: api
      spec:
        ports:
        - port: 8443
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata:
        name: api-tls
        creationTimestamp: "2025-01-01T00:00:00Z"
      spec:
        targetRefs:
        - group: ""
          kind: Service
          name: api
        validation:
          hostname: api.internal
          wellKnownCACertificates: System
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: BackendTLSPolicy
      metadata:
        name: api-tls-new
        creationTimestamp: "2025-02-01T00:00:00Z"
      spec:
        targetRefs:
        - group: ""
          kind: Service
          name: api
        validation:
          hostname: api.example.internal
          wellKnownCACertificates: System
    `),
    source: 'Gateway API: policy attachment conflicts (GEP-713), BackendTLSPolicy (GEP-1897)',
  },
  {
    id: 'passthrough-certificate-refs', category: 'practice', defaultSeverity: 'warning',
    description: 'certificateRefs on a Passthrough listener are ignored.',
    why: 'In Passthrough mode the gateway forwards the encrypted stream and the backend presents its own certificate; the certificate named here is never used, which usually means the author expected the gateway to terminate TLS.',
    fix: 'Remove `certificateRefs`, or use `mode: Terminate` if the gateway should present this certificate.',
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
            mode: Passthrough
            certificateRefs:
            - name: app-cert
    `),
    source: 'Gateway API: ListenerTLSConfig.Mode',
  },
]
