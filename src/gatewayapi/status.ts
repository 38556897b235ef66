/**
 * Status projection: the exact Gateway API `status` a conformant controller
 * would write for each object, computed from the Binding. Keys are in
 * alphabetical order, as the API server returns them (`kubectl get -o yaml`),
 * so a user can diff gwctl's output against a cluster's. `now` is injected
 * (lastTransitionTime); observedGeneration is the object's generation.
 */
import {GATEWAY_GROUP, type ObjectMeta} from '../model/types.js'
import type {Binding, ListenerBinding} from './binding.js'
import {type Condition} from './conditions.js'

export type StatusObject = Record<string, unknown>

export interface StatusOptions {
  now: Date
  /**
   * The features the playing controller publishes in GatewayClass
   * `status.supportedFeatures` (an implementation profile's report);
   * undefined: gwctl writes none, as it plays no real controller.
   */
  supportedFeatures?: readonly string[]
}

/** GatewayClass status.supportedFeatures: sorted by name (the CRD requires it), at most 64 entries (its maxItems). */
const MAX_SUPPORTED_FEATURES = 64

function renderConditions(conditions: readonly Condition[], meta: ObjectMeta, now: string): StatusObject[] {
  return conditions.map((condition) => ({
    lastTransitionTime: now,
    message: condition.message,
    observedGeneration: meta.generation,
    reason: condition.reason,
    status: condition.status,
    type: condition.type,
  }))
}

function renderListener(listener: ListenerBinding, now: string): StatusObject {
  return {
    attachedRoutes: listener.attachedRoutes,
    conditions: renderConditions(listener.conditions, listener.owner.meta, now),
    name: listener.spec.name,
    supportedKinds: listener.supportedKinds.map((kind) => ({group: kind.group, kind: kind.kind})),
  }
}

/** Status of every object gwctl writes status for, keyed by `meta.id`. */
export function projectStatus(binding: Binding, options: StatusOptions): Map<number, StatusObject> {
  const now = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const out = new Map<number, StatusObject>()

  for (const gatewayClass of binding.gatewayClasses) {
    const status: StatusObject = {conditions: renderConditions(gatewayClass.conditions, gatewayClass.gatewayClass.meta, now)}
    if (options.supportedFeatures !== undefined) {
      status.supportedFeatures = [...options.supportedFeatures].sort().slice(0, MAX_SUPPORTED_FEATURES).map((name) => ({name}))
    }
    out.set(gatewayClass.gatewayClass.meta.id, status)
  }

  for (const gateway of binding.gateways) {
    const status: StatusObject = {}
    const {meta} = gateway.gateway
    if (gateway.listenerSets.length > 0 || gateway.gateway.allowedListeners.namespaces.from !== 'None') {
      status.attachedListenerSets = gateway.attachedListenerSets
    }
    status.conditions = renderConditions(gateway.conditions, meta, now)
    status.listeners = gateway.listeners.map((listener) => renderListener(listener, now))
    out.set(meta.id, status)
  }

  for (const listenerSet of binding.listenerSets) {
    const {meta} = listenerSet.listenerSet
    out.set(meta.id, {
      conditions: renderConditions(listenerSet.conditions, meta, now),
      listeners: listenerSet.listeners.map((listener) => renderListener(listener, now)),
    })
  }

  for (const route of binding.routes) {
    out.set(route.route.meta.id, {
      parents: route.parents.map((parent) => ({
        conditions: renderConditions(parent.conditions, route.route.meta, now),
        controllerName: parent.gateway.controllerName,
        parentRef: parent.ref.echo,
      })),
    })
  }

  for (const policy of binding.policies) {
    const {meta} = policy.policy
    out.set(meta.id, {
      ancestors: policy.ancestors.map((gateway) => ({
        ancestorRef: {group: GATEWAY_GROUP, kind: 'Gateway', name: gateway.gateway.meta.name, namespace: gateway.gateway.meta.namespace},
        conditions: renderConditions(policy.conditions, meta, now),
        controllerName: gateway.controllerName,
      })),
    })
  }
  return out
}
