import {closeSync, copyFileSync, openSync, readSync, readdirSync, statSync, truncateSync} from 'node:fs';
import {join} from 'node:path';

/** Logs are capped: past this size the current one becomes `<file>.1`, replacing the older. */
const LOG_LIMIT_BYTES = 5 * 1024 * 1024;

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

/**
 * Caps the daemon's log and each server's stderr log (a chatty server must not fill the disk
 * either). Never throws: it runs on a timer inside the daemon, and a rotation that fails (a full
 * disk is when it matters most) must not take the daemon down; the next round tries again.
 */
export function rotateLogs(logFile: string, serverLogDir: string, limit = LOG_LIMIT_BYTES): void {
	let serverLogs: string[] = [];
	try {
		serverLogs = readdirSync(serverLogDir)
			.filter(name => name.endsWith('.log'))
			.map(name => join(serverLogDir, name));
	} catch {
		// No server has logged yet.
	}

	for (const file of [logFile, ...serverLogs]) {
		try {
			rotateLog(file, limit);
		} catch {
			// Left as is until the next round.
		}
	}
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
