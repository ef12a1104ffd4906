import type {Settings} from '../config/settings.js';
import type {CatalogKind, Upstream} from '../upstreams/upstream.js';
import {Directory} from './directory.js';
import {PROXY_TOOL_NAMES} from './proxy-tools.js';
import type {RoutedSession} from './routed-session.js';
import {whileStarting} from './starting.js';
import {ToolRouting} from './tool-routing.js';

/**
 * What a group of sessions sees: the shared servers plus the instances of their project (or of
 * their own, for session-scoped servers), under one set of names. Sessions of one project share
 * a view, so a project's instances appear under the same names to all of them.
 */
export class View {
	readonly directory = new Directory(PROXY_TOOL_NAMES);
	readonly tools: ToolRouting;
	readonly sessions = new Set<RoutedSession>();

	constructor(
		readonly key: string,
		/** The instances this view shows, asked each time: instances come and go. */
		readonly members: () => Upstream[],
		private readonly settings: Settings,
	) {
		this.tools = new ToolRouting(this.directory, settings, async lookup => this.resolve(lookup));
	}

	/** The instance behind a server name in this view. */
	upstream(server: string): Upstream | undefined {
		return this.members().find(upstream => upstream.name === server);
	}

	includes(upstream: Upstream): boolean {
		return this.members().includes(upstream);
	}

	/**
	 * Looks up a name a session gave (a tool, prompt or resource, or a search), waiting for servers
	 * still starting before calling it unknown: one rule for every way a name is used.
	 */
	async resolve<T>(lookup: () => T | undefined): Promise<T | undefined> {
		const found = lookup();
		if (found !== undefined) {
			return found;
		}

		await whileStarting(this.members(), this.settings.initTimeoutMs);
		return lookup();
	}

	/**
	 * Brings names and index up to date after `changed` came, went or changed its lists (or, for
	 * a new view, after nothing in particular); returns the kinds of lists that changed.
	 */
	rebuild(changed?: Upstream): CatalogKind[] {
		const kinds = this.directory.rebuild(this.members());
		this.tools.serverChanged(changed?.name);
		this.tools.prunePools(this.sessions);
		return kinds;
	}
}
