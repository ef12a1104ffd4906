import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {removeMember, setMember} from '../src/config/json-edit.js';
import {CLI, terminalCommand, World} from './support/daemon.js';

// `mcp-tooling servers add | remove | import`, run as the built CLI in a temporary HOME,
// AITKIT_ROOT and project directory: files other tools own must keep every byte we were
// not asked to change.

type Outcome = {exitCode: number; stdout: string; stderr: string};

let dir: string;
let world: World;
let home: string;
let project: string;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'mcp-tooling-servers-'));
	home = join(dir, 'home');
	project = join(dir, 'project');
	mkdirSync(home);
	mkdirSync(project);
	world = new World({HOME: home, API_TOKEN: undefined, GITHUB_TOKEN: undefined});
});

afterEach(async () => {
	await world.dispose();
	rmSync(dir, {recursive: true, force: true});
});

async function servers(...args: string[]): Promise<Outcome> {
	const result = await execa(process.execPath, [CLI, 'servers', ...args], {
		cwd: project,
		env: world.env,
		extendEnv: false,
		reject: false,
	});
	return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr};
}

function write(file: string, text: string): string {
	mkdirSync(dirname(file), {recursive: true});
	writeFileSync(file, text);
	return file;
}

function read(file: string): string {
	return readFileSync(file, 'utf8');
}

function backupsOf(file: string): string[] {
	return readdirSync(dirname(file))
		.filter(name => name.startsWith(`${file.slice(dirname(file).length + 1)}.bak-`))
		.map(name => join(dirname(file), name));
}

/** A shared config as a person writes it: tabs, one-line entries, keys the CLI knows nothing of. */
const SHARED = `{
	"settings": {"routing": "retrieve"},
	"mcpServers": {
		"mem": {"command": "node", "args": ["/opt/mem.js"]},
		"search": {"type": "http", "url": "https://search.example/mcp"}
	},
	"x-note": "kept as is"
}
`;

