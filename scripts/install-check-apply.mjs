// Applies the README's "Install into your Backstage" steps to a Backstage
// app folder, for one app style. The README is the single source of the
// steps: every step is a fenced code block preceded by a marker comment
//   <!-- install-check: <style> <operation> [<file> ["<anchor>"]] -->
// style: all | new (new frontend system app) | legacy (legacy app)
// operation:
//   run            the shell commands of the block, in the app folder
//   append         the block at the end of <file>
//   prepend        the block at the start of <file>
//   insert-before  the block before the first occurrence of <anchor> in <file>
//   insert-after   the block after the first occurrence of <anchor> in <file>
// `yarn add <package>` of one of this repository's packages becomes
// `yarn add <package>@file:<tarball>` (the packages are not published).
//
// Usage: node scripts/install-check-apply.mjs <README> <app dir> <style> <tarballs.json>
//   --list prints the steps instead of applying them.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const [readmePath, appDir, style, tarballsPath] = process.argv.slice(2);
const listOnly = process.argv.includes('--list');
if (!readmePath || !appDir || !['new', 'legacy'].includes(style)) {
  console.error(
    'usage: install-check-apply.mjs <README> <app dir> <new|legacy> <tarballs.json> [--list]',
  );
  process.exit(2);
}

/** The README's steps for the given app style, in document order. */
export function readSteps(markdown, appStyle) {
  const start = markdown.indexOf('\n## Install into your Backstage');
  if (start < 0)
    throw new Error('README has no "Install into your Backstage" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  const marker =
    /<!-- install-check: (\S+) (\S+)(?: (\S+))?(?: ("(?:[^"\\]|\\.)*"))? -->\s*\n([ \t]*)```\w*\n([\s\S]*?)\n[ \t]*```/g;
  const steps = [];
  for (const m of section.matchAll(marker)) {
    const [, stepStyle, operation, file, anchor, indent, body] = m;
    if (stepStyle !== 'all' && stepStyle !== appStyle) continue;
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
    throw new Error(`README has no install-check steps for ${appStyle}`);
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

const steps = readSteps(fs.readFileSync(readmePath, 'utf8'), style);
const tarballs = tarballsPath
  ? JSON.parse(fs.readFileSync(tarballsPath, 'utf8'))
  : {};
steps.forEach((step, i) => {
  console.log(
    `[install-check] README step ${i + 1}/${
      steps.length
    } (${style} app): ${describe(step)}`,
  );
  if (!listOnly) apply(step, tarballs);
});
