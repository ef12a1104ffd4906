import {projectDuplicates, type Duplicate} from '../config/duplicates.js';
import type {Paths} from '../config/paths.js';
import {readState} from '../contract/state-file.js';
import type {CollisionStatus, ServerStatus, SessionStatus} from '../contract/status.js';
import {readToken} from '../contract/token-file.js';
import {groupMemory, processMemory, type Memory} from '../platform/os-processes.js';
import {Redactor} from '../shared/log.js';
import {daemonProcess} from './pid-file.js';
import {liveRegistrations, type Registration} from './registrations.js';
import {fetchStatus} from './status-client.js';

/** A server as the daemon reports it, with the memory of its process group (null for http/sse). */
export type ServerDetail = ServerStatus & {memory: Memory | null};

/**
 * One client of the daemon, as people think of them: `live` holds a connection now; `idle` is a
 * daemon session whose client holds none (it expires after inactivity); `lingering` is a session a
 * Claude Code hook registered while no bridge of that client is connected.
 */
export type SessionRow = {
	state: 'live' | 'idle' | 'lingering';
	clientPid: number | null;
	projectDir: string | null;
	since: string;
	/** Client name and version, from its MCP handshake. */
	client: string | null;
	/** The client's own session ids (Claude Code's), where known. */
	clientSessionIds: string[];
	/** The daemon's session id; null for a registration with no daemon session. */
	daemonSession: string | null;
	/** Notifications dropped while it was not reading, and messages over the size limit (see SessionStatus). */
	dropped: number;
	oversized: number;
};

/** `daemon status --json`: the contract's fields first, then the detail behind them. */
export type Status = {
	running: boolean;
	name: string;
	pid: number | null;
	port: number | null;
	url: string | null;
	tokenFile: string;
	sessions: number;
	servers: ServerDetail[];
	version: string | null;
	startedAt: string | null;
	configFile: string | null;
	logFile: string;
	registrations: Registration[];
	clients: SessionStatus[];
	collisions: CollisionStatus[];
	routing: string | null;
	/** The daemon's RSS as it measures itself. */
	rss: number | null;
	/** Seconds since the daemon started. */
	uptime: number | null;
	/** The daemon process's memory: RSS, and PSS where the system has it. */
	memory: Memory | null;
	/** Every client: the daemon's sessions and the registrations no connected session covers. */
	sessionList: SessionRow[];
	/** Servers the projects of these sessions declare in their `.mcp.json` that the daemon runs too. */
	duplicates: Duplicate[];
	/** Why the latest edit of the config was not applied; the daemon runs the config before it. */
	configError: string | null;
};

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

function sessionRows(registrations: Registration[], clients: SessionStatus[]): SessionRow[] {
	const connected = new Set(clients.filter(client => client.connected).map(client => client.clientPid));
	const sessions = clients.map(
		(client): SessionRow => ({
			state: client.connected ? 'live' : 'idle',
			clientPid: client.clientPid ?? null,
			projectDir: client.projectDir ?? null,
			since: client.since,
			client: client.client,
			clientSessionIds: client.sessionId === undefined ? [] : [client.sessionId],
			daemonSession: client.id,
			dropped: client.dropped,
			oversized: client.oversized,
		}),
	);
	const lingering = registrations
		.filter(registration => !connected.has(registration.clientPid))
		.map(
			(registration): SessionRow => ({
				state: 'lingering',
				clientPid: registration.clientPid,
				projectDir: registration.projectDir ?? null,
				since: registration.since,
				client: null,
				clientSessionIds: registration.sessionIds,
				daemonSession: null,
				dropped: 0,
				oversized: 0,
			}),
		);
	return [...sessions, ...lingering];
}

/**
 * Errors quote what servers answered, which may echo a header or an env value: hide the token and
 * the config's secrets, whatever the daemon's own logger was told.
 */
export function statusRedactor(token: string | undefined): Redactor {
	// The daemon hides the config's secrets itself; the token is hidden here too, as a second line.
	const redactor = new Redactor();
	redactor.add(token === undefined ? [] : [token]);
	return redactor;
}

function withMemory(servers: ServerStatus[], redactor: Redactor): ServerDetail[] {
	const memory = groupMemory(servers.flatMap(server => (server.pid === null ? [] : [server.pid])));
	return servers.map(server => ({
		...server,
		lastError: server.lastError === null ? null : redactor.text(server.lastError),
		memory: server.pid === null ? null : (memory.get(server.pid) ?? null),
	}));
}

/** Everything known about daemon NAME, whether it runs or not. */
export async function collectStatus(name: string, paths: Paths): Promise<Status> {
	const record = daemonProcess(paths.pidFile);
	const state = readState(paths.stateFile);
	const token = readToken(paths.tokenFile);
	const current = record && state?.pid === record.pid ? state : undefined;
	const live = current && token ? await fetchStatus(current, token).catch(() => undefined) : undefined;
	const registrations = liveRegistrations(paths.registrationsDir);
	const redactor = statusRedactor(token);
	return {
		running: live !== undefined,
		name,
		pid: record?.pid ?? null,
		port: current?.port ?? null,
		url: current?.url ?? null,
		tokenFile: paths.tokenFile,
		sessions: live ? countSessions(registrations, live.sessions) : 0,
		servers: live ? withMemory(live.servers, redactor) : [],
		version: current?.version ?? null,
		startedAt: current?.startedAt ?? null,
		configFile: current?.configFile ?? null,
		logFile: paths.logFile,
		registrations,
		clients: live?.sessions ?? [],
		collisions: live ? (redactor.value(live.collisions) as CollisionStatus[]) : [],
		routing: live?.routing ?? null,
		rss: live?.memory.rss ?? null,
		uptime: live && current ? Math.max(0, Math.round((Date.now() - Date.parse(current.startedAt)) / 1000)) : null,
		memory: live && record ? processMemory(record.pid) : null,
		sessionList: sessionRows(registrations, live?.sessions ?? []),
		duplicates: duplicatesOf(registrations, live?.sessions ?? [], current?.configFile ?? paths.configFile),
		configError: live?.configError ? redactor.text(live.configError) : null,
	};
}

function duplicatesOf(registrations: Registration[], clients: SessionStatus[], configFile: string): Duplicate[] {
	const projects = new Set(
		[...registrations.map(registration => registration.projectDir), ...clients.map(client => client.projectDir)].filter(
			dir => dir !== undefined,
		),
	);
	return [...projects].flatMap(dir => projectDuplicates(dir, configFile));
}
