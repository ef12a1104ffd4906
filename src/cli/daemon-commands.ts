import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {DEFAULT_DAEMON_NAME, resolvePaths} from '../config/paths.js';
import type {DaemonState} from '../contract/state-file.js';
import {runDaemon} from '../daemon/run.js';
import {collectStatus} from '../lifecycle/status-report.js';
import {ensureDaemon, type EnsureResult} from '../lifecycle/ensure-daemon.js';
import {stopDaemon} from '../lifecycle/stop-daemon.js';
import {parse, UsageError} from './args.js';
import type {Command} from './commands.js';
import {followLog} from './follow-log.js';
import {formatStatus} from './format-status.js';
import {waitForServers} from './start-progress.js';
import {outputWidth} from './table.js';

const NAME_HELP = `NAME is the daemon's name (default ${DEFAULT_DAEMON_NAME}); its files are $AITKIT_ROOT/run/mcp-proxy-NAME.*`;

function connectHelp(name: string, state: DaemonState): string {
	const bridge = join(dirname(fileURLToPath(import.meta.url)), 'bridge.js');
	return `mcp-tooling daemon "${name}" (pid ${state.pid}) is listening on ${state.url}
  token:   send "Authorization: Bearer <token>", the token is in ${state.tokenFile}
  bridges: connect to the Unix socket ${state.socket}
  connect: claude mcp add mcp-tooling -- node ${bridge}${name === DEFAULT_DAEMON_NAME ? '' : ` ${name}`}
           (or install the plugin: it runs that bridge for you)
  status:  node ${join(dirname(bridge), 'cli.js')} daemon status
  stop:    Ctrl-C
`;
}

const run: Command = {
	summary: 'Run the daemon in the foreground (what `daemon start` runs detached)',
	usage: '[NAME] [--demo] [--stay] [--detached]',
	help: `
Runs daemon NAME in this process until SIGTERM or Ctrl-C, or until nobody has used it for the
linger period (MCPPROXY_LINGER).
  --demo  serve the MCP servers bundled with a development checkout instead of the config file
  --stay      keep running with no sessions
  --detached  how \`daemon start\` runs it: its output is the log, so no connection help
${NAME_HELP}`,
	async run(args) {
		const {values, positionals} = parse(args, {demo: {type: 'boolean'}, stay: {type: 'boolean'}, detached: {type: 'boolean'}}, 1);
		const name = positionals[0] ?? DEFAULT_DAEMON_NAME;
		// In the log of a detached daemon, "stop: Ctrl-C" would mislead.
		const onReady = values.detached ? undefined : (state: DaemonState) => void process.stdout.write(connectHelp(name, state));
		await runDaemon({name, demo: values.demo, stay: values.stay, onReady});
		return 0;
	},
};

const DEFAULT_WAIT_SECONDS = 60;

const WAIT_OPTIONS = {'no-wait': {type: 'boolean'}, wait: {type: 'string'}} as const;

const WAIT_HELP = `Then it waits until each server has started or failed (at most --wait SECONDS, default
${DEFAULT_WAIT_SECONDS}), showing which are up: on a terminal as one updating line, otherwise a line per
change. --no-wait returns as soon as the daemon answers. Servers that fail do not change the exit code.`;

function waitSeconds(values: {'no-wait'?: boolean; wait?: string}): number {
	if (values['no-wait']) {
		return 0;
	}

	const seconds = Number(values.wait ?? DEFAULT_WAIT_SECONDS);
	if (values.wait?.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
		throw new UsageError(`--wait takes a number of seconds, not ${JSON.stringify(values.wait)}`);
	}

	return seconds;
}

const start: Command = {
	summary: 'Start the daemon in the background, or find it running',
	usage: '[NAME] [--no-wait | --wait SECONDS]',
	help: `
Starts daemon NAME detached (its output goes to the daemon log) and waits until it answers.
If it already runs, says so. Racing starters get one daemon.
${WAIT_HELP}
${NAME_HELP}`,
	async run(args) {
		return startAndWait(args, daemon => (daemon.started ? 'started' : 'already running'));
	},
};

