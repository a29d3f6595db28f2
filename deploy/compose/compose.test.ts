import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * Rules for deploy/compose/compose.yaml, checked on the file itself (no engine needed).
 * Each rule is a function returning its violations, so the tests below also prove that
 * every rule fails on a stack that breaks it.
 */

type DependsOn = string[] | Record<string, { condition?: string } | null>;

interface Service {
  build?: string | { context?: string; dockerfile?: string; target?: string };
  image?: string;
  command?: string | string[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  tmpfs?: string | string[];
  restart?: string;
  stop_grace_period?: string;
  profiles?: string[];
  ports?: (string | number | { published?: string | number; host_ip?: string })[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: DependsOn;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  cpu_shares?: number;
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  deploy?: { replicas?: number; resources?: { limits?: { cpus?: string | number; memory?: string } } };
}

interface Compose {
  version?: string;
  name?: string;
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const read = (name: string): string => readFileSync(new URL(name, import.meta.url), 'utf8');
const composeText = read('./compose.yaml');
const envExampleText = read('./.env.example');
const load = (): Compose => parse(composeText, { merge: true }) as Compose;
const compose = load();

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const entries = (doc: Compose): [string, Service][] => Object.entries(doc.services);

/** Services built from the repository's own Dockerfile (build context = repository root). */
const ownServices = (doc: Compose): [string, Service][] =>
  entries(doc).filter(([, service]) => {
    const build = service.build;
    if (build === undefined) return false;
    const context = typeof build === 'string' ? build : (build.context ?? '.');
    return context.replace(/\/+$/, '') === '../..';
  });

/** One-shot services: run to completion, never restarted. */
const isOneShot = (service: Service): boolean => service.restart === 'no';

const hardeningViolations = (doc: Compose): string[] =>
  ownServices(doc).flatMap(([name, service]) => {
    const problems: string[] = [];
    if (service.user !== '10001:10001') problems.push(`${name}: user must be "10001:10001"`);
    if (service.read_only !== true) problems.push(`${name}: read_only must be true`);
    if (!(service.cap_drop ?? []).includes('ALL')) problems.push(`${name}: cap_drop must include ALL`);
    const noNewPrivileges = (service.security_opt ?? []).some((opt) => /^no-new-privileges(:true)?$/.test(opt));
    if (!noNewPrivileges) problems.push(`${name}: security_opt must include no-new-privileges:true`);
    if (!asList(service.tmpfs).some((mount) => mount.split(':')[0] === '/tmp')) {
      problems.push(`${name}: /tmp must be a tmpfs`);
    }
    return problems;
  });

const dependsOnViolations = (doc: Compose): string[] =>
  entries(doc).flatMap(([name, service]) => {
    const dependsOn = service.depends_on;
    if (dependsOn === undefined) return [];
    if (Array.isArray(dependsOn)) return [`${name}: depends_on must use the long form with a condition`];
    return Object.entries(dependsOn).flatMap(([target, spec]) => {
      const dependency = doc.services[target];
      const condition = spec?.condition;
      if (dependency === undefined) return [`${name}: depends on unknown service ${target}`];
      if (condition === 'service_healthy') {
        const test = asList(dependency.healthcheck?.test);
        return test.length > 0 && dependency.healthcheck?.disable !== true
          ? []
          : [`${name}: waits for ${target} to be healthy, but ${target} has no healthcheck`];
      }
      if (condition === 'service_completed_successfully') {
        return isOneShot(dependency) ? [] : [`${name}: waits for ${target} to complete, but ${target} restarts`];
      }
      return [`${name}: depends_on ${target} needs condition service_healthy or service_completed_successfully`];
    });
  });

const hostPorts = (service: Service): { hostIp: string | undefined; spec: string }[] =>
  (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return { hostIp: port.host_ip, spec: JSON.stringify(port) };
    const spec = String(port);
    // host_ip:host_port:container_port, host_port:container_port or container_port
    const parts = spec.replace(/\$\{[^}]*\}/g, 'VAR').split(':');
    return { hostIp: parts.length === 3 ? parts[0] : undefined, spec };
  });

/** Only web is published on the host; opt-in profiles may publish on loopback only. */
const portViolations = (doc: Compose): string[] =>
  entries(doc).flatMap(([name, service]) => {
    const ports = hostPorts(service);
    if (name === 'web') return ports.length > 0 ? [] : ['web: must publish its port'];
    if ((service.profiles ?? []).length > 0) {
      return ports
        .filter((port) => port.hostIp !== '127.0.0.1')
        .map((port) => `${name}: ${port.spec} must be bound to 127.0.0.1`);
    }
    return ports.map((port) => `${name}: must not publish ${port.spec}`);
  });

const imageViolations = (doc: Compose): string[] =>
  entries(doc).flatMap(([name, service]) => {
    const image = service.image;
    if (image === undefined) return [`${name}: needs an explicit image`];
    if (service.build !== undefined) {
      return /^\$\{MEMELAB_IMAGE_PREFIX:-memelab\}-[a-z]+:\$\{MEMELAB_TAG:-[\w.-]+\}$/.test(image)
        ? []
        : [`${name}: own images are named \${MEMELAB_IMAGE_PREFIX:-memelab}-<role>:\${MEMELAB_TAG:-...}`];
    }
    if (image.includes('${')) return [`${name}: third-party image ${image} must not be interpolated`];
    if (/@sha256:[0-9a-f]{64}$/.test(image)) return [];
    const tag = /:([\w][\w.-]*)$/.exec(image.replace(/^[^/]+:\d+\//, ''))?.[1];
    if (tag === undefined) return [`${name}: image ${image} has no tag`];
    if (tag === 'latest') return [`${name}: image ${image} uses latest`];
    // A pinned version: major.minor (or more), or a dated release such as MinIO's.
    return /\d+\.\d+/.test(tag) || /^RELEASE\.\d{4}-\d{2}-\d{2}T/.test(tag)
      ? []
      : [`${name}: image ${image} is not pinned to a version`];
  });

const healthcheckViolations = (doc: Compose): string[] =>
  entries(doc)
    .filter(([, service]) => !isOneShot(service))
    .flatMap(([name, service]) => {
      const test = asList(service.healthcheck?.test);
      if (service.healthcheck?.disable === true || test.length === 0 || test[0] === 'NONE') {
        return [`${name}: long-running services need a healthcheck`];
      }
      return [];
    });

const limitViolations = (doc: Compose): string[] =>
  entries(doc).flatMap(([name, service]) => {
    const limits = service.deploy?.resources?.limits;
    return limits?.cpus !== undefined && limits.memory !== undefined
      ? []
      : [`${name}: needs deploy.resources.limits cpus and memory`];
  });

/** Every ${VAR} in compose.yaml, whatever its modifier (`:-default`, `:?error`). */
const referencedVariables = (text: string): Set<string> =>
  new Set(Array.from(text.replace(/\$\$/g, '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g), (match) => match[1] ?? ''));

/** Keys of .env.example, each with the comment line directly above it. */
const documentedVariables = (text: string): Map<string, string> => {
  const lines = text.split('\n');
  const documented = new Map<string, string>();
  lines.forEach((line, index) => {
    const key = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1];
    const above = index > 0 ? (lines[index - 1] ?? '') : '';
    if (key !== undefined) documented.set(key, above.startsWith('#') ? above : '');
  });
  return documented;
};

const envDocumentationViolations = (composeSource: string, envExample: string): string[] => {
  const referenced = referencedVariables(composeSource);
  const documented = documentedVariables(envExample);
  const problems: string[] = [];
  for (const name of referenced) {
    if (!documented.has(name)) problems.push(`${name} is used in compose.yaml but missing from .env.example`);
  }
  for (const [name, comment] of documented) {
    if (comment === '') problems.push(`${name} in .env.example has no comment above it`);
    if (!referenced.has(name)) problems.push(`${name} in .env.example is not used by compose.yaml`);
  }
  if (/\$(?![{$])[A-Za-z_]/.test(composeSource.replace(/\$\$/g, ''))) {
    problems.push(`compose.yaml uses a bare $VAR; write \${VAR} so it is checked here`);
  }
  return problems;
};

const requiredVariables = (text: string): string[] =>
  Array.from(text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*):?\?/g), (match) => match[1] ?? '');

const seconds = (duration: string | undefined): number => {
  const match = /^(\d+)(ms|s|m)$/.exec(duration ?? '');
  if (match === null) return 0;
  const value = Number(match[1]);
  return match[2] === 'ms' ? value / 1000 : match[2] === 'm' ? value * 60 : value;
};

const environmentOf = (service: Service | undefined): Record<string, string> => {
  const environment = service?.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => [entry.split('=')[0] ?? '', entry.split('=').slice(1).join('=')]),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, String(value ?? '')]));
};

