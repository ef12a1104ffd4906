import {LineSplitter} from '../shared/line-splitter.js';

/**
 * Splits a `text/event-stream` body into the data of its events. Only `data:` lines matter to
 * MCP; ids, event names and comments (keepalives) are skipped.
 */
export class SseParser {
	private readonly lines = new LineSplitter(line => this.line(line));
	private data: string[] = [];

	constructor(private readonly onData: (data: string) => void) {}

	push(chunk: string): void {
		this.lines.push(chunk);
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
