import {cliCommand} from '../shared/cli-command.js';
import {homedir} from 'node:os';
import {isAvailable} from '../contract/status.js';
import type {Memory} from '../platform/os-processes.js';
import type {ServerDetail, SessionRow, Status} from '../lifecycle/status-report.js';
import {plural} from '../shared/plural.js';
import {renderTable, wrapText} from './table.js';

export function duration(seconds: number): string {
	if (seconds < 120) {
		return `${seconds}s`;
	}

	if (seconds < 7200) {
		return `${Math.round(seconds / 60)}m`;
	}

	return seconds < 172_800 ? `${Math.round(seconds / 3600)}h` : `${Math.round(seconds / 86_400)}d`;
}

function since(iso: string | null): string {
	return iso === null ? '-' : duration(Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)));
}

function megabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** PSS when the kernel lets us read it (it is what the process really costs), else RSS, marked. */
function memoryCell(memory: Memory | null): string {
	if (memory === null) {
		return '-';
	}

	return memory.pss === null ? `${megabytes(memory.rss)} RSS` : megabytes(memory.pss);
}

/** A server, and for a project's instance its project. */
function where(server: ServerDetail): string {
	return server.project ? `${server.name} in ${home(server.project)}` : server.name;
}

function home(path: string | null): string {
	if (path === null) {
		return '-';
	}

	const dir = homedir();
	return path === dir || path.startsWith(`${dir}/`) ? `~${path.slice(dir.length)}` : path;
}

function daemonLines(status: Status): string[] {
	const measured = status.memory ?? (status.rss === null ? null : {rss: status.rss, pss: null, processes: 1});
	const memory =
		measured === null
			? '-'
			: measured.pss === null
				? `${megabytes(measured.rss)} RSS`
				: `${megabytes(measured.pss)} PSS (${megabytes(measured.rss)} RSS)`;
	const rows: Array<[string, string]> = [
		['pid', `${status.pid} (up ${status.uptime === null ? since(status.startedAt) : duration(status.uptime)})`],
		['endpoint', `${status.url} (port ${status.port})`],
		['version', `${status.version ?? '-'}, routing ${status.routing ?? '-'}`],
		['memory', memory],
		['config', status.configFile ?? '-'],
		['log', status.logFile],
		['token', status.tokenFile],
	];
	return rows.map(([key, value]) => `  ${key.padEnd(9)} ${value}`);
}

/** Notes under a table, wrapped to the width like the table itself. */
function notes(texts: string[], width: number): string[] {
	return texts.flatMap(text => wrapText(text, Math.max(width - 4, 40)).map((line, index) => `${index === 0 ? '  ' : '    '}${line}`));
}

function count(rows: readonly SessionRow[], state: SessionRow['state']): number {
	return rows.filter(row => row.state === state).length;
}

function sessionLines(rows: readonly SessionRow[], width: number): string[] {
	if (rows.length === 0) {
		return ['Sessions: none'];
	}

	const counts = (['live', 'idle', 'lingering'] as const)
		.filter(state => count(rows, state) > 0)
		.map(state => `${count(rows, state)} ${state}`);
	const table = renderTable(
		['CLIENT PID', 'CLIENT', 'SINCE', 'STATE', 'PROJECT'],
		rows.map(row => [String(row.clientPid ?? '-'), row.client ?? '-', since(row.since), row.state, home(row.projectDir)]),
		{width, flex: {column: 4, mode: 'cut-start'}},
	);
	const legend = [
		...rows.flatMap(row => {
			const said = [
				...(row.dropped > 0 ? [`${plural(row.dropped, 'notification')} dropped while it was not reading`] : []),
				...(row.oversized > 0 ? [`${plural(row.oversized, 'message')} over the size limit`] : []),
			];
			return said.length === 0 ? [] : [`client pid ${row.clientPid ?? '-'}: ${said.join(', ')}.`];
		}),
		...(count(rows, 'idle') > 0 ? ['idle: its client holds no connection now; the daemon drops it after a while without requests'] : []),
		...(count(rows, 'lingering') > 0 ? ['lingering: registered by a Claude Code session hook, with no bridge connected now'] : []),
	];
	return [`Sessions (${counts.join(', ')}):`, table.text, ...notes(legend, width)];
}

/**
 * What sharing and idling save now: the server processes and memory in use, against one copy of
 * every stdio server per session, priced at the memory of the servers that do run.
 */
function savings(servers: readonly ServerDetail[], sessions: number): string[] {
	const stdio = servers.filter(server => server.transport === 'stdio' && server.state !== 'invalid');
	const running = stdio.filter(server => server.memory !== null);
	if (stdio.length === 0 || sessions === 0) {
		return [];
	}

	const used = running.reduce((total, server) => total + memoryBytes(server.memory!), 0);
	const alone = stdio.length * sessions;
	const estimate = running.length > 0 ? `, about ${megabytes((used / running.length) * alone)}` : '';
	return [
		`Sharing: ${running.length} of ${plural(stdio.length, 'stdio server')} running (${megabytes(used)}) for ` +
			`${plural(sessions, 'session')}; one copy per session would be ${plural(alone, 'process', 'processes')}${estimate}.`,
	];
}