describe('servers import from a project .mcp.json', () => {
	const MCP_JSON = `{
  "mcpServers": {
    "github": {"command": "npx", "args": ["-y", "@mcp/github"], "env": {"GITHUB_TOKEN": "\${GITHUB_TOKEN}"}},
    "memory": {"type": "stdio", "command": "node", "args": ["/opt/mem.js"], "env": {}},
    "search": {"type": "http", "url": "https://other.example/mcp"},
    "bad": {"type": "ws", "url": "wss://x.example"}
  }
}
`;

	it('reads ./.mcp.json by default, adds new servers at the end and keeps everything else of the config', async () => {
		write(join(project, '.mcp.json'), MCP_JSON);
		write(world.configFile, SHARED);

		const result = await servers('import');

		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`From ${join(project, '.mcp.json')} (MCP servers file) into ${world.configFile}:`);
		expect(result.stdout).toContain('  add   github: npx -y @mcp/github');
		expect(result.stdout).toContain('${GITHUB_TOKEN} is not set here');
		// "type": "stdio" and an empty env make no difference: the daemon serves it as "mem".
		expect(result.stdout).toContain('  skip  memory: already served as mem');
		expect(result.stdout).toContain(
			'  skip  search: the name is taken by a different server in the shared config (http https://search.example/mcp)',
		);
		expect(result.stdout).toMatch(/ {2}skip {2}bad: not valid: \$\.mcpServers\.bad\.type: "ws" is not a server type\. Fix: /);
		expect(result.stdout).toContain(`Added 1 server to ${world.configFile}.`);
		expect(read(world.configFile)).toBe(`{
	"settings": {"routing": "retrieve"},
	"mcpServers": {
		"mem": {"command": "node", "args": ["/opt/mem.js"]},
		"search": {"type": "http", "url": "https://search.example/mcp"},
		"github": {
			"command": "npx",
			"args": [
				"-y",
				"@mcp/github"
			],
			"env": {
				"GITHUB_TOKEN": "\${GITHUB_TOKEN}"
			}
		}
	},
	"x-note": "kept as is"
}
`);
		expect(read(join(project, '.mcp.json'))).toBe(MCP_JSON);
	});

	it('--remove-from-source takes out what is now served, keeps a backup and the rest byte for byte', async () => {
		const source = write(join(project, '.mcp.json'), MCP_JSON);
		write(world.configFile, SHARED);

		const result = await servers('import', '--remove-from-source');

		expect(result.exitCode).toBe(0);
		const [backup, ...more] = backupsOf(source);
		expect(more).toEqual([]);
		expect(result.stdout).toContain(`Removed 2 servers from ${source}; its previous version is in ${backup}.`);
		expect(read(backup!)).toBe(MCP_JSON);
		// Added (github) and already served (memory) go; skipped ones stay where they were.
		expect(read(source)).toBe(`{
  "mcpServers": {
    "search": {"type": "http", "url": "https://other.example/mcp"},
    "bad": {"type": "ws", "url": "wss://x.example"}
  }
}
`);
	});

	it('--dry-run prints the plan and writes nothing', async () => {
		const source = write(join(project, '.mcp.json'), MCP_JSON);

		const result = await servers('import', '--dry-run', '--remove-from-source');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('  add   github: npx -y @mcp/github');
		expect(result.stdout).toContain('  add   memory: node /opt/mem.js');
		expect(result.stdout).toContain(`--remove-from-source: 3 servers to take out of ${source} (added or already served).`);
		expect(result.stdout).toContain('Dry run: nothing was written.');
		expect(existsSync(world.configFile)).toBe(false);
		expect(read(source)).toBe(MCP_JSON);
		expect(backupsOf(source)).toEqual([]);
	});

	it('creates the shared config when there is none', async () => {
		write(join(project, '.mcp.json'), MCP_JSON);

		const result = await servers('import', '--yes');

		expect(result.exitCode).toBe(0);
		const config = JSON.parse(read(world.configFile)) as {mcpServers: Record<string, unknown>};
		expect(Object.keys(config.mcpServers)).toEqual(['github', 'memory', 'search']);
		expect(config.mcpServers.memory).toEqual({type: 'stdio', command: 'node', args: ['/opt/mem.js'], env: {}});
		expect(statSync(world.configFile).mode & 0o777).toBe(0o600);
	});
});

