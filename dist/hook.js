#!/usr/bin/env node
import {createRequire as __createRequire} from 'node:module';
const require = __createRequire(import.meta.url);

// src/config/paths.ts
import { homedir } from "os";
import { join as join2 } from "path";

// src/platform/socket-path.ts
import { lstatSync, mkdirSync } from "fs";
import { tmpdir, userInfo } from "os";
import { dirname, join } from "path";
var MAX_SOCKET_PATH = 103;
function socketPath(runDir, name2, env = process.env) {
  const beside = join(runDir, `mcp-proxy-${name2}.sock`);
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH) {
    return beside;
  }
  return join(shortSocketDir(env), `${fnv1a(beside)}.sock`);
}
function shortSocketDir(env) {
  const leaf = `mcp-tooling-${userInfo().uid}`;
  const temp = env.TMPDIR || tmpdir();
  const fits = Buffer.byteLength(join(temp, leaf)) + 15 <= MAX_SOCKET_PATH;
  return join(fits ? temp : "/tmp", leaf);
}
function fnv1a(text) {
  let hash = 2166136261;
  for (const byte of Buffer.from(text)) {
    hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

// src/config/paths.ts
var DEFAULT_DAEMON_NAME = "mcp-user";
function resolvePaths(name2 = DEFAULT_DAEMON_NAME, env = process.env) {
  const root = env.AITKIT_ROOT || join2(homedir(), ".aitkit");
  const runDir = join2(root, "run");
  const dataDir = env.MCPPROXY_DATA_DIR || join2(root, "lib", "mcpproxy");
  return {
    root,
    runDir,
    registrationsDir: join2(runDir, "mcp-servers", name2),
    pidFile: join2(runDir, `mcp-proxy-${name2}.pid`),
    stateFile: join2(runDir, `mcp-proxy-${name2}.json`),
    tokenFile: join2(runDir, `mcp-proxy-${name2}.token`),
    lockFile: join2(runDir, `mcp-proxy-${name2}.lock`),
    socketFile: socketPath(runDir, name2, env),
    dataDir,
    configFile: env.MCPPROXY_CONFIG_PATH || join2(dataDir, "mcp_proxy_config.json"),
    logFile: join2(dataDir, "mcp-proxy.log"),
    serverLogDir: join2(dataDir, "servers")
  };
}

// src/lifecycle/registrations.ts
import { createHash } from "crypto";
import { readdirSync as readdirSync2, statSync } from "fs";
import { join as join3 } from "path";

// src/lifecycle/atomic-file.ts
import { linkSync, mkdirSync as mkdirSync2, readFileSync, renameSync, unlinkSync, writeFileSync } from "fs";
import { dirname as dirname2 } from "path";

// src/lifecycle/unique-suffix.ts
var counter = 0;
function uniqueSuffix() {
  return `${process.pid}.${process.hrtime.bigint().toString(36)}.${(counter++).toString(36)}`;
}

// src/lifecycle/atomic-file.ts
var FILE_MODE = 384;
var DIR_MODE = 448;
var TMP_SUFFIX = ".tmp";
function errorCode(error) {
  return error?.code;
}
function tmpPathFor(path) {
  return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}
function writeTmp(path, text) {
  mkdirSync2(dirname2(path), { recursive: true, mode: DIR_MODE });
  const tmp = tmpPathFor(path);
  writeFileSync(tmp, text, { mode: FILE_MODE, flag: "wx" });
  return tmp;
}
function readTextIfExists(path) {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return void 0;
    throw error;
  }
}
function unlinkIfExists(path) {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}
function writeFileAtomic(path, text) {
  const tmp = writeTmp(path, text);
  try {
    renameSync(tmp, path);
  } catch (error) {
    unlinkIfExists(tmp);
    throw error;
  }
}
function createExclusive(path, text) {
  const tmp = writeTmp(path, text);
  try {
    linkSync(tmp, path);
    return true;
  } catch (error) {
    if (errorCode(error) === "EEXIST") return false;
    throw error;
  } finally {
    unlinkIfExists(tmp);
  }
}
function removeIfUnchanged(path, expected) {
  const aside = tmpPathFor(path);
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
  try {
    const moved = readTextIfExists(aside);
    if (moved === void 0) return false;
    if (moved === expected) return true;
    try {
      linkSync(aside, path);
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
    return false;
  } finally {
    unlinkIfExists(aside);
  }
}

// src/platform/linux-backend.ts
import { readdirSync, readFileSync as readFileSync2, readlinkSync } from "fs";
function readText(path) {
  try {
    return readFileSync2(path, "utf8");
  } catch {
    return void 0;
  }
}
function parseStat(text) {
  const close = text.lastIndexOf(")");
  if (close < 0) {
    return void 0;
  }
  const fields = text.slice(close + 1).trim().split(" ");
  const [state, ppid, pgid] = fields;
  const startTime = fields[22 - 3];
  if (state === void 0 || startTime === void 0 || !/^\d+$/.test(startTime) || !/^\d+$/.test(ppid ?? "") || !/^\d+$/.test(pgid ?? "")) {
    return void 0;
  }
  return { state, ppid: Number(ppid), pgid: Number(pgid), startTime };
}
function kilobytes(text, field) {
  const match = text === void 0 ? null : new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : void 0;
}
function readRow(pid) {
  const text = readText(`/proc/${pid}/stat`);
  const stat = text === void 0 ? void 0 : parseStat(text);
  if (stat === void 0) {
    return void 0;
  }
  return {
    pid,
    ppid: stat.ppid,
    pgid: stat.pgid,
    // Zombie ('Z') and dead ('X') processes have exited; only their table entry remains.
    exited: stat.state === "Z" || stat.state === "X",
    startTime: stat.startTime,
    rss: kilobytes(readText(`/proc/${pid}/status`), "VmRSS") ?? 0,
    command: (readText(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean).join(" ")
  };
}
function allPids() {
  try {
    return readdirSync("/proc").filter((entry) => /^\d+$/.test(entry)).map(Number);
  } catch {
    return [];
  }
}
function listeningInodes(port) {
  const inodes = /* @__PURE__ */ new Set();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of (readText(table) ?? "").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9] !== void 0) {
        inodes.add(`socket:[${fields[9]}]`);
      }
    }
  }
  return inodes;
}
function socketHolders(sockets) {
  const holders = [];
  for (const pid of sockets.size === 0 ? [] : allPids()) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (sockets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          holders.push(pid);
          break;
        }
      } catch {
      }
    }
  }
  return holders;
}
var linuxBackend = {
  name: "proc",
  read(pids) {
    const rows = /* @__PURE__ */ new Map();
    for (const pid of pids) {
      const row = readRow(pid);
      if (row !== void 0) {
        rows.set(pid, row);
      }
    }
    return rows;
  },
  all() {
    return allPids().flatMap((pid) => readRow(pid) ?? []);
  },
  pss(pid) {
    return kilobytes(readText(`/proc/${pid}/smaps_rollup`), "Pss");
  },
  listeners(port) {
    return socketHolders(listeningInodes(port));
  },
  quickCheck(identity) {
    const text = readText(`/proc/${identity.pid}/stat`);
    const stat = text === void 0 ? void 0 : parseStat(text);
    return stat !== void 0 && stat.state !== "Z" && stat.state !== "X" && stat.startTime === identity.startTime;
  }
};

