import { readHelmYaml, YamlProblem } from './helm-yaml';
import { readInputFile } from '../files';

/**
 * Read Helm values files the way Helm reads them, to pass as base values
 * (`wireServerValues`, ...): YAML 1.1 scalars (`yes` and `on` are true, `010`
 * is 8, `1_000` is 1000), merge keys (`<<`), tags and keys as Go's YAML reader
 * resolves them. A YAML 1.2 parser reads such a file differently from Helm.
 * Duplicate keys, nesting beyond 256 levels and exponentially expanding
 * aliases are refused, with the line.
 */
export class HelmValues {
  /**
   * Values from YAML (or JSON) text.
   * @param text the content of a values file
   * @param source named in error messages
   * @default source "values"
   */
  public static parse(text: string, source: string = 'values'): { [key: string]: any } {
    let data: unknown;
    try {
      data = readHelmYaml(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).data;
    } catch (e) {
      if (e instanceof YamlProblem) throw new Error(`${source}:${e.line}: ${e.message}`);
      throw e;
    }
    if (data === null || data === undefined) return {};
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new Error(`${source}:1: holds ${Array.isArray(data) ? 'a list' : `the ${typeof data} ${JSON.stringify(data)}`}: expected Helm values (a mapping)`);
    }
    return data as { [key: string]: any };
  }

  /** Values from a values file (UTF-8; a regular file of at most 64 MiB). */
  public static fromFile(file: string): { [key: string]: any } {
    return HelmValues.parse(readInputFile(file, false).toString('utf8'), file);
  }

  private constructor() {}
}
