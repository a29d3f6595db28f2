/**
 * Who installs each cluster add-on, and at which version, read from a checkout of the
 * repository: Argo CD's Applications (deploy/argocd) on one side, Ansible's playbooks, roles
 * and pins (infra/ansible) on the other, and the versions the documents name.
 *
 * An add-on is known by its names: an Application's name, chart, chart path and source
 * repository; an Ansible role's name, the repositories of the manifests and charts it
 * downloads, and the `depName` of a pin in versions.yml. Two installers sharing a name are
 * two owners of one add-on.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

/** One installer of one add-on. */
export interface Installer {
  /** The first of `names`, for messages. */
  readonly label: string;
  /** Normalised names the add-on is known by (lower case, letters and digits only). */
  readonly names: ReadonlySet<string>;
  /** The version this installer pins, when it pins one. */
  readonly version?: string;
  /** Where, relative to the repository root. */
  readonly where: string;
}

/** The documents whose version numbers must be the pinned ones. */
export const VERSION_DOCUMENTS = [
  'docs/kubernetes.md',
  'docs/homelab.md',
  'infra/ansible/README.md',
  'infra/terraform/README.md',
] as const;

/** The document that lists every add-on Argo CD installs, with its version. */
export const ADDON_DOCUMENT = 'docs/kubernetes.md';

const ARGOCD_DIR = 'deploy/argocd';
const ANSIBLE_DIR = 'infra/ansible';
const VERSIONS_FILE = `${ANSIBLE_DIR}/group_vars/all/versions.yml`;
// Repositories that hold many charts: their name says nothing about the add-on.
const GENERIC_REPOSITORY_NAMES = new Set(['charts', 'helmcharts', 'helm']);

export const normalise = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const bare = (version: string): string => version.replace(/^v/, '');

/** True when a document's `1.2.3` names the pinned `v1.2.3` (or a Debian `1.2.3-1`). */
const sameVersion = (named: string, pinned: string): boolean => {
  const [a, b] = [bare(named), bare(pinned)];
  return a === b || (b.startsWith(a) && /^[~+-]/.test(b.slice(a.length)));
};

const walk = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
};

