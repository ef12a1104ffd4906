import {cliCommand} from '../shared/cli-command.js';
import type {JSONRPCRequest, Notification} from '@modelcontextprotocol/sdk/types.js';
import {resolve} from 'node:path';
import type {BrokenServer, ProxyConfig} from '../config/schema.js';
import {configSecrets} from '../config/secrets.js';
import type {Settings} from '../config/settings.js';
import {Directory} from '../router/directory.js';
import type {NameCollision} from '../router/names.js';
import {PROXY_TOOL_NAMES} from '../router/proxy-tools.js';
import {Notifications} from '../router/notifications.js';
import type {RoutedSession} from '../router/routed-session.js';
import {Router} from '../router/router.js';
import {ToolIndex} from '../router/tool-index.js';
import {toolsByServer} from '../router/tool-routing.js';
import {View} from '../router/view.js';
import type {Logger} from '../shared/log.js';
import {rootOf} from '../upstreams/placement.js';
import type {CatalogStore} from '../upstreams/catalog-store.js';
import {Upstream} from '../upstreams/upstream.js';
import {Instances, type Tenant} from './instances.js';
import type {ClientIdentity} from '../contract/client-identity.js';
import type {DaemonStatus} from '../contract/status.js';
import type {ToolSearchMatch} from '../contract/tool-search.js';
import type {SessionHost} from './http-server.js';
import {Session, type Channel} from './session.js';

/**
 * The proxy itself: the upstream server instances, the client sessions, and what each session
 * sees of the instances. Requests go to the router, and the traffic that is not a request and its
 * reply to the notifications; the HTTP and socket listeners and the process lifecycle sit outside it.
 */
export class Daemon implements SessionHost {
	readonly sessions = new Map<string, Session>();
	readonly router: Router;
	readonly instances: Instances;
	private readonly notifications: Notifications;
	private readonly views = new Map<string, View>();
	/** The shared servers' names, kept even with no session, so collisions show in status at once. */
	private readonly shared = new Directory(PROXY_TOOL_NAMES);
	private readonly viewOf = new Map<RoutedSession, View>();
	private broken: BrokenServer[] = [];
	/** Why the config file's last edit was not applied; the last good config keeps running. */
	private configError: string | undefined;
	private idleTimer?: NodeJS.Timeout;
	private reportedCollisions = '[]';
	/** Told whenever a session opens or closes; the lifecycle counts them. */
	onSessionsChanged?: () => void;

	constructor(
		config: ProxyConfig,
		private readonly settings: Settings,
		files: {readonly logDir: string; readonly catalogs: CatalogStore},
		private readonly log: Logger,
	) {
		this.setBroken(config.broken);

		const events = {
			stateChanged: (upstream: Upstream) => this.onStateChanged(upstream),
			catalogChanged: (upstream: Upstream) => this.onCatalogChanged(upstream),
			notification: (upstream: Upstream, notification: Notification) => this.onUpstreamNotification(upstream, notification),
			request: async (upstream: Upstream, request: JSONRPCRequest, signal: AbortSignal) =>
				this.router.clientRequest(upstream, request, signal),
		};
		this.instances = new Instances(
			config.servers.filter(spec => !spec.disabled),
			{
				create: (spec, placement) => new Upstream(spec, {...settings, ...files}, events, placement),
				forget: server => files.catalogs.forget(name => name === server),
				lingerMs: settings.lingerMs,
				log,
			},
		);
		const view = (session: RoutedSession) => this.viewOf.get(session)!;
		this.notifications = new Notifications({
			sessions: () => this.sessions.values(),
			upstreams: () => this.instances.all(),
			view,
		});
		this.router = new Router({settings, view, notifications: this.notifications, sessions: () => this.sessions.values(), log});
	}

	/**
	 * Applies an edited config: new servers start, removed ones stop, changed ones restart, and
	 * sessions stay connected (they get list_changed as servers come and go). A config that does
	 * not load changes nothing running; its error is logged and shown in status until fixed.
	 */
	reload(next: ProxyConfig | Error): void {
		if (next instanceof Error) {
			this.configError = next.message;
			this.log.error('config edit not applied; the last good config keeps running', {error: next.message});
			return;
		}

		this.configError = undefined;
		this.log.addSecrets(configSecrets(next));
		this.setBroken(next.broken);
		const tenants = [...this.sessions.values()].map(session => tenantOf(session));
		const hadSessionScope = this.instances.hasSessionScope;
		const {added, removed, changed} = this.instances.reconfigure(
			next.servers.filter(spec => !spec.disabled),
			tenants,
		);
		if (this.instances.hasSessionScope !== hadSessionScope) {
			this.rehome();
		}

		this.log.info('config reloaded', {
			added: added.join(',') || undefined,
			removed: removed.join(',') || undefined,
			changed: changed.join(',') || undefined,
		});
		if (JSON.stringify(next.settings) !== JSON.stringify(this.settings)) {
			this.log.warn('settings changed in the config file take effect at the next daemon start', {
				fix: cliCommand('daemon restart'),
			});
		}
	}

