import type {Status} from '../lifecycle/daemon-status.js';

function table(headers: string[], rows: string[][]): string {
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map(row => (row[column] ?? '').length)));
	const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
	return [line(headers), ...rows.map(row => line(row))].map(text => `  ${text}`).join('\n');
}

function since(iso: string | null): string {
	if (!iso) {
		return '-';
	}

	const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
	return seconds < 120 ? `${seconds}s` : seconds < 7200 ? `${Math.round(seconds / 60)}m` : `${Math.round(seconds / 3600)}h`;
}

/** `daemon status` for people: the daemon, then its sessions and servers as tables. */
export function formatStatus(status: Status): string {
	if (!status.running) {
		const stale = status.pid === null ? '' : ` (pid ${status.pid} exists but does not answer; see ${status.logFile})`;
		return `mcp-tooling daemon "${status.name}": not running${stale}.\nStart it with \`mcp-tooling daemon start\`; sessions start it by themselves.\n`;
	}

	const memory = status.rss === null ? '-' : `${Math.round(status.rss / 1024 / 1024)} MB`;
	const lines = [
		`mcp-tooling daemon "${status.name}": running, pid ${status.pid}, up ${since(status.startedAt)}, ${status.url}`,
		`  version ${status.version}, routing ${status.routing}, memory ${memory}, config ${status.configFile}`,
		'',
		`Sessions (${status.sessions}):`,
		status.clients.length === 0
			? '  none'
			: table(
					['SESSION', 'CLIENT', 'CLIENT PID', 'PROJECT', 'SINCE', 'STATE'],
					status.clients.map(client => [client.id.slice(0, 8), client.client ?? '-', String(client.clientPid ?? '-'), client.projectDir ?? '-', since(client.since), client.connected ? 'live' : 'idle']),
				),
		'',
		`Servers (${status.servers.length}):`,
		status.servers.length === 0
			? '  none configured'
			: table(
					['NAME', 'STATE', 'PID', 'TOOLS', 'RESTARTS', 'LAST ERROR'],
					status.servers.map(server => [server.name, server.state, String(server.pid ?? '-'), String(server.tools), String(server.restarts), server.lastError ?? '']),
				),
	];
	return `${lines.join('\n')}\n`;
}
