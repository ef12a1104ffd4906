import {daemonCommands} from './daemon-commands.js';

export type Command = {
	readonly summary: string;
	readonly usage: string;
	readonly help: string;
	run(args: string[]): Promise<number>;
};

/** Every command of the CLI: a command, or a group of subcommands. */
export const commands: Record<string, Command | Record<string, Command>> = {
	daemon: daemonCommands,
};
