export type Command = {
	readonly summary: string;
	readonly usage: string;
	readonly help: string;
	/** Its arguments are another command's, `--help` included (the slash command). */
	readonly forwards?: true;
	run(args: string[]): Promise<number>;
};

export type CommandGroup = Record<string, Command>;

/**
 * Every command of the CLI, loaded on first use: a quick command (`daemon stop`, `servers list`)
 * should not pay for evaluating the daemon's code (SDK, zod) it never runs.
 */
export const commands: Record<string, () => Promise<Command | CommandGroup>> = {
	daemon: async () => (await import('./daemon-commands.js')).daemonCommands,
	bridge: async () => (await import('./bridge-command.js')).bridgeCommand,
	hook: async () => (await import('./hook-commands.js')).hookCommands,
	servers: async () => (await import('./servers-commands.js')).serversCommands,
	tools: async () => (await import('./tools-commands.js')).toolsCommands,
	slash: async () => (await import('./slash-command.js')).slashCommand,
	doctor: async () => (await import('./doctor.js')).doctorCommand,
	'install-cli': async () => (await import('./install-cli.js')).installCliCommand,
	'uninstall-cli': async () => (await import('./install-cli.js')).uninstallCliCommand,
};