// src/platform/portable-backend.ts
import { spawnSync } from "child_process";
var PORTABLE_PREFIX = "ps:";
var PS_FORMAT = "pid=,ppid=,pgid=,stat=,lstart=,rss=,command=";
var STABLE_OUTPUT = { LC_ALL: "C", LANG: "C", TZ: "UTC" };
var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
var ROW = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})\s+(\d+)(?:\s(.*))?$/;
function isoStart(month, day, hour, minute, second, year) {
  const monthIndex = MONTHS.indexOf(month);
  if (monthIndex < 0) {
    return void 0;
  }
  const time = Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute), Number(second));
  return Number.isNaN(time) ? void 0 : new Date(time).toISOString().replace(".000Z", "Z");
}
function parsePsOutput(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    const match = ROW.exec(line.trimEnd());
    if (match === null) {
      continue;
    }
    const [, pid, ppid, pgid, stat, month, day, hour, minute, second, year, rss, command = ""] = match;
    const started = isoStart(month, day, hour, minute, second, year);
    if (started === void 0) {
      continue;
    }
    rows.push({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      // Z: a zombie, on both systems (procps also shows X for dead).
      exited: stat.startsWith("Z") || stat.startsWith("X"),
      startTime: `${PORTABLE_PREFIX}${started} ${command.trim()}`,
      rss: Number(rss) * 1024,
      command: command.trim()
    });
  }
  return rows;
}
function parseLsofPids(text) {
  const pids = /* @__PURE__ */ new Set();
  for (const line of text.split("\n")) {
    const match = /^p(\d+)$/.exec(line.trim());
    if (match) {
      pids.add(Number(match[1]));
    }
  }
  return [...pids];
}
function run(command, args, optional = false) {
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...STABLE_OUTPUT }, maxBuffer: 64 * 1024 * 1024, timeout: 1e4 });
  if (result.error) {
    if (optional) {
      return "";
    }
    throw new Error(`mcp-tooling reads processes with \`${command}\`, which could not run (${result.error.message}); it is part of every macOS and Linux system: check PATH`);
  }
  return result.stdout;
}
var portableBackend = {
  name: "portable",
  read(pids) {
    const rows = parsePsOutput(run("ps", ["-ww", "-o", PS_FORMAT, "-p", pids.join(",")]));
    const wanted = new Set(pids);
    return new Map(rows.filter((row) => wanted.has(row.pid)).map((row) => [row.pid, row]));
  },
  all() {
    return parsePsOutput(run("ps", ["-A", "-ww", "-o", PS_FORMAT]));
  },
  pss() {
    return void 0;
  },
  listeners(port) {
    const args = ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fp"];
    return parseLsofPids(run("lsof", args, true) || run("/usr/sbin/lsof", args, true));
  },
  quickCheck(identity) {
    return signalZero(identity.pid);
  }
};

