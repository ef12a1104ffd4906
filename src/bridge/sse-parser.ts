/**
 * Splits a `text/event-stream` body into the data of its events. Only `data:` lines matter to
 * MCP; ids, event names and comments (keepalives) are skipped.
 */
export class SseParser {
	private buffer = '';
	private data: string[] = [];

	constructor(private readonly onData: (data: string) => void) {}

	push(chunk: string): void {
		this.buffer += chunk;
		let newline = this.buffer.indexOf('\n');
		while (newline !== -1) {
			const line = this.buffer.slice(0, newline).replace(/\r$/, '');
			this.buffer = this.buffer.slice(newline + 1);
			this.line(line);
			newline = this.buffer.indexOf('\n');
		}
	}

	private line(line: string): void {
		if (line === '') {
			if (this.data.length > 0) {
				const data = this.data.join('\n');
				this.data = [];
				this.onData(data);
			}

			return;
		}

		if (line.startsWith('data:')) {
			this.data.push(line.slice(line[5] === ' ' ? 6 : 5));
		}
	}
}
