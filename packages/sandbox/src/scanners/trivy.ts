import type { ServerResponse } from 'node:http';
import { wireTime } from '../clock';
import { sendJson } from '../http';
import { uid, unitNoise } from '../ids';
import type { WorldState } from '../world/state';
import { allImages, type ScannedImage } from './vulnerabilities';

const SEVERITY_NUMBER = { UNKNOWN: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

function sha(seed: string) {
  return `sha256:${uid(seed).replace(/-/g, '')}${uid(`${seed}:2`).replace(
    /-/g,
    '',
  )}`;
}

/** A Trivy JSON report (`trivy image -f json`, SchemaVersion 2) of an image. */
export function trivyReport(
  world: WorldState,
  image: ScannedImage,
): Record<string, unknown> {
  const name = `${image.repository}:${image.tag}`;
  const layerDigest = sha(`layer:${name}`);
  const diffId = sha(`diff:${name}`);
  const imageId = sha(`config:${name}`);
  const size = 70_000_000 + Math.floor(unitNoise(name) * 50_000_000);
  return {
    SchemaVersion: 2,
    Trivy: { Version: '0.74.0' },
    ReportID: uid(`report:${name}`),
    CreatedAt: wireTime(world.clock, world.startedAt - 3_600_000),
    ArtifactID: imageId,
    ArtifactName: name,
    ArtifactType: 'container_image',
    Metadata: {
      Size: size,
      OS: { Family: 'debian', Name: '12.5' },
      ImageID: imageId,
      DiffIDs: [diffId],
      RepoTags: [name],
      RepoDigests: [`${image.repository}@${image.digest}`],
      Reference: name,
      ImageConfig: {
        architecture: 'amd64',
        created: wireTime(world.clock, world.startedAt - 86_400_000),
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [diffId] },
        config: {
          Env: [
            'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          ],
          Cmd: ['/app/server'],
        },
      },
      Layers: [{ Size: size, Digest: layerDigest, DiffID: diffId }],
    },
    Results: [
      {
        Target: `${name} (debian 12.5)`,
        Class: 'os-pkgs',
        Type: 'debian',
        Vulnerabilities: image.vulnerabilities.map(v => ({
          VulnerabilityID: v.id,
          PkgID: `${v.pkg}@${v.installed}`,
          PkgName: v.pkg,
          PkgIdentifier: {
            PURL: `pkg:deb/debian/${v.pkg}@${v.installed}?arch=amd64&distro=debian-12.5`,
            UID: uid(`${v.pkg}@${v.installed}`).slice(0, 16).replace(/-/g, ''),
          },
          InstalledVersion: v.installed,
          ...(v.fixed ? { FixedVersion: v.fixed } : {}),
          Status: v.fixed ? 'fixed' : 'affected',
          Layer: { Digest: layerDigest, DiffID: diffId },
          SeveritySource: 'nvd',
          PrimaryURL: `https://avd.aquasec.com/nvd/${v.id.toLowerCase()}`,
          DataSource: {
            ID: 'debian',
            Name: 'Debian Security Tracker',
            URL: 'https://salsa.debian.org/security-tracker-team/security-tracker',
          },
          Title: v.title,
          Description: `${v.title}.`,
          Severity: v.severity,
          VendorSeverity: { nvd: SEVERITY_NUMBER[v.severity] },
          CVSS: {
            nvd: {
              V3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
              V3Score: v.score,
            },
          },
          References: [`https://nvd.nist.gov/vuln/detail/${v.id}`],
          PublishedDate: v.published,
          LastModifiedDate: v.published,
        })),
      },
    ],
  };
}

/** Serves GET /trivy/reports/<digest>.json. */
export function handleTrivy(
  world: WorldState,
  method: string,
  path: string,
  res: ServerResponse,
) {
  const m = /^\/reports\/(sha256:[0-9a-f]{64})\.json$/.exec(
    decodeURIComponent(path),
  );
  if (method !== 'GET' || !m) {
    sendJson(res, 404, {
      error: `No Trivy report at ${path}; expected /reports/sha256:<64 hex>.json`,
    });
    return;
  }
  const image = allImages(world).find(i => i.digest === m[1]);
  if (!image) {
    sendJson(res, 404, { error: `No Trivy report for ${m[1]}` });
    return;
  }
  sendJson(res, 200, trivyReport(world, image));
}
