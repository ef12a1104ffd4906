import {cliCommand, speakTo} from '../shared/cli-command.js';
import {projectDuplicates} from '../config/duplicates.js';
import {resolvePaths} from '../config/paths.js';
import {collectStatus} from '../lifecycle/status-report.js';
import {ensureDaemon} from '../lifecycle/ensure-daemon.js';
import {forgetOtherSessions, liveRegistrations, register} from '../lifecycle/registrations.js';
import {refuseUnsupported} from '../platform/support.js';
import {firstRunLines} from './first-run.js';
import {isAvailable} from '../contract/status.js';
import {clientPid, readHookInput, sessionIdOf} from './hook-input.js';

/**
 * SessionStart: starts or reuses the daemon, registers this session, and tells Claude in a few
 * lines what it serves. Never fails the session: on trouble it says what went wrong and exits 0.
 */
export async function sessionStart(name: string): Promise<number> {
	speakTo('claude');
	if (refuseUnsupported(process.stdout)) {
		return 0;
	}

	const input = await readHookInput();
	const paths = resolvePaths(name);
	try {
		const projectDir = process.env.CLAUDE_PROJECT_DIR ?? input.cwd;
		const session = {clientPid: clientPid(), sessionId: sessionIdOf(input)};
		register(paths.registrationsDir, {...session, ...(projectDir && {projectDir})});
		forgetOtherSessions(paths.registrationsDir, session);
		const daemon = await ensureDaemon(name);
		const status = await collectStatus(name, paths);
		const servers = status.servers.map(
			server =>
				`${server.name} (${server.state === 'idle' ? 'available, starts on first use' : server.state}` +
				`${isAvailable(server) ? `, ${server.tools} tools` : ''})`,
		);
		const trouble = status.servers.filter(server => server.lastError).map(server => `  - ${server.name}: ${server.lastError}`);
		const duplicates = projectDir ? projectDuplicates(projectDir, paths.configFile) : [];
		const firstRun = servers.length === 0 ? firstRunLines(projectDir ?? process.cwd(), liveRegistrations(paths.registrationsDir)) : [];
		const lines = [
			`mcp-tooling: shared MCP proxy daemon "${name}" ${daemon.started ? 'started' : 'running'} (pid ${daemon.pid}); ` +
				'its tools appear as mcp__plugin_mcp-tooling_mcp__<server>__<tool>.',
			`Servers: ${
				servers.length > 0
					? servers.join(', ')
					: firstRun.length > 0
						? 'none in the shared config yet'
						: `none configured (add some to ${paths.configFile} or run \`${cliCommand('servers import')}\`)`
			}.`,
			...firstRun,
			...(trouble.length > 0
				? ['Problems:', ...trouble, `Run \`${cliCommand('doctor')}\` or \`${cliCommand('daemon status')}\` for details.`]
				: []),
			...duplicates.map(
				duplicate =>
					`Duplicate: ${duplicate.file} declares "${duplicate.name}", which the shared daemon already serves as "${duplicate.sharedAs}", ` +
					'so Claude Code runs a second copy. ' +
					`Use the shared one's tools (mcp__plugin_mcp-tooling_mcp__${duplicate.sharedAs}__…); to remove the copy: ${duplicate.fix}`,
			),
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} catch (error) {
		process.stdout.write(
			`mcp-tooling: the shared MCP daemon is not available: ${(error as Error).message}\n` +
				`See \`${cliCommand('daemon logs')}\` (${paths.logFile}).\n`,
		);
	}

	return 0;
}
