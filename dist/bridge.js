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
function socketPath(runDir, name, env = process.env) {
  const beside = join(runDir, `mcp-proxy-${name}.sock`);
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
function resolvePaths(name = DEFAULT_DAEMON_NAME, env = process.env) {
  const root = env.AITKIT_ROOT || join2(homedir(), ".aitkit");
  const runDir = join2(root, "run");
  const dataDir = env.MCPPROXY_DATA_DIR || join2(root, "lib", "mcpproxy");
  return {
    root,
    runDir,
    registrationsDir: join2(runDir, "mcp-servers", name),
    pidFile: join2(runDir, `mcp-proxy-${name}.pid`),
    stateFile: join2(runDir, `mcp-proxy-${name}.json`),
    tokenFile: join2(runDir, `mcp-proxy-${name}.token`),
    lockFile: join2(runDir, `mcp-proxy-${name}.lock`),
    socketFile: socketPath(runDir, name, env),
    dataDir,
    configFile: env.MCPPROXY_CONFIG_PATH || join2(dataDir, "mcp_proxy_config.json"),
    logFile: join2(dataDir, "mcp-proxy.log"),
    serverLogDir: join2(dataDir, "servers"),
    catalogDir: join2(dataDir, "catalogs")
  };
}

// src/shared/cli-command.ts
import { accessSync, constants, existsSync, statSync } from "fs";
import { delimiter, dirname as dirname2, join as join3 } from "path";
import { fileURLToPath } from "url";
var SLASH_COMMAND = "/mcp-tooling:mcp-proxy-daemoning";
var CLI_NAME = "mcp-tooling";
var audience = "terminal";
var onPath;
function cliPath() {
  const here = dirname2(fileURLToPath(import.meta.url));
  const beside = join3(here, "cli.js");
  return existsSync(beside) ? beside : join3(here, "..", "..", "dist", "cli.js");
}
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
function pathDirs(env = process.env) {
  return (env.PATH ?? "").split(delimiter).filter((dir) => dir !== "");
}
function cliOnPath(env = process.env) {
  return pathDirs(env).map((dir) => join3(dir, CLI_NAME)).find(isExecutable);
}
function cliCommand(args) {
  if (audience === "claude") {
    return `${SLASH_COMMAND} ${args}`;
  }
  onPath ??= cliOnPath() !== void 0;
  return onPath ? `${CLI_NAME} ${args}` : `node "${cliPath()}" ${args}`;
}

// src/lifecycle/ensure-daemon.ts
import { mkdirSync as mkdirSync3, openSync as openSync4, closeSync as closeSync4 } from "fs";
import { setTimeout as sleep2 } from "timers/promises";

// src/shared/atomic-file.ts
import { closeSync as closeSync2, fchmodSync, fsyncSync, linkSync, mkdirSync as mkdirSync2, openSync as openSync2, renameSync, statSync as statSync2, unlinkSync, writeSync } from "fs";
import { dirname as dirname3 } from "path";

// src/shared/real-path.ts
import { realpathSync } from "fs";

// src/shared/text-file.ts
import { closeSync, fstatSync, openSync, readFileSync } from "fs";
var MAX_FILE_BYTES = 64 * 1024 * 1024;
function errorCode(error) {
  return error?.code;
}
var FileTooLargeError = class extends Error {
  name = "FileTooLargeError";
  code = "EFBIG";
  constructor(path, size, limit) {
    super(`EFBIG: ${path} is ${size} bytes, more than the ${limit} it may have`);
  }
};
function readTextIfExists(path, maxBytes = MAX_FILE_BYTES) {
  let fd;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return void 0;
    throw error;
  }
  try {
    const { size } = fstatSync(fd);
    if (size > maxBytes) throw new FileTooLargeError(path, size, maxBytes);
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

// src/shared/unique-suffix.ts
var counter = 0;
function uniqueSuffix() {
  return `${process.pid}.${process.hrtime.bigint().toString(36)}.${(counter++).toString(36)}`;
}

// src/shared/atomic-file.ts
var FILE_MODE = 384;
var DIR_MODE = 448;
var TMP_SUFFIX = ".tmp";
function tmpPathFor(path) {
  return `${path}.${uniqueSuffix()}${TMP_SUFFIX}`;
}
function writeTmp(path, text, mode) {
  mkdirSync2(dirname3(path), { recursive: true, mode: DIR_MODE });
  const tmp = tmpPathFor(path);
  const fd = openSync2(tmp, "wx", FILE_MODE);
  try {
    writeSync(fd, text);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } catch (error) {
    closeSync2(fd);
    unlinkIfExists(tmp);
    throw error;
  }
  closeSync2(fd);
  return tmp;
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
function createExclusive(path, text) {
  const tmp = writeTmp(path, text, FILE_MODE);
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
var ROW = new RegExp(
  String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+` + String.raw`(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})\s+(\d+)(?:\s(.*))?$`
);
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
  const result = spawnSync(command, args, {
    encoding: "utf8",
    env: { ...process.env, ...STABLE_OUTPUT },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 1e4
  });
  if (result.error) {
    if (optional) {
      return "";
    }
    throw new Error(
      `mcp-tooling reads processes with \`${command}\`, which could not run (${result.error.message}); it is part of every macOS and Linux system: check PATH`
    );
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
var self;
function currentIdentity() {
  const table = processTableName();
  if (self?.table !== table) {
    const startTime = processStartTime(process.pid);
    if (startTime === void 0) {
      throw new Error(
        `Cannot read this process (pid ${process.pid}) in the process table (${table}); set MCPPROXY_PROCESS_TABLE=${table === "proc" ? "portable" : "proc"} to try the other way`
      );
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
function isProbablyAlive(identity) {
  return isValidPid(identity.pid) && backendOf(identity).quickCheck(identity);
}
function signalZero(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

// src/shared/is-record.ts
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/shared/record-file.ts
function recordIn(text) {
  try {
    const value = JSON.parse(text);
    return isRecord(value) ? value : void 0;
  } catch {
    return void 0;
  }
}

// src/contract/state-file.ts
var TEXT_FIELDS = ["name", "version", "url", "tokenFile", "socket", "configFile", "startedAt"];
function isPort(value) {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535;
}
function readState(file) {
  const text = readTextIfExists(file);
  if (!text) {
    return void 0;
  }
  const said = recordIn(text);
  const identity = asIdentity(said);
  if (!said || !identity) {
    return void 0;
  }
  if (!isPort(said.port) || !TEXT_FIELDS.every((field) => typeof said[field] === "string")) {
    return void 0;
  }
  const fields = Object.fromEntries(TEXT_FIELDS.map((field) => [field, said[field]]));
  const { maxMessageBytes } = said;
  const limit = Number.isSafeInteger(maxMessageBytes) && maxMessageBytes > 0 ? { maxMessageBytes } : {};
  return { ...identity, ...fields, port: said.port, ...limit };
}

// src/contract/token-file.ts
import { randomBytes } from "crypto";
import { statSync as statSync3 } from "fs";
function readToken(file) {
  return readTextIfExists(file)?.trim() || void 0;
}

// src/contract/endpoint.ts
var STATUS_PATH = "/status";

// src/lifecycle/status-client.ts
var MAX_REPLY_BYTES = 8 * 1024 * 1024;
async function getJson(state, token, path, timeoutMs = 3e3) {
  const { request } = await import("http");
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: state.port, path, headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          body += chunk;
          if (body.length > MAX_REPLY_BYTES) {
            outgoing.destroy(new Error(`the daemon's reply to ${path} is over ${MAX_REPLY_BYTES} bytes`));
          }
        });
        response.on("end", () => {
          if (response.statusCode !== 200) {
            reject(new Error(`the daemon answered ${path} with HTTP ${response.statusCode}: ${body.trim()}`));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch (error) {
            reject(error);
          }
        });
      }
    );
    outgoing.on("error", reject);
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer on ${path} within ${timeoutMs} ms`)));
    outgoing.end();
  });
}
async function fetchStatus(state, token, timeoutMs = 3e3) {
  return await getJson(state, token, STATUS_PATH, timeoutMs);
}

// src/lifecycle/find-daemon.ts
function recordedDaemon(name, env = process.env) {
  const paths = resolvePaths(name, env);
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  return state && token && isProbablyAlive(state) ? { ...state, token } : void 0;
}
async function answeringDaemon(paths) {
  const state = readState(paths.stateFile);
  const token = readToken(paths.tokenFile);
  if (!state || !token || !isSameProcessAlive(state)) {
    return void 0;
  }
  return await answers(state, token) ? { ...state, token } : void 0;
}
async function answers(state, token) {
  return fetchStatus(state, token, 1e3).then(
    () => true,
    () => false
  );
}

// src/lifecycle/lock.ts
import { setTimeout as sleep } from "timers/promises";
function holderText() {
  const holder = { ...currentIdentity(), token: uniqueSuffix() };
  return JSON.stringify(holder);
}
function parseHolder(raw) {
  return asIdentity(recordIn(raw));
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
import { closeSync as closeSync3, copyFileSync, openSync as openSync3, readSync, readdirSync as readdirSync2, statSync as statSync4, truncateSync } from "fs";
import { join as join4 } from "path";
var LOG_LIMIT_BYTES = 5 * 1024 * 1024;
function sizeOf(file) {
  try {
    return statSync4(file).size;
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
    serverLogs = readdirSync2(serverLogDir).filter((name) => name.endsWith(".log")).map((name) => join4(serverLogDir, name));
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
  const fd = openSync3(file, "r");
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync3(fd);
  }
  return buffer.toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

// src/lifecycle/ensure-daemon.ts
async function ensureDaemon(name, options = {}) {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const paths = resolvePaths(name, env);
  const running = await answeringDaemon(paths);
  if (running) {
    return { ...running, started: false };
  }
  mkdirSync3(paths.runDir, { recursive: true, mode: 448 });
  return withLock(
    paths.lockFile,
    async () => {
      const winner = await answerOrExit(name, paths, timeoutMs);
      if (winner) {
        return { ...winner, started: false };
      }
      return { ...await spawnDaemon(name, paths, env, timeoutMs), started: true };
    },
    { timeoutMs: timeoutMs + 5e3 }
  );
}
async function answerOrExit(name, paths, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (; ; ) {
    const state = readState(paths.stateFile);
    if (!state || !isSameProcessAlive(state)) {
      return void 0;
    }
    const token = readToken(paths.tokenFile);
    if (token && await answers(state, token)) {
      return { ...state, token };
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `The mcp-tooling daemon "${name}" (pid ${state.pid}) is running but has not answered for ${Math.round(timeoutMs / 1e3)} s; see ${paths.logFile}, or replace it with \`${cliCommand("daemon restart")}\`.`
      );
    }
    await sleep2(50);
  }
}
async function spawnDaemon(name, paths, env, timeoutMs) {
  mkdirSync3(paths.dataDir, { recursive: true, mode: 448 });
  rotateLogs(paths.logFile, paths.serverLogDir);
  const log = openSync4(paths.logFile, "a", 384);
  const { spawn } = await import("child_process");
  const child = spawn(process.execPath, [cliPath(), "daemon", "run", name, "--detached"], {
    detached: true,
    stdio: ["ignore", log, log],
    env: withoutSessionVariables(env),
    cwd: paths.dataDir
  });
  closeSync4(log);
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
      const running = await answeringDaemon(paths);
      if (running) {
        return running;
      }
    }
    if (exited) {
      throw new Error(
        `The mcp-tooling daemon "${name}" exited at start (${exited}):
${tailOf(paths.logFile, 20)}
Full log: ${paths.logFile}`
      );
    }
    await sleep2(15);
  }
  throw new Error(`The mcp-tooling daemon "${name}" did not answer within ${timeoutMs} ms; see ${paths.logFile}.`);
}
var SESSION_VARIABLES = ["CLAUDE_PROJECT_DIR", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID", "CLAUDE_ENV_FILE"];
function withoutSessionVariables(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SESSION_VARIABLES.includes(name)));
}

