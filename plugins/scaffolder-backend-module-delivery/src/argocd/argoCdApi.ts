import {
  isArgoCdError,
  toBackstageError,
  type ArgoCdClient,
  type ArgoCdDesiredApplication,
  type ArgoCdProject,
} from '@gitops-delivery/backstage-plugin-delivery-node';

/** The Argo CD calls the scaffolder actions make, on one instance. @public */
export interface ArgoCdApi {
  getProject(name: string): Promise<ArgoCdProject | undefined>;
  createProject(project: ArgoCdProject): Promise<ArgoCdProject>;
  updateProject(project: ArgoCdProject): Promise<ArgoCdProject>;
  /** The application of that project, or undefined when there is none. */
  getApplication(
    name: string,
    project: string,
  ): Promise<ArgoCdDesiredApplication | undefined>;
  createApplication(
    app: ArgoCdDesiredApplication,
  ): Promise<ArgoCdDesiredApplication>;
  updateApplication(
    app: ArgoCdDesiredApplication,
  ): Promise<ArgoCdDesiredApplication>;
}

/**
 * The one Argo CD client of delivery-node, seen from the actions: bound to
 * an instance and a task's abort signal, a 404 of a read as `undefined`,
 * and every failure as the `@backstage/errors` error of its kind (a 401
 * also says where the credentials are configured). Messages name the
 * instance and the call, never a credential (the client redacts them).
 */
export function argoCdApiOf(
  client: ArgoCdClient,
  instance: string,
  signal?: AbortSignal,
): ArgoCdApi {
  async function mapped<T>(call: () => Promise<T>): Promise<T>;
  async function mapped<T>(
    call: () => Promise<T>,
    notFoundAsUndefined: true,
  ): Promise<T | undefined>;
  async function mapped<T>(
    call: () => Promise<T>,
    notFoundAsUndefined = false,
  ): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      if (!isArgoCdError(error)) throw error;
      if (notFoundAsUndefined && error.kind === 'not-found') return undefined;
      const refused = error.kind === 'login-failed' && error.status === 401;
      throw toBackstageError(
        refused ? 'unauthorized' : error.kind,
        error.kind === 'unauthorized' || error.kind === 'login-failed'
          ? `${error.message} (check the instance's token or username/password in delivery.argocd)`
          : error.message,
      );
    }
  }
  const options = { signal };
  return {
    getProject: name =>
      mapped(() => client.getProject(instance, name, options), true),
    createProject: project =>
      mapped(() => client.createProject(instance, project, options)),
    updateProject: project =>
      mapped(() => client.updateProject(instance, project, options)),
    // With `project`, Argo CD answers 404 for a missing application instead
    // of the anti-enumeration 403. Read fresh: a write may follow.
    getApplication: (name, project) =>
      mapped(
        async () =>
          (await client.getApplication(
            instance,
            { name, project },
            { fresh: true },
          )) as unknown as ArgoCdDesiredApplication,
        true,
      ),
    createApplication: app =>
      mapped(() => client.createApplication(instance, app, options)),
    updateApplication: app =>
      mapped(() => client.updateApplication(instance, app, options)),
  };
}
