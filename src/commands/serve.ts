/**
 * `gwctl serve [PATHS...]`: flags → loadDataPlane → GatewayServer; prints
 * the ready lines, logs one line per connection or request, reloads on
 * --watch, and returns only after SIGINT/SIGTERM and a drain.
 */
import {setFlagsFromString} from 'node:v8'
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {CONFIG_FLAGS, loadCommandConfig} from '../cli/config-flags.js'
import {IMPLEMENTATION_FLAG, settleImplementation} from '../cli/implementation-flag.js'
import {parseDurationFlag} from '../cli/duration-flag.js'
import {parseAddressFlags} from '../cli/address-flag.js'
import {parseGatewayFlag} from '../cli/gateway-flag.js'
import {GwctlCommand} from '../cli/gwctl-command.js'
import type {ExitCodes} from '../cli/help.js'
import {manifestInputFlags, readManifestInputFlags} from '../cli/manifest-input-flags.js'
import {settlePipelineOptions} from '../config/apply-config.js'
import {UserError} from '../errors/user-error.js'
import {AccessLog, type LogFormat} from '../serve/access-log.js'
import {GatewayServer} from '../serve/gateway-server.js'
import {loadDataPlane, type ServeInputs} from '../serve/load-data-plane.js'
import {parsePortMapping} from '../serve/port-plan.js'
import {checkReadyFile, describeGatewayAddresses, formatReadyLines, writeReadyFile, type ReadyReport} from '../serve/ready-report.js'
import {StubBackends, formatStubLines} from '../serve/stub-backends/stub-backends.js'
import {watchInputs} from '../serve/watch-inputs.js'
import {runPoolWorker} from '../serve/pool-worker.js'
import {runWorkerPool} from '../serve/run-worker-pool.js'
import {onStopSignal} from '../serve/stop-on-signal.js'
import {isPoolWorker, parseWorkersFlag, refuseWorkerPool} from '../serve/worker-pool.js'

const MAX_CLIENT_HELLO_BYTES = 32 * 1024
const SEMI_SPACE_MIB = 32

export default class Serve extends GwctlCommand {
  static override summary = 'Run the manifests as a local gateway: TLS passthrough by SNI, termination, HTTP, TCP and UDP routing'

