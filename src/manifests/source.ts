/**
 * What loading produces: every object found in the input, with the file it
 * came from and a way to point at any of its fields by line and column.
 * Later stages (schema, model, binding, lint) only ever see these types;
 * they never read files.
 */
import type {Finding} from '../findings/finding.js'
import type {FieldPath} from './field-path.js'

/** 1-based line and column, as editors and SARIF count them. */
export interface Position {
  line: number
  column: number
}

/**
 * One Kubernetes object as written by the user. For an item of a `kind: List`
 * document, `object` is the item and `locate` takes paths relative to it.
 */
export interface SourceObject {
  /** Path as the user gave it (relative to the working directory), or `<stdin>`. */
  file: string
  /** 0-based index of the YAML document in the file. */
  documentIndex: number
  /** Plain JSON value of the object (never mutated by later stages). */
  object: Record<string, unknown>
  apiVersion: string
  kind: string
  /** metadata.name, '' when absent. */
  name: string
  /** metadata.namespace, or the namespace default (`-n`, else `default`). */
  namespace: string
  /** True when metadata.namespace was written in the manifest. */
  namespaceExplicit: boolean
  /**
   * Position of the node at `path`, or of its nearest existing ancestor when
   * the field is absent (a missing field is reported at its parent's key).
   * For the empty path: the start of the object.
   */
  locate(path: FieldPath, target?: 'key' | 'value'): Position
}

/** A file loading left out: found by a walk or a glob but holding no Kubernetes object, or excluded by a pattern. */
export interface SkippedFile {
  file: string
  /** Why, e.g. `no apiVersion or kind in any document`. */
  reason: string
}

export interface LoadResult {
  /** Every object found, in input order (files sorted, documents in order). */
  objects: SourceObject[]
  /** Problems of category `input` (unreadable files, YAML errors, ...). */
  findings: Finding[]
  /** Number of files read (stdin counts as one), skipped files not included. */
  files: number
  /** Files left out, in input order. */
  skipped: SkippedFile[]
  /** True when an input was unusable as a whole (exit code 2). */
  fatal: boolean
}
