/**
 * A state's name with line breaks offered only between its words: at a case change
 * (`Validate|Reading`, `SQS|Queue`), before a digit run, and after `-`, `_`, `.`, `/` or `:`.
 * A graph fitted whole draws names on two lines (level-of-detail.tsx); broken anywhere they
 * read `IngestRea|ding`. The text is unchanged: `<wbr>` adds none.
 */
import { Fragment } from "react";

const WORD_BOUNDARY = /(?<=[a-z])(?=[A-Z0-9])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[0-9])(?=[A-Za-z])|(?<=[-_./:])(?=.)/;

export function nameWords(name: string): string[] {
  return name.split(WORD_BOUNDARY);
}

export function StateName({ name }: { name: string }) {
  return (
    <>
      {nameWords(name).map((word, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {word}
        </Fragment>
      ))}
    </>
  );
}