// src/platform/os-processes.ts
function processTableName(env = process.env) {
  const chosen = env.MCPPROXY_PROCESS_TABLE;
  if (chosen === "proc" || chosen === "portable") {
    return chosen;
  }
  return process.platform === "linux" ? "proc" : "portable";
}
function backend() {
  return processTableName() === "proc" ? linuxBackend : portableBackend;
}
function backendOf(identity) {
  const portable = identity.startTime.startsWith(PORTABLE_PREFIX);
  return portable || process.platform !== "linux" ? portableBackend : linuxBackend;
}
function isValidPid(pid) {
  return typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0;
}
function asIdentity(value) {
  if (typeof value !== "object" || value === null) {
    return void 0;
  }
  const { pid, startTime } = value;
  return isValidPid(pid) && typeof startTime === "string" && startTime !== "" ? { pid, startTime } : void 0;
}
function readProcesses(pids) {
  const valid = pids.filter((pid) => isValidPid(pid));
  const rows = valid.length === 0 ? /* @__PURE__ */ new Map() : backend().read(valid);
  return new Map([...rows].filter(([, row]) => !row.exited));
}
function processStartTime(pid) {
  return readProcesses([pid]).get(pid)?.startTime;
}
function processCommandLine(pid) {
  return readProcesses([pid]).get(pid)?.command;
}
var self;
function currentIdentity() {
  const table = processTableName();
  if (self?.table !== table) {
    const startTime = processStartTime(process.pid);
    if (startTime === void 0) {
      throw new Error(`Cannot read this process (pid ${process.pid}) in the process table (${table}); set MCPPROXY_PROCESS_TABLE=${table === "proc" ? "portable" : "proc"} to try the other way`);
    }
    self = { table, identity: { pid: process.pid, startTime } };
  }
  return self.identity;
}
function areAlive(identities) {
  const byBackend = /* @__PURE__ */ new Map();
  for (const identity of identities) {
    if (isValidPid(identity.pid)) {
      const table = backendOf(identity);
      byBackend.set(table, [...byBackend.get(table) ?? [], identity.pid]);
    }
  }
  const rows = new Map([...byBackend].map(([table, pids]) => [table, table.read(pids)]));
  return identities.map((identity) => {
    const row = rows.get(backendOf(identity))?.get(identity.pid);
    return row !== void 0 && !row.exited && row.startTime === identity.startTime;
  });
}
function isSameProcessAlive(identity) {
  return areAlive([identity])[0];
}
function isPidAlive(pid) {
  if (!isValidPid(pid) || !signalZero(pid)) {
    return false;
  }
  const row = backend().read([pid]).get(pid);
  return row === void 0 || !row.exited;
}
function signalZero(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}
function groupMembers(pgids) {
  const members = new Map(pgids.map((pgid) => [pgid, []]));
  if (pgids.length === 0) {
    return members;
  }
  for (const row of backend().all()) {
    if (!row.exited) {
      members.get(row.pgid)?.push(row);
    }
  }
  return members;
}
function sum(rows) {
  if (rows.length === 0) {
    return null;
  }
  const table = backend();
  const pss = rows.map((row) => table.pss(row.pid));
  return {
    rss: rows.reduce((total, row) => total + row.rss, 0),
    pss: pss.every((value) => value !== void 0) ? pss.reduce((total, value) => total + value, 0) : null,
    processes: rows.length
  };
}
function processMemory(pid) {
  return sum([...readProcesses([pid]).values()]);
}
function groupMemory(leaders) {
  return new Map([...groupMembers(leaders)].map(([leader, rows]) => [leader, sum(rows)]));
}