// src/config/settings.ts
var MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1e3);
function toNumber(input) {
  if (typeof input === "number") return input;
  if (typeof input === "string" && input.trim() !== "") return Number(input);
  return void 0;
}
function wholeNumber(min, max, expect) {
  return {
    expect,
    read: (input) => {
      const n = toNumber(input);
      return n !== void 0 && Number.isInteger(n) && n >= min && n <= max ? n : void 0;
    }
  };
}
var count = wholeNumber(1, Number.MAX_SAFE_INTEGER, "a whole number \u2265 1");
function seconds(allowZero) {
  return {
    expect: `a number of seconds ${allowZero ? "from 0" : "greater than 0 and"} up to ${MAX_SECONDS}`,
    read: (input) => {
      const n = toNumber(input);
      if (n === void 0 || !Number.isFinite(n) || n > MAX_SECONDS) return void 0;
      return n > 0 || allowZero && n === 0 ? Math.round(n * 1e3) : void 0;
    }
  };
}
function oneOf(values, expect) {
  return { expect, read: (input) => values.find((value) => value === input) };
}
var TABLE = {
  port: {
    env: "MCPPROXY_PORT",
    fileKey: "port",
    default: 12476,
    description: "TCP port of the daemon on 127.0.0.1; 0 picks a free port.",
    ...wholeNumber(0, 65535, "a whole number from 0 to 65535 (0 picks a free port)")
  },
  transport: {
    env: "MCPPROXY_TRANSPORT",
    fileKey: "transport",
    default: "streamable-http",
    description: "Accepted for aitkit compatibility; the daemon's HTTP endpoint (/mcp) is always streamable-http, and any other value is refused. The plugin's bridges use the daemon's Unix socket either way.",
    ...oneOf(["streamable-http"], '"streamable-http" (the only transport for now)')
  },
  topK: {
    env: "MCPPROXY_TOP_K",
    fileKey: "topK",
    default: 10,
    description: "Matches a dynamic-routing retrieve_tools adds to the session.",
    ...count
  },
  toolsLimit: {
    env: "MCPPROXY_TOOLS_LIMIT",
    fileKey: "toolsLimit",
    default: 50,
    description: "Most tools dynamic routing keeps in one session at once.",
    ...count
  },
  routing: {
    env: "MCPPROXY_ROUTING",
    fileKey: "routing",
    default: "direct",
    description: "direct lists every tool; retrieve and dynamic expose retrieve_tools and call_tool.",
    ...oneOf(["direct", "retrieve", "dynamic"], 'one of "direct", "retrieve" or "dynamic"')
  },
  lingerMs: {
    env: "MCPPROXY_LINGER",
    fileKey: "linger",
    default: 30,
    description: "Seconds the daemon stays up after its last session ends.",
    ...seconds(true)
  },
  sessionIdleMs: {
    env: "MCPPROXY_SESSION_IDLE",
    fileKey: "sessionIdle",
    default: 1800,
    description: "Seconds without requests after which a client session is dropped.",
    ...seconds(false)
  },
  serverIdleMs: {
    env: "MCPPROXY_SERVER_IDLE",
    fileKey: "serverIdle",
    default: 600,
    description: "Seconds a server may go unused (nothing in flight, no subscription) before it stops until its next use; 0 never.",
    ...seconds(true)
  },
  initTimeoutMs: {
    env: "MCPPROXY_INIT_TIMEOUT",
    fileKey: "initTimeout",
    default: 30,
    description: "Seconds an upstream server may take to answer initialize.",
    ...seconds(false)
  },
  requestTimeoutMs: {
    env: "MCPPROXY_REQUEST_TIMEOUT",
    fileKey: "requestTimeout",
    default: 600,
    description: "Seconds a forwarded request may go without progress.",
    ...seconds(false)
  },
  healthIntervalMs: {
    env: "MCPPROXY_HEALTH_INTERVAL",
    fileKey: "healthInterval",
    default: 30,
    description: "Seconds between pings to each upstream server.",
    ...seconds(false)
  },
  pageSize: {
    env: "MCPPROXY_PAGE_SIZE",
    fileKey: "pageSize",
    default: 100,
    description: "Items per page of tools, prompts and resources lists.",
    ...count
  },
  maxBodyBytes: {
    env: "MCPPROXY_MAX_BODY",
    fileKey: "maxBody",
    default: 4 * 1024 * 1024,
    description: "Largest accepted HTTP request body, in bytes.",
    ...count
  },
  maxOutputChars: {
    env: "MCPPROXY_MAX_OUTPUT",
    fileKey: "maxOutput",
    default: 1e5,
    description: "Most characters of one tool output passed on to the client.",
    ...count
  },
  maxMessageBytes: {
    env: "MCPPROXY_MAX_MESSAGE",
    fileKey: "maxMessage",
    default: 64 * 1024 * 1024,
    description: "Largest JSON-RPC message, in bytes, read from a server, a session or the daemon; a server that sends more is restarted.",
    ...count
  }
};
function maxMessageFromEnv(env) {
  const row = TABLE.maxMessageBytes;
  return row.read(env[row.env] || row.default) ?? row.default;
}
function messageLimit(maxBytes) {
  const { env, fileKey } = TABLE.maxMessageBytes;
  return `the limit of ${maxBytes} bytes for one message (setting ${fileKey}, ${env})`;
}
var SETTING_KEYS = Object.keys(TABLE).map((key) => ({
  key,
  ...TABLE[key]
}));

