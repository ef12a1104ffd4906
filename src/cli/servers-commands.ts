import {cliCommand} from '../shared/cli-command.js';
import {claudeFiles} from '../config/claude-files.js';
import {isAbsolute, join, resolve} from 'node:path';
import {readSharedConfig, removeFromSource, writeServers} from '../config/edit-config.js';
import {checkEntry} from '../config/entry.js';
import {byPrecedence, claudeCodeSources, planImport, readImportSource, type Decision, type SourceEntry} from '../config/import.js';
import {loadConfig} from '../config/load.js';
import {DEFAULT_DAEMON_NAME, resolvePaths} from '../config/paths.js';
import {describeTransport} from '../config/schema.js';
import {describeEntry, serverIdentity} from '../config/server-identity.js';
import {collectStatus} from '../lifecycle/status-report.js';
import {answeringDaemon} from '../lifecycle/find-daemon.js';
import {plural} from '../shared/plural.js';
import {samePath} from '../shared/real-path.js';
import {parse, UsageError} from './args.js';
import type {Command} from './commands.js';

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
			...config.broken.map(entry => ({
				name: entry.name,
				scope: null,
				namespace: null,
				disabled: false,
				transport: null,
				state: 'invalid',
				tools: null,
				error: entry.error,
			})),
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
			process.stdout.write(
				`  ${row.name}: ${row.state}${tools}${row.transport ? ` — ${row.transport}` : ''}` +
					`${row.error ? `\n      error: ${row.error}` : ''}\n`,
			);
		}

		return 0;
	},
};

const CONFIG_FILE = '$MCPPROXY_CONFIG_PATH, default $AITKIT_ROOT/lib/mcpproxy/mcp_proxy_config.json';

function print(lines: string[]): void {
	for (const line of lines) {
		process.stdout.write(`${line}\n`);
	}
}

function unsetWarning(variables: string[]): string {
	const one = variables.length === 1;
	return (
		`warning: ${variables.map(variable => `\${${variable}}`).join(', ')} ${one ? 'is' : 'are'} not set here; ` +
		`the daemon needs ${one ? 'it' : 'them'} in its environment`
	);
}

/** A running daemon watches the config file and applies server edits itself, so no restart is asked for. */
async function reloadHint(): Promise<string[]> {
	return (await answeringDaemon(resolvePaths(DEFAULT_DAEMON_NAME)))
		? [`The daemon is running and picks the change up by itself; \`${cliCommand('daemon status')}\` shows it.`]
		: [];
}

/** An entry's name, with where it is when that could be more than one place. */
function entryLabel(entry: SourceEntry, severalFiles: boolean): string {
	const where = [...(severalFiles ? [entry.file] : []), ...(entry.origin === undefined ? [] : [entry.origin])];
	return where.length === 0 ? entry.name : `${entry.name} (${where.join(', ')})`;
}

function decisionLines(decision: Decision, severalFiles: boolean): string[] {
	const label = entryLabel(decision.entry, severalFiles);
	switch (decision.action) {
		case 'add': {
			return [
				`  add   ${label}: ${describeEntry(decision.entry.raw)}`,
				...(decision.unsetVariables.length === 0 ? [] : [`        ${unsetWarning(decision.unsetVariables)}`]),
			];
		}

		case 'served': {
			return [
				`  skip  ${label}: ${
					decision.byThisImport ? `same server as ${decision.servedAs}, imported above` : `already served as ${decision.servedAs}`
				}`,
			];
		}

		case 'skip': {
			return [`  skip  ${label}: ${decision.reason}`];
		}
	}
}

