import {spawnSync} from 'node:child_process';
import {homedir} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {claudeFiles} from '../config/claude-files.js';
import {unlinkIfExists, writeFileAtomic} from '../shared/atomic-file.js';
import {CLI_NAME, cliOnPath, cliPath, pathDirs} from '../shared/cli-command.js';
import {isPluginCopy, launcherText, occupantOf} from '../shared/cli-launcher.js';
import {samePath} from '../shared/real-path.js';
import {readTextIfExists} from '../shared/text-file.js';
import {parse} from './args.js';
import type {Command} from './commands.js';

/** Where a user's own commands go, in the order they are preferred; the first is created when none is on PATH. */
function candidateDirs(home: string): string[] {
	return [join(home, '.local', 'bin'), join(home, 'bin')];
}

function onPath(dir: string): boolean {
	return pathDirs().some(entry => samePath(entry, dir));
}

function defaultDir(): string {
	const candidates = candidateDirs(homedir());
	return candidates.find(onPath) ?? candidates[0]!;
}

/** The line that puts `dir` on PATH, for the shell the user runs. */
function pathAdvice(dir: string): string {
	const shown = dir.startsWith(`${homedir()}/`) ? `$HOME/${dir.slice(homedir().length + 1)}` : dir;
	const shell = basename(process.env.SHELL ?? '');
	if (shell === 'fish') return `run: fish_add_path ${shown}`;
	const file = shell === 'zsh' ? '~/.zshrc' : shell === 'bash' ? '~/.bashrc (on macOS: ~/.bash_profile)' : "your shell's startup file";
	return `add this line to ${file}, then open a new terminal: export PATH="${shown}:$PATH"`;
}

/** Runs the launcher just written, as a shell would, so that a launcher that cannot start is reported now. */
function tryLauncher(file: string): string {
	const result = spawnSync(process.execPath, [file, '--version'], {encoding: 'utf8', timeout: 30_000});
	if (result.status !== 0) {
		throw new Error(`${file} was written but does not run: ${(result.stderr || result.error?.message || '').trim()}`);
	}

	return result.stdout.trim();
}

export const installCliCommand: Command = {
	summary: `Put a ${CLI_NAME} launcher on your PATH (~/.local/bin)`,
	usage: '[--dir DIR]',
	help: `
Writes DIR/${CLI_NAME}, a small Node launcher of this CLI, so that terminals run "${CLI_NAME} …".
DIR is the first of ~/.local/bin and ~/bin that is on your PATH, else ~/.local/bin (created).
Installed from the Claude Code plugin, the launcher runs whichever version of the plugin Claude
Code has installed (plugins/installed_plugins.json), so plugin updates need no reinstall; from a
checkout, it runs that checkout. Running it again updates the launcher; a file of that name that
is not one of its launchers is never overwritten. uninstall-cli removes it.
  --dir DIR   install into DIR instead`,
	async run(args) {
		const {values} = parse(args, {dir: {type: 'string'}}, 0);
		const dir = values.dir ?? defaultDir();
		const file = join(dir, CLI_NAME);
		const cli = cliPath();
		const follows = isPluginCopy(cli, claudeFiles().configDir);
		const occupant = occupantOf(file);
		if (occupant === 'other') {
			process.stderr.write(
				`${file} already exists and is not an ${CLI_NAME} launcher, so it is left as it is. ` +
					'Remove it yourself if it is an old copy, or install elsewhere: install-cli --dir DIR.\n',
			);
			return 1;
		}

		const text = launcherText(cli, follows);
		const unchanged = occupant === 'launcher' && readTextIfExists(file) === text;
		writeFileAtomic(file, text, {mode: 0o755});
		const version = tryLauncher(file);
		const runs = follows ? 'the mcp-tooling plugin Claude Code has installed, whichever version that is' : `the CLI at ${cli}`;
		const lines = [
			`${unchanged ? 'Already installed' : occupant === 'launcher' ? 'Updated' : 'Installed'}: ${file}, which runs ${runs} ` +
				`(now ${CLI_NAME} ${version}).`,
		];
		const found = cliOnPath();
		if (!onPath(dir)) {
			lines.push(`${dir} is not on your PATH; ${pathAdvice(dir)}`);
		} else if (found !== undefined && !samePath(found, file)) {
			lines.push(`${dir} is on your PATH, but ${found} comes first there, so a shell runs that one.`);
		} else {
			lines.push(`${dir} is on your PATH: "${CLI_NAME} --help" works in a terminal.`);
		}

		process.stdout.write(`${lines.join('\n')}\n`);
		return 0;
	},
};

export const uninstallCliCommand: Command = {
	summary: `Remove the ${CLI_NAME} launcher install-cli wrote`,
	usage: '[--dir DIR]',
	help: `
Removes the launcher install-cli wrote: from DIR, or else from ~/.local/bin, ~/bin and wherever
"${CLI_NAME}" is found on PATH. A file of that name that is not one of its launchers is left.
  --dir DIR   remove it from DIR only`,
	async run(args) {
		const {values} = parse(args, {dir: {type: 'string'}}, 0);
		const found = cliOnPath();
		const dirs = values.dir === undefined ? [...candidateDirs(homedir()), ...(found ? [dirname(found)] : [])] : [values.dir];
		const files = [...new Set(dirs.map(dir => join(dir, CLI_NAME)))];
		const removed: string[] = [];
		const foreign: string[] = [];
		for (const file of files) {
			const occupant = occupantOf(file);
			if (occupant === 'launcher' && unlinkIfExists(file)) removed.push(file);
			if (occupant === 'other') foreign.push(file);
		}

		for (const file of removed) process.stdout.write(`Removed ${file}.\n`);
		for (const file of foreign) process.stdout.write(`Left ${file}: it is not an ${CLI_NAME} launcher.\n`);
		if (removed.length === 0 && foreign.length === 0) {
			process.stdout.write(`No ${CLI_NAME} launcher in ${dirs.join(', ')}.\n`);
		}

		return values.dir !== undefined && foreign.length > 0 ? 1 : 0;
	},
};
