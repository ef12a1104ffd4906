import {request} from 'node:http';
import type {Paths} from '../config/paths.js';
import type {ServerStatus, SessionStatus} from '../daemon/daemon.js';
import {STATUS_PATH} from '../daemon/endpoint-paths.js';
import {readState, readToken, type DaemonState} from '../daemon/state.js';
import {liveDaemon} from './pid-file.js';
import {liveRegistrations, type Registration} from './registrations.js';

/** What the daemon itself reports on `/status`. */
export type LiveStatus = {servers: ServerStatus[]; sessions: SessionStatus[]; collisions: unknown[]; routing: string; memory: {rss: number}};

/** `daemon status --json`: the contract's fields first, then the detail behind them. */
export type Status = {
	running: boolean;
	name: string;
	pid: number | null;
	port: number | null;
	url: string | null;
	tokenFile: string;
	sessions: number;
	servers: ServerStatus[];
	version: string | null;
	startedAt: string | null;
	configFile: string | null;
	logFile: string;
	registrations: Registration[];
	clients: SessionStatus[];
	collisions: unknown[];
	routing: string | null;
	rss: number | null;
};

export async function fetchStatus(state: DaemonState, token: string, timeoutMs = 3000): Promise<LiveStatus> {
	return new Promise((resolve, reject) => {
		const outgoing = request(
			{host: '127.0.0.1', port: state.port, path: STATUS_PATH, headers: {authorization: `Bearer ${token}`}, timeout: timeoutMs},
			response => {
				let body = '';
				response.setEncoding('utf8');
				response.on('data', chunk => (body += chunk));
				response.on('end', () => {
					if (response.statusCode === 200) {
						resolve(JSON.parse(body) as LiveStatus);
					} else {
						reject(new Error(`the daemon answered /status with HTTP ${response.statusCode}: ${body.trim()}`));
					}
				});
			},
		);
		outgoing.on('error', reject);
		outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer on /status within ${timeoutMs} ms`)));
		outgoing.end();
	});
}

/**
 * The client sessions using the daemon: each session a hook registered, and each connected session
 * of a client that registered none (a bridge set up without the plugin's hooks, a plain MCP
 * client). A Claude Code process shows up both ways, registered and through its bridge, and counts
 * once. A session whose client left without ending it (no DELETE) is no longer connected and not
 * counted, though the daemon keeps it until it expires.
 */
function countSessions(registrations: Registration[], clients: SessionStatus[]): number {
	const registered = new Set(registrations.map(registration => registration.clientPid));
	const unregistered = clients.filter(client => client.connected && (client.clientPid === undefined || !registered.has(client.clientPid)));
	return registrations.reduce((count, registration) => count + registration.sessionIds.length, 0) + unregistered.length;
}

/** Everything known about daemon NAME, whether it runs or not. */
export async function collectStatus(name: string, paths: Paths): Promise<Status> {
	const record = liveDaemon(paths.pidFile);
	const state = readState(paths.stateFile);
	const token = readToken(paths.tokenFile);
	const current = record && state?.pid === record.pid ? state : undefined;
	const live = current && token ? await fetchStatus(current, token).catch(() => undefined) : undefined;
	const registrations = liveRegistrations(paths.registrationsDir);
	return {
		running: live !== undefined,
		name,
		pid: record?.pid ?? null,
		port: current?.port ?? null,
		url: current?.url ?? null,
		tokenFile: paths.tokenFile,
		sessions: live ? countSessions(registrations, live.sessions) : 0,
		servers: live?.servers ?? [],
		version: current?.version ?? null,
		startedAt: current?.startedAt ?? null,
		configFile: current?.configFile ?? null,
		logFile: paths.logFile,
		registrations,
		clients: live?.sessions ?? [],
		collisions: live?.collisions ?? [],
		routing: live?.routing ?? null,
		rss: live?.memory.rss ?? null,
	};
}
