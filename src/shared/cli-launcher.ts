import {lstatSync} from 'node:fs';
import {join, sep} from 'node:path';
import {realpathOrSelf} from './real-path.js';
import {errorCode, readTextIfExists} from './text-file.js';

/** The line that makes a file on PATH ours: `install-cli` rewrites and `uninstall-cli` removes only files that carry it. */
export const LAUNCHER_MARKER = '// mcp-tooling launcher, written by install-cli';

/** Launchers are a few kilobytes; anything bigger under that name is not one. */
const MAX_LAUNCHER_BYTES = 64 * 1024;

/**
 * Whether `cli` is a copy of the plugin that Claude Code installed (under its plugins
 * directory): its path changes with every plugin update, so the launcher looks it up each time.
 */
export function isPluginCopy(cli: string, claudeConfigDir: string): boolean {
	return realpathOrSelf(cli).startsWith(realpathOrSelf(join(claudeConfigDir, 'plugins')) + sep);
}

/**
 * The launcher: a Node script that runs the CLI of the mcp-tooling plugin Claude Code has
 * installed now (from plugins/installed_plugins.json, user scope first), so that plugin updates
 * need no reinstall, or else the CLI that wrote it (a checkout). It uses only `import()`, which
 * works whether Node reads an extension-less file as CommonJS or, under a `"type": "module"`
 * package.json higher up, as ESM.
 */
export function launcherText(cli: string, followsPlugin: boolean): string {
	return `#!/usr/bin/env node
${LAUNCHER_MARKER}: it runs the mcp-tooling CLI, and "mcp-tooling uninstall-cli" removes it.
const recorded = ${JSON.stringify(cli)};
const followsPlugin = ${JSON.stringify(followsPlugin)};
Promise.all([import('node:fs'), import('node:os'), import('node:path'), import('node:url')]).then(([fs, os, path, url]) => {
	const current = () => {
		const configDir = process.env.CLAUDE_CONFIG_DIR || path.join(os.homedir(), '.claude');
		const registry = JSON.parse(fs.readFileSync(path.join(configDir, 'plugins', 'installed_plugins.json'), 'utf8'));
		const installs = Object.entries(registry.plugins || {})
			.filter(([key]) => key.split('@')[0] === 'mcp-tooling')
			.flatMap(([, records]) => (Array.isArray(records) ? records : []))
			.sort((a, b) => Number(a?.scope !== 'user') - Number(b?.scope !== 'user'));
		return installs
			.map(install => typeof install?.installPath === 'string' && path.join(install.installPath, 'dist', 'cli.js'))
			.find(file => file && fs.existsSync(file));
	};
	let cli;
	try {
		cli = followsPlugin ? current() : undefined;
	} catch {}
	cli ||= fs.existsSync(recorded) ? recorded : undefined;
	if (!cli) {
		process.stderr.write(
			\`mcp-tooling: this launcher (\${process.argv[1]}) found no CLI to run: \${recorded} is gone and Claude Code lists no \` +
				'installed mcp-tooling plugin. Install the plugin again (claude plugin install mcp-tooling@mcp-tooling), ' +
				'or run install-cli from the copy you use now.\\n',
		);
		process.exit(1);
	}
	return import(url.pathToFileURL(cli).href);
});
`;
}

export type Occupant = 'none' | 'launcher' | 'other';

/** What holds `file` now: nothing, our launcher (a regular file with the marker), or something else, which is never touched. */
export function occupantOf(file: string): Occupant {
	let stats: ReturnType<typeof lstatSync>;
	try {
		stats = lstatSync(file);
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return 'none';
		throw error;
	}

	if (!stats.isFile() || stats.size > MAX_LAUNCHER_BYTES) {
		return 'other';
	}

	return readTextIfExists(file, MAX_LAUNCHER_BYTES)?.split('\n')[1]?.startsWith(LAUNCHER_MARKER) ? 'launcher' : 'other';
}