describe('servers import from ~/.claude.json', () => {
	/** Claude Code's file with odd spacing, unicode and escapes the edit must not disturb. */
	function claudeJson(cwd: string): string {
		return `{
  "numStartups": 42,
  "theme": "dark",
  "mcpServers": {
    "memory": {
      "type": "stdio",
      "command": "node",
      "args": ["/opt/mem.js"],
      "env": {}
    },
    "émoji": {"command": "node", "args": ["ünïcode.js"]},
    "notes": {
      "type": "http",
      "url": "https://notes.example/mcp",
      "headers": {"X-Name": "ключ \\"quoted\\" \\u00e9 }{ ,"}
    }
  },
  "projects": {
    ${JSON.stringify(cwd)}: {
      "allowedTools": [],
      "history": [{"display": "fix the } and , in \\"here\\"", "pastedContents": {}}],
      "mcpServers": {
        "fs": {"command": "npx", "args": ["-y", "@mcp/fs", "."]}
      },
      "hasTrustDialogAccepted": true
    },
    "/elsewhere/app": {
      "mcpServers": {"notes": {"command": "notes-server"}, "tracker": {"type": "sse", "url": "https://tracker.example/sse"}}
    }
  },
  "userID":"abc" ,   "oddSpacing" :  [ 1,2 ,3 ]	}
`;
	}

	it('imports the user servers and those of the current project, telling what it leaves out', async () => {
		const source = write(join(home, '.claude.json'), claudeJson(project));
		write(world.configFile, SHARED);

		const result = await servers('import');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`From ${source} (Claude Code config)`);
		expect(result.stdout).toContain(`  add   fs (project ${project}): npx -y @mcp/fs .`);
		expect(result.stdout).toContain('  skip  memory (user): already served as mem');
		expect(result.stdout).toMatch(
			/skip {2}émoji \(user\): not valid: \$\.mcpServers\["émoji"\]: "émoji" is not a valid server name\. Fix: rename it/,
		);
		expect(result.stdout).toContain('  add   notes (user): http https://notes.example/mcp');
		expect(result.stdout).toContain('(2 servers of other projects left out; --all-projects imports them too)');
		const config = JSON.parse(read(world.configFile)) as {mcpServers: Record<string, unknown>};
		expect(Object.keys(config.mcpServers)).toEqual(['mem', 'search', 'fs', 'notes']);
		expect(config.mcpServers.notes).toEqual({
			type: 'http',
			url: 'https://notes.example/mcp',
			headers: {'X-Name': 'ключ "quoted" é }{ ,'},
		});
		expect(read(source)).toBe(claudeJson(project));
	});

	it('--all-projects imports every project, skipping a name already taken by an earlier one', async () => {
		write(join(home, '.claude.json'), claudeJson(project));

		const result = await servers('import', '--all-projects');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('  skip  notes (project /elsewhere/app): the name is taken by the server from user above');
		expect(result.stdout).toContain('  add   tracker (project /elsewhere/app): sse https://tracker.example/sse');
		const config = JSON.parse(read(world.configFile)) as {mcpServers: Record<string, unknown>};
		expect(Object.keys(config.mcpServers)).toEqual(['fs', 'memory', 'notes', 'tracker']);
	});

	it('--remove-from-source leaves the rest of ~/.claude.json byte for byte, and a private backup', async () => {
		const original = claudeJson(project);
		const source = write(join(home, '.claude.json'), original);
		chmodSync(source, 0o600);
		write(world.configFile, SHARED);

		const result = await servers('import', '--remove-from-source');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`Removed 3 servers from ${source}`);
		expect(read(source)).toBe(`{
  "numStartups": 42,
  "theme": "dark",
  "mcpServers": {
    "émoji": {"command": "node", "args": ["ünïcode.js"]}
  },
  "projects": {
    ${JSON.stringify(project)}: {
      "allowedTools": [],
      "history": [{"display": "fix the } and , in \\"here\\"", "pastedContents": {}}],
      "mcpServers": {},
      "hasTrustDialogAccepted": true
    },
    "/elsewhere/app": {
      "mcpServers": {"notes": {"command": "notes-server"}, "tracker": {"type": "sse", "url": "https://tracker.example/sse"}}
    }
  },
  "userID":"abc" ,   "oddSpacing" :  [ 1,2 ,3 ]	}
`);
		const [backup] = backupsOf(source);
		expect(read(backup!)).toBe(original);
		expect(statSync(backup!).mode & 0o777).toBe(0o600);
		expect(statSync(source).mode & 0o777).toBe(0o600);
	});

	it('refuses a source that is not valid JSON, and leaves it alone', async () => {
		const broken = '{"mcpServers": {"a": {"command": "x",}}}\n';
		const source = write(join(home, '.claude.json'), broken);

		const result = await servers('import', '--remove-from-source');

		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(`Config file ${source}, line 1, column`);
		expect(result.stderr).toContain('not valid JSON');
		expect(read(source)).toBe(broken);
		expect(existsSync(world.configFile)).toBe(false);
	});
});

