import {closeSync, existsSync, openSync, readSync, statSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {tailOf} from '../lifecycle/log-file.js';

const POLL_MS = 250;

/**
 * Prints a log's last lines, then with `follow` its new ones as they come, starting over when
 * the log is rotated (it shrinks). Polls: the log lives on a local disk and this is for people.
 */
export async function followLog(file: string, options: {follow: boolean; lines: number}): Promise<number> {
	if (!existsSync(file) && !options.follow) {
		process.stderr.write(`No log yet at ${file}: the daemon has not run with this AITKIT_ROOT / MCPPROXY_DATA_DIR.\n`);
		return 1;
	}

	const tail = existsSync(file) ? tailOf(file, options.lines) : '';
	if (tail) {
		process.stdout.write(`${tail}\n`);
	}

	if (!options.follow) {
		return 0;
	}

	let offset = existsSync(file) ? statSync(file).size : 0;
	for (;;) {
		await sleep(POLL_MS);
		const size = existsSync(file) ? statSync(file).size : 0;
		if (size < offset) {
			offset = 0;
		}

		if (size > offset) {
			const buffer = Buffer.alloc(size - offset);
			const fd = openSync(file, 'r');
			try {
				readSync(fd, buffer, 0, buffer.length, offset);
			} finally {
				closeSync(fd);
			}

			process.stdout.write(buffer);
			offset = size;
		}
	}
}
