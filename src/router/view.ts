import type {Settings} from '../config/settings.js';
import type {Session} from '../daemon/session.js';
import type {Upstream} from '../upstreams/upstream.js';
import {Directory, type Kind} from './directory.js';
import {PROXY_TOOL_NAMES} from './proxy-tools.js';
import {ToolRouting} from './tool-routing.js';

/**
 * What a group of sessions sees: the shared servers plus the instances of their project (or of
 * their own, for session-scoped servers), under one set of names. Sessions of one project share
 * a view, so a project's instances appear under the same names to all of them.
 */
export class View {
	readonly directory = new Directory(PROXY_TOOL_NAMES);
	readonly tools: ToolRouting;
	readonly sessions = new Set<Session>();

	constructor(
		readonly key: string,
		/** The instances this view shows, asked each time: instances come and go. */
		readonly members: () => Upstream[],
		settings: Settings,
	) {
		this.tools = new ToolRouting(this.directory, settings);
	}

	/** The instance behind a server name in this view. */
	upstream(server: string): Upstream | undefined {
		return this.members().find(upstream => upstream.name === server);
	}

	includes(upstream: Upstream): boolean {
		return this.members().includes(upstream);
	}

	/**
	 * Brings names and index up to date after `changed` came, went or changed its lists (or, for
	 * a new view, after nothing in particular); returns the kinds of lists that changed.
	 */
	rebuild(changed?: Upstream): Kind[] {
		const kinds = this.directory.rebuild(this.members());
		this.tools.serverChanged(changed?.name);
		this.tools.prunePools(this.sessions);
		return kinds;
	}
}
