import {recordIn} from '../shared/record-file.js';
import {clientIdentity, type ClientIdentity} from './client-identity.js';

/** The first line a bridge sends on the daemon's socket: the token, and whom it serves. */
export type Greeting = ClientIdentity & {token: string};

export function greetingLine(greeting: Greeting): string {
	return `${JSON.stringify(greeting)}\n`;
}

/** The greeting in `line` (without its newline), or undefined if it is none: it carries no token. */
export function readGreeting(line: string): Greeting | undefined {
	const said = recordIn(line);
	return typeof said?.token === 'string' ? {token: said.token, ...clientIdentity(said)} : undefined;
}
