/**
 * CEL expressions of the bundled CRDs, parsed ahead of time: the built CLI
 * carries each expression's AST (cel.expr.ParsedExpr, protobuf binary,
 * base64) so a run decodes it instead of running the CEL parser, which costs
 * more start-up time than anything else in validation. scripts/build-cli.ts
 * fills the table (GWCTL_PARSED_CEL) with encodeParsedExpression over
 * listCelExpressions of every schema; from source (tests, bin/dev.js) the
 * table is empty and every expression is parsed. Parser and planner are the
 * same @bufbuild/cel either way, so both paths give the same program.
 */
import {fromBinary, toBinary} from '@bufbuild/protobuf'
import {ParsedExprSchema, type ParsedExpr} from '@bufbuild/cel-spec/cel/expr/syntax_pb.js'
import {parse} from '@bufbuild/cel'

declare const GWCTL_PARSED_CEL: Readonly<Record<string, string>> | undefined

const table: Readonly<Record<string, string>> = typeof GWCTL_PARSED_CEL === 'undefined' ? {} : GWCTL_PARSED_CEL

export function encodeParsedExpression(parsed: ParsedExpr): string {
  return Buffer.from(toBinary(ParsedExprSchema, parsed)).toString('base64')
}

export function decodeParsedExpression(encoded: string): ParsedExpr {
  return fromBinary(ParsedExprSchema, Buffer.from(encoded, 'base64'))
}

/** The expression's AST: from the table when it was parsed at build time, else parsed now (throws on a syntax error). */
export function parseCelExpression(expression: string): ParsedExpr {
  const encoded = Object.hasOwn(table, expression) ? table[expression] : undefined
  return encoded === undefined ? parse(expression) : decodeParsedExpression(encoded)
}

/** How many expressions the table holds (0 when running from source). */
export function countPrecompiledExpressions(): number {
  return Object.keys(table).length
}