// src/lifecycle/registrations.ts
var ABANDONED_TMP_MS = 6e4;
function sessionFileName(clientPid2, sessionId) {
  const safe = /^[\w-]{1,100}$/.test(sessionId) ? sessionId : createHash("sha256").update(sessionId).digest("hex").slice(0, 32);
  return `${clientPid2}-${safe}.json`;
}
function parseSessionRecord(raw) {
  let value;
  try {
    value = JSON.parse(raw);
  } catch {
    return void 0;
  }
  if (typeof value !== "object" || value === null) return void 0;
  const { clientPid: clientPid2, clientStartTime, sessionId, projectDir, since } = value;
  if (typeof clientPid2 !== "number" || !Number.isSafeInteger(clientPid2) || clientPid2 <= 0) return void 0;
  if (typeof clientStartTime !== "string" || typeof sessionId !== "string" || typeof since !== "string") return void 0;
  if (projectDir !== void 0 && typeof projectDir !== "string") return void 0;
  const record = { clientPid: clientPid2, clientStartTime, sessionId, since };
  if (projectDir !== void 0) record.projectDir = projectDir;
  return record;
}
function register(dir, input) {
  const { clientPid: clientPid2, sessionId, projectDir } = input;
  const clientStartTime = processStartTime(clientPid2);
  if (clientStartTime === void 0) throw new Error(`Cannot register session ${sessionId}: client process ${clientPid2} is not running`);
  const path = join3(dir, sessionFileName(clientPid2, sessionId));
  const previousRaw = readTextIfExists(path);
  const previous = previousRaw === void 0 ? void 0 : parseSessionRecord(previousRaw);
  const since = previous?.clientStartTime === clientStartTime ? previous.since : (/* @__PURE__ */ new Date()).toISOString();
  const record = { clientPid: clientPid2, clientStartTime, sessionId, since };
  if (projectDir !== void 0) record.projectDir = projectDir;
  writeFileAtomic(path, `${JSON.stringify(record)}
`);
}
function unregister(dir, input) {
  return unlinkIfExists(join3(dir, sessionFileName(input.clientPid, input.sessionId)));
}
function forgetOtherSessions(dir, keep) {
  let names;
  try {
    names = readdirSync2(dir);
  } catch {
    return 0;
  }
  const prefix = `${keep.clientPid}-`;
  const kept = sessionFileName(keep.clientPid, keep.sessionId);
  let forgotten = 0;
  for (const name2 of names) {
    if (name2.startsWith(prefix) && name2.endsWith(".json") && name2 !== kept && unlinkIfExists(join3(dir, name2))) forgotten++;
  }
  return forgotten;
}
function removeAbandonedTmp(path) {
  try {
    if (Date.now() - statSync(path).ctimeMs > ABANDONED_TMP_MS) unlinkIfExists(path);
  } catch {
  }
}
function readEntry(path) {
  try {
    return readTextIfExists(path);
  } catch {
    return void 0;
  }
}
function addSession(byClient, record) {
  const key = `${record.clientPid}:${record.clientStartTime}`;
  const existing = byClient.get(key);
  if (existing === void 0) {
    const registration = {
      clientPid: record.clientPid,
      clientStartTime: record.clientStartTime,
      sessionIds: [record.sessionId],
      since: record.since
    };
    if (record.projectDir !== void 0) registration.projectDir = record.projectDir;
    byClient.set(key, registration);
    return;
  }
  existing.sessionIds.push(record.sessionId);
  if (record.projectDir !== void 0) existing.projectDir = record.projectDir;
}
function liveRegistrations(dir) {
  let names;
  try {
    names = readdirSync2(dir);
  } catch {
    return [];
  }
  const candidates = [];
  for (const name2 of names) {
    const path = join3(dir, name2);
    if (name2.endsWith(TMP_SUFFIX)) {
      removeAbandonedTmp(path);
      continue;
    }
    if (!name2.endsWith(".json")) continue;
    const raw = readEntry(path);
    if (raw === void 0) continue;
    const record = parseSessionRecord(raw);
    const valid = record !== void 0 && sessionFileName(record.clientPid, record.sessionId) === name2;
    if (!valid) {
      removeIfUnchanged(path, raw);
      continue;
    }
    candidates.push({ path, raw, record });
  }
  const alive = areAlive(candidates.map(({ record }) => ({ pid: record.clientPid, startTime: record.clientStartTime })));
  const records = [];
  for (const [index, { path, raw, record }] of candidates.entries()) {
    if (alive[index]) records.push(record);
    else removeIfUnchanged(path, raw);
  }
  records.sort((a, b) => a.since < b.since ? -1 : a.since > b.since ? 1 : 0);
  const byClient = /* @__PURE__ */ new Map();
  for (const record of records) addSession(byClient, record);
  return [...byClient.values()].sort((a, b) => a.clientPid - b.clientPid);
}

// src/platform/support.ts
function unsupportedPlatform(platform = process.platform) {
  return platform === "win32" ? "mcp-tooling: native Windows is not supported yet; WSL 2 works (run Claude Code and this plugin inside WSL)." : void 0;
}
function refuseUnsupported(stream) {
  const refusal = unsupportedPlatform();
  if (refusal !== void 0) {
    stream.write(`${refusal}
`);
  }
  return refusal !== void 0;
}

// src/hooks/hook-input.ts
async function readHookInput(stdin = process.stdin) {
  if (stdin.isTTY) {
    return {};
  }
  let text = "";
  for await (const chunk of stdin) {
    text += String(chunk);
  }
  try {
    const value = JSON.parse(text);
    return typeof value === "object" && value !== null ? value : {};
  } catch {
    return {};
  }
}
function clientPid(env = process.env) {
  const fromEnv = Number(env.CLAUDE_PID);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : process.ppid;
}
function sessionIdOf(input, env = process.env) {
  return input.session_id ?? env.CLAUDE_CODE_SESSION_ID ?? `pid-${clientPid(env)}`;
}

