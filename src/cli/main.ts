import {ConfigError} from '../config/errors.js';
import {refuseUnsupported} from '../platform/support.js';
import {cliCommand} from '../shared/cli-command.js';
import {VERSION} from '../version.js';
import {UsageError} from './args.js';
import {commands, type Command, type CommandGroup} from './commands.js';

function isCommand(entry: Command | CommandGroup): entry is Command {
	return typeof entry.run === 'function';
}

/** Each line of a usage is one form of the command, written so that it runs where it is read. */
function usageOf(path: string[], usage: string): string {
	const forms = usage.split('\n').map(form => cliCommand(`${path.join(' ')} ${form.trim()}`.trim()));
	return `Usage: ${forms.join(`\n${' '.repeat('Usage: '.length)}`)}`;
}

function helpFor(path: string[], command: Command): string {
	return `${usageOf(path, command.usage)}\n\n${command.help.trim()}\n`;
}

function groupHelp(path: string[], group: CommandGroup): string {
	const rows = Object.entries(group).map(([name, command]) => `  ${[...path, name].join(' ').padEnd(28)} ${command.summary}`);
	return `${usageOf(path, '<command>')}\n\nCommands:\n${rows.join('\n')}\n`;
}

async function topHelp(): Promise<string> {
	const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
	const rows = loaded.flatMap(([name, entry]) =>
		isCommand(entry)
			? [`  ${name.padEnd(28)} ${entry.summary}`]
			: Object.entries(entry).map(([sub, command]) => `  ${`${name} ${sub}`.padEnd(28)} ${command.summary}`),
	);
	return (
		`mcp-tooling ${VERSION}: one shared MCP proxy daemon for all your Claude Code sessions.\n\n` +
		`${usageOf([], '<command> [options]')}\n\nCommands:\n${rows.join('\n')}\n\nEvery command takes --help.\n`
	);
}

/** Runs the CLI and returns the exit code; errors go to stderr. */
export async function main(argv: string[]): Promise<number> {
	const [first, ...rest] = argv;
	if (!first || first === '--help' || first === '-h' || first === 'help') {
		process.stdout.write(await topHelp());
		return first ? 0 : 2;
	}

	if (first === '--version' || first === '-v') {
		process.stdout.write(`${VERSION}\n`);
		return 0;
	}

	// The hooks must still exit 0 and the bridge must answer Claude Code: they say it their own way.
	if (first !== 'hook' && first !== 'bridge' && refuseUnsupported(process.stderr)) {
		return 1;
	}

	const load = commands[first];
	if (!load) {
		process.stderr.write(`mcp-tooling: unknown command "${first}".\n\n${await topHelp()}`);
		return 2;
	}

	const entry = await load();

	let command: Command;
	let path = [first];
	let args = rest;
	if (isCommand(entry)) {
		command = entry;
	} else {
		const group = entry;
		const [sub, ...subArgs] = rest;
		if (!sub || sub === '--help' || sub === '-h') {
			process.stdout.write(groupHelp(path, group));
			return sub ? 0 : 2;
		}

		const found = group[sub];
		if (!found) {
			process.stderr.write(`mcp-tooling: unknown command "${first} ${sub}".\n\n${groupHelp(path, group)}`);
			return 2;
		}

		command = found;
		path = [first, sub];
		args = subArgs;
	}

	// After `--` everything belongs to the command being configured, `--help` included.
	const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
	if (!command.forwards && (own.includes('--help') || own.includes('-h'))) {
		process.stdout.write(helpFor(path, command));
		return 0;
	}

	try {
		return await command.run(args);
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`mcp-tooling ${path.join(' ')}: ${error.message}\n\n${helpFor(path, command)}`);
			return 2;
		}

		const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
		process.stderr.write(`mcp-tooling ${path.join(' ')}: ${message}\n`);
		return 1;
	}
}
