import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import {describe, expect, it} from 'vitest';
import {ToolIndex, type IndexedTool} from '../src/router/tool-index.js';
import {analyze, tokenize} from '../src/router/tokenize.js';

function tool(name: string, description: string, properties: Record<string, object> = {}): Tool {
	return {name, description, inputSchema: {type: 'object', properties}};
}

function entries(server: string, tools: readonly Tool[]): IndexedTool[] {
	return tools.map(definition => ({name: `${server}__${definition.name}`, server, tool: definition}));
}

const FILES = entries('files', [
	tool('read_text_file', 'Read the complete contents of a file as text.', {
		path: {type: 'string', description: 'Where the file is'},
	}),
	tool('createDirectory', 'Create a new directory, with parents if needed.', {path: {type: 'string'}}),
	tool('move-file', 'Move or rename files and directories.', {source: {type: 'string'}, destination: {type: 'string'}}),
]);

const GITHUB = entries('github', [
	tool('create_issue', 'Create a new issue in a GitHub repository', {
		owner: {type: 'string'},
		repo: {type: 'string'},
		title: {type: 'string'},
	}),
	tool('list_commits', 'Get list of commits of a branch', {
		sha: {type: 'string', description: 'SHA of the commit to start listing from'},
	}),
]);

const GITLAB = entries('gitlab', [tool('create_issue', 'Create a new issue in a GitLab project', {project_id: {type: 'string'}})]);

const MAPS = entries('maps', [
	tool('maps_directions', 'Get directions between two points', {
		origin: {type: 'string'},
		mode: {type: 'string', description: 'Travel mode', enum: ['driving', 'walking', 'bicycling']},
	}),
	tool('maps_elevation', 'Get elevation data for locations on the earth', {
		locations: {
			type: 'array',
			items: {type: 'object', properties: {latitude: {type: 'number'}, longitude: {type: 'number'}}},
		},
	}),
]);

function indexOf(...servers: ReadonlyArray<readonly IndexedTool[]>): ToolIndex {
	const index = new ToolIndex();
	for (const tools of servers) {
		index.setServerTools(tools[0]!.server, tools);
	}

	return index;
}

const names = (index: ToolIndex, query: string, limit = 10) => index.search(query, limit).map(match => match.name);

describe('splitting and analysis', () => {
	it('splits names at snake, kebab and camel case, acronyms and digits, keeping a split run whole too', () => {
		expect(tokenize('list_directory_with_sizes')).toEqual(['list', 'directory', 'with', 'sizes']);
		expect(tokenize('get-resource-links')).toEqual(['get', 'resource', 'links']);
		expect(tokenize('getPullRequestReviews')).toEqual(['getPullRequestReviews', 'get', 'Pull', 'Request', 'Reviews']);
		expect(tokenize('parseHTTPResponse')).toEqual(['parseHTTPResponse', 'parse', 'HTTP', 'Response']);
		expect(tokenize('base64 s3Upload v2')).toEqual(['base64', 'base', '64', 's3Upload', 's', '3', 'Upload', 'v2', 'v', '2']);
		expect(tokenize('server.tool/name')).toEqual(['server', 'tool', 'name']);
	});

	it('keeps a compound whole beside its parts, so either spelling matches', () => {
		expect(tokenize('JavaScript')).toEqual(['JavaScript', 'Java', 'Script']);
		expect(analyze('Execute JavaScript')).toContain('javascript');
		expect(analyze('GitHub')).toEqual(expect.arrayContaining(['github', 'git', 'hub']));
	});

	it('drops stopwords, stems, spells out abbreviations and folds synonyms', () => {
		expect(analyze('please show me the files')).toEqual(['show', 'file']);
		expect(analyze('creating directories')).toEqual(analyze('create directory'));
		expect(analyze('remove the folder')).toEqual(analyze('delete directory'));
		expect(analyze('open a PR in my repo')).toEqual(analyze('open pull request repository'));
		expect(analyze('look up users')).toEqual(analyze('search user'));
	});
});

