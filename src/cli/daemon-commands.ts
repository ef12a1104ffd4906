import {DEFAULT_DAEMON_NAME} from '../config/paths.js';
import {runDaemon} from '../daemon/run.js';
import {parse} from './args.js';
import type {Command} from './commands.js';

const run: Command = {
	summary: 'Run the daemon in the foreground (what `daemon start` runs detached)',
	usage: '[NAME] [--demo]',
	help: `
Runs daemon NAME (default ${DEFAULT_DAEMON_NAME}) in this process until SIGTERM or Ctrl-C.
--demo  serve the MCP servers bundled with a development checkout instead of the config file.`,
	async run(args) {
		const {values, positionals} = parse(args, {demo: {type: 'boolean'}}, 1);
		await runDaemon({name: positionals[0] ?? DEFAULT_DAEMON_NAME, demo: values.demo});
		return 0;
	},
};

export const daemonCommands: Record<string, Command> = {run};