const importCommand: Command = {
	summary: 'Copy servers from .mcp.json, ~/.claude.json or Claude Desktop into the shared config',
	usage: '[--from FILE] [--all-projects] [--remove-from-source] [--dry-run] [--yes]',
	help: `
Copies MCP server entries into the shared config (${CONFIG_FILE}) from
  - a project's .mcp.json: {"mcpServers": {…}};
  - ~/.claude.json: your user servers and those of the project in the current directory
    (with --all-projects, every project's);
  - Claude Desktop's claude_desktop_config.json: {"mcpServers": {…}}.
Without --from it reads what Claude Code itself starts here: ./.mcp.json and ~/.claude.json,
both if both exist; with --from, FILE, whose kind is told from its content. Entries are copied as written, at the end of the config;
its other keys and entries stay as they are.

It prints what happens to each entry, then does it: it never asks, so scripts and CI can run
it (--yes is accepted and changes nothing). An entry is skipped when
  - the config already serves the same server, under any name ("already served as NAME"):
    same command, args and cwd, or same url, compared as exact strings with \${VAR} left as
    written, and the same env or headers in any order; "type": "stdio" equals no type, a
    missing args, env or headers equals an empty one, and proxy-only keys do not count;
  - its name is taken by a different server, in the config or earlier in the import (from
    ~/.claude.json the current project's servers come first, then the user's, then other
    projects', as Claude Code lets one override the other);
  - the daemon could not read it: the reason names the field and the fix.
Skipped entries do not make it fail: it exits 0 once the config is written.

  --from FILE           import from FILE
  --all-projects        from ~/.claude.json, also import the servers of every other project
  --remove-from-source  then take the entries now served (added, or skipped as already
                        served) out of the file each came from, after copying that file to
                        FILE.bak-<time>; the rest of it stays byte for byte, and Claude Code
                        stops starting its own copies. Should a file change meanwhile (Claude
                        Code rewrites ~/.claude.json as it runs), it is left alone: run it again.
  --dry-run             print what would happen, write nothing
  --yes                 accepted for scripts; import never asks`,
	async run(args) {
		const {values} = parse(
			args,
			{
				from: {type: 'string'},
				'all-projects': {type: 'boolean'},
				'remove-from-source': {type: 'boolean'},
				'dry-run': {type: 'boolean'},
				yes: {type: 'boolean'},
			},
			0,
		);
		const cwd = process.cwd();
		const files = values.from === undefined ? claudeCodeSources(cwd, claudeFiles()) : [resolve(values.from)];
		const configFile = resolvePaths(DEFAULT_DAEMON_NAME).configFile;
		for (const file of files) {
			if (samePath(file, configFile)) throw new UsageError(`${file} is the shared config itself; import from another file`);
		}

		if (files.length === 0) {
			process.stderr.write(
				`Nothing to import from: there is no ${join(cwd, '.mcp.json')} and no ${claudeFiles().userConfig}; name a file with --from.\n`,
			);
			return 1;
		}

		const sources = files.map(file => readImportSource(file, {cwd, allProjects: values['all-projects'] ?? false}));
		if (values['all-projects'] && !sources.some(source => source.format === 'claude-code')) {
			throw new UsageError(`--all-projects is for ~/.claude.json, and ${files.join(' and ')} has no "projects"`);
		}

		const config = readSharedConfig(configFile);
		const decisions = planImport(byPrecedence(sources), config.servers, process.env);
		const added = decisions.flatMap(decision => (decision.action === 'add' ? [decision.entry] : []));
		const served = decisions.flatMap(decision => (decision.action === 'skip' ? [] : [decision.entry]));
		const removing = values['remove-from-source'] ?? false;
		const leftOut = sources.reduce((sum, source) => sum + source.otherProjectServers, 0);
		print([
			`From ${sources.map(source => `${source.file} (${source.label})`).join(' and ')} into ${config.file}:`,
			...decisions.flatMap(decision => decisionLines(decision, sources.length > 1)),
			...(decisions.length === 0 ? ['  no MCP servers there'] : []),
			...(leftOut > 0 ? [`  (${plural(leftOut, 'server')} of other projects left out; --all-projects imports them too)`] : []),
			...(removing
				? [
						`--remove-from-source: ${served.length === 0 ? 'nothing' : plural(served.length, 'server')} to take out of ` +
							`${[...new Set(served.map(entry => entry.file))].join(' and ') || files.join(' and ')} (added or already served).`,
					]
				: []),
		]);
		if (values['dry-run']) {
			print(['Dry run: nothing was written.']);
			return 0;
		}

		writeServers(config, {set: Object.fromEntries(added.map(entry => [entry.name, entry.raw]))});
		print([added.length === 0 ? 'Nothing to add.' : `Added ${plural(added.length, 'server')} to ${config.file}.`]);
		for (const source of removing ? sources : []) {
			const mine = served.filter(entry => entry.file === source.file);
			if (mine.length > 0) {
				const backup = removeFromSource(source, mine);
				print([`Removed ${plural(mine.length, 'server')} from ${source.file}; its previous version is in ${backup}.`]);
			}
		}

		if (added.length > 0) {
			print(await reloadHint());
		}

		return 0;
	},
};

