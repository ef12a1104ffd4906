import {claudeFiles} from '../config/claude-files.js';
import {byPrecedence, claudeCodeSources, type ImportSource, isOwnBridge, readImportSource, type SourceEntry} from '../config/import.js';
import type {Registration} from '../lifecycle/registrations.js';
import {isRecord} from '../shared/is-record.js';
import {cliCommand} from '../shared/cli-command.js';
import {plural} from '../shared/plural.js';
import {samePath} from '../shared/real-path.js';

/** The servers Claude Code starts by itself in `cwd`, each name once (the one that wins), never our own bridge. */
function ownServers(cwd: string): SourceEntry[] {
	const sources = claudeCodeSources(cwd, claudeFiles()).flatMap((file): ImportSource[] => {
		try {
			return [readImportSource(file, {cwd, allProjects: false})];
		} catch {
			// A file Claude Code cannot read either starts nothing; doctor reports it.
			return [];
		}
	});
	const seen = new Set<string>();
	return byPrecedence(sources).filter(entry => !isOwnBridge(entry.raw) && !seen.has(entry.name) && seen.add(entry.name));
}

function isProcess(entry: SourceEntry): boolean {
	return isRecord(entry.raw) && typeof entry.raw.command === 'string' && entry.raw.url === undefined;
}

/** How many of the open sessions start `entry`: the user's servers run in all, a project's only in its own. */
function sessionsRunning(entry: SourceEntry, cwd: string, registrations: readonly Registration[]): number {
	const inProject = registrations.filter(registration => registration.projectDir !== undefined && samePath(registration.projectDir, cwd));
	return Math.max(1, entry.scope === 'user' ? registrations.length : inProject.length);
}

/**
 * For a daemon that serves nothing yet: which servers Claude Code starts by itself here, one
 * copy in each session, what that costs across the sessions open now, and the one command that
 * moves them into the daemon. Nothing when there are none.
 */
export function firstRunLines(cwd: string, registrations: readonly Registration[]): string[] {
	const servers = ownServers(cwd);
	if (servers.length === 0) {
		return [];
	}

	const processes = servers.filter(isProcess).reduce((sum, entry) => sum + sessionsRunning(entry, cwd, registrations), 0);
	const names = servers.map(entry => `${entry.name} (${entry.origin ?? entry.file})`).join(', ');
	const sessions = plural(Math.max(1, registrations.length), 'session');
	return [
		`Claude Code starts ${plural(servers.length, 'MCP server')} of its own here, a copy in every session: ${names}; ` +
			`that is ${plural(processes, 'server process', 'server processes')} across the ${sessions} open now.`,
		`To run each once, shared by all sessions, the user can type \`${cliCommand('servers import --remove-from-source')}\` ` +
			`(to preview it first: \`${cliCommand('servers import --dry-run')}\`); sessions started after that get them through this daemon.`,
	];
}
