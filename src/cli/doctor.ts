import {DEFAULT_DAEMON_NAME, resolvePaths} from '../config/paths.js';
import {resolveSettings} from '../config/settings.js';
import {answeringDaemon, recordedDaemon} from '../lifecycle/find-daemon.js';
import type {CheckResult} from '../doctor/check.js';
import {claudeFiles} from '../config/claude-files.js';
import {checkCliOnPath} from '../doctor/cli-on-path.js';
import {checkConfig} from '../doctor/config-check.js';
import {checkDuplicates} from '../doctor/duplicates.js';
import {checkNode} from '../doctor/node-version.js';
import {checkPlugin} from '../doctor/plugin.js';
import {checkPort} from '../doctor/port.js';
import {formatReport, summarize} from './doctor-report.js';
import {checkServers} from '../doctor/servers.js';
import {checkStaleFiles} from '../doctor/stale-files.js';
import {checkTokenFile} from '../doctor/token-file.js';
import {CLI_NAME} from '../shared/cli-command.js';
import {plural} from '../shared/plural.js';
import {parse, UsageError} from './args.js';
import type {Command} from './commands.js';
import {outputWidth} from './table.js';

function timeoutOf(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const seconds = Number(text);
	if (text.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
		throw new UsageError(`--timeout takes a number of seconds greater than 0, not ${JSON.stringify(text)}`);
	}

	return seconds * 1000;
}

/** The port the daemon would take: the config's settings, or the environment's when the config is broken. */
function configuredPort(file: string, fromConfig: number | undefined): number | undefined {
	if (fromConfig !== undefined) {
		return fromConfig;
	}

	try {
		return resolveSettings(undefined, process.env, file).port;
	} catch {
		return undefined;
	}
}

export const doctorCommand: Command = {
	summary: 'Check the setup and say how to fix what is wrong',
	usage: '[NAME] [--json] [--fix] [--skip-servers] [--timeout SECONDS]',
	help: `
Checks, each with a verdict (ok, warn, FAIL) and the exact fix:
  - Node.js is version 20 or later;
  - the config file parses and each server entry is valid (file, JSON path, fix);
  - the token file is readable only by you (mode 0600, yours);
  - no pid, state or registration file names a process that is gone;
  - the daemon's port is held by the daemon, or free when it does not run;
  - the Claude Code plugin is installed and enabled (~/.claude/settings.json enabledPlugins,
    ~/.claude/plugins/installed_plugins.json, or the project's .claude/settings*.json);
  - a terminal runs ${CLI_NAME} by name (install-cli puts a launcher on PATH);
  - no server of a project's .mcp.json or of ~/.claude.json is also in the shared config;
  - every enabled server starts here and lists its tools (its stderr is shown if not); a
    project server is started for the current directory.
Exits 1 if a check fails; warnings alone exit 0.
  --json          one JSON object: ok, failures, warnings, checks [{id, title, verdict, detail, fix, output}]
  --fix           remove the stale files found (only files; no process is signalled)
  --skip-servers  do not start the servers
  --timeout SECONDS  give each server at most this long to start (default: its initTimeout)
NAME is the daemon's name (default ${DEFAULT_DAEMON_NAME}).`,
	async run(args) {
		const {values, positionals} = parse(
			args,
			{json: {type: 'boolean'}, fix: {type: 'boolean'}, 'skip-servers': {type: 'boolean'}, timeout: {type: 'string'}},
			1,
		);
		const name = positionals[0] ?? DEFAULT_DAEMON_NAME;
		const timeoutMs = timeoutOf(values.timeout);
		const paths = resolvePaths(name);
		const cwd = process.cwd();
		const files = claudeFiles();
		const checks: CheckResult[] = [checkNode()];
		const {results, config} = checkConfig(paths.configFile);
		checks.push(...results, checkTokenFile(paths.tokenFile));
		// Before anything that reads the daemon's files: reading them through the lifecycle code drops stale ones.
		checks.push(checkStaleFiles(paths, values.fix ?? false).result);
		const port = configuredPort(paths.configFile, config?.settings.port);
		if (port !== undefined) {
			const running = await answeringDaemon(paths);
			const silent = running ? undefined : recordedDaemon(name);
			checks.push(await checkPort({port, running, silent}));
		}

		checks.push(checkPlugin(files, cwd), checkCliOnPath(), checkDuplicates(paths.configFile, files, cwd));
		if (config && !values['skip-servers'] && config.servers.length > 0) {
			const announce = !values.json && process.stderr.isTTY;
			if (announce) {
				process.stderr.write(`  starting ${plural(config.servers.length, 'server')}…`);
			}

			const servers = await checkServers(config, {cwd, timeoutMs});
			if (announce) {
				process.stderr.write('\r\u001B[2K');
			}

			checks.push(...servers);
		}

		const report = summarize(checks);
		process.stdout.write(
			values.json
				? `${JSON.stringify(report, null, 2)}\n`
				: `mcp-tooling doctor (daemon "${name}", config ${paths.configFile})\n\n${formatReport(report, outputWidth())}`,
		);
		return report.ok ? 0 : 1;
	},
};
