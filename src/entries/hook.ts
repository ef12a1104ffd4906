#!/usr/bin/env node
import {DEFAULT_DAEMON_NAME} from '../config/paths.js';
import {sessionEnd} from '../hooks/session-end.js';
import {sessionStart} from '../hooks/session-start.js';

// The hooks' own entry, the same as `mcp-tooling hook …` but without the rest of the CLI: Claude
// gives all SessionEnd hooks 1.5 s together, and loading the whole CLI bundle costs a good part.
const [event, name = DEFAULT_DAEMON_NAME] = process.argv.slice(2);
const hooks: Record<string, (name: string) => Promise<number>> = {
	'session-start': sessionStart,
	'session-end': sessionEnd,
};
const hook = event ? hooks[event] : undefined;
if (!hook) {
	process.stderr.write(`usage: node hook.js session-start|session-end [NAME]\n`);
	process.exit(2);
}

process.exit(await hook(name));