describe('search', () => {
	const index = indexOf(FILES, GITHUB, GITLAB, MAPS);

	it('finds a tool by words of its name, however the name is written', () => {
		expect(names(index, 'create directory')[0]).toBe('files__createDirectory');
		expect(names(index, 'move a file')[0]).toBe('files__move-file');
	});

	it('finds a tool by its description', () => {
		expect(names(index, 'rename a document')[0]).toBe('files__move-file');
		expect(names(index, 'what is the elevation of Denver')[0]).toBe('maps__maps_elevation');
	});

	it('finds a tool by its parameters, their descriptions, enumerations and nested properties', () => {
		expect(names(index, 'walking route to the station')[0]).toBe('maps__maps_directions');
		expect(names(index, 'latitude longitude', 1)).toEqual(['maps__maps_elevation']);
		expect(names(index, 'starting from a commit sha')[0]).toBe('github__list_commits');
	});

	it('matches plain words to tool vocabulary: synonyms, stems, abbreviations', () => {
		expect(names(index, 'make a new folder')[0]).toBe('files__createDirectory');
		expect(names(index, 'file a bug report in my repo')).toContain('github__create_issue');
		expect(names(index, 'listing commits')[0]).toBe('github__list_commits');
	});

	it('tells servers apart by name', () => {
		expect(names(index, 'open an issue on GitLab')[0]).toBe('gitlab__create_issue');
		expect(names(index, 'open an issue on GitHub')[0]).toBe('github__create_issue');
	});

	it('tolerates a typo in a long word', () => {
		expect(names(index, 'repositry')[0]).toBe('github__create_issue');
	});

	it('returns matches best first with their server, score and original definition', () => {
		const [best, second] = index.search('create issue', 10);
		expect(best).toMatchObject({server: expect.stringMatching(/^git(hub|lab)$/), tool: {name: 'create_issue'}});
		expect(best!.score).toBeGreaterThan(0);
		expect(best!.score).toBeGreaterThanOrEqual(second!.score);
		// GitHub's and GitLab's create_issue differ in description and parameters: the match carries its own.
		expect(best!.tool).toEqual([...GITHUB, ...GITLAB].find(entry => entry.name === best!.name)!.tool);
	});

	it('returns nothing for a blank request, one of stopwords only, or a limit of 0', () => {
		expect(index.search('', 5)).toEqual([]);
		expect(index.search('   \n\t', 5)).toEqual([]);
		expect(index.search('what is it', 5)).toEqual([]);
		expect(index.search('create directory', 0)).toEqual([]);
	});

	it('respects the limit', () => {
		expect(index.search('create', 2)).toHaveLength(2);
	});
});

describe('incremental updates', () => {
	it('replaces one server’s tools and leaves the others untouched', () => {
		const index = indexOf(FILES, GITHUB);
		expect(index.size).toBe(5);
		index.setServerTools('github', entries('github', [tool('search_code', 'Search for code across repositories', {q: {type: 'string'}})]));
		expect(index.size).toBe(4);
		expect(names(index, 'create issue')).not.toContain('github__create_issue');
		expect(names(index, 'commits')).toEqual([]);
		expect(names(index, 'search code')[0]).toBe('github__search_code');
		expect(names(index, 'create directory')[0]).toBe('files__createDirectory');
		expect(names(index, 'read text file')[0]).toBe('files__read_text_file');
	});

	it('re-indexes a tool whose definition changed, and keeps the latest definition of one that did not', () => {
		const index = indexOf(GITHUB);
		const changed = GITHUB.map(entry =>
			entry.tool.name === 'list_commits'
				? {...entry, tool: {...entry.tool, description: 'Show the history of a branch'}}
				: {...entry, tool: {...entry.tool}},
		);
		index.setServerTools('github', changed);
		expect(index.size).toBe(2);
		expect(names(index, 'history')).toEqual(['github__list_commits']);
		expect(index.search('create issue', 1)[0]!.tool).toBe(changed[0]!.tool);
	});

	it('removes a server’s tools', () => {
		const index = indexOf(FILES, GITHUB, GITLAB);
		index.removeServer('github');
		expect(index.size).toBe(4);
		expect(names(index, 'create issue')[0]).toBe('gitlab__create_issue');
		expect(names(index, 'create issue')).not.toContain('github__create_issue');
		index.removeServer('github');
		index.removeServer('never-there');
		expect(index.size).toBe(4);
		index.setServerTools('gitlab', []);
		expect(index.size).toBe(3);
		expect(names(index, 'issue')).toEqual([]);
	});

	it('moves a name to the server that last claimed it', () => {
		const index = indexOf(FILES);
		index.setServerTools('other', [
			{name: 'files__read_text_file', server: 'other', tool: tool('read_text_file', 'Read a remote text file')},
		]);
		expect(index.size).toBe(3);
		expect(index.search('remote', 5)).toMatchObject([{name: 'files__read_text_file', server: 'other'}]);
		index.removeServer('files');
		expect(index.size).toBe(1);
	});
});

describe('closest', () => {
	const index = indexOf(FILES, GITHUB, GITLAB, MAPS);

	it('suggests the names nearest a mistyped one', () => {
		expect(index.closest('github__creat_isue', 3)[0]).toBe('github__create_issue');
		expect(index.closest('files__read_txt_file', 3)[0]).toBe('files__read_text_file');
		expect(index.closest('maps__maps_elevaton', 3)[0]).toBe('maps__maps_elevation');
	});

	it('suggests a tool called without its server prefix, on every server that has it', () => {
		expect(index.closest('create_issue', 2).sort()).toEqual(['github__create_issue', 'gitlab__create_issue']);
	});

	it('suggests by words when the spelling is far off', () => {
		expect(index.closest('issue_create', 3)).toEqual(expect.arrayContaining(['github__create_issue', 'gitlab__create_issue']));
		expect(index.closest('directions', 3)[0]).toBe('maps__maps_directions');
	});

	it('suggests nothing for a blank name or something unlike any tool', () => {
		expect(index.closest('', 3)).toEqual([]);
		expect(index.closest('zzqxv', 3)).toEqual([]);
	});
});