describe('servers import of what Claude Code starts here', () => {
	const CLAUDE_JSON = `{
  "numStartups": 7,
  "mcpServers": {
    "memory": {"command": "node", "args": ["/opt/mem.js"]},
    "shared": {"command": "node", "args": ["/opt/shared.js"]}
  },
  "projects": {"PROJECT": {"mcpServers": {"local": {"command": "local-server"}}, "allowedTools": []}}
}
`;
	const MCP_JSON = `{
  "mcpServers": {
    "files": {"command": "npx", "args": ["-y", "@mcp/fs", "."]},
    "shared": {"command": "other-shared"},
    "mcp-tooling": {"command": "node", "args": ["/home/u/.claude/plugins/cache/mcp-tooling/mcp-tooling/0.1.0/dist/bridge.js"]}
  },
  "x-keep": true
}
`;

	it('reads ./.mcp.json and ~/.claude.json together, a name in the order Claude Code gives it, never its own bridge', async () => {
		const user = write(join(home, '.claude.json'), CLAUDE_JSON.replace('PROJECT', project));
		const projectFile = write(join(project, '.mcp.json'), MCP_JSON);

		const result = await servers('import', '--dry-run');

		expect(result.exitCode, result.stderr).toBe(0);
		expect(result.stdout).toContain(`From ${projectFile} (MCP servers file) and ${user} (Claude Code config) into ${world.configFile}:`);
		const lines = result.stdout.split('\n').filter(line => /^ {2}(add|skip)/.test(line));
		expect(lines).toEqual([
			`  add   local (${user}, project ${project}): local-server`,
			`  add   files (${projectFile}): npx -y @mcp/fs .`,
			`  add   shared (${projectFile}): other-shared`,
			`  skip  mcp-tooling (${projectFile}): it is mcp-tooling's own bridge, which the daemon cannot serve to itself`,
			`  add   memory (${user}, user): node /opt/mem.js`,
			`  skip  shared (${user}, user): the name is taken by the server from ${projectFile} above`,
		]);
	});

	it('--remove-from-source takes each entry out of the file it came from, and leaves the rest byte for byte', async () => {
		const userText = CLAUDE_JSON.replace('PROJECT', project);
		const user = write(join(home, '.claude.json'), userText);
		const projectFile = write(join(project, '.mcp.json'), MCP_JSON);

		const result = await servers('import', '--remove-from-source');

		expect(result.exitCode, result.stderr).toBe(0);
		expect(result.stdout).toContain(`Removed 2 servers from ${projectFile}`);
		expect(result.stdout).toContain(`Removed 2 servers from ${user}`);
		expect(read(projectFile)).toBe(`{
  "mcpServers": {
    "mcp-tooling": {"command": "node", "args": ["/home/u/.claude/plugins/cache/mcp-tooling/mcp-tooling/0.1.0/dist/bridge.js"]}
  },
  "x-keep": true
}
`);
		expect(read(user)).toBe(
			userText
				.replace('    "memory": {"command": "node", "args": ["/opt/mem.js"]},\n', '')
				.replace('"mcpServers": {"local": {"command": "local-server"}}', '"mcpServers": {}'),
		);
		const config = JSON.parse(read(world.configFile)) as {mcpServers: Record<string, unknown>};
		expect(Object.keys(config.mcpServers)).toEqual(['local', 'files', 'shared', 'memory']);
	});
});

describe('servers import from a Claude Desktop config', () => {
	it('imports its mcpServers and leaves its other settings alone', async () => {
		const desktop = `{
  "globalShortcut": "Ctrl+Space",
  "mcpServers": {
    "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/Users/me/Desktop"]},
    "mem": {"command": "node", "args": ["/opt/mem.js"]}
  }
}
`;
		const file = write(join(dir, 'Claude', 'claude_desktop_config.json'), desktop);
		write(world.configFile, SHARED);

		const result = await servers('import', '--from', file, '--remove-from-source');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`From ${file} (Claude Desktop config)`);
		expect(result.stdout).toContain('  add   filesystem: npx -y @modelcontextprotocol/server-filesystem /Users/me/Desktop');
		expect(result.stdout).toContain('  skip  mem: already served as mem');
		expect(read(file)).toBe(`{
  "globalShortcut": "Ctrl+Space",
  "mcpServers": {}
}
`);
		expect(Object.keys((JSON.parse(read(world.configFile)) as {mcpServers: object}).mcpServers)).toEqual(['mem', 'search', 'filesystem']);
	});

	it('says what to do when there is nothing to import from', async () => {
		const result = await servers('import');

		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(
			`Nothing to import from: there is no ${join(project, '.mcp.json')} and no ${join(home, '.claude.json')}`,
		);
	});
});

