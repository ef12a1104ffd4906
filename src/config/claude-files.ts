import {homedir} from 'node:os';
import {join} from 'node:path';

/** Where Claude Code keeps the user's files: CLAUDE_CONFIG_DIR moves all of them. */
export type ClaudeFiles = {
	/** ~/.claude: settings.json, plugins/. */
	configDir: string;
	/** ~/.claude.json: user and per-project MCP servers, the list of projects. */
	userConfig: string;
};

export function claudeFiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): ClaudeFiles {
	const custom = env.CLAUDE_CONFIG_DIR;
	return custom
		? {configDir: custom, userConfig: join(custom, '.claude.json')}
		: {configDir: join(home, '.claude'), userConfig: join(home, '.claude.json')};
}
