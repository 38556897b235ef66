/**
 * The JSON Schema of a gwctl test file (`*.gwctl-test.yaml`, kind
 * RoutingTests), draft 2020-12 as ajv reads it: the shape of every test,
 * request and expectation (src/testing/routing-test.ts), closed objects so
 * a misspelled key is an error (with a did-you-mean), backends written
 * NS/NAME:PORT and routes `KIND NS/NAME`; a file-wide `backendHeader`
 * (an HTTP field name) for `--live` and `--target`. Checks that need more than the
 * shape (percentages summing to 100, a Gateway and port that exist) are in
 * check-routing-tests.ts.
 */

const NAME = '[a-z0-9]([-a-z0-9.]*[a-z0-9])?'
/** NS/NAME:PORT */
export const BACKEND_PATTERN = `^${NAME}/${NAME}:[0-9]{1,5}$`
/** `KIND NS/NAME`, e.g. `HTTPRoute web/shop` */
export const ROUTE_PATTERN = `^[A-Z][A-Za-z]*Route ${NAME}/${NAME}$`
/** `NS/NAME` of a Gateway (or NAME, in the default namespace). */
export const GATEWAY_PATTERN = `^(${NAME}/)?${NAME}$`

export const TEST_PROTOCOLS = ['tls', 'https', 'http', 'grpc', 'tcp', 'udp'] as const

export const REQUEST_KEYS = ['gateway', 'port', 'protocol', 'sni', 'host', 'path', 'method', 'headers', 'clientCertificate'] as const
export const EXPECT_KEYS = ['backend', 'backends', 'refused', 'status', 'redirect', 'grpcStatus', 'listener', 'route', 'certificate', 'headers'] as const
export const TEST_KEYS = ['name', 'request', 'expect'] as const
export const FILE_KEYS = ['kind', 'backendHeader', 'tests'] as const
export const CERTIFICATE_KEYS = ['covers', 'secret', 'validDaysAtLeast'] as const

/** TLS alerts a client can observe (RFC 8446 §6), and `closed` for a connection closed without one. */
export const REFUSALS = [
  'closed', 'unrecognized_name', 'handshake_failure', 'internal_error', 'certificate_required', 'bad_certificate', 'unknown_ca', 'certificate_expired',
  'access_denied', 'protocol_version', 'no_application_protocol', 'decode_error', 'illegal_parameter', 'unsupported_certificate', 'certificate_unknown',
] as const

/** An HTTP field name (RFC 9110 token). */
export const HEADER_NAME_PATTERN = '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$'

const headerMap = {
  type: 'object',
  propertyNames: {pattern: HEADER_NAME_PATTERN},
  additionalProperties: {type: 'string'},
}

export const ROUTING_TESTS_SCHEMA = {
  type: 'object',
  required: ['kind', 'tests'],
  additionalProperties: false,
  properties: {
    kind: {const: 'RoutingTests'},
    backendHeader: {
      type: 'string', pattern: HEADER_NAME_PATTERN,
      description: 'The response header (gRPC initial metadata) in which a backend names itself as NAMESPACE/NAME:PORT, for the tests of this file with --live and --target; wins over --backend-header. Offline it has no effect.',
    },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'request', 'expect'],
        additionalProperties: false,
        properties: {
          name: {type: 'string', minLength: 1},
          request: {
            type: 'object',
            required: ['port'],
            additionalProperties: false,
            properties: {
              gateway: {oneOf: [
                {type: 'string', pattern: GATEWAY_PATTERN},
                {type: 'object', required: ['namespace', 'name'], additionalProperties: false, properties: {namespace: {type: 'string', minLength: 1}, name: {type: 'string', minLength: 1}}},
              ]},
              port: {type: 'integer', minimum: 1, maximum: 65_535},
              protocol: {enum: [...TEST_PROTOCOLS]},
              sni: {type: 'string'},
              host: {type: 'string', minLength: 1},
              path: {type: 'string', pattern: '^/'},
              method: {type: 'string', pattern: '^[A-Za-z]+$'},
              headers: headerMap,
              clientCertificate: {
                type: 'object', required: ['certificate', 'key'], additionalProperties: false,
                properties: {certificate: {type: 'string', minLength: 1}, key: {type: 'string', minLength: 1}},
              },
            },
          },
          expect: {
            type: 'object',
            minProperties: 1,
            additionalProperties: false,
            properties: {
              backend: {type: 'string', pattern: BACKEND_PATTERN},
              backends: {
                type: 'object', minProperties: 1,
                propertyNames: {pattern: BACKEND_PATTERN},
                additionalProperties: {type: 'number', minimum: 0, maximum: 100},
              },
              refused: {enum: [...REFUSALS]},
              status: {type: 'integer', minimum: 100, maximum: 599},
              redirect: {type: 'string', minLength: 1},
              grpcStatus: {type: 'integer', minimum: 0, maximum: 16},
              listener: {type: 'string', minLength: 1},
              route: {type: 'string', pattern: ROUTE_PATTERN},
              certificate: {
                type: 'object', minProperties: 1, additionalProperties: false,
                properties: {covers: {type: 'boolean'}, secret: {type: 'string', pattern: `^${NAME}/${NAME}$`}, validDaysAtLeast: {type: 'integer', minimum: 0}},
              },
              headers: headerMap,
            },
          },
        },
      },
    },
  },
} as const
