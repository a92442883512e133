import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  createSecretRedactor,
  type SecretRedactor,
} from '@gitops-delivery/backstage-plugin-delivery-common';
import type { ArgoCdInstance } from '../config/readArgoCdInstances';
import type { ArgoCdApplication, ArgoCdProject } from './types';

/** The Argo CD calls the scaffolder actions make. @public */
export interface ArgoCdApi {
  getProject(name: string): Promise<ArgoCdProject | undefined>;
  createProject(project: ArgoCdProject): Promise<ArgoCdProject>;
  updateProject(project: ArgoCdProject): Promise<ArgoCdProject>;
  /** The application of that project, or undefined when there is none. */
  getApplication(
    name: string,
    project: string,
  ): Promise<ArgoCdApplication | undefined>;
  createApplication(app: ArgoCdApplication): Promise<ArgoCdApplication>;
  updateApplication(app: ArgoCdApplication): Promise<ArgoCdApplication>;
}

interface ClientOptions {
  instance: ArgoCdInstance;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Redacts every credential of the module's instances from error texts. */
  redactor?: SecretRedactor;
}

/**
 * A small Argo CD REST client for one configured instance. Authenticates
 * with the configured token, or exchanges username/password for a session
 * token once. Error messages name the instance and the call, never a
 * credential.
 */
export class ArgoCdApiClient implements ArgoCdApi {
  private sessionToken?: Promise<string>;
  private readonly redactor: SecretRedactor;

  constructor(private readonly options: ClientOptions) {
    this.redactor = options.redactor ?? createSecretRedactor();
    registerArgoCdCredentials(this.redactor, options.instance);
  }

  async getProject(name: string) {
    return this.request<ArgoCdProject>(
      'GET',
      `/api/v1/projects/${encodeURIComponent(name)}`,
      { notFoundAsUndefined: true },
    );
  }

  async createProject(project: ArgoCdProject) {
    return (await this.request<ArgoCdProject>('POST', '/api/v1/projects', {
      body: { project, upsert: false },
    }))!;
  }

  async updateProject(project: ArgoCdProject) {
    return (await this.request<ArgoCdProject>(
      'PUT',
      `/api/v1/projects/${encodeURIComponent(project.metadata.name)}`,
      { body: { project } },
    ))!;
  }

  async getApplication(name: string, project: string) {
    // With `project`, Argo CD answers 404 for a missing application instead
    // of the anti-enumeration 403.
    return this.request<ArgoCdApplication>(
      'GET',
      `/api/v1/applications/${encodeURIComponent(
        name,
      )}?project=${encodeURIComponent(project)}`,
      { notFoundAsUndefined: true },
    );
  }

  async createApplication(app: ArgoCdApplication) {
    return (await this.request<ArgoCdApplication>(
      'POST',
      '/api/v1/applications?upsert=false&validate=true',
      { body: app },
    ))!;
  }

  async updateApplication(app: ArgoCdApplication) {
    return (await this.request<ArgoCdApplication>(
      'PUT',
      `/api/v1/applications/${encodeURIComponent(
        app.metadata.name,
      )}?validate=true&project=${encodeURIComponent(app.spec.project)}`,
      { body: app },
    ))!;
  }

  private async token(): Promise<string> {
    const { instance } = this.options;
    if (instance.token) {
      return instance.token;
    }
    if (!instance.username || !instance.password) {
      throw new InputError(
        `Argo CD instance "${instance.name}" has neither a token nor username/password configured`,
      );
    }
    this.sessionToken ??= this.request<{ token?: string }>(
      'POST',
      '/api/v1/session',
      {
        body: { username: instance.username, password: instance.password },
        anonymous: true,
      },
    ).then(session => {
      if (!session?.token) {
        throw new ServiceUnavailableError(
          `Argo CD instance "${instance.name}" returned no session token`,
        );
      }
      // before it is sent: an upstream may echo it back
      this.redactor.register(session.token, {
        obtained: true,
        what: `the session token of Argo CD instance "${instance.name}"`,
      });
      return session.token;
    });
    return this.sessionToken;
  }

  private async request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    opts: {
      body?: unknown;
      notFoundAsUndefined?: boolean;
      anonymous?: boolean;
    },
  ): Promise<T | undefined> {
    const { instance, timeoutMs, signal } = this.options;
    const what = `${method} ${path.split('?')[0]} on Argo CD instance "${
      instance.name
    }"`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (!opts.anonymous) {
      headers.Authorization = `Bearer ${await this.token()}`;
    }
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${instance.url}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const reason = timeout.aborted
        ? `no answer within ${timeoutMs} ms`
        : this.redactor.redact(String((error as Error)?.message));
      throw new ServiceUnavailableError(`${what} failed: ${reason}`);
    }
    if (response.ok) {
      return (await response.json()) as T;
    }
    if (response.status === 404 && opts.notFoundAsUndefined) {
      return undefined;
    }
    const detail = await readErrorMessage(response, this.redactor);
    const message = `${what} failed with ${response.status}${
      detail ? `: ${detail}` : ''
    }`;
    switch (response.status) {
      case 400:
        throw new InputError(message);
      case 401:
        throw new AuthenticationError(
          `${message} (check the instance's token or username/password in delivery.argocd)`,
        );
      case 403:
        throw new NotAllowedError(message);
      case 404:
        throw new NotFoundError(message);
      case 409:
        throw new ConflictError(message);
      default:
        throw new ServiceUnavailableError(message);
    }
  }
}

/** Registers an instance's configured token and password with a redactor. */
export function registerArgoCdCredentials(
  redactor: SecretRedactor,
  instance: ArgoCdInstance,
): void {
  const what = `the Argo CD instance "${instance.name}"`;
  redactor.register(instance.token, { what: `the token of ${what}` });
  redactor.registerBasicAuth(
    instance.username,
    instance.password,
    `the password of ${what}`,
  );
}

/** The upstream's error text, redacted before it is cut to length. */
async function readErrorMessage(
  response: Response,
  redactor: SecretRedactor,
): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    return redactor
      .redact(String(body.message ?? body.error ?? ''))
      .slice(0, 500);
  } catch {
    return redactor.redact(text).slice(0, 200);
  }
}
