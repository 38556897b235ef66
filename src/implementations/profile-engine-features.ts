/**
 * An implementation profile → the engine switches it sets (pure). A
 * feature the report declares unsupported turns its switch off; a feature
 * it does not report keeps gwctl's default (the finding says the behaviour
 * is unknown); a documented fact (implementation-facts.ts) sets its switch.
 */
import type {EngineFeatures} from '../gatewayapi/binding.js'
import {listImplementationFacts} from './implementation-facts.js'
import type {ImplementationProfile} from './implementation-profile.js'

export function profileEngineFeatures(profile: ImplementationProfile | undefined): Partial<EngineFeatures> {
  if (profile === undefined) return {}
  const features: Partial<EngineFeatures> = {}
  if (profile.support('TLSRouteModeMixed') === 'unsupported') features.mixedTlsModes = false
  if (profile.support('TLSRouteModeTerminate') === 'unsupported') features.tlsRouteOnTerminate = false
  if (profile.support('GatewayPort8080') === 'unsupported') features.port8080 = false
  for (const fact of listImplementationFacts(profile.name)) features[fact.switch] = fact.value
  return features
}
