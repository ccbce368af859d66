/** The report of `verify`, in Markdown and JSON: the same input and answers give the same bytes. */
import { VerifyResult } from './verify';

/** The report files written to `--report DIR`. */
export const REPORT_FILES = { markdown: 'verify.md', json: 'verify.json' };

export function renderVerifyJson(result: VerifyResult): string {
  const count = (s: string) => result.findings.filter((f) => f.severity === s).length;
  return `${JSON.stringify(
    {
      passed: result.passed,
      domains: result.domains,
      summary: { error: count('error'), info: count('info') },
      probes: result.probes,
      findings: result.findings,
    },
    null,
    2,
  )}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderVerifyMarkdown(result: VerifyResult): string {
  const errors = result.findings.filter((f) => f.severity === 'error');
  const lines = [
    '# Verification of the live deployment (cdk8s-wire-multi-ingress verify)',
    '',
    `${result.passed ? 'Passed' : 'FAILED'}: ${result.domains.length} domain(s), ${errors.length} error finding(s); ` +
      `${result.probes.dns} DNS, ${result.probes.tls} TLS and ${result.probes.http} HTTP probe(s).`,
    '',
    '| domain | findings |',
    '| --- | --- |',
    ...result.domains.map((d) => `| ${d} | ${result.findings.filter((f) => f.domains[0] === d && f.severity === 'error').length} |`),
    '',
  ];
  if (result.findings.length > 0) lines.push('## Findings', '');
  for (const f of result.findings) {
    lines.push(
      `### \`${f.id}\` (${f.severity})`,
      '',
      `- ${cell(f.message)}`,
      `- domains: ${f.domains.join(', ')}`,
      `- probe: ${cell(f.probe)}`,
      `- evidence: ${cell(f.evidence)}`,
      '',
    );
  }
  lines.push(
    '## Not seen from outside',
    '',
    '- calling (TURN/SFT) and brig e-mails: shared by every domain, see the audit\'s structural findings',
    '- the backend (federation) domain in /api-version and qualified IDs',
    '',
  );
  return lines.join('\n');
}
