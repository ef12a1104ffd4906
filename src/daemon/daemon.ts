import {randomUUID} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import type {JSONRPCRequest, LoggingLevel, Notification, Result} from '@modelcontextprotocol/sdk/types.js';
import type {BrokenServer, ProxyConfig} from '../config/schema.js';
import type {Settings} from '../config/settings.js';
import {Directory, type Kind} from '../router/directory.js';
import {PROXY_TOOL_NAMES} from '../router/proxy-tools.js';
import {logSeverity, Router} from '../router/router.js';
import type {Logger} from '../shared/log.js';
import {Upstream} from '../upstreams/upstream.js';
import type {Endpoint} from './http-server.js';
import {Session, type ClientIdentity} from './session.js';
import {CLIENT_HEADERS} from './client-headers.js';

export type ServerStatus = {
	name: string;
	state: string;
	pid: number | null;
	tools: number;
	transport: string;
	restarts: number;
	lastError: string | null;
};

export type SessionStatus = ClientIdentity & {id: string; client: string | null; since: string; connected: boolean};

/**
 * The proxy itself: the upstream servers, the client sessions, and the traffic between them
 * that is not a plain request and reply (list changes, log messages, subscriptions,
 * server-to-client requests). The HTTP layer and the process lifecycle sit outside it.
 */
export class Daemon implements Endpoint {
	readonly upstreams = new Map<string, Upstream>();
	readonly sessions = new Map<string, Session>();
	readonly directory = new Directory(PROXY_TOOL_NAMES);
	readonly router: Router;
	readonly startedAt = Date.now();
	private readonly broken: BrokenServer[];
	private idleTimer?: NodeJS.Timeout;
	private reportedCollisions = '[]';
	/** Told whenever a session opens or closes; the lifecycle counts them. */
	onSessionsChanged?: () => void;

	constructor(
		config: ProxyConfig,
		private readonly settings: Settings,
		private readonly logDir: string,
		private readonly log: Logger,
	) {
		// Project and session scopes are accepted by the config format but not run yet: saying so
		// beats running one shared instance the user did not ask for.
		const unsupported = config.servers.filter(spec => spec.scope !== 'global');
		this.broken = [
			...config.broken,
			...unsupported.map(spec => ({
				name: spec.name,
				error: `$.mcpServers.${spec.name}.scope: "${spec.scope}" is not supported by this version. Fix: remove "scope" to run one instance for every session.`,
			})),
		];
		for (const broken of this.broken) {
			log.error('server entry disabled', {server: broken.name, error: broken.error});
		}

		for (const spec of config.servers.filter(spec => !spec.disabled && spec.scope === 'global')) {
			this.upstreams.set(
				spec.name,
				new Upstream(spec, {...settings, logDir}, {
					stateChanged: upstream => this.onStateChanged(upstream),
					catalogChanged: upstream => this.onCatalogChanged(upstream),
					notification: (upstream, notification) => this.onUpstreamNotification(upstream, notification),
					request: async (upstream, request, signal) => this.onUpstreamRequest(upstream, request, signal),
				}),
			);
		}

		this.router = new Router({upstreams: this.upstreams, directory: this.directory, settings, sessions: () => this.sessions.values()});
	}