// src/hooks/session-end.ts
var SESSION_GOES_ON = /* @__PURE__ */ new Set(["clear", "resume"]);
async function sessionEnd(name2) {
  if (refuseUnsupported(process.stdout)) {
    return 0;
  }
  try {
    const input = await readHookInput();
    if (input.reason !== void 0 && SESSION_GOES_ON.has(input.reason)) {
      return 0;
    }
    unregister(resolvePaths(name2).registrationsDir, { clientPid: clientPid(), sessionId: sessionIdOf(input) });
  } catch (error) {
    process.stdout.write(`mcp-tooling: could not unregister this session (${error.message}); the daemon collects it once Claude exits.
`);
  }
  return 0;
}

// src/config/duplicates.ts
import { readFileSync as readFileSync3 } from "fs";
import { join as join4 } from "path";

// src/config/is-record.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/config/normalize.ts
function serverIdentity(raw) {
  if (!isRecord(raw)) return void 0;
  if (raw.type === "http" || raw.type === "sse") {
    return JSON.stringify({ type: raw.type, url: raw.url, headers: sortedMap(raw.headers) });
  }
  return JSON.stringify({ type: "stdio", command: raw.command, args: raw.args ?? [], env: sortedMap(raw.env), cwd: raw.cwd });
}
function namesByIdentity(servers) {
  const names = /* @__PURE__ */ new Map();
  for (const [name2, raw] of Object.entries(servers)) {
    const identity = serverIdentity(raw);
    if (identity !== void 0 && !names.has(identity)) names.set(identity, name2);
  }
  return names;
}
function sortedMap(value) {
  if (value === void 0) return [];
  if (!isRecord(value)) return value;
  return Object.entries(value).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

// src/config/duplicates.ts
function serversIn(file) {
  try {
    const value = JSON.parse(readFileSync3(file, "utf8"));
    return isRecord(value) && isRecord(value.mcpServers) ? value.mcpServers : {};
  } catch {
    return {};
  }
}
function projectDuplicates(projectDir, sharedConfigFile) {
  const file = join4(projectDir, ".mcp.json");
  const shared = namesByIdentity(serversIn(sharedConfigFile));
  return Object.entries(serversIn(file)).flatMap(([name2, raw]) => {
    const sharedAs = shared.get(serverIdentity(raw) ?? "");
    return sharedAs === void 0 ? [] : [{ file, name: name2, sharedAs, fix: `mcp-tooling servers import --from ${JSON.stringify(file)} --remove-from-source` }];
  });
}

// src/lifecycle/daemon-status.ts
import { request } from "http";

// src/daemon/endpoint-paths.ts
var STATUS_PATH = "/status";

// src/daemon/state.ts
function readState(file) {
  const text = readTextIfExists(file);
  if (!text) {
    return void 0;
  }
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function readToken(file) {
  return readTextIfExists(file)?.trim() || void 0;
}

// src/shared/log.ts
var REDACTED = "[redacted]";
var SENSITIVE_KEY = /token|secret|passw(?:or)?d|authorization|key|credential|cookie/i;
var MIN_SECRET_LENGTH = 4;
var TOKEN_PATTERNS = [
  // An HTTP credential after its scheme: "Authorization: Bearer …".
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`],
  // NAME=value, NAME: value and "NAME": "value" where NAME names a secret (command lines, URL queries, JSON
  // bodies); a `${VAR}` reference names where a secret comes from, not the secret, and stays.
  [
    /\b([\w-]*(?:token|secret|passw(?:or)?d|authorization|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?)("?\s*[=:]\s*"?)(?!\[redacted\]|Bearer\b|Basic\b|\$\{)([^\s"'&,;]+)/gi,
    `$1$2${REDACTED}`
  ],
  // The password in a URL's user info.
  [/(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
  // Key formats of well-known services.
  [/\b(?:sk-[\w-]{6,}|gh[pousr]_\w{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|glpat-[\w-]{20,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})/g, REDACTED]
];
var Redactor = class {
  secrets = [];
  add(values) {
    const known = new Set(this.secrets);
    for (const value of values) {
      if (value.length >= MIN_SECRET_LENGTH) {
        known.add(value);
      }
    }
    this.secrets = [...known].sort((a, b) => b.length - a.length);
  }
  text(text) {
    let result = text;
    for (const secret of this.secrets) {
      result = result.replaceAll(secret, REDACTED);
    }
    for (const [pattern, replacement] of TOKEN_PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }
  /** A value as it may be shown; `key` is the name it goes by, if any. */
  value(value, key) {
    if (value === void 0 || value === null) {
      return value;
    }
    if (key !== void 0 && SENSITIVE_KEY.test(key)) {
      return REDACTED;
    }
    if (typeof value === "string") {
      return this.text(value);
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.value(item));
    }
    if (typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([name2, item]) => [name2, this.value(item, name2)]));
    }
    return value;
  }
};

// src/lifecycle/pid-file.ts
import { basename } from "path";
var LEGACY_MARKERS = ["mcp-tooling", "dist/cli.js"];
var DAEMON_COMMAND = /(?:^| )daemon run(?: |$)/;
function parseJsonRecord(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return void 0;
  }
  const identity = asIdentity(value);
  if (identity === void 0 || !isRecord(value)) return void 0;
  const { pid, startTime } = identity;
  const { name: name2, version } = value;
  if (typeof name2 !== "string") return void 0;
  if (version !== void 0 && typeof version !== "string") return void 0;
  return version === void 0 ? { pid, startTime, name: name2 } : { pid, startTime, name: name2, version };
}
function adoptLegacy(pid, path) {
  if (!isPidAlive(pid)) return void 0;
  const command = processCommandLine(pid);
  if (command === void 0 || !DAEMON_COMMAND.test(command) || !LEGACY_MARKERS.some((marker) => command.includes(marker))) return void 0;
  const startTime = processStartTime(pid);
  if (startTime === void 0) return void 0;
  const name2 = basename(path).replace(/^mcp-proxy-/, "").replace(/\.pid$/, "");
  return { pid, startTime, name: name2 };
}
function parsePidFile(raw, path) {
  const text = raw.trim();
  return /^\d+$/.test(text) ? adoptLegacy(Number(text), path) : parseJsonRecord(text);
}
function liveDaemon(path) {
  const raw = readTextIfExists(path);
  if (raw === void 0) return void 0;
  const record = parsePidFile(raw, path);
  if (record !== void 0 && isSameProcessAlive(record)) return record;
  removeIfUnchanged(path, raw);
  return void 0;
}

// src/lifecycle/daemon-status.ts
async function fetchStatus(state, token, timeoutMs = 3e3) {
  return await getJson(state, token, STATUS_PATH, timeoutMs);
}
async function getJson(state, token, path, timeoutMs = 3e3) {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: state.port, path, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => body += chunk);
        response.on("end", () => {
          if (response.statusCode === 200) {
            resolve(JSON.parse(body));
          } else {
            reject(new Error(`the daemon answered ${path} with HTTP ${response.statusCode}: ${body.trim()}`));
          }
        });
      }
    );
    outgoing.on("error", reject);
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer on ${path} within ${timeoutMs} ms`)));
    outgoing.end();
  });
}
function countSessions(registrations, clients) {
  const registered = new Set(registrations.map((registration) => registration.clientPid));
  const unregistered = clients.filter((client) => client.connected && (client.clientPid === void 0 || !registered.has(client.clientPid)));
  return registrations.reduce((count, registration) => count + registration.sessionIds.length, 0) + unregistered.length;
}
function sessionRows(registrations, clients) {
  const connected = new Set(clients.filter((client) => client.connected).map((client) => client.clientPid));
  const sessions = clients.map(
    (client) => ({
      state: client.connected ? "live" : "idle",
      clientPid: client.clientPid ?? null,
      projectDir: client.projectDir ?? null,
      since: client.since,
      client: client.client,
      clientSessionIds: client.sessionId === void 0 ? [] : [client.sessionId],
      daemonSession: client.id
    })
  );
  const lingering = registrations.filter((registration) => !connected.has(registration.clientPid)).map(
    (registration) => ({
      state: "lingering",
      clientPid: registration.clientPid,
      projectDir: registration.projectDir ?? null,
      since: registration.since,
      client: null,
      clientSessionIds: registration.sessionIds,
      daemonSession: null
    })
  );
  return [...sessions, ...lingering];
}
function statusRedactor(token) {
  const redactor = new Redactor();
  redactor.add(token === void 0 ? [] : [token]);
  return redactor;
}
function withMemory(servers, redactor) {
  const memory = groupMemory(servers.flatMap((server) => server.pid === null ? [] : [server.pid]));
  return servers.map((server) => ({
    ...server,
    lastError: server.lastError === null ? null : redactor.text(server.lastError),
    memory: server.pid === null ? null : memory.get(server.pid) ?? null
  }));
}
async function collectStatus(name2, paths) {
  const record = liveDaemon(paths.pidFile);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  const current = record && state?.pid === record.pid ? state : void 0;
  const live = current && token ? await fetchStatus(current, token).catch(() => void 0) : void 0;
  const registrations = liveRegistrations(paths.registrationsDir);
  const redactor = statusRedactor(token);
  return {
    running: live !== void 0,
    name: name2,
    pid: record?.pid ?? null,
    port: current?.port ?? null,
    url: current?.url ?? null,
    tokenFile: paths.tokenFile,
    sessions: live ? countSessions(registrations, live.sessions) : 0,
    servers: live ? withMemory(live.servers, redactor) : [],
    version: current?.version ?? null,
    startedAt: current?.startedAt ?? null,
    configFile: current?.configFile ?? null,
    logFile: paths.logFile,
    registrations,
    clients: live?.sessions ?? [],
    collisions: live ? redactor.value(live.collisions) : [],
    routing: live?.routing ?? null,
    rss: live?.memory.rss ?? null,
    uptime: live && current ? Math.max(0, Math.round((Date.now() - Date.parse(current.startedAt)) / 1e3)) : null,
    memory: live && record ? processMemory(record.pid) : null,
    sessionList: sessionRows(registrations, live?.sessions ?? []),
    duplicates: duplicatesOf(registrations, live?.sessions ?? [], current?.configFile ?? paths.configFile),
    configError: live?.configError ? redactor.text(live.configError) : null
  };
}
function duplicatesOf(registrations, clients, configFile) {
  const projects = new Set([...registrations.map((registration) => registration.projectDir), ...clients.map((client) => client.projectDir)].filter((dir) => dir !== void 0));
  return [...projects].flatMap((dir) => projectDuplicates(dir, configFile));
}