describe('servers add', () => {
	it('appends a stdio server, keeping the other entries and keys as they were', async () => {
		write(world.configFile, SHARED);

		const result = await servers(
			'add',
			'fs',
			'--env',
			'ROOT=/data',
			'--env',
			'TOKEN=${API_TOKEN:-none}',
			'--cwd',
			'sub',
			'--namespace=false',
			'--',
			'npx',
			'-y',
			'@mcp/fs',
			'--read-only',
		);

		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`Added fs in ${world.configFile}: npx -y @mcp/fs --read-only`);
		expect(read(world.configFile)).toBe(`{
	"settings": {"routing": "retrieve"},
	"mcpServers": {
		"mem": {"command": "node", "args": ["/opt/mem.js"]},
		"search": {"type": "http", "url": "https://search.example/mcp"},
		"fs": {
			"command": "npx",
			"args": [
				"-y",
				"@mcp/fs",
				"--read-only"
			],
			"env": {
				"ROOT": "/data",
				"TOKEN": "\${API_TOKEN:-none}"
			},
			"cwd": ${JSON.stringify(join(project, 'sub'))},
			"namespace": false
		}
	},
	"x-note": "kept as is"
}
`);
	});

	it('adds a remote server with headers, following the file’s indentation and line ends', async () => {
		write(world.configFile, '{\r\n    "mcpServers": {\r\n    }\r\n}\r\n');

		const result = await servers(
			'add',
			'docs',
			'--url',
			'https://docs.example/sse',
			'--type',
			'sse',
			'--header',
			'Authorization: Bearer ${API_TOKEN}',
		);

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('${API_TOKEN} is not set here');
		expect(read(world.configFile)).toBe(
			'{\r\n    "mcpServers": {\r\n        "docs": {\r\n            "type": "sse",\r\n            "url": "https://docs.example/sse",\r\n' +
				'            "headers": {\r\n                "Authorization": "Bearer ${API_TOKEN}"\r\n            }\r\n' +
				'        }\r\n    }\r\n}\r\n',
		);
	});

	it('refuses an existing name unless --force, which replaces the entry in place', async () => {
		write(world.configFile, SHARED);

		const refused = await servers('add', 'mem', '--', 'node', '/opt/other.js');
		expect(refused.exitCode).toBe(1);
		expect(refused.stderr).toContain(`"mem" is already in ${world.configFile} (node /opt/mem.js); pass --force to replace it`);
		expect(read(world.configFile)).toBe(SHARED);

		const forced = await servers('add', 'mem', '--force', '--', 'node', '/opt/other.js');
		expect(forced.exitCode).toBe(0);
		expect(forced.stdout).toContain('Replaced mem');
		expect(read(world.configFile)).toBe(
			SHARED.replace(
				'{"command": "node", "args": ["/opt/mem.js"]}',
				'{\n\t\t\t"command": "node",\n\t\t\t"args": [\n\t\t\t\t"/opt/other.js"\n\t\t\t]\n\t\t}',
			),
		);
	});

	it('names the field and the fix of a bad entry, and writes nothing', async () => {
		write(world.configFile, SHARED);

		const result = await servers('add', 'web', '--url', 'notaurl');

		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(
			'not added: $.mcpServers.web.url: "notaurl" is not an http:// or https:// URL. ' +
				'Fix: write the full address, e.g. "https://example.com/mcp".',
		);
		expect(read(world.configFile)).toBe(SHARED);

		const badName = await servers('add', 'my server', '--', 'node');
		expect(badName.exitCode).toBe(1);
		expect(badName.stderr).toContain('is not a valid server name. Fix: rename it');
	});

	it('explains how it is called when the command or url is missing', async () => {
		const result = await servers('add', 'x', '--env', 'A=1');

		expect(result.exitCode).toBe(2);
		expect(result.stderr).toContain('give the command that starts the server after --');
		expect(result.stderr).toContain(`Usage: ${terminalCommand('servers add NAME')}`);
		expect((await servers('add', 'x', '--env', 'A', '--', 'node')).stderr).toContain('--env "A" is not KEY=VALUE');
		expect((await servers('add', 'x', '--url', 'https://x.example', '--', 'node')).stderr).toContain('either --url or a command');
	});

	it('says a running daemon picks the change up by itself', async () => {
		await world.runDaemon();

		const result = await servers('add', 'late', '--', 'node', '/opt/late.js');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(
			`The daemon is running and picks the change up by itself; \`${terminalCommand('daemon status')}\` shows it.`,
		);
	});
});

