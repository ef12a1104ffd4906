import {closeSync, fstatSync, openSync, readFileSync} from 'node:fs';

/**
 * Most bytes any file is read with: every file this program reads is small (~/.claude.json,
 * the largest, holds a few megabytes), so a larger one is a mistake, not something to load.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** A file over the size limit; its `code` lets callers report it like any other read error. */
export class FileTooLargeError extends Error {
	override readonly name = 'FileTooLargeError';
	readonly code = 'EFBIG';

	constructor(path: string, size: number, limit: number) {
		super(`EFBIG: ${path} is ${size} bytes, more than the ${limit} it may have`);
	}
}

/** The text of `path`, or undefined when it does not exist; other failures throw. */
export function readTextIfExists(path: string, maxBytes: number = MAX_FILE_BYTES): string | undefined {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return undefined;
		throw error;
	}
	try {
		const {size} = fstatSync(fd);
		if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes);
		return readFileSync(fd, 'utf8');
	} finally {
		closeSync(fd);
	}
}
