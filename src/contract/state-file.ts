import {writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {asIdentity, type ProcessIdentity} from '../platform/os-processes.js';
import {recordIn} from '../shared/record-file.js';

/** What a running daemon tells bridges, hooks and the CLI about itself. */
export type DaemonState = ProcessIdentity & {
	name: string;
	version: string;
	port: number;
	url: string;
	tokenFile: string;
	/** The Unix socket bridges connect to (see daemon/socket-server.ts). */
	socket: string;
	configFile: string;
	startedAt: string;
	/** The daemon's limit on one message: bridges read within it what the daemon sends. */
	maxMessageBytes?: number;
};

// Checked by hand, not with zod: the bridge reads this file, and its bundle stays without zod.
const TEXT_FIELDS = ['name', 'version', 'url', 'tokenFile', 'socket', 'configFile', 'startedAt'] as const;

function isPort(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535;
}

export function writeState(file: string, state: DaemonState): void {
	writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

/** The state file's content; a file that is not one (torn, hand-edited, another version's) reads as missing. */
export function readState(file: string): DaemonState | undefined {
	const text = readTextIfExists(file);
	if (!text) {
		return undefined;
	}

	const said = recordIn(text);
	const identity = asIdentity(said);
	if (!said || !identity) {
		return undefined;
	}

	if (!isPort(said.port) || !TEXT_FIELDS.every(field => typeof said[field] === 'string')) {
		return undefined;
	}

	const fields = Object.fromEntries(TEXT_FIELDS.map(field => [field, said[field]])) as Pick<DaemonState, (typeof TEXT_FIELDS)[number]>;
	const {maxMessageBytes} = said;
	const limit =
		Number.isSafeInteger(maxMessageBytes) && (maxMessageBytes as number) > 0 ? {maxMessageBytes: maxMessageBytes as number} : {};
	return {...identity, ...fields, port: said.port, ...limit};
}