// src/shared/line-splitter.ts
var NEWLINE = 10;
var CARRIAGE_RETURN = 13;
var LineSplitter = class {
  constructor(onLine, limit) {
    this.onLine = onLine;
    this.limit = limit;
  }
  onLine;
  limit;
  parts = [];
  size = 0;
  skipping = false;
  push(chunk) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    let newline = bytes.indexOf(NEWLINE);
    while (newline !== -1) {
      this.take(bytes.subarray(start, newline));
      if (this.skipping) {
        this.skipping = false;
      } else {
        this.emit();
      }
      this.parts = [];
      this.size = 0;
      start = newline + 1;
      newline = bytes.indexOf(NEWLINE, start);
    }
    if (start < bytes.length) {
      this.take(bytes.subarray(start));
    }
  }
  take(piece) {
    if (this.skipping || piece.length === 0) {
      return;
    }
    this.size += piece.length;
    if (this.limit && this.size > this.limit.maxBytes) {
      this.skipping = true;
      this.parts = [];
      this.limit.onOverflow(this.size);
      return;
    }
    this.parts.push(this.parts.length === 0 && piece.length === this.size ? Buffer.from(piece) : piece);
  }
  emit() {
    const line = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    const end = line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length;
    this.onLine(line.toString("utf8", 0, end));
  }
};
var SLICE_LINES = 16;
var YIELD_MS = 1;
var LineReader = class {
  constructor(stream, onLine, limit) {
    this.stream = stream;
    this.onLine = onLine;
    this.splitter = new LineSplitter((line) => this.waiting.push(line), limit);
    stream.on("data", (chunk) => {
      this.splitter.push(chunk);
      this.deliver();
    });
  }
  stream;
  onLine;
  waiting = [];
  held = false;
  scheduled = false;
  splitter;
  /**
   * Lines from now on go to `onLine`, within `limit`: what a socket's first line (its greeting)
   * decides, the next ones get. Lines already waiting are the new handler's too.
   */
  handOver(onLine, limit) {
    this.onLine = onLine;
    this.splitter.limit = limit;
  }
  hold() {
    this.held = true;
    this.stream.pause();
  }
  release() {
    this.held = false;
    this.deliver();
  }
  deliver() {
    let slice = SLICE_LINES;
    while (!this.held && this.waiting.length > 0 && slice-- > 0) {
      this.onLine(this.waiting.shift());
    }
    if (this.held) {
      return;
    }
    if (this.waiting.length === 0) {
      this.stream.resume();
      return;
    }
    this.stream.pause();
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => {
        this.scheduled = false;
        this.deliver();
      }, YIELD_MS);
    }
  }
};
function jsonLine(onMessage, onGarbage) {
  return (line) => {
    if (line.trim() === "") {
      return;
    }
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      onGarbage(line);
      return;
    }
    if (typeof message === "object" && message !== null) {
      onMessage(message);
    } else {
      onGarbage(line);
    }
  };
}