function memoryBytes(memory: Memory): number {
	return memory.pss ?? memory.rss;
}

function serverLines(servers: readonly ServerDetail[], width: number, sessions: number): string[] {
	if (servers.length === 0) {
		return ['Servers: none configured'];
	}

	const withProject = servers.some(server => server.project !== null && server.project !== undefined);
	const headers = [
		'NAME',
		'SCOPE',
		...(withProject ? ['PROJECT'] : []),
		'STATE',
		'USED',
		'PID',
		'MEMORY',
		'TOOLS',
		'RESTARTS',
		'LAST ERROR',
	];
	const rows = servers.map(server => [
		server.name,
		server.scope ?? '-',
		...(withProject ? [home(server.project ?? null)] : []),
		server.state,
		since(server.lastUsed),
		String(server.pid ?? '-'),
		memoryCell(server.memory),
		String(server.tools),
		String(server.restarts),
		server.lastError ?? '',
	]);
	const table = renderTable(headers, rows, {width, flex: {column: headers.length - 1, mode: 'wrap', maxLines: 3}});
	const idle = servers.filter(server => server.state === 'idle');
	const failing = servers.find(server => !isAvailable(server) && server.state !== 'invalid' && server.transport === 'stdio');
	// Under the table, not in it: a sentence would take the width the errors need. Instances of one entry share its description.
	const described = new Map(servers.flatMap(server => (server.description ? [[server.name, server.description] as const] : [])));
	const texts = [
		...[...described].map(([name, description]) => `${name}: ${description}`),
		...servers.flatMap(server => {
			const said = [
				...(server.oversized > 0 ? [`${plural(server.oversized, 'message')} over the size limit (each restarted it)`] : []),
				...(server.invalid > 0 ? [`${plural(server.invalid, 'line or reply', 'lines or replies')} that were not valid JSON-RPC`] : []),
			];
			return said.length === 0 ? [] : [`${server.name}: ${said.join('; ')} since the daemon started.`];
		}),
		...servers.flatMap(({name, turns}) =>
			turns.serializes
				? [
						`${name}: takes calls from one session at a time (it asks its clients questions); ` +
							`${plural(turns.waits, 'call')} waited for another session's, ${turns.waitedMs} ms in all.`,
					]
				: [],
		),
		...(servers.some(server => server.memory !== null)
			? [
					'MEMORY: of the server and the processes it started; PSS (shared pages split among their sharers) ' +
						'where the system has it (Linux), else RSS, marked "RSS".',
				]
			: []),
		...savings(servers, sessions),
		...(idle.length > 0
			? [
					'idle: stopped until its next use, which starts it again; sessions see its tools meanwhile, as it listed them ' +
						`(${idle.map(server => `${where(server)} ${since(server.catalogFrom)} ago`).join(', ')}).`,
				]
			: []),
		...(servers.some(server => server.lastUsed !== null) ? ['USED: how long ago a session last sent it a request.'] : []),
		...(table.cut ? [`Errors cut short: \`${cliCommand('daemon status --json')}\` has them whole.`] : []),
		...(failing
			? [
					`A server's own error output: \`${cliCommand(`daemon logs --server ${failing.name}`)}\`; ` +
						`\`${cliCommand('doctor')}\` starts each server and shows it.`,
				]
			: []),
	];
	return [`Servers (${servers.length}):`, table.text, ...notes(texts, width)];
}

/** `daemon status` for people: the daemon, then its sessions and servers as tables `width` wide. */
export function formatStatus(status: Status, width = 120): string {
	if (!status.running) {
		const stale = status.pid === null ? '' : ` (pid ${status.pid} exists but does not answer; see ${status.logFile})`;
		const lingering = status.sessionList.length === 0 ? [] : ['', ...sessionLines(status.sessionList, width)];
		return [
			`mcp-tooling daemon "${status.name}": not running${stale}.`,
			`Start it with \`${cliCommand('daemon start')}\`; sessions start it by themselves.`,
			...lingering,
			'',
		].join('\n');
	}

	const duplicates = status.duplicates.flatMap(duplicate => [
		`Duplicate: ${duplicate.file} declares "${duplicate.name}", which this daemon serves as "${duplicate.sharedAs}": ` +
			'Claude Code runs a second copy.',
		`  remove it: ${duplicate.fix}`,
	]);
	const configError =
		status.configError === null
			? []
			: ['', 'Config: the latest edit was not applied; the daemon runs the config it had before.', ...notes([status.configError], width)];
	return [
		`mcp-tooling daemon "${status.name}": running`,
		...daemonLines(status),
		...configError,
		'',
		...sessionLines(status.sessionList, width),
		'',
		...serverLines(status.servers, width, status.sessionList.length),
		...(duplicates.length > 0 ? ['', ...duplicates] : []),
		'',
	].join('\n');
}
