import type {Readable} from 'node:stream';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** What happens to a line longer than `maxBytes`: dropped as it arrives, reported once. */
export type LineLimit = {
	readonly maxBytes: number;
	/** Called as soon as the line passes the limit, with the bytes it had then. */
	readonly onOverflow: (bytes: number) => void;
};

/**
 * Cuts a byte stream into lines (without their `\n` or `\r\n`) as chunks arrive. Only each new
 * chunk is searched, so a multi-megabyte message arriving in many chunks costs linear time. With
 * a limit, a line never holds more than `maxBytes`: past it, what arrived is let go and the rest
 * is skipped up to the next newline, so one runaway line cannot exhaust memory.
 */
export class LineSplitter {
	private parts: Buffer[] = [];
	private size = 0;
	private skipping = false;

	constructor(
		private readonly onLine: (line: string) => void,
		/** Changed by `LineReader.handOver`: the next byte read counts against the new limit. */
		public limit?: LineLimit,
	) {}

	push(chunk: Buffer | string): void {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		let start = 0;
		let newline = bytes.indexOf(NEWLINE);
		while (newline !== -1) {
			this.take(bytes.subarray(start, newline));
			if (this.skipping) {
				this.skipping = false;
			} else {
				this.emit();
			}

			this.parts = [];
			this.size = 0;
			start = newline + 1;
			newline = bytes.indexOf(NEWLINE, start);
		}

		if (start < bytes.length) {
			this.take(bytes.subarray(start));
		}
	}

	private take(piece: Buffer): void {
		if (this.skipping || piece.length === 0) {
			return;
		}

		this.size += piece.length;
		if (this.limit && this.size > this.limit.maxBytes) {
			this.skipping = true;
			this.parts = [];
			this.limit.onOverflow(this.size);
			return;
		}

		// A subarray would pin the whole chunk it came from; a copy holds only the line.
		this.parts.push(this.parts.length === 0 && piece.length === this.size ? Buffer.from(piece) : piece);
	}

	private emit(): void {
		const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
		const end = line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length;
		this.onLine(line.toString('utf8', 0, end));
	}
}

/** Lines handled in one go before the stream yields to everything else. */
const SLICE_LINES = 16;
/**
 * A stream with more lines waiting gets its next slice this much later, not in the next turn of the
 * event loop: the daemon's other connections and its other work come first. One connection is then
 * read at most about SLICE_LINES per millisecond (16,000 messages a second), far above what a server
 * or client sends except in a flood, and a flood costs the neighbours little (bench/noisy-neighbour.ts).
 */
const YIELD_MS = 1;

/**
 * Reads a stream line by line, fairly: at most a slice of lines is handled per turn of the event
 * loop, and the stream is paused while lines wait, so a peer that sends faster than they are
 * handled fills its own pipe instead of the process's memory or its event loop. `hold` stops
 * delivery (the consumer cannot pass lines on); `release` resumes it.
 */
export class LineReader {
	private readonly waiting: string[] = [];
	private held = false;
	private scheduled = false;
	private readonly splitter: LineSplitter;

	constructor(
		private readonly stream: Readable,
		private onLine: (line: string) => void,
		limit?: LineLimit,
	) {
		this.splitter = new LineSplitter(line => this.waiting.push(line), limit);
		stream.on('data', (chunk: Buffer | string) => {
			this.splitter.push(chunk);
			this.deliver();
		});
	}

	/**
	 * Lines from now on go to `onLine`, within `limit`: what a socket's first line (its greeting)
	 * decides, the next ones get. Lines already waiting are the new handler's too.
	 */
	handOver(onLine: (line: string) => void, limit: LineLimit): void {
		this.onLine = onLine;
		this.splitter.limit = limit;
	}

	hold(): void {
		this.held = true;
		this.stream.pause();
	}

	release(): void {
		this.held = false;
		this.deliver();
	}

	private deliver(): void {
		let slice = SLICE_LINES;
		while (!this.held && this.waiting.length > 0 && slice-- > 0) {
			this.onLine(this.waiting.shift()!);
		}

		if (this.held) {
			return;
		}

		if (this.waiting.length === 0) {
			this.stream.resume();
			return;
		}

		this.stream.pause();
		if (!this.scheduled) {
			this.scheduled = true;
			setTimeout(() => {
				this.scheduled = false;
				this.deliver();
			}, YIELD_MS);
		}
	}
}

/**
 * Newline-delimited JSON-RPC, as stdio MCP speaks it: blank lines are skipped, and a line that is
 * not a JSON object goes to `onGarbage` instead of breaking the stream.
 */
export function jsonLine<T>(onMessage: (message: T) => void, onGarbage: (line: string) => void): (line: string) => void {
	return line => {
		if (line.trim() === '') {
			return;
		}

		let message: unknown;
		try {
			message = JSON.parse(line);
		} catch {
			onGarbage(line);
			return;
		}

		// A bare number or string is JSON too, but never a message.
		if (typeof message === 'object' && message !== null) {
			onMessage(message as T);
		} else {
			onGarbage(line);
		}
	};
}

/** `jsonLine` over a splitter that is pushed chunks, for streams read without a `LineReader`. */
export function jsonLines<T>(onMessage: (message: T) => void, onGarbage: (line: string) => void, limit?: LineLimit): LineSplitter {
	return new LineSplitter(jsonLine(onMessage, onGarbage), limit);
}
