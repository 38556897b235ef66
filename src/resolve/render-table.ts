/**
 * `gwctl resolve --table`: the routing table as aligned text columns
 * (port, gateway, listener, mode, hostname, route, match, backends,
 * certificate), or its rows as JSON. Rows that never receive traffic are
 * marked `(shadowed)` and explained below the table, naming who takes it.
 */
import type {RoutingTableRow} from '../gatewayapi/routing-table.js'

const HEADERS = ['PORT', 'GATEWAY', 'LISTENER', 'PROTOCOL', 'HOSTNAME', 'ROUTE', 'MATCH', 'BACKENDS', 'CERTIFICATE']

function describeRoute(row: RoutingTableRow): string {
  return row.route === undefined ? '-' : `${row.route.kind} ${row.route.namespace}/${row.route.name}${row.rule === undefined ? '' : ` #${row.rule}`}`
}

function describeShadowedRow(row: RoutingTableRow): string {
  const match = row.match === undefined ? '' : ` ${row.match.pathType} ${row.match.path}`
  return `shadowed: ${describeRoute(row)}${match} on ${row.gateway.namespace}/${row.gateway.name} listener ${row.listener} (port ${row.port}, ${row.hostname}) never receives traffic: ${row.shadowedBy?.why}`
}

/** `PathPrefix /api POST headers x-canary query v`: an HTTPRoute match as the table (and gwctl diff) shows it. */
export function describeMatch(match: NonNullable<RoutingTableRow['match']>): string {
  return [
    `${match.pathType} ${match.path}`,
    match.method ?? '',
    match.headers.length === 0 ? '' : `headers ${match.headers.join(',')}`,
    match.queryParams.length === 0 ? '' : `query ${match.queryParams.join(',')}`,
  ].filter(Boolean).join(' ')
}

function cellsOf(row: RoutingTableRow): string[] {
  const match = row.match === undefined ? '' : describeMatch(row.match)
  return [
    String(row.port),
    `${row.gateway.namespace}/${row.gateway.name}`,
    row.ready ? row.listener : `${row.listener} (not ready)`,
    row.mode === undefined ? row.protocol : `${row.protocol}/${row.mode}`,
    row.hostname,
    row.route === undefined ? '-' : `${describeRoute(row)}${row.shadowedBy === undefined ? '' : ' (shadowed)'}`,
    match || '-',
    row.backends.length === 0 ? '-' : row.backends.map((backend) => `${backend.namespace}/${backend.name}:${backend.port ?? '?'} ${backend.weight}%${backend.valid ? '' : ' (invalid)'}`).join(', '),
    row.certificate ?? '-',
  ]
}

export function renderRoutingTable(rows: readonly RoutingTableRow[]): string {
  if (rows.length === 0) return 'no Gateway listener in the input'
  const table = [HEADERS, ...rows.map(cellsOf)]
  const widths = HEADERS.map((_, column) => Math.max(...table.map((cells) => cells[column].length)))
  const lines = table.map((cells) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd())
  const shadowed = rows.filter((row) => row.shadowedBy !== undefined).map(describeShadowedRow)
  return [...lines, ...(shadowed.length === 0 ? [] : ['', ...shadowed])].join('\n')
}