/** `daemon start` and `restart`: (re)start, say so, then show the servers coming up unless told not to wait. */
async function startAndWait(
	args: string[],
	verb: (daemon: EnsureResult) => string,
	before?: (name: string) => Promise<void>,
): Promise<number> {
	const {values, positionals} = parse(args, WAIT_OPTIONS, 1);
	const name = positionals[0] ?? DEFAULT_DAEMON_NAME;
	const seconds = waitSeconds(values);
	await before?.(name);
	const daemon = await ensureDaemon(name);
	process.stdout.write(`mcp-tooling daemon "${name}" ${verb(daemon)}: pid ${daemon.pid}, ${daemon.url}\n`);
	if (seconds > 0) {
		await waitForServers(daemon, daemon.token, {timeoutMs: seconds * 1000});
	}

	return 0;
}

const stop: Command = {
	summary: 'Stop the daemon and every server it runs',
	usage: '[NAME]',
	help: `
Sends the daemon SIGTERM; it stops its servers and exits. If it does not exit within 10 s it is
killed together with its servers. Sessions still attached start a new daemon on their next request.
${NAME_HELP}`,
	async run(args) {
		const name = parse(args, {}, 1).positionals[0] ?? DEFAULT_DAEMON_NAME;
		const result = await stopDaemon(resolvePaths(name));
		process.stdout.write(
			result.stopped
				? `mcp-tooling daemon "${name}" (pid ${result.pid}) stopped${result.forced ? ' by force after it ignored SIGTERM' : ''}.\n`
				: `mcp-tooling daemon "${name}" is not running.\n`,
		);
		return 0;
	},
};

const restart: Command = {
	summary: 'Stop the daemon, then start it again',
	usage: '[NAME] [--no-wait | --wait SECONDS]',
	help: `
Stops daemon NAME if it runs, then starts it. Attached bridges reconnect by themselves.
${WAIT_HELP}
${NAME_HELP}`,
	async run(args) {
		return startAndWait(
			args,
			() => 'restarted',
			async name => {
				await stopDaemon(resolvePaths(name));
			},
		);
	},
};

const status: Command = {
	summary: 'Show the daemon, its sessions and its servers',
	usage: '[NAME] [--json]',
	help: `
Prints whether daemon NAME runs (pid, uptime, port, memory, version, routing), its sessions
(client pid, project, since; live, idle, or lingering: registered by a hook with no bridge
connected) and its servers (scope, state, pid, memory, tools, restarts, last error). Memory is PSS
on Linux and RSS (marked so) on macOS, for a server summed over its process group. Long errors are wrapped
to the terminal's width and cut after three lines.
--json prints one JSON object: running, pid, port, url, tokenFile, sessions,
servers [{name, scope, project, state, pid, tools, memory, restarts, lastError}], uptime, memory,
sessionList [{state, clientPid, projectDir, since, …}], and more; errors there are whole.
Exits 0 whether or not the daemon runs.
${NAME_HELP}`,
	async run(args) {
		const {values, positionals} = parse(args, {json: {type: 'boolean'}}, 1);
		const name = positionals[0] ?? DEFAULT_DAEMON_NAME;
		const report = await collectStatus(name, resolvePaths(name));
		process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report, outputWidth()));
		return 0;
	},
};

const logs: Command = {
	summary: 'Print the daemon log (-f to follow)',
	usage: '[NAME] [-f] [--server SERVER] [-n LINES]',
	help: `
Prints the last lines of the daemon log ($MCPPROXY_DATA_DIR/mcp-proxy.log), or with --server the
log that server's stderr goes to. -f keeps printing new lines until Ctrl-C.
${NAME_HELP}`,
	async run(args) {
		const {values, positionals} = parse(
			args,
			{follow: {type: 'boolean', short: 'f'}, server: {type: 'string'}, lines: {type: 'string', short: 'n'}},
			1,
		);
		const paths = resolvePaths(positionals[0] ?? DEFAULT_DAEMON_NAME);
		const file = values.server ? `${paths.serverLogDir}/${values.server}.log` : paths.logFile;
		return followLog(file, {follow: values.follow ?? false, lines: Number(values.lines ?? 50)});
	},
};

export const daemonCommands: Record<string, Command> = {start, stop, restart, status, logs, run};