	start(): void {
		this.instances.startGlobal();
		const sweepEvery = Math.min(Math.max(this.settings.sessionIdleMs / 4, 1000), 60_000);
		this.idleTimer = setInterval(() => this.closeIdleSessions(), sweepEvery).unref();
	}

	async stop(): Promise<void> {
		clearInterval(this.idleTimer);
		await Promise.all([...this.sessions.values()].map(async session => session.close()));
		await this.instances.stopAll();
	}

	async openSession(identity: ClientIdentity, channel: Channel): Promise<Session> {
		const session = new Session(channel, {
			request: async (session, request, extra) => this.router.handle(session, request, extra),
			notification: async (session, notification) => this.notifications.fromSession(session, notification),
		});
		session.identity = identity;
		session.onclose = () => this.onSessionClosed(session);
		// Whatever one session sends wrong is its own: logged under its name, never the daemon's end.
		session.onerror = error => this.log.warn('session error', {session: session.id, error: error.message});
		const tenant = tenantOf(session);
		this.instances.acquire(tenant);
		const view = this.viewFor(tenant);
		view.sessions.add(session);
		this.viewOf.set(session, view);
		await session.connect(channel);
		this.sessions.set(session.id, session);
		this.log.info('session opened', {session: session.id, clientPid: session.identity.clientPid, project: tenant.root});
		this.onSessionsChanged?.();
		return session;
	}

	session(id: string): Session | undefined {
		return this.sessions.get(id);
	}

	status(): DaemonStatus {
		const running = this.instances.all().map(upstream => ({
			name: upstream.name,
			scope: upstream.placement.scope,
			project: rootOf(upstream.placement) ?? null,
			state: upstream.state,
			pid: upstream.pid ?? null,
			tools: upstream.catalog.tools.length,
			transport: upstream.spec.transport.kind,
			restarts: upstream.restarts,
			lastError: this.secretFree(upstream.lastError),
			catalogFrom: isoOrNull(upstream.catalogFrom),
			lastUsed: isoOrNull(upstream.lastUsedAt),
			...(upstream.spec.description === undefined ? {} : {description: upstream.spec.description}),
			...upstream.faults,
			turns: this.router.turns(upstream),
		}));
		const broken = this.broken.map(entry => ({
			name: entry.name,
			scope: null,
			project: null,
			state: 'invalid',
			pid: null,
			tools: 0,
			transport: 'unknown',
			restarts: 0,
			lastError: this.secretFree(entry.error),
			catalogFrom: null,
			lastUsed: null,
			oversized: 0,
			invalid: 0,
			turns: {serializes: false, waits: 0, waitedMs: 0},
		}));
		return {
			servers: [...running, ...broken],
			sessions: [...this.sessions.values()].map(session => ({
				id: session.id,
				...session.identity,
				client: session.clientInfo ? `${session.clientInfo.name} ${session.clientInfo.version}` : null,
				since: new Date(session.createdAt).toISOString(),
				connected: session.channel.connected,
				...session.channel.flow,
			})),
			collisions: this.collisions(),
			routing: this.settings.routing,
			memory: {rss: process.memoryUsage.rss()},
			configError: this.secretFree(this.configError),
		};
	}

	/**
	 * The shared servers' tools best matching `query`, as `retrieve_tools` ranks them. The index is
	 * built for the question: the CLI asks rarely, and sessions keep their own.
	 */
	searchTools(query: string, limit: number): ToolSearchMatch[] {
		const index = new ToolIndex();
		for (const [server, tools] of toolsByServer(this.shared)) {
			index.setServerTools(server, tools);
		}

		return index.search(query, limit).map(match => ({
			name: match.name,
			server: match.server,
			score: match.score,
			description: match.tool.description ?? '',
		}));
	}

	/** Errors can quote a server's output or URL: status shows them as the log does, secrets hidden. */
	private secretFree(text: string | undefined): string | null {
		return text === undefined ? null : this.log.redactor.text(text);
	}

	private setBroken(broken: BrokenServer[]): void {
		this.broken = broken;
		for (const entry of broken) {
			this.log.error('server entry disabled', {server: entry.name, error: entry.error});
		}
	}

