import {SLASH_COMMAND, speakTo} from '../shared/cli-command.js';
import {commands, type Command} from './commands.js';
import {main} from './main.js';

/** Short actions of the slash command, and the CLI command each runs. Any other CLI command runs as it is written. */
export const ACTIONS: Record<string, string[]> = {
	status: ['daemon', 'status'],
	start: ['daemon', 'start'],
	stop: ['daemon', 'stop'],
	restart: ['daemon', 'restart'],
	logs: ['daemon', 'logs', '-n', '40'],
	servers: ['servers', 'list'],
	search: ['tools', 'search'],
	doctor: ['doctor'],
};

/**
 * What cannot run inside Claude Code: a shell-injected command must end to show its output, and
 * the bridge, the hooks and the daemon's foreground run are Claude's and the hooks' to start.
 */
function refusal(argv: string[]): string | undefined {
	const [first, second] = argv;
	if (first === 'bridge' || first === 'hook' || first === 'slash') return `"${first}" is run by Claude Code itself, not by hand`;
	if (first === 'daemon' && second === 'run') return '"daemon run" keeps the daemon in the foreground; use start';
	if (first === 'daemon' && second === 'logs' && argv.some(arg => arg === '-f' || arg === '--follow')) {
		return 'following the log never ends here; run logs without -f, or follow it in a terminal';
	}
	return undefined;
}

function actionList(): string {
	const aliases = Object.entries(ACTIONS).map(([action, command]) => `  ${action.padEnd(10)} ${command.join(' ')}`);
	const direct = Object.keys(commands).filter(name => refusal([name]) === undefined);
	return (
		`Actions of ${SLASH_COMMAND} (none means status):\n${aliases.join('\n')}\n` +
		'  help       this list\n' +
		`Any CLI command also runs with its arguments: ${direct.join(', ')} ` +
		'(e.g. "servers import --dry-run", "servers add NAME -- COMMAND ARGS", "doctor --fix", "logs --server NAME"); ' +
		'"COMMAND --help" shows its options.\n'
	);
}

export const slashCommand: Command = {
	summary: `What ${SLASH_COMMAND} runs in Claude Code`,
	forwards: true,
	usage: `[${Object.keys(ACTIONS).join('|')}|help|COMMAND [ARGS…]]`,
	help: `
Runs what the ${SLASH_COMMAND} slash command is given: a short action, "help",
or any CLI command with its arguments; no action means status. Commands that cannot end inside
Claude Code (the bridge, the hooks, "daemon run", "daemon logs -f") are refused with the reason.`,
	async run(args) {
		speakTo('claude');
		const [action = 'status', ...rest] = args;
		if (action === 'help' || action === '--help' || action === '-h') {
			process.stdout.write(actionList());
			return 0;
		}
		// "servers" alone lists them, "servers import …" is the CLI command; a short action keeps
		// its options, so "logs --server NAME" reaches `daemon logs`.
		const subcommand = Object.hasOwn(commands, action) && rest[0] !== undefined && !rest[0].startsWith('-');
		const alias = subcommand ? undefined : ACTIONS[action];
		const argv = alias ? [...alias, ...rest] : args;
		if (!alias && !Object.hasOwn(commands, action)) {
			process.stdout.write(`Unknown action "${action}". Available: ${Object.keys(ACTIONS).join(', ')}, help, or a CLI command.\n`);
			return 2;
		}
		const refused = refusal(argv);
		if (refused !== undefined) {
			process.stdout.write(`Not from the slash command: ${refused}.\n`);
			return 2;
		}

		return main(argv);
	},
};