const service = (doc: Compose, name: string): Service => {
  const found = doc.services[name];
  if (found === undefined) throw new Error(`compose.yaml has no service ${name}`);
  return found;
};

describe('compose.yaml', () => {
  it('is a Compose Specification file for project memelab, without the obsolete version key', () => {
    expect(compose.version).toBeUndefined();
    expect(compose.name).toBe('memelab');
  });

  it('runs the whole distributed stack', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'alertmanager',
        'alloy',
        'api',
        'grafana',
        'healthcare',
        'healthcare-migrate',
        'healthcare-postgres',
        'migrate',
        'minio',
        'loki',
        'postgres',
        'postgres-exporter',
        'prometheus',
        'rabbitmq',
        'web',
        'worker',
      ].sort(),
    );
    expect(
      ownServices(compose)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['api', 'healthcare', 'healthcare-migrate', 'migrate', 'web', 'worker']);
    expect(service(compose, 'api').command).toEqual(['api']);
    expect(service(compose, 'worker').command).toEqual(['worker']);
    expect(service(compose, 'migrate').command).toEqual(['migrate']);
    expect(service(compose, 'migrate').image).toBe(service(compose, 'api').image);
  });

  it('hardens every container built from the Dockerfile', () => {
    expect(hardeningViolations(compose)).toEqual([]);
  });

  it('gives every depends_on a condition the dependency can meet', () => {
    expect(dependsOnViolations(compose)).toEqual([]);
    for (const name of ['api', 'worker']) {
      expect(service(compose, name).depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        rabbitmq: { condition: 'service_healthy' },
        minio: { condition: 'service_healthy' },
      });
    }
  });

  it('runs two worker replicas', () => {
    expect(service(compose, 'worker').deploy?.replicas).toBe(2);
  });

  it('gives the workers a lower CPU weight than the services that answer requests', () => {
    const weight = (name: string): number => service(compose, name).cpu_shares ?? 1024;
    for (const name of ['api', 'web', 'postgres', 'rabbitmq', 'minio']) {
      expect(weight('worker')).toBeLessThan(weight(name));
    }
  });

  it('publishes only web on the host', () => {
    expect(portViolations(compose)).toEqual([]);
    expect(service(compose, 'web').ports).toEqual([`\${MEMELAB_HTTP_PORT:-8080}:8080`]);
  });

  it('pins every image to a version', () => {
    expect(imageViolations(compose)).toEqual([]);
  });

  it('health-checks every long-running service', () => {
    expect(healthcheckViolations(compose)).toEqual([]);
    expect(isOneShot(service(compose, 'migrate'))).toBe(true);
  });

  it('limits the CPU and memory of every service', () => {
    expect(limitViolations(compose)).toEqual([]);
  });

  it('gives the API and the workers longer to stop than their own shutdown deadline', () => {
    for (const name of ['api', 'worker']) {
      const grace = seconds(service(compose, name).stop_grace_period);
      const deadline = Number(environmentOf(service(compose, name)).SHUTDOWN_TIMEOUT_MS) / 1000;
      expect(deadline).toBeGreaterThan(0);
      expect(grace).toBeGreaterThan(deadline);
    }
  });

  it('runs the API behind nginx with the shared backends configured', () => {
    const api = environmentOf(service(compose, 'api'));
    expect(api.TRUST_PROXY).toBe('true');
    for (const name of ['api', 'worker']) {
      const environment = environmentOf(service(compose, name));
      for (const key of ['DATABASE_URL', 'AMQP_URL', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID']) {
        expect(environment[key], `${name} ${key}`).toBeTruthy();
      }
    }
    expect(environmentOf(service(compose, 'migrate')).DATABASE_URL).toBe(api.DATABASE_URL);
  });

  it('keeps the state of PostgreSQL, RabbitMQ and MinIO in named volumes', () => {
    const mounts: Record<string, string> = {
      postgres: '/var/lib/postgresql/data',
      rabbitmq: '/var/lib/rabbitmq',
      minio: '/data',
    };
    for (const [name, target] of Object.entries(mounts)) {
      const volume = (service(compose, name).volumes ?? []).map(String).find((entry) => entry.split(':')[1] === target);
      const source = volume?.split(':')[0] ?? '';
      expect(Object.keys(compose.volumes ?? {}), `${name} volume`).toContain(source);
    }
  });
});

