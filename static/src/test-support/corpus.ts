/** The shared ASL corpus, read by path from beside the repository (never copied into it). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const CORPUS_VALID = fileURLToPath(new URL("../../../../shared/asl-corpus/valid/", import.meta.url));

export interface CorpusFile {
  name: string;
  text: string;
}

export function corpusFiles(suffix: ".asl.json" | ".asl.yaml"): CorpusFile[] {
  if (!existsSync(CORPUS_VALID)) throw new Error(`The ASL corpus is missing at ${CORPUS_VALID}`);
  return readdirSync(CORPUS_VALID)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => ({ name, text: readFileSync(CORPUS_VALID + name, "utf8") }));
}
