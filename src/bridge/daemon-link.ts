import {connect, type Socket} from 'node:net';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import type {ClientIdentity} from '../contract/client-identity.js';
import {greetingLine} from '../contract/greeting.js';
import {isProbablyAlive, signalZero} from '../platform/os-processes.js';
import {jsonLine, LineReader} from '../shared/line-splitter.js';

/** Where the daemon listens for bridges; `pid` and `startTime` say which process it is, when known. */
export type DaemonSocket = {
	readonly socket: string;
	readonly token: string;
	readonly pid?: number;
	readonly startTime?: string;
	/** What the daemon sends is read within this; unset, the bridge's own limit. */
	readonly maxMessageBytes?: number;
};

/** What a link does with the daemon's messages; `maxMessageBytes` when the daemon does not say. */
export type LinkReader = {
	readonly onMessage: (message: JSONRPCMessage) => void;
	readonly onClose: () => void;
	readonly maxMessageBytes: number;
	/** A message from the daemon over the limit, let go (which should not happen: the daemon sends within it). */
	readonly onOverflow: (bytes: number, limit: number) => void;
};

/** A connection idle longer than this gets the full liveness check before it is used again. */
const IDLE_CHECK_MS = 20;

/**
 * The bridge's session with the daemon: one connection to the daemon's Unix socket, JSON-RPC a
 * line each way, after a greeting with the token and whom the bridge serves. A bridge only
 * relays, and this costs it a fraction of what an HTTP request per message would.
 */
export class DaemonLink {
	private lastUsed = performance.now();
	private closing = false;
	/** Settles when the connection is gone, for whatever reason. */
	readonly closed: Promise<void>;

	private constructor(
		private readonly socket: Socket,
		private readonly daemon: DaemonSocket,
		private readonly reader: LineReader,
	) {
		this.closed = new Promise(resolve => socket.once('close', () => resolve()));
	}

	/** Connects and greets; fails without having sent anything if the daemon does not listen. */
	static async open(daemon: DaemonSocket, identity: ClientIdentity, options: LinkReader): Promise<DaemonLink> {
		const socket = connect(daemon.socket);
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('error', reject);
		});
		const {onMessage, onClose, onOverflow} = options;
		const maxBytes = daemon.maxMessageBytes ?? options.maxMessageBytes;
		const reader = new LineReader(
			socket,
			jsonLine(onMessage, () => undefined),
			{maxBytes, onOverflow: bytes => onOverflow(bytes, maxBytes)},
		);
		const link = new DaemonLink(socket, daemon, reader);
		socket.on('error', () => socket.destroy());
		socket.on('close', () => {
			if (!link.closing) {
				onClose();
			}
		});
		socket.write(greetingLine({token: daemon.token, ...identity}));
		return link;
	}

	/**
	 * Sends a message; false when the daemon is known to be gone, so it certainly never saw it. A
	 * daemon killed a moment ago may not have had its close read yet: a connection idle for a
	 * while is checked against the daemon's process first (on Linux that also tells a zombie; no
	 * check here ever starts a process), back-to-back messages only by signal 0. Past those checks
	 * the socket itself can still refuse the bytes (EPIPE: the daemon has just died): then
	 * `onRefused` runs, before the connection's close is reported.
	 */
	send(message: JSONRPCMessage, onRefused?: () => void): boolean {
		if (this.socket.destroyed || !this.socket.writable || this.socket.readableEnded) {
			return false;
		}

		const {pid, startTime} = this.daemon;
		if (pid !== undefined) {
			const idle = performance.now() - this.lastUsed > IDLE_CHECK_MS;
			const alive = idle && startTime !== undefined ? isProbablyAlive({pid, startTime}) : signalZero(pid);
			if (!alive) {
				this.socket.destroy();
				return false;
			}
		}

		this.lastUsed = performance.now();
		this.socket.write(`${JSON.stringify(message)}\n`, error => {
			if (error) {
				onRefused?.();
			}
		});
		return true;
	}

	/**
	 * Stops reading the daemon while the client does not read the bridge: the socket fills, and the
	 * daemon's flow control takes over, instead of the bridge buffering without end.
	 */
	hold(): void {
		this.reader.hold();
	}

	release(): void {
		this.reader.release();
	}

	/** Ends the session: the daemon closes it when the connection ends. */
	close(): void {
		this.closing = true;
		this.socket.end();
	}
}
