import type {ClientIdentity} from './client-identity.js';

/** One upstream server instance (or an entry too broken to start), as `/status` reports it. */
export type ServerStatus = {
	name: string;
	/** The entry's scope, and for project and session instances the project root. */
	scope: string | null;
	project: string | null;
	state: string;
	pid: number | null;
	tools: number;
	transport: string;
	restarts: number;
	lastError: string | null;
	/** When the tools and lists offered were learned (ISO); an idle server is offered from them. */
	catalogFrom: string | null;
	/** When a session's request last went to it (ISO). */
	lastUsed: string | null;
	/** The entry's own `description`, when it has one. */
	description?: string;
	/** Since the daemon started: messages over the size limit (each restarted the server), and lines or replies no client could take. */
	oversized: number;
	invalid: number;
	/** Whether calls from different sessions take turns (the server asks its clients questions), and how long calls waited for it. */
	turns: {serializes: boolean; waits: number; waitedMs: number};
};

/** Ready or idle: sessions see what it offers, and an idle one starts on its first use. */
export function isAvailable(server: Pick<ServerStatus, 'state'>): boolean {
	return server.state === 'ready' || server.state === 'idle';
}

/**
 * One client session of the daemon; `connected`: it holds a connection or a request is in flight.
 * `dropped`: notifications let go while it was not reading; `oversized`: messages either way over the size limit.
 */
export type SessionStatus = ClientIdentity & {
	id: string;
	client: string | null;
	since: string;
	connected: boolean;
	dropped: number;
	oversized: number;
};

/** Two servers exposing one name without a namespace; the first keeps it. */
export type CollisionStatus = {readonly name: string; readonly servers: readonly string[]};

/** The daemon's answer to GET `/status`. */
export type DaemonStatus = {
	servers: ServerStatus[];
	sessions: SessionStatus[];
	collisions: CollisionStatus[];
	routing: string;
	/** The daemon's RSS as it measures itself. */
	memory: {rss: number};
	/** Why the latest edit of the config was not applied; the daemon runs the config before it. */
	configError: string | null;
};
