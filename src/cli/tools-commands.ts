import {cliCommand} from '../shared/cli-command.js';
import {DEFAULT_DAEMON_NAME, resolvePaths} from '../config/paths.js';
import {toolSearchPath, type ToolSearchMatch} from '../contract/tool-search.js';
import {answeringDaemon} from '../lifecycle/find-daemon.js';
import {getJson} from '../lifecycle/status-client.js';
import {parse, UsageError} from './args.js';
import type {Command} from './commands.js';

const search: Command = {
	summary: 'Find the tools of the shared servers that match what you want to do',
	usage: 'QUERY… [--limit N] [--json]',
	get help() {
		return `
Ranks every tool of the daemon's shared servers against QUERY (plain words: "read a file",
"create an issue") the way retrieve_tools does, best first, and prints name, server, score and
description. The daemon must be running (\`${cliCommand('daemon start')}\`).`;
	},
	async run(args) {
		const {values, positionals} = parse(args, {limit: {type: 'string'}, json: {type: 'boolean'}}, Number.POSITIVE_INFINITY);
		const query = positionals.join(' ').trim();
		if (query === '') {
			throw new UsageError(`say what you are looking for, e.g. \`${cliCommand('tools search read a file')}\``);
		}

		const daemon = await answeringDaemon(resolvePaths(DEFAULT_DAEMON_NAME));
		if (!daemon) {
			process.stderr.write(`mcp-tooling tools search: the daemon is not running; start it with \`${cliCommand('daemon start')}\`.\n`);
			return 1;
		}

		const limit = Number(values.limit ?? 10);
		const matches = (await getJson(daemon, daemon.token, toolSearchPath({query, limit}))) as ToolSearchMatch[];
		if (values.json) {
			process.stdout.write(`${JSON.stringify(matches, null, 2)}\n`);
			return 0;
		}

		if (matches.length === 0) {
			process.stdout.write(`No tool matches "${query}".\n`);
			return 0;
		}

		for (const match of matches) {
			const description = match.description.split('\n')[0]!.slice(0, 100);
			process.stdout.write(`${match.score.toFixed(2).padStart(7)}  ${match.name}  (${match.server})\n         ${description}\n`);
		}

		return 0;
	},
};

export const toolsCommands: Record<string, Command> = {search};
