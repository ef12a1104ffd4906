import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {isRecord} from '../shared/is-record.js';
import {readJsonObject} from '../shared/json-file.js';
import {samePath} from '../shared/real-path.js';
import {VERSION} from '../version.js';
import {type CheckResult, ok, warn} from './check.js';
import type {ClaudeFiles} from '../config/claude-files.js';

const PLUGIN = 'mcp-tooling';

/** One record of ~/.claude/plugins/installed_plugins.json (version 2), as Claude Code 2.1 writes it. */
type Install = {key: string; scope: string; installPath?: string; version?: string; projectPath?: string};

function installsOf(data: Record<string, unknown>): Install[] {
	const plugins = isRecord(data.plugins) ? data.plugins : {};
	return Object.entries(plugins)
		.filter(([key]) => key.split('@')[0] === PLUGIN)
		.flatMap(([key, records]) =>
			(Array.isArray(records) ? records : []).filter(isRecord).map(record => ({
				key,
				scope: typeof record.scope === 'string' ? record.scope : 'user',
				...(typeof record.installPath === 'string' ? {installPath: record.installPath} : {}),
				...(typeof record.version === 'string' ? {version: record.version} : {}),
				...(typeof record.projectPath === 'string' ? {projectPath: record.projectPath} : {}),
			})),
		);
}

/** The repository this CLI came from, as a marketplace to add, when it is one. */
function marketplaceSource(): string {
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let depth = 0; depth < 4; depth++) {
		if (existsSync(join(dir, '.claude-plugin', 'marketplace.json'))) {
			return dir;
		}

		dir = dirname(dir);
	}

	return '<path or git URL of the mcp-tooling repository>';
}

/** The settings files that may enable a plugin, weakest first: the later one wins. */
function settingsLayers(files: ClaudeFiles, cwd: string): string[] {
	return [join(files.configDir, 'settings.json'), join(cwd, '.claude', 'settings.json'), join(cwd, '.claude', 'settings.local.json')];
}

function enabledIn(layers: string[], key: string): {value: boolean | undefined; file?: string; problems: string[]} {
	let decided: {value: boolean | undefined; file?: string} = {value: undefined};
	const problems: string[] = [];
	for (const file of layers) {
		const read = readJsonObject(file);
		if ('error' in read) {
			problems.push(read.error);
			continue;
		}

		const enabled = 'data' in read && isRecord(read.data.enabledPlugins) ? read.data.enabledPlugins[key] : undefined;
		if (typeof enabled === 'boolean') {
			decided = {value: enabled, file};
		}
	}

	return {...decided, problems};
}

/**
 * Whether Claude Code loads the plugin here (its bridge and hooks): installed for the user or
 * this project (plugins/installed_plugins.json) and enabled in the settings (`enabledPlugins`).
 * Without it the CLI and daemon still work, so this only warns.
 */
export function checkPlugin(files: ClaudeFiles, cwd: string): CheckResult {
	const id = 'plugin';
	const title = 'Claude Code plugin';
	const source = marketplaceSource();
	const install = `\`claude plugin marketplace add ${source}\`, then \`claude plugin install ${PLUGIN}@${PLUGIN}\``;
	const registry = join(files.configDir, 'plugins', 'installed_plugins.json');
	const read = readJsonObject(registry);
	if ('error' in read) {
		return warn(id, title, read.error, `let Claude Code rewrite it: ${install}`);
	}

	const installs = 'data' in read ? installsOf(read.data) : [];
	if (installs.length === 0) {
		return warn(id, title, `${PLUGIN} is not installed in Claude Code (nothing in ${registry})`, install);
	}

	const here = installs.filter(entry => entry.scope === 'user' || (entry.projectPath !== undefined && samePath(entry.projectPath, cwd)));
	if (here.length === 0) {
		const projects = installs.map(entry => entry.projectPath ?? entry.scope).join(', ');
		return warn(
			id,
			title,
			`${PLUGIN} is installed only for other projects (${projects}), not for ${cwd}`,
			`\`claude plugin install ${installs[0]!.key}\` (user scope: every project)`,
		);
	}

	const chosen = here[0]!;
	const described =
		`${chosen.key} (scope ${chosen.scope}, version ${chosen.version ?? '?'}` +
		`${chosen.version && chosen.version !== VERSION ? `; this CLI is ${VERSION}` : ''})`;
	if (chosen.installPath !== undefined && !existsSync(chosen.installPath)) {
		return warn(
			id,
			title,
			`${described} is recorded as installed, but ${chosen.installPath} is gone`,
			`\`claude plugin uninstall ${chosen.key}\`, then \`claude plugin install ${chosen.key}\``,
		);
	}

	const enabled = enabledIn(settingsLayers(files, cwd), chosen.key);
	if (enabled.value !== true) {
		const where = enabled.file === undefined ? 'no settings file enables it' : `${enabled.file} disables it`;
		return warn(
			id,
			title,
			`${described} is installed but not enabled: ${where}`,
			`\`claude plugin enable ${chosen.key}\``,
			enabled.problems.length > 0 ? enabled.problems : undefined,
		);
	}

	return ok(id, title, `${described} is installed and enabled in ${enabled.file}`);
}
