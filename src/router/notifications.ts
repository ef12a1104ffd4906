import type {LoggingLevel, Notification} from '@modelcontextprotocol/sdk/types.js';
import type {CatalogKind, Upstream} from '../upstreams/upstream.js';
import type {RoutedSession} from './routed-session.js';
import type {View} from './view.js';

const LOG_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

function logSeverity(level: LoggingLevel): number {
	return LOG_LEVELS.indexOf(level);
}

export type NotificationsContext = {
	/** Every open session. */
	sessions(): Iterable<RoutedSession>;
	/** Every running server instance. */
	upstreams(): Iterable<Upstream>;
	/** What a session sees: its names and the instances behind them. */
	view(session: RoutedSession): View;
};

/**
 * The traffic between servers and sessions that is not a request and its reply: list changes,
 * log messages and resource updates to sessions, changes of roots to servers. Upstream, one log
 * level and one subscription per URI serve every session; this holds what each session asked
 * for, and fans each notification out to the sessions that asked and see the server it came from.
 */
export class Notifications {
	/** Unset for a session until it asks: a client that never does gets every log message, as direct. */
	private readonly logLevels = new Map<RoutedSession, LoggingLevel>();
	/** By session, the namespaced URIs it subscribed to. */
	private readonly subscriptions = new Map<RoutedSession, Set<string>>();
	private upstreamLogLevel: LoggingLevel | undefined;

	constructor(private readonly context: NotificationsContext) {}

	/** Tells those of `sessions` still open that lists of theirs changed. */
	listChanged(sessions: Iterable<RoutedSession>, kinds: readonly CatalogKind[]): void {
		const told = new Set(sessions);
		for (const kind of kinds) {
			this.send({method: `notifications/${kind}/list_changed`}, session => told.has(session));
		}
	}

	/** `logging/setLevel`: the upstream level is the most verbose any session asked for; each session is filtered to its own. */
	async setLogLevel(session: RoutedSession, level: LoggingLevel): Promise<void> {
		this.logLevels.set(session, level);
		await this.syncLogLevel();
	}

	/** `resources/subscribe` and `resources/unsubscribe` of `exposedUri`, which is `uri` on `upstream`. */
	async subscription(session: RoutedSession, subscribe: boolean, exposedUri: string, upstream: Upstream, uri: string): Promise<void> {
		const others = [...this.subscriptions].filter(
			([other, uris]) => other !== session && uris.has(exposedUri) && this.context.view(other).includes(upstream),
		);
		const uris = this.subscriptions.get(session) ?? new Set<string>();
		const had = uris.has(exposedUri);
		if (subscribe) {
			uris.add(exposedUri);
			this.subscriptions.set(session, uris);
		} else {
			uris.delete(exposedUri);
			if (uris.size === 0) {
				this.subscriptions.delete(session);
			}
		}

		// The upstream holds one subscription for all sessions: the first opens it, the last closes it.
		if (others.length === 0 && had !== subscribe) {
			await upstream.request({method: subscribe ? 'resources/subscribe' : 'resources/unsubscribe', params: {uri}});
		}
	}

	/** A session's notification that servers must hear about: a change of its roots. */
	async fromSession(session: RoutedSession, notification: Notification): Promise<void> {
		if (notification.method === 'notifications/roots/list_changed') {
			// Servers answer this by asking for the roots, with no call in flight: the router answers for whom it can tell.
			const upstreams = this.context.view(session).members();
			// A server that just went away must not fail the others, nor the daemon.
			await Promise.allSettled(upstreams.map(async upstream => upstream.notify(notification)));
		}
	}

	/** Releases what a closed session held: its subscriptions, its log level. */
	async sessionClosed(session: RoutedSession): Promise<void> {
		const view = this.context.view(session);
		for (const uri of [...(this.subscriptions.get(session) ?? [])]) {
			const origin = view.directory.resource(uri);
			const upstream = origin && view.upstream(origin.server);
			if (origin && upstream) {
				await this.subscription(session, false, uri, upstream, origin.name).catch(() => undefined);
			}
		}

		this.subscriptions.delete(session);
		this.logLevels.delete(session);
		await this.syncLogLevel();
	}

	/** Brings a server that just came up (again) in line with what sessions asked for: log level, subscriptions. */
	async upstreamReady(upstream: Upstream): Promise<void> {
		if (this.upstreamLogLevel && upstream.capabilities.logging) {
			await upstream.request({method: 'logging/setLevel', params: {level: this.upstreamLogLevel}}).catch(() => undefined);
		}

		const uris = new Set<string>();
		for (const [session, subscribed] of this.subscriptions) {
			const view = this.context.view(session);
			for (const uri of view.includes(upstream) ? subscribed : []) {
				const origin = view.directory.resource(uri);
				if (origin?.server === upstream.name) {
					uris.add(origin.name);
				}
			}
		}

		await Promise.all([...uris].map(async uri => upstream.request({method: 'resources/subscribe', params: {uri}}).catch(() => undefined)));
	}

	/**
	 * A server's notification: log messages go to every session that sees the server and wants
	 * their level, resource updates to its subscribers. Returns false for one not forwarded.
	 */
	fromUpstream(upstream: Upstream, notification: Notification): boolean {
		const params = (notification.params ?? {}) as Record<string, unknown>;
		switch (notification.method) {
			case 'notifications/message': {
				const severity = logSeverity(params.level as LoggingLevel);
				const logger = typeof params.logger === 'string' ? `${upstream.name}/${params.logger}` : upstream.name;
				this.send({method: notification.method, params: {...params, logger}}, session => {
					const wanted = this.logLevels.get(session);
					return this.context.view(session).includes(upstream) && (wanted === undefined || severity >= logSeverity(wanted));
				});
				return true;
			}

			case 'notifications/resources/updated': {
				for (const session of this.context.sessions()) {
					const view = this.context.view(session);
					const uri = view.directory.exposedUri(upstream.name, String(params.uri));
					if (view.includes(upstream) && this.subscriptions.get(session)?.has(uri)) {
						void session.notification({method: notification.method, params: {...params, uri}}).catch(() => undefined);
					}
				}

				return true;
			}

			default: {
				return false;
			}
		}
	}

	private send(notification: Notification, to: (session: RoutedSession) => boolean): void {
		for (const session of this.context.sessions()) {
			if (to(session)) {
				void session.notification(notification).catch(() => undefined);
			}
		}
	}

	private async syncLogLevel(): Promise<void> {
		const level = [...this.logLevels.values()].sort((a, b) => logSeverity(a) - logSeverity(b))[0];
		if (!level || level === this.upstreamLogLevel) {
			return;
		}

		this.upstreamLogLevel = level;
		const logging = [...this.context.upstreams()].filter(upstream => upstream.state === 'ready' && upstream.capabilities.logging);
		await Promise.all(
			logging.map(async upstream => upstream.request({method: 'logging/setLevel', params: {level}}).catch(() => undefined)),
		);
	}
}
