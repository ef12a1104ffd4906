import {cliCommand} from '../shared/cli-command.js';
import {setTimeout as sleep} from 'node:timers/promises';
import {isAvailable, type ServerStatus} from '../contract/status.js';
import type {DaemonState} from '../contract/state-file.js';
import {fetchStatus} from '../lifecycle/status-client.js';
import {statusRedactor} from '../lifecycle/status-report.js';
import type {Redactor} from '../shared/log.js';
import {plural} from '../shared/plural.js';
import {outputWidth} from './table.js';

export type ProgressOptions = {
	readonly timeoutMs: number;
	readonly intervalMs?: number;
	readonly out?: NodeJS.WriteStream;
	/** One line rewritten in place (a terminal), or a line per change (a log, a pipe). */
	readonly live?: boolean;
};

/** What the wait found: servers still starting at the deadline are `pending`. */
export type Progress = {servers: ServerStatus[]; pending: string[]; answered: boolean};

/** Instances of one project server share its name. */
function label(server: ServerStatus): string {
	return server.project ? `${server.name} (${server.project})` : server.name;
}

function describe(server: ServerStatus, redactor: Redactor): string {
	if (isAvailable(server)) {
		return `${server.state === 'idle' ? 'idle (starts on first use)' : 'ready'}, ${plural(server.tools, 'tool')}`;
	}

	return server.lastError ? `${server.state}: ${redactor.text(server.lastError)}` : server.state;
}

function liveLine(servers: ServerStatus[], settled: Set<string>, elapsed: number, width: number): string {
	const ready = servers.filter(isAvailable);
	const starting = servers.filter(server => !settled.has(label(server)));
	const failed = servers.filter(server => settled.has(label(server)) && !isAvailable(server));
	const parts = [
		`servers ${ready.length}/${servers.length} ready`,
		...(starting.length > 0 ? [`starting: ${starting.map(label).join(', ')} (${Math.round(elapsed / 1000)}s)`] : []),
		...(failed.length > 0 ? [`not ready: ${failed.map(server => `${label(server)} ${server.state}`).join(', ')}`] : []),
	];
	const line = `  ${parts.join(' · ')}`;
	return line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
}

function summary(servers: ServerStatus[], pending: string[], redactor: Redactor): string[] {
	if (servers.length === 0) {
		return [];
	}

	const ready = servers.filter(isAvailable);
	const failed = servers.filter(server => !isAvailable(server) && !pending.includes(label(server)));
	const tools = ready.reduce((total, server) => total + server.tools, 0);
	if (ready.length === servers.length) {
		const idle = ready.filter(server => server.state === 'idle').length;
		const lazily = idle === 0 ? '' : idle === ready.length ? ', idle until first use' : `, ${idle} of them idle until first use`;
		return [`All ${plural(servers.length, 'server')} ${idle === 0 ? 'ready' : 'available'} (${tools} tools${lazily}).`];
	}

	return [
		`${ready.length} of ${servers.length} servers ready (${tools} tools).`,
		...failed.map(server => `  ${label(server)}: ${describe(server, redactor)}`),
		...(pending.length > 0 ? [`Still starting: ${pending.join(', ')}; \`${cliCommand('daemon status')}\` shows when they are up.`] : []),
		...(failed.length > 0 ? [`\`${cliCommand('doctor')}\` starts each server by itself and shows its error output.`] : []),
	];
}

/**
 * After the daemon answers, its servers may take seconds more (npx downloads, slow inits): polls
 * `/status` until each has left `starting` once, or the deadline. A server that failed counts as
 * done: it is in backoff and will retry, perhaps for a long time.
 */
export async function waitForServers(state: DaemonState, token: string, options: ProgressOptions): Promise<Progress> {
	const out = options.out ?? process.stdout;
	const live = options.live ?? Boolean(out.isTTY);
	const width = outputWidth(out);
	const redactor = statusRedactor(token);
	const began = Date.now();
	const settled = new Set<string>();
	const shown = new Map<string, string>();
	let servers: ServerStatus[] = [];
	let answered = true;
	let drawn = false;
	for (;;) {
		const status = await fetchStatus(state, token).catch(() => undefined);
		if (!status) {
			answered = false;
			break;
		}

		servers = status.servers;
		for (const server of servers.filter(server => server.state !== 'starting')) {
			settled.add(label(server));
		}

		if (live) {
			out.write(`\r\u001B[2K${liveLine(servers, settled, Date.now() - began, width)}`);
			drawn = true;
		} else {
			for (const server of servers) {
				const text = describe(server, redactor);
				if (shown.get(label(server)) !== text) {
					shown.set(label(server), text);
					out.write(`  ${label(server)}: ${text}\n`);
				}
			}
		}

		if (servers.every(server => settled.has(label(server))) || Date.now() - began >= options.timeoutMs) {
			break;
		}

		await sleep(options.intervalMs ?? 200);
	}

	if (drawn) {
		out.write('\r\u001B[2K');
	}

	const pending = servers.filter(server => !settled.has(label(server))).map(label);
	const lines = answered
		? summary(servers, pending, redactor)
		: [`The daemon stopped answering while its servers started; see \`${cliCommand('daemon logs')}\`.`];
	out.write(lines.map(line => `${line}\n`).join(''));
	return {servers, pending, answered};
}