// src/platform/support.ts
function unsupportedPlatform(platform = process.platform) {
  return platform === "win32" ? "mcp-tooling: native Windows is not supported yet; WSL 2 works (run Claude Code and this plugin inside WSL)." : void 0;
}

// src/bridge/daemon-link.ts
import { connect } from "net";

// src/contract/greeting.ts
function greetingLine(greeting) {
  return `${JSON.stringify(greeting)}
`;
}

// src/bridge/daemon-link.ts
var IDLE_CHECK_MS = 20;
var DaemonLink = class _DaemonLink {
  constructor(socket, daemon, reader) {
    this.socket = socket;
    this.daemon = daemon;
    this.reader = reader;
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
  }
  socket;
  daemon;
  reader;
  lastUsed = performance.now();
  closing = false;
  /** Settles when the connection is gone, for whatever reason. */
  closed;
  /** Connects and greets; fails without having sent anything if the daemon does not listen. */
  static async open(daemon, identity, options) {
    const socket = connect(daemon.socket);
    await new Promise((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const { onMessage, onClose, onOverflow } = options;
    const maxBytes = daemon.maxMessageBytes ?? options.maxMessageBytes;
    const reader = new LineReader(
      socket,
      jsonLine(onMessage, () => void 0),
      { maxBytes, onOverflow: (bytes) => onOverflow(bytes, maxBytes) }
    );
    const link = new _DaemonLink(socket, daemon, reader);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (!link.closing) {
        onClose();
      }
    });
    socket.write(greetingLine({ token: daemon.token, ...identity }));
    return link;
  }
  /**
   * Sends a message; false when the daemon is known to be gone, so it certainly never saw it. A
   * daemon killed a moment ago may not have had its close read yet: a connection idle for a
   * while is checked against the daemon's process first (on Linux that also tells a zombie; no
   * check here ever starts a process), back-to-back messages only by signal 0. Past those checks
   * the socket itself can still refuse the bytes (EPIPE: the daemon has just died): then
   * `onRefused` runs, before the connection's close is reported.
   */
  send(message, onRefused) {
    if (this.socket.destroyed || !this.socket.writable || this.socket.readableEnded) {
      return false;
    }
    const { pid, startTime } = this.daemon;
    if (pid !== void 0) {
      const idle = performance.now() - this.lastUsed > IDLE_CHECK_MS;
      const alive = idle && startTime !== void 0 ? isProbablyAlive({ pid, startTime }) : signalZero(pid);
      if (!alive) {
        this.socket.destroy();
        return false;
      }
    }
    this.lastUsed = performance.now();
    this.socket.write(`${JSON.stringify(message)}
`, (error) => {
      if (error) {
        onRefused?.();
      }
    });
    return true;
  }
  /**
   * Stops reading the daemon while the client does not read the bridge: the socket fills, and the
   * daemon's flow control takes over, instead of the bridge buffering without end.
   */
  hold() {
    this.reader.hold();
  }
  release() {
    this.reader.release();
  }
  /** Ends the session: the daemon closes it when the connection ends. */
  close() {
    this.closing = true;
    this.socket.end();
  }
};

