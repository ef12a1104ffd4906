/**
 * Cuts a stream of text into lines (without their `\n` or `\r\n`) as chunks arrive. Only each new
 * chunk is searched, so a multi-megabyte message arriving in many chunks costs linear time.
 */
export class LineSplitter {
	private parts: string[] = [];

	constructor(private readonly onLine: (line: string) => void) {}

	push(chunk: string): void {
		let start = 0;
		let newline = chunk.indexOf('\n');
		while (newline !== -1) {
			const tail = chunk.slice(start, newline);
			const line = this.parts.length === 0 ? tail : [...this.parts, tail].join('');
			this.parts = [];
			this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
			start = newline + 1;
			newline = chunk.indexOf('\n', start);
		}

		if (start < chunk.length) {
			this.parts.push(chunk.slice(start));
		}
	}
}

/**
 * Newline-delimited JSON-RPC, as stdio MCP speaks it: blank lines are skipped, and a line that is
 * not a JSON object goes to `onGarbage` instead of breaking the stream.
 */
export function jsonLines<T>(onMessage: (message: T) => void, onGarbage: (line: string) => void): LineSplitter {
	return new LineSplitter(line => {
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
	});
}