// src/lifecycle/ensure-daemon.ts
import { existsSync, mkdirSync as mkdirSync3, openSync as openSync2, closeSync as closeSync2 } from "fs";
import { dirname as dirname3, join as join6 } from "path";
import { setTimeout as sleep2 } from "timers/promises";
import { fileURLToPath } from "url";

// src/lifecycle/lock.ts
import { setTimeout as sleep } from "timers/promises";
function holderText() {
  const holder = { ...currentIdentity(), token: uniqueSuffix() };
  return JSON.stringify(holder);
}
function parseHolder(raw) {
  try {
    return asIdentity(JSON.parse(raw));
  } catch {
    return void 0;
  }
}
function isStale(raw) {
  const holder = parseHolder(raw);
  return holder === void 0 || !isSameProcessAlive(holder);
}
function breakStaleLock(lockFile, staleRaw) {
  const breaker = `${lockFile}.break`;
  const mine = holderText();
  if (!createExclusive(breaker, mine)) {
    const other = readTextIfExists(breaker);
    if (other !== void 0 && isStale(other) && readTextIfExists(breaker) === other) unlinkIfExists(breaker);
    return false;
  }
  try {
    if (readTextIfExists(lockFile) === staleRaw) unlinkIfExists(lockFile);
    return true;
  } finally {
    if (readTextIfExists(breaker) === mine) unlinkIfExists(breaker);
  }
}
async function acquire(lockFile, timeoutMs, pollMs) {
  const mine = holderText();
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    if (createExclusive(lockFile, mine)) return mine;
    const raw = readTextIfExists(lockFile);
    if (raw === void 0) continue;
    if (isStale(raw) && breakStaleLock(lockFile, raw)) continue;
    if (Date.now() >= deadline) {
      const holder = parseHolder(raw)?.pid ?? "unknown";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for lock ${lockFile} held by pid ${holder}`);
    }
    await sleep(pollMs);
  }
}
function release(lockFile, mine) {
  if (readTextIfExists(lockFile) === mine) unlinkIfExists(lockFile);
}
async function withLock(lockFile, fn, options = {}) {
  const { timeoutMs = 1e4, pollMs = 15 } = options;
  const mine = await acquire(lockFile, timeoutMs, pollMs);
  try {
    return await fn();
  } finally {
    release(lockFile, mine);
  }
}

// src/lifecycle/log-file.ts
import { closeSync, copyFileSync, openSync, readSync, readdirSync as readdirSync3, statSync as statSync2, truncateSync } from "fs";
import { join as join5 } from "path";
var LOG_LIMIT_BYTES = 5 * 1024 * 1024;
function sizeOf(file) {
  try {
    return statSync2(file).size;
  } catch {
    return 0;
  }
}
function rotateLog(file, limit = LOG_LIMIT_BYTES) {
  if (sizeOf(file) <= limit) {
    return false;
  }
  copyFileSync(file, `${file}.1`);
  truncateSync(file, 0);
  return true;
}
function rotateLogs(logFile, serverLogDir, limit = LOG_LIMIT_BYTES) {
  let serverLogs = [];
  try {
    serverLogs = readdirSync3(serverLogDir).filter((name2) => name2.endsWith(".log")).map((name2) => join5(serverLogDir, name2));
  } catch {
  }
  for (const file of [logFile, ...serverLogs]) {
    try {
      rotateLog(file, limit);
    } catch {
    }
  }
}
function tailOf(file, lines) {
  const size = sizeOf(file);
  if (size === 0) {
    return "";
  }
  const length = Math.min(size, 16 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

// src/lifecycle/ensure-daemon.ts
function cliPath() {
  const here = dirname3(fileURLToPath(import.meta.url));
  const beside = join6(here, "cli.js");
  return existsSync(beside) ? beside : join6(here, "..", "..", "dist", "cli.js");
}
async function daemonAnswers(state, token, timeoutMs = 1e3) {
  const { request: request2 } = await import("http");
  return new Promise((resolve) => {
    const probe = request2(
      { host: "127.0.0.1", port: state.port, path: STATUS_PATH, headers: { authorization: `Bearer ${token}`, host: `127.0.0.1:${state.port}` }, timeout: timeoutMs },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      }
    );
    probe.on("error", () => resolve(false));
    probe.on("timeout", () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}
async function runningDaemon(paths) {
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || !token || !isSameProcessAlive(state)) {
    return void 0;
  }
  return await daemonAnswers(state, token) ? { ...state, token } : void 0;
}
async function ensureDaemon(name2, options = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const paths = resolvePaths(name2, env);
  const running = await runningDaemon(paths);
  if (running) {
    return { ...running, started: false };
  }
  mkdirSync3(paths.runDir, { recursive: true, mode: 448 });
  return withLock(
    paths.lockFile,
    async () => {
      const winner = await settledDaemon(name2, paths, timeoutMs);
      if (winner) {
        return { ...winner, started: false };
      }
      return { ...await spawnDaemon(name2, paths, env, timeoutMs), started: true };
    },
    { timeoutMs: timeoutMs + 5e3 }
  );
}
async function settledDaemon(name2, paths, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    const state = readState(paths.stateFile);
    if (!state || !isSameProcessAlive(state)) {
      return void 0;
    }
    const token = readToken(paths.tokenFile);
    if (token && await daemonAnswers(state, token)) {
      return { ...state, token };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The mcp-tooling daemon "${name2}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1e3)} s; see ${paths.logFile}, or replace it with \`mcp-tooling daemon restart\`.`
      );
    }
    await sleep2(50);
  }
}
async function spawnDaemon(name2, paths, env, timeoutMs) {
  mkdirSync3(paths.dataDir, { recursive: true, mode: 448 });
  rotateLogs(paths.logFile, paths.serverLogDir);
  const log = openSync2(paths.logFile, "a", 384);
  const { spawn } = await import("child_process");
  const child = spawn(process.execPath, [cliPath(), "daemon", "run", name2, "--detached"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: withoutSessionVariables(env),
    cwd: paths.dataDir
  });
  closeSync2(log);
  child.unref();
  let exited;
  child.once("exit", (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.once("error", (error) => {
    exited = error.message;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = readState(paths.stateFile);
    if (state?.pid === child.pid) {
      const running = await runningDaemon(paths);
      if (running) {
        return running;
      }
    }
    if (exited) {
      throw new Error(`The mcp-tooling daemon "${name2}" exited at start (${exited}):
${tailOf(paths.logFile, 20)}
Full log: ${paths.logFile}`);
    }
    await sleep2(15);
  }
  throw new Error(`The mcp-tooling daemon "${name2}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}
var SESSION_VARIABLES = ["CLAUDE_PROJECT_DIR", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID", "CLAUDE_ENV_FILE"];
function withoutSessionVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name2]) => !SESSION_VARIABLES.includes(name2)));
}

// src/hooks/session-start.ts
async function sessionStart(name2) {
  if (refuseUnsupported(process.stdout)) {
    return 0;
  }
  const input = await readHookInput();
  const paths = resolvePaths(name2);
  try {
    const projectDir = process.env.CLAUDE_PROJECT_DIR ?? input.cwd;
    const session = { clientPid: clientPid(), sessionId: sessionIdOf(input) };
    register(paths.registrationsDir, { ...session, ...projectDir && { projectDir } });
    forgetOtherSessions(paths.registrationsDir, session);
    const daemon = await ensureDaemon(name2);
    const status = await collectStatus(name2, paths);
    const servers = status.servers.map((server) => `${server.name} (${server.state}${server.state === "ready" ? `, ${server.tools} tools` : ""})`);
    const trouble = status.servers.filter((server) => server.lastError).map((server) => `  - ${server.name}: ${server.lastError}`);
    const duplicates = projectDir ? projectDuplicates(projectDir, paths.configFile) : [];
    const lines = [
      `mcp-tooling: shared MCP proxy daemon "${name2}" ${daemon.started ? "started" : "running"} (pid ${daemon.pid}); its tools appear as mcp__plugin_mcp-tooling_mcp__<server>__<tool>.`,
      `Servers: ${servers.length > 0 ? servers.join(", ") : `none configured (add some to ${paths.configFile} or run \`mcp-tooling servers import\`)`}.`,
      ...trouble.length > 0 ? ["Problems:", ...trouble, "Run `mcp-tooling doctor` or /mcp-tooling:mcp-proxy-daemoning status for details."] : [],
      ...duplicates.map(
        (duplicate) => `Duplicate: ${duplicate.file} declares "${duplicate.name}", which the shared daemon already serves as "${duplicate.sharedAs}", so Claude Code runs a second copy. Use the shared one's tools (mcp__plugin_mcp-tooling_mcp__${duplicate.sharedAs}__\u2026); to remove the copy: ${duplicate.fix}`
      )
    ];
    process.stdout.write(`${lines.join("\n")}
`);
  } catch (error) {
    process.stdout.write(`mcp-tooling: the shared MCP daemon is not available: ${error.message}
See \`mcp-tooling daemon logs\` (${paths.logFile}).
`);
  }
  return 0;
}

// src/hook.ts
var [event, name = DEFAULT_DAEMON_NAME] = process.argv.slice(2);
var hooks = { "session-start": sessionStart, "session-end": sessionEnd };
var hook = event ? hooks[event] : void 0;
if (!hook) {
  process.stderr.write(`usage: node hook.js session-start|session-end [NAME]
`);
  process.exit(2);
}
process.exit(await hook(name));