// src/bridge/bridge.ts
var SAFE_TO_RETRY = /* @__PURE__ */ new Set([
  "ping",
  "tools/list",
  "prompts/list",
  "prompts/get",
  "resources/list",
  "resources/templates/list",
  "resources/read",
  "resources/subscribe",
  "resources/unsubscribe",
  "completion/complete",
  "logging/setLevel"
]);
var OWN_ID_PREFIX = "mcp-tooling/";
function isRequest(message) {
  return "method" in message && "id" in message;
}
function isResponse(message) {
  return "id" in message && !("method" in message);
}
function errorReply(id, message, code = -32603) {
  return { jsonrpc: "2.0", id, error: { code, message } };
}
var Bridge = class {
  constructor(options) {
    this.options = options;
  }
  options;
  link;
  connecting;
  recovering;
  connectedBefore = false;
  initialize;
  clientInitialized = false;
  closed = false;
  /** The client is not reading: the daemon is not read either (see DaemonLink.hold). */
  held = false;
  /** Replayed on a new session, so the client's view survives a daemon restart. */
  logLevel;
  subscriptions = /* @__PURE__ */ new Map();
  pending = /* @__PURE__ */ new Map();
  /** Notifications and answers to the daemon that found no session; sent once there is one. */
  unsent = [];
  ownReplies = /* @__PURE__ */ new Map();
  ownIds = 0;
  async fromClient(message) {
    if (isRequest(message) && message.method === "initialize") {
      this.initialize = message;
      this.pending.set(message.id, { request: message, state: "waiting" });
      await this.whenConnected().catch((error) => {
        this.pending.delete(message.id);
        this.options.write(errorReply(message.id, `mcp-tooling could not reach its daemon: ${error.message}`));
      });
      this.transmit(message);
      return;
    }
    if (!this.initialize) {
      if (isRequest(message)) {
        this.options.write(
          message.method === "ping" ? { jsonrpc: "2.0", id: message.id, result: {} } : errorReply(message.id, `Method not found: ${message.method}`, -32601)
        );
      }
      return;
    }
    this.remember(message);
    if (isRequest(message)) {
      this.pending.set(message.id, { request: message, state: "waiting" });
    }
    await this.whenConnected().catch(() => void 0);
    this.transmit(message);
  }
  close() {
    this.closed = true;
    this.link?.close();
  }
  /** The client's side is full (`write` could not take more): stop reading the daemon until `resumeDaemon`. */
  pauseDaemon() {
    this.held = true;
    this.link?.hold();
  }
  resumeDaemon() {
    this.held = false;
    this.link?.release();
  }
  /** What the client set up that a new session must hear again, and what it no longer waits for. */
  remember(message) {
    if (!("method" in message)) {
      return;
    }
    const params = message.params ?? {};
    switch (message.method) {
      case "notifications/initialized": {
        this.clientInitialized = true;
        break;
      }
      case "notifications/cancelled": {
        this.pending.delete(params.requestId);
        break;
      }
      case "logging/setLevel": {
        this.logLevel = message;
        break;
      }
      case "resources/subscribe": {
        this.subscriptions.set(String(params.uri), message);
        break;
      }
      case "resources/unsubscribe": {
        this.subscriptions.delete(String(params.uri));
        break;
      }
    }
  }
  /** Sends to the daemon, or, with no session to send to, gets one and sends then. */
  transmit(message) {
    const pending = "id" in message && isRequest(message) ? this.pending.get(message.id) : void 0;
    if (isRequest(message) && pending?.state !== "waiting" && pending?.state !== "refused") {
      return;
    }
    const before = pending?.state;
    if (pending) {
      pending.state = "sent";
    }
    const refused = () => {
      if (pending && this.pending.get(pending.request.id) === pending) {
        pending.state = "refused";
      }
    };
    if (this.link?.send(message, refused)) {
      return;
    }
    if (pending) {
      pending.state = before;
    }
    if (!pending) {
      this.unsent.push(message);
    }
    void this.recover();
  }
  fromDaemon(message) {
    if (isResponse(message)) {
      const own = this.ownReplies.get(message.id);
      if (own) {
        this.ownReplies.delete(message.id);
        own();
        return;
      }
      this.pending.delete(message.id);
    }
    this.options.write(message);
  }
  /** Resolves once there is a session (the first one, or one replacing a lost one). */
  async whenConnected() {
    if (this.link) {
      return;
    }
    this.connecting ??= this.connect().finally(() => {
      this.connecting = void 0;
    });
    await this.connecting;
  }
  /**
   * The first connection carries the client's own initialize. Later ones replay it, and become
   * the bridge's link only once the daemon has answered the replay. A daemon can die under the
   * replay (its files still name it while it exits, and its socket may even accept): then the
   * next attempt asks for a daemon that answers, starting one if need be.
   */
  async connect() {
    let failure;
    for (const verified of [false, true, true]) {
      let daemon;
      try {
        daemon = await this.options.connect(verified);
      } catch (error) {
        if (verified) {
          throw error;
        }
        failure = error;
        continue;
      }
      let link;
      try {
        link = await DaemonLink.open(daemon, this.options.identity, {
          onMessage: (message) => this.fromDaemon(message),
          onClose: () => this.linkClosed(link),
          maxMessageBytes: this.options.maxMessageBytes,
          onOverflow: this.options.onOverflow
        });
        if (this.held) {
          link.hold();
        }
        if (this.connectedBefore) {
          await this.replay(link);
        }
      } catch (error) {
        link?.close();
        failure = error;
        continue;
      }
      this.link = link;
      this.connectedBefore = true;
      return;
    }
    throw failure;
  }
  /** A new session, as the client had set up the old one; the answers are the bridge's own. */
  async replay(link) {
    await this.ownRequest(link, this.initialize);
    if (this.clientInitialized) {
      link.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    }
    for (const request of [...this.logLevel ? [this.logLevel] : [], ...this.subscriptions.values()]) {
      this.ownRequest(link, request).catch(() => void 0);
    }
  }
  /** Sends a request of the bridge's own on `link`; fails if the link goes before the answer comes. */
  async ownRequest(link, request) {
    const id = `${OWN_ID_PREFIX}${++this.ownIds}`;
    const answered = new Promise((resolve) => this.ownReplies.set(id, resolve));
    try {
      if (!link.send({ ...request, id })) {
        throw new Error("the daemon it found is gone");
      }
      const lost = link.closed.then(() => {
        throw new Error(`the daemon closed the connection before answering "${request.method}"`);
      });
      await Promise.race([answered, lost]);
    } finally {
      this.ownReplies.delete(id);
    }
  }
  linkClosed(link) {
    if (this.link !== link || this.closed) {
      return;
    }
    this.link = void 0;
    if ([...this.pending.values()].some((entry) => entry.state !== "waiting")) {
      void this.recover();
    }
  }
  /** One recovery at a time: whoever else needs one while it runs is served by it. */
  async recover() {
    this.recovering ??= this.recoverLost().finally(() => {
      this.recovering = void 0;
    });
    return this.recovering;
  }
  /**
   * After the daemon went away: a new session, then what was lost. Requests it never saw are
   * sent now, and so are those that change nothing; a tool call it may have run gets an error
   * that says so, since running it twice could do harm.
   */
  async recoverLost() {
    if (this.closed || !this.initialize) {
      return;
    }
    this.link = void 0;
    try {
      await this.whenConnected();
    } catch (error) {
      for (const [id] of this.pending) {
        this.options.write(errorReply(id, `mcp-tooling could not reach its daemon: ${error.message}`));
      }
      this.pending.clear();
      return;
    }
    for (const [id, entry] of this.pending) {
      if (entry.state === "sent" && !SAFE_TO_RETRY.has(entry.request.method)) {
        this.pending.delete(id);
        this.options.write(
          errorReply(
            id,
            `The mcp-tooling daemon stopped while "${entry.request.method}" was running, so its result was lost and it may or may not have taken effect. A new daemon is up now: check, then try again.`
          )
        );
      } else {
        entry.state = "waiting";
        this.transmit(entry.request);
      }
    }
    for (const message of this.unsent.splice(0)) {
      this.transmit(message);
    }
    for (const kind of ["tools", "prompts", "resources"]) {
      this.options.write({ jsonrpc: "2.0", method: `notifications/${kind}/list_changed` });
    }
  }
};