	/**
	 * Moves every session to the view it now belongs in: the first or last session-scoped server
	 * changes whether sessions of a project share one, and a shared view would show one session's
	 * own instances to the others.
	 */
	private rehome(): void {
		this.views.clear();
		for (const session of this.sessions.values()) {
			const view = this.viewFor(tenantOf(session));
			view.sessions.add(session);
			this.viewOf.set(session, view);
		}

		this.notifications.listChanged(this.sessions.values(), ['tools', 'prompts', 'resources']);
	}

	/** Sessions of one project share a view; with session-scoped servers each session has its own. */
	private viewFor(tenant: Tenant): View {
		const key = this.instances.hasSessionScope ? `session:${tenant.sessionId}` : `project:${tenant.root ?? ''}`;
		let view = this.views.get(key);
		if (!view) {
			view = new View(key, this.instances.usedBy(tenant), this.settings);
			view.rebuild();
			this.views.set(key, view);
		}

		return view;
	}

	private onSessionClosed(session: Session): void {
		if (!this.sessions.delete(session.id)) {
			return;
		}

		this.log.info('session closed', {session: session.id});
		void this.notifications.sessionClosed(session).finally(() => {
			const view = this.viewOf.get(session);
			this.viewOf.delete(session);
			view?.sessions.delete(session);
			if (view?.sessions.size === 0) {
				this.views.delete(view.key);
			}
		});
		const tenant = tenantOf(session);
		this.instances.release(tenant, root => [...this.sessions.values()].some(other => tenantOf(other).root === root));
		this.onSessionsChanged?.();
	}

	private closeIdleSessions(): void {
		const cutoff = Date.now() - this.settings.sessionIdleMs;
		for (const session of this.sessions.values()) {
			if (!session.channel.connected && session.channel.lastActivity < cutoff) {
				this.log.info('session expired after inactivity', {session: session.id});
				void session.close();
			}
		}
	}

	private onStateChanged(upstream: Upstream): void {
		const fields = {
			server: upstream.name,
			project: rootOf(upstream.placement),
			pid: upstream.pid,
			error: upstream.lastError,
		};
		if (upstream.state === 'backoff') {
			this.log.warn('server down, will restart', {...fields, restarts: upstream.restarts});
		} else {
			this.log.info(`server ${upstream.state}`, fields);
		}

		if (upstream.state === 'ready' || upstream.state === 'idle' || upstream.state === 'stopped') {
			// Renewing subscriptions looks the server's URIs up in the directory, which must list it first.
			this.onCatalogChanged(upstream);
		}

		if (upstream.state === 'ready') {
			void this.notifications.upstreamReady(upstream);
		}
	}

	/** Rebuilds the views showing `upstream` (all of them once it stopped) and tells their sessions. */
	private onCatalogChanged(upstream: Upstream): void {
		for (const view of this.views.values()) {
			if (upstream.state !== 'stopped' && !view.includes(upstream)) {
				continue;
			}

			this.notifications.listChanged(view.sessions, view.rebuild(upstream));
		}

		this.shared.rebuild(this.instances.all().filter(instance => instance.placement.scope === 'global'));
		// Reported when they change, not on every rebuild.
		const collisions = this.collisions();
		const report = JSON.stringify(collisions) !== this.reportedCollisions;
		this.reportedCollisions = JSON.stringify(collisions);
		for (const collision of report ? collisions : []) {
			this.log.error(
				`servers ${collision.servers.map(server => `"${server}"`).join(' and ')} both expose "${collision.name}" without a namespace; ` +
					'the first keeps it. Fix: remove "namespace": false from one of them.',
			);
		}
	}

	private collisions(): NameCollision[] {
		const all = [this.shared, ...[...this.views.values()].map(view => view.directory)].flatMap(directory => directory.collisions);
		return [...new Map(all.map(collision => [JSON.stringify(collision), collision])).values()];
	}

	private onUpstreamNotification(upstream: Upstream, notification: Notification): void {
		if (!this.notifications.fromUpstream(upstream, notification)) {
			this.log.debug('notification not forwarded', {server: upstream.name, method: notification.method});
		}
	}
}

function isoOrNull(time: number | undefined): string | null {
	return time === undefined ? null : new Date(time).toISOString();
}

/** Whom a session's instances are for: the session, in its project (the bridge says which). */
function tenantOf(session: Session): Tenant {
	const dir = session.identity.projectDir;
	return {sessionId: session.id, root: dir ? resolve(dir) : undefined};
}
