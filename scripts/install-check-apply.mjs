// Applies the README's "Install into your Backstage" steps to a Backstage
// app folder, for one check case. The README is the single source of the
// steps: every step is a fenced code block preceded by a marker comment
//   <!-- install-check: <tag> <operation> [<file> ["<anchor>"]] -->
// tag: all, or what the case must be for the step to apply to it:
//   new-frontend | legacy-frontend   the app's frontend system
//   new-argocd | existing-argocd     step 3 A (new app) or B (app with the
//                                    Roadie / community Argo CD plugin)
// operation:
//   run            the shell commands of the block, in the app folder
//   append         the block at the end of <file>
//   prepend        the block at the start of <file>
//   insert-before  the block before the first occurrence of <anchor> in <file>
//   insert-after   the block after the first occurrence of <anchor> in <file>
//   replace        the block instead of the first occurrence of <anchor> in <file>
// `yarn add <package>` of one of this repository's packages becomes
// `yarn add <package>@file:<tarball>` (the packages are not published).
//
// Usage: node scripts/install-check-apply.mjs <README> <app dir> <tag,tag,...> <tarballs.json>
//   --list prints the steps instead of applying them.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const TAGS = [
  'new-frontend',
  'legacy-frontend',
  'new-argocd',
  'existing-argocd',
];
const [readmePath, appDir, caseTags, tarballsPath] = process.argv.slice(2);
const listOnly = process.argv.includes('--list');
const tags = (caseTags ?? '').split(',');
if (!readmePath || !appDir || !tags.every(t => TAGS.includes(t))) {
  console.error(
    `usage: install-check-apply.mjs <README> <app dir> <tags, comma-separated: ${TAGS.join(
      ', ',
    )}> <tarballs.json> [--list]`,
  );
  process.exit(2);
}

/** The README's steps for a case with the given tags, in document order. */
export function readSteps(markdown, appTags) {
  const start = markdown.indexOf('\n## Install into your Backstage');
  if (start < 0)
    throw new Error('README has no "Install into your Backstage" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const marker =
    /<!-- install-check: (\S+) (\S+)(?: (\S+))?(?: ("(?:[^"\\]|\\.)*"))? -->\s*\n([ \t]*)```\w*\n([\s\S]*?)\n[ \t]*```/g;
  const steps = [];
  for (const m of section.matchAll(marker)) {
    const [, stepTag, operation, file, anchor, indent, body] = m;
    if (stepTag !== 'all' && !TAGS.includes(stepTag))
      throw new Error(`README: unknown install-check tag ${stepTag}`);
    if (stepTag !== 'all' && !appTags.includes(stepTag)) continue;
    // the block is indented as part of a list item: drop that indentation
    const code = body
      .split('\n')
      .map(line => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    steps.push({
      operation,
      file,
      anchor: anchor === undefined ? undefined : JSON.parse(anchor),
      code,
    });
  }
  if (!steps.length)
    throw new Error(`README has no install-check steps for ${appTags}`);
  return steps;
}

function describe(step) {
  const where = step.file
    ? ` ${step.file}${step.anchor ? ` at ${JSON.stringify(step.anchor)}` : ''}`
    : '';
  return `${step.operation}${where}:\n${step.code.replace(/^/gm, '    ')}`;
}

/** The block re-indented to the indentation of the line holding the anchor. */
function indentLike(content, index, code) {
  const lineStart = content.lastIndexOf('\n', index - 1) + 1;
  const indent = /^[ \t]*/.exec(content.slice(lineStart))[0];
  return code.replace(/^(?=.)/gm, indent);
}

function apply(step, tarballs) {
  if (step.operation === 'run') {
    for (const raw of step.code
      .split('\n')
      .filter(l => l.trim() && !l.trim().startsWith('#'))) {
      const command = raw.replace(/(@gitops-delivery\/[a-z0-9-]+)/g, name => {
        if (!tarballs[name]) throw new Error(`no tarball packed for ${name}`);
        return `${name}@file:${tarballs[name]}`;
      });
      console.log(`  $ ${command}`);
      execFileSync('bash', ['-c', command], { cwd: appDir, stdio: 'inherit' });
    }
    return;
  }
  const file = path.join(appDir, step.file);
  const content = fs.readFileSync(file, 'utf8');
  let next;
  if (step.operation === 'append') {
    next = `${content.replace(/\n*$/, '\n')}\n${step.code}\n`;
  } else if (step.operation === 'prepend') {
    next = `${step.code}\n${content}`;
  } else if (step.operation === 'replace') {
    const at = content.indexOf(step.anchor);
    if (at < 0)
      throw new Error(`${step.file} has no ${JSON.stringify(step.anchor)}`);
    next = `${content.slice(0, at)}${indentLike(content, at, step.code).replace(
      /^[ \t]*/,
      '',
    )}${content.slice(at + step.anchor.length)}`;
  } else if (
    step.operation === 'insert-before' ||
    step.operation === 'insert-after'
  ) {
    const at = content.indexOf(step.anchor);
    if (at < 0)
      throw new Error(`${step.file} has no ${JSON.stringify(step.anchor)}`);
    if (step.operation === 'insert-before') {
      const lineStart = content.lastIndexOf('\n', at - 1) + 1;
      const onOwnLine = !content.slice(lineStart, at).trim();
      next = onOwnLine
        ? `${content.slice(0, lineStart)}${indentLike(
            content,
            at,
            step.code,
          )}\n${content.slice(lineStart)}`
        : `${content.slice(0, at)}${step.code} ${content.slice(at)}`;
    } else {
      const after = at + step.anchor.length;
      const lineEnd = content.indexOf('\n', after);
      const restOfLine = content.slice(
        after,
        lineEnd < 0 ? undefined : lineEnd,
      );
      next = !restOfLine.trim()
        ? `${content.slice(0, lineEnd)}\n${indentLike(
            content,
            at,
            step.code,
          )}${content.slice(lineEnd)}`
        : `${content.slice(0, after)}${step.code} ${content.slice(after)}`;
    }
  } else {
    throw new Error(`unknown install-check operation ${step.operation}`);
  }
  fs.writeFileSync(file, next);
}

const steps = readSteps(fs.readFileSync(readmePath, 'utf8'), tags);
const tarballs = tarballsPath
  ? JSON.parse(fs.readFileSync(tarballsPath, 'utf8'))
  : {};
steps.forEach((step, i) => {
  console.log(
    `[install-check] README step ${i + 1}/${steps.length} (${tags.join(
      ', ',
    )}): ${describe(step)}`,
  );
  if (!listOnly) apply(step, tarballs);
});