	start(): void {
		for (const upstream of this.upstreams.values()) {
			upstream.start();
		}

		const sweepEvery = Math.min(Math.max(this.settings.sessionIdleMs / 4, 1000), 60_000);
		this.idleTimer = setInterval(() => this.closeIdleSessions(), sweepEvery).unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.idleTimer);
		await Promise.all([...this.sessions.values()].map(async session => session.close()));
		await Promise.all([...this.upstreams.values()].map(async upstream => upstream.stop()));
	}

	async openSession(request: IncomingMessage): Promise<Session> {
		const session = new Session(randomUUID(), {
			request: async (session, request, extra) => this.router.handle(session, request, extra),
			notification: (session, notification) => void this.router.sessionNotification(session, notification),
		});
		session.identity = readIdentity(request);
		session.onclose = () => this.onSessionClosed(session);
		await session.connect(session.httpTransport);
		this.sessions.set(session.id, session);
		this.log.info('session opened', {session: session.id, clientPid: session.identity.clientPid, project: session.identity.projectDir});
		this.onSessionsChanged?.();
		return session;
	}

	session(id: string): Session | undefined {
		return this.sessions.get(id);
	}

	async closeSession(session: Session): Promise<void> {
		await session.close();
	}

	status(): {servers: ServerStatus[]; sessions: SessionStatus[]; collisions: unknown[]; routing: string; memory: {rss: number}} {
		const running = [...this.upstreams.values()].map(upstream => ({
			name: upstream.name,
			state: upstream.state,
			pid: upstream.pid ?? null,
			tools: upstream.catalog.tools.length,
			transport: upstream.spec.transport.kind,
			restarts: upstream.restarts,
			lastError: upstream.lastError ?? null,
		}));
		const broken = this.broken.map(entry => ({name: entry.name, state: 'invalid', pid: null, tools: 0, transport: 'unknown', restarts: 0, lastError: entry.error}));
		return {
			servers: [...running, ...broken],
			sessions: [...this.sessions.values()].map(session => ({
				id: session.id,
				...session.identity,
				client: session.clientInfo ? `${session.clientInfo.name} ${session.clientInfo.version}` : null,
				since: new Date(session.createdAt).toISOString(),
				connected: session.httpTransport.busy,
			})),
			collisions: this.directory.collisions,
			routing: this.settings.routing,
			memory: {rss: process.memoryUsage.rss()},
		};
	}

	private onSessionClosed(session: Session): void {
		if (!this.sessions.delete(session.id)) {
			return;
		}

		this.log.info('session closed', {session: session.id});
		void this.router.sessionClosed(session);

		this.onSessionsChanged?.();
	}

	private closeIdleSessions(): void {
		const cutoff = Date.now() - this.settings.sessionIdleMs;
		for (const session of this.sessions.values()) {
			if (!session.httpTransport.busy && session.httpTransport.lastActivity < cutoff) {
				this.log.info('session expired after inactivity', {session: session.id});
				void session.close();
			}
		}
	}

	private onStateChanged(upstream: Upstream): void {
		const fields = {server: upstream.name, pid: upstream.pid, error: upstream.lastError};
		if (upstream.state === 'backoff') {
			this.log.warn('server down, will restart', {...fields, restarts: upstream.restarts});
		} else {
			this.log.info(`server ${upstream.state}`, fields);
		}

		if (upstream.state === 'ready') {
			// Renewing subscriptions looks the server's URIs up in the directory, which must list it first.
			this.onCatalogChanged(upstream);
			void this.router.upstreamReady(upstream);
		}
	}

	private onCatalogChanged(upstream: Upstream): void {
		const changed = this.directory.rebuild(this.upstreams.values());
		this.router.tools.serverChanged(upstream.name);
		this.router.tools.prunePools(this.sessions.values());
		// Reported when they change, not on every rebuild.
		const collisions = JSON.stringify(this.directory.collisions);
		const report = collisions !== this.reportedCollisions;
		this.reportedCollisions = collisions;
		for (const collision of report ? this.directory.collisions : []) {
			this.log.error(`servers ${collision.servers.map(server => `"${server}"`).join(' and ')} both expose "${collision.name}" without a namespace; the first keeps it. Fix: remove "namespace": false from one of them.`);
		}

		for (const kind of changed) {
			this.broadcast({method: `notifications/${kind satisfies Kind}/list_changed`});
		}
	}

	private broadcast(notification: Notification, filter: (session: Session) => boolean = () => true): void {
		for (const session of this.sessions.values()) {
			if (filter(session)) {
				void session.notification(notification).catch(() => undefined);
			}
		}
	}

	/** Log messages go to every session that wants their level; resource updates to subscribers. */
	private onUpstreamNotification(upstream: Upstream, notification: Notification): void {
		const params = (notification.params ?? {}) as Record<string, unknown>;
		if (notification.method === 'notifications/message') {
			const level = params.level as LoggingLevel;
			const logger = typeof params.logger === 'string' ? `${upstream.name}/${params.logger}` : upstream.name;
			this.broadcast(
				{method: notification.method, params: {...params, logger}},
				session => session.logLevel === undefined || logSeverity(level) >= logSeverity(session.logLevel),
			);
			return;
		}

		if (notification.method === 'notifications/resources/updated') {
			const uri = this.directory.exposedUri(upstream.name, String(params.uri));
			this.broadcast({method: notification.method, params: {...params, uri}}, session => session.subscriptions.has(uri));
			return;
		}

		this.log.debug('notification not forwarded', {server: upstream.name, method: notification.method});
	}

	private async onUpstreamRequest(upstream: Upstream, request: JSONRPCRequest, signal: AbortSignal): Promise<Result> {
		return this.router.clientRequest(upstream, request, signal);
	}
}

function readIdentity(request: IncomingMessage): ClientIdentity {
	const header = (name: string) => {
		const value = request.headers[name];
		return typeof value === 'string' && value !== '' ? decodeURIComponent(value) : undefined;
	};

	const clientPid = Number(header(CLIENT_HEADERS.clientPid));
	return {
		clientPid: Number.isSafeInteger(clientPid) && clientPid > 0 ? clientPid : undefined,
		sessionId: header(CLIENT_HEADERS.sessionId),
		projectDir: header(CLIENT_HEADERS.projectDir),
	};
}