describe('servers remove', () => {
	it('removes entries and keeps everything else', async () => {
		write(world.configFile, SHARED);

		const result = await servers('remove', 'mem');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`Removed mem from ${world.configFile}.`);
		expect(read(world.configFile)).toBe(SHARED.replace('"mem": {"command": "node", "args": ["/opt/mem.js"]},\n\t\t', ''));

		expect((await servers('remove', 'search')).exitCode).toBe(0);
		expect(read(world.configFile)).toBe('{\n\t"settings": {"routing": "retrieve"},\n\t"mcpServers": {},\n\t"x-note": "kept as is"\n}\n');
	});

	it('names unknown servers on stderr and removes nothing', async () => {
		write(world.configFile, SHARED);

		const result = await servers('remove', 'mem', 'nope', 'nada');

		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain(`no server "nope", "nada" in ${world.configFile}, so nothing was removed`);
		expect(read(world.configFile)).toBe(SHARED);
	});
});

describe('a shared config that is not valid JSON', () => {
	const BROKEN = '{\n  "mcpServers": {\n    "mem": {"command": "node"}\n  ,\n}\n';

	it.each([
		['add', 'x', '--', 'node'],
		['remove', 'mem'],
		['import', '--from', 'servers.json'],
	])('is never overwritten: servers %s', async (...args) => {
		write(join(project, 'servers.json'), '{"mcpServers": {"x": {"command": "node"}}}');
		write(world.configFile, BROKEN);

		const result = await servers(...args);

		expect(result.exitCode).toBe(1);
		expect(result.stderr).toMatch(new RegExp(`Config file ${world.configFile}, line \\d+, column \\d+: not valid JSON`));
		expect(read(world.configFile)).toBe(BROKEN);
	});
});

describe('servers --help', () => {
	it.each(['add', 'remove', 'import', 'list'])('servers %s --help', async command => {
		const result = await servers(command, '--help');

		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain(`Usage: ${terminalCommand(`servers ${command}`)}`);
	});
});

describe('editing JSON text in place', () => {
	it('removes a member with its separator, wherever it sits', () => {
		const text = '{"a": 1, "b": {"x": [1, {"}": "]"}]}, "c": 3}';
		expect(removeMember(text, [], 'a')).toBe('{"b": {"x": [1, {"}": "]"}]}, "c": 3}');
		expect(removeMember(text, [], 'b')).toBe('{"a": 1, "c": 3}');
		expect(removeMember(text, [], 'c')).toBe('{"a": 1, "b": {"x": [1, {"}": "]"}]}}');
		expect(removeMember(text, ['b'], 'x')).toBe('{"a": 1, "b": {}, "c": 3}');
		expect(removeMember(text, [], 'missing')).toBe(text);
	});

	it('removes every copy of a duplicated key, so none shows through', () => {
		expect(removeMember('{"a": 1, "a": 2, "b": 3}', [], 'a')).toBe('{"b": 3}');
	});

	it('sets members in compact, one-line and nested objects, creating missing ones', () => {
		expect(setMember('{"a":1}', [], 'b', [2])).toBe('{"a":1,"b":[2]}');
		expect(setMember('{"a":1}', [], 'a', {z: true})).toBe('{"a":{"z":true}}');
		expect(setMember('{}', ['mcpServers'], 'x', {command: 'y'})).toBe('{"mcpServers":{"x":{"command":"y"}}}');
		expect(setMember('{\n\t"s": {}\n}\n', ['mcpServers'], 'x', {command: 'y'})).toBe(
			'{\n\t"s": {},\n\t"mcpServers": {\n\t\t"x": {\n\t\t\t"command": "y"\n\t\t}\n\t}\n}\n',
		);
		expect(setMember('\uFEFF{"k": "é"}', [], 'n', 1)).toBe('\uFEFF{"k": "é", "n": 1}');
	});
});