type AddValues = {env?: string[]; cwd?: string; url?: string; type?: string; header?: string[]; namespace?: string};

function splitPair(item: string, separator: string, flag: string, example: string): [string, string] {
	const at = item.indexOf(separator);
	if (at <= 0) {
		throw new UsageError(`${flag} ${JSON.stringify(item)} is not KEY${separator}VALUE; write it like ${flag} '${example}'`);
	}

	return [item.slice(0, at), item.slice(at + separator.length)];
}

function namespaceValue(text: string): boolean {
	if (text !== 'true' && text !== 'false') {
		throw new UsageError(`--namespace takes true or false, not ${JSON.stringify(text)}`);
	}

	return text === 'true';
}

/** The daemon does not run in this directory, so a relative cwd is made absolute; a ${VAR} one is its to expand. */
function absoluteDir(dir: string): string {
	return isAbsolute(dir) || dir.startsWith('$') ? dir : resolve(dir);
}

function buildEntry(values: AddValues, command: string | undefined, args: string[]): Record<string, unknown> {
	const extras = values.namespace === undefined ? {} : {namespace: namespaceValue(values.namespace)};
	if (values.url !== undefined) {
		if (command !== undefined) {
			throw new UsageError('give either --url or a command after --, not both');
		}

		if (values.env !== undefined || values.cwd !== undefined) {
			throw new UsageError('--env and --cwd are for a server started by a command; a server at a --url takes --header');
		}

		const type = values.type ?? 'http';
		if (type !== 'http' && type !== 'sse') {
			throw new UsageError(`--type takes http or sse, not ${JSON.stringify(type)}`);
		}

		const headers = values.header?.map(header =>
			splitPair(header, ':', '--header', 'Authorization: Bearer ${API_TOKEN}').map(part => part.trim()),
		);
		return {type, url: values.url, ...(headers === undefined ? {} : {headers: Object.fromEntries(headers)}), ...extras};
	}

	if (command === undefined) {
		throw new UsageError(
			'give the command that starts the server after --, e.g. `-- npx -y some-server`, or --url URL for a server at a URL',
		);
	}

	if (values.type !== undefined || values.header !== undefined) {
		throw new UsageError('--type and --header are for a server at a --url');
	}

	const env = values.env?.map(pair => splitPair(pair, '=', '--env', 'API_TOKEN=${API_TOKEN}'));
	return {
		command,
		...(args.length === 0 ? {} : {args}),
		...(env === undefined ? {} : {env: Object.fromEntries(env)}),
		...(values.cwd === undefined ? {} : {cwd: absoluteDir(values.cwd)}),
		...extras,
	};
}

