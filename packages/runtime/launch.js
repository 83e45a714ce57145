// Launches an app of SEG (`seg`, `seg-api`, `seg-worker`) from its bin script: `await launch(import.meta.url,
// 'seg')`. An installed package runs its built dist/. In a workspace checkout it runs the built dist/ too
// when every workspace package's and app's build is newer than its sources (after `npm run build`), which
// starts in about half the time, else the TypeScript sources (Node 24 strips types; the
// @neurocipher/source condition resolves workspace packages to their sources).
// On Node >= 22 it runs in this process (a resolve hook adds the condition), so start-up pays for one
// Node, not two. When the calling Node is older than 22, it re-runs under the Node 24 that
// tools/bootstrap installs. Plain JavaScript, so it runs before anything is built.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const condition = '@neurocipher/source';

/**
 * Runs the app whose bin script is at `binUrl` (its `../src/main.ts` or `../dist/main.js`); `name` is
 * what its messages are signed with.
 */
export async function launch(binUrl, name) {
  const built = fileURLToPath(new URL('../dist/main.js', binUrl));
  const source = fileURLToPath(new URL('../src/main.ts', binUrl));
  const workspace = fileURLToPath(new URL('../../../', binUrl));
  const tools = `${workspace}.tools/`;
  const fromSource = existsSync(source) && !builtIsFresh(workspace);
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    if (fromSource) {
      quietExperimentalWarnings();
      addSourceCondition();
    }
    await import(pathToFileURL(fromSource ? source : built).href);
  } else {
    const args = fromSource
      ? [
          `--conditions=${condition}`,
          '--disable-warning=ExperimentalWarning',
          source,
          ...process.argv.slice(2),
        ]
      : [built, ...process.argv.slice(2)];
    const child = spawnSync(pinnedNode(tools, name), args, { stdio: 'inherit' });
    process.exitCode = child.status ?? 2;
  }
}

function pinnedNode(tools, name) {
  const found = existsSync(tools)
    ? readdirSync(tools)
        .filter((d) => /^node-v\d+/.test(d))
        .map((d) => `${tools}${d}/bin/node`)
        .find((p) => existsSync(p))
    : undefined;
  if (!found) {
    process.stderr.write(
      `${name}: needs Node >= 22 (this is ${process.version}); run bash tools/bootstrap\n`,
    );
    process.exit(2);
  }
  return found;
}

// Adds the workspace-source condition to every resolution, as `--conditions` does on the command line.
function addSourceCondition() {
  const withCondition = (context) => ({
    ...context,
    conditions: [...new Set([condition, ...(context.conditions ?? [])])],
  });
  if (typeof module.registerHooks === 'function') {
    module.registerHooks({ resolve: (specifier, context, next) => next(specifier, withCondition(context)) });
    return;
  }
  const hooks = `export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...new Set([${JSON.stringify(condition)}, ...(context.conditions ?? [])])] });
}`;
  module.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

// Type stripping warns once on some Node versions; `--disable-warning=ExperimentalWarning` did this before.
function quietExperimentalWarnings() {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = (warning, ...rest) => {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' || warning?.name === 'ExperimentalWarning') return;
    emitWarning(warning, ...rest);
  };
}

// Newest modification time (ms) of a file or folder tree, tests aside (the build leaves them out); a
// deleted file bumps its folder's.
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return path.endsWith('.test.ts') ? 0 : stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(`${path}/${entry}`));
  return latest;
}

// Whether every workspace package's and app's dist/ was built (`tsc -b` writes dist/.tsbuildinfo last) after its
// sources and package.json last changed. Any doubt means no: the sources are always right.
function builtIsFresh(workspace) {
  if (process.env.SEG_CLI_FROM === 'source') return false;
  const packages = `${workspace}packages/`;
  if (!existsSync(packages)) return false;
  // Every workspace package and app (`seg serve` runs the API's and the worker's code too).
  const apps = `${workspace}apps/`;
  const dirs = [
    ...readdirSync(packages).map((d) => `${packages}${d}/`),
    ...(existsSync(apps) ? readdirSync(apps).map((d) => `${apps}${d}/`) : []),
  ];
  return dirs.every((dir) => {
    const info = statSync(`${dir}dist/.tsbuildinfo`, { throwIfNoEntry: false });
    return (
      info !== undefined &&
      existsSync(`${dir}dist/index.js`) === existsSync(`${dir}src/index.ts`) &&
      Math.max(newest(`${dir}src`), newest(`${dir}package.json`)) < info.mtimeMs
    );
  });
}