describe('.env.example', () => {
  it('documents every variable compose.yaml uses, each with a comment', () => {
    expect(envDocumentationViolations(composeText, envExampleText)).toEqual([]);
  });

  it('fails compose clearly when a secret is missing, and ships only placeholders for them', () => {
    const required = requiredVariables(composeText);
    expect(new Set(required)).toEqual(
      new Set([
        'POSTGRES_PASSWORD',
        'RABBITMQ_DEFAULT_PASS',
        'MINIO_ROOT_PASSWORD',
        'HEALTHCARE_POSTGRES_PASSWORD',
        'HEALTHCARE_DB_PASSWORD',
        'GRAFANA_ADMIN_PASSWORD',
      ]),
    );
    for (const name of required) {
      expect(envExampleText).toMatch(new RegExp(`^${name}=change-me-`, 'm'));
    }
  });
});

describe('the observability profile', () => {
  it('runs Prometheus only when asked for, scraping the API, every worker and RabbitMQ', () => {
    expect(service(compose, 'prometheus').profiles).toEqual(['observability']);
    const config = parse(read('./prometheus/prometheus.yml')) as {
      scrape_configs: {
        job_name: string;
        static_configs?: { targets: string[] }[];
        dns_sd_configs?: { names: string[]; type: string; port: number }[];
      }[];
    };
    const targets = config.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((static_) => static_.targets),
      ...(job.dns_sd_configs ?? []).flatMap((sd) => sd.names.map((name) => `${name}:${sd.port}`)),
    ]);
    expect(targets).toEqual(expect.arrayContaining(['api:8080', 'worker:8081', 'rabbitmq:15692']));
    for (const target of targets.filter((value) => !value.startsWith('localhost:'))) {
      expect(Object.keys(compose.services)).toContain(target.split(':')[0]);
    }
    expect(read('./rabbitmq/enabled_plugins')).toMatch(/^\[rabbitmq_management,\s*rabbitmq_prometheus\]\.\s*$/);
  });

  it('adds Alertmanager, Grafana, postgres_exporter, Loki and Alloy with the files of deploy/observability', () => {
    for (const name of ['alertmanager', 'grafana', 'postgres-exporter', 'loki', 'alloy'])
      expect(service(compose, name).profiles, name).toEqual(['observability']);
    const mounts = (name: string) => (service(compose, name).volumes ?? []).map(String);
    expect(mounts('prometheus')).toContain('../observability/prometheus/rules:/etc/prometheus/rules:ro');
    expect(mounts('grafana')).toEqual(
      expect.arrayContaining([
        '../observability/grafana/provisioning:/etc/grafana/provisioning:ro',
        '../observability/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    expect(String(service(compose, 'alertmanager').command)).toContain('render-config.sh');
    for (const path of mounts('alertmanager').concat(mounts('loki'), mounts('alloy'), mounts('grafana')))
      if (path.startsWith('../'))
        expect(existsSync(new URL(path.split(':')[0] ?? '', import.meta.url)), path).toBe(true);
    const config = parse(read('./prometheus/prometheus.yml')) as { rule_files: string[]; alerting: unknown };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.rules.yaml']);
    expect(JSON.stringify(config.alerting)).toContain('alertmanager:9093');
  });
});

describe('the rules above', () => {
  const broken = (change: (doc: Compose) => void): Compose => {
    const doc = structuredClone(load());
    change(doc);
    return doc;
  };

  it('catch a container that loses its hardening', () => {
    expect(hardeningViolations(broken((doc) => delete service(doc, 'api').read_only))).toEqual([
      'api: read_only must be true',
    ]);
    expect(hardeningViolations(broken((doc) => (service(doc, 'worker').cap_drop = ['NET_RAW'])))).toEqual([
      'worker: cap_drop must include ALL',
    ]);
    expect(hardeningViolations(broken((doc) => (service(doc, 'web').security_opt = []))).length).toBe(1);
    expect(hardeningViolations(broken((doc) => (service(doc, 'migrate').user = '0:0'))).length).toBe(1);
    expect(hardeningViolations(broken((doc) => delete service(doc, 'migrate').tmpfs)).length).toBe(1);
  });

  it('catch a dependency without a condition, or one that cannot be met', () => {
    expect(dependsOnViolations(broken((doc) => (service(doc, 'web').depends_on = ['api'])))).toHaveLength(1);
    expect(
      dependsOnViolations(
        broken((doc) => (service(doc, 'web').depends_on = { api: { condition: 'service_started' } })),
      ),
    ).toHaveLength(1);
    expect(dependsOnViolations(broken((doc) => delete service(doc, 'api').healthcheck))).toEqual([
      'web: waits for api to be healthy, but api has no healthcheck',
    ]);
    expect(dependsOnViolations(broken((doc) => delete service(doc, 'migrate').restart))).toHaveLength(2);
  });

  it('catch a published port on anything but web', () => {
    expect(portViolations(broken((doc) => (service(doc, 'postgres').ports = ['5432:5432'])))).toEqual([
      'postgres: must not publish 5432:5432',
    ]);
    expect(portViolations(broken((doc) => (service(doc, 'prometheus').ports = ['9090:9090'])))).toHaveLength(1);
  });

  it('catch unpinned images', () => {
    expect(imageViolations(broken((doc) => (service(doc, 'postgres').image = 'postgres:latest')))).toHaveLength(1);
    expect(imageViolations(broken((doc) => (service(doc, 'postgres').image = 'postgres')))).toHaveLength(1);
    expect(imageViolations(broken((doc) => (service(doc, 'postgres').image = 'postgres:17')))).toHaveLength(1);
    expect(
      imageViolations(broken((doc) => (service(doc, 'postgres').image = 'registry.lan:5000/postgres'))),
    ).toHaveLength(1);
    expect(imageViolations(broken((doc) => delete service(doc, 'api').image))).toHaveLength(1);
  });

  it('catch a long-running service without a healthcheck, and a missing resource limit', () => {
    expect(healthcheckViolations(broken((doc) => delete service(doc, 'rabbitmq').healthcheck))).toEqual([
      'rabbitmq: long-running services need a healthcheck',
    ]);
    expect(limitViolations(broken((doc) => delete service(doc, 'minio').deploy))).toEqual([
      'minio: needs deploy.resources.limits cpus and memory',
    ]);
  });

  it('catch a variable that .env.example does not document', () => {
    const withNewVariable = composeText.replace(`LOG_LEVEL: \${LOG_LEVEL:-info}`, `LOG_LEVEL: \${MEMELAB_LOG:-info}`);
    expect(withNewVariable).not.toBe(composeText);
    expect(envDocumentationViolations(withNewVariable, envExampleText)).toContain(
      'MEMELAB_LOG is used in compose.yaml but missing from .env.example',
    );
    const undocumented = envExampleText.replace(/# .*\nLOG_LEVEL=/, 'LOG_LEVEL=');
    expect(envDocumentationViolations(composeText, undocumented)).toEqual([
      'LOG_LEVEL in .env.example has no comment above it',
    ]);
    expect(envDocumentationViolations(`${composeText}\nx-bare: $BARE\n`, envExampleText)).toHaveLength(1);
  });
});