const add: Command = {
	summary: 'Add a server to the shared config',
	usage: `NAME [--env K=V]… [--cwd DIR] [--namespace false] [--force] -- COMMAND [ARGS…]
NAME --url URL [--type http|sse] [--header 'K: V']… [--namespace false] [--force]`,
	help: `
Adds server NAME to the shared config (${CONFIG_FILE}): one started by COMMAND
with ARGS (everything after --), or one at URL. The entry is checked as the daemon reads it,
then written as {"command", "args", "env", "cwd"} or {"type", "url", "headers"}, with \${VAR}
and \${VAR:-default} kept for the daemon to expand. The file's other keys and entries stay as
they are.
  --env K=V          an environment variable of the server (repeatable)
  --cwd DIR          the directory to start it in (made absolute)
  --url URL          a server at URL instead of a command
  --type http|sse    its transport (default http; sse for servers that only speak the older SSE)
  --header 'K: V'    an HTTP header to send it (repeatable)
  --namespace false  expose its tools, prompts and resources without the NAME prefix
  --force            replace NAME if it exists (in place)`,
	async run(args) {
		const split = args.indexOf('--');
		const [command, ...commandArgs] = split === -1 ? [] : args.slice(split + 1);
		const {values, positionals} = parse(
			split === -1 ? args : args.slice(0, split),
			{
				env: {type: 'string', multiple: true},
				cwd: {type: 'string'},
				url: {type: 'string'},
				type: {type: 'string'},
				header: {type: 'string', multiple: true},
				namespace: {type: 'string'},
				force: {type: 'boolean'},
			},
			1,
		);
		const [name] = positionals;
		if (name === undefined) {
			throw new UsageError('missing NAME, the name to give the server');
		}

		const entry = buildEntry(values, command, commandArgs);
		const check = checkEntry(name, entry, process.env);
		if (!check.ok) {
			throw new Error(`not added: ${check.error}`);
		}

		const config = readSharedConfig(resolvePaths(DEFAULT_DAEMON_NAME).configFile);
		const replaced = Object.hasOwn(config.servers, name);
		if (replaced && !values.force) {
			throw new Error(
				`"${name}" is already in ${config.file} (${describeEntry(config.servers[name])}); ` +
					'pass --force to replace it, or choose another name',
			);
		}

		writeServers(config, {set: {[name]: entry}});
		const identity = serverIdentity(entry);
		const twin = Object.entries(config.servers).find(([other, raw]) => other !== name && serverIdentity(raw) === identity)?.[0];
		print([
			`${replaced ? 'Replaced' : 'Added'} ${name} in ${config.file}: ${describeEntry(entry)}`,
			...(check.unsetVariables.length === 0 ? [] : [unsetWarning(check.unsetVariables)]),
			...(twin === undefined ? [] : [`note: the same server is also configured as ${twin}`]),
			...(await reloadHint()),
		]);
		return 0;
	},
};

const remove: Command = {
	summary: 'Remove servers from the shared config',
	usage: 'NAME…',
	help: `
Removes each server NAME from the shared config (${CONFIG_FILE}). If one NAME
is not there, nothing is removed. The file's other keys and entries stay as they are.`,
	async run(args) {
		const names = [...new Set(parse(args, {}, Number.POSITIVE_INFINITY).positionals)];
		if (names.length === 0) {
			throw new UsageError('name the servers to remove');
		}

		const config = readSharedConfig(resolvePaths(DEFAULT_DAEMON_NAME).configFile);
		const unknown = names.filter(name => !Object.hasOwn(config.servers, name));
		if (unknown.length > 0) {
			const listed = unknown.map(name => JSON.stringify(name)).join(', ');
			throw new Error(
				`no server ${listed} in ${config.file}, so nothing was removed; \`${cliCommand('servers list')}\` shows the names there`,
			);
		}

		writeServers(config, {remove: names});
		print([`Removed ${names.join(', ')} from ${config.file}.`, ...(await reloadHint())]);
		return 0;
	},
};

const forget: Command = {
	summary: 'Drop what servers last listed, so that they start at once next time and list again',
	usage: 'NAME… | --all',
	help: `
A server that has run once is remembered: its tools, prompts and resources are kept in
$MCPPROXY_DATA_DIR/catalogs, and with them the daemon offers it without starting it until its
first use. This drops that for each NAME (every project's), or for all servers with --all. A
running daemon still offers what it holds in memory; the next daemon, or the next start of the
server, lists it afresh. An edit of an entry in the config drops its catalog by itself.`,
	async run(args) {
		const {values, positionals} = parse(args, {all: {type: 'boolean'}}, Number.POSITIVE_INFINITY);
		if (values.all === positionals.length > 0) {
			throw new UsageError('name the servers whose catalogs to drop, or give --all');
		}

		const {forgetCatalogs} = await import('../upstreams/catalog-store.js');
		const {catalogDir} = resolvePaths(DEFAULT_DAEMON_NAME);
		const names = new Set(positionals);
		const dropped = forgetCatalogs(catalogDir, server => values.all === true || names.has(server));
		print([`Dropped ${plural(dropped, 'catalog')}${values.all ? '' : ` of ${positionals.join(', ')}`} from ${catalogDir}.`]);
		return 0;
	},
};

export const serversCommands: Record<string, Command> = {list, add, remove, import: importCommand, forget};
