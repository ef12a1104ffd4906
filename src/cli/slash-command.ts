import type {Command} from './commands.js';
import {main} from './main.js';

/** What each action of the slash command runs. */
export const ACTIONS: Record<string, string[]> = {
	status: ['daemon', 'status'],
	start: ['daemon', 'start'],
	stop: ['daemon', 'stop'],
	restart: ['daemon', 'restart'],
	logs: ['daemon', 'logs', '-n', '40'],
	servers: ['servers', 'list'],
	search: ['tools', 'search'],
	doctor: ['doctor'],
};

export const slashCommand: Command = {
	summary: 'What /mcp-tooling:mcp-proxy-daemoning runs in Claude Code',
	usage: `[${Object.keys(ACTIONS).join('|')}]`,
	help: `
Runs the CLI command behind each action of the /mcp-tooling:mcp-proxy-daemoning slash command;
no action means status.`,
	async run(args) {
		const [action = 'status', ...rest] = args;
		const command = ACTIONS[action];
		if (!command) {
			process.stdout.write(`Unknown action "${action}". Available: ${Object.keys(ACTIONS).join(', ')}.\n`);
			return 2;
		}

		return main([...command, ...rest]);
	},
};
