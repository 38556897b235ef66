/**
 * What the gateway does with an HTTP request once the engine has decided
 * (decide.ts), the same for HTTP/1.1, HTTP/2 and upgrades: answer it itself
 * — the engine's redirect, its gRPC status (GRPCRoute: 12 no route), its HTTP
 * status (404, 421, 500), or the failure of a backend share it cannot send
 * (unmapped: 503 / gRPC 14; invalid: the engine's status for that share) —
 * or forward it to the backend picked by weight (`random` in [0, 1)).
 * `grpc: false` (upgrades) answers in HTTP statuses only.
 */
import {pickBackend, type Decision, type DecidedBackend} from '../gatewayapi/decide.js'
import type {BackendTarget, BackendTargets} from './backend-targets.js'

/** gRPC UNAVAILABLE: what a GRPCRoute share the gateway cannot send answers. */
export const GRPC_UNAVAILABLE = 14

export type RequestAnswer =
  | {kind: 'redirect'; statusCode: number; location: string}
  | {kind: 'grpc'; code: number; outcome: string; reason: string; backend?: string}
  | {kind: 'status'; status: number; outcome: string; reason: string; backend?: string}
  | {kind: 'forward'; backend: DecidedBackend; target: BackendTarget}

export function settleRequestAnswer(decision: Decision, targets: BackendTargets, options: {random: number; search: string; grpc: boolean}): RequestAnswer {
  if (decision.redirect !== undefined) return {kind: 'redirect', statusCode: decision.redirect.statusCode, location: `${decision.redirect.location}${options.search}`}
  if (options.grpc && decision.grpcStatus !== undefined) return {kind: 'grpc', code: decision.grpcStatus, outcome: 'no-route', reason: decision.reason}
  if (decision.httpStatus !== undefined || !decision.matched) return {kind: 'status', status: decision.httpStatus ?? 500, outcome: 'no-route', reason: decision.reason}
  const chosen = pickBackend(decision.backends, options.random)
  const choice = chosen === undefined ? undefined : targets.choose(chosen)
  if (chosen !== undefined && choice?.refusal === undefined && choice?.target !== undefined) return {kind: 'forward', backend: chosen, target: choice.target}
  const refused = choice?.refusal === undefined ? undefined : choice
  const refusal = refused?.refusal ?? 'no-backend'
  const reason = refused?.reason ?? decision.reason
  const backend = refused?.key
  // The engine decides what an invalid backend's share gets (its failure); serve adds 503 for an unmapped one.
  if (options.grpc && decision.route?.route.kind === 'GRPCRoute') return {kind: 'grpc', code: chosen?.failure?.grpcStatus ?? GRPC_UNAVAILABLE, outcome: refusal, reason, backend}
  return {kind: 'status', status: refusal === 'unmapped-backend' ? 503 : chosen?.failure?.status ?? 500, outcome: refusal, reason, backend}
}