  static override description = `Binds one local socket per Gateway listener port and carries out what the binding engine decides (the same decisions as gwctl resolve): TLS Passthrough listeners read the ClientHello, pick the TLSRoute by SNI and pipe the untouched stream to the backend, so clients see the backend's own certificate; Terminate listeners present the certificate from the listener's Secret and route HTTPRoutes and GRPCRoutes (reverse proxy with keep-alive, header modifiers, redirects, URL rewrites, mirrors, X-Forwarded-*) or TLSRoutes/TCPRoutes (decrypted stream); HTTP and TCP listeners are served too. HTTPS listeners offer ALPN h2 and http/1.1, HTTP listeners take h2c with prior knowledge next to HTTP/1.1; GRPCRoute backends and Service ports with appProtocol kubernetes.io/h2c get HTTP/2, the others HTTP/1.1. gRPC trailers pass through; no matching GRPCRoute is a trailers-only grpc-status 12 (UNIMPLEMENTED), a failing backend grpc-status 14 (UNAVAILABLE). A BackendTLSPolicy re-encrypts to the backend, verifying its CA and hostname; a backend whose policy cannot be honoured (no valid CA certificate, unsupported settings) gets no traffic: HTTP 500, or a reset connection, never plaintext. Gateway spec.tls.frontend client-certificate validation is carried out on HTTPS and TLS Terminate listeners: AllowValidOnly closes a connection without a certificate the listener's CA verifies before reading from it; AllowInsecureFallback accepts it and the access log's clientCert field says what was presented.

Listener ports map to local ports with --port-map (0 = any free port) or --port-offset, since 443 needs root. Services map to local addresses with --backend or a --backends YAML file (ns/name:port: host:port); an unmapped backend is reported at start and its connections are refused with a log line. With --stub-backends, every referenced Service port that no --backend/--backends entry maps gets a built-in echo backend on 127.0.0.1 (listed at start and in the ready report's stubs) of the kind its routes need: HTTP/1.1, h2c and gRPC for HTTPRoute and GRPCRoute backends (answering 200 with x-gwctl-backend: NS/NAME:PORT and the request as JSON; gRPC echoes the message), TLS for Passthrough TLSRoute backends (a certificate for the route hostnames from the local CA in --stub-ca-dir, as certs create --for --backends issues it; then HTTP/1.1, h2 or TCP), TCP for TCPRoutes and Terminate TLSRoutes (the line gwctl-stub-backend NS/NAME:PORT, then an echo; HTTP is answered as HTTP), UDP for UDPRoutes; --watch re-plans them.

Every Gateway is served at once, each on its own loopback address, so Gateways whose listeners share a port do not conflict: a Gateway's spec.addresses when they are loopback IPs (127.0.0.0/8, ::1), otherwise 127.0.0.N handed out in namespace/name order (a lone Gateway gets 127.0.0.1), skipping addresses taken by spec.addresses or --address; the ready lines and report say which. --address NAMESPACE/NAME=ADDRESS (repeatable) places one Gateway; a bare --address ADDRESS places every Gateway not named, which works while no two of them share a port (::1 is the only IPv6 loopback address, so over IPv6 Gateways sharing a port cannot each have their own: use 127.0.0.N or --gateway). On macOS only 127.0.0.1 is configured: add others with sudo ifconfig lo0 alias 127.0.0.N up. A --backend or --port-map that matches no Service port a route references, or no listener port, is a usage error with a did-you-mean (a --backends file entry only a warning). The ExternalAuth and CORS filters are not served (reported at start); RequestMirror copies go to the mirror backend, whose answers are discarded.

A .gwctl.yaml (see gwctl lint --help) gives the defaults of --namespace and --gateway-class, and its exclude, channel, require-refs and rules; input the API server would reject is refused even where its rules turn the finding off.

A client whose SNI no listener takes gets a TLS unrecognized_name alert (a malformed ClientHello decode_error, a malformed HTTP request 400), and the connection is closed after a short linger; terminating listeners issue TLS session tickets (keys new at every reload; a session resumes only under the same certificate and client validation, and is routed by its new SNI), --no-tls-session-tickets makes every handshake full. HTTPS listeners offer ALPN h2 and http/1.1, HTTP listeners take h2c with prior knowledge besides HTTP/1.1, with the same routing, filters and log; the gateway speaks HTTP/2 to GRPCRoute backends and Service ports with appProtocol kubernetes.io/h2c. GRPCRoute traffic is matched by the engine, trailers pass through, and the gateway's own answers are trailers-only grpc-status 12 (no route) and 14 (failed backend). HTTP/1.1 upgrades (WebSocket) are routed like any request, forwarded with Connection/Upgrade, and piped both ways once the backend answers 101; a backend refusing the upgrade has its answer passed through. Invalid backends keep their share of traffic and fail it (connection reset, HTTP 500, gRPC 14). The command runs until SIGINT or SIGTERM, then stops accepting, drains open connections (--drain-timeout) and exits 0, at the latest one second after the drain timeout. A backend response that cannot be relayed (a bad status line or header) is a 502. With --workers N (auto: one per core), N processes accept on the same sockets: one ready report lists their PIDs, every access line names its worker, --watch reloads reach all of them, SIGINT/SIGTERM drain all, and a worker that dies is logged and replaced (UDP listeners and --stub-backends need --workers 1). Bad input exits 2; with --watch, a change is applied once the files have stayed unchanged for half a second (the watch survives the directory being replaced), and a broken change is reported while the last good configuration keeps serving.

UDP listeners (UDPRoute) keep a session per client address: the backend is chosen by weight once per session, the backend's replies come back from the listener's address, and a session ends after --udp-idle-timeout with no datagram either way (default 60s, the default of Envoy's UDP proxy, which Envoy Gateway programs for UDPRoutes), logged as one access line; beyond --udp-max-sessions, new clients' datagrams are dropped. At SIGINT/SIGTERM UDP sessions end at once: UDP has no connection to drain.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> fixtures/scenarios/https-termination --port-map 443=8443 --stub-backends --stub-ca-dir /tmp/gwctl-stubs',
    '<%= config.bin %> <%= command.id %> fixtures/scenarios/passthrough --port-map 443=8443 --backend default/app:443=127.0.0.1:9443',
    'curl --resolve app.example.com:8443:127.0.0.1 --cacert ca.crt https://app.example.com:8443/',
    '<%= config.bin %> <%= command.id %> manifests/ --port-offset 8000 --backends backends.yaml --watch --log-format json',
    '<%= config.bin %> <%= command.id %> manifests/ --port-map 443=0 --json --ready-file /tmp/gwctl-ready.json',
    '<%= config.bin %> <%= command.id %> fixtures/scenarios/https-termination fixtures/scenarios/passthrough --port-map 443=8443 --address passthrough/tls-passthrough=127.0.0.5',
  ]

  static exitCodes: ExitCodes = {
    0: 'stopped by SIGINT or SIGTERM after draining',
    2: 'usage error, unusable input, nothing to serve, or a local port that cannot be bound',
  }

  static override strict = false

  static override args = {
    paths: Args.string({description: 'files, directories (recursive), globs, or - for stdin (not with --watch); default: the current directory'}),
  }

  static override flags = {
    address: Flags.string({description: 'local address of the listener sockets: ADDRESS for every Gateway, or NAMESPACE/NAME=ADDRESS for one (repeatable); default: each Gateway its own loopback address', multiple: true}),
    'port-offset': Flags.integer({description: 'bind listener port P at local port P+N (e.g. 8000: 443 → 8443)', exclusive: ['port-map']}),
    'port-map': Flags.string({description: 'bind listener port at a local port, LISTENER_PORT=LOCAL_PORT; 0 = any free port (repeatable)', multiple: true}),
    backend: Flags.string({description: 'local address of a Service port, NAMESPACE/NAME:PORT=HOST:PORT (repeatable; wins over --backends)', multiple: true}),
    backends: Flags.string({description: 'YAML file mapping NAMESPACE/NAME:PORT to HOST:PORT'}),
    gateway: Flags.string({description: 'serve only this Gateway, NAMESPACE/NAME or NAME in --namespace (default: every Gateway, each on its own loopback address)'}),
    'gateway-class': Flags.string({description: 'bind only Gateways of this GatewayClass (repeatable; default: gateway-class in .gwctl.yaml)', multiple: true}),
    namespace: Flags.string({char: 'n', description: 'namespace of objects that do not set one (default: namespace in .gwctl.yaml, else default)'}),
    ...manifestInputFlags,
    watch: Flags.boolean({description: 'reload when the manifests or the --backends file change; a broken change keeps the last good configuration'}),
    'log-format': Flags.string({description: 'access log and event format', options: ['text', 'json'], default: 'text'}),
    output: Flags.string({char: 'o', description: 'ready report: text (one line per listener) or json (one JSON line)', options: ['text', 'json'], default: 'text'}),
    json: Flags.boolean({description: 'same as --output json'}),
    'ready-file': Flags.string({description: 'write the ready report (JSON) to this file once every socket is bound'}),
    'client-hello-timeout': Flags.string({description: 'time a client has to send its ClientHello (and TLS handshake, HTTP headers): 500ms, 10s, 1m', default: '10s'}),
    'connect-timeout': Flags.string({description: 'time to connect to a backend', default: '5s'}),
    'idle-timeout': Flags.string({description: 'close a connection with no data either way for this long (0: never): 90s, 5m, 1h', default: '5m'}),
    'drain-timeout': Flags.string({description: 'on SIGINT/SIGTERM, time open connections get to finish', default: '10s'}),
    'max-connections': Flags.integer({description: 'client connections held at once (per worker); beyond, new ones are reset', default: 10_000, min: 1}),
    'tls-session-tickets': Flags.boolean({description: 'terminating listeners issue TLS session tickets, so clients resume sessions (the default; keys are new at each reload); --no-tls-session-tickets: every handshake is full', allowNo: true}),
    'udp-idle-timeout': Flags.string({description: 'end a UDP session (one client address) with no datagram either way for this long (0: never); 60s as Envoy\'s UDP proxy (Envoy Gateway)', default: '60s'}),
    'udp-max-sessions': Flags.integer({description: 'UDP sessions held at once; beyond, datagrams of new clients are dropped', default: 10_000, min: 1}),
    'stub-backends': Flags.boolean({description: 'start a built-in echo backend on 127.0.0.1 for every referenced Service port that --backend/--backends do not map'}),
    'stub-ca-dir': Flags.string({description: 'local CA (ca.crt, ca.key; created if absent) for the TLS stubs\' certificates; default: a directory for this run, removed at exit', dependsOn: ['stub-backends']}),
    workers: Flags.string({description: 'processes sharing the listener sockets: a number, or auto (one per core)', default: '1'}),
    ...CONFIG_FLAGS,
    ...IMPLEMENTATION_FLAG,
  }

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Serve)
    const paths = argv.length === 0 ? ['.'] : argv as string[]
    if (flags.watch && paths.includes('-')) throw new UserError('usage', '--watch cannot reload stdin (-)', {hint: 'name the manifest files instead'})
    const workers = parseWorkersFlag(flags.workers)
    if (workers > 1 && paths.includes('-')) throw new UserError('usage', `--workers ${flags.workers} cannot share stdin (-): each worker reads the manifests`, {hint: 'name the manifest files instead'})
    const {stdinFilename} = readManifestInputFlags(paths, undefined, flags)
    const config = await loadCommandConfig(flags)
    const pipeline = {...settlePipelineOptions(flags, config), stdinFilename, implementation: await settleImplementation(flags.implementation, config)}
    const stubs = flags['stub-backends'] ? new StubBackends({caDir: flags['stub-ca-dir']}) : undefined
    const inputs: ServeInputs = {
      stubs,
      paths,
      pipeline,
      backendFlags: flags.backend ?? [],
      backendsFile: flags.backends,
      sessionTickets: flags['tls-session-tickets'] !== false,
      ports: {portOffset: flags['port-offset'], portMap: new Map((flags['port-map'] ?? []).map(parsePortMapping)), gateway: flags.gateway === undefined ? undefined : parseGatewayFlag(flags.gateway, pipeline.defaultNamespace),
        addresses: parseAddressFlags(flags.address ?? [], pipeline.defaultNamespace)},
    }
    const limits = {
      clientHelloTimeoutMs: parseDurationFlag(flags['client-hello-timeout'], 'client-hello-timeout', 's'),
      connectTimeoutMs: parseDurationFlag(flags['connect-timeout'], 'connect-timeout', 's'),
      idleTimeoutMs: parseDurationFlag(flags['idle-timeout'], 'idle-timeout', 's'),
      maxClientHelloBytes: MAX_CLIENT_HELLO_BYTES,
    }
    const udp = {idleTimeoutMs: parseDurationFlag(flags['udp-idle-timeout'], 'udp-idle-timeout', 's'), maxSessions: flags['udp-max-sessions']}
    const drainTimeoutMs = parseDurationFlag(flags['drain-timeout'], 'drain-timeout', 's')
    // A data plane allocates a little per connection and per read: a larger young
    // generation lets V8 free it in cheap scavenges instead of promoting it to major GCs
    // (measured with bench:serve: about half the CPU per 16 MiB passthrough transfer).
    setFlagsFromString(`--max-semi-space-size=${SEMI_SPACE_MIB}`)
    const fatalInternalErrors = process.env.GWCTL_SERVE_FATAL_INTERNAL_ERRORS === '1'
    if (isPoolWorker()) {
      await runPoolWorker({inputs, format: flags['log-format'] as LogFormat, drainTimeoutMs,
        gateway: {limits, maxConnections: flags['max-connections'], udp, fatalInternalErrors}})
    }
    const log = new AccessLog(process.stdout, flags['log-format'] as LogFormat)

    if (flags['ready-file'] !== undefined) await checkReadyFile(flags['ready-file'])
    const dataPlane = await loadDataPlane(inputs)
    if (workers > 1) {
      refuseWorkerPool(dataPlane, {stubBackends: stubs !== undefined})
      await runWorkerPool({count: workers, inputs, dataPlane, log, drainTimeoutMs, fatalInternalErrors, json: flags.json || flags.output === 'json',
        readyFile: flags['ready-file'], watch: flags.watch ? (flags.backends === undefined ? paths : [...paths, flags.backends]) : undefined})
      return
    }
    const gateway = new GatewayServer(dataPlane, {limits, maxConnections: flags['max-connections'], log, udp, fatalInternalErrors})
    // No input from a client or a backend may take the gateway down: what escapes every handler is logged and survived.
    process.on('uncaughtException', (error) => gateway.guard.report(error, 'uncaught exception'))
    process.on('unhandledRejection', (reason) => gateway.guard.report(reason, 'unhandled rejection'))
    let listeners
    try {
      listeners = await gateway.start()
    } catch (error) {
      await stubs?.stop()
      throw new UserError('usage', (error as Error).message, {hint: 'choose other local ports with --port-map or --port-offset'})
    }
    // Signal handlers first: a script may send SIGTERM as soon as it reads the ready line.
    let stopWatching: (() => void) | undefined
    let stopping = false
    let reloading = Promise.resolve()
    const stopped = onStopSignal(drainTimeoutMs, async (signal) => {
      stopping = true
      stopWatching?.()
      log.event('shutdown', `${signal}: no new connections; draining ${gateway.tracker.size} open ones for up to ${drainTimeoutMs} ms`)
      await reloading
      const {drained, destroyed} = await gateway.shutdown(drainTimeoutMs)
      await stubs?.stop()
      log.event('stopped', `${drained} connections finished, ${destroyed} closed at the drain timeout`)
      log.flush()
    }, () => log.flush())

    const ready: ReadyReport = {event: 'ready', pid: process.pid, gateways: describeGatewayAddresses(dataPlane.plan), listeners, warnings: [...dataPlane.describeProblems(), ...stubs?.describeSkipped() ?? []], ...await stubs?.report()}
    for (const warning of ready.warnings) log.event('warning', warning)
    if (flags['ready-file'] !== undefined) await writeReadyFile(flags['ready-file'], ready)
    log.flush()
    process.stdout.write(flags.json || flags.output === 'json' ? `${JSON.stringify(ready)}\n` : `${[...formatReadyLines(listeners), ...ready.stubs === undefined ? [] : formatStubLines(ready.stubs, ready.stubCa)].join('\n')}\n`)

    const reload = () => {
      reloading = reloading.then(async () => {
        try {
          const next = await loadDataPlane(inputs)
          const bound = await gateway.reload(next)
          const stubReport = await stubs?.report()
          log.event('reload', `configuration reloaded: ${bound.length} listeners on ${new Set(bound.map((entry) => entry.address)).size} sockets`, {listeners: bound, ...stubReport})
          const warnings = [...next.describeProblems(), ...stubs?.describeSkipped() ?? []]
          for (const warning of warnings) log.event('warning', warning)
          if (flags['ready-file'] !== undefined) await writeReadyFile(flags['ready-file'], {event: 'ready', pid: process.pid, gateways: describeGatewayAddresses(next.plan), listeners: bound, warnings, ...stubReport})
        } catch (error) {
          const message = error instanceof UserError && error.file !== undefined ? `${error.file}: ${error.message}` : (error as Error).message
          log.event('reload-rejected', `${message}; still serving the last good configuration`)
        }
      })
      return reloading
    }
    if (flags.watch) {
      stopWatching = await watchInputs(flags.backends === undefined ? paths : [...paths, flags.backends], () => void reload())
      if (stopping) stopWatching()
    }
    await stopped
  }
}