// src/bridge/run.ts
var onStdoutFull;
function write(message) {
  if (!process.stdout.write(`${JSON.stringify(message)}
`)) {
    onStdoutFull?.();
  }
}
function report(text) {
  process.stderr.write(`mcp-tooling bridge: ${text}
`);
}
function refuse(message, refusal) {
  if ("method" in message && "id" in message) {
    write({ jsonrpc: "2.0", id: message.id, error: { code: -32603, message: refusal } });
  }
}
async function runBridge(name = DEFAULT_DAEMON_NAME) {
  const refusal = unsupportedPlatform();
  const clientPid = Number(process.env.CLAUDE_PID) || process.ppid;
  const maxMessageBytes = maxMessageFromEnv(process.env);
  const bridge = refusal === void 0 ? new Bridge({
    connect: async (verified) => (verified ? void 0 : recordedDaemon(name)) ?? ensureDaemon(name),
    write,
    maxMessageBytes,
    onOverflow: (bytes, limit) => report(`a message from the daemon of more than ${bytes} bytes was dropped, over ${messageLimit(limit)}`),
    identity: {
      clientPid,
      sessionId: process.env.CLAUDE_CODE_SESSION_ID,
      projectDir: process.env.CLAUDE_PROJECT_DIR
    }
  }) : void 0;
  let finishing = false;
  const finish = async () => {
    if (finishing) {
      return;
    }
    finishing = true;
    await bridge?.close();
    process.exit(0);
  };
  const parseError = (text) => write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: `Parse error: ${text}` } });
  const onMessage = (message) => {
    if (bridge === void 0) {
      refuse(message, refusal);
      return;
    }
    bridge.fromClient(message).catch((error) => report(error.message));
  };
  process.on("unhandledRejection", (error) => report(error?.stack ?? String(error)));
  new LineReader(
    process.stdin,
    jsonLine(onMessage, () => parseError("a line on stdin was not JSON")),
    {
      maxBytes: maxMessageBytes,
      onOverflow: (bytes) => parseError(`a message on stdin of more than ${bytes} bytes was dropped, over ${messageLimit(maxMessageBytes)}`)
    }
  );
  let full = false;
  onStdoutFull = () => {
    if (full) {
      return;
    }
    full = true;
    bridge?.pauseDaemon();
    process.stdout.once("drain", () => {
      full = false;
      bridge?.resumeDaemon();
    });
  };
  process.stdin.on("end", () => void finish());
  process.on("SIGINT", () => void finish());
  process.on("SIGTERM", () => void finish());
}

// src/entries/bridge.ts
await runBridge(process.argv[2]);
