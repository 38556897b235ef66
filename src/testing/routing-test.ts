/**
 * A routing test as read from a *.gwctl-test.yaml file (kind: RoutingTests),
 * what an executor observed for its request, and the executor contract:
 * offline (the engine), live (traffic through gwctl serve) and target (a real
 * gateway) all answer the same question in the same shape.
 */
export type TestProtocol = 'tls' | 'https' | 'http' | 'grpc' | 'tcp' | 'udp'

export interface TestRequest {
  gateway?: {namespace: string; name: string}
  port: number
  /** Default: inferred from the listeners on the port. */
  protocol?: TestProtocol
  /** '' = no SNI; absent = the host (https/grpc) or none. */
  sni?: string
  host?: string
  path?: string
  method?: string
  headers?: Record<string, string>
  /** PEM files, relative to the test file. */
  clientCertificate?: {certificate: string; key: string}
}

export interface CertificateExpectation {covers?: boolean; secret?: string; validDaysAtLeast?: number}

export interface TestExpectation {
  /** NS/NAME:PORT */
  backend?: string
  /** NS/NAME:PORT -> percent */
  backends?: Record<string, number>
  /** TLS alert name (unrecognized_name, handshake_failure, ...) or `closed`. */
  refused?: string
  status?: number
  redirect?: string
  grpcStatus?: number
  listener?: string
  /** `KIND NS/NAME`, e.g. `HTTPRoute web/shop` */
  route?: string
  certificate?: CertificateExpectation
  /** Response headers that must be present with these values. */
  headers?: Record<string, string>
}

export interface RoutingTest {
  name: string
  request: TestRequest
  expect: TestExpectation
  /**
   * The file's `backendHeader` (lower case): the response header in which a
   * backend names itself, live and against a target; absent, the run's
   * `--backend-header`. Offline it has no effect.
   */
  backendHeader?: string
  /** Where the test is written: file and 1-based line/column of its `- name:` item. */
  location: {file: string; line: number; column: number}
}

export interface ObservedCertificate {covers: boolean; secret?: string; notAfter: string; subject: string; dnsNames: string[]}

export interface TestObservation {
  refused?: string
  listener?: string
  route?: string
  backend?: string
  backends?: Record<string, number>
  status?: number
  redirect?: string
  grpcStatus?: number
  certificate?: ObservedCertificate
  headers?: Record<string, string>
  /** Expectation keys this executor cannot observe, each with the reason. */
  notCheckable?: Record<string, string>
  /** Human-readable steps (resolve trace offline; connection log live). */
  trace: string[]
}

export type TestExecutor = (test: RoutingTest) => Promise<TestObservation>
