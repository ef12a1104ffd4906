import {loadConfig} from '../config/load.js';
import {DEFAULT_DAEMON_NAME, resolvePaths} from '../config/paths.js';
import {collectStatus} from '../lifecycle/daemon-status.js';
import {parse} from './args.js';
import type {Command} from './commands.js';

function describeTransport(transport: {kind: string; command?: string; args?: string[]; url?: string}): string {
	return transport.kind === 'stdio' ? [transport.command, ...(transport.args ?? [])].join(' ') : `${transport.kind} ${transport.url}`;
}

const list: Command = {
	summary: 'List the configured servers and, if the daemon runs, their state',
	usage: '[--json]',
	help: `
Lists every server in the config file ($MCPPROXY_CONFIG_PATH, default
$AITKIT_ROOT/lib/mcpproxy/mcp_proxy_config.json), entries that could not be read with their
error, and the live state of each server when the daemon runs.`,
	async run(args) {
		const {values} = parse(args, {json: {type: 'boolean'}}, 0);
		const paths = resolvePaths(DEFAULT_DAEMON_NAME);
		const config = loadConfig(paths.configFile);
		const status = await collectStatus(DEFAULT_DAEMON_NAME, paths);
		const live = new Map(status.servers.map(server => [server.name, server]));
		const rows = [
			...config.servers.map(spec => ({
				name: spec.name,
				scope: spec.scope,
				namespace: spec.namespace,
				disabled: spec.disabled,
				transport: describeTransport(spec.transport),
				state: spec.disabled ? 'disabled' : (live.get(spec.name)?.state ?? (status.running ? 'unknown' : 'not running')),
				tools: live.get(spec.name)?.tools ?? null,
				error: live.get(spec.name)?.lastError ?? null,
			})),
			...config.broken.map(entry => ({name: entry.name, scope: null, namespace: null, disabled: false, transport: null, state: 'invalid', tools: null, error: entry.error})),
		];
		if (values.json) {
			process.stdout.write(`${JSON.stringify({configFile: config.file, exists: config.exists, servers: rows}, null, 2)}\n`);
			return 0;
		}

		if (!config.exists) {
			process.stdout.write(`No config file yet at ${config.file}.\n`);
			return 0;
		}

		process.stdout.write(`Servers in ${config.file}:\n`);
		for (const row of rows) {
			const tools = row.tools === null ? '' : `, ${row.tools} tools`;
			process.stdout.write(`  ${row.name}: ${row.state}${tools}${row.transport ? ` — ${row.transport}` : ''}${row.error ? `\n      error: ${row.error}` : ''}\n`);
		}

		return 0;
	},
};

export const serversCommands: Record<string, Command> = {list};
