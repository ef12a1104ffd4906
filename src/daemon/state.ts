import {writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import type {ProcessIdentity} from '../platform/os-processes.js';

/** What a running daemon tells bridges, hooks and the CLI about itself. */
export type DaemonState = ProcessIdentity & {
	name: string;
	version: string;
	port: number;
	url: string;
	tokenFile: string;
	/** The Unix socket bridges connect to (see socket-server.ts). */
	socket: string;
	configFile: string;
	startedAt: string;
};

export function writeState(file: string, state: DaemonState): void {
	writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function readState(file: string): DaemonState | undefined {
	const text = readTextIfExists(file);
	if (!text) {
		return undefined;
	}

	try {
		return JSON.parse(text) as DaemonState;
	} catch {
		return undefined;
	}
}

/** The daemon's bearer token, as bridges, hooks and the CLI read it. */
export function readToken(file: string): string | undefined {
	return readTextIfExists(file)?.trim() || undefined;
}
