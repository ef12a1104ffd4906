import {closeSync, copyFileSync, openSync, readSync, statSync, truncateSync} from 'node:fs';

/** Logs are capped: past this size the current one becomes `<file>.1`, replacing the older. */
export const LOG_LIMIT_BYTES = 5 * 1024 * 1024;

function sizeOf(file: string): number {
	try {
		return statSync(file).size;
	} catch {
		return 0;
	}
}

/**
 * Copies then truncates instead of renaming: the daemon and its servers keep the file open in
 * append mode and go on writing at its new end.
 */
export function rotateLog(file: string, limit = LOG_LIMIT_BYTES): boolean {
	if (sizeOf(file) <= limit) {
		return false;
	}

	copyFileSync(file, `${file}.1`);
	truncateSync(file, 0);
	return true;
}

/** The last lines of a log, for error messages. */
export function tailOf(file: string, lines: number): string {
	const size = sizeOf(file);
	if (size === 0) {
		return '';
	}

	const length = Math.min(size, 16 * 1024);
	const buffer = Buffer.alloc(length);
	const fd = openSync(file, 'r');
	try {
		readSync(fd, buffer, 0, length, size - length);
	} finally {
		closeSync(fd);
	}

	return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
