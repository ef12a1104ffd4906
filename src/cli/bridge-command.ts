import {runBridge} from '../bridge/run.js';
import {DEFAULT_DAEMON_NAME} from '../config/paths.js';
import {parse} from './args.js';
import type {Command} from './commands.js';

export const bridgeCommand: Command = {
	summary: 'Stdio MCP server that connects to the daemon (what dist/bridge.js runs)',
	usage: '[NAME]',
	help: `
Speaks MCP over stdin/stdout and relays it to daemon NAME (default ${DEFAULT_DAEMON_NAME}), starting
the daemon if needed and reconnecting by itself if the daemon restarts. Exits when stdin closes.`,
	async run(args) {
		await runBridge(parse(args, {}, 1).positionals[0] ?? DEFAULT_DAEMON_NAME);
		// The bridge exits the process itself when its client goes away.
		return new Promise<number>(() => undefined);
	},
};