/** The project names in a URL: the repository of a GitHub, raw GitHub or GitHub Pages address. */
export const projectNamesOf = (url: string): string[] => {
  const names: string[] = [];
  const github = url.match(/^https?:\/\/(?:www\.)?(?:github\.com|raw\.githubusercontent\.com)\/[^/\s]+\/([^/\s"'?#]+)/);
  if (github?.[1]) names.push(github[1].replace(/\.git$/, ''));
  const pages = url.match(/^https?:\/\/([^./\s]+)\.github\.io\/([^/\s"'?#]+)/);
  if (pages?.[2]) names.push(pages[2]);
  return names.map(normalise).filter((name) => name !== '' && !GENERIC_REPOSITORY_NAMES.has(name));
};

interface ApplicationSource {
  repoURL?: string;
  chart?: string;
  path?: string;
  targetRevision?: string;
}
interface Application {
  kind?: string;
  metadata?: { name?: string };
  spec?: { source?: ApplicationSource; sources?: ApplicationSource[] };
}

const yamlDocuments = async (file: string): Promise<unknown[]> =>
  parseAllDocuments(await readFile(file, 'utf8')).map((document) => document.toJS() as unknown);

/**
 * Every third-party Application under deploy/argocd: its source is a chart or a repository
 * other than the one the root Application syncs from.
 */
export const argocdInstallers = async (root: string): Promise<Installer[]> => {
  const applications: { app: Application; file: string }[] = [];
  for (const file of await walk(join(root, ARGOCD_DIR))) {
    if (!/\.ya?ml$/.test(file)) continue;
    for (const document of await yamlDocuments(file)) {
      const app = document as Application | null;
      if (app?.kind === 'Application') applications.push({ app, file: relative(root, file) });
    }
  }
  const own = new Set(
    applications
      .filter(({ app }) => app.metadata?.name === 'root')
      .map(({ app }) => app.spec?.source?.repoURL)
      .filter((url): url is string => url !== undefined),
  );
  if (own.size === 0) throw new Error(`no root Application under ${ARGOCD_DIR}`);
  const installers: Installer[] = [];
  for (const { app, file } of applications) {
    const name = app.metadata?.name ?? '';
    for (const source of app.spec?.sources ?? (app.spec?.source ? [app.spec.source] : [])) {
      if (source.repoURL !== undefined && own.has(source.repoURL) && source.chart === undefined) continue;
      const names = [
        name,
        source.chart ?? '',
        source.path ? basename(source.path) : '',
        ...projectNamesOf(source.repoURL ?? ''),
      ]
        .map(normalise)
        .filter((candidate) => candidate !== '');
      installers.push({
        label: name,
        names: new Set(names),
        ...(source.targetRevision === undefined ? {} : { version: source.targetRevision }),
        where: `${file} (Application ${name})`,
      });
    }
  }
  return installers;
};

/** Kustomizations under deploy/argocd that patch a targetRevision: a second pin of one add-on. */
export const patchedTargetRevisions = async (root: string): Promise<string[]> => {
  const found: string[] = [];
  for (const file of await walk(join(root, ARGOCD_DIR))) {
    if (basename(file) !== 'kustomization.yaml') continue;
    if (/targetRevision/.test(await readFile(file, 'utf8'))) found.push(relative(root, file));
  }
  return found;
};

/** The pins in versions.yml: a `*_version` key, named after itself and its Renovate depName. */
export const ansiblePins = async (root: string): Promise<Installer[]> => {
  const pins: Installer[] = [];
  let depName: string | undefined;
  for (const line of (await readFile(join(root, VERSIONS_FILE), 'utf8')).split('\n')) {
    const renovate = line.match(/^# renovate:.*\bdepName=(\S+)/);
    if (renovate) {
      depName = renovate[1];
      continue;
    }
    const pin = line.match(/^([a-z0-9_]+_version):\s*"?([^"\s]+)"?/);
    if (pin?.[1] && pin[2]) {
      const stem = pin[1].replace(/_(package_)?version$/, '');
      const names = [stem, ...(depName ? [depName.split('/').at(-1) ?? ''] : [])].map(normalise).filter(Boolean);
      pins.push({ label: stem, names: new Set(names), version: pin[2], where: `${VERSIONS_FILE} (${pin[1]})` });
    }
    if (!line.startsWith('#')) depName = undefined;
  }
  return pins;
};

/** Plain string settings of group_vars/all, to resolve `{{ github_raw_url }}` and the like in URLs. */
const groupVarStrings = async (root: string): Promise<Map<string, string>> => {
  const values = new Map<string, string>();
  const dir = join(root, ANSIBLE_DIR, 'group_vars/all');
  for (const file of await walk(dir)) {
    const parsed = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown> | null;
    for (const [key, value] of Object.entries(parsed ?? {})) {
      if (typeof value === 'string' && !value.includes('{{')) values.set(key, value);
    }
  }
  return values;
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What one role (or playbook) installs, by the manifests and charts its files name. */
const installedBy = (text: string, variables: Map<string, string>): string[] => {
  let resolved = text;
  for (const [key, value] of variables) {
    resolved = resolved.replace(new RegExp(`\\{\\{\\s*${escapeRegExp(key)}\\s*\\}\\}`, 'g'), value);
  }
  const names: string[] = [];
  for (const match of resolved.matchAll(/https?:\/\/[^\s"'<>]+/g)) names.push(...projectNamesOf(match[0]));
  // kubernetes.core.helm: the chart and the release it installs.
  for (const match of resolved.matchAll(/^\s*(?:chart_ref|release_name):\s*["']?([^\s"'{}]+)/gm)) {
    names.push(normalise((match[1] ?? '').split('/').at(-1) ?? ''));
  }
  return names.filter(Boolean);
};

/**
 * Every role under infra/ansible/roles and every playbook: the role's name and the
 * projects whose manifests or charts it downloads or applies.
 */
export const ansibleInstallers = async (root: string): Promise<Installer[]> => {
  const variables = await groupVarStrings(root);
  const installers: Installer[] = [];
  const rolesDir = join(root, ANSIBLE_DIR, 'roles');
  for (const role of (await readdir(rolesDir, { withFileTypes: true })).filter((entry) => entry.isDirectory())) {
    const texts = await Promise.all((await walk(join(rolesDir, role.name))).map((file) => readFile(file, 'utf8')));
    const names = [normalise(role.name), ...texts.flatMap((text) => installedBy(text, variables))];
    installers.push({
      label: role.name,
      names: new Set(names),
      where: `${ANSIBLE_DIR}/roles/${role.name}`,
    });
  }
  for (const entry of await readdir(join(root, ANSIBLE_DIR), { withFileTypes: true })) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name) || entry.name === 'requirements.yml') continue;
    const names = installedBy(await readFile(join(root, ANSIBLE_DIR, entry.name), 'utf8'), variables);
    if (names.length > 0) {
      installers.push({ label: entry.name, names: new Set(names), where: `${ANSIBLE_DIR}/${entry.name}` });
    }
  }
  return [...installers, ...(await ansiblePins(root))];
};

/** "X is installed by Argo CD (...) and by Ansible (...)" for every add-on with two owners. */
export const doubleOwners = async (root: string): Promise<string[]> => {
  const [argocd, ansible] = await Promise.all([argocdInstallers(root), ansibleInstallers(root)]);
  const problems: string[] = [];
  for (const addon of argocd) {
    for (const other of ansible) {
      const shared = [...addon.names].filter((name) => other.names.has(name));
      if (shared.length === 0) continue;
      problems.push(
        `${addon.label} is installed by Argo CD (${addon.where}, ${addon.version ?? 'no version'}) ` +
          `and by Ansible (${other.where}${other.version ? `, ${other.version}` : ''})`,
      );
    }
  }
  for (const file of await patchedTargetRevisions(root)) {
    problems.push(`${file} patches a targetRevision: a second pin of an add-on`);
  }
  return problems;
};

/** A version a document names, with the one or two words just before it. */
export interface NamedVersion {
  readonly file: string;
  readonly line: number;
  /** The last word before the version, and the last two words together when only space separates them. */
  readonly candidates: readonly { readonly name: string; readonly shown: string }[];
  readonly version: string;
}

/** Every `NAME 1.2.3` / `NAME v1.2.3` in a text (tables and parentheses included). */
export const namedVersions = (file: string, text: string): NamedVersion[] => {
  const found: NamedVersion[] = [];
  // Not part of an IP address, a longer dotted number or a word (controller-v1.2.3).
  for (const match of text.matchAll(/(?<![\w.\-/])v?\d+\.\d+\.\d+(?![\d.]*\d)/g)) {
    const index = match.index;
    const lineStart = text.lastIndexOf('\n', index - 1) + 1;
    const before = text.slice(lineStart, index).replace(/[\s|():@*`[\]]+$/, '');
    const words = /[A-Za-z][\w-]*$/.test(before) ? (before.match(/[A-Za-z][\w-]*/g) ?? []) : [];
    const last = words.at(-1);
    if (last === undefined) continue;
    const previous = words.at(-2);
    const adjacent =
      previous !== undefined && new RegExp(`${escapeRegExp(previous)}\\s+${escapeRegExp(last)}$`).test(before);
    found.push({
      file,
      line: text.slice(0, index).split('\n').length,
      candidates: [
        { name: normalise(last), shown: last },
        ...(adjacent ? [{ name: normalise(`${previous}${last}`), shown: `${previous} ${last}` }] : []),
      ],
      version: match[0],
    });
  }
  return found;
};

/**
 * Versions the documents name that differ from the pin of the same add-on or component,
 * and add-ons Argo CD installs that docs/kubernetes.md does not name with a version.
 */
export const versionMismatches = async (root: string): Promise<string[]> => {
  const argocd = await argocdInstallers(root);
  const pins = [...argocd, ...(await ansiblePins(root))].filter((pin) => pin.version !== undefined);
  const problems: string[] = [];
  const mentioned = new Set<string>();
  for (const file of VERSION_DOCUMENTS) {
    let text: string;
    try {
      text = await readFile(join(root, file), 'utf8');
    } catch {
      continue;
    }
    for (const named of namedVersions(file, text)) {
      for (const pin of pins) {
        const candidate = named.candidates.find(({ name }) => pin.names.has(name));
        if (candidate === undefined) continue;
        if (file === ADDON_DOCUMENT) mentioned.add(pin.where);
        if (!sameVersion(named.version, pin.version as string)) {
          problems.push(
            `${file}:${named.line} names "${candidate.shown} ${named.version}", but ${pin.where} pins ${pin.version}`,
          );
        }
      }
    }
  }
  for (const addon of argocd) {
    if (addon.version !== undefined && !mentioned.has(addon.where)) {
      problems.push(`${ADDON_DOCUMENT} does not name ${addon.label} with its version ${addon.version}`);
    }
  }
  return problems;
};
