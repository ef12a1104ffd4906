import {DEFAULT_DAEMON_NAME} from '../config/paths.js';
import {sessionEnd} from '../hooks/session-end.js';
import {sessionStart} from '../hooks/session-start.js';
import {parse} from './args.js';
import type {Command} from './commands.js';

const sessionStartCommand: Command = {
	summary: 'Claude Code SessionStart hook: start or reuse the daemon, register the session',
	usage: '[NAME]',
	help: `
Reads the hook's JSON on stdin, starts daemon NAME (default ${DEFAULT_DAEMON_NAME}) unless it runs,
registers this Claude session, and prints a few lines of context for Claude. Always exits 0.`,
	async run(args) {
		return sessionStart(parse(args, {}, 1).positionals[0] ?? DEFAULT_DAEMON_NAME);
	},
};

const sessionEndCommand: Command = {
	summary: 'Claude Code SessionEnd hook: unregister the session',
	usage: '[NAME]',
	help: `
Reads the hook's JSON on stdin and removes this session's registration at once. The daemon
stops by itself once no session has used it for the linger period. Always exits 0.`,
	async run(args) {
		return sessionEnd(parse(args, {}, 1).positionals[0] ?? DEFAULT_DAEMON_NAME);
	},
};

export const hookCommands: Record<string, Command> = {
	'session-start': sessionStartCommand,
	'session-end': sessionEndCommand,
};
